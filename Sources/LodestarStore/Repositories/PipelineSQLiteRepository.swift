import Foundation
import GRDB
import LodestarCore

/// Pipeline events in SQLite. Every write is an upsert on the source's own id, so a redelivery changes nothing.
public struct PipelineSQLiteRepository: PipelineRepository {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    public func store(_ events: [PipelineEvent], deliveryId: String?) async throws -> Bool {
        try await self.database.batcher.write { db in
            if let deliveryId {
                try db.execute(sql: "INSERT OR IGNORE INTO webhookDelivery (id, receivedAt) VALUES (?, ?)", arguments: [deliveryId, Date().timeIntervalSince1970])
                guard db.changesCount == 1 else { return false }
            }
            let writer = try PipelineWriter(db: db)
            for event in events { try writer.write(event) }
            return true
        }
    }

    public func resolveIncident(id: String, at date: Date) async throws -> Bool {
        try await self.database.batcher.write { db in
            try db.execute(sql: "UPDATE incident SET resolvedAt = ? WHERE id = ?", arguments: [date.timeIntervalSince1970, id])
            return db.changesCount == 1
        }
    }

    public func history() async throws -> DeliveryHistory {
        try await self.database.writer.read { db in
            var changes: [ChangeEvent] = []
            let changeRows = try Row.fetchCursor(db, sql: "SELECT service, sha, authoredAt, committedAt, prMergedAt, parent FROM change")
            while let row = try changeRows.next() {
                changes.append(
                    ChangeEvent(
                        sha: row[1], service: row[0], authoredAt: (row[2] as Double?).map(Date.init(timeIntervalSince1970:)),
                        committedAt: Date(timeIntervalSince1970: row[3]), prMergedAt: (row[4] as Double?).map(Date.init(timeIntervalSince1970:)),
                        parent: row[5]
                    )
                )
            }
            var deployments: [DeploymentEvent] = []
            let deploymentRows = try Row.fetchCursor(db, sql: "SELECT id, service, environment, shas, startedAt, finishedAt, result, project, run, wholeRun FROM deployment")
            while let row = try deploymentRows.next() {
                let shas: String = row[3]
                deployments.append(
                    DeploymentEvent(
                        id: row[0], service: row[1], environment: row[2], shas: shas.isEmpty ? [] : shas.split(separator: " ").map(String.init),
                        startedAt: (row[4] as Double?).map(Date.init(timeIntervalSince1970:)), finishedAt: Date(timeIntervalSince1970: row[5]),
                        result: DeploymentResult(rawValue: row[6]) ?? .failure, project: row[7], run: row[8], wholeRun: row[9]
                    )
                )
            }
            let incidents = try Self.incidents(db)
            let teams = try Self.teams(db)
            var histories: [HistoryEvent] = []
            for row in try Row.fetchAll(db, sql: "SELECT service, head, contained FROM commitEdge ORDER BY service, head, contained") {
                let (service, head, contained): (String, String, String) = (row[0], row[1], row[2])
                if let last = histories.last, last.service == service, last.head == head {
                    histories[histories.count - 1].contains.append(contained)
                } else {
                    histories.append(HistoryEvent(service: service, head: head, contains: [contained]))
                }
            }
            return DeliveryHistory(changes: changes, histories: histories, deployments: deployments, incidents: incidents, teams: teams)
        }
    }

    public func recordIgnored(source: String, kind: String, reason: String) async throws {
        try await self.database.batcher.write { db in
            try db.execute(
                sql: """
                    INSERT INTO webhookIgnored (source, kind, count, lastReason, lastAt) VALUES (?, ?, 1, ?, ?)
                    ON CONFLICT (source, kind) DO UPDATE SET count = count + 1, lastReason = excluded.lastReason, lastAt = excluded.lastAt
                    """,
                arguments: [source, kind, reason, Date().timeIntervalSince1970]
            )
        }
    }

    public func ignoredWebhooks() async throws -> [IgnoredWebhooks] {
        try await self.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT source, kind, count, lastReason, lastAt FROM webhookIgnored ORDER BY source, kind").map { row in
                IgnoredWebhooks(source: row[0], kind: row[1], count: row[2], lastReason: row[3], lastAt: Date(timeIntervalSince1970: row[4]))
            }
        }
    }

    public func deliveryColumns() async throws -> DeliveryColumns {
        try await DeliveryColumnsLoader.load(self.database.writer)
    }

    static func incidents(_ db: Database) throws -> [IncidentEvent] {
        try Row.fetchAll(db, sql: "SELECT id, service, title, openedAt, resolvedAt, rootCauseSha FROM incident").map { row in
            IncidentEvent(
                id: row[0], service: row[1], title: row[2], openedAt: Date(timeIntervalSince1970: row[3]),
                resolvedAt: (row[4] as Double?).map(Date.init(timeIntervalSince1970:)), rootCauseSHA: row[5]
            )
        }
    }

    public func mapTeam(service: String, team: String, actor: String) async throws {
        try await self.database.writer.write { db in
            try Self.mapTeam(db, service: service, team: team)
            try AuditRecord.append(db, actor: actor, action: "team.map", detail: "\(service) \(team)")
        }
    }

    public func teams() async throws -> [String: String] {
        try await self.database.writer.read { db in try Self.teams(db) }
    }

    static func mapTeam(_ db: Database, service: String, team: String) throws {
        try db.execute(
            sql: "INSERT INTO serviceTeam (service, team) VALUES (?, ?) ON CONFLICT (service) DO UPDATE SET team = excluded.team",
            arguments: [service, team]
        )
    }

    static func teams(_ db: Database) throws -> [String: String] {
        Dictionary(try Row.fetchAll(db, sql: "SELECT service, team FROM serviceTeam").map { ($0[0], $0[1]) }, uniquingKeysWith: { $1 })
    }
}

