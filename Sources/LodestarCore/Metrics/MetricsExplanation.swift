import Foundation

/// What `lodestar metrics --explain` says of each group beside its figures: the changes and incidents that did not
/// reach them, found by the same facts (`DeliveryFacts`) the figures come from, so the two cannot disagree.
public struct GroupExplanation: Sendable, Equatable, Codable {
    public var key: [String: String]
    /// Changes committed in the period that no production deployment has shipped (yet).
    public var undeployedChanges: Int
    /// Shipped changes left out of lead time because their deployment finished before they started (clock skew).
    public var skippedClockSkew: Int
    /// Incidents opened in the period that no deployment was linked to, by id: they count for time to restore only.
    public var unlinkedIncidents: [String]
}

extension MetricsReport {
    /// Per group of `grouping`, what did not reach the figures of `period`. Groups with nothing to say are left out.
    /// A change that was never deployed, and an incident that was never linked, belong to their service and to
    /// production (they have no deployment to take an environment from), in the month they were committed or opened.
    public static func explanations(facts: DeliveryFacts, period: Period, grouping: MetricsGrouping?) -> [GroupExplanation] {
        let columns = facts.columns
        let (from, to) = (period.from.timeIntervalSince1970, period.to.timeIntervalSince1970)
        var groups = GroupIndex(columns: columns, grouping: grouping)
        var rows: [Int: GroupExplanation] = [:]
        func update(_ bucket: Int, _ change: (inout GroupExplanation) -> Void) {
            change(&rows[bucket, default: GroupExplanation(key: groups.keys[bucket], undeployedChanges: 0, skippedClockSkew: 0, unlinkedIncidents: [])])
        }

        var shipped = Array(repeating: false, count: columns.changeService.count)
        for change in facts.shippedChange { shipped[Int(change)] = true }
        for change in shipped.indices where !shipped[change] && columns.changeCommitted[change] >= from && columns.changeCommitted[change] < to {
            let service = columns.services[Int(columns.changeService[change])]
            update(groups.bucket(service: service, environment: "production", time: columns.changeCommitted[change])) { $0.undeployedChanges += 1 }
        }
        let finished = columns.deploymentFinished
        for index in facts.shippedRange(from: from, to: to) {
            let (change, deployment) = (Int(facts.shippedChange[index]), Int(facts.shippedDeployment[index]))
            if finished[deployment] < columns.changeStart[change] {
                update(groups.bucket(deployment: deployment)) { $0.skippedClockSkew += 1 }
            }
        }
        for (number, incident) in columns.incidents.enumerated() where facts.causes[number] == nil && period.contains(incident.openedAt) {
            let bucket = groups.bucket(service: incident.service, environment: "production", time: incident.openedAt.timeIntervalSince1970)
            update(bucket) { $0.unlinkedIncidents.append(incident.id) }
        }
        return rows.values.sorted { Self.sortKey($0.key) < Self.sortKey($1.key) }
    }
}
