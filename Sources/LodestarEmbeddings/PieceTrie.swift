/// A byte-wise trie of vocabulary pieces, flattened into arrays. Finding the longest piece that starts at a
/// position is one walk down the trie, instead of building and hashing a String for every candidate end (which
/// is quadratic in the word's length). A piece found in the bytes always ends on a code point boundary, because
/// pieces are valid UTF-8 themselves, so the result is the reference's longest match in code points.
struct PieceTrie: Sendable {
    /// Node `n`'s outgoing edges are `edgeBytes[firstEdge[n]..<firstEdge[n + 1]]`, sorted, with their targets in
    /// `edgeTargets`; node 0 is the root.
    private let firstEdge: [Int32]
    private let edgeBytes: [UInt8]
    private let edgeTargets: [Int32]
    /// The id of the piece ending at each node, or -1.
    private let pieceIDs: [Int32]
    /// The root's children indexed by byte (-1 for none): every lookup starts there and it has the most edges.
    private let rootChildren: [Int32]

    init(_ pieces: [(utf8: [UInt8], id: Int32)]) {
        let sorted = pieces.filter { !$0.utf8.isEmpty }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        // Breadth-first over ranges of `sorted` sharing a prefix of length `depth`: a node's children are created
        // together, so each node's edges are contiguous and already in byte order.
        var nodes: [(start: Int, end: Int, depth: Int)] = [(0, sorted.count, 0)]
        var firstEdge: [Int32] = []
        var edgeBytes: [UInt8] = []
        var edgeTargets: [Int32] = []
        var pieceIDs: [Int32] = []
        var node = 0
        while node < nodes.count {
            var (start, end, depth) = nodes[node]
            var id: Int32 = -1
            // Sorting puts a piece before its extensions, so a piece ending here comes first in the range.
            if start < end, sorted[start].utf8.count == depth {
                id = sorted[start].id
                start += 1
            }
            pieceIDs.append(id)
            firstEdge.append(Int32(edgeBytes.count))
            while start < end {
                let byte = sorted[start].utf8[depth]
                var next = start + 1
                while next < end, sorted[next].utf8[depth] == byte { next += 1 }
                edgeBytes.append(byte)
                edgeTargets.append(Int32(nodes.count))
                nodes.append((start, next, depth + 1))
                start = next
            }
            node += 1
        }
        firstEdge.append(Int32(edgeBytes.count))

        var rootChildren = [Int32](repeating: -1, count: 256)
        for edge in Int(firstEdge[0])..<Int(firstEdge[1]) {
            rootChildren[Int(edgeBytes[edge])] = edgeTargets[edge]
        }
        self.firstEdge = firstEdge
        self.edgeBytes = edgeBytes
        self.edgeTargets = edgeTargets
        self.pieceIDs = pieceIDs
        self.rootChildren = rootChildren
    }

    /// The longest piece that `bytes` holds from `start`, with where it ends; nil when no piece starts there.
    func longestPrefix(of bytes: [UInt8], from start: Int) -> (id: Int32, end: Int)? {
        guard start < bytes.count else { return nil }
        var node = Int(self.rootChildren[Int(bytes[start])])
        var position = start + 1
        var best: (id: Int32, end: Int)?
        while node >= 0 {
            let id = self.pieceIDs[node]
            if id >= 0 { best = (id, position) }
            guard position < bytes.count else { break }
            node = self.child(of: node, byte: bytes[position])
            position += 1
        }
        return best
    }

    /// The node reached from `node` over `byte`, or -1. Inner nodes have few edges, so a scan is fastest.
    private func child(of node: Int, byte: UInt8) -> Int {
        var edge = Int(self.firstEdge[node])
        let end = Int(self.firstEdge[node + 1])
        while edge < end {
            let label = self.edgeBytes[edge]
            if label == byte { return Int(self.edgeTargets[edge]) }
            if label > byte { return -1 }
            edge += 1
        }
        return -1
    }
}

