import Foundation
import Synchronization

/// Everything the metrics need, as stored: changes, deployments and incidents, and the service → team map.
public struct DeliveryHistory: Sendable {
    public var changes: [ChangeEvent]
    /// What pushes and merges stated about the commits' history.
    public var histories: [HistoryEvent]
    public var deployments: [DeploymentEvent]
    public var incidents: [IncidentEvent]
    public var teams: [String: String]

    public init(
        changes: [ChangeEvent], histories: [HistoryEvent] = [], deployments: [DeploymentEvent], incidents: [IncidentEvent],
        teams: [String: String] = [:]
    ) {
        self.changes = changes
        self.histories = histories
        self.deployments = deployments
        self.incidents = incidents
        self.teams = teams
    }
}

/// What the definitions derive from the history once, before any grouping: which deployment shipped which change,
/// and which deployments failed. Computed over all time so that a period's edges never cut a chain.
/// Deployments and changes are indices into `columns`.
public struct DeliveryFacts: Sendable {
    public let columns: DeliveryColumns
    /// Production deployments (any result), in order of finishing, then of id.
    public let production: [Int32]
    /// Each change at its first production deployment: `shippedChange[k]` went out with `shippedDeployment[k]`.
    public let shippedChange: [Int32]
    public let shippedDeployment: [Int32]
    /// Whether each deployment failed: it is in production and failed or was rolled back, or an incident names it.
    public let failed: [Bool]
    /// Incident (index into `columns.incidents`) → the deployment it was linked to, when any.
    public let causes: [Int: Int32]
    /// Incident → how it was linked to its deployment in `causes`.
    public let causeLinks: [Int: IncidentLink]
    /// Incidents filed under a project (not a service) that were linked to one of its deployments: they count for
    /// that deployment's service.
    public let projectIncidentService: [Int: Int32]
    /// Per service number, its successful production deployments that no incident was linked to, in order of
    /// finishing: where a failed deployment recovers.
    public let healthyByService: [[Int32]]
    /// Per deployment: for a failed production deployment, the deployment that recovered it (its service's next
    /// healthy one, see `healthyByService`), else -1.
    public let recoveredBy: [Int32]
    /// Per deployment: when it is rework, the failed deployment it recovered within the rework rule's hours (the
    /// latest, when it recovered several), else -1.
    public let reworkOf: [Int32]
    /// The rule `reworkOf` was found by.
    public let rework: ReworkRule

    /// Applies the definitions of DESIGN.md and the README.
    /// - Parameters:
    ///   - window: how long before an incident its service's latest production deployment is still suspect.
    ///   - rework: when a deployment that recovered a failed one counts as rework.
    public init(history: DeliveryHistory, window: TimeInterval = TimeInterval(MetricDefinitions.incidentWindowHours) * 3600, rework: ReworkRule = .standard) {
        self.init(columns: DeliveryColumns(history: history), window: window, rework: rework)
    }

