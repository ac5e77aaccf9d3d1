import Foundation

/// When a deployment counts as rework (DORA 2024's fifth metric: unplanned deployments made to fix a problem users
/// saw). Lodestar keeps no commit messages or labels, so the rule uses what it does keep: a deployment is rework
/// when it recovered a failed production deployment of its service (the deployment failed-deployment recovery time
/// runs to) and finished at most `hours` after that failed one.
public struct ReworkRule: Sendable, Equatable {
    /// How long after a failed deployment the deployment that recovered it still counts as rework.
    public let hours: Double

    public static let defaultHours: Double = 24
    /// The setting that changes `hours`.
    public static let environmentVariable = "LODESTAR_REWORK_HOURS"

    /// The rule with the default 24 hours.
    public static let standard = ReworkRule(checked: ReworkRule.defaultHours)

    public init(hours: Double) throws(FieldError) {
        guard hours.isFinite, hours > 0 else {
            throw FieldError(field: Self.environmentVariable, message: "must be a number of hours above 0, not \(hours)")
        }
        self.hours = hours
    }

    private init(checked hours: Double) {
        self.hours = hours
    }

    /// Reads `LODESTAR_REWORK_HOURS` from an environment (hours, above 0), defaulting to 24.
    public init(environment: [String: String]) throws(FieldError) {
        guard let text = environment[Self.environmentVariable]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            self = .standard
            return
        }
        guard let hours = Double(text), hours.isFinite, hours > 0 else {
            throw FieldError(field: Self.environmentVariable, message: "'\(text)' is not a number of hours above 0")
        }
        try self.init(hours: hours)
    }

    /// Whether a deployment that finished at `recovered` and recovered a failed one that finished at `failed` is
    /// rework: exactly `hours` later still is.
    public func isRework(failedAt failed: Double, recoveredAt recovered: Double) -> Bool {
        recovered > failed && recovered - failed <= self.hours * 3600
    }

    /// `hours` as people read it: "24", "1.5".
    public var hoursText: String {
        self.hours.rounded() == self.hours ? String(Int(self.hours)) : String(self.hours)
    }
}
