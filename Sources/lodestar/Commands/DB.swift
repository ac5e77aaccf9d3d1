import ArgumentParser
import LodestarStore

struct DB: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Maintain the database file.",
        subcommands: [Migrate.self, Backup.self]
    )

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the database or bring its schema up to date.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            _ = try self.database.open()
            print("Database \(self.database.path) is up to date.")
        }
    }

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Copy the database with SQLite's online backup, safe while the server runs.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The new file to write.")
        var path: String

        func run() async throws {
            try self.database.open().backup(to: self.path)
            print("Backed up \(self.database.path) to \(self.path).")
        }
    }
}
