import Foundation

/// Everything the metrics need, as stored: changes, deployments and incidents, and the service → team map.
public struct DeliveryHistory: Sendable {
    public var changes: [ChangeEvent]
    public var deployments: [DeploymentEvent]
    public var incidents: [IncidentEvent]
    public var teams: [String: String]

    public init(changes: [ChangeEvent], deployments: [DeploymentEvent], incidents: [IncidentEvent], teams: [String: String] = [:]) {
        self.changes = changes
        self.deployments = deployments
        self.incidents = incidents
        self.teams = teams
    }
}

/// What the definitions derive from the history once, before any grouping: which deployment shipped which change,
/// and which deployments failed. Computed over all time so that a period's edges never cut a chain.
public struct DeliveryFacts: Sendable {
    /// A change at its first production deployment.
    public struct ShippedChange: Sendable, Equatable {
        public var sha: String
        public var service: String
        public var deploymentId: String
        public var deployedAt: Date
        /// Hours from the change's start (earliest of authored and committed time) to the deployment's end.
        public var leadTimeHours: Double
    }

    /// Production deployments (any result), in order of finishing.
    public var productionDeployments: [DeploymentEvent]
    public var shipped: [ShippedChange]
    /// Ids of failed production deployments: failed or rolled back, or named by an incident.
    public var failedDeploymentIds: Set<String>
    /// Incident id → the deployment it was linked to, when any.
    public var incidentCauses: [String: String]

    /// Applies the definitions of DESIGN.md and the README.
    /// - Parameter window: how long before an incident its service's latest production deployment is still suspect.
    public init(history: DeliveryHistory, window: TimeInterval = 24 * 3600) {
        let production = history.deployments.filter(\.isProduction).sorted { ($0.finishedAt, $0.id) < ($1.finishedAt, $1.id) }
        self.productionDeployments = production

        // Which change each successful production deployment shipped, service by service.
        var changesByService: [String: [String: ChangeEvent]] = [:]
        for change in history.changes { changesByService[change.service, default: [:]][change.sha] = change }
        var shipped: [ShippedChange] = []
        // sha → the production deployments that carried it (finish, id), across services, for root causes. Only
        // shas an incident names (by their first seven characters) are kept: incidents are few, commits many.
        let named = Set(history.incidents.compactMap { $0.rootCauseSHA?.lowercased().prefix(7) })
        var carriedBy: [String: [(Date, String)]] = [:]
        var shippedInService: [String: Set<String>] = [:]
        let pendingByService: [String: [ChangeEvent]] = changesByService.mapValues { $0.values.sorted { ($0.committedAt, $0.sha) < ($1.committedAt, $1.sha) } }
        var pendingStart: [String: Int] = [:]
        for deployment in production where deployment.result == .success {
            let service = deployment.service
            let known = changesByService[service] ?? [:]
            var done = shippedInService.removeValue(forKey: service) ?? []  // taken out so inserts do not copy it
            var batch: [ChangeEvent] = []
            if let head = deployment.shas.first, known[head] != nil {
                // Walk back from the deployed commit along push chains until something already shipped.
                var cursor: String? = head
                var steps = 0
                while let sha = cursor, let change = known[sha], !done.contains(sha), steps < 100_000 {
                    batch.append(change)
                    done.insert(sha)
                    cursor = change.parent
                    steps += 1
                }
            } else {
                // No chain to follow: every change not yet shipped and made before the deployment ends ships now.
                let pending = pendingByService[service] ?? []
                var index = pendingStart[service] ?? 0
                while index < pending.count, pending[index].committedAt <= deployment.finishedAt {
                    if !done.contains(pending[index].sha) {
                        batch.append(pending[index])
                        done.insert(pending[index].sha)
                    }
                    index += 1
                }
                pendingStart[service] = index
            }
            for sha in deployment.shas.dropFirst() where !done.contains(sha) {
                if let change = known[sha] {
                    batch.append(change)
                    done.insert(sha)
                }
            }
            shippedInService[service] = done
            for change in batch {
                let start = min(change.authoredAt ?? change.committedAt, change.committedAt)
                shipped.append(
                    ShippedChange(
                        sha: change.sha, service: service, deploymentId: deployment.id, deployedAt: deployment.finishedAt,
                        leadTimeHours: deployment.finishedAt.timeIntervalSince(start) / 3600
                    )
                )
                if named.contains(change.sha.prefix(7)) { carriedBy[change.sha, default: []].append((deployment.finishedAt, deployment.id)) }
            }
        }
        // A deployment that failed still carried its commits into production, however briefly.
        for deployment in production where deployment.result != .success {
            for sha in deployment.shas where named.contains(sha.prefix(7)) {
                carriedBy[sha, default: []].append((deployment.finishedAt, deployment.id))
            }
        }
        self.shipped = shipped

        // Failed deployments: by their own result, or linked from an incident.
        var failed = Set(production.filter { $0.result != .success }.map(\.id))
        // Short shas in incidents ("root cause: 3f2a9c1") are found through their first seven characters.
        var byPrefix: [Substring: [String]] = [:]
        for sha in carriedBy.keys where sha.count >= 7 { byPrefix[sha.prefix(7), default: []].append(sha) }
        var causes: [String: String] = [:]
        let successfulByService = Dictionary(grouping: production.filter { $0.result == .success }, by: \.service)
        for incident in history.incidents {
            var cause: String?
            if let sha = incident.rootCauseSHA?.lowercased() {
                let full = carriedBy[sha] != nil ? sha : byPrefix[sha.prefix(7)]?.filter { $0.hasPrefix(sha) || sha.hasPrefix($0) }.min()
                // The latest deployment carrying the commit before the incident opened, else the first to carry it.
                let carriers = full.flatMap { carriedBy[$0] }?.sorted { $0.0 < $1.0 } ?? []
                cause = (carriers.last { $0.0 <= incident.openedAt } ?? carriers.first)?.1
            }
            if cause == nil, let candidates = successfulByService[incident.service] {
                // The service's latest production deployment before the incident opened, within the window.
                let latest = Self.lastIndex(in: candidates) { $0.finishedAt <= incident.openedAt }
                if let latest, incident.openedAt.timeIntervalSince(candidates[latest].finishedAt) <= window {
                    cause = candidates[latest].id
                }
            }
            if let cause {
                failed.insert(cause)
                causes[incident.id] = cause
            }
        }
        self.failedDeploymentIds = failed
        self.incidentCauses = causes
    }

    /// The last index whose element satisfies a predicate that holds for a prefix of a sorted array.
    static func lastIndex<T>(in items: [T], where isBefore: (T) -> Bool) -> Int? {
        var low = 0
        var high = items.count
        while low < high {
            let middle = (low + high) / 2
            if isBefore(items[middle]) { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : low - 1
    }
}
