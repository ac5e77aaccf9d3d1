import Foundation

/// Groups of answers about the same thing, found without a model or a network: spherical k-means over TF-IDF
/// vectors (`TextVectors`), seeded by k-means++ from a fixed seed so the same input always gives the same output.
/// Answers without words, or far from every group, go to "other" (number 0).
public struct Themes: Sendable, Equatable {
    public struct Theme: Sendable, Equatable, Codable {
        /// 1, 2, 3… by size, largest first.
        public var number: Int
        /// A few of the group's most distinctive words.
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

    /// How much the meaning vectors count against the words when both are given (0: words only, 1: meaning only).
    /// Measured on the labelled demo answers (scripts/bench-semantic.sh): meaning groups answers that use different
    /// words for the same pain; the words keep apart answers that a sentence model finds alike only because they
    /// share a tone.
    public static let meaningWeight: Float = 0.5

    /// Finds the themes of `texts`; `clusters` fixes how many (at least 1, at most the texts that have words),
    /// otherwise about the square root of half the texts. With `meaning` (one sentence embedding a text), texts are
    /// grouped by meaning and words together; labels still come from the words.
    public static func find(in texts: [String], clusters: Int? = nil, meaning: MeaningVectors? = nil) throws(InvalidCount) -> Themes {
        let words = TextVectors(texts: texts)
        let vectors = meaning.map { words.joined(with: $0, meaningWeight: Self.meaningWeight) } ?? words
        let usable = (0..<vectors.count).filter { !vectors.row($0).isEmpty }
        if let clusters {
            guard clusters >= 1 else { throw InvalidCount(description: "the number of clusters must be at least 1") }
            guard clusters <= usable.count else {
                throw InvalidCount(
                    description: "\(clusters) clusters asked for, but only \(usable.count) \(usable.count == 1 ? "text has" : "texts have") words to group"
                )
            }
        }
        guard !usable.isEmpty else { return Themes(assignments: Array(repeating: 0, count: texts.count), themes: []) }
        let k = clusters ?? min(usable.count, max(1, min(50, Int((Double(usable.count) / 2).squareRoot().rounded()))))

        var best: KMeans.Result?
        for seed in 0..<UInt64(usable.count <= 5_000 ? 5 : usable.count <= 20_000 ? 2 : 1) {
            let result = KMeans.run(vectors, texts: usable, k: k, seed: 2026 + seed)
            if best == nil || result.objective > best!.objective { best = result }
        }
        var result = best!
        if clusters == nil {
            for _ in 0..<Self.splitPasses { result = Self.splittingLoose(result, vectors: vectors, usable: usable) }
        }
        return Self.numbered(result, words: words, textCount: texts.count, usable: usable, dropSmall: clusters == nil)
    }

    /// How close a group's members are to its centre on average.
    static func cohesion(_ result: KMeans.Result) -> [Float] {
        var sums = Array(repeating: Float(0), count: result.clusters)
        var counts = Array(repeating: 0, count: result.clusters)
        for (position, cluster) in result.assignment.enumerated() {
            sums[cluster] += result.similarity[position]
            counts[cluster] += 1
        }
        return zip(sums, counts).map { $1 == 0 ? 0 : $0 / Float($1) }
    }

    /// How many times loose groups are split again.
    static let splitPasses = 2

    /// A group much looser than the typical one.
    static let looseCohesion: Float = 0.7

    /// Splits the loose groups once. Short answers that share few words with any strong theme gather around one
    /// catch-all centre; clustered again on their own, without the strong themes pulling, they fall into the
    /// themes they are about.
    static func splittingLoose(_ result: KMeans.Result, vectors: TextVectors, usable: [Int]) -> KMeans.Result {
        let cohesion = Self.cohesion(result)
        let typical = Self.median(cohesion.filter { $0 > 0 })
        var result = result
        for cluster in cohesion.indices where cohesion[cluster] > 0 && cohesion[cluster] < typical * Self.looseCohesion {
            let positions = result.assignment.indices.filter { result.assignment[$0] == cluster }
            guard positions.count >= 8 else { continue }
            let k = max(2, Int((Double(positions.count) / 2).squareRoot().rounded()))
            let split = KMeans.run(vectors, texts: positions.map { usable[$0] }, k: k, seed: 2026 + UInt64(cluster))
            for (index, position) in positions.enumerated() {
                let part = split.assignment[index]
                result.assignment[position] = part == 0 ? cluster : result.clusters + part - 1
                result.similarity[position] = split.similarity[index]
            }
            result.clusters += k - 1
        }
        return result
    }

