import Foundation
import LodestarCore
import NIOCore
import PostgresNIO

/// Reads the pipeline tables into `DeliveryColumns` as the SQLite loader does: texts go from the driver's buffers
/// straight into `TextColumn`s, services and environments are numbered as they are read, and the rest is
/// `DeliveryColumnsAssembly`'s. Building the history as Swift values first cost ten times the metrics themselves.
/// Everything is read in one snapshot (a repeatable-read transaction), in the orders SQLite's keys give: changes by
/// service then sha, deployments and incidents by id, all compared as bytes.
enum PostgresColumnsLoader {
    static func load(_ database: PostgresDatabase) async throws -> DeliveryColumns {
        let logger = database.logger
        let read = try await database.withTransaction { connection in
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            var columns = DeliveryColumns()
            columns.teams = try await PipelinePostgresRepository.teams(connection, logger: logger)
            columns.incidents = try await PipelinePostgresRepository.incidents(connection, logger: logger)
            var services = DeliveryColumnsAssembly.Numbering()
            var parents = TextColumn()
            let changes = try await connection.query(
                #"SELECT service, sha, authoredAt, committedAt, parent FROM change ORDER BY service COLLATE "C", sha COLLATE "C""#, logger: logger
            )
            for try await row in changes {
                var cells = row.makeIterator()
                Self.text(cells.next()) { columns.changeService.append(services.number($0)) }
                Self.text(cells.next()) { columns.changeSHAs.append($0) }
                let authored = try cells.next()?.decode(Double?.self)
                let committed = try cells.next()?.decode(Double.self) ?? 0
                columns.changeCommitted.append(committed)
                columns.changeStart.append(authored.map { min($0, committed) } ?? committed)
                Self.text(cells.next()) { parents.append($0) }
            }
            var edges = DeliveryColumnsAssembly.EdgeRows()
            let edgeRows = try await connection.query(
                #"SELECT service, head, contained FROM commitEdge ORDER BY service COLLATE "C", head COLLATE "C", contained COLLATE "C""#, logger: logger
            )
            for try await row in edgeRows {
                var cells = row.makeIterator()
                Self.text(cells.next()) { edges.service.append(services.number($0)) }
                Self.text(cells.next()) { edges.heads.append($0) }
                Self.text(cells.next()) { edges.contained.append($0) }
            }
            columns.services = services.names
            return (columns, parents, edges, try await Self.deployments(connection, logger: logger))
        }
        return await DeliveryColumnsAssembly.assemble(read.0, parents: read.1, edges: read.2, deployments: read.3)
    }

    /// The deployments the metrics count (`DeploymentEvent.counted`: a whole-run deployment is left out when a job's
    /// deployment names the same run), in order of id.
    static func deployments(_ connection: PostgresConnection, logger: Logger) async throws -> DeliveryColumnsAssembly.DeploymentRows {
        var rows = DeliveryColumnsAssembly.DeploymentRows()
        var services = DeliveryColumnsAssembly.Numbering()
        var environments = DeliveryColumnsAssembly.Numbering()
        var projects = DeliveryColumnsAssembly.Numbering()
        let deployments = try await connection.query(
            """
            SELECT service, environment, shas, finishedAt, result, id, project FROM deployment
            WHERE NOT wholeRun OR NOT EXISTS (SELECT 1 FROM deployment job WHERE job.run = deployment.run AND NOT job.wholeRun)
            ORDER BY id COLLATE "C"
            """,
            logger: logger
        )
        for try await row in deployments {
            var cells = row.makeIterator()
            Self.text(cells.next()) { rows.service.append(services.number($0)) }
            Self.text(cells.next()) { rows.environment.append(environments.number($0)) }
            Self.text(cells.next()) { rows.shas.append($0) }
            rows.finished.append(try cells.next()?.decode(Double.self) ?? 0)
            Self.text(cells.next()) { rows.result.append(DeliveryColumnsAssembly.result($0)) }
            Self.text(cells.next()) { rows.ids.append($0) }
            let project = cells.next()
            if project?.bytes == nil {
                rows.project.append(-1)
            } else {
                Self.text(project) { rows.project.append(projects.number($0)) }
            }
        }
        rows.services = services.names
        rows.environments = environments.names
        rows.projects = projects.names
        return rows
    }

    /// A text cell's bytes as the driver holds them (empty for NULL), lent to `body`.
    static func text(_ cell: PostgresCell?, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard let bytes = cell?.bytes else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        bytes.withUnsafeReadableBytes { raw in body(raw.bindMemory(to: UInt8.self)) }
    }
}
