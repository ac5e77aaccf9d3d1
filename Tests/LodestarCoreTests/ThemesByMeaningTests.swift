import Testing

@testable import LodestarCore

struct ThemesByMeaningTests {
    /// Two groups of answers that share no word within a group, told apart only by their meaning vectors.
    static let texts = ["builds crawl", "waiting on runners", "pipeline queue forever", "docs outdated", "wiki stale", "readme wrong"]

    /// Meaning vectors pointing near one of two directions, a little apart within each group.
    static func meaning(_ directions: [Int]) -> MeaningVectors {
        var values: [Float] = []
        for (index, direction) in directions.enumerated() {
            var row = [Float](repeating: 0, count: 4)
            row[direction] = 1
            row[2 + index % 2] = 0.2
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            values += row.map { $0 / norm }
        }
        return MeaningVectors(dimensions: 4, values: values, truncated: Array(repeating: false, count: directions.count))
    }

    @Test func groupsAnswersWithoutSharedWordsByMeaning() throws {
        let themes = try Themes.find(in: Self.texts, clusters: 2, meaning: Self.meaning([0, 0, 0, 1, 1, 1]))
        #expect(Set(themes.assignments[0..<3]).count == 1)
        #expect(Set(themes.assignments[3..<6]).count == 1)
        #expect(themes.assignments[0] != themes.assignments[3])
    }

    @Test func labelsThemesWithWordsNotMeaningDimensions() throws {
        let themes = try Themes.find(in: Self.texts, clusters: 2, meaning: Self.meaning([0, 0, 0, 1, 1, 1]))
        for theme in themes.themes {
            #expect(!theme.label.isEmpty && !theme.label.contains("~"))
            #expect(theme.keywords.allSatisfy { !$0.term.hasPrefix("~") })
        }
    }

    @Test func joinsWordTopicsAndMeaningIntoRowsOfLengthOne() {
        let words = TextVectors(texts: Self.texts)
        let rows = Themes.rows(words: words, meaning: Self.meaning([0, 0, 0, 1, 1, 1]), usable: Array(0..<words.count))
        #expect(rows.count == words.count)
        for text in 0..<rows.count {
            let norm = rows.row(text).reduce(Float(0)) { $0 + $1 * $1 }
            #expect(abs(norm - 1) < 1e-5)
        }
    }

    @Test func keepsAnswersWithoutWordsInOther() throws {
        let texts = Self.texts + ["🚀🚀"]
        let themes = try Themes.find(in: texts, clusters: 2, meaning: Self.meaning([0, 0, 0, 1, 1, 1, 0]))
        #expect(themes.assignments.last == 0)
    }

    @Test func groupsAnAnswerOfStopWordsOnlyByItsMeaning() throws {
        // Given an answer with no word that counts ("how are you?" is all stop words) but a meaning like the builds'
        let texts = Self.texts + ["How are you?"]
        // When themes are found with the sentence model
        let themes = try Themes.find(in: texts, clusters: 2, meaning: Self.meaning([0, 0, 0, 1, 1, 1, 0]))
        // Then it joins the builds' theme instead of going to other
        #expect(themes.assignments.last == themes.assignments[0])
        #expect(themes.assignments[0] != 0)
    }

    @Test func leavesAnAnswerOfStopWordsOnlyInOtherWithoutTheModel() throws {
        let themes = try Themes.find(in: Self.texts + ["How are you?"], clusters: 2)
        #expect(themes.assignments.last == 0)
    }

    @Test func givesTheSameThemesForTheSameInput() throws {
        let meaning = Self.meaning([0, 1, 0, 1, 0, 1])
        #expect(try Themes.find(in: Self.texts, meaning: meaning) == Themes.find(in: Self.texts, meaning: meaning))
    }
}

/// Gives each text a vector from its letters: the same text, the same vector, whatever it is embedded with.
struct LetterEmbedder: TextEmbedder {
    func meaning(of texts: [String]) -> MeaningVectors {
        var values: [Float] = []
        for text in texts {
            var row = [Float](repeating: 0.01, count: 8)
            for scalar in text.unicodeScalars { row[Int(scalar.value % 8)] += 1 }
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            values += row.map { $0 / norm }
        }
        return MeaningVectors(dimensions: 8, values: values, truncated: texts.map { $0.count > 20 })
    }
}

struct PrecomputedMeaningTests {
    @Test func givesWhatTheEmbedderGivesForKnownAndLateTexts() {
        let embedder = LetterEmbedder()
        let precomputed = PrecomputedMeaning(texts: ["slow builds", "stale docs", "slow builds"], embedder: embedder)
        let asked = ["stale docs", "a late answer that arrived after", "slow builds", "stale docs"]
        #expect(precomputed.meaning(of: asked) == embedder.meaning(of: asked))
    }
}
