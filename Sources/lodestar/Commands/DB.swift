import ArgumentParser
import LodestarStore

struct DB: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Maintain the database file.",
        subcommands: [Migrate.self, Backup.self, Restore.self]
    )

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the database or bring its schema up to date.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await self.database.withServices { _ in }
            print("Database \(self.database.shown) is up to date.")
        }
    }

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Copy the database with SQLite's online backup, safe while the server runs.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The new file to write.")
        var path: String

        func run() async throws {
            try self.database.sqlite(for: "db backup").database.backup(to: self.path)
            print("Backed up \(self.database.location) to \(self.path).")
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the database's contents with a backup, checked first; safe while the server runs.",
            discussion: """
                The backup must pass SQLite's integrity check, be a Lodestar database and not come from a newer version; \
                an older one is brought up to date. A database that already holds responses or events is only replaced \
                with --force.
                """
        )

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The backup file to restore from.")
        var path: String

        @Flag(help: "Replace a database that already holds responses or pipeline events.")
        var force = false

        func run() async throws {
            let database = try self.database.sqlite(for: "db restore").database
            let held = try database.counts()
            if !self.force, held.responses + held.events > 0 {
                throw CLIError("\(self.database.location) holds \(held.responses) responses and \(held.events) pipeline events; add --force to replace them with \(self.path)")
            }
            let summary = try database.restore(from: self.path, actor: Actor.cli)
            print("Restored \(self.database.location) from \(self.path): \(summary.responses) responses, \(summary.events) pipeline events.")
        }
    }
}
