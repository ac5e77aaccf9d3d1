import Foundation
import LodestarCore
import PostgresNIO

/// Writes pipeline events in a few statements per batch instead of one per event: rows of one table go in together
/// through `unnest`, with the same upserts as one at a time.
///
/// An upsert cannot touch one row twice in a statement, so a batch is split into rounds: the first report of each
/// event in the first round, the second in the second, and so on. Upserts of different rows do not depend on each
/// other (the parent trigger only adds edges, which are a set), so the rounds in order store exactly what the events
/// one at a time in order would: the merge rules are those of `PipelineWriter` on the SQLite side.
struct PostgresPipelineWriter {
    let connection: PostgresConnection
    let logger: Logger
    /// Commits dated later than this are stored but flagged.
    let futureLimit = Date().addingTimeInterval(3600)

    func write(_ events: [PipelineEvent]) async throws {
        for round in Self.rounds(events) {
            try await self.writeChanges(round.compactMap { if case .change(let change) = $0 { change } else { nil } })
            try await self.writeEdges(round.compactMap { if case .history(let history) = $0 { history } else { nil } })
            try await self.writeDeployments(round.compactMap { if case .deployment(let deployment) = $0 { deployment } else { nil } })
            try await self.writeIncidents(round.compactMap { if case .incident(let incident) = $0 { incident } else { nil } })
        }
    }

    /// The events split so that no row is written twice in one round, each round in the events' order.
    static func rounds(_ events: [PipelineEvent]) -> [[PipelineEvent]] {
        var rounds: [[PipelineEvent]] = []
        var seen: [String: Int] = [:]
        for event in events {
            let key: String
            switch event {
            case .change(let change): key = "c\u{1}\(change.service)\u{1}\(change.sha)"
            case .history: key = "h"  // edges are inserted or ignored: any number fit in one statement
            case .deployment(let deployment): key = "d\u{1}\(deployment.id)"
            case .incident(let incident): key = "i\u{1}\(incident.id)"
            }
            let round: Int
            if key == "h" {
                round = 0
            } else {
                round = seen[key, default: -1] + 1
                seen[key] = round
            }
            if round == rounds.count { rounds.append([]) }
            rounds[round].append(event)
        }
        return rounds
    }

    /// Nullable texts as a value array and a null-flag array: the driver binds arrays of non-optional values.
    static func texts(_ values: [String?]) -> (values: [String], nulls: [Bool]) {
        (values.map { $0 ?? "" }, values.map { $0 == nil })
    }

    /// Nullable times as seconds with NaN for none, turned back into NULL by `nullif`.
    static func times(_ values: [Date?]) -> [Double] {
        values.map { $0?.timeIntervalSince1970 ?? .nan }
    }

    func writeChanges(_ changes: [ChangeEvent]) async throws {
        guard !changes.isEmpty else { return }
        let parents = Self.texts(changes.map(\.parent))
        let flags = Self.texts(changes.map { $0.committedAt > self.futureLimit ? "committed in the future" : nil })
        try await self.connection.query(
            """
            INSERT INTO change (service, sha, authoredAt, committedAt, prMergedAt, parent, flag)
            SELECT service, sha, nullif(authored, 'NaN'), committed, nullif(merged, 'NaN'),
                CASE WHEN noParent THEN NULL ELSE parent END, CASE WHEN noFlag THEN NULL ELSE flag END
            FROM unnest(\(changes.map(\.service))::text[], \(changes.map(\.sha))::text[], \(Self.times(changes.map(\.authoredAt)))::float8[],
                \(changes.map { $0.committedAt.timeIntervalSince1970 })::float8[], \(Self.times(changes.map(\.prMergedAt)))::float8[],
                \(parents.values)::text[], \(parents.nulls)::bool[], \(flags.values)::text[], \(flags.nulls)::bool[])
                AS r(service, sha, authored, committed, merged, parent, noParent, flag, noFlag)
            ON CONFLICT (service, sha) DO UPDATE SET
                authoredAt = least(change.authoredAt, excluded.authoredAt),
                committedAt = least(change.committedAt, excluded.committedAt),
                prMergedAt = least(change.prMergedAt, excluded.prMergedAt),
                parent = coalesce(excluded.parent, change.parent),
                flag = coalesce(excluded.flag, change.flag)
            """,
            logger: self.logger
        )
    }

