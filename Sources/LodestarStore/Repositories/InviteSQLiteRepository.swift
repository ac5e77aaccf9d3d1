import Foundation
import GRDB
import LodestarCore

/// Invitations in SQLite, stored as SHA-256 hashes of their tokens.
public struct InviteSQLiteRepository: InviteRepository {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// Largest batch of invitations created at once.
    public static let maxCount = 100_000

    public func createInvites(for round: SurveyRound, count: Int, team: String?, actor: String) async throws -> [String] {
        let tokens = (0..<count).map { _ in InviteToken.generate() }
        try await self.database.writer.write { db in
            for token in tokens {
                try InviteRecord(tokenHash: InviteToken.hash(token), roundId: round.id, team: team, used: false).insert(db)
            }
            try AuditRecord.append(db, actor: actor, action: "round.invite", detail: "\(round.month) \(count) \(team ?? "-")")
        }
        return tokens
    }

    public func invite(token: String) async throws -> Invite? {
        guard InviteToken.isWellFormed(token) else { return nil }
        return try await self.database.writer.read { db in
            let row = try Row.fetchOne(
                db,
                sql: "SELECT r.month, i.team, i.used FROM invite i JOIN surveyRound r ON r.id = i.roundId WHERE i.tokenHash = ?",
                arguments: [InviteToken.hash(token)]
            )
            guard let row else { return nil }
            return Invite(month: try Month(parsing: row["month"]), team: row["team"], used: row["used"])
        }
    }
}
