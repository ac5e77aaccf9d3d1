import Foundation

extension DeliveryColumnsAssembly {
    typealias ShortKey = ShortSHAs.Resolver<Int32>.Key

    /// Replaces short hashes in the rows as read with the full hashes they stand for (see `ShortSHAs`), before any
    /// commit is looked up: a short hash's change joins its full hash's change (or becomes it, when the full hash is
    /// known only from history or a deployment), and parents, stated history and deployments' lists name the full
    /// hash. Without any short hash stored, the usual case, this is one pass over the hashes' lengths.
    static func resolveShortSHAs(_ columns: inout DeliveryColumns, parents: inout TextColumn, edges: inout EdgeRows, deployments shas: inout TextColumn) {
        let changeService = columns.changeService
        let edgeService = edges.service
        let deploymentService = columns.deploymentService
        var resolver = ShortSHAs.Resolver<Int32>()
        func visit(_ body: (UnsafeRawBufferPointer, Int32) -> Void) {
            ShortSHAs.forEach(columns.changeSHAs) { body($1, changeService[$0]) }
            ShortSHAs.forEach(parents) { body($1, changeService[$0]) }
            ShortSHAs.forEach(edges.heads) { body($1, edgeService[$0]) }
            ShortSHAs.forEach(edges.contained) { body($1, edgeService[$0]) }
            ShortSHAs.forEachListed(shas) { body($1, deploymentService[$0]) }
        }
        visit { resolver.addShort($0, service: $1) }
        guard !resolver.isEmpty else { return }
        visit { resolver.offer($0, service: $1) }
        let (found, ambiguous) = resolver.resolution()
        let services = columns.services
        columns.ambiguousShortSHAs = AmbiguousShortSHA.sorted(
            ambiguous.map { AmbiguousShortSHA(service: services[Int($0.0.service)], sha: $0.0.sha, matches: $0.1) }
        )
        guard !found.isEmpty else { return }

        func full(_ sha: UnsafeRawBufferPointer, service: Int32) -> String? {
            ShortSHAs.isShort(sha) ? found[ShortKey(service: service, sha: String(decoding: sha, as: UTF8.self))] : nil
        }
        func resolved(_ column: TextColumn, service: (Int) -> Int32) -> TextColumn {
            var result = TextColumn()
            result.reserveCapacity(texts: column.count, bytes: column.bytes.count)
            ShortSHAs.forEach(column) { index, sha in
                if let full = full(sha, service: service(index)) { result.append(full) } else { result.append(sha.bindMemory(to: UInt8.self)) }
            }
            return result
        }
        parents = resolved(parents) { changeService[$0] }
        edges.heads = resolved(edges.heads) { edgeService[$0] }
        edges.contained = resolved(edges.contained) { edgeService[$0] }
        shas = Self.resolvedLists(shas) { sha, deployment in full(sha, service: deploymentService[deployment]) }

        var moved: [(row: Int, sha: String)] = []
        ShortSHAs.forEach(columns.changeSHAs) { row, sha in
            if let full = full(sha, service: changeService[row]) { moved.append((row, full)) }
        }
        if !moved.isEmpty { Self.merge(moved, into: &columns, parents: &parents, edges: &edges) }
    }

    /// Deployments' space-separated lists with each short hash that stands for a full one replaced by it.
    static func resolvedLists(_ lists: TextColumn, full: (UnsafeRawBufferPointer, Int) -> String?) -> TextColumn {
        var result = TextColumn()
        result.reserveCapacity(texts: lists.count, bytes: lists.bytes.count)
        ShortSHAs.forEach(lists) { deployment, text in
            let listed = text.split(separator: UInt8(ascii: " ")).map { UnsafeRawBufferPointer(rebasing: $0) }
            let replaced = listed.map { full($0, deployment) }
            if replaced.allSatisfy({ $0 == nil }) {
                result.append(text.bindMemory(to: UInt8.self))
            } else {
                result.append(zip(listed, replaced).map { sha, full in full ?? String(decoding: sha, as: UTF8.self) }.joined(separator: " "))
            }
        }
        return result
    }

