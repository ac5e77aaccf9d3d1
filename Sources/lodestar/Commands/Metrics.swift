import ArgumentParser
import Foundation
import LodestarCore
import LodestarReport
import LodestarStore

extension MetricsGrouping: ExpressibleByArgument {}
extension DORABenchmarks: ExpressibleByArgument {}

struct Metrics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Deployment frequency, lead time, change failure rate and time to restore with DORA tiers; recovery time and rework rate.",
        discussion: """
            Days are YYYY-MM-DD or whole months YYYY-MM, both ends included. The period defaults to the last \
            \(MetricsQuery.defaultDays) days; the baseline to the same length just before it.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "First day or month of the period.")
    var from: String?

    @Option(name: .long, help: "Last day or month of the period (default: today).")
    var to: String?

    @Option(name: .long, help: "Split by service, team, environment or month.")
    var by: MetricsGrouping?

    @Option(name: .long, help: "DORA report edition whose tiers to use: 2021, 2022, 2023 or 2024.")
    var benchmarks: DORABenchmarks = .default

    @Option(name: .customLong("baseline-from"), help: "First day or month to compare against.")
    var baselineFrom: String?

    @Option(name: .customLong("baseline-to"), help: "Last day or month to compare against.")
    var baselineTo: String?

    @Flag(name: .customLong("no-baseline"), help: "Do not compare with a baseline.")
    var noBaseline = false

    @Option(name: .long, help: "table, json, csv or markdown.")
    var format: OutputFormat = .table

    @Flag(name: .long, help: "Also print the definitions, how many incidents were linked, and the webhook deliveries ignored (to stderr with json or csv).")
    var explain = false

    func run() async throws {
        let query = MetricsQuery(
            from: self.from, to: self.to, baselineFrom: self.baselineFrom, baselineTo: self.baselineTo,
            grouping: self.by, benchmarks: self.benchmarks, compare: !self.noBaseline, rework: try reworkRule()
        )
        let (columns, ignored) = try await self.database.withServices { services in
            (try await services.storage.pipeline.deliveryColumns(), self.explain ? try await services.storage.pipeline.ignoredWebhooks() : [])
        }
        let facts = DeliveryFacts(columns: columns, rework: query.rework)
        let report: MetricsReport
        let groups: [GroupExplanation]
        do {
            report = try query.report(facts: facts)
            groups = try query.explanations(facts: facts)
        } catch {
            throw ValidationError("--\(Self.optionName(error.field)): \(error.message)")
        }
        switch self.format {
        case .json: print(String(decoding: try JSONEncoder.stable.encode(report), as: UTF8.self))
        case .csv: print(report.csvTable().csv(), terminator: "")
        case .table, .markdown:
            print(self.format == .markdown ? "**\(report.heading)**\n" : report.heading + "\n")
            print(report.table().rendered(as: self.format), terminator: "")
        }
        if self.explain {
            let text = Self.explanation(facts: facts, groups: groups, ignored: ignored)
            if self.format == .json || self.format == .csv {
                FileHandle.standardError.write(Data((text + "\n").utf8))
            } else {
                print("\n" + text)
            }
        }
    }

    /// What the figures mean and what did not reach them: the definitions, per group what was left out of the
    /// period's figures, the incidents no deployment was found for, and the webhook deliveries answered "ignored".
    static func explanation(facts: DeliveryFacts, groups: [GroupExplanation], ignored: [IgnoredWebhooks]) -> String {
        var lines = ["How these are computed:"] + MetricDefinitions.all(rework: facts.rework).map { "- " + $0.plain }
        lines.append("")
        if groups.isEmpty {
            lines.append("In the period, every change committed was deployed, none was skipped as clock skew, and every incident was linked.")
        } else {
            lines.append("In the period, by group: changes committed and not deployed yet, shipped changes skipped as clock skew, incidents linked to no deployment:")
            for group in groups {
                let name = group.key.isEmpty ? "all" : group.key.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                let incidents = group.unlinkedIncidents
                let listed = incidents.isEmpty ? "none" : incidents.prefix(10).joined(separator: ", ") + (incidents.count > 10 ? " and \(incidents.count - 10) more" : "")
                lines.append("- \(name): \(group.undeployedChanges) not deployed, \(group.skippedClockSkew) clock skew, unlinked incidents: \(listed)")
            }
        }
        let incidents = facts.columns.incidents.count
        lines.append("Incidents linked to a deployment: \(facts.causes.count) of \(incidents) (all time); the others count for time to restore only.")
        let unlinked = facts.columns.incidents.indices.filter { facts.causes[$0] == nil }.map { facts.columns.incidents[$0].id }
        if !unlinked.isEmpty {
            lines.append("- not linked: " + unlinked.prefix(10).joined(separator: ", ") + (unlinked.count > 10 ? " and \(unlinked.count - 10) more" : ""))
        }
        let recovered = facts.recoveredBy.filter { $0 >= 0 }.count
        let failed = facts.failed.filter(\.self).count
        let rework = facts.reworkOf.filter { $0 >= 0 }.count
        lines.append(
            "Failed production deployments recovered: \(recovered) of \(failed); rework deployments (within \(facts.rework.hoursText) hours): "
                + "\(rework) (all time). `lodestar deployments` explains each."
        )
        let changes = facts.columns.changeService.count
        lines.append("Changes shipped by a production deployment: \(facts.shippedChange.count) of \(changes) (all time); the others are not deployed yet.")
        let others = facts.columns.graph.otherCount
        if others > 0 { lines.append("Commits known only from pushes' and merges' history (never listed as a change): \(others).") }
        if ignored.isEmpty {
            lines.append("Webhook deliveries ignored: none.")
        } else {
            let total = ignored.reduce(0) { $0 + $1.count }
            lines.append("Webhook deliveries ignored (answered 202, nothing stored): \(total).")
            for entry in ignored {
                lines.append("- \(entry.source) \(entry.kind): \(entry.count), last \(Timestamp.iso8601(entry.lastAt)): \(entry.lastReason)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `baselineFrom` → `baseline-from`.
    static func optionName(_ field: String) -> String {
        field.reduce(into: "") { name, character in
            if character.isUppercase { name += "-" + character.lowercased() } else { name.append(character) }
        }
    }
}
