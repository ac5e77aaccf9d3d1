/// Rows of `dimensions` numbers each, stored one after another: the vectors themes are clustered on (word topics,
/// meaning, or both side by side). Rows are usually of length 1, so a dot product is a cosine similarity.
struct DenseRows: Sendable, Equatable {
    var dimensions: Int
    var values: [Float]

    init(dimensions: Int, values: [Float]) {
        precondition(dimensions > 0 && values.count % dimensions == 0, "whole rows of \(dimensions) values")
        self.dimensions = dimensions
        self.values = values
    }

    init(dimensions: Int, count: Int) {
        self.init(dimensions: dimensions, values: Array(repeating: 0, count: dimensions * count))
    }

    var count: Int { self.values.count / self.dimensions }

    func row(_ index: Int) -> ArraySlice<Float> { self.values[(index * self.dimensions)..<((index + 1) * self.dimensions)] }

    /// Each row scaled to length 1; a row of zeros stays zeros.
    mutating func normalise() {
        let dimensions = self.dimensions
        self.values.withUnsafeMutableBufferPointer { values in
            for start in stride(from: 0, to: values.count, by: dimensions) {
                let row = UnsafeMutableBufferPointer(rebasing: values[start..<(start + dimensions)])
                let norm = Self.dot(UnsafeBufferPointer(row), UnsafeBufferPointer(row)).squareRoot()
                guard norm > 0 else { continue }
                for index in row.indices { row[index] /= norm }
            }
        }
    }

    /// Two sets of rows for the same texts side by side, the first scaled by √`firstWeight` and the second by
    /// √(1 − `firstWeight`): rows of length 1 stay of length 1, and a dot product is the weighted mix of the two
    /// cosine similarities.
    static func sideBySide(_ first: DenseRows, _ second: DenseRows, firstWeight: Float) -> DenseRows {
        precondition(first.count == second.count, "the same texts on both sides")
        let (a, b) = (firstWeight.squareRoot(), (1 - firstWeight).squareRoot())
        var values: [Float] = []
        values.reserveCapacity(first.values.count + second.values.count)
        for index in 0..<first.count {
            values += first.row(index).map { $0 * a }
            values += second.row(index).map { $0 * b }
        }
        return DenseRows(dimensions: first.dimensions + second.dimensions, values: values)
    }

    /// The rows less their mean, each scaled back to length 1. Sentence vectors of one survey all share a common
    /// direction (they are all about work, in the same register); taking it away leaves what tells them apart.
    func centred() -> DenseRows {
        var mean = Array(repeating: Float(0), count: self.dimensions)
        for index in 0..<self.count {
            for (dimension, value) in self.row(index).enumerated() { mean[dimension] += value }
        }
        let scale = 1 / Float(max(1, self.count))
        var result = self
        for index in result.values.indices { result.values[index] -= mean[index % self.dimensions] * scale }
        result.normalise()
        return result
    }

    /// The dot product of two runs of numbers of the same length, eight at a time.
    @inline(__always)
    static func dot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        dot(a.baseAddress!, b.baseAddress!, a.count)
    }

    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var sum = SIMD8<Float>()
        var index = 0
        while index + 8 <= count {
            let x = UnsafeRawPointer(a + index).loadUnaligned(as: SIMD8<Float>.self)
            let y = UnsafeRawPointer(b + index).loadUnaligned(as: SIMD8<Float>.self)
            sum += x * y
            index += 8
        }
        var rest = sum.sum()
        while index < count {
            rest += a[index] * b[index]
            index += 1
        }
        return rest
    }
}