    func writeEdges(_ histories: [HistoryEvent]) async throws {
        var services: [String] = []
        var heads: [String] = []
        var contained: [String] = []
        for history in histories {
            for commit in history.contains where commit != history.head {
                services.append(history.service)
                heads.append(history.head)
                contained.append(commit)
            }
        }
        guard !services.isEmpty else { return }
        try await self.connection.query(
            """
            INSERT INTO commitEdge (service, head, contained)
            SELECT * FROM unnest(\(services)::text[], \(heads)::text[], \(contained)::text[])
            ON CONFLICT DO NOTHING
            """,
            logger: self.logger
        )
    }

    func writeDeployments(_ deployments: [DeploymentEvent]) async throws {
        guard !deployments.isEmpty else { return }
        let flags = Self.texts(deployments.map { deployment in deployment.startedAt.map { $0 > deployment.finishedAt } == true ? "finishes before it starts" : nil })
        let projects = Self.texts(deployments.map(\.project))
        let runs = Self.texts(deployments.map(\.run))
        try await self.connection.query(
            """
            INSERT INTO deployment (id, service, environment, shas, startedAt, finishedAt, result, flag, project, run, wholeRun)
            SELECT id, service, environment, shas, nullif(started, 'NaN'), finished, result, CASE WHEN noFlag THEN NULL ELSE flag END,
                CASE WHEN noProject THEN NULL ELSE project END, CASE WHEN noRun THEN NULL ELSE run END, whole
            FROM unnest(\(deployments.map(\.id))::text[], \(deployments.map(\.service))::text[], \(deployments.map(\.environment))::text[],
                \(deployments.map { $0.shas.joined(separator: " ") })::text[], \(Self.times(deployments.map(\.startedAt)))::float8[],
                \(deployments.map { $0.finishedAt.timeIntervalSince1970 })::float8[], \(deployments.map(\.result.rawValue))::text[],
                \(flags.values)::text[], \(flags.nulls)::bool[], \(projects.values)::text[], \(projects.nulls)::bool[],
                \(runs.values)::text[], \(runs.nulls)::bool[], \(deployments.map(\.wholeRun))::bool[])
                AS r(id, service, environment, shas, started, finished, result, flag, noFlag, project, noProject, run, noRun, whole)
            ON CONFLICT (id) DO UPDATE SET service = excluded.service, environment = excluded.environment,
                project = coalesce(excluded.project, deployment.project), run = coalesce(excluded.run, deployment.run),
                wholeRun = excluded.wholeRun,
                shas = CASE WHEN excluded.shas = '' THEN deployment.shas ELSE excluded.shas END,
                startedAt = coalesce(excluded.startedAt, deployment.startedAt), finishedAt = excluded.finishedAt,
                result = excluded.result, flag = excluded.flag
            """,
            logger: self.logger
        )
    }

    func writeIncidents(_ incidents: [IncidentEvent]) async throws {
        guard !incidents.isEmpty else { return }
        let titles = Self.texts(incidents.map(\.title))
        let causes = Self.texts(incidents.map(\.rootCauseSHA))
        try await self.connection.query(
            """
            INSERT INTO incident (id, service, title, openedAt, resolvedAt, rootCauseSha)
            SELECT id, service, CASE WHEN noTitle THEN NULL ELSE title END, opened, nullif(resolved, 'NaN'), CASE WHEN noCause THEN NULL ELSE cause END
            FROM unnest(\(incidents.map(\.id))::text[], \(incidents.map(\.service))::text[], \(titles.values)::text[], \(titles.nulls)::bool[],
                \(incidents.map { $0.openedAt.timeIntervalSince1970 })::float8[], \(Self.times(incidents.map(\.resolvedAt)))::float8[],
                \(causes.values)::text[], \(causes.nulls)::bool[])
                AS r(id, service, title, noTitle, opened, resolved, cause, noCause)
            ON CONFLICT (id) DO UPDATE SET
                service = CASE WHEN excluded.service = \(defaultServiceName) THEN incident.service ELSE excluded.service END,
                title = coalesce(excluded.title, incident.title), openedAt = least(incident.openedAt, excluded.openedAt),
                resolvedAt = excluded.resolvedAt, rootCauseSha = coalesce(excluded.rootCauseSha, incident.rootCauseSha)
            """,
            logger: self.logger
        )
    }
}
