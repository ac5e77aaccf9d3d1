import Foundation
import LodestarCore
import PostgresNIO

/// Pipeline events and the service → team map in PostgreSQL. The upserts merge reports of one event exactly as the
/// SQLite side's `PipelineWriter` does, so both backends keep the same rows whatever order the reports come in.
public struct PipelinePostgresRepository: PipelineRepository {
    let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    public func store(_ events: [PipelineEvent], deliveryId: String?) async throws -> Bool {
        let logger = self.database.logger
        return try await self.database.withTransaction { connection in
            if let deliveryId {
                // Two nodes given the same redelivery at once: the primary key lets one insert through.
                let inserted = try await connection.query(
                    "INSERT INTO webhookDelivery (id, receivedAt) VALUES (\(deliveryId), \(Date().timeIntervalSince1970)) ON CONFLICT DO NOTHING RETURNING id",
                    logger: logger
                ).collect()
                guard !inserted.isEmpty else { return false }
            }
            try await PostgresPipelineWriter(connection: connection, logger: logger).write(events)
            return true
        }
    }

    public func resolveIncident(id: String, at date: Date) async throws -> Bool {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            !(try await connection.query(
                "UPDATE incident SET resolvedAt = \(date.timeIntervalSince1970) WHERE id = \(id) RETURNING id", logger: logger
            ).collect().isEmpty)
        }
    }

    public func history() async throws -> DeliveryHistory {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            var changes: [ChangeEvent] = []
            let changeRows = try await connection.query(
                "SELECT service, sha, authoredAt, committedAt, prMergedAt, parent FROM change ORDER BY service COLLATE \"C\", sha COLLATE \"C\"", logger: logger
            )
            for try await (service, sha, authored, committed, merged, parent) in changeRows.decode((String, String, Double?, Double, Double?, String?).self) {
                changes.append(
                    ChangeEvent(
                        sha: sha, service: service, authoredAt: authored.map(Date.init(timeIntervalSince1970:)),
                        committedAt: Date(timeIntervalSince1970: committed), prMergedAt: merged.map(Date.init(timeIntervalSince1970:)), parent: parent
                    )
                )
            }
            var deployments: [DeploymentEvent] = []
            let deploymentRows = try await connection.query(
                "SELECT id, service, environment, shas, startedAt, finishedAt, result, project, run, wholeRun FROM deployment ORDER BY id COLLATE \"C\"",
                logger: logger
            )
            for try await row in deploymentRows {
                let (id, service, environment, shas, started, finished, result, project, run, wholeRun) = try row.decode(
                    (String, String, String, String, Double?, Double, String, String?, String?, Bool).self
                )
                deployments.append(
                    DeploymentEvent(
                        id: id, service: service, environment: environment, shas: shas.isEmpty ? [] : shas.split(separator: " ").map(String.init),
                        startedAt: started.map(Date.init(timeIntervalSince1970:)), finishedAt: Date(timeIntervalSince1970: finished),
                        result: DeploymentResult(rawValue: result) ?? .failure, project: project, run: run, wholeRun: wholeRun
                    )
                )
            }
            let incidents = try await Self.incidents(connection, logger: logger)
            var histories: [HistoryEvent] = []
            let edgeRows = try await connection.query(
                "SELECT service, head, contained FROM commitEdge ORDER BY service COLLATE \"C\", head COLLATE \"C\", contained COLLATE \"C\"", logger: logger
            )
            for try await (service, head, contained) in edgeRows.decode((String, String, String).self) {
                if let last = histories.last, last.service == service, last.head == head {
                    histories[histories.count - 1].contains.append(contained)
                } else {
                    histories.append(HistoryEvent(service: service, head: head, contains: [contained]))
                }
            }
            let teams = try await Self.teams(connection, logger: logger)
            return DeliveryHistory(changes: changes, histories: histories, deployments: deployments, incidents: incidents, teams: teams)
        }
    }

    public func deliveryColumns() async throws -> DeliveryColumns {
        try await PostgresColumnsLoader.load(self.database)
    }

    /// Every incident, in order of id compared as bytes.
    static func incidents(_ connection: PostgresConnection, logger: Logger) async throws -> [IncidentEvent] {
        var incidents: [IncidentEvent] = []
        let rows = try await connection.query(
            "SELECT id, service, title, openedAt, resolvedAt, rootCauseSha FROM incident ORDER BY id COLLATE \"C\"", logger: logger
        )
        for try await (id, service, title, opened, resolved, cause) in rows.decode((String, String, String?, Double, Double?, String?).self) {
            incidents.append(
                IncidentEvent(
                    id: id, service: service, title: title, openedAt: Date(timeIntervalSince1970: opened),
                    resolvedAt: resolved.map(Date.init(timeIntervalSince1970:)), rootCauseSHA: cause
                )
            )
        }
        return incidents
    }

    public func recordIgnored(source: String, kind: String, reason: String) async throws {
        let logger = self.database.logger
        try await self.database.withConnection { connection in
            try await connection.query(
                """
                INSERT INTO webhookIgnored (source, kind, count, lastReason, lastAt) VALUES (\(source), \(kind), 1, \(reason), \(Date().timeIntervalSince1970))
                ON CONFLICT (source, kind) DO UPDATE SET count = webhookIgnored.count + 1, lastReason = excluded.lastReason, lastAt = excluded.lastAt
                """,
                logger: logger
            )
        }
    }

    public func ignoredWebhooks() async throws -> [IgnoredWebhooks] {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in
            try await connection.query(
                "SELECT source, kind, count, lastReason, lastAt FROM webhookIgnored ORDER BY source COLLATE \"C\", kind COLLATE \"C\"", logger: logger
            ).collect().map { row in
                let (source, kind, count, reason, at) = try row.decode((String, String, Int, String, Double).self)
                return IgnoredWebhooks(source: source, kind: kind, count: count, lastReason: reason, lastAt: Date(timeIntervalSince1970: at))
            }
        }
    }

    public func mapTeam(service: String, team: String, actor: String) async throws {
        let logger = self.database.logger
        try await self.database.withTransaction { connection in
            try await connection.query(
                "INSERT INTO serviceTeam (service, team) VALUES (\(service), \(team)) ON CONFLICT (service) DO UPDATE SET team = excluded.team",
                logger: logger
            )
            try await PostgresAudit.append(connection, actor: actor, action: "team.map", detail: "\(service) \(team)", logger: logger)
        }
    }

    public func teams() async throws -> [String: String] {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in try await Self.teams(connection, logger: logger) }
    }

    static func teams(_ connection: PostgresConnection, logger: Logger) async throws -> [String: String] {
        var teams: [String: String] = [:]
        for try await (service, team) in try await connection.query("SELECT service, team FROM serviceTeam", logger: logger).decode((String, String).self) {
            teams[service] = team
        }
        return teams
    }
}
