/// Dense vectors of what texts mean (sentence embeddings), one row of `dimensions` numbers a text, each of length
/// 1, so a dot product is the cosine similarity. Core only uses them; `LodestarEmbeddings` computes them.
public struct MeaningVectors: Sendable, Equatable {
    public var dimensions: Int
    public var values: [Float]
    /// For each text, whether it was cut to fit the model (its tail does not count).
    public var truncated: [Bool]

    public init(dimensions: Int, values: [Float], truncated: [Bool]) {
        precondition(dimensions > 0 && values.count == dimensions * truncated.count, "one row of \(dimensions) values a text")
        self.dimensions = dimensions
        self.values = values
        self.truncated = truncated
    }

    public var count: Int { self.truncated.count }
}

/// Something that turns texts into meaning vectors: the sentence encoder, or nothing when the model is absent.
public protocol TextEmbedder: Sendable {
    func meaning(of texts: [String]) -> MeaningVectors
}
