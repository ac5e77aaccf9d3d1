import Foundation
import PostgresNIO
import _ConnectionPoolModule

/// Why the PostgreSQL store could not do what was asked. Each description is one line naming the problem and the
/// server, never the password, so the CLI can print it as it is and the server can log it.
public enum PostgresStoreError: Error, Equatable, CustomStringConvertible {
    /// The `--db` URL is not one Lodestar can use.
    case badURL(reason: String)
    /// No server answered at the address (refused, timed out, unknown host).
    case unreachable(host: String, reason: String)
    /// The server refused the user name or password.
    case loginFailed(host: String, user: String)
    /// The server has no database of that name.
    case noSuchDatabase(host: String, database: String)
    /// The database holds tables, but not Lodestar's.
    case notLodestar(host: String, database: String, tables: [String])
    /// The database was migrated by a newer Lodestar than this one.
    case schemaTooNew(host: String, database: String, found: Int, supported: Int)
    /// The connection was lost during a request, or no connection could be had: the server answers 503.
    case unavailable(host: String, reason: String)
    /// The server refused a statement (a constraint, a permission).
    case refused(host: String, reason: String)
    /// A stored row cannot be read back (edited by hand, or written by something else).
    case corrupt(reason: String)

    public var description: String {
        switch self {
        case .badURL(let reason):
            "not a usable PostgreSQL URL: \(reason)"
        case .unreachable(let host, let reason):
            "cannot reach PostgreSQL at \(host): \(reason)"
        case .loginFailed(let host, let user):
            "PostgreSQL at \(host) refused the login of user '\(user)': check the user name and password"
        case .noSuchDatabase(let host, let database):
            "PostgreSQL at \(host) has no database '\(database)': create it first (createdb \(database))"
        case .notLodestar(let host, let database, let tables):
            "database '\(database)' at \(host) is not Lodestar's: it holds other tables (\(tables.prefix(5).joined(separator: ", "))); give Lodestar an empty database"
        case .schemaTooNew(let host, let database, let found, let supported):
            "database '\(database)' at \(host) has schema version \(found), newer than this lodestar's version \(supported): upgrade lodestar"
        case .unavailable(let host, let reason):
            "PostgreSQL at \(host) is unavailable: \(reason)"
        case .refused(let host, let reason):
            "PostgreSQL at \(host) refused the statement: \(reason)"
        case .corrupt(let reason):
            "the database holds a row Lodestar cannot read: \(reason)"
        }
    }
}

/// SQLSTATE codes Lodestar tells apart.
enum SQLState {
    static let invalidPassword = "28P01"
    static let invalidAuthorization = "28000"
    static let invalidCatalogName = "3D000"
    static let uniqueViolation = "23505"
    static let adminShutdown = "57P01"
    static let crashShutdown = "57P02"
    static let cannotConnectNow = "57P03"
}

extension PostgresStoreError {
    /// Translates what postgres-nio threw during a request into this layer's error. Errors of other layers (a
    /// `SurveyError` thrown inside a transaction) come back out unchanged.
    static func translating(_ error: any Error, host: String) -> any Error {
        if let transaction = error as? PostgresTransactionError {
            if let inner = transaction.closureError { return Self.translating(inner, host: host) }
            if let inner = transaction.beginError ?? transaction.commitError { return Self.translating(inner, host: host) }
            return PostgresStoreError.unavailable(host: host, reason: "the transaction failed")
        }
        if let pool = error as? ConnectionPoolError {
            if pool == .connectionCreationCircuitBreakerTripped {
                return PostgresStoreError.unavailable(host: host, reason: "no connection could be made")
            }
            if pool == .poolShutdown { return PostgresStoreError.unavailable(host: host, reason: "the store is closed") }
            return error
        }
        guard let psql = error as? PSQLError else { return error }
        switch psql.code {
        case .server:
            let state = psql.serverInfo?[.sqlState] ?? ""
            let message = psql.serverInfo?[.message] ?? "error \(state)"
            if [SQLState.adminShutdown, SQLState.crashShutdown, SQLState.cannotConnectNow].contains(state) {
                return PostgresStoreError.unavailable(host: host, reason: message)
            }
            return PostgresStoreError.refused(host: host, reason: "\(message) (\(state))")
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return PostgresStoreError.unavailable(host: host, reason: "the connection was lost (\(psql.code))")
        default:
            return PostgresStoreError.unavailable(host: host, reason: "\(psql.code)")
        }
    }

    /// The SQLSTATE of a server error, if it is one.
    static func sqlState(of error: any Error) -> String? {
        if let transaction = error as? PostgresTransactionError {
            return transaction.closureError.flatMap(Self.sqlState(of:))
        }
        guard let psql = error as? PSQLError, psql.code == .server else { return nil }
        return psql.serverInfo?[.sqlState]
    }
}
