import Foundation

/// The backend-free half of loading the pipeline history into `DeliveryColumns`: each backend reads its rows into
/// these shapes (changes in order of service then sha, by bytes; deployments in order of id), and `assemble` numbers
/// the deployments' services, builds the stated history's graph, and finds each change's parent and each
/// deployment's commits by binary search among the service's shas, once short hashes are replaced by the full ones
/// they stand for (`resolveShortSHAs`).
public enum DeliveryColumnsAssembly {
    /// The second half of a load: two halves of the finding run side by side.
    public static func assemble(
        _ columns: DeliveryColumns, parents: TextColumn, edges: EdgeRows, deployments rows: DeploymentRows
    ) async -> DeliveryColumns {
        var (columns, parents, edges, rows) = (columns, parents, edges, rows)
        Self.number(rows, into: &columns)
        Self.resolveShortSHAs(&columns, parents: &parents, edges: &edges, deployments: &rows.shas)
        let keys = columns.changeSHAs.prefixKeys()
        columns.graph = Self.graph(edges, in: columns, keys: keys)
        let found = columns
        async let parentNumbers = Self.findParents(parents, in: found, keys: keys)
        async let deploymentCommits = Self.findCommits(rows, in: found, keys: keys)
        columns.changeParent = await parentNumbers
        (columns.deploymentHead, columns.deploymentExtras, columns.deploymentNamedSHAs) = await deploymentCommits
        return columns
    }

    /// What pushes and merges stated, as read: `heads[k]` contains `contained[k]` in service `service[k]`.
    public struct EdgeRows: Sendable {
        public var service: [Int32] = []
        public var heads = TextColumn()
        public var contained = TextColumn()

        public init() {}
    }

    /// The stated history as a graph over the changes and the commits only history names.
    static func graph(_ edges: EdgeRows, in columns: DeliveryColumns, keys: [UInt64]) -> CommitGraph {
        var graph = CommitGraph()
        let ranges = columns.changeRanges()
        let changes = columns.changeService.count
        func node(_ text: TextColumn, _ index: Int, service: Int32) -> Int32 {
            let range = Int(service) < ranges.count ? ranges[Int(service)] : 0..<0
            let found = text.bytes.withUnsafeBytes { all in
                columns.changeSHAs.find(UnsafeRawBufferPointer(rebasing: all[text.start(index)..<text.ends[index]]), in: range, keys: keys)
            }
            return found.map(Int32.init) ?? graph.addOther(service: service, sha: text[index], changes: changes)
        }
        for index in 0..<edges.service.count {
            let service = edges.service[index]
            graph.add(node(edges.heads, index, service: service), contains: node(edges.contained, index, service: service))
        }
        graph.finish(changes: changes)
        return graph
    }

    /// The number of each change's parent in the same service, or -1.
    static func findParents(_ parents: TextColumn, in columns: DeliveryColumns, keys: [UInt64]) -> [Int32] {
        let ranges = columns.changeRanges()
        var numbers: [Int32] = []
        numbers.reserveCapacity(parents.count)
        parents.bytes.withUnsafeBytes { all in
            for change in 0..<parents.count {
                let start = change == 0 ? 0 : parents.ends[change - 1]
                let parent = UnsafeRawBufferPointer(rebasing: all[start..<parents.ends[change]])
                let service = columns.changeService[change]
                let found = parent.isEmpty ? nil : columns.changeSHAs.find(parent, in: ranges[Int(service)], keys: keys).map(Int32.init)
                numbers.append(found ?? Self.other(parent, service: service, in: columns.graph) ?? -1)
            }
        }
        return numbers
    }

    /// Deployments as stored, their services numbered on their own until `link` maps them.
    public struct DeploymentRows: Sendable {
        public var services: [String] = []
        public var service: [Int32] = []
        public var environments: [String] = []
        public var environment: [Int32] = []
        public var finished: [Double] = []
        public var result: [DeploymentResult] = []
        public var ids = TextColumn()
        public var shas = TextColumn()
        public var projects: [String] = []
        public var project: [Int32] = []

        public init() {}
    }

