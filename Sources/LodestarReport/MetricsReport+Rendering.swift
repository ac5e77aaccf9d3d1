import Foundation
import LodestarCore

extension MetricsReport {
    /// The report as rows: one per group, each metric with its change against the baseline in brackets.
    public func table() -> TextTable {
        let keyNames = Array(Set(self.groups.flatMap(\.key.keys))).sorted()
        let columns = (keyNames.isEmpty ? ["group"] : keyNames) + [
            "deployments", "per week", "frequency", "lead time h (p50/p90)", "lead", "failed", "failure rate", "cfr",
            "incidents", "restore h (p50/p90)", "restore", "recovery h", "rework", "clock skew",
        ]
        let rows = self.groups.map { group -> [String] in
            let change = group.changeAgainstBaseline ?? [:]
            func with(_ text: String, _ metric: String) -> String {
                guard let relative = change[metric] else { return text }
                return "\(text) (\(Self.percent(relative, signed: true)))"
            }
            let key = keyNames.isEmpty ? ["all"] : keyNames.map { group.key[$0] ?? "" }
            return key + [
                with(String(group.deployments), "deployments"),
                Self.number(group.deploymentsPerWeek),
                group.deploymentFrequencyTier.rawValue,
                with(Self.pair(group.leadTimeHours), "leadTimeHours"),
                group.leadTimeTier?.rawValue ?? "–",
                String(group.failedDeployments),
                with(group.changeFailureRate.map { Self.percent($0, signed: false) } ?? "–", "changeFailureRate"),
                group.changeFailureRateTier?.rawValue ?? "–",
                with(String(group.incidents), "incidents"),
                with(Self.pair(group.timeToRestoreHours), "timeToRestoreHours"),
                group.timeToRestoreTier?.rawValue ?? "–",
                group.recoveryTimeHours.median.map(Self.number) ?? "–",
                with(group.reworkRate.map { Self.percent($0, signed: false) } ?? "–", "reworkRate"),
                String(group.skippedClockSkew),
            ]
        }
        return TextTable(columns: columns, rows: rows)
    }

    /// Every figure in its own column, for spreadsheets: plain numbers, empty where there is no value.
    public func csvTable() -> TextTable {
        let keyNames = Array(Set(self.groups.flatMap(\.key.keys))).sorted()
        let changed = [
            "deployments", "deploymentsPerWeek", "leadTimeHours", "changeFailureRate", "incidents", "timeToRestoreHours", "recoveryTimeHours",
            "reworkRate",
        ]
        let columns = keyNames + [
            "deployments", "deploymentsPerWeek", "deploymentFrequencyTier", "leadTimeHoursMedian", "leadTimeHoursP90", "leadTimeSamples",
            "leadTimeTier", "failedDeployments", "changeFailureRate", "changeFailureRateTier", "incidents", "timeToRestoreHoursMedian",
            "timeToRestoreHoursP90", "timeToRestoreSamples", "timeToRestoreTier", "recoveryTimeHoursMedian", "recoveryTimeSamples",
            "reworkDeployments", "reworkRate", "skippedClockSkew",
        ] + changed.map { "\($0)Change" }
        let rows = self.groups.map { group -> [String] in
            func value(_ number: Double?) -> String { number.map { String($0) } ?? "" }
            return keyNames.map { group.key[$0] ?? "" } + [
                String(group.deployments), value(group.deploymentsPerWeek), group.deploymentFrequencyTier.rawValue,
                value(group.leadTimeHours.median), value(group.leadTimeHours.p90), String(group.leadTimeHours.samples),
                group.leadTimeTier?.rawValue ?? "", String(group.failedDeployments), value(group.changeFailureRate),
                group.changeFailureRateTier?.rawValue ?? "", String(group.incidents), value(group.timeToRestoreHours.median),
                value(group.timeToRestoreHours.p90), String(group.timeToRestoreHours.samples), group.timeToRestoreTier?.rawValue ?? "",
                value(group.recoveryTimeHours.median), String(group.recoveryTimeHours.samples), String(group.reworkDeployments),
                value(group.reworkRate), String(group.skippedClockSkew),
            ] + changed.map { value(group.changeAgainstBaseline?[$0]) }
        }
        return TextTable(columns: columns, rows: rows)
    }

    /// A heading line for the table: the period, the baseline and the benchmark edition.
    public var heading: String {
        let baseline = self.baselineFrom.map { " against \($0) to \(self.baselineTo ?? "")" } ?? ""
        return "Delivery metrics \(self.from) to \(self.to)\(baseline), tiers by DORA \(self.benchmarks)"
    }

    static func pair(_ distribution: Distribution) -> String {
        guard let median = distribution.median else { return "–" }
        return "\(Self.number(median))/\(distribution.p90.map(Self.number) ?? "–")"
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func percent(_ value: Double, signed: Bool) -> String {
        let text = String(format: "%.0f%%", value * 100)
        return signed && value >= 0 ? "+" + text : text
    }
}
