import Foundation

/// One value of a copied row, typed as both backends can take it.
public enum CopyValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case boolean(Bool)
    case time(Date)
}

/// A column's kind, which decides how each backend reads and writes it (SQLite keeps booleans as 0/1 and times as
/// text; PostgreSQL has boolean, jsonb and timestamptz).
public enum CopyColumnKind: Sendable {
    case integer
    case real
    case text
    case boolean
    case json
    case time
}

/// A table's rows, in the columns `CopyTable.schema` names.
public struct CopyTable: Sendable {
    public var name: String
    public var columns: [(name: String, kind: CopyColumnKind)]
    public var rows: [[CopyValue]]

    public init(name: String, columns: [(name: String, kind: CopyColumnKind)], rows: [[CopyValue]]) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }

    /// Every table Lodestar keeps, parents before children, with its columns: what `db copy` moves. The schema
    /// versions are not copied: each backend's own migrations keep them.
    public static let schema: [(name: String, columns: [(name: String, kind: CopyColumnKind)])] = [
        ("surveyRound", [
            ("id", .integer), ("month", .text), ("surveyId", .text), ("definition", .json), ("mode", .text), ("status", .text),
            ("openedAt", .time), ("closedAt", .time),
        ]),
        ("invite", [("tokenHash", .text), ("roundId", .integer), ("team", .text), ("used", .boolean)]),
        ("response", [("id", .integer), ("roundId", .integer), ("team", .text), ("submittedOn", .text)]),
        ("answer", [("responseId", .integer), ("questionId", .text), ("text", .text), ("value", .integer)]),
        ("auditLog", [("id", .integer), ("at", .time), ("actor", .text), ("action", .text), ("detail", .text)]),
        ("setting", [("key", .text), ("value", .text)]),
        ("change", [
            ("service", .text), ("sha", .text), ("authoredAt", .real), ("committedAt", .real), ("prMergedAt", .real), ("parent", .text),
            ("flag", .text),
        ]),
        ("deployment", [
            ("id", .text), ("service", .text), ("environment", .text), ("shas", .text), ("startedAt", .real), ("finishedAt", .real),
            ("result", .text), ("flag", .text), ("project", .text), ("run", .text), ("wholeRun", .boolean),
        ]),
        ("incident", [
            ("id", .text), ("service", .text), ("title", .text), ("openedAt", .real), ("resolvedAt", .real), ("rootCauseSha", .text),
        ]),
        ("serviceTeam", [("service", .text), ("team", .text)]),
        ("webhookDelivery", [("id", .text), ("receivedAt", .real)]),
        ("webhookIgnored", [("source", .text), ("kind", .text), ("count", .integer), ("lastReason", .text), ("lastAt", .real)]),
        ("commitEdge", [("service", .text), ("head", .text), ("contained", .text)]),
        ("theme", [
            ("id", .integer), ("month", .text), ("kind", .text), ("identity", .integer), ("label", .text), ("keywords", .json),
            ("respondents", .integer), ("mentions", .integer), ("score", .real), ("breakdown", .json),
        ]),
        ("themeAnswer", [("themeId", .integer), ("responseId", .integer), ("questionId", .text), ("position", .integer)]),
        // An epic names other epics (the one it continues, the one it was merged into): a copy writes those two
        // links after every epic is in.
        ("epic", [
            ("id", .integer), ("month", .text), ("rank", .integer), ("themeId", .integer), ("title", .text), ("status", .text),
            ("owner", .text), ("note", .text), ("previousId", .integer), ("mergedInto", .integer), ("curated", .boolean),
            ("statusChangedAt", .time), ("target", .text),
        ]),
    ]

    /// The columns of an epic that name another epic, set after all epics are written.
    public static let laterLinks: [String: [String]] = ["epic": ["previousId", "mergedInto"]]
}

/// Reading and writing a whole database, for `lodestar db copy`.
public protocol DatabaseCopying: Sendable {
    /// Every table of `CopyTable.schema`, in that order, read in one snapshot.
    func exportTables() async throws -> [CopyTable]
    /// Writes the tables in one transaction: with `replacing`, what the database held is deleted first; without, a
    /// database holding any row is refused (`DatabaseCopyError.notEmpty`) and nothing changes.
    func importTables(_ tables: [CopyTable], replacing: Bool) async throws
    /// Rows per table of `CopyTable.schema`.
    func tableCounts() async throws -> [String: Int]
}

/// Why a copy did not happen or did not check out.
public enum DatabaseCopyError: Error, Equatable, CustomStringConvertible {
    case notEmpty(table: String, rows: Int)
    case countsDiffer(table: String, source: Int, target: Int)

    public var description: String {
        switch self {
        case .notEmpty(let table, let rows):
            "the target database is not empty (\(table) holds \(rows) rows); add --force to replace what it holds"
        case .countsDiffer(let table, let source, let target):
            "after the copy, \(table) holds \(target) rows where the source holds \(source)"
        }
    }
}

/// `lodestar db copy`: moves everything from one backend to the other (either way) in one transaction on the
/// target, then checks every table's count against the source.
public struct DatabaseCopy: Sendable {
    public let source: any DatabaseCopying
    public let target: any DatabaseCopying

    public init(from source: any DatabaseCopying, to target: any DatabaseCopying) {
        self.source = source
        self.target = target
    }

    /// - Returns: rows copied per table, in `CopyTable.schema` order.
    public func run(replacing: Bool) async throws -> [(table: String, rows: Int)] {
        let tables = try await self.source.exportTables()
        try await self.target.importTables(tables, replacing: replacing)
        let copied = try await self.target.tableCounts()
        for table in tables where copied[table.name] != table.rows.count {
            throw DatabaseCopyError.countsDiffer(table: table.name, source: table.rows.count, target: copied[table.name] ?? 0)
        }
        return tables.map { ($0.name, $0.rows.count) }
    }
}
