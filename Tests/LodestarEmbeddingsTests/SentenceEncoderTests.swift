import Foundation
import LodestarCore
import LodestarTestSupport
import Testing

@testable import LodestarEmbeddings

/// The real model, found as `lodestar` finds it ($LODESTAR_MODEL_DIR or the pip package). These tests fail, never
/// skip, without it; `SentenceModel` prints what to install once.
enum RealModel {
    static var folder: URL? { SentenceModel.folder }

    /// Loaded once for all tests.
    static let encoder: Result<SentenceEncoder, ModelError>? = SentenceModel.folder.map { folder in
        Result { () throws(ModelError) in try SentenceEncoder(folder: folder) }
    }

    /// The encoder; a missing model fails the test after the banner.
    static func load() throws -> SentenceEncoder {
        try SentenceModel.require()
        guard let encoder = self.encoder else { throw SentenceModel.Missing() }
        return try encoder.get()
    }
}

func cosine(_ a: some Collection<Float>, _ b: some Collection<Double>) -> Double {
    var (dot, left, right) = (0.0, 0.0, 0.0)
    for (x, y) in zip(a, b) {
        dot += Double(x) * y
        left += Double(x) * Double(x)
        right += y * y
    }
    return dot / (left.squareRoot() * right.squareRoot())
}

struct SentenceEncoderTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The 50 sentences of Tests/Fixtures/embedding-sentences.txt embedded here and by an independent numpy forward
    /// pass (scripts/minilm_reference.py, float64, HF tokenizers) from the same weights: the same token ids, and
    /// cosine similarity at least 0.999 for every sentence.
    @Test func matchesAPythonReferenceForwardPass() throws {
        let encoder = try RealModel.load()
        let sentencesFile = Self.repository.appendingPathComponent("Tests/Fixtures/embedding-sentences.txt")
        let sentences = try String(contentsOf: sentencesFile, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
        #expect(sentences.count == 50)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("minilm-reference-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let python = try ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            arguments: ["python3", Self.repository.appendingPathComponent("scripts/minilm_reference.py").path, "--model", encoder.folder.path,
                        sentencesFile.path, output.path]
        )
        let message = String(decoding: python.err, as: UTF8.self)
        try #require(python.status == 0, "the reference failed (needs python3 with numpy and tokenizers): \(message)")

        struct Reference: Decodable {
            var ids: [[Int32]]
            var vectors: [[Double]]
        }
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: output))
        let embeddings = encoder.embed(sentences)
        try #require(reference.vectors.count == sentences.count)
        var worst = 1.0
        for (index, sentence) in sentences.enumerated() {
            #expect(encoder.tokenizer.encode(sentence).ids == reference.ids[index], "token ids of line \(index + 1)")
            let similarity = cosine(embeddings.vector(index), reference.vectors[index])
            worst = min(worst, similarity)
            #expect(similarity >= 0.999, "line \(index + 1): cosine \(similarity)")
        }
        #expect(embeddings.truncated.contains(true), "the fixture's long answer is cut at 256 tokens")
        print("embeddings vs the numpy reference: lowest cosine \(worst) over \(sentences.count) sentences")
    }

    @Test func givesTheSameBytesForTheSameInput() throws {
        let encoder = try RealModel.load()
        let texts = ["builds are sooo slow", "waiting on CI", "more runners please", "PR checks take longer than review"]
        #expect(encoder.embed(texts) == encoder.embed(texts))
    }

    @Test func placesDifferentWordsForTheSamePainCloseTogether() throws {
        let encoder = try RealModel.load()
        let embeddings = encoder.embed(["builds are sooo slow", "waiting on CI takes forever", "the documentation is great"])
        let slowPair = zip(embeddings.vector(0), embeddings.vector(1)).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        let unrelated = zip(embeddings.vector(0), embeddings.vector(2)).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        #expect(slowPair > unrelated + 0.1)
    }

    @Test func cutsAnAnswerLongerThanTheModelAllowsAndSaysSo() throws {
        let encoder = try RealModel.load()
        let long = Array(repeating: "the deployment pipeline waits on a manual approval again", count: 60).joined(separator: " ")
        let embeddings = encoder.embed([long, "short answer"])
        #expect(embeddings.truncated == [true, false])
        #expect(embeddings.tokenCounts[0] == encoder.maxTokens)
        #expect(encoder.maxTokens == 256)
    }

    @Test func givesUnitVectorsForEmptyEmojiAndNonEnglishAnswers() throws {
        let encoder = try RealModel.load()
        let texts = ["", "🚀🔥😭", "Die Builds dauern viel zu lange", "ビルドが遅すぎる", "النشر بطيء جدا"]
        let embeddings = encoder.embed(texts)
        for index in texts.indices {
            let vector = embeddings.vector(index)
            #expect(vector.allSatisfy { $0.isFinite }, "line \(index + 1) has no NaN")
            let norm = vector.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-4, "line \(index + 1) has length 1")
        }
    }

    @Test func embedsASentenceTheSameAloneAsInABatch() throws {
        let encoder = try RealModel.load()
        let alone = encoder.embed(["flaky integration tests"])
        let batch = encoder.embed(["on-call is exhausting", "flaky integration tests", String(repeating: "docs ", count: 40)])
        #expect(cosine(alone.vector(0), batch.vector(1).map(Double.init)) > 0.99999)
    }

    @Test func servesAsTheEmbedderOfThemes() throws {
        let encoder = try RealModel.load()
        let meaning = encoder.meaning(of: ["slow builds", "fast deploys"])
        #expect(meaning.count == 2 && meaning.dimensions == 384 && meaning.values.count == 768)
    }
}
