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
        /// Which of the five kinds of hashes hold a short one: only those are rewritten.
        var holdsShort = Array(repeating: false, count: 5)
        func visit(_ body: (Int, UnsafeRawBufferPointer, Int32) -> Void) {
            ShortSHAs.forEach(columns.changeSHAs) { body(0, $1, changeService[$0]) }
            ShortSHAs.forEach(parents) { body(1, $1, changeService[$0]) }
            ShortSHAs.forEach(edges.heads) { body(2, $1, edgeService[$0]) }
            ShortSHAs.forEach(edges.contained) { body(3, $1, edgeService[$0]) }
            ShortSHAs.forEachListed(shas) { body(4, $1, deploymentService[$0]) }
        }
        visit { kind, sha, service in
            if resolver.addShort(sha, service: service) { holdsShort[kind] = true }
        }
        guard !resolver.isEmpty else { return }
        visit { resolver.offer($1, service: $2) }
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
        if holdsShort[1] { parents = resolved(parents) { changeService[$0] } }
        if holdsShort[2] { edges.heads = resolved(edges.heads) { edgeService[$0] } }
        if holdsShort[3] { edges.contained = resolved(edges.contained) { edgeService[$0] } }
        if holdsShort[4] { shas = Self.resolvedLists(shas) { sha, deployment in full(sha, service: deploymentService[deployment]) } }

        var moved: [(row: Int, sha: String)] = []
        if holdsShort[0] {
            ShortSHAs.forEach(columns.changeSHAs) { row, sha in
                if let full = full(sha, service: changeService[row]) { moved.append((row, full)) }
            }
        }
        if !moved.isEmpty { Self.merge(moved, into: &columns, parents: &parents, edges: &edges) }
    }

    /// Deployments' space-separated lists with each short hash that stands for a full one replaced by it.
    static func resolvedLists(_ lists: TextColumn, full: (UnsafeRawBufferPointer, Int) -> String?) -> TextColumn {
        var result = TextColumn()
        result.reserveCapacity(texts: lists.count, bytes: lists.bytes.count)
        ShortSHAs.forEach(lists) { deployment, text in
            // Most deployments list one full hash: nothing to replace.
            guard text.count != 40, text.count != 64 else { return result.append(text.bindMemory(to: UInt8.self)) }
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
            return left.sha != right.sha ? left.sha.utf8.lexicographicallyPrecedes(right.sha.utf8) : left.row < right.row
        }
        var isMoved = Array(repeating: false, count: old.changeService.count)
        for move in moved { isMoved[move.row] = true }

        // Every row once, in the new order: each kept row where it was, each moved one where its full hash sorts.
        // An entry is a row and the index of its move in `sortedMoves`, or -1 for a kept row.
        var order: [(row: Int32, move: Int32)] = []
        order.reserveCapacity(old.changeService.count)
        var next = 0
        for row in 0..<old.changeService.count where !isMoved[row] {
            while next < sortedMoves.count, Self.precedes(sortedMoves[next], row: row, in: old) {
                order.append((Int32(sortedMoves[next].row), Int32(next)))
                next += 1
            }
            order.append((Int32(row), -1))
        }
        for index in next..<sortedMoves.count { order.append((Int32(sortedMoves[index].row), Int32(index))) }

        var result = old
        result.changeService = []
        result.changeStart = []
        result.changeCommitted = []
        result.changeSHAs = TextColumn()
        result.changeService.reserveCapacity(order.count)
        result.changeStart.reserveCapacity(order.count)
        result.changeCommitted.reserveCapacity(order.count)
        result.changeSHAs.reserveCapacity(texts: order.count, bytes: old.changeSHAs.bytes.count)
        var newParents = TextColumn()
        newParents.reserveCapacity(texts: order.count, bytes: oldParents.bytes.count)
        func sha(_ entry: (row: Int32, move: Int32)) -> String { entry.move >= 0 ? sortedMoves[Int(entry.move)].sha : old.changeSHAs[Int(entry.row)] }
        oldParents.bytes.withUnsafeBufferPointer { parentBytes in
            old.changeSHAs.bytes.withUnsafeBufferPointer { shaBytes in
                var start = 0
                while start < order.count {
                    let first = order[start]
                    let row = Int(first.row)
                    let service = old.changeService[row]
                    // Kept rows are unique, so only a run that involves a moved row can be one commit reported twice.
                    guard first.move >= 0 || (start + 1 < order.count && order[start + 1].move >= 0) else {
                        result.changeService.append(service)
                        result.changeStart.append(old.changeStart[row])
                        result.changeCommitted.append(old.changeCommitted[row])
                        result.changeSHAs.append(UnsafeBufferPointer(rebasing: shaBytes[old.changeSHAs.start(row)..<old.changeSHAs.ends[row]]))
                        newParents.append(UnsafeBufferPointer(rebasing: parentBytes[oldParents.start(row)..<oldParents.ends[row]]))
                        start += 1
                        continue
                    }
                    // One commit: the entries of one service and one (full) hash, which sort next to each other.
                    let head = sha(first)
                    var end = start + 1
                    while end < order.count, old.changeService[Int(order[end].row)] == service, sha(order[end]) == head { end += 1 }
                    result.changeService.append(service)
                    result.changeSHAs.append(head)
                    var (earliestStart, earliestCommit) = (Double.infinity, Double.infinity)
                    var kept: String?
                    for entry in order[start..<end] {
                        let row = Int(entry.row)
                        earliestStart = min(earliestStart, old.changeStart[row])
                        earliestCommit = min(earliestCommit, old.changeCommitted[row])
                        let parent = oldParents[row]
                        let (smaller, other) = ShortSHAs.parents(kept, parent.isEmpty ? nil : parent)
                        kept = smaller
                        if let other, other != head {
                            edges.service.append(service)
                            edges.heads.append(head)
                            edges.contained.append(other)
                        }
                    }
                    result.changeStart.append(earliestStart)
                    result.changeCommitted.append(earliestCommit)
                    newParents.append(kept ?? "")
                    start = end
                }
            }
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
