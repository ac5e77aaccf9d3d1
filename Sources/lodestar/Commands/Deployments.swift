import ArgumentParser
import Foundation
import LodestarCore
import LodestarReport
import LodestarStore

/// `lodestar deployments`: the figures of `metrics` explained deployment by deployment.
struct Deployments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Each production deployment: the changes it shipped with their lead times, why it failed, what recovered it, and rework.",
        discussion: """
            Days are YYYY-MM-DD or whole months YYYY-MM, both ends included; the period defaults to the last \
            \(MetricsQuery.defaultDays) days. A deployment is rework when it recovered a failed one within \
            $\(ReworkRule.environmentVariable) hours (default \(Int(ReworkRule.defaultHours))).
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Only this service's deployments.")
    var service: String?

    @Option(name: .long, help: "First day or month of the period.")
    var from: String?

    @Option(name: .long, help: "Last day or month of the period (default: today).")
    var to: String?

    @Option(name: .long, help: "table, json, csv or markdown.")
    var format: OutputFormat = .table

    var query: DeploymentsQuery {
        get throws { DeploymentsQuery(service: self.service, from: self.from, to: self.to, rework: try reworkRule()) }
    }

    func validate() throws {
        // The options are checked against an empty history before the database is opened.
        try Self.listing(try self.query, columns: DeliveryColumns())
    }

    func run() async throws {
        let columns = try await self.database.withServices { services in try await services.storage.pipeline.deliveryColumns() }
        print(try Self.listing(try self.query, columns: columns).rendered(as: self.format), terminator: "")
    }

    @discardableResult
    static func listing(_ query: DeploymentsQuery, columns: DeliveryColumns) throws -> DeploymentListing {
        do {
            return try query.listing(columns: columns)
        } catch {
            throw ValidationError("--\(Metrics.optionName(error.field)): \(error.message)")
        }
    }
}
