import Foundation
import LodestarCore

extension DeploymentListing {
    /// The listing in `format`: JSON as the API answers it, else one row per deployment.
    public func rendered(as format: OutputFormat) throws -> String {
        switch format {
        case .json: String(decoding: try JSONEncoder.stable.encode(self), as: UTF8.self) + "\n"
        case .csv: self.csvTable().csv()
        case .table: self.heading + "\n\n" + self.table().rendered(as: .table)
        case .markdown: "**\(self.heading)**\n\n" + self.table().rendered(as: .markdown)
        }
    }

    /// The period, the service and the rework rule the listing was made with.
    public var heading: String {
        let hours = MonthEpics.number(self.reworkHours)
        let service = self.service.map { " of \($0)" } ?? ""
        return "Production deployments \(self.from) to \(self.to)\(service); rework: recovered a failed one within \(hours) h"
    }

    /// How many shipped changes a table row names; JSON and CSV carry every one.
    static let changesShown = 3

    /// One row per deployment, for a terminal: short shas, the longest lead times first.
    public func table() -> TextTable {
        TextTable(
            columns: [
                "finished", "service", "deployment", "environment", "result", "changes (lead time h)", "failed because", "recovered by", "rework",
            ],
            rows: self.deployments.map { deployment in
                let changes = deployment.changes
                let shown = changes.prefix(Self.changesShown).map { "\($0.sha.prefix(7)) \(MonthEpics.number($0.leadTimeHours))" }
                let more = changes.count > Self.changesShown ? ", +\(changes.count - Self.changesShown) more" : ""
                return [
                    deployment.finishedAt, deployment.service, deployment.id, deployment.environment, deployment.result.rawValue,
                    shown.joined(separator: ", ") + more,
                    deployment.failedBecause.map { Self.words($0, result: deployment.result) }.joined(separator: "; "),
                    deployment.recoveredBy.map { "\($0.deploymentId) after \(MonthEpics.number($0.hours)) h" } ?? "",
                    deployment.rework ? "yes, after \(deployment.reworkOf ?? "")" : "no",
                ]
            }
        )
    }

    /// Every field in its own column, for spreadsheets; changes as `sha:hours` separated by spaces.
    public func csvTable() -> TextTable {
        TextTable(
            columns: [
                "finishedAt", "service", "id", "environment", "result", "changes", "failed", "failedBecause", "recoveredBy", "recoveryHours",
                "rework", "reworkOf",
            ],
            rows: self.deployments.map { deployment in
                [
                    deployment.finishedAt, deployment.service, deployment.id, deployment.environment, deployment.result.rawValue,
                    deployment.changes.map { "\($0.sha):\($0.leadTimeHours)" }.joined(separator: " "), String(deployment.failed),
                    deployment.failedBecause.map { Self.words($0, result: deployment.result) }.joined(separator: "; "),
                    deployment.recoveredBy?.deploymentId ?? "",
                    deployment.recoveredBy.map { String($0.hours) } ?? "", String(deployment.rework), deployment.reworkOf ?? "",
                ]
            }
        )
    }

    /// "result rolled_back", "incident INC-4 names root cause 3f2a9c1", "incident INC-5 opened 2 h after (24-hour window)".
    static func words(_ reason: FailureReason, result: DeploymentResult) -> String {
        let hours = reason.hoursBefore.map { "opened \(MonthEpics.number($0)) h after" } ?? ""
        let window = "(\(MetricDefinitions.incidentWindowHours)-hour window)"
        let incident = reason.incident ?? ""
        switch reason.reason {
        case "result": return "result \(result.rawValue)"
        case "rootCause": return "incident \(incident) names root cause \(reason.rootCause ?? "")"
        case "project": return "incident \(incident) of project \(reason.project ?? "") \(hours) \(window)"
        default: return "incident \(incident) \(hours) \(window)"
        }
    }
}
