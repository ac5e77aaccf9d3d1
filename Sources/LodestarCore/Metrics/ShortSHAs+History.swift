import Foundation

extension ShortSHAs {
    typealias HistoryKey = Resolver<String>.Key

    /// The history with short hashes replaced by the full ones they stand for, as the loaders replace them in the
    /// rows they read (`DeliveryColumnsAssembly.resolveShortSHAs`): for the columns built from events.
    static func resolve(_ history: DeliveryHistory) -> (DeliveryHistory, [AmbiguousShortSHA]) {
        // The deployments the loaders read: those that count.
        let counted = DeploymentEvent.counted(history.deployments)
        func visit(_ body: (String, String) -> Void) {
            for change in history.changes {
                body(change.sha, change.service)
                if let parent = change.parent { body(parent, change.service) }
            }
            for stated in history.histories {
                body(stated.head, stated.service)
                for contained in stated.contains { body(contained, stated.service) }
            }
            for deployment in counted {
                for sha in deployment.shas { body(sha, deployment.service) }
            }
        }
        var resolver = Resolver<String>()
        visit { sha, service in
            var sha = sha
            sha.withUTF8 { resolver.addShort(UnsafeRawBufferPointer($0), service: service) }
        }
        guard !resolver.isEmpty else { return (history, []) }
        visit { sha, service in
            var sha = sha
            sha.withUTF8 { resolver.offer(UnsafeRawBufferPointer($0), service: service) }
        }
        let (found, unresolved) = resolver.resolution()
        let ambiguous = AmbiguousShortSHA.sorted(unresolved.map { AmbiguousShortSHA(service: $0.0.service, sha: $0.0.sha, matches: $0.1) })
        guard !found.isEmpty else { return (history, ambiguous) }

        func full(_ sha: String, _ service: String) -> String { found[HistoryKey(service: service, sha: sha)] ?? sha }
        var resolved = history
        resolved.histories = history.histories.map { stated in
            HistoryEvent(service: stated.service, head: full(stated.head, stated.service), contains: stated.contains.map { full($0, stated.service) })
        }
        resolved.deployments = history.deployments.map { deployment in
            var deployment = deployment
            deployment.shas = deployment.shas.map { full($0, deployment.service) }
            return deployment
        }
        // A short hash's change joins its full hash's: the reports of one commit, combined as the stores combine them.
        var changes: [ChangeEvent] = []
        var position: [HistoryKey: Int] = [:]
        var joined: Set<HistoryKey> = []
        for change in history.changes {
            var change = change
            let moved = found[HistoryKey(service: change.service, sha: change.sha)] != nil
            change.sha = full(change.sha, change.service)
            change.parent = change.parent.map { full($0, change.service) }
            let key = HistoryKey(service: change.service, sha: change.sha)
            if let index = position[key], moved || joined.contains(key) {
                let (combined, other) = Self.combine(changes[index], change)
                changes[index] = combined
                if let other, other != change.sha { resolved.histories.append(HistoryEvent(service: change.service, head: change.sha, contains: [other])) }
            } else {
                position[key] = changes.count
                changes.append(change)
            }
            if moved { joined.insert(key) }
        }
        resolved.changes = changes
        return (resolved, ambiguous)
    }

    /// Two reports of one commit as one: the earliest times, the smaller parent, and the other parent to state as
    /// history.
    static func combine(_ first: ChangeEvent, _ second: ChangeEvent) -> (ChangeEvent, otherParent: String?) {
        func earliest(_ a: Date?, _ b: Date?) -> Date? { [a, b].compactMap(\.self).min() }
        var combined = first
        combined.authoredAt = earliest(first.authoredAt, second.authoredAt)
        combined.committedAt = min(first.committedAt, second.committedAt)
        combined.prMergedAt = earliest(first.prMergedAt, second.prMergedAt)
        let (kept, other) = Self.parents(first.parent, second.parent)
        combined.parent = kept
        return (combined, other)
    }
}
