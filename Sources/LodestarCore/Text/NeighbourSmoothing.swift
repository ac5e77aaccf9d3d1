import Foundation

/// Each row pulled halfway towards the mean of its nearest neighbours, then scaled back to length 1. A short
/// answer ("CI. Just CI.") says little on its own; its neighbours say what it is about, and k-means then sees
/// tighter, rounder groups. This is the step that most raised the development figures, with and without the
/// sentence model (README, "How themes are found").
enum NeighbourSmoothing {
    static let neighbours = 5
    /// How much of the smoothed row is the row itself.
    static let ownWeight: Float = 0.5
    /// Up to this many rows, every pair is compared; above it, each row looks only among the rows of its three
    /// nearest coarse groups (a k-means of about √n groups), which keeps 20,000 texts well under a second.
    static let exactLimit = 2_000
    static let coarseProbes = 3
    static let maxCandidates = 600
    /// Above this many rows the step is skipped: it would cost more than the rest of the grouping together, and so
    /// many texts have neighbours enough of their own.
    static let largest = 10_000

    static func smoothed(_ rows: DenseRows) -> DenseRows {
        let n = rows.count
        guard n > Self.neighbours, n <= Self.largest else { return rows }
        let candidates: (Int) -> [Int]
        if n <= Self.exactLimit {
            let all = Array(0..<n)
            candidates = { _ in all }
        } else {
            let groups = Int(Double(n).squareRoot().rounded())
            let coarse = DenseKMeans.run(rows, k: groups, seed: 7, maxIterations: 4)
            var members = Array(repeating: [Int](), count: groups)
            for (row, group) in coarse.assignment.enumerated() { members[group].append(row) }
            var centres = DenseRows(dimensions: rows.dimensions, count: groups)
            for (row, group) in coarse.assignment.enumerated() {
                for dimension in 0..<rows.dimensions {
                    centres.values[group * rows.dimensions + dimension] += rows.values[row * rows.dimensions + dimension]
                }
            }
            centres.normalise()
            candidates = { row in
                let nearest = (0..<groups).map { group in
                    (group, rows.values.withUnsafeBufferPointer { values in
                        centres.values.withUnsafeBufferPointer { centres in
                            DenseRows.dot(values.baseAddress! + row * rows.dimensions, centres.baseAddress! + group * rows.dimensions, rows.dimensions)
                        }
                    })
                }.sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(Self.coarseProbes)
                // Coarse groups come out uneven; a cap keeps one huge group from making the search quadratic.
                return Array(nearest.lazy.flatMap { members[$0.0] }.prefix(Self.maxCandidates))
            }
        }
        var smoothed = DenseRows(dimensions: rows.dimensions, count: n)
        let d = rows.dimensions
        rows.values.withUnsafeBufferPointer { values in
            smoothed.values.withUnsafeMutableBufferPointer { output in
                let output = output
                Parallel.chunks(of: n) { range in
                    for row in range {
                        let vector = values.baseAddress! + row * d
                        // The best few, kept sorted by similarity (ties by row number), without sorting every candidate.
                        var best: [(similarity: Float, row: Int)] = []
                        for other in candidates(row) where other != row {
                            let similarity = DenseRows.dot(vector, values.baseAddress! + other * d, d)
                            if best.count == Self.neighbours, let last = best.last, (similarity, last.row) <= (last.similarity, other) { continue }
                            let place = best.firstIndex { (similarity, $0.row) > ($0.similarity, other) } ?? best.count
                            best.insert((similarity, other), at: place)
                            if best.count > Self.neighbours { best.removeLast() }
                        }
                        let share = (1 - Self.ownWeight) / Float(max(1, best.count))
                        for dimension in 0..<d {
                            var value = Self.ownWeight * vector[dimension]
                            for neighbour in best { value += share * values[neighbour.row * d + dimension] }
                            output[row * d + dimension] = value
                        }
                    }
                }
            }
        }
        smoothed.normalise()
        return smoothed
    }
}
