import ArgumentParser
import Foundation
import LodestarCore
import LodestarReport

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Read the audit log of admin actions.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every admin action (rounds opened and closed, invitations, imports, epic changes, reports published), newest first."
        )

        @OptionGroup var database: DatabaseOptions

        @Option(name: .long, help: "Only this action (epic.update), or actions starting with it when it ends in a dot (epic.).")
        var action: String?

        @Option(name: .long, help: "Only actions made in this month, YYYY-MM (UTC).")
        var month: String?

        @Option(name: .long, help: "table, json, csv or markdown.")
        var format: OutputFormat = .table

        func validate() throws {
            if let month { _ = try MonthOption.parse(month) }
        }

        func run() async throws {
            let query = AuditQuery(action: self.action, month: try self.month.map(MonthOption.parse))
            let entries = query.filter(try await self.database.withServices { services in try await services.storage.admin.auditLog() })
            if self.format == .json {
                print(String(decoding: try JSONEncoder.stable.encode(entries), as: UTF8.self))
                return
            }
            let rows = entries.map { [Timestamp.iso8601($0.at), $0.actor, $0.action, $0.detail] }
            print(TextTable(columns: ["at", "actor", "action", "detail"], rows: rows).rendered(as: self.format), terminator: "")
        }
    }
}