    /// Adds the deployments to `columns`, their services in its numbering; their commits come from `findCommits`.
    static func number(_ rows: DeploymentRows, into columns: inout DeliveryColumns) {
        var services = Numbering(names: columns.services)
        let serviceNumbers = rows.services.map { services.number(name: $0) }
        columns.services = services.names
        columns.environments = rows.environments
        columns.deploymentEnvironment = rows.environment
        columns.deploymentFinished = rows.finished
        columns.deploymentResult = rows.result
        columns.deploymentIDs = rows.ids
        columns.deploymentService = rows.service.map { serviceNumbers[Int($0)] }
        columns.projects = rows.projects
        columns.deploymentProject = rows.project
    }

    /// Each deployment's deployed commit (the first listed), its other listed commits that are known changes, and
    /// the listed commits incidents name.
    static func findCommits(
        _ rows: DeploymentRows, in columns: DeliveryColumns, keys: [UInt64]
    ) -> (heads: [Int32], extras: [Int32: [Int32]], named: [Int32: [String]]) {
        let ranges = columns.changeRanges()
        // Compared as integers: a String made from every listed sha cost more than finding the sha itself.
        let namedPrefixes = Set(DeliveryColumns.namedPrefixes(columns.incidents).map { DeliveryFacts.prefixKey($0.utf8) })
        var heads: [Int32] = []
        heads.reserveCapacity(rows.shas.count)
        var extras: [Int32: [Int32]] = [:]
        var named: [Int32: [String]] = [:]
        rows.shas.bytes.withUnsafeBytes { all in
            for deployment in 0..<rows.shas.count {
                let number = Int32(deployment)
                let service = Int(columns.deploymentService[deployment])
                let range = service < ranges.count ? ranges[service] : 0..<0
                let start = deployment == 0 ? 0 : rows.shas.ends[deployment - 1]
                var head: Int32 = -1
                var first = true
                for sha in UnsafeRawBufferPointer(rebasing: all[start..<rows.shas.ends[deployment]]).split(separator: UInt8(ascii: " ")) {
                    let found = columns.changeSHAs.find(UnsafeRawBufferPointer(rebasing: sha), in: range, keys: keys).map(Int32.init)
                        ?? Self.other(UnsafeRawBufferPointer(rebasing: sha), service: Int32(service), in: columns.graph)
                    if first { head = found ?? -1 } else if let found { extras[number, default: []].append(found) }
                    first = false
                    if !namedPrefixes.isEmpty, namedPrefixes.contains(DeliveryFacts.prefixKey(sha)) {
                        named[number, default: []].append(String(decoding: sha, as: UTF8.self))
                    }
                }
                heads.append(head)
            }
        }
        return (heads, extras, named)
    }

    /// A commit only history names, looked up when it is not a change (rare: most commits are changes).
    static func other(_ sha: UnsafeRawBufferPointer, service: Int32, in graph: CommitGraph) -> Int32? {
        guard graph.otherCount > 0, !sha.isEmpty else { return nil }
        return graph.other(service: service, sha: String(decoding: sha, as: UTF8.self))
    }

    /// Names numbered in order of first appearance; the last name read is remembered, since rows come in runs.
    public struct Numbering: Sendable {
        public private(set) var names: [String] = []
        private var numbers: [String: Int32] = [:]
        private var last: [UInt8] = []
        private var lastNumber: Int32 = -1

        public init(names: [String] = []) {
            for name in names { _ = self.number(name: name) }
        }

        public mutating func number(name: String) -> Int32 {
            if let known = self.numbers[name] { return known }
            self.names.append(name)
            self.numbers[name] = Int32(self.names.count - 1)
            return Int32(self.names.count - 1)
        }

        public mutating func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
            if self.lastNumber >= 0, bytes.count == self.last.count,
                bytes.isEmpty || self.last.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) }) == 0
            {
                return self.lastNumber
            }
            let number = self.number(name: String(decoding: bytes, as: UTF8.self))
            self.last = Array(bytes)
            self.lastNumber = number
            return number
        }
    }

    public static func result(_ text: UnsafeBufferPointer<UInt8>) -> DeploymentResult {
        switch text.first {
        case UInt8(ascii: "s"): .success
        case UInt8(ascii: "r"): .rolledBack
        default: .failure
        }
    }

}
