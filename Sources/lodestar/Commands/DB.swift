import ArgumentParser
import Foundation
import LodestarCore
import LodestarStore

struct DB: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Maintain the database: migrate, back up and restore (SQLite), copy between SQLite and PostgreSQL.",
        subcommands: [Migrate.self, Backup.self, Restore.self, Copy.self]
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

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy everything from one database to another: SQLite to PostgreSQL, or back for a file anyone can open.",
            discussion: """
                Responses, invitations, pipeline events, themes, epics, the audit log and settings are written in one \
                transaction on the target, and every table's count is checked against the source afterwards. A target that \
                holds anything is refused unless --force, which replaces what it holds. Stop the servers writing to the \
                source first: what arrives during the copy is not in it.
                """
        )

        @Option(name: .long, help: "The database to copy: a SQLite file or a postgres:// URL.")
        var from: String

        @Option(name: .long, help: "The database to write: a SQLite file (created if missing) or a postgres:// URL.")
        var to: String

        @Flag(help: "Replace what the target already holds.")
        var force = false

        func run() async throws {
            guard self.from != self.to else { throw ValidationError("--from and --to name the same database") }
            if !StorageOpener.isPostgres(self.from), !FileManager.default.fileExists(atPath: self.from) {
                throw CLIError("--from \(self.from): no such file")
            }
            let source = try await StorageOpener.open(self.from)
            do {
                let target = try await StorageOpener.open(self.to)
                do {
                    let copied = try await DatabaseCopy(from: source.copying, to: target.copying).run(replacing: self.force)
                    try await target.admin.recordAudit(
                        actor: Actor.cli, action: "db.copy", detail: "from \(StorageOpener.shown(self.from))" + (self.force ? " (replaced)" : "")
                    )
                    await target.close()
                    let total = copied.map(\.rows).reduce(0, +)
                    print("Copied \(total) rows from \(StorageOpener.shown(self.from)) to \(StorageOpener.shown(self.to)); every table's count checked:")
                    for (table, rows) in copied { print("  \(table): \(rows)") }
                } catch {
                    await target.close()
                    throw error
                }
            } catch let error as DatabaseCopyError {
                await source.close()
                throw CLIError(error.description)
            } catch {
                await source.close()
                throw error
            }
            await source.close()
        }
    }
}
