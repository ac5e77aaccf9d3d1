import Foundation
import GRDB
import LodestarCore

/// `db copy` on SQLite: the tables read in one snapshot, written in one transaction.
struct SQLiteCopying: DatabaseCopying {
    let database: AppDatabase

    func exportTables() async throws -> [CopyTable] {
        try await self.database.writer.read { db in
            try CopyTable.schema.map { table in
                let names = table.columns.map(\.name).joined(separator: ", ")
                let rows = try Row.fetchAll(db, sql: "SELECT \(names) FROM \(table.name)").map { row in
                    table.columns.enumerated().map { index, column in Self.value(row[index], kind: column.kind) }
                }
                return CopyTable(name: table.name, columns: table.columns, rows: rows)
            }
        }
    }

    func importTables(_ tables: [CopyTable], replacing: Bool) async throws {
        try await self.database.writer.write { db in
            if replacing {
                for table in CopyTable.schema.reversed() { try db.execute(sql: "DELETE FROM \(table.name)") }
            } else {
                for table in CopyTable.schema {
                    let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.name)") ?? 0
                    if rows > 0 { throw DatabaseCopyError.notEmpty(table: table.name, rows: rows) }
                }
            }
            for table in tables {
                let later = CopyTable.laterLinks[table.name] ?? []
                let marks = table.columns.map { _ in "?" }.joined(separator: ", ")
                let insert = try db.makeStatement(
                    sql: "INSERT INTO \(table.name) (\(table.columns.map(\.name).joined(separator: ", "))) VALUES (\(marks))"
                )
                for row in table.rows {
                    let values = zip(table.columns, row).map { column, value in later.contains(column.name) ? .null : Self.databaseValue(value) }
                    try insert.execute(arguments: StatementArguments(values))
                }
                guard !later.isEmpty, let key = table.columns.firstIndex(where: { $0.name == "id" }) else { continue }
                for column in later {
                    let index = table.columns.firstIndex { $0.name == column }!
                    let update = try db.makeStatement(sql: "UPDATE \(table.name) SET \(column) = ? WHERE id = ?")
                    for row in table.rows where row[index] != .null {
                        try update.execute(arguments: [Self.databaseValue(row[index]), Self.databaseValue(row[key])])
                    }
                }
            }
        }
        self.database.rounds.clear()
    }

    func tableCounts() async throws -> [String: Int] {
        try await self.database.writer.read { db in
            var counts: [String: Int] = [:]
            for table in CopyTable.schema { counts[table.name] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.name)") ?? 0 }
            return counts
        }
    }

    static func value(_ value: DatabaseValue, kind: CopyColumnKind) -> CopyValue {
        if value.isNull { return .null }
        switch kind {
        case .integer: return Int64.fromDatabaseValue(value).map(CopyValue.integer) ?? .null
        case .real: return Double.fromDatabaseValue(value).map(CopyValue.real) ?? .null
        case .text, .json: return String.fromDatabaseValue(value).map(CopyValue.text) ?? .null
        case .boolean: return Bool.fromDatabaseValue(value).map(CopyValue.boolean) ?? .null
        case .time: return Date.fromDatabaseValue(value).map(CopyValue.time) ?? .null
        }
    }

    static func databaseValue(_ value: CopyValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .integer(let number): number.databaseValue
        case .real(let number): number.databaseValue
        case .text(let text): text.databaseValue
        case .boolean(let flag): flag.databaseValue
        case .time(let date): date.databaseValue
        }
    }
}
