import GRDB
import GRDBSQLite

/// A prepared statement run through SQLite's C API, for the million-row paths.
///
/// GRDB's `execute(arguments:)` wraps every value in an existential `DatabaseValueConvertible` and builds a
/// `StatementArguments` array per row; on `lodestar ingest` that was a quarter of the writing thread's time. Here a
/// row's values are bound straight from Swift strings and doubles, then the statement is stepped and reset.
struct BulkStatement {
    private let statement: Statement
    private let connection: OpaquePointer?

    init(_ db: Database, sql: String) throws {
        self.statement = try db.cachedStatement(sql: sql)
        self.connection = db.sqliteConnection
    }

    /// Binds the row's values in order (`bind` calls the binder once per parameter) and runs the statement.
    func execute(_ bind: (inout Binder) -> Void) throws {
        let handle = self.statement.sqliteStatement
        var binder = Binder(handle: handle)
        bind(&binder)
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard code == SQLITE_DONE else {
            let message = self.connection.map { String(cString: sqlite3_errmsg($0)) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: self.statement.sql)
        }
    }

    /// Binds parameters 1, 2, 3… in the order of the calls. nil binds NULL.
    struct Binder {
        let handle: OpaquePointer
        private var index: Int32 = 1

        init(handle: OpaquePointer) {
            self.handle = handle
        }

        mutating func text(_ value: String?) {
            if var value {
                // SQLITE_TRANSIENT: SQLite copies the bytes, which live only for this call.
                value.withUTF8 { bytes in
                    _ = sqlite3_bind_text(self.handle, self.index, bytes.baseAddress, Int32(bytes.count), Self.transient)
                }
            } else {
                sqlite3_bind_null(self.handle, self.index)
            }
            self.index += 1
        }

        mutating func real(_ value: Double?) {
            if let value {
                sqlite3_bind_double(self.handle, self.index, value)
            } else {
                sqlite3_bind_null(self.handle, self.index)
            }
            self.index += 1
        }

        mutating func int(_ value: Int) {
            sqlite3_bind_int64(self.handle, self.index, Int64(value))
            self.index += 1
        }

        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    }
}
