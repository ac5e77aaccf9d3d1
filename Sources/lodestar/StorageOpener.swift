import Foundation
import LodestarCore
import LodestarPostgres
import LodestarStore
import Logging

/// The one place that turns `--db` into a backend: a `postgres://` or `postgresql://` URL opens PostgreSQL, anything
/// else is a SQLite file path.
enum StorageOpener {
    static func isPostgres(_ location: String) -> Bool {
        let lowered = location.lowercased()
        return lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://")
    }

    /// Opens the backend. A command reports its failures as errors of its own, so the pool's log says only errors;
    /// the server logs at its level.
    static func open(_ location: String, logger: Logger? = nil) async throws -> any Storage {
        guard Self.isPostgres(location) else { return try SQLiteStorage.open(path: location) }
        do {
            return try await PostgresStorage.connect(url: location, logger: logger ?? Self.commandLogger)
        } catch let error as PostgresStoreError {
            throw CLIError(error.description)
        }
    }

    /// The location as it may be printed: a URL's password is left out.
    static func shown(_ location: String) -> String {
        guard Self.isPostgres(location), var parts = URLComponents(string: location), parts.password != nil else { return location }
        parts.password = "***"
        return parts.string ?? "the PostgreSQL database"
    }

    static var commandLogger: Logger {
        var logger = Logger(label: "lodestar.postgres")
        logger.logLevel = .error
        return logger
    }

    /// What to use instead of a SQLite-only command on PostgreSQL.
    static func postgresAlternative(_ what: String) -> String {
        "on PostgreSQL use pg_dump and pg_restore, or `lodestar db copy` to move the data between backends"
    }
}
