import Foundation

/// Groups of answers about the same thing, found here without a network: spherical k-means over the answers' word
/// topics (and, with the sentence model, their meaning), seeded by k-means++ from a fixed seed so the same input
/// always gives the same output.
/// Answers without words, or far from every group, go to "other" (number 0).
public struct Themes: Sendable, Equatable {
    public struct Theme: Sendable, Equatable, Codable {
        /// 1, 2, 3… by size, largest first.
        public var number: Int
        /// The group's title: a phrase of two to six words from its own answers (`ThemeTitles`).
        public var label: String
        public var size: Int
        /// The three answers closest to the group's centre, as indices into the texts.
        public var representatives: [Int]
        /// Every member, closest to the centre first, as indices into the texts.
        public var members: [Int]
        /// The group's most distinctive stems (and stem pairs) with their class-based TF-IDF weights, strongest
        /// first: what a theme is compared by from one month to the next.
        public var keywords: [Keyword]
    }

    public struct Keyword: Sendable, Equatable, Codable {
        public var term: String
        public var weight: Double

        public init(term: String, weight: Double) {
            self.term = term
            self.weight = weight
        }
    }

    /// The theme number of each text, 0 for other.
    public var assignments: [Int]
    public var themes: [Theme]

    public static let otherLabel = "other"

    public func label(of text: Int) -> String {
        let number = self.assignments[text]
        return number == 0 ? Self.otherLabel : self.themes[number - 1].label
    }

    /// Asking for an impossible number of groups.
    public struct InvalidCount: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// A text whose similarity to its group's centre is no more than this is an outlier.
    static let outlierSimilarity: Float = 0.05

    /// How much the meaning vectors count against the word topics when both are given (0: words only, 1: meaning
    /// only). Chosen on the development sets (README, "How themes are found"): the sentence model carries most of
    /// what answers mean; the words keep apart answers it finds alike only because they share a tone.
    public static let meaningWeight: Float = 0.85

    /// When the count is not given: about the square root of half the texts, and never more than this many. A
    /// month with more themes than a lead can read in one sitting is not a plan.
    public static let maxChosenCount = 30

    /// Finds the themes of `texts`; `clusters` fixes how many (at least 1, at most the texts that have words),
    /// otherwise about the square root of half the texts. With `meaning` (one sentence embedding a text), texts are
    /// grouped by meaning and words together; labels still come from the words.
    ///
    /// The steps: TF-IDF rows (`TextVectors`) → their latent topics (`LatentSemantics`) → beside the centred
    /// sentence vectors when given → each row pulled towards its nearest neighbours (`NeighbourSmoothing`) →
    /// spherical k-means, best of several seeded restarts (`DenseKMeans`).
    public static func find(in texts: [String], clusters: Int? = nil, meaning: MeaningVectors? = nil) throws(InvalidCount) -> Themes {
        let words = TextVectors(texts: texts)
        let usable = Self.usable(texts: texts, words: words, meaning: meaning)
        if let clusters {
            guard clusters >= 1 else { throw InvalidCount(description: "the number of clusters must be at least 1") }
            guard clusters <= usable.count else {
                throw InvalidCount(
                    description: "\(clusters) clusters asked for, but only \(usable.count) \(usable.count == 1 ? "text has" : "texts have") words to group"
                )
            }
        }
        guard !usable.isEmpty else { return Themes(assignments: Array(repeating: 0, count: texts.count), themes: []) }
        let k = clusters ?? min(usable.count, max(1, min(Self.maxChosenCount, Int((Double(usable.count) / 2).squareRoot().rounded()))))
        let rows = NeighbourSmoothing.smoothed(Self.rows(words: words, meaning: meaning, usable: usable))
        let restarts = usable.count <= 2_000 ? 10 : usable.count <= 5_000 ? 4 : usable.count <= 20_000 ? 2 : 1
        let result = DenseKMeans.best(rows, k: k, restarts: restarts, seed: 2026)
        return Self.numbered(result, texts: texts, words: words, usable: usable, dropSmall: clusters == nil)
    }

    /// The texts that can be grouped: those with a word that counts, and with the sentence model also those whose
    /// words are all stop words or used nowhere else ("how are you?", "anything else?"): their meaning still places
    /// them. Texts without a letter (empty, emoji only) stay "other" either way.
    static func usable(texts: [String], words: TextVectors, meaning: MeaningVectors?) -> [Int] {
        guard meaning != nil else { return (0..<words.count).filter { !words.row($0).isEmpty } }
        return (0..<words.count).filter { !words.row($0).isEmpty || !Tokenizer.terms(texts[$0]).isEmpty }
    }

