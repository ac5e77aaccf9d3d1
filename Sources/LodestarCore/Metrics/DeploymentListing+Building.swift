import Foundation

extension DeploymentListing {
    /// The production deployments of `service` (every service when nil) that finished in `period`, explained from
    /// `facts`: nothing here decides anything the facts did not.
    public init(facts: DeliveryFacts, period: Period, service: String?) {
        let columns = facts.columns
        let finished = columns.deploymentFinished
        let (from, to) = (period.from.timeIntervalSince1970, period.to.timeIntervalSince1970)
        self.from = Day.string(from: period.from)
        self.to = Day.string(from: period.lastDay)
        self.service = service
        self.reworkHours = facts.rework.hours

        let serviceNumber = service.flatMap { name in columns.services.firstIndex(of: name).map(Int32.init) }
        let listed = facts.production[facts.productionRange(from: from, to: to)].filter { deployment in
            service == nil || columns.deploymentService[Int(deployment)] == serviceNumber
        }
        guard !listed.isEmpty else {
            self.deployments = []
            return
        }
        let isListed = Set(listed)

        // Shipped changes are in order of finishing too: the period's run holds every listed deployment's changes.
        var changes: [Int32: [(start: Double, sha: String, hours: Double)]] = [:]
        for index in facts.shippedRange(from: from, to: to) where isListed.contains(facts.shippedDeployment[index]) {
            let (change, deployment) = (Int(facts.shippedChange[index]), facts.shippedDeployment[index])
            let start = columns.changeStart[change]
            changes[deployment, default: []].append((start, columns.changeSHAs[change], Self.rounded((finished[Int(deployment)] - start) / 3600)))
        }
        // Incidents are few: each linked one is looked at once.
        var incidents: [Int32: [(opened: Date, id: String, reason: FailureReason)]] = [:]
        for (number, deployment) in facts.causes where isListed.contains(deployment) {
            let incident = columns.incidents[number]
            let link = facts.causeLinks[number] ?? .window
            let hoursBefore = Self.rounded((incident.openedAt.timeIntervalSince1970 - finished[Int(deployment)]) / 3600)
            let reason = FailureReason(
                reason: link.rawValue, incident: incident.id, rootCause: link == .rootCause ? incident.rootCauseSHA : nil,
                project: link == .project ? incident.service : nil, hoursBefore: link == .rootCause ? nil : hoursBefore
            )
            incidents[deployment, default: []].append((incident.openedAt, incident.id, reason))
        }

        self.deployments = listed.map { deployment in
            let index = Int(deployment)
            let result = columns.deploymentResult[index]
            var reasons = result == .success ? [] : [FailureReason(reason: "result", incident: nil, rootCause: nil, project: nil, hoursBefore: nil)]
            reasons += (incidents[deployment] ?? []).sorted { $0.opened != $1.opened ? $0.opened < $1.opened : $0.id < $1.id }.map(\.reason)
            let recovery = facts.recoveredBy[index]
            let reworked = facts.reworkOf[index]
            return Deployment(
                id: columns.deploymentIDs[index], service: columns.services[Int(columns.deploymentService[index])],
                environment: columns.environments[Int(columns.deploymentEnvironment[index])],
                finishedAt: Timestamp.iso8601(Date(timeIntervalSince1970: finished[index])), result: result,
                changes: (changes[deployment] ?? []).sorted { $0.start != $1.start ? $0.start < $1.start : $0.sha < $1.sha }
                    .map { Change(sha: $0.sha, leadTimeHours: $0.hours) },
                failed: facts.failed[index], failedBecause: reasons,
                recoveredBy: recovery < 0 ? nil : Recovery(
                    deploymentId: columns.deploymentIDs[Int(recovery)],
                    finishedAt: Timestamp.iso8601(Date(timeIntervalSince1970: finished[Int(recovery)])),
                    hours: Self.rounded((finished[Int(recovery)] - finished[index]) / 3600)
                ),
                rework: reworked >= 0, reworkOf: reworked < 0 ? nil : columns.deploymentIDs[Int(reworked)]
            )
        }
    }

    /// Two decimals, halves away from zero, as the metrics round hours.
    static func rounded(_ hours: Double) -> Double { (hours * 100).rounded() / 100 }
}
