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
        var (columns, parents, edges) = try await changes
        let rows = try await deployments
        Self.number(rows, into: &columns)
        let keys = columns.changeSHAs.prefixKeys()
        columns.graph = Self.graph(edges, in: columns, keys: keys)
        let found = columns
        async let parentNumbers = Self.findParents(parents, in: found, keys: keys)
        async let deploymentCommits = Self.findCommits(rows, in: found, keys: keys)
        columns.changeParent = await parentNumbers
        (columns.deploymentHead, columns.deploymentExtras, columns.deploymentNamedSHAs) = await deploymentCommits
        return columns
    }

    /// What pushes and merges stated, as read: `heads[k]` contains `contained[k]` in service `service[k]`.
    struct EdgeRows: Sendable {
        var service: [Int32] = []
        var heads = TextColumn()
        var contained = TextColumn()
    }

    /// Teams, incidents and changes, in primary-key order (by service, then by sha), with each change's parent sha;
    /// then the stated history.
    static func changes(_ db: Database) throws -> (DeliveryColumns, parents: TextColumn, edges: EdgeRows) {
        var columns = DeliveryColumns()
        columns.teams = try PipelineSQLiteRepository.teams(db)
        columns.incidents = try PipelineSQLiteRepository.incidents(db)
        var services = Numbering()
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
        var edges = EdgeRows()
        try Self.rows(db, sql: "SELECT service, head, contained FROM commitEdge ORDER BY service, head, contained") { row in
            edges.service.append(services.number(row.text(0)))
            edges.heads.append(row.text(1))
            edges.contained.append(row.text(2))
        }
        columns.services = services.names
        return (columns, parents, edges)
    }

    /// The stated history as a graph over the changes and the commits only history names.
    static func graph(_ edges: EdgeRows, in columns: DeliveryColumns, keys: [UInt64]) -> CommitGraph {
        var graph = CommitGraph()
        let ranges = columns.changeRanges()
        let changes = columns.changeService.count
        func node(_ text: TextColumn, _ index: Int, service: Int32) -> Int32 {
            let range = Int(service) < ranges.count ? ranges[Int(service)] : 0..<0
            let found = text.bytes.withUnsafeBytes { all in
                columns.changeSHAs.find(UnsafeRawBufferPointer(rebasing: all[text.start(index)..<text.ends[index]]), in: range, keys: keys)
            }
            return found.map(Int32.init) ?? graph.addOther(service: service, sha: text[index], changes: changes)
        }
        for index in 0..<edges.service.count {
            let service = edges.service[index]
            graph.add(node(edges.heads, index, service: service), contains: node(edges.contained, index, service: service))
        }
        graph.finish(changes: changes)
        return graph
    }

    /// The number of each change's parent in the same service, or -1.
    static func findParents(_ parents: TextColumn, in columns: DeliveryColumns, keys: [UInt64]) -> [Int32] {
        let ranges = columns.changeRanges()
        var numbers: [Int32] = []
        numbers.reserveCapacity(parents.count)
        parents.bytes.withUnsafeBytes { all in
            for change in 0..<parents.count {
                let start = change == 0 ? 0 : parents.ends[change - 1]
                let parent = UnsafeRawBufferPointer(rebasing: all[start..<parents.ends[change]])
                let service = columns.changeService[change]
                let found = parent.isEmpty ? nil : columns.changeSHAs.find(parent, in: ranges[Int(service)], keys: keys).map(Int32.init)
                numbers.append(found ?? Self.other(parent, service: service, in: columns.graph) ?? -1)
            }
        }
        return numbers
    }

    /// Deployments as stored, their services numbered on their own until `link` maps them.
    struct DeploymentRows: Sendable {
        var services: [String] = []
        var service: [Int32] = []
        var environments: [String] = []
        var environment: [Int32] = []
        var finished: [Double] = []
        var result: [DeploymentResult] = []
        var ids = TextColumn()
        var shas = TextColumn()
        var projects: [String] = []
        var project: [Int32] = []
    }

    /// `DeploymentEvent.counted` in SQL: whole-run deployments whose run a job's deployment also reported are left out.
    static let counted = """
        WHERE wholeRun = 0 OR NOT EXISTS (SELECT 1 FROM deployment job WHERE job.run = deployment.run AND job.wholeRun = 0)
        """

    static func deployments(_ db: Database) throws -> DeploymentRows {
        var rows = DeploymentRows()
        var services = Numbering()
        var environments = Numbering()
        var projects = Numbering()
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
            rows.result.append(Self.result(row.text(4)))
            rows.ids.append(row.text(5))
            rows.project.append(row.isNull(6) ? -1 : projects.number(row.text(6)))
        }
        rows.services = services.names
        rows.environments = environments.names
        rows.projects = projects.names
        return rows
    }

    /// Adds the deployments to `columns`, their services in its numbering; their commits come from `findCommits`.
    static func number(_ rows: DeploymentRows, into columns: inout DeliveryColumns) {
        var services = Numbering(names: columns.services)
        let serviceNumbers = rows.services.map { services.number(name: $0) }
        columns.services = services.names
        columns.environments = rows.environments
        columns.deploymentEnvironment = rows.environment
        columns.deploymentFinished = rows.finished
        columns.deploymentResult = rows.result
        columns.deploymentIDs = rows.ids
        columns.deploymentService = rows.service.map { serviceNumbers[Int($0)] }
        columns.projects = rows.projects
        columns.deploymentProject = rows.project
    }

    /// Each deployment's deployed commit (the first listed), its other listed commits that are known changes, and
    /// the listed commits incidents name.
    static func findCommits(
        _ rows: DeploymentRows, in columns: DeliveryColumns, keys: [UInt64]
    ) -> (heads: [Int32], extras: [Int32: [Int32]], named: [Int32: [String]]) {
        let ranges = columns.changeRanges()
        // Compared as integers: a String made from every listed sha cost more than finding the sha itself.
        let namedPrefixes = Set(DeliveryColumns.namedPrefixes(columns.incidents).map { DeliveryFacts.prefixKey($0.utf8) })
        var heads: [Int32] = []
        heads.reserveCapacity(rows.shas.count)
        var extras: [Int32: [Int32]] = [:]
        var named: [Int32: [String]] = [:]
        rows.shas.bytes.withUnsafeBytes { all in
            for deployment in 0..<rows.shas.count {
                let number = Int32(deployment)
                let service = Int(columns.deploymentService[deployment])
                let range = service < ranges.count ? ranges[service] : 0..<0
                let start = deployment == 0 ? 0 : rows.shas.ends[deployment - 1]
                var head: Int32 = -1
                var first = true
                for sha in UnsafeRawBufferPointer(rebasing: all[start..<rows.shas.ends[deployment]]).split(separator: UInt8(ascii: " ")) {
                    let found = columns.changeSHAs.find(UnsafeRawBufferPointer(rebasing: sha), in: range, keys: keys).map(Int32.init)
                        ?? Self.other(UnsafeRawBufferPointer(rebasing: sha), service: Int32(service), in: columns.graph)
                    if first { head = found ?? -1 } else if let found { extras[number, default: []].append(found) }
                    first = false
                    if !namedPrefixes.isEmpty, namedPrefixes.contains(DeliveryFacts.prefixKey(sha)) {
                        named[number, default: []].append(String(decoding: sha, as: UTF8.self))
                    }
                }
                heads.append(head)
            }
        }
        return (heads, extras, named)
    }

    /// A commit only history names, looked up when it is not a change (rare: most commits are changes).
    static func other(_ sha: UnsafeRawBufferPointer, service: Int32, in graph: CommitGraph) -> Int32? {
        guard graph.otherCount > 0, !sha.isEmpty else { return nil }
        return graph.other(service: service, sha: String(decoding: sha, as: UTF8.self))
    }

    /// Names numbered in order of first appearance; the last name read is remembered, since rows come in runs.
    struct Numbering {
        private(set) var names: [String] = []
        private var numbers: [String: Int32] = [:]
        private var last: [UInt8] = []
        private var lastNumber: Int32 = -1

        init(names: [String] = []) {
            for name in names { _ = self.number(name: name) }
        }

        mutating func number(name: String) -> Int32 {
            if let known = self.numbers[name] { return known }
            self.names.append(name)
            self.numbers[name] = Int32(self.names.count - 1)
            return Int32(self.names.count - 1)
        }

        mutating func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
            if self.lastNumber >= 0, bytes.count == self.last.count,
                bytes.isEmpty || self.last.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) }) == 0
            {
                return self.lastNumber
            }
            let number = self.number(name: String(decoding: bytes, as: UTF8.self))
            self.last = Array(bytes)
            self.lastNumber = number
            return number
        }
    }

    static func result(_ text: UnsafeBufferPointer<UInt8>) -> DeploymentResult {
        switch text.first {
        case UInt8(ascii: "s"): .success
        case UInt8(ascii: "r"): .rolledBack
        default: .failure
        }
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