    static func median(_ values: [Float]) -> Float {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    /// Outliers to other, small groups to other when the count was not given, then groups numbered by size.
    static func numbered(_ result: KMeans.Result, words: TextVectors, textCount: Int, usable: [Int], dropSmall: Bool) -> Themes {
        var members = Array(repeating: [Int](), count: result.clusters)
        for position in usable.indices where result.similarity[position] > Self.outlierSimilarity {
            members[result.assignment[position]].append(position)
        }
        let smallest = dropSmall && usable.count >= 20 ? 2 : 1
        let order = members.indices.filter { members[$0].count >= smallest }
            .sorted { (members[$0].count, members[$1].first ?? 0) > (members[$1].count, members[$0].first ?? 0) }
        let labels = ThemeLabels(vectors: words, usable: usable, members: order.map { members[$0] })
        var assignments = Array(repeating: 0, count: textCount)
        var themes: [Theme] = []
        for (rank, cluster) in order.enumerated() {
            for position in members[cluster] { assignments[usable[position]] = rank + 1 }
            let closest = members[cluster].sorted { (result.similarity[$0], $1) > (result.similarity[$1], $0) }.map { usable[$0] }
            themes.append(
                Theme(
                    number: rank + 1, label: labels.labels[rank], size: members[cluster].count, representatives: Array(closest.prefix(3)),
                    members: closest, keywords: labels.keywords[rank]
                )
            )
        }
        return Themes(assignments: assignments, themes: themes)
    }
}

/// Spherical k-means: vectors and centres have length 1, and each text joins the centre it has the largest dot
/// product with.
enum KMeans {
    struct Result {
        var clusters: Int
        /// For each usable text (by position in `texts`), its centre and its similarity to it.
        var assignment: [Int]
        var similarity: [Float]
        /// The sum of the similarities: higher is better.
        var objective: Float
    }

    static let maxIterations = 25

    static func run(_ vectors: TextVectors, texts: [Int], k: Int, seed: UInt64) -> Result {
        let dimensions = vectors.terms.count
        var random = SeededGenerator(seed: seed)
        // Centres stored term by term, eight clusters to a SIMD lane group (the k weights of term 0, then of term
        // 1…): a text's few terms read a few contiguous runs, and its k similarities add up eight at a time.
        let groups = (k + 7) / 8
        var centres = Array(repeating: SIMD8<Float>(), count: dimensions * groups)
        for (cluster, text) in Self.seeds(vectors, texts: texts, k: k, random: &random).enumerated() {
            for entry in vectors.row(text) {
                centres[Int(vectors.termNumbers[entry]) * groups + cluster / 8][cluster % 8] = vectors.weights[entry]
            }
        }
        var assignment = Array(repeating: -1, count: texts.count)
        var similarity = Array(repeating: Float(0), count: texts.count)
        var scores = Array(repeating: SIMD8<Float>(), count: groups)
        for _ in 0..<Self.maxIterations {
            var changed = 0
            centres.withUnsafeBufferPointer { centres in
                scores.withUnsafeMutableBufferPointer { scores in
                    for (position, text) in texts.enumerated() {
                        for group in 0..<groups { scores[group] = SIMD8() }
                        for entry in vectors.row(text) {
                            let base = Int(vectors.termNumbers[entry]) * groups
                            let weight = vectors.weights[entry]
                            for group in 0..<groups { scores[group] += weight * centres[base + group] }
                        }
                        var best = 0
                        for cluster in 1..<max(1, k) where scores[cluster / 8][cluster % 8] > scores[best / 8][best % 8] { best = cluster }
                        if assignment[position] != best { changed += 1 }
                        assignment[position] = best
                        similarity[position] = scores[best / 8][best % 8]
                    }
                }
            }
            // Done when (almost) nobody moves: chasing the last few in a thousand cost as many rounds again.
            guard changed > texts.count / 200 else { break }
            // New centres: the normalised sum of their members; an emptied centre keeps its place.
            var sums = Array(repeating: SIMD8<Float>(), count: dimensions * groups)
            var sizes = Array(repeating: SIMD8<Float>(), count: groups)
            for (position, text) in texts.enumerated() {
                let cluster = assignment[position]
                sizes[cluster / 8][cluster % 8] += 1
                for entry in vectors.row(text) {
                    sums[Int(vectors.termNumbers[entry]) * groups + cluster / 8][cluster % 8] += vectors.weights[entry]
                }
            }
            var norms = Array(repeating: SIMD8<Float>(), count: groups)
            for index in sums.indices { norms[index % groups] += sums[index] * sums[index] }
            let scales = norms.map { norm in SIMD8<Float>((0..<8).map { norm[$0] > 0 ? 1 / norm[$0].squareRoot() : 0 }) }
            let empty = sizes.map { $0 .== 0 }
            for index in sums.indices {
                let group = index % groups
                centres[index] = (sums[index] * scales[group]).replacing(with: centres[index], where: empty[group])
            }
        }
        return Result(clusters: k, assignment: assignment, similarity: similarity, objective: similarity.reduce(0, +))
    }

