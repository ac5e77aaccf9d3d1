import Foundation
import LodestarCore
import PostgresNIO

/// `db copy` on PostgreSQL: the tables read in one snapshot, written in one transaction, many rows a statement.
struct PostgresCopying: DatabaseCopying {
    let database: PostgresDatabase

    /// Rows written per INSERT; PostgreSQL takes at most 65,535 parameters a statement.
    static func rowsPerStatement(columns: Int) -> Int { max(1, 60_000 / columns) }

    /// Tables whose `id` PostgreSQL numbers itself: its sequence moves past the copied ids afterwards.
    static let numbered = ["surveyRound", "response", "auditLog", "theme", "epic"]

    func exportTables() async throws -> [CopyTable] {
        let logger = self.database.logger
        return try await self.database.withTransaction { connection in
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            var tables: [CopyTable] = []
            for table in CopyTable.schema {
                let names = table.columns.map { Self.selected($0.name, kind: $0.kind) }.joined(separator: ", ")
                var rows: [[CopyValue]] = []
                for try await row in try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(names) FROM \(table.name)"), logger: logger) {
                    var values: [CopyValue] = []
                    for (cell, column) in zip(row, table.columns) { values.append(try Self.value(cell, kind: column.kind)) }
                    rows.append(values)
                }
                tables.append(CopyTable(name: table.name, columns: table.columns, rows: rows))
            }
            return tables
        }
    }

    func importTables(_ tables: [CopyTable], replacing: Bool) async throws {
        let logger = self.database.logger
        try await self.database.withTransaction { connection in
            if replacing {
                for table in CopyTable.schema.reversed() {
                    try await connection.query(PostgresQuery(unsafeSQL: "DELETE FROM \(table.name)"), logger: logger)
                }
            } else {
                let counts = try await Self.counts(connection, logger: logger)
                if let full = CopyTable.schema.first(where: { (counts[$0.name] ?? 0) > 0 }) {
                    throw DatabaseCopyError.notEmpty(table: full.name, rows: counts[full.name] ?? 0)
                }
            }
            for table in tables {
                try await Self.insert(table, connection, logger: logger)
            }
            for name in Self.numbered {
                try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT setval(pg_get_serial_sequence('\(name.lowercased())', 'id'), coalesce(max(id), 0) + 1, false) FROM \(name)"),
                    logger: logger
                )
            }
        }
    }

    func tableCounts() async throws -> [String: Int] {
        let logger = self.database.logger
        return try await self.database.withConnection { connection in try await Self.counts(connection, logger: logger) }
    }

    static func counts(_ connection: PostgresConnection, logger: Logger) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in CopyTable.schema {
            counts[table.name] = try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table.name)"), logger: logger)
                .collect().first?.decode(Int.self) ?? 0
        }
        return counts
    }

    /// One table's rows, many a statement; an epic's links to other epics once every epic is in.
    static func insert(_ table: CopyTable, _ connection: PostgresConnection, logger: Logger) async throws {
        let later = CopyTable.laterLinks[table.name] ?? []
        let names = table.columns.map(\.name).joined(separator: ", ")
        let batch = Self.rowsPerStatement(columns: table.columns.count)
        for start in stride(from: 0, to: table.rows.count, by: batch) {
            var query = PostgresQuery(unsafeSQL: "INSERT INTO \(table.name) (\(names)) VALUES ")
            var tuples: [String] = []
            for row in table.rows[start..<min(start + batch, table.rows.count)] {
                var marks: [String] = []
                for (column, value) in zip(table.columns, row) {
                    Self.bind(later.contains(column.name) ? .null : value, into: &query.binds)
                    marks.append("$\(query.binds.count)" + Self.cast(column.kind))
                }
                tuples.append("(" + marks.joined(separator: ", ") + ")")
            }
            query.sql += tuples.joined(separator: ", ")
            try await connection.query(query, logger: logger)
        }
        guard !later.isEmpty, let key = table.columns.firstIndex(where: { $0.name == "id" }) else { return }
        for column in later {
            let index = table.columns.firstIndex { $0.name == column }!
            for row in table.rows where row[index] != .null {
                var query = PostgresQuery(unsafeSQL: "UPDATE \(table.name) SET \(column) = $1 WHERE id = $2")
                Self.bind(row[index], into: &query.binds)
                Self.bind(row[key], into: &query.binds)
                try await connection.query(query, logger: logger)
            }
        }
    }

    /// How a column is read: JSON as its text, everything else as it is.
    static func selected(_ name: String, kind: CopyColumnKind) -> String {
        kind == .json ? "\(name)::text" : name
    }

    /// The cast a parameter needs to land in its column's type.
    static func cast(_ kind: CopyColumnKind) -> String {
        switch kind {
        case .integer: "::bigint"
        case .real: "::float8"
        case .text: "::text"
        case .boolean: "::boolean"
        case .json: "::jsonb"
        case .time: "::timestamptz"
        }
    }

    static func value(_ cell: PostgresCell, kind: CopyColumnKind) throws -> CopyValue {
        switch kind {
        case .integer: try cell.decode(Int64?.self).map(CopyValue.integer) ?? .null
        case .real: try cell.decode(Double?.self).map(CopyValue.real) ?? .null
        case .text, .json: try cell.decode(String?.self).map(CopyValue.text) ?? .null
        case .boolean: try cell.decode(Bool?.self).map(CopyValue.boolean) ?? .null
        case .time: try cell.decode(Date?.self).map(CopyValue.time) ?? .null
        }
    }

    static func bind(_ value: CopyValue, into binds: inout PostgresBindings) {
        switch value {
        case .null: binds.appendNull()
        case .integer(let number): binds.append(number)
        case .real(let number): binds.append(number)
        case .text(let text): binds.append(text)
        case .boolean(let flag): binds.append(flag)
        case .time(let date): binds.append(date)
        }
    }
}