/// Upserts events through prepared statements: one writer serves a whole import.
struct PipelineWriter {
    let change: BulkStatement
    let deployment: BulkStatement
    let incident: BulkStatement
    let edge: BulkStatement
    /// Commits dated later than this are stored but flagged.
    let futureLimit = Date().addingTimeInterval(3600)

    init(db: Database) throws {
        // Times merge towards the earliest known, fields left empty by one sender are filled by another.
        self.change = try BulkStatement(
            db, sql: """
                INSERT INTO change (service, sha, authoredAt, committedAt, prMergedAt, parent, flag) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (service, sha) DO UPDATE SET
                    authoredAt = CASE WHEN excluded.authoredAt IS NULL THEN authoredAt WHEN authoredAt IS NULL THEN excluded.authoredAt
                        ELSE min(authoredAt, excluded.authoredAt) END,
                    committedAt = min(committedAt, excluded.committedAt),
                    prMergedAt = CASE WHEN excluded.prMergedAt IS NULL THEN prMergedAt WHEN prMergedAt IS NULL THEN excluded.prMergedAt
                        ELSE min(prMergedAt, excluded.prMergedAt) END,
                    parent = coalesce(excluded.parent, parent),
                    flag = coalesce(excluded.flag, flag)
                """
        )
        self.edge = try BulkStatement(db, sql: "INSERT OR IGNORE INTO commitEdge (service, head, contained) VALUES (?, ?, ?)")
        // A deployment's latest report wins (a status moves from failure to success on a retry).
        self.deployment = try BulkStatement(
            db, sql: """
                INSERT INTO deployment (id, service, environment, shas, startedAt, finishedAt, result, flag, project, run, wholeRun)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET service = excluded.service, environment = excluded.environment,
                    project = coalesce(excluded.project, project), run = coalesce(excluded.run, run), wholeRun = excluded.wholeRun,
                    shas = CASE WHEN excluded.shas = '' THEN shas ELSE excluded.shas END,
                    startedAt = coalesce(excluded.startedAt, startedAt), finishedAt = excluded.finishedAt,
                    result = excluded.result, flag = excluded.flag
                """
        )
        // An incident keeps its first opening time; its resolution follows the latest state (reopened clears it).
        self.incident = try BulkStatement(
            db, sql: """
                INSERT INTO incident (id, service, title, openedAt, resolvedAt, rootCauseSha) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET
                    service = CASE WHEN excluded.service = '\(defaultServiceName)' THEN service ELSE excluded.service END,
                    title = coalesce(excluded.title, title), openedAt = min(openedAt, excluded.openedAt),
                    resolvedAt = excluded.resolvedAt, rootCauseSha = coalesce(excluded.rootCauseSha, rootCauseSha)
                """
        )
    }

    func write(_ event: PipelineEvent) throws {
        switch event {
        case .change(let change):
            let flag = change.committedAt > self.futureLimit ? "committed in the future" : nil
            try self.change.execute { row in
                row.text(change.service)
                row.text(change.sha)
                row.real(change.authoredAt?.timeIntervalSince1970)
                row.real(change.committedAt.timeIntervalSince1970)
                row.real(change.prMergedAt?.timeIntervalSince1970)
                row.text(change.parent)
                row.text(flag)
            }
        case .history(let history):
            for contained in history.contains where contained != history.head {
                try self.edge.execute { row in
                    row.text(history.service)
                    row.text(history.head)
                    row.text(contained)
                }
            }
        case .deployment(let deployment):
            let flag = deployment.startedAt.map { $0 > deployment.finishedAt } == true ? "finishes before it starts" : nil
            try self.deployment.execute { row in
                row.text(deployment.id)
                row.text(deployment.service)
                row.text(deployment.environment)
                row.text(deployment.shas.joined(separator: " "))
                row.real(deployment.startedAt?.timeIntervalSince1970)
                row.real(deployment.finishedAt.timeIntervalSince1970)
                row.text(deployment.result.rawValue)
                row.text(flag)
                row.text(deployment.project)
                row.text(deployment.run)
                row.int(deployment.wholeRun ? 1 : 0)
            }
        case .incident(let incident):
            try self.incident.execute { row in
                row.text(incident.id)
                row.text(incident.service)
                row.text(incident.title)
                row.real(incident.openedAt.timeIntervalSince1970)
                row.real(incident.resolvedAt?.timeIntervalSince1970)
                row.text(incident.rootCauseSHA)
            }
        }
    }
}
