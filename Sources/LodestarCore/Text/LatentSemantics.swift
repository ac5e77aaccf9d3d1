import Foundation

/// Latent semantic analysis: the TF-IDF rows projected on their strongest few directions (a truncated singular
/// value decomposition), each scaled to length 1. Two answers that share no word but whose words keep the same
/// company elsewhere ("runners" and "queue", "flaky" and "retry") end up close, which raw TF-IDF cannot do; that is
/// what lets k-means find themes in short answers that share only one or two words each.
///
/// The decomposition is randomised (Halko, Martinsson and Tropp, 2011): the rows times a seeded Gaussian matrix,
/// a few power iterations, then an exact decomposition of the small remaining problem. Seeded, so the same texts
/// always give the same rows.
enum LatentSemantics {
    /// At most this many directions, and at most one for every five texts.
    static let maxDimensions = 100
    static let textsPerDimension = 5
    /// Extra random directions that make the strongest ones come out accurately.
    static let oversampling = 10
    static let powerIterations = 2

    /// The word rows of `texts` (indices into `vectors`), projected and normalised.
    static func project(_ vectors: TextVectors, texts: [Int], seed: UInt64) -> DenseRows {
        let n = texts.count
        let terms = vectors.terms.count
        let dimensions = max(1, min(Self.maxDimensions, terms, max(2, n / Self.textsPerDimension)))
        let width = min(dimensions + Self.oversampling, terms, n)
        guard n > 0, width > 0 else { return DenseRows(dimensions: 1, count: n) }

        var random = SeededGenerator(seed: seed)
        var omega = (0..<(terms * width)).map { _ in Self.gaussian(&random) }
        // Y = X Ω, then (X Xᵀ)^q Y, orthonormalised after each product so the directions stay apart.
        var basis = Self.times(vectors, texts: texts, omega, width: width)
        Self.orthonormalise(&basis, rows: n, width: width)
        for _ in 0..<Self.powerIterations {
            omega = Self.transposedTimes(vectors, texts: texts, basis, width: width)
            basis = Self.times(vectors, texts: texts, omega, width: width)
            Self.orthonormalise(&basis, rows: n, width: width)
        }
        // B = Qᵀ X is small (width × terms); B Bᵀ = (Xᵀ Q)ᵀ (Xᵀ Q), and its eigenvectors turn Q into the left
        // singular vectors of X.
        let z = Self.transposedTimes(vectors, texts: texts, basis, width: width)
        var gram = Array(repeating: 0.0, count: width * width)
        for term in 0..<terms {
            for a in 0..<width {
                let za = Double(z[term * width + a])
                guard za != 0 else { continue }
                for b in a..<width { gram[a * width + b] += za * Double(z[term * width + b]) }
            }
        }
        for a in 0..<width { for b in 0..<a { gram[a * width + b] = gram[b * width + a] } }
        let (values, vectorsByColumn) = SymmetricEigen.decompose(gram, size: width)
        let order = values.indices.sorted { (values[$0], $1) > (values[$1], $0) }.prefix(dimensions)

        // The rows' coordinates: Q times the chosen eigenvectors, each scaled by its singular value.
        var turn = Array(repeating: Float(0), count: width * dimensions)
        for (column, eigen) in order.enumerated() {
            let scale = max(0, values[eigen]).squareRoot()
            for j in 0..<width { turn[j * dimensions + column] = Float(vectorsByColumn[j * width + eigen] * scale) }
        }
        var projected = DenseRows(dimensions: dimensions, count: n)
        projected.values.withUnsafeMutableBufferPointer { output in
            for row in 0..<n {
                let out = output.baseAddress! + row * dimensions
                for j in 0..<width {
                    let factor = basis[row * width + j]
                    guard factor != 0 else { continue }
                    let source = turn.withUnsafeBufferPointer { $0.baseAddress! + j * dimensions }
                    for column in 0..<dimensions { out[column] += factor * source[column] }
                }
            }
        }
        projected.normalise()
        return projected
    }

    /// X M for the chosen rows of X (sparse) and M (terms × width, row by row): n × width, row by row.
    static func times(_ vectors: TextVectors, texts: [Int], _ matrix: [Float], width: Int) -> [Float] {
        var result = Array(repeating: Float(0), count: texts.count * width)
        result.withUnsafeMutableBufferPointer { result in
            matrix.withUnsafeBufferPointer { matrix in
                for (row, text) in texts.enumerated() {
                    let out = result.baseAddress! + row * width
                    for entry in vectors.row(text) {
                        let weight = vectors.weights[entry]
                        let source = matrix.baseAddress! + Int(vectors.termNumbers[entry]) * width
                        for j in 0..<width { out[j] += weight * source[j] }
                    }
                }
            }
        }
        return result
    }

