import Foundation

/// Texts as TF-IDF vectors over stemmed words and word pairs.
///
/// Each text's terms are its stemmed words without stop words, and each pair of neighbouring ones ("slow ci"), so
/// "builds are slow" and "slow builds" share "build" and "slow". Weights are sublinear (1 + ln tf) times a smoothed
/// idf, and every vector has length 1, so a dot product is the cosine similarity. Terms found in one text only
/// are dropped once there are enough texts: they cannot bring two texts together.
public struct TextVectors: Sendable {
    /// The vocabulary; a vector's term numbers index it.
    public private(set) var terms: [String] = []
    /// Each term's inverse document frequency.
    public private(set) var idf: [Float] = []
    /// Sparse rows: text `i` has `termNumbers[offsets[i]..<offsets[i + 1]]` with `weights` at the same positions.
    public private(set) var offsets: [Int] = [0]
    public private(set) var termNumbers: [Int32] = []
    public private(set) var weights: [Float] = []

    public var count: Int { self.offsets.count - 1 }

    public func row(_ index: Int) -> Range<Int> { self.offsets[index]..<self.offsets[index + 1] }

    public init(texts: [String]) {
        var stems = StemCache()
        let stemmedTexts: [(words: [String], stems: [String])] = texts.map { text in
            let words = Tokenizer.terms(text).filter { !StopWords.contains($0) }
            return (words, words.map { stems.stem($0) })
        }
        let minimum = texts.count >= 20 ? 2 : 1
        let typos = minimum > 1 ? TypoFolding(stemmed: stemmedTexts.map(\.stems)).replacements : [:]
        let documents: [[String]] = stemmedTexts.map { words, stemmed in
            let stemmed = stemmed.map { typos[$0] ?? $0 }
            // A negation joins the next word ("no docs", "not working") but is no term of its own: alone it would
            // tie "nobody owns it" to "nobody reads the alerts".
            let pairs = zip(stemmed, stemmed.dropFirst()).compactMap { $0 == $1 ? nil : $0 + " " + $1 }
            return zip(words, stemmed).compactMap { StopWords.isNegation($0) ? nil : $1 } + pairs
        }

        var documentFrequency: [String: Int] = [:]
        for document in documents {
            for term in Set(document) { documentFrequency[term, default: 0] += 1 }
        }
        let kept = documentFrequency.filter { $0.value >= minimum }.keys.sorted()
        var numbers: [String: Int32] = [:]
        for (number, term) in kept.enumerated() { numbers[term] = Int32(number) }
        self.terms = kept
        let total = Float(texts.count)
        self.idf = kept.map { log((1 + total) / (1 + Float(documentFrequency[$0]!))) + 1 }

        for document in documents {
            var counts: [Int32: Int] = [:]
            for term in document {
                if let number = numbers[term] { counts[number, default: 0] += 1 }
            }
            let entries = counts.keys.sorted().map { number in (number, (1 + log(Float(counts[number]!))) * self.idf[Int(number)]) }
            let norm = entries.reduce(Float(0)) { $0 + $1.1 * $1.1 }.squareRoot()
            for (number, weight) in entries {
                self.termNumbers.append(number)
                self.weights.append(weight / norm)
            }
            self.offsets.append(self.termNumbers.count)
        }
    }
}

/// Stems each distinct word once: answers repeat their words a great deal.
struct StemCache {
    var stems: [String: String] = [:]

    mutating func stem(_ word: String) -> String {
        if let known = self.stems[word] { return known }
        let stem = EnglishStemmer.stem(word)
        self.stems[word] = stem
        return stem
    }
}

/// Misspelt words folded into the word they were meant to be: a stem used in one text only, five letters or
/// longer, that is one edit (a letter added, dropped, changed, or two swapped) from a stem used in several texts
/// becomes that stem ("pipline" → "pipelin"). Otherwise it would be dropped as a word no other text shares.
struct TypoFolding {
    var replacements: [String: String] = [:]

    static let minimumLength = 5

    init(stemmed: [[String]]) {
        var frequency: [String: Int] = [:]
        for stems in stemmed {
            for stem in Set(stems) { frequency[stem, default: 0] += 1 }
        }
        // A single edit leaves the first two or the last two characters of a word of five or more in place, so
        // each rare stem is compared only with the known stems that share one of those with it.
        var known: [String: [[Character]]] = [:]
        for (stem, count) in frequency where count >= 2 && stem.count >= Self.minimumLength - 1 {
            let characters = Array(stem)
            known["<" + String(characters.prefix(2)), default: []].append(characters)
            known[">" + String(characters.suffix(2)), default: []].append(characters)
        }
        for (stem, count) in frequency where count == 1 && stem.count >= Self.minimumLength {
            let characters = Array(stem)
            let candidates = (known["<" + String(characters.prefix(2))] ?? []) + (known[">" + String(characters.suffix(2))] ?? [])
            var best: (count: Int, stem: String)?
            for candidate in candidates where Self.oneEditApart(characters, candidate) {
                let text = String(candidate)
                let uses = frequency[text]!
                if best == nil || (uses, best!.stem) > (best!.count, text) { best = (uses, text) }
            }
            if let best { self.replacements[stem] = best.stem }
        }
    }

    /// Whether one insertion, deletion, substitution or swap of neighbours turns `a` into `b`.
    static func oneEditApart(_ a: [Character], _ b: [Character]) -> Bool {
        guard abs(a.count - b.count) <= 1, a != b else { return false }
        var start = 0
        while start < min(a.count, b.count), a[start] == b[start] { start += 1 }
        var (endA, endB) = (a.count, b.count)
        while endA > start, endB > start, a[endA - 1] == b[endB - 1] {
            endA -= 1
            endB -= 1
        }
        let (restA, restB) = (endA - start, endB - start)
        if restA <= 1 && restB <= 1 { return true }
        return restA == 2 && restB == 2 && a[start] == b[start + 1] && a[start + 1] == b[start]
    }
}
