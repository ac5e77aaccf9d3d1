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

/// Meaning vectors computed ahead of time for known texts, so that the slow part (about a second for a month of
/// answers) runs before a database write transaction rather than inside it; a text not known then (an answer
/// that arrived in between) is embedded when asked for.
public struct PrecomputedMeaning: TextEmbedder {
    let rows: [String: Int]
    let known: MeaningVectors
    let embedder: any TextEmbedder

    public init(texts: [String], embedder: any TextEmbedder) {
        var rows: [String: Int] = [:]
        var unique: [String] = []
        for text in texts where rows[text] == nil {
            rows[text] = unique.count
            unique.append(text)
        }
        self.rows = rows
        self.known = embedder.meaning(of: unique)
        self.embedder = embedder
    }

    public func meaning(of texts: [String]) -> MeaningVectors {
        let unknown = Array(Set(texts.filter { self.rows[$0] == nil })).sorted()
        let late = unknown.isEmpty ? nil : self.embedder.meaning(of: unknown)
        let lateRows = Dictionary(uniqueKeysWithValues: unknown.enumerated().map { ($1, $0) })
        let dimensions = self.known.dimensions
        var values: [Float] = []
        var truncated: [Bool] = []
        values.reserveCapacity(texts.count * dimensions)
        for text in texts {
            let (source, row) = self.rows[text].map { (self.known, $0) } ?? (late!, lateRows[text]!)
            values += source.values[(row * dimensions)..<((row + 1) * dimensions)]
            truncated.append(source.truncated[row])
        }
        return MeaningVectors(dimensions: dimensions, values: values, truncated: truncated)
    }
}