    /// Xᵀ Y for the chosen rows of X and Y (n × width, row by row): terms × width, row by row.
    static func transposedTimes(_ vectors: TextVectors, texts: [Int], _ matrix: [Float], width: Int) -> [Float] {
        var result = Array(repeating: Float(0), count: vectors.terms.count * width)
        result.withUnsafeMutableBufferPointer { result in
            matrix.withUnsafeBufferPointer { matrix in
                for (row, text) in texts.enumerated() {
                    let source = matrix.baseAddress! + row * width
                    for entry in vectors.row(text) {
                        let weight = vectors.weights[entry]
                        let out = result.baseAddress! + Int(vectors.termNumbers[entry]) * width
                        for j in 0..<width { out[j] += weight * source[j] }
                    }
                }
            }
        }
        return result
    }

    /// Makes the columns of `matrix` (rows × width, row by row) orthonormal, by modified Gram–Schmidt run twice
    /// ("twice is enough"); a column that is (nearly) a mix of the ones before it becomes zero.
    static func orthonormalise(_ matrix: inout [Float], rows: Int, width: Int) {
        // Columns are worked on contiguously, so the matrix is turned column by column first.
        var columns = Array(repeating: Float(0), count: rows * width)
        for row in 0..<rows { for j in 0..<width { columns[j * rows + row] = matrix[row * width + j] } }
        columns.withUnsafeMutableBufferPointer { columns in
            let base = columns.baseAddress!
            for j in 0..<width {
                let column = base + j * rows
                let before = DenseRows.dot(column, column, rows).squareRoot()
                for _ in 0..<2 {
                    for previous in 0..<j {
                        let other = base + previous * rows
                        let projection = DenseRows.dot(column, other, rows)
                        for index in 0..<rows { column[index] -= projection * other[index] }
                    }
                }
                let norm = DenseRows.dot(column, column, rows).squareRoot()
                let scale: Float = norm > max(1e-6, before * 1e-4) ? 1 / norm : 0
                for index in 0..<rows { column[index] *= scale }
            }
        }
        for row in 0..<rows { for j in 0..<width { matrix[row * width + j] = columns[j * rows + row] } }
    }

    /// A standard normal number (Box–Muller) from the seeded generator.
    static func gaussian(_ random: inout SeededGenerator) -> Float {
        let u = (Double(random.next() >> 11) + 0.5) / Double(1 << 53)
        let v = Double(random.next() >> 11) / Double(1 << 53)
        return Float((-2 * log(u)).squareRoot() * cos(2 * Double.pi * v))
    }
}

/// Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations: exact to rounding, and
/// plenty fast for the hundred-odd rows LSA leaves.
enum SymmetricEigen {
    /// The matrix `size` × `size`, row by row; returns the eigenvalues and the eigenvectors as columns (row by row).
    static func decompose(_ matrix: [Double], size: Int) -> (values: [Double], vectors: [Double]) {
        var a = matrix
        var v = Array(repeating: 0.0, count: size * size)
        for i in 0..<size { v[i * size + i] = 1 }
        let total = a.reduce(0) { $0 + $1 * $1 }
        for _ in 0..<50 {
            var off = 0.0
            for p in 0..<size { for q in (p + 1)..<max(p + 1, size) { off += a[p * size + q] * a[p * size + q] } }
            guard off > 1e-22 * max(total, 1e-300) else { break }
            for p in 0..<size {
                for q in (p + 1)..<max(p + 1, size) where a[p * size + q] != 0 {
                    let apq = a[p * size + q]
                    let theta = (a[q * size + q] - a[p * size + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot()
                    let s = t * c
                    for k in 0..<size {
                        let (akp, akq) = (a[k * size + p], a[k * size + q])
                        a[k * size + p] = c * akp - s * akq
                        a[k * size + q] = s * akp + c * akq
                    }
                    for k in 0..<size {
                        let (apk, aqk) = (a[p * size + k], a[q * size + k])
                        a[p * size + k] = c * apk - s * aqk
                        a[q * size + k] = s * apk + c * aqk
                    }
                    for k in 0..<size {
                        let (vkp, vkq) = (v[k * size + p], v[k * size + q])
                        v[k * size + p] = c * vkp - s * vkq
                        v[k * size + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0..<size).map { a[$0 * size + $0] }, v)
    }
}
