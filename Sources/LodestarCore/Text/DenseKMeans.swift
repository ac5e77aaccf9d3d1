import Foundation

/// A clustering of the usable texts, by position among them.
struct ClusterResult: Sendable {
    var clusters: Int
    /// For each text, its centre and its similarity to it.
    var assignment: [Int]
    var similarity: [Float]
    /// The sum of the similarities: higher is better.
    var objective: Float
}

/// Spherical k-means over dense rows of length 1: each row joins the centre it has the largest dot product with,
/// and each centre is the normalised sum of its rows. Seeded by k-means++ from a fixed seed.
enum DenseKMeans {
    static let maxIterations = 30

    /// The best of `restarts` runs (by objective), each from its own seed.
    static func best(_ rows: DenseRows, k: Int, restarts: Int, seed: UInt64) -> ClusterResult {
        var best: ClusterResult?
        for restart in 0..<UInt64(max(1, restarts)) {
            let result = Self.run(rows, k: k, seed: seed &+ restart, maxIterations: Self.maxIterations)
            if best == nil || result.objective > best!.objective { best = result }
        }
        return best!
    }

    static func run(_ rows: DenseRows, k: Int, seed: UInt64, maxIterations: Int) -> ClusterResult {
        let (n, d) = (rows.count, rows.dimensions)
        var random = SeededGenerator(seed: seed)
        var centres = Array(repeating: Float(0), count: k * d)
        for (cluster, row) in Self.seeds(rows, k: k, random: &random).enumerated() {
            centres.replaceSubrange((cluster * d)..<((cluster + 1) * d), with: rows.row(row))
        }
        var assignment = Array(repeating: -1, count: n)
        var similarity = Array(repeating: Float(0), count: n)
        for _ in 0..<maxIterations {
            let previous = assignment
            rows.values.withUnsafeBufferPointer { values in
                centres.withUnsafeBufferPointer { centres in
                    assignment.withUnsafeMutableBufferPointer { assignment in
                        similarity.withUnsafeMutableBufferPointer { similarity in
                            // Rows are independent: shared out over the cores in fixed chunks, so the result does
                            // not depend on how many there are.
                            let (assignment, similarity) = (assignment, similarity)
                            Parallel.chunks(of: n) { range in
                                for row in range {
                                    let vector = values.baseAddress! + row * d
                                    var (best, bestScore) = (0, -Float.infinity)
                                    for cluster in 0..<k {
                                        let score = DenseRows.dot(vector, centres.baseAddress! + cluster * d, d)
                                        if score > bestScore { (best, bestScore) = (cluster, score) }
                                    }
                                    assignment[row] = best
                                    similarity[row] = bestScore
                                }
                            }
                        }
                    }
                }
            }
            let changed = zip(previous, assignment).reduce(0) { $0 + ($1.0 == $1.1 ? 0 : 1) }
            // Done when (almost) nobody moves.
            guard changed > n / 500 else { break }
            var sums = Array(repeating: Float(0), count: k * d)
            var sizes = Array(repeating: 0, count: k)
            for row in 0..<n {
                let cluster = assignment[row]
                sizes[cluster] += 1
                let start = row * d
                for dimension in 0..<d { sums[cluster * d + dimension] += rows.values[start + dimension] }
            }
            var updated = DenseRows(dimensions: d, values: sums)
            updated.normalise()
            // An emptied centre keeps its place.
            for cluster in 0..<k where sizes[cluster] > 0 {
                centres.replaceSubrange((cluster * d)..<((cluster + 1) * d), with: updated.row(cluster))
            }
        }
        return ClusterResult(clusters: k, assignment: assignment, similarity: similarity, objective: similarity.reduce(0, +))
    }

    /// k-means++: the first centre at random, each next one with a chance growing with its distance from the
    /// nearest centre chosen so far.
    static func seeds(_ rows: DenseRows, k: Int, random: inout SeededGenerator) -> [Int] {
        let n = rows.count
        var chosen = [Int(random.next() % UInt64(n))]
        var distance = Array(repeating: Float.infinity, count: n)
        rows.values.withUnsafeBufferPointer { values in
            while chosen.count < k {
                let latest = values.baseAddress! + chosen[chosen.count - 1] * rows.dimensions
                for row in 0..<n {
                    let similarity = DenseRows.dot(values.baseAddress! + row * rows.dimensions, latest, rows.dimensions)
                    distance[row] = min(distance[row], max(0, 1 - similarity))
                }
                let total = distance.reduce(Float(0)) { $0 + $1 * $1 }
                var target = Float(Double(random.next() % 1_000_000) / 1_000_000) * total
                var pick = chosen.count % n
                if total > 0 {
                    pick = n - 1
                    for row in 0..<n {
                        target -= distance[row] * distance[row]
                        if target <= 0, distance[row] > 0 {
                            pick = row
                            break
                        }
                    }
                }
                chosen.append(pick)
            }
        }
        return chosen
    }
}

/// Work over a range of rows shared among the cores, in chunks fixed by the range alone.
enum Parallel {
    static let chunk = 256

    static func chunks(of count: Int, _ body: (Range<Int>) -> Void) {
        let pieces = (count + Self.chunk - 1) / Self.chunk
        guard pieces > 1 else { return body(0..<count) }
        withoutActuallyEscaping(body) { body in
            // The callers write disjoint rows of buffers they own for the duration of the call.
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: pieces) { piece in
                body((piece * Self.chunk)..<min(count, (piece + 1) * Self.chunk))
            }
        }
    }
}
