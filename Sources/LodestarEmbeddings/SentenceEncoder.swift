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
    /// side by side (3 × hidden a row), `context` receives each token's heads side by side.
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
                nonisolated(unsafe) let (qkv, context) = (qkv, context)
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    var scores = [Float](repeating: 0, count: longest)
                    scores.withUnsafeMutableBufferPointer { scores in
                        // Sentence by sentence, each worker its own share: they write disjoint rows of `context`.
                        for sentence in stride(from: worker, to: sentences, by: workers) {
                            let (first, last) = (offsets[sentence], offsets[sentence + 1])
                            for head in 0..<heads {
                                let (queryColumn, keyColumn, valueColumn) = (head * size, hidden + head * size, 2 * hidden + head * size)
                                for row in first..<last {
                                    let query = row * 3 * hidden + queryColumn
                                    var largest = -Float.infinity
                                    for other in first..<last {
                                        let key = other * 3 * hidden + keyColumn
                                        var dot: Float = 0
                                        for index in 0..<size { dot += qkv[query + index] * qkv[key + index] }
                                        scores[other - first] = dot * scale
                                        largest = max(largest, dot * scale)
                                    }
                                    var total: Float = 0
                                    for other in 0..<(last - first) {
                                        scores[other] = exp(scores[other] - largest)
                                        total += scores[other]
                                    }
                                    let out = row * hidden + head * size
                                    for index in 0..<size { context[out + index] = 0 }
                                    for other in first..<last {
                                        let weight = scores[other - first] / total
                                        let value = other * 3 * hidden + valueColumn
                                        for index in 0..<size { context[out + index] += weight * qkv[value + index] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `output` (rows × outputs) = `input` (rows × inputs) · `weight`ᵀ + `bias`, the weight stored outputs × inputs.
    static func linear(
        _ input: [Float], rows: Int, inputs: Int, _ weight: [Float], _ bias: [Float], outputs: Int, into output: inout [Float]
    ) {
        output.withUnsafeMutableBufferPointer { output in
            for row in 0..<rows {
                for column in 0..<outputs { output[row * outputs + column] = bias[column] }
            }
            input.withUnsafeBufferPointer { input in
                weight.withUnsafeBufferPointer { weight in
                    cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs), 1, input.baseAddress,
                        Int32(inputs), weight.baseAddress, Int32(inputs), 1, output.baseAddress, Int32(outputs)
                    )
                }
            }
        }
    }

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

    /// The exact GELU, x·Φ(x) = x/2·(1 + erf(x/√2)), as BERT was trained with (not the tanh approximation).
    static func gelu(_ values: inout [Float]) {
        let workers = Self.workers(for: values.count / 4096)
        let share = (values.count + workers - 1) / workers
        values.withUnsafeMutableBufferPointer { values in
            nonisolated(unsafe) let values = values
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for index in (worker * share)..<min(values.count, (worker + 1) * share) {
                    let x = values[index]
                    values[index] = 0.5 * x * (1 + erf(x * Float(0.5).squareRoot()))
                }
            }
        }
    }

    /// How many threads share a piece of work of `items` items: one for small work, else one a core.
    static func workers(for items: Int) -> Int {
        items < 2 ? 1 : max(1, min(items, ProcessInfo.processInfo.activeProcessorCount))
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
