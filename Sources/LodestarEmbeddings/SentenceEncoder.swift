import COpenBLAS
import Foundation

/// Sentence embeddings from a BERT sentence model in a local folder (all-MiniLM-L6-v2: 384 numbers a sentence),
/// computed natively: WordPiece tokens, the transformer encoder with its matrix products through OpenBLAS, the
/// mean over the sentence's tokens, scaled to length 1. Nothing is downloaded and nothing else runs.
///
/// Sentences are packed rather than padded: a batch is one matrix of all its sentences' tokens, and attention
/// only ever looks within a sentence. That is exactly what BERT's attention mask does for padded batches, without
/// computing the padding.
public struct SentenceEncoder: Sendable {
    public let folder: URL
    public let tokenizer: WordPieceTokenizer
    let configuration: BertConfiguration
    let weights: BertWeights

    /// The files a model folder must hold.
    public static let requiredFiles = ["config.json", "vocab.txt", "model.safetensors"]

    public var dimensions: Int { self.configuration.hidden }
    /// The longest input in tokens, [CLS] and [SEP] included; longer answers are cut.
    public var maxTokens: Int { self.configuration.maxSequenceLength }

    public init(folder: URL) throws(ModelError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ModelError(file: folder.path, "is not a model folder (it does not exist or is not a folder)")
        }
        for name in Self.requiredFiles where !FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) {
            throw ModelError(file: folder.appendingPathComponent(name).path, "is missing: the model folder is incomplete")
        }
        self.folder = folder
        self.configuration = try BertConfiguration(folder: folder)
        self.tokenizer = try WordPieceTokenizer(folder: folder)
        guard self.tokenizer.vocabularySize == self.configuration.vocabularySize else {
            throw ModelError(
                file: folder.appendingPathComponent("vocab.txt").path,
                "holds \(self.tokenizer.vocabularySize) tokens but config.json says vocab_size \(self.configuration.vocabularySize)"
            )
        }
        self.weights = try BertWeights(SafeTensors(file: folder.appendingPathComponent("model.safetensors")), self.configuration)
    }

    /// How many tokens go through the encoder at once: large enough for efficient matrix products, small enough
    /// that the intermediate activations (tokens × 1536 floats) stay a few tens of MB.
    static let tokensPerBatch = 4096

    /// The embeddings of `texts`, in order.
    public func embed(_ texts: [String]) -> SentenceEmbeddings {
        let encodings = texts.map { self.tokenizer.encode($0, maxLength: self.maxTokens) }
        var values = [Float](repeating: 0, count: texts.count * self.dimensions)
        var start = 0
        while start < encodings.count {
            var end = start
            var tokens = 0
            while end < encodings.count, end == start || tokens + encodings[end].ids.count <= Self.tokensPerBatch {
                tokens += encodings[end].ids.count
                end += 1
            }
            let pooled = self.encode(Array(encodings[start..<end].map(\.ids)))
            values.replaceSubrange((start * self.dimensions)..<(end * self.dimensions), with: pooled)
            start = end
        }
        return SentenceEmbeddings(
            dimensions: self.dimensions, values: values, tokenCounts: encodings.map(\.ids.count), truncated: encodings.map(\.truncated)
        )
    }

    /// One packed batch through the encoder; returns each sentence's pooled, normalised vector.
    func encode(_ sentences: [[Int32]]) -> [Float] {
        let hidden = self.configuration.hidden
        let inner = self.configuration.intermediate
        var offsets = [0]
        for ids in sentences { offsets.append(offsets[offsets.count - 1] + ids.count) }
        let count = offsets[offsets.count - 1]
        var state = [Float](repeating: 0, count: count * hidden)
        var qkv = [Float](repeating: 0, count: count * 3 * hidden)
        var context = [Float](repeating: 0, count: count * hidden)
        var projected = [Float](repeating: 0, count: count * hidden)
        var expanded = [Float](repeating: 0, count: count * inner)

        // Embeddings: word + position (within its sentence) + token type 0, then LayerNorm.
        self.weights.wordEmbeddings.withUnsafeBufferPointer { words in
            self.weights.positionEmbeddings.withUnsafeBufferPointer { positions in
                state.withUnsafeMutableBufferPointer { state in
                    for (sentence, ids) in sentences.enumerated() {
                        for (position, id) in ids.enumerated() {
                            let row = (offsets[sentence] + position) * hidden
                            let word = Int(id) * hidden
                            let place = position * hidden
                            for column in 0..<hidden {
                                state[row + column] = words[word + column] + positions[place + column] + self.weights.tokenType[column]
                            }
                        }
                    }
                }
            }
        }
        Self.normalise(&state, rows: count, columns: hidden, self.weights.embeddingNorm, epsilon: self.configuration.layerNormEpsilon)

        for layer in self.weights.layers {
            // Self-attention: queries, keys and values in one product, then each sentence and head on its own.
            Self.linear(state, rows: count, inputs: hidden, layer.qkv, layer.qkvBias, outputs: 3 * hidden, into: &qkv)
            self.attend(qkv, offsets: offsets, into: &context)
            Self.linear(context, rows: count, inputs: hidden, layer.attentionOutput, layer.attentionOutputBias, outputs: hidden, into: &projected)
            Self.add(projected, to: &state)
            Self.normalise(&state, rows: count, columns: hidden, layer.attentionNorm, epsilon: self.configuration.layerNormEpsilon)
            // Feed-forward: up to 1536 with the exact (erf) GELU, back down to 384.
            Self.linear(state, rows: count, inputs: hidden, layer.intermediate, layer.intermediateBias, outputs: inner, into: &expanded)
            Self.gelu(&expanded)
            Self.linear(expanded, rows: count, inputs: inner, layer.output, layer.outputBias, outputs: hidden, into: &projected)
            Self.add(projected, to: &state)
            Self.normalise(&state, rows: count, columns: hidden, layer.outputNorm, epsilon: self.configuration.layerNormEpsilon)
        }

        // Mean over each sentence's tokens, then length 1.
        var pooled = [Float](repeating: 0, count: sentences.count * hidden)
        for sentence in sentences.indices {
            let (first, last) = (offsets[sentence], offsets[sentence + 1])
            var sum = [Double](repeating: 0, count: hidden)
            for row in first..<last {
                for column in 0..<hidden { sum[column] += Double(state[row * hidden + column]) }
            }
            let norm = sum.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { continue }
            for column in 0..<hidden { pooled[sentence * hidden + column] = Float(sum[column] / norm) }
        }
        return pooled
    }

    /// Scaled dot-product attention of every head of every sentence; `qkv` holds each token's query, key and value
    /// side by side (3 × hidden a row), `context` receives each token's heads side by side. Sentences are shared
    /// out among the cores; each writes only its own rows of `context`.
    func attend(_ qkv: [Float], offsets: [Int], into context: inout [Float]) {
        let hidden = self.configuration.hidden
        let heads = self.configuration.heads
        let size = self.configuration.headSize
        let scale = 1 / Float(size).squareRoot()
        let sentences = offsets.count - 1
        let longest = (0..<sentences).map { offsets[$0 + 1] - offsets[$0] }.max() ?? 0
        let workers = Self.workers(for: sentences)
        qkv.withUnsafeBufferPointer { qkv in
            context.withUnsafeMutableBufferPointer { context in
                nonisolated(unsafe) let (qkv, context) = (qkv.baseAddress!, context.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(1, longest))
                    defer { scores.deallocate() }
                    for sentence in stride(from: worker, to: sentences, by: workers) {
                        let (first, last) = (offsets[sentence], offsets[sentence + 1])
                        for head in 0..<heads {
                            let (queryColumn, keyColumn, valueColumn) = (head * size, hidden + head * size, 2 * hidden + head * size)
                            for row in first..<last {
                                let query = qkv + row * 3 * hidden + queryColumn
                                var largest = -Float.infinity
                                for other in first..<last {
                                    let score = Vectors.dot(query, qkv + other * 3 * hidden + keyColumn, size) * scale
                                    scores[other - first] = score
                                    largest = max(largest, score)
                                }
                                var total: Float = 0
                                for other in 0..<(last - first) {
                                    scores[other] = exp(scores[other] - largest)
                                    total += scores[other]
                                }
                                let out = context + row * hidden + head * size
                                out.update(repeating: 0, count: size)
                                for other in first..<last {
                                    Vectors.add(scores[other - first] / total, times: qkv + other * 3 * hidden + valueColumn, to: out, size)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `output` (rows × outputs) = `input` (rows × inputs) · `weight`ᵀ + `bias`, the weight stored outputs × inputs.
    /// The rows are shared out among the cores, each running a single-threaded OpenBLAS product on its share:
    /// OpenBLAS's own threads would spin between products while attention and GELU need the cores.
    static func linear(
        _ input: [Float], rows: Int, inputs: Int, _ weight: [Float], _ bias: [Float], outputs: Int, into output: inout [Float]
    ) {
        Self.singleThreadedBLAS
        let workers = Self.workers(for: rows / 64)
        let share = (rows + workers - 1) / workers
        input.withUnsafeBufferPointer { input in
            weight.withUnsafeBufferPointer { weight in
                output.withUnsafeMutableBufferPointer { output in
                    nonisolated(unsafe) let (input, weight, output) = (input.baseAddress!, weight.baseAddress!, output.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: workers) { worker in
                        let (first, last) = (worker * share, min(rows, (worker + 1) * share))
                        guard first < last else { return }
                        for row in first..<last {
                            (output + row * outputs).update(from: bias, count: outputs)
                        }
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(last - first), Int32(outputs), Int32(inputs), 1,
                            input + first * inputs, Int32(inputs), weight, Int32(inputs), 1, output + first * outputs, Int32(outputs)
                        )
                    }
                }
            }
        }
    }

    /// Set once, before the first product.
    static let singleThreadedBLAS: Void = openblas_set_num_threads(1)

    static func add(_ values: [Float], to target: inout [Float]) {
        for index in target.indices { target[index] += values[index] }
    }

    /// Each row to mean 0 and variance 1, then scaled and shifted by the LayerNorm's weight and bias.
    static func normalise(_ values: inout [Float], rows: Int, columns: Int, _ norm: BertWeights.LayerNorm, epsilon: Float) {
        values.withUnsafeMutableBufferPointer { values in
            for row in 0..<rows {
                let start = row * columns
                var mean: Float = 0
                for column in 0..<columns { mean += values[start + column] }
                mean /= Float(columns)
                var variance: Float = 0
                for column in 0..<columns {
                    let centred = values[start + column] - mean
                    variance += centred * centred
                }
                let scale = 1 / (variance / Float(columns) + epsilon).squareRoot()
                for column in 0..<columns {
                    values[start + column] = (values[start + column] - mean) * scale * norm.weight[column] + norm.bias[column]
                }
            }
        }
    }

    /// The exact GELU, x·Φ(x) = x/2·(1 + erf(x/√2)), as BERT was trained with (not the tanh approximation); erf
    /// comes from `ErfTable`, exact to float precision.
    static func gelu(_ values: inout [Float]) {
        let workers = Self.workers(for: values.count / 4096)
        let share = (values.count + workers - 1) / workers
        ErfTable.shared.points.withUnsafeBufferPointer { points in
            values.withUnsafeMutableBufferPointer { values in
                let count = values.count
                nonisolated(unsafe) let (points, values) = (points.baseAddress!, values.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    for index in (worker * share)..<min(count, (worker + 1) * share) {
                        let x = values[index]
                        values[index] = 0.5 * x * (1 + ErfTable.erf(x * 0.70710678, points))
                    }
                }
            }
        }
    }

    /// How many threads share a piece of work of `items` items: one for small work, else one a core.
    static func workers(for items: Int) -> Int {
        items < 2 ? 1 : max(1, min(items, ProcessInfo.processInfo.activeProcessorCount))
    }
}

/// erf by cubic Hermite interpolation in a table of erf and its derivative at steps of 1/512 over [-4, 4] (beyond,
/// erf is ±1 to float precision). The interpolation error is below 1e-12, so the result is as exact as a float
/// erf, at a fraction of the cost of the C library's: GELU takes an erf for every one of 1536 values per token
/// and layer.
struct ErfTable: Sendable {
    static let shared = ErfTable()
    static let limit: Float = 4
    static let stepsPerUnit: Float = 512

    /// (erf, erf′ × step) at each grid point.
    let points: [SIMD2<Float>]

    init() {
        let count = Int(2 * Self.limit * Self.stepsPerUnit) + 2
        let step = 1 / Double(Self.stepsPerUnit)
        self.points = (0..<count).map { index in
            let u = -Double(Self.limit) + Double(index) * step
            return SIMD2(Float(Foundation.erf(u)), Float(2 / Double.pi.squareRoot() * Foundation.exp(-u * u) * step))
        }
    }

    /// erf(u) from the table's `points`; outside the table ±1.
    @inline(__always)
    static func erf(_ u: Float, _ points: UnsafePointer<SIMD2<Float>>) -> Float {
        // Clamped just inside the table, where erf is ±1 to float precision anyway: no branch, and the index
        // below is always valid.
        let position = (min(max(u, -Self.limit), Self.limit * 0.99999) + Self.limit) * Self.stepsPerUnit
        let whole = position.rounded(.towardZero)
        let index = Int(Int32(whole))
        let t = position - whole
        let (left, right) = (points[index], points[index + 1])
        let (s, r) = (t * t, 1 - t)
        // Hermite basis: values at both ends weighted by h00 and h01, slopes by h10 and h11.
        return (1 + 2 * t) * r * r * left.x + t * r * r * left.y + s * (3 - 2 * t) * right.x - s * r * right.y
    }
}

/// Small vector kernels for attention, sixteen floats at a time.
enum Vectors {
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var sum = SIMD16<Float>()
        var index = 0
        while index + 16 <= count {
            sum += UnsafeRawPointer(a + index).loadUnaligned(as: SIMD16<Float>.self) * UnsafeRawPointer(b + index).loadUnaligned(as: SIMD16<Float>.self)
            index += 16
        }
        var total = sum.sum()
        while index < count {
            total += a[index] * b[index]
            index += 1
        }
        return total
    }

    /// target += weight × values
    @inline(__always)
    static func add(_ weight: Float, times values: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, _ count: Int) {
        var index = 0
        while index + 16 <= count {
            let sum = UnsafeRawPointer(target + index).loadUnaligned(as: SIMD16<Float>.self)
                + weight * UnsafeRawPointer(values + index).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(target + index).storeBytes(of: sum, as: SIMD16<Float>.self)
            index += 16
        }
        while index < count {
            target[index] += weight * values[index]
            index += 1
        }
    }
}

/// Sentence vectors, one row of `dimensions` numbers a text, each of length 1.
public struct SentenceEmbeddings: Sendable, Equatable {
    public var dimensions: Int
    public var values: [Float]
    /// How many tokens each text became, [CLS] and [SEP] included.
    public var tokenCounts: [Int]
    /// Whether each text was cut at the model's limit.
    public var truncated: [Bool]

    public init(dimensions: Int, values: [Float], tokenCounts: [Int], truncated: [Bool]) {
        self.dimensions = dimensions
        self.values = values
        self.tokenCounts = tokenCounts
        self.truncated = truncated
    }

    public var count: Int { self.tokenCounts.count }

    public func vector(_ index: Int) -> ArraySlice<Float> {
        self.values[(index * self.dimensions)..<((index + 1) * self.dimensions)]
    }
}
