import Foundation
import GRDB
import GRDBSQLite
import LodestarCore

/// Reads the pipeline tables into `DeliveryColumns` through SQLite's C API.
///
/// A million events as Swift values (a String per sha, id and service, a Date per time) took longer to load than
/// the metrics took to compute. Here texts go straight from SQLite's buffers into `TextColumn`s, services and
/// environments become numbers as they are read, and commits are found by binary search among their service's
/// shas, which the primary key already keeps in order.
enum DeliveryColumnsLoader {
    /// Reads changes and deployments on two connections at once, then finds commits' parents and deployments'
    /// commits at once too: on two cores that halves the load.
    /// The two reads are separate transactions: an event stored between them is either seen whole or not at all,
    /// except that a deployment may arrive without the commits it shipped, which then count from the next metrics.
    static func load(_ reader: any DatabaseReader) async throws -> DeliveryColumns {
        async let changes = reader.read { db in try Self.changes(db) }
        async let deployments = reader.read { db in try Self.deployments(db) }
        let (columns, parents, edges) = try await changes
        return await DeliveryColumnsAssembly.assemble(columns, parents: parents, edges: edges, deployments: try await deployments)
    }

    /// Teams, incidents and changes, in primary-key order (by service, then by sha), with each change's parent sha;
    /// then the stated history.
    static func changes(_ db: Database) throws -> (DeliveryColumns, parents: TextColumn, edges: DeliveryColumnsAssembly.EdgeRows) {
        var columns = DeliveryColumns()
        columns.teams = try PipelineSQLiteRepository.teams(db)
        columns.incidents = try PipelineSQLiteRepository.incidents(db)
        var services = DeliveryColumnsAssembly.Numbering()
        // Room for every row first: growing the columns a row at a time copied them over and over.
        let changes = try Int.fetchOne(db, sql: "SELECT count(*) FROM change") ?? 0
        var parents = TextColumn()
        parents.reserveCapacity(texts: changes, bytes: changes * 40)
        columns.changeSHAs.reserveCapacity(texts: changes, bytes: changes * 40)
        columns.changeService.reserveCapacity(changes)
        columns.changeCommitted.reserveCapacity(changes)
        columns.changeStart.reserveCapacity(changes)
        try Self.rows(db, sql: "SELECT service, sha, authoredAt, committedAt, parent FROM change ORDER BY service, sha") { row in
            columns.changeService.append(services.number(row.text(0)))
            columns.changeSHAs.append(row.text(1))
            let committed = row.double(3)
            columns.changeCommitted.append(committed)
            columns.changeStart.append(row.isNull(2) ? committed : min(row.double(2), committed))
            parents.append(row.text(4))
        }
        var edges = DeliveryColumnsAssembly.EdgeRows()
        try Self.rows(db, sql: "SELECT service, head, contained FROM commitEdge ORDER BY service, head, contained") { row in
            edges.service.append(services.number(row.text(0)))
            edges.heads.append(row.text(1))
            edges.contained.append(row.text(2))
        }
        columns.services = services.names
        return (columns, parents, edges)
    }

    /// `DeploymentEvent.counted` in SQL: whole-run deployments whose run a job's deployment also reported are left out.
    static let counted = """
        WHERE wholeRun = 0 OR NOT EXISTS (SELECT 1 FROM deployment job WHERE job.run = deployment.run AND job.wholeRun = 0)
        """

    static func deployments(_ db: Database) throws -> DeliveryColumnsAssembly.DeploymentRows {
        var rows = DeliveryColumnsAssembly.DeploymentRows()
        var services = DeliveryColumnsAssembly.Numbering()
        var environments = DeliveryColumnsAssembly.Numbering()
        var projects = DeliveryColumnsAssembly.Numbering()
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM deployment") ?? 0
        rows.ids.reserveCapacity(texts: count, bytes: count * 24)
        rows.shas.reserveCapacity(texts: count, bytes: count * 41)
        rows.service.reserveCapacity(count)
        rows.environment.reserveCapacity(count)
        rows.finished.reserveCapacity(count)
        rows.result.reserveCapacity(count)
        rows.project.reserveCapacity(count)
        try Self.rows(db, sql: "SELECT service, environment, shas, finishedAt, result, id, project FROM deployment \(Self.counted)") { row in
            rows.service.append(services.number(row.text(0)))
            rows.environment.append(environments.number(row.text(1)))
            rows.shas.append(row.text(2))
            rows.finished.append(row.double(3))
            rows.result.append(DeliveryColumnsAssembly.result(row.text(4)))
            rows.ids.append(row.text(5))
            rows.project.append(row.isNull(6) ? -1 : projects.number(row.text(6)))
        }
        rows.services = services.names
        rows.environments = environments.names
        rows.projects = projects.names
        return rows
    }

    /// A row being read: column values borrowed from SQLite until the next step.
    struct Row {
        let handle: OpaquePointer

        func text(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
            guard let bytes = sqlite3_column_text(self.handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
            return UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(self.handle, column)))
        }

        func double(_ column: Int32) -> Double { sqlite3_column_double(self.handle, column) }

        func isNull(_ column: Int32) -> Bool { sqlite3_column_type(self.handle, column) == SQLITE_NULL }
    }

    /// Steps through a query's rows with SQLite's C API.
    static func rows(_ db: Database, sql: String, _ body: (Row) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }, sql: sql)
            }
            try body(Row(handle: handle))
        }
    }
}
