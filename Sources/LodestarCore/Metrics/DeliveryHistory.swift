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

        // Which change each successful production deployment shipped, service by service. Commits are numbered
        // within their service once, so the walk below follows integers instead of hashing commit ids.
        var laneOf: [String: Int] = [:]
        var lanes: [ChangeLane] = []
        for change in history.changes {
            let lane = laneOf[change.service] ?? {
                lanes.append(ChangeLane())
                laneOf[change.service] = lanes.count - 1
                return lanes.count - 1
            }()
            lanes[lane].add(change)
        }
        for lane in lanes.indices { lanes[lane].link() }
        var shipped: [ShippedChange] = []
        shipped.reserveCapacity(history.changes.count)
        // sha → the production deployments that carried it (finish, id), across services, for root causes. Only
        // shas an incident names (by their first seven characters) are kept: incidents are few, commits many.
        let named = Set(history.incidents.compactMap { $0.rootCauseSHA?.lowercased().prefix(7) })
        var carriedBy: [String: [(Date, String)]] = [:]
        var batch: [Int] = []
        for deployment in production where deployment.result == .success {
            guard let lane = laneOf[deployment.service] else { continue }
            batch.removeAll(keepingCapacity: true)
            lanes[lane].ship(deployment, into: &batch)
            for index in batch {
                let change = lanes[lane].changes[index]
                let start = min(change.authoredAt ?? change.committedAt, change.committedAt)
                shipped.append(
                    ShippedChange(
                        sha: change.sha, service: deployment.service, deploymentId: deployment.id, deployedAt: deployment.finishedAt,
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

/// One service's changes, numbered, with their parent links, for the shipped-change walk.
struct ChangeLane {
    var index: [String: Int] = [:]
    var changes: [ChangeEvent] = []
    var parents: [Int] = []
    var shipped: [Bool] = []
    /// Change numbers by commit time, and how far the time fallback has shipped along them.
    var byTime: [Int] = []
    var pendingStart = 0

    mutating func add(_ change: ChangeEvent) {
        if let existing = self.index[change.sha] {
            self.changes[existing] = change
            return
        }
        self.index[change.sha] = self.changes.count
        self.changes.append(change)
    }

    /// Resolves parent links and the time order, once every change is in.
    mutating func link() {
        self.parents = self.changes.map { change in change.parent.flatMap { self.index[$0] } ?? -1 }
        self.shipped = Array(repeating: false, count: self.changes.count)
        self.byTime = self.changes.indices.sorted {
            (self.changes[$0].committedAt, self.changes[$0].sha) < (self.changes[$1].committedAt, self.changes[$1].sha)
        }
    }

    /// Marks and appends to `batch` the changes `deployment` ships: back along the chain from the deployed commit to
    /// the last shipped one, or, without a known deployed commit, every change not shipped yet made before it ended;
    /// then any other commits it lists.
    mutating func ship(_ deployment: DeploymentEvent, into batch: inout [Int]) {
        if let head = deployment.shas.first, let start = self.index[head] {
            var cursor = start
            while cursor >= 0, !self.shipped[cursor] {
                self.shipped[cursor] = true
                batch.append(cursor)
                cursor = self.parents[cursor]
            }
        } else {
            while self.pendingStart < self.byTime.count, self.changes[self.byTime[self.pendingStart]].committedAt <= deployment.finishedAt {
                let candidate = self.byTime[self.pendingStart]
                if !self.shipped[candidate] {
                    self.shipped[candidate] = true
                    batch.append(candidate)
                }
                self.pendingStart += 1
            }
        }
        for sha in deployment.shas.dropFirst() {
            if let listed = self.index[sha], !self.shipped[listed] {
                self.shipped[listed] = true
                batch.append(listed)
            }
        }
    }
}
