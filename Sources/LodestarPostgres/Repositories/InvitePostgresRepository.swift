import Foundation
import LodestarCore
import PostgresNIO

/// Invitations in PostgreSQL, stored as SHA-256 hashes of their tokens, as the SQLite side stores them.
public struct InvitePostgresRepository: InviteRepository {
    let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    public func createInvites(for round: SurveyRound, count: Int, team: String?, actor: String) async throws -> [String] {
        let tokens = (0..<count).map { _ in InviteToken.generate() }
        let hashes = tokens.map(InviteToken.hash)
        let logger = self.database.logger
        try await self.database.withTransaction { connection in
            // One statement for the whole batch: a hundred thousand invitations are one round trip.
            try await connection.query(
                """
                INSERT INTO invite (tokenHash, roundId, team, used)
                SELECT hash, \(round.id), \(team), false FROM unnest(\(hashes)::text[]) AS hash
                """,
                logger: logger
            )
            try await PostgresAudit.append(connection, actor: actor, action: "round.invite", detail: "\(round.month) \(count) \(team ?? "-")", logger: logger)
        }
        return tokens
    }

    public func invite(token: String) async throws -> Invite? {
        guard InviteToken.isWellFormed(token) else { return nil }
        let hash = InviteToken.hash(token)
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            let row = try await connection.query(
                "SELECT r.month, i.team, i.used FROM invite i JOIN surveyRound r ON r.id = i.roundId WHERE i.tokenHash = \(hash)",
                logger: logger
            ).collect().first
            guard let row else { return nil }
            let (month, team, used) = try row.decode((String, String?, Bool).self)
            return Invite(month: try Month(parsing: month), team: team, used: used)
        }
    }
}