    /// Moves the changes in `moved` to their full hashes, keeping the columns in order of service then sha, and
    /// combines the reports of one commit as the stores' upsert would: the earliest start and commit time, the
    /// smaller parent, and any other parent stated as history.
    static func merge(_ moved: [(row: Int, sha: String)], into columns: inout DeliveryColumns, parents: inout TextColumn, edges: inout EdgeRows) {
        let old = columns
        let oldParents = parents
        // Services are numbered in the order their changes are read, so service numbers ascend with the rows.
        let sortedMoves = moved.sorted { left, right in
            let (l, r) = (old.changeService[left.row], old.changeService[right.row])
            if l != r { return l < r }
            return left.sha != right.sha ? Array(left.sha.utf8).lexicographicallyPrecedes(right.sha.utf8) : left.row < right.row
        }
        var isMoved = Array(repeating: false, count: old.changeService.count)
        for move in moved { isMoved[move.row] = true }

        // Every row once, in the new order: each kept row where it was, each moved one where its full hash sorts.
        var order: [(row: Int, sha: String?)] = []
        order.reserveCapacity(old.changeService.count)
        var next = 0
        for row in 0..<old.changeService.count where !isMoved[row] {
            while next < sortedMoves.count, Self.precedes(sortedMoves[next], row: row, in: old) {
                order.append((sortedMoves[next].row, sortedMoves[next].sha))
                next += 1
            }
            order.append((row, nil))
        }
        order += sortedMoves[next...].map { ($0.row, $0.sha) }

        var result = old
        result.changeService = []
        result.changeStart = []
        result.changeCommitted = []
        result.changeSHAs = TextColumn()
        var newParents = TextColumn()
        func sha(_ entry: (row: Int, sha: String?)) -> String { entry.sha ?? old.changeSHAs[entry.row] }
        var start = 0
        while start < order.count {
            // One commit: the entries of one service and one (full) hash, which sort next to each other.
            var end = start + 1
            let first = order[start]
            if first.sha != nil || (start + 1 < order.count && order[start + 1].sha != nil) {
                while end < order.count, old.changeService[order[end].row] == old.changeService[first.row], sha(order[end]) == sha(first) { end += 1 }
            }
            let rows = order[start..<end].map(\.row)
            let service = old.changeService[first.row]
            result.changeService.append(service)
            result.changeStart.append(rows.map { old.changeStart[$0] }.min()!)
            result.changeCommitted.append(rows.map { old.changeCommitted[$0] }.min()!)
            if rows.count == 1, first.sha == nil {
                oldParents.bytes.withUnsafeBufferPointer { all in newParents.append(UnsafeBufferPointer(rebasing: all[oldParents.start(first.row)..<oldParents.ends[first.row]])) }
                old.changeSHAs.bytes.withUnsafeBufferPointer { all in
                    result.changeSHAs.append(UnsafeBufferPointer(rebasing: all[old.changeSHAs.start(first.row)..<old.changeSHAs.ends[first.row]]))
                }
            } else {
                let head = sha(first)
                result.changeSHAs.append(head)
                var kept: String?
                for row in rows {
                    let parent = oldParents[row]
                    let (smaller, other) = ShortSHAs.parents(kept, parent.isEmpty ? nil : parent)
                    kept = smaller
                    if let other, other != head {
                        edges.service.append(service)
                        edges.heads.append(head)
                        edges.contained.append(other)
                    }
                }
                newParents.append(kept ?? "")
            }
            start = end
        }
        columns = result
        parents = newParents
    }

    /// Whether a moved change sorts before the kept change `row`: by service, then by sha byte-wise.
    static func precedes(_ move: (row: Int, sha: String), row: Int, in columns: DeliveryColumns) -> Bool {
        let (moveService, rowService) = (columns.changeService[move.row], columns.changeService[row])
        if moveService != rowService { return moveService < rowService }
        var sha = move.sha
        return sha.withUTF8 { columns.changeSHAs.compare(row, with: UnsafeRawBufferPointer($0)) } > 0
    }
}
