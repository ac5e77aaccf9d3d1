import ArgumentParser
import Foundation
import LodestarCore
import LodestarReport
import LodestarStore

/// `--db PATH|URL`, shared by every command that touches data: a SQLite file, or a PostgreSQL server as
/// `postgres://user:password@host:5432/name`.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "SQLite database file, or postgres://user:password@host:5432/name (default: $LODESTAR_DB or ./lodestar.sqlite)."
    )
    var db: String?

    /// What `--db` (or `LODESTAR_DB`) names, as given.
    var location: String {
        self.db ?? ProcessInfo.processInfo.environment["LODESTAR_DB"]?.nilIfEmpty ?? "./lodestar.sqlite"
    }

    /// The location as it may be printed: a URL's password is left out.
    var shown: String {
        StorageOpener.shown(self.location)
    }

    /// Whether the location is a PostgreSQL URL rather than a file.
    var isPostgres: Bool {
        StorageOpener.isPostgres(self.location)
    }

    /// Opens the backend, runs `body` with the services over it, and closes it, whatever `body` does.
    func withServices<T>(_ body: (Services) async throws -> T) async throws -> T {
        let storage = try await StorageOpener.open(self.location)
        do {
            let result = try await body(Services(storage: storage))
            await storage.close()
            return result
        } catch {
            await storage.close()
            throw error
        }
    }

    /// The SQLite database itself, for what only SQLite does (its online backup and restore, the bulk importer);
    /// a clear error naming `what` on PostgreSQL.
    func sqlite(for what: String) throws -> SQLiteStorage {
        guard !self.isPostgres else { throw CLIError("\(what) works on a SQLite database only; \(StorageOpener.postgresAlternative(what))") }
        return try SQLiteStorage.open(path: self.location)
    }
}

/// `--month YYYY-MM`, defaulting to the current month.
struct MonthOption: ParsableArguments {
    @Option(name: .long, help: "Month as YYYY-MM (default: the current month).")
    var month: String?

    func validate() throws {
        if let month { _ = try Self.parse(month) }
    }

    var value: Month {
        get throws { try self.month.map(Self.parse) ?? Month(containing: Date()) }
    }

    /// A `--month` value, or a validation error naming the option.
    static func parse(_ text: String) throws -> Month {
        do {
            return try Month(parsing: text)
        } catch {
            throw ValidationError("--month: \(error.description)")
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}

/// Who an admin action is recorded as in the audit log.
enum Actor {
    static var cli: String {
        "cli:" + (ProcessInfo.processInfo.environment["USER"]?.nilIfEmpty ?? "unknown")
    }
}

/// An error the CLI prints as one line and exits non-zero for.
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// The rework rule from `LODESTAR_REWORK_HOURS`, as a CLI error when the setting cannot be read.
func reworkRule() throws -> ReworkRule {
    do {
        return try ReworkRule(environment: ProcessInfo.processInfo.environment)
    } catch {
        throw CLIError(error.description)
    }
}
