import Foundation

/// The shape of a BERT encoder, read from the model's config.json, and the sequence limit from
/// sentence_bert_config.json (all-MiniLM-L6-v2: 6 layers, hidden 384, 12 heads, intermediate 1536, 256 tokens).
struct BertConfiguration: Equatable, Sendable {
    var vocabularySize: Int
    var hidden: Int
    var layers: Int
    var heads: Int
    var intermediate: Int
    var maxPositions: Int
    var typeVocabularySize: Int
    var layerNormEpsilon: Float
    /// The longest input the sentence model was trained with; longer answers are cut.
    var maxSequenceLength: Int

    var headSize: Int { self.hidden / self.heads }

    init(folder: URL) throws(ModelError) {
        let file = folder.appendingPathComponent("config.json")
        let fields = try Self.object(file)
        func integer(_ key: String) throws(ModelError) -> Int {
            guard let value = (fields[key] as? NSNumber)?.intValue, value > 0 else {
                throw ModelError(file: file.path, "needs a positive integer \"\(key)\"")
            }
            return value
        }
        self.vocabularySize = try integer("vocab_size")
        self.hidden = try integer("hidden_size")
        self.layers = try integer("num_hidden_layers")
        self.heads = try integer("num_attention_heads")
        self.intermediate = try integer("intermediate_size")
        self.maxPositions = try integer("max_position_embeddings")
        self.typeVocabularySize = try integer("type_vocab_size")
        self.layerNormEpsilon = (fields["layer_norm_eps"] as? NSNumber)?.floatValue ?? 1e-12
        guard self.hidden % self.heads == 0 else {
            throw ModelError(file: file.path, "hidden_size \(self.hidden) is not a multiple of num_attention_heads \(self.heads)")
        }
        let activation = fields["hidden_act"] as? String ?? "gelu"
        guard activation == "gelu" else { throw ModelError(file: file.path, "hidden_act \"\(activation)\" is not supported (only gelu)") }
        // sentence-transformers cuts inputs at max_seq_length; without that file, the position table's size.
        let sentenceFile = folder.appendingPathComponent("sentence_bert_config.json")
        var limit = self.maxPositions
        if FileManager.default.fileExists(atPath: sentenceFile.path) {
            let sentence = try Self.object(sentenceFile)
            if let value = (sentence["max_seq_length"] as? NSNumber)?.intValue {
                guard value >= 2 else { throw ModelError(file: sentenceFile.path, "max_seq_length \(value) is too small") }
                limit = min(value, self.maxPositions)
            }
        }
        self.maxSequenceLength = limit
    }

    static func object(_ file: URL) throws(ModelError) -> [String: Any] {
        guard FileManager.default.fileExists(atPath: file.path) else { throw ModelError(file: file.path, "is missing") }
        guard let data = FileManager.default.contents(atPath: file.path) else { throw ModelError(file: file.path, "cannot be read") }
        guard let object = try? JSONSerialization.jsonObject(with: data), let fields = object as? [String: Any] else {
            throw ModelError(file: file.path, "is not a JSON object")
        }
        return fields
    }
}

/// The encoder's weights, as PyTorch stores them: each linear layer's weight is (outputs × inputs), row-major.
struct BertWeights: Sendable {
    struct Layer: Sendable {
        /// Query, key and value weights stacked into one (3·hidden × hidden) matrix, so one matrix product gives all
        /// three; their biases likewise.
        var qkv: [Float]
        var qkvBias: [Float]
        var attentionOutput: [Float]
        var attentionOutputBias: [Float]
        var attentionNorm: LayerNorm
        var intermediate: [Float]
        var intermediateBias: [Float]
        var output: [Float]
        var outputBias: [Float]
        var outputNorm: LayerNorm
    }

    struct LayerNorm: Sendable {
        var weight: [Float]
        var bias: [Float]
    }

    var wordEmbeddings: [Float]
    var positionEmbeddings: [Float]
    /// Row 0 of the token-type table: a sentence encoder only ever sees one segment.
    var tokenType: [Float]
    var embeddingNorm: LayerNorm
    var layers: [Layer]

    init(_ tensors: SafeTensors, _ configuration: BertConfiguration) throws(ModelError) {
        let hidden = configuration.hidden
        func norm(_ prefix: String) throws(ModelError) -> LayerNorm {
            LayerNorm(weight: try tensors.floats(prefix + ".weight", shape: [hidden]), bias: try tensors.floats(prefix + ".bias", shape: [hidden]))
        }
        // Checkpoints saved from BertModel have bare names; some saved from a wrapper prefix them with "bert.".
        let base = tensors.entries["embeddings.word_embeddings.weight"] == nil && tensors.entries["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        self.wordEmbeddings = try tensors.floats(base + "embeddings.word_embeddings.weight", shape: [configuration.vocabularySize, hidden])
        self.positionEmbeddings = try tensors.floats(base + "embeddings.position_embeddings.weight", shape: [configuration.maxPositions, hidden])
        self.tokenType = Array(
            try tensors.floats(base + "embeddings.token_type_embeddings.weight", shape: [configuration.typeVocabularySize, hidden]).prefix(hidden)
        )
        self.embeddingNorm = try norm(base + "embeddings.LayerNorm")
        self.layers = []
        for index in 0..<configuration.layers {
            let prefix = base + "encoder.layer.\(index)."
            var qkv: [Float] = []
            var qkvBias: [Float] = []
            for part in ["query", "key", "value"] {
                qkv += try tensors.floats(prefix + "attention.self.\(part).weight", shape: [hidden, hidden])
                qkvBias += try tensors.floats(prefix + "attention.self.\(part).bias", shape: [hidden])
            }
            let inner = configuration.intermediate
            self.layers.append(
                Layer(
                    qkv: qkv, qkvBias: qkvBias,
                    attentionOutput: try tensors.floats(prefix + "attention.output.dense.weight", shape: [hidden, hidden]),
                    attentionOutputBias: try tensors.floats(prefix + "attention.output.dense.bias", shape: [hidden]),
                    attentionNorm: try norm(prefix + "attention.output.LayerNorm"),
                    intermediate: try tensors.floats(prefix + "intermediate.dense.weight", shape: [inner, hidden]),
                    intermediateBias: try tensors.floats(prefix + "intermediate.dense.bias", shape: [inner]),
                    output: try tensors.floats(prefix + "output.dense.weight", shape: [hidden, inner]),
                    outputBias: try tensors.floats(prefix + "output.dense.bias", shape: [hidden]),
                    outputNorm: try norm(prefix + "output.LayerNorm")
                )
            )
        }
    }
}