    /// The rows k-means sees for the usable texts: word topics, beside the centred meaning when given. A text with
    /// no word topic (only stop words or words no other text uses) is placed by its meaning alone.
    static func rows(words: TextVectors, meaning: MeaningVectors?, usable: [Int]) -> DenseRows {
        let topics = LatentSemantics.project(words, texts: usable, seed: 2026)
        guard let meaning else { return topics }
        precondition(meaning.count == words.count, "one meaning row a text")
        var values: [Float] = []
        values.reserveCapacity(usable.count * meaning.dimensions)
        for text in usable { values += meaning.values[(text * meaning.dimensions)..<((text + 1) * meaning.dimensions)] }
        let sentences = DenseRows(dimensions: meaning.dimensions, values: values).centred()
        var joined = DenseRows.sideBySide(topics, sentences, firstWeight: 1 - Self.meaningWeight)
        joined.normalise()
        return joined
    }

    /// Outliers to other, small groups to other when the count was not given, then groups numbered by size.
    static func numbered(_ result: ClusterResult, texts: [String], words: TextVectors, usable: [Int], dropSmall: Bool) -> Themes {
        let textCount = texts.count
        var members = Array(repeating: [Int](), count: result.clusters)
        for position in usable.indices where result.similarity[position] > Self.outlierSimilarity {
            members[result.assignment[position]].append(position)
        }
        let smallest = dropSmall && usable.count >= 20 ? 2 : 1
        let order = members.indices.filter { members[$0].count >= smallest }
            .sorted { (members[$0].count, members[$1].first ?? 0) > (members[$1].count, members[$0].first ?? 0) }
        let keywords = ThemeKeywords(vectors: words, usable: usable, members: order.map { members[$0] })
        let closest = order.map { cluster in members[cluster].sorted { (result.similarity[$0], $1) > (result.similarity[$1], $0) } }
        let titles = ThemeTitles.titles(
            texts: texts, members: closest.map { $0.map { usable[$0] } }, similarity: closest.map { $0.map { result.similarity[$0] } }
        )
        var assignments = Array(repeating: 0, count: textCount)
        var themes: [Theme] = []
        for (rank, cluster) in order.enumerated() {
            for position in members[cluster] { assignments[usable[position]] = rank + 1 }
            let closest = closest[rank].map { usable[$0] }
            themes.append(
                Theme(
                    number: rank + 1, label: titles[rank], size: members[cluster].count, representatives: Array(closest.prefix(3)),
                    members: closest, keywords: keywords.keywords[rank]
                )
            )
        }
        return Themes(assignments: assignments, themes: themes)
    }
}

/// Each group's distinctive terms (class-based TF-IDF): the share of the group's texts that use a term, times how
/// rare the term is across groups. Counting texts rather than adding weights keeps a word two people used once from
/// outranking the word half the group used. They stand beside the title, and a theme is matched to last month's by
/// them.
struct ThemeKeywords {
    var keywords: [[Themes.Keyword]] = []
    /// How many distinctive terms each theme keeps for comparison.
    static let keywordCount = 12

    init(vectors: TextVectors, usable: [Int], members: [[Int]]) {
        var sums = Array(repeating: [Int32: Float](), count: members.count)
        var overall: [Int32: Float] = [:]
        for (cluster, positions) in members.enumerated() {
            for position in positions {
                for entry in vectors.row(usable[position]) {
                    sums[cluster][vectors.termNumbers[entry], default: 0] += 1
                    overall[vectors.termNumbers[entry], default: 0] += 1
                }
            }
        }
        let total = Float(max(1, members.reduce(0) { $0 + $1.count }))
        for (cluster, sum) in sums.enumerated() {
            let size = Float(max(1, members[cluster].count))
            var weighted = sum.compactMap { term, count -> (Int32, Float)? in
                let share = count / size
                let lift = share / (overall[term]! / total)
                return lift > 1 ? (term, share * log(lift)) : nil
            }
            // One theme alone (or one whose every word is as common elsewhere) has nothing to stand out against:
            // its commonest words name it.
            if weighted.isEmpty { weighted = sum.map { term, count in (term, count / size) } }
            let ranked = weighted.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
            self.keywords.append(
                ranked.prefix(Self.keywordCount).map { Themes.Keyword(term: vectors.terms[Int($0.0)], weight: (Double($0.1) * 10_000).rounded() / 10_000) }
            )
        }
    }
}