    /// k-means++: the first centre at random, each next one with a chance growing with its distance from the
    /// nearest centre chosen so far.
    static func seeds(_ vectors: TextVectors, texts: [Int], k: Int, random: inout SeededGenerator) -> [Int] {
        var chosen = [texts[Int(random.next() % UInt64(texts.count))]]
        var distance = Array(repeating: Float.infinity, count: texts.count)
        while chosen.count < k {
            let latest = chosen[chosen.count - 1]
            for (position, text) in texts.enumerated() {
                distance[position] = min(distance[position], max(0, 1 - Self.sparseDot(vectors, text, latest)))
            }
            let total = distance.reduce(Float(0)) { $0 + $1 * $1 }
            var target = Float(Double(random.next() % 1_000_000) / 1_000_000) * total
            var pick = texts.indices.last!
            if total > 0 {
                for position in texts.indices {
                    target -= distance[position] * distance[position]
                    if target <= 0 {
                        pick = position
                        break
                    }
                }
            } else {
                pick = chosen.count % texts.count
            }
            chosen.append(texts[pick])
        }
        return chosen
    }

    static func sparseDot(_ vectors: TextVectors, _ left: Int, _ right: Int) -> Float {
        var (a, b) = (vectors.row(left).lowerBound, vectors.row(right).lowerBound)
        let (aEnd, bEnd) = (vectors.row(left).upperBound, vectors.row(right).upperBound)
        var sum: Float = 0
        while a < aEnd, b < bEnd {
            let (ta, tb) = (vectors.termNumbers[a], vectors.termNumbers[b])
            if ta == tb {
                sum += vectors.weights[a] * vectors.weights[b]
                a += 1
                b += 1
            } else if ta < tb {
                a += 1
            } else {
                b += 1
            }
        }
        return sum
    }
}

/// Labels from each group's distinctive terms (class-based TF-IDF): the share of the group's texts that use a
/// term, times how rare the term is across groups. Counting texts rather than adding weights keeps a word two
/// people used once from outranking the word half the group used.
struct ThemeLabels {
    var labels: [String] = []
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
            var words: [String] = []
            for (term, _) in ranked where words.count < 3 {
                for stem in vectors.terms[Int(term)].split(separator: " ") where !StopWords.isLightVerb(String(stem)) {
                    let word = vectors.surfaceForms[String(stem)] ?? String(stem)
                    if !words.contains(word), words.count < 3 { words.append(word) }
                }
            }
            self.labels.append(words.joined(separator: " "))
        }
    }
}