    public init(columns: DeliveryColumns, window: TimeInterval = TimeInterval(MetricDefinitions.incidentWindowHours) * 3600, rework: ReworkRule = .standard) {
        self.columns = columns
        self.rework = rework
        let finished = columns.deploymentFinished
        let results = columns.deploymentResult
        let environmentIsProduction = columns.environments.map { EnvironmentKind(name: $0) == .production }
        let production = columns.deploymentEnvironment.indices
            .filter { environmentIsProduction[Int(columns.deploymentEnvironment[$0])] }
            .map(Int32.init)
            .sorted { left, right in
                let (l, r) = (Int(left), Int(right))
                return finished[l] != finished[r] ? finished[l] < finished[r] : columns.deploymentIDs.compare(l, r) < 0
            }
        self.production = production

        // Which change each successful production deployment shipped (see `ChangeWalk`).
        let (shippedChange, shippedDeployment) = ChangeWalk.shipAll(production, columns: columns)
        // sha → the production deployments that carried it (finish, deployment), across services, for root causes.
        // Only shas an incident names (by their first seven characters) are kept: incidents are few, commits many.
        let named = Set(DeliveryColumns.namedPrefixes(columns.incidents).map { Self.prefixKey($0.utf8) })
        // Checked in one pass in storage order: looking shas up in the order the walk ships them missed the cache.
        let isNamed = named.isEmpty ? [] : (0..<columns.changeSHAs.count).map { named.contains(ChangeWalk.prefixKey(of: Int32($0), in: columns)) }
        var carriedBy: [String: [(Double, Int32)]] = [:]
        for (change, deployment) in zip(shippedChange, shippedDeployment) where !isNamed.isEmpty && isNamed[Int(change)] {
            carriedBy[columns.changeSHAs[Int(change)], default: []].append((finished[Int(deployment)], deployment))
        }
        // A deployment that failed still carried its commits into production, however briefly.
        for deployment in production where results[Int(deployment)] != .success {
            for sha in columns.deploymentNamedSHAs[deployment] ?? [] {
                carriedBy[sha, default: []].append((finished[Int(deployment)], deployment))
            }
        }
        self.shippedChange = shippedChange
        self.shippedDeployment = shippedDeployment

        // Failed deployments: by their own result, or linked from an incident.
        var failed = Array(repeating: false, count: finished.count)
        for deployment in production where results[Int(deployment)] != .success { failed[Int(deployment)] = true }
        // Short shas in incidents ("root cause: 3f2a9c1") are found through their first seven characters.
        var byPrefix: [Substring: [String]] = [:]
        for sha in carriedBy.keys where sha.count >= 7 { byPrefix[sha.prefix(7), default: []].append(sha) }
        var successfulByService: [Int32: [Int32]] = [:]
        for deployment in production where results[Int(deployment)] == .success {
            successfulByService[columns.deploymentService[Int(deployment)], default: []].append(deployment)
        }
        let serviceIds = Dictionary(columns.services.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
        // A project's deployments, in order of finishing too: an incident filed under the project links to them.
        var successfulByProject: [String: [Int32]] = [:]
        if !columns.projects.isEmpty {
            for deployment in production where results[Int(deployment)] == .success && columns.deploymentProject[Int(deployment)] >= 0 {
                successfulByProject[columns.projects[Int(columns.deploymentProject[Int(deployment)])], default: []].append(deployment)
            }
        }
        var causes: [Int: Int32] = [:]
        var causeLinks: [Int: IncidentLink] = [:]
        var projectIncidentService: [Int: Int32] = [:]
        for (number, incident) in columns.incidents.enumerated() {
            let opened = incident.openedAt.timeIntervalSince1970
            var cause: Int32?
            if let sha = incident.rootCauseSHA?.lowercased() {
                let full = carriedBy[sha] != nil ? sha : byPrefix[sha.prefix(7)]?.filter { $0.hasPrefix(sha) || sha.hasPrefix($0) }.min()
                // The latest deployment carrying the commit before the incident opened, else the first to carry it.
                let carriers = full.flatMap { carriedBy[$0] }?.sorted { $0.0 < $1.0 } ?? []
                cause = (carriers.last { $0.0 <= opened } ?? carriers.first)?.1
                if cause != nil { causeLinks[number] = .rootCause }
            }
            let project = successfulByProject[incident.service]
            if cause == nil, let candidates = project ?? serviceIds[incident.service].flatMap({ successfulByService[$0] }) {
                // The service's (or project's) latest production deployment before the incident opened, within the window.
                let latest = Self.lastIndex(in: candidates) { finished[Int($0)] <= opened }
                if let latest, opened - finished[Int(candidates[latest])] <= window {
                    cause = candidates[latest]
                    causeLinks[number] = project != nil ? .project : .window
                }
            }
            if project != nil, let cause { projectIncidentService[number] = columns.deploymentService[Int(cause)] }
            if let cause {
                failed[Int(cause)] = true
                causes[number] = cause
            }
        }
        self.failed = failed
        self.causes = causes
        self.causeLinks = causeLinks
        self.projectIncidentService = projectIncidentService
        var healthy = Array(repeating: [Int32](), count: columns.services.count)
        for deployment in production where results[Int(deployment)] == .success && !failed[Int(deployment)] {
            healthy[Int(columns.deploymentService[Int(deployment)])].append(deployment)
        }
        self.healthyByService = healthy
        (self.recoveredBy, self.reworkOf) = Self.recoveries(
            production: production, failed: failed, healthy: healthy, columns: columns, rework: rework
        )
    }

    /// Each failed production deployment's recovery (its service's next healthy deployment that finished after it),
    /// and which of those recoveries are rework. One binary search per failed deployment, over all time, so that
    /// the metrics of any period and the deployments listing read the same answer.
    static func recoveries(
        production: [Int32], failed: [Bool], healthy: [[Int32]], columns: DeliveryColumns, rework: ReworkRule
    ) -> (recoveredBy: [Int32], reworkOf: [Int32]) {
        let finished = columns.deploymentFinished
        var recoveredBy = Array(repeating: Int32(-1), count: finished.count)
        var reworkOf = Array(repeating: Int32(-1), count: finished.count)
        // In order of finishing, so a deployment that recovered several failed ones keeps the latest as its cause.
        for deployment in production where failed[Int(deployment)] {
            let candidates = healthy[Int(columns.deploymentService[Int(deployment)])]
            let before = Self.lastIndex(in: candidates) { finished[Int($0)] <= finished[Int(deployment)] }
            let next = (before ?? -1) + 1
            guard next < candidates.count else { continue }
            let recovery = candidates[next]
            recoveredBy[Int(deployment)] = recovery
            if rework.isRework(failedAt: finished[Int(deployment)], recoveredAt: finished[Int(recovery)]) {
                reworkOf[Int(recovery)] = deployment
            }
        }
        return (recoveredBy, reworkOf)
    }

    /// The indices into `production` of the deployments that finished in `from..<to`.
    public func productionRange(from: Double, to: Double) -> Range<Int> {
        self.finishing(self.production, from: from, to: to)
    }

    /// The indices into `shippedChange` of the changes whose deployment finished in `from..<to`.
    public func shippedRange(from: Double, to: Double) -> Range<Int> {
        self.finishing(self.shippedDeployment, from: from, to: to)
    }

    /// The run of `deployments`, in order of finishing, that finished in `from..<to`.
    func finishing(_ deployments: [Int32], from: Double, to: Double) -> Range<Int> {
        let finished = self.columns.deploymentFinished
        let start = Self.lastIndex(in: deployments) { finished[Int($0)] < from }.map { $0 + 1 } ?? 0
        let end = Self.lastIndex(in: deployments) { finished[Int($0)] < to }.map { $0 + 1 } ?? 0
        return start..<max(start, end)
    }

    /// The first seven bytes of a sha packed into an integer, to test commits against the named ones cheaply.
    @inlinable public static func prefixKey(_ bytes: some Collection<UInt8>) -> UInt64 {
        bytes.prefix(7).reduce(UInt64(bytes.count >= 7 ? 7 : bytes.count)) { $0 << 8 | UInt64($1) }
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

    // MARK: - The facts by id, for tests and explanations

    /// A change at its first production deployment.
    public struct ShippedChange: Sendable, Equatable {
        public var sha: String
        public var service: String
        public var deploymentId: String
        public var deployedAt: Date
        /// Hours from the change's start (earliest of authored and committed time) to the deployment's end.
        public var leadTimeHours: Double
    }

    public var shipped: [ShippedChange] {
        zip(self.shippedChange, self.shippedDeployment).map { change, deployment in
            let (change, deployment) = (Int(change), Int(deployment))
            let finished = self.columns.deploymentFinished[deployment]
            return ShippedChange(
                sha: self.columns.changeSHAs[change], service: self.columns.services[Int(self.columns.deploymentService[deployment])],
                deploymentId: self.columns.deploymentIDs[deployment], deployedAt: Date(timeIntervalSince1970: finished),
                leadTimeHours: (finished - self.columns.changeStart[change]) / 3600
            )
        }
    }

    public var failedDeploymentIds: Set<String> {
        Set(self.failed.indices.filter { self.failed[$0] }.map { self.columns.deploymentIDs[$0] })
    }

    public var reworkDeploymentIds: Set<String> {
        Set(self.reworkOf.indices.filter { self.reworkOf[$0] >= 0 }.map { self.columns.deploymentIDs[$0] })
    }

    public var incidentCauses: [String: String] {
        Dictionary(
            self.causes.map { (self.columns.incidents[$0.key].id, self.columns.deploymentIDs[Int($0.value)]) },
            uniquingKeysWith: { first, _ in first }
        )
    }
}

/// The walk that finds which changes each successful production deployment shipped: every commit the deployed
/// commit (and any other it lists) reaches through parents and stated history that no earlier deployment reached.
/// Without a known deployed commit (one that is neither a change nor the head of stated history), every change
/// of the service not shipped yet that was committed before the deployment ended, with what those reach. What is
/// shipped is so always closed under "contains", and the walk can stop at the first commit already shipped.
struct ChangeWalk {
    let columns: DeliveryColumns
    let ranges: [Range<Int>]
    /// Per node of the commit graph: reached by an earlier deployment.
    var shipped: [Bool]
    var stack: [Int32] = []
    /// Per service, its changes by commit time (built when first needed) and how far the time fallback has gone.
    var byTime: [[Int32]?]
    var pendingStart: [Int]

    init(columns: DeliveryColumns) {
        self.columns = columns
        self.ranges = columns.changeRanges()
        self.shipped = Array(repeating: false, count: max(columns.changeService.count, columns.graph.nodeCount))
        self.byTime = Array(repeating: nil, count: columns.services.count)
        self.pendingStart = Array(repeating: 0, count: columns.services.count)
    }

    static func prefixKey(of change: Int32, in columns: DeliveryColumns) -> UInt64 {
        let text = columns.changeSHAs
        let start = text.start(Int(change))
        return DeliveryFacts.prefixKey(text.bytes[start..<text.ends[Int(change)]])
    }

    /// Ships every successful deployment of `production` (in order of finishing), returning each shipped change
    /// with its deployment in that order. Services never share changes, so two walks over alternate services run
    /// side by side and their results are merged back into production order.
    static func shipAll(_ production: [Int32], columns: DeliveryColumns) -> (changes: [Int32], deployments: [Int32]) {
        let parts = 2
        let results = Mutex<[[(position: Int32, change: Int32)]]>(Array(repeating: [], count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            var walk = ChangeWalk(columns: columns)
            var shipped: [(position: Int32, change: Int32)] = []
            shipped.reserveCapacity(columns.changeService.count / parts + 1)
            var batch: [Int32] = []
            for (position, deployment) in production.enumerated()
            where columns.deploymentResult[Int(deployment)] == .success && Int(columns.deploymentService[Int(deployment)]) % parts == part {
                batch.removeAll(keepingCapacity: true)
                walk.ship(deployment, into: &batch)
                for change in batch { shipped.append((Int32(position), change)) }
            }
            results.withLock { $0[part] = shipped }
        }
        let (first, second) = results.withLock { ($0[0], $0[1]) }
        var changes: [Int32] = []
        var deployments: [Int32] = []
        changes.reserveCapacity(first.count + second.count)
        deployments.reserveCapacity(first.count + second.count)
        var (i, j) = (0, 0)
        while i < first.count || j < second.count {
            let takeFirst = j == second.count || (i < first.count && first[i].position <= second[j].position)
            let next = takeFirst ? first[i] : second[j]
            if takeFirst { i += 1 } else { j += 1 }
            changes.append(next.change)
            deployments.append(production[Int(next.position)])
        }
        return (changes, deployments)
    }

    mutating func ship(_ deployment: Int32, into batch: inout [Int32]) {
        let deployment = Int(deployment)
        let service = Int(self.columns.deploymentService[deployment])
        let head = self.columns.deploymentHead[deployment]
        let changes = Int32(self.columns.changeService.count)
        if head >= 0, head < changes || self.columns.graph.contains[head] != nil {
            self.walk(from: head, changes: changes, into: &batch)
        } else if service < self.ranges.count, !self.ranges[service].isEmpty {
            let committed = self.columns.changeCommitted
            let order = self.byTime[service] ?? self.ranges[service].map(Int32.init).sorted {
                committed[Int($0)] != committed[Int($1)] ? committed[Int($0)] < committed[Int($1)] : $0 < $1
            }
            self.byTime[service] = order
            let end = self.columns.deploymentFinished[deployment]
            var next = self.pendingStart[service]
            while next < order.count, committed[Int(order[next])] <= end {
                // With what it contains, so that what is shipped stays closed under "contains".
                if !self.shipped[Int(order[next])] { self.walk(from: order[next], changes: changes, into: &batch) }
                next += 1
            }
            self.pendingStart[service] = next
        }
        for listed in self.columns.deploymentExtras[Int32(deployment)] ?? [] {
            self.walk(from: listed, changes: changes, into: &batch)
        }
    }

    /// Marks everything `start` reaches that is not shipped yet, adding the changes among it to `batch`.
    mutating func walk(from start: Int32, changes: Int32, into batch: inout [Int32]) {
        let graph = self.columns.graph
        let hasEdges = !graph.contains.isEmpty
        self.stack.append(start)
        while let node = self.stack.popLast() {
            guard !self.shipped[Int(node)] else { continue }
            self.shipped[Int(node)] = true
            if node < changes {
                batch.append(node)
                let parent = self.columns.changeParent[Int(node)]
                if parent >= 0, !self.shipped[Int(parent)] { self.stack.append(parent) }
            }
            if hasEdges, let contained = graph.contains[node] {
                for next in contained.reversed() where !self.shipped[Int(next)] { self.stack.append(next) }
            }
        }
    }
}

/// How an incident was linked to the deployment it blames (see "Change failure rate" in the README).
public enum IncidentLink: String, Sendable, Codable, Equatable {
    /// The incident names a commit the deployment carried (`root cause: <sha>`).
    case rootCause
    /// The service's latest successful production deployment within the window before the incident opened.
    case window
    /// The same, over the deployments of every service of the project the incident was filed under.
    case project
}
