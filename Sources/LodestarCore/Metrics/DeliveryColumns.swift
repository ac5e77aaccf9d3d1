import Foundation

/// Many short texts in one byte buffer: commit shas and deployment ids, a million of them without a million
/// allocations.
public struct TextColumn: Sendable, Equatable {
    public private(set) var bytes: [UInt8] = []
    /// Where each text ends in `bytes`; text `i` starts where text `i - 1` ends.
    public private(set) var ends: [Int] = []

    public init() {}

    public var count: Int { self.ends.count }

    /// Not generic on purpose: called from another module a million times, a generic append was not specialised.
    public mutating func append(_ text: UnsafeBufferPointer<UInt8>) {
        self.bytes.append(contentsOf: text)
        self.ends.append(self.bytes.count)
    }

    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { self.append($0) }
    }

    public mutating func reserveCapacity(texts: Int, bytes: Int) {
        self.ends.reserveCapacity(texts)
        self.bytes.reserveCapacity(bytes)
    }

    public subscript(index: Int) -> String {
        String(decoding: self.bytes[self.start(index)..<self.ends[index]], as: UTF8.self)
    }

    public func start(_ index: Int) -> Int { index == 0 ? 0 : self.ends[index - 1] }

    /// Byte-wise order of text `index` against `other`: negative, zero or positive, like `memcmp`.
    public func compare(_ index: Int, with other: UnsafeRawBufferPointer) -> Int {
        let start = self.start(index)
        let length = self.ends[index] - start
        let shared = min(length, other.count)
        let order = self.bytes.withUnsafeBytes { mine in
            shared == 0 ? 0 : Int(memcmp(mine.baseAddress! + start, other.baseAddress!, shared))
        }
        return order != 0 ? order : length - other.count
    }

    /// Byte-wise order of two texts of this column.
    public func compare(_ left: Int, _ right: Int) -> Int {
        self.bytes.withUnsafeBytes { all in
            self.compare(left, with: UnsafeRawBufferPointer(rebasing: all[self.start(right)..<self.ends[right]]))
        }
    }

    /// The index in `range` of the text equal to `text`, when the texts in `range` are in byte-wise order.
    public func find(_ text: UnsafeRawBufferPointer, in range: Range<Int>) -> Int? {
        var low = range.lowerBound
        var high = range.upperBound
        while low < high {
            let middle = (low + high) / 2
            let order = self.compare(middle, with: text)
            if order == 0 { return middle }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// Each text's first eight bytes as a big-endian integer (zero-padded), which orders like the texts themselves.
    /// Searching these first keeps a million lookups in a small array instead of comparing bytes all over `bytes`.
    public func prefixKeys() -> [UInt64] {
        self.bytes.withUnsafeBytes { all in
            (0..<self.count).map { Self.prefixKey(UnsafeRawBufferPointer(rebasing: all[self.start($0)..<self.ends[$0]])) }
        }
    }

    public static func prefixKey(_ text: UnsafeRawBufferPointer) -> UInt64 {
        var key: UInt64 = 0
        for offset in 0..<8 { key = key << 8 | UInt64(offset < text.count ? text[offset] : 0) }
        return key
    }

    /// `find(_:in:)` with the column's `prefixKeys()` at hand. Commit shas are spread evenly, so the search starts
    /// where the key's value says it should be and gallops from there: a few probes close together instead of a
    /// dozen across the whole column.
    public func find(_ text: UnsafeRawBufferPointer, in range: Range<Int>, keys: [UInt64]) -> Int? {
        guard !range.isEmpty else { return nil }
        let key = Self.prefixKey(text)
        let (first, last) = (keys[range.lowerBound], keys[range.upperBound - 1])
        var guess = range.lowerBound
        if key > last {
            return nil
        } else if key > first {
            let fraction = Double(key - first) / Double(last - first)
            guess = range.lowerBound + min(range.count - 1, Int(fraction * Double(range.count - 1)))
        }
        // Bounds around the first key not below `key`, doubling the step away from the guess.
        var low: Int
        var high: Int
        if keys[guess] < key {
            var below = guess
            var step = 1
            var above = guess + 1
            while above < range.upperBound, keys[above] < key {
                below = above
                step *= 2
                above = guess + step
            }
            (low, high) = (below + 1, min(above, range.upperBound))
        } else {
            var above = guess
            var step = 1
            var below = guess - 1
            while below >= range.lowerBound, keys[below] >= key {
                above = below
                step *= 2
                below = guess - step
            }
            (low, high) = (max(below + 1, range.lowerBound), above)
        }
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        while low < range.upperBound, keys[low] == key {
            if self.compare(low, with: text) == 0 { return low }
            low += 1
        }
        return nil
    }

    public func find(_ text: String, in range: Range<Int>) -> Int? {
        var text = text
        return text.withUTF8 { self.find(UnsafeRawBufferPointer($0), in: range) }
    }
}

/// The delivery history in columns, as the metric definitions use it: services, environments, commits and
/// deployments are numbers, and a commit's parent or a deployment's commit is the index of that commit.
///
/// `lodestar metrics` over a million events spent most of its time allocating strings and hashing them; in this
/// form the store loads the history straight from SQLite and the definitions walk integer arrays.
public struct DeliveryColumns: Sendable {
    public var services: [String] = []
    public var environments: [String] = []
    /// Service → team, as mapped by `lodestar team map`.
    public var teams: [String: String] = [:]

    // Changes, ordered by service, then by sha byte-wise, so each service's changes are one run.
    public var changeService: [Int32] = []
    /// The earlier of authored and committed time, where lead time starts.
    public var changeStart: [Double] = []
    public var changeCommitted: [Double] = []
    /// The node of the commit a change's row names as its parent (see `CommitGraph`), or -1.
    public var changeParent: [Int32] = []
    public var changeSHAs = TextColumn()
    /// What pushes and merges stated about history, over the changes and the commits known only from that.
    public var graph = CommitGraph()

    // Deployments, in any order.
    public var deploymentService: [Int32] = []
    public var deploymentEnvironment: [Int32] = []
    public var deploymentFinished: [Double] = []
    public var deploymentResult: [DeploymentResult] = []
    /// The index of the deployed commit (the first listed), or -1 when none is listed or it is not a known change.
    public var deploymentHead: [Int32] = []
    /// The other listed commits that are known changes, for the few deployments that list several.
    public var deploymentExtras: [Int32: [Int32]] = [:]
    /// Listed commits that incidents name as root causes (by their first seven characters), known or not.
    public var deploymentNamedSHAs: [Int32: [String]] = [:]
    public var deploymentIDs = TextColumn()
    /// Projects deployments were filed under (see `DeploymentEvent.project`), and each deployment's, or -1.
    public var projects: [String] = []
    public var deploymentProject: [Int32] = []

    public var incidents: [IncidentEvent] = []
    /// Short hashes that begin several full hashes of their service, so stand for none (see `ShortSHAs`).
    public var ambiguousShortSHAs: [AmbiguousShortSHA] = []

    public init() {}

    /// The first seven characters of the commits incidents name: only commits with these are tracked by sha.
    public static func namedPrefixes(_ incidents: [IncidentEvent]) -> Set<String> {
        Set(incidents.compactMap { incident in incident.rootCauseSHA.map { String($0.lowercased().prefix(7)) } })
    }

    /// When the latest deployment finished, change was committed or incident opened: how fresh the history is.
    public var latestEvent: Date? {
        let times = [self.deploymentFinished.max(), self.changeCommitted.max(), self.incidents.map(\.openedAt.timeIntervalSince1970).max()]
        return times.compactMap(\.self).max().map(Date.init(timeIntervalSince1970:))
    }

    /// The node of a service's commit: its change, else a commit only history named, else nil.
    func node(sha: String, service: Int32, in ranges: [Range<Int>]) -> Int32? {
        let range = Int(service) < ranges.count ? ranges[Int(service)] : 0..<0
        return self.changeSHAs.find(sha, in: range).map(Int32.init) ?? self.graph.other(service: service, sha: sha)
    }

    /// Each service's run of changes.
    public func changeRanges() -> [Range<Int>] {
        var ranges = Array(repeating: 0..<0, count: self.services.count)
        var start = 0
        for index in self.changeService.indices where index + 1 == self.changeService.count || self.changeService[index + 1] != self.changeService[index] {
            ranges[Int(self.changeService[index])] = start..<(index + 1)
            start = index + 1
        }
        return ranges
    }

    /// Builds the columns from events, as tests and small histories have them.
    public init(history: DeliveryHistory) {
        let (history, ambiguous) = ShortSHAs.resolve(history)
        self.ambiguousShortSHAs = ambiguous
        self.teams = history.teams
        var serviceIds: [String: Int32] = [:]
        func service(_ name: String) -> Int32 {
            if let id = serviceIds[name] { return id }
            self.services.append(name)
            serviceIds[name] = Int32(self.services.count - 1)
            return Int32(self.services.count - 1)
        }
        var environmentIds: [String: Int32] = [:]
        var projectIds: [String: Int32] = [:]

        // A sha seen twice in one service keeps its last report, as the store's upsert would.
        var latest: [String: [String: ChangeEvent]] = [:]
        for change in history.changes { latest[change.service, default: [:]][change.sha] = change }
        let changes = latest.values.flatMap(\.values).sorted { left, right in
            left.service != right.service ? Array(left.service.utf8).lexicographicallyPrecedes(right.service.utf8)
                : Array(left.sha.utf8).lexicographicallyPrecedes(right.sha.utf8)
        }
        for change in changes {
            self.changeService.append(service(change.service))
            self.changeStart.append(min(change.authoredAt ?? change.committedAt, change.committedAt).timeIntervalSince1970)
            self.changeCommitted.append(change.committedAt.timeIntervalSince1970)
            self.changeSHAs.append(change.sha)
        }
        let ranges = self.changeRanges()
        for history in history.histories {
            let serviceId = service(history.service)
            let range = Int(serviceId) < ranges.count ? ranges[Int(serviceId)] : 0..<0
            func node(_ sha: String) -> Int32 {
                self.changeSHAs.find(sha, in: range).map(Int32.init) ?? self.graph.addOther(service: serviceId, sha: sha, changes: changes.count)
            }
            let head = node(history.head)
            for contained in history.contains where contained != history.head { self.graph.add(head, contains: node(contained)) }
        }
        self.graph.finish(changes: changes.count)
        for (index, change) in changes.enumerated() {
            let serviceId = self.changeService[index]
            self.changeParent.append(change.parent.flatMap { self.node(sha: $0, service: serviceId, in: ranges) } ?? -1)
        }

        let named = Self.namedPrefixes(history.incidents)
        for deployment in DeploymentEvent.counted(history.deployments) {
            let serviceId = service(deployment.service)
            let environmentId = environmentIds[deployment.environment] ?? {
                self.environments.append(deployment.environment)
                environmentIds[deployment.environment] = Int32(self.environments.count - 1)
                return Int32(self.environments.count - 1)
            }()
            let number = Int32(self.deploymentService.count)
            let known = deployment.shas.map { sha in self.node(sha: sha, service: serviceId, in: ranges) ?? -1 }
            self.deploymentService.append(serviceId)
            self.deploymentEnvironment.append(environmentId)
            self.deploymentFinished.append(deployment.finishedAt.timeIntervalSince1970)
            self.deploymentResult.append(deployment.result)
            self.deploymentHead.append(known.first ?? -1)
            let extras = known.dropFirst().filter { $0 >= 0 }
            if !extras.isEmpty { self.deploymentExtras[number] = Array(extras) }
            let namedSHAs = deployment.shas.filter { named.contains(String($0.prefix(7))) }
            if !namedSHAs.isEmpty { self.deploymentNamedSHAs[number] = namedSHAs }
            self.deploymentIDs.append(deployment.id)
            self.deploymentProject.append(
                deployment.project.map { name in
                    projectIds[name] ?? {
                        self.projects.append(name)
                        projectIds[name] = Int32(self.projects.count - 1)
                        return Int32(self.projects.count - 1)
                    }()
                } ?? -1
            )
        }
        self.incidents = history.incidents
    }
}

/// The commits' history as stated, as a graph over nodes: `0..<changes` are the changes (in `DeliveryColumns`
/// order), later ones commits known only because a push or merge named them. An edge A → B says A contains B.
/// Changes' own parents live in `DeliveryColumns.changeParent`; these are the other edges.
public struct CommitGraph: Sendable {
    /// Node → the nodes it contains, each list sorted and without repeats once `finish()` ran.
    public var contains: [Int32: [Int32]] = [:]
    /// Per service, the commits known only from history, by sha.
    public var others: [Int32: [String: Int32]] = [:]
    /// How many nodes are changes; the rest are others.
    public var changeCount = 0
    public var otherCount = 0

    public init() {}

    public var nodeCount: Int { self.changeCount + self.otherCount }

    public func other(service: Int32, sha: String) -> Int32? {
        self.others[service]?[sha]
    }

    /// The node of a commit only history names, numbered after the `changes` changes.
    public mutating func addOther(service: Int32, sha: String, changes: Int) -> Int32 {
        if let known = self.others[service]?[sha] { return known }
        let node = Int32(changes + self.otherCount)
        self.others[service, default: [:]][sha] = node
        self.otherCount += 1
        return node
    }

    public mutating func add(_ head: Int32, contains contained: Int32) {
        guard head != contained else { return }
        self.contains[head, default: []].append(contained)
    }

    /// Sorts each node's edges, so that what is walked does not depend on the order facts were stored in.
    public mutating func finish(changes: Int) {
        self.changeCount = changes
        for (node, targets) in self.contains { self.contains[node] = Array(Set(targets)).sorted() }
    }
}
