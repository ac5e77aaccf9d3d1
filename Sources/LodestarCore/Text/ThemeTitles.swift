import Foundation

/// Titles for themes in the respondents' own words, of the kind a lead writes on an epic ("Slow CI builds").
///
/// A title is a phrase of 2 to 6 words taken from the theme's answers: a run of words inside one clause (split at
/// sentence punctuation, commas, emoji and bare numbers) that neither starts nor ends with a stop word, a light verb
/// or a filler ("honestly"), and holds no word twice. Phrases match by their stems, so "slow build" and "slow builds"
/// count together, and are shown in their commonest written form. Each phrase scores
/// `closeness-weighted share of the theme's answers × ln(lift against all answers)`, where an answer weighs more the
/// closer it sits to the theme's centre, so a title is both common in its theme and rare elsewhere.
///
/// Fallbacks, in order: a phrase in at least two answers; one from the most central answer; one from the closest
/// answer that has one; only when the theme's answers are single words or emoji, a single distinctive word; with no
/// words at all, the most central answer as written (emoji); "No answers" for a theme without members. Themes are
/// titled in order, each avoiding a title already taken and, where it can, the head (last) word of one; a title that
/// would still repeat another gets " (2)", " (3)"…
public enum ThemeTitles {
    static let maxWords = 6

    /// One title per theme. `members[t]` are indices into `texts`, closest to theme t's centre first, and
    /// `similarity[t][i]` is the cosine of `members[t][i]` to that centre (missing values count as 0).
    public static func titles(texts: [String], members: [[Int]], similarity: [[Float]]) -> [String] {
        var index = PhraseIndex()
        for text in texts { index.add(text) }
        index.build()
        var ranked: [[Candidate]] = []
        for (theme, positions) in members.enumerated() {
            let valid = positions.filter { texts.indices.contains($0) }
            let similarities = theme < similarity.count ? similarity[theme] : []
            let weights = positions.indices.compactMap { rank -> Float? in
                guard texts.indices.contains(positions[rank]) else { return nil }
                return 0.25 + max(0, rank < similarities.count ? similarities[rank] : 0)
            }
            ranked.append(index.candidates(members: valid, weights: weights))
        }
        var titles: [String] = []
        var usedNodes: Set<Int32> = []
        var usedHeads: Set<Int32> = []
        for (theme, candidates) in ranked.enumerated() {
            let valid = members[theme].filter { texts.indices.contains($0) }
            let fresh = candidates.filter { !usedNodes.contains($0.node) }
            let best = fresh.max { lhs, rhs in
                let left = lhs.score * (usedHeads.contains(index.nodeStem[Int(lhs.node)]) ? 0.5 : 1)
                let right = rhs.score * (usedHeads.contains(index.nodeStem[Int(rhs.node)]) ? 0.5 : 1)
                return (left, rhs.node) < (right, lhs.node)
            } ?? candidates.first
            if let best {
                usedNodes.insert(best.node)
                usedHeads.insert(index.nodeStem[Int(best.node)])
                titles.append(index.surface(of: best.node, in: valid.filter { index.holds($0, best.node) }.map { texts[$0] }))
            } else if valid.isEmpty {
                titles.append("No answers")
            } else {
                titles.append(Self.asWritten(texts[valid[0]]))
            }
        }
        return Self.unique(titles)
    }

    /// An answer without words (emoji only), trimmed to a few symbols.
    static func asWritten(_ text: String) -> String {
        let parts = text.split(whereSeparator: \.isWhitespace).prefix(Self.maxWords)
        let joined = parts.joined(separator: " ")
        return joined.isEmpty ? "Untitled theme" : String(joined.prefix(40))
    }

    /// Numbers a title that another theme of the month already has.
    static func unique(_ titles: [String]) -> [String] {
        var seen: Set<String> = []
        return titles.map { title in
            var candidate = title
            var number = 2
            while seen.contains(candidate.lowercased()) {
                candidate = "\(title) (\(number))"
                number += 1
            }
            seen.insert(candidate.lowercased())
            return candidate
        }
    }
}

/// A phrase a theme could be titled by, and how well it fits.
struct Candidate {
    var node: Int32
    var score: Float
}

/// Every phrase of every answer, as a trie of interned stems: a node is a stem sequence, so a phrase costs one
/// integer-keyed lookup per word and no string of its own.
struct PhraseIndex {
    // MARK: - Words

    private var wordNumbers: [String: Int32] = [:]
    private var stemNumbers: [String: Int32] = [:]
    private var wordStem: [Int32] = []
    private var wordCanStart: [Bool] = []
    private var wordCanEnd: [Bool] = []

    // MARK: - Phrases

    private var children: [UInt64: Int32] = [:]
    /// Per node: its last stem, its parent, its word count and in how many answers it occurs. Node 0 is the root.
    private(set) var nodeStem: [Int32] = [-1]
    private var nodeParent: [Int32] = [-1]
    private var nodeLength: [UInt8] = [0]
    private var nodeAnswers: [Int32] = [0]
    private var lastText: [Int32] = [-1]
    private var lastRecorded: [Int32] = [-1]
    /// Every text's words and their clause numbers, one run per text.
    private var words: [Int32] = []
    private var clauses: [Int32] = []
    private var wordOffsets: [Int] = [0]
    private var stemNode: [Int32] = []
    /// For each text, the phrases it holds that could be titles, each once.
    private var textOffsets: [Int] = [0]
    private var textNodes: [Int32] = []
    /// Scratch counts for the theme being titled, by node.
    private var themeAnswers: [Int32] = []
    private var themeWeight: [Float] = []
    private var themeFirst: [Int32] = []

    /// Words that read badly at either end of a title although they are not stop words.
    static let fillers: Set<String> = [
        "honestly", "literally", "basically", "idk", "af", "lol", "etc", "ok", "okay", "yes", "yeah", "hey", "thanks", "thank",
        "sooo", "soo", "everyone", "everybody", "anyone", "someone", "somebody", "nobody", "maybe", "probably", "already",
        "currently", "sometimes", "usually", "now", "today", "ago", "yet", "else", "via", "per", "around", "across", "since",
        "like", "less", "many", "enough", "almost", "e.g", "i.e", "super", "half", "whole", "least",
    ]

    private mutating func word(_ lower: String) -> Int32 {
        if let number = self.wordNumbers[lower] { return number }
        let stem = EnglishStemmer.stem(lower)
        let stemNumber = self.stemNumbers[stem] ?? Int32(self.stemNumbers.count)
        self.stemNumbers[stem] = stemNumber
        let number = Int32(self.wordStem.count)
        self.wordNumbers[lower] = number
        self.wordStem.append(stemNumber)
        let edge = !StopWords.contains(lower) && !StopWords.isLightVerb(stem) && !Self.fillers.contains(lower) && !lower.contains("'")
        self.wordCanStart.append(edge)
        self.wordCanEnd.append(edge && !StopWords.isNegation(lower))
        return number
    }

    /// The one-word phrase of a stem, found by position rather than by hashing.
    private mutating func single(_ stem: Int32) -> Int32 {
        while self.stemNode.count <= Int(stem) { self.stemNode.append(-1) }
        if self.stemNode[Int(stem)] < 0 { self.stemNode[Int(stem)] = self.child(of: 0, stem: stem) }
        return self.stemNode[Int(stem)]
    }

    private mutating func child(of parent: Int32, stem: Int32) -> Int32 {
        let key = UInt64(UInt32(bitPattern: parent)) << 32 | UInt64(UInt32(bitPattern: stem))
        if let node = self.children[key] { return node }
        let node = Int32(self.nodeStem.count)
        self.children[key] = node
        self.nodeStem.append(stem)
        self.nodeParent.append(parent)
        self.nodeLength.append(self.nodeLength[Int(parent)] + 1)
        self.nodeAnswers.append(0)
        self.lastText.append(-1)
        self.lastRecorded.append(-1)
        return node
    }

    mutating func add(_ text: String) {
        for token in TitleScanner.tokens(text) {
            self.words.append(self.word(token.lower))
            self.clauses.append(Int32(token.clause))
        }
        self.wordOffsets.append(self.words.count)
    }

    private mutating func answer(_ node: Int32, text: Int32) {
        guard self.lastText[Int(node)] != text else { return }
        self.lastText[Int(node)] = text
        self.nodeAnswers[Int(node)] += 1
    }

    private mutating func record(_ node: Int32, text: Int32) {
        guard self.lastRecorded[Int(node)] != text else { return }
        self.lastRecorded[Int(node)] = text
        self.textNodes.append(node)
    }

    /// Counts the phrases once every text is in. Single words and pairs are counted first; a phrase grows past two
    /// words only while each pair in it occurs in two answers, since a longer phrase cannot occur in more answers
    /// than its pairs do, and the long phrases found once each, most of them, are never made.
    mutating func build() {
        let textCount = self.wordOffsets.count - 1
        var pairNode = [Int32](repeating: -1, count: self.words.count)
        self.children.reserveCapacity(self.words.count)
        for text in 0..<textCount {
            let end = self.wordOffsets[text + 1]
            for position in self.wordOffsets[text]..<end {
                let stem = self.wordStem[Int(self.words[position])]
                let one = self.single(stem)
                self.answer(one, text: Int32(text))
                guard position + 1 < end, self.clauses[position + 1] == self.clauses[position] else { continue }
                let next = self.wordStem[Int(self.words[position + 1])]
                guard next != stem else { continue }
                pairNode[position] = self.child(of: one, stem: next)
                self.answer(pairNode[position], text: Int32(text))
            }
        }
        self.lastRecorded = Array(repeating: -1, count: self.nodeStem.count)
        var stems: [Int32] = []
        for text in 0..<textCount {
            let end = self.wordOffsets[text + 1]
            for start in self.wordOffsets[text]..<end where self.wordCanStart[Int(self.words[start])] {
                var node = self.single(self.wordStem[Int(self.words[start])])
                stems = [self.nodeStem[Int(node)]]
                if self.wordCanEnd[Int(self.words[start])] { self.record(node, text: Int32(text)) }
                var position = start + 1
                while position < min(start + ThemeTitles.maxWords, end), self.clauses[position] == self.clauses[start] {
                    let stem = self.wordStem[Int(self.words[position])]
                    if stems.contains(stem) { break }
                    stems.append(stem)
                    if position == start + 1 {
                        node = pairNode[start]
                    } else {
                        guard self.nodeAnswers[Int(pairNode[position - 1])] >= 2 else { break }
                        node = self.child(of: node, stem: stem)
                        self.answer(node, text: Int32(text))
                    }
                    if self.wordCanEnd[Int(self.words[position])] { self.record(node, text: Int32(text)) }
                    position += 1
                }
            }
            self.textOffsets.append(self.textNodes.count)
        }
    }

    func holds(_ text: Int, _ node: Int32) -> Bool { self.nodes(of: text).contains(node) }

    private func nodes(of text: Int) -> ArraySlice<Int32> { self.textNodes[self.textOffsets[text]..<self.textOffsets[text + 1]] }

    /// The theme's possible titles, best first, from the first fallback tier that has any.
    mutating func candidates(members: [Int], weights: [Float]) -> [Candidate] {
        if self.themeAnswers.count < self.nodeStem.count {
            self.themeAnswers = Array(repeating: 0, count: self.nodeStem.count)
            self.themeWeight = Array(repeating: 0, count: self.nodeStem.count)
            self.themeFirst = Array(repeating: 0, count: self.nodeStem.count)
        }
        var order: [Int32] = []
        for (rank, text) in members.enumerated() {
            for node in self.nodes(of: text) {
                let slot = Int(node)
                if self.themeAnswers[slot] == 0 {
                    self.themeFirst[slot] = Int32(rank)
                    order.append(node)
                }
                self.themeAnswers[slot] += 1
                self.themeWeight[slot] += weights[rank]
            }
        }
        let totalWeight = max(weights.reduce(0, +), .leastNonzeroMagnitude)
        let totalAnswers = Float(max(1, self.textOffsets.count - 1))
        let size = Float(max(1, members.count))
        let phrases = order.filter { self.nodeLength[Int($0)] >= 2 }
        let closest = phrases.map { self.themeFirst[Int($0)] }.min()
        let tiers: [[Int32]] = [
            phrases.filter { self.themeAnswers[Int($0)] >= 2 },
            phrases.filter { self.themeFirst[Int($0)] == 0 },
            phrases.filter { self.themeFirst[Int($0)] == closest },
            order,
        ]
        let tier = tiers.first { !$0.isEmpty } ?? []
        let ranked = tier.map { node in
            let slot = Int(node)
            let lift = (Float(self.themeAnswers[slot]) / size) / (Float(self.nodeAnswers[slot]) / totalAnswers)
            let length = Float(self.nodeLength[slot])
            let score = self.themeWeight[slot] / totalWeight * (log(max(lift, 1)) + 0.05) * (1 + 0.15 * (length - 2))
            return Candidate(node: node, score: score)
        }
        for node in order {
            self.themeAnswers[Int(node)] = 0
            self.themeWeight[Int(node)] = 0
        }
        return ranked.sorted { ($0.score, $1.node) > ($1.score, $0.node) }
    }

    /// The phrase as the theme's answers most often wrote it, first letter capitalised, acronyms and names kept.
    func surface(of node: Int32, in texts: [String]) -> String {
        var stems: [Int32] = []
        var walk = node
        while walk > 0 {
            stems.insert(self.nodeStem[Int(walk)], at: 0)
            walk = self.nodeParent[Int(walk)]
        }
        var forms: [String: (count: Int, first: Int)] = [:]
        var cases: [String: WordCase] = [:]
        var seen = 0
        for text in texts {
            let tokens = TitleScanner.tokens(text, keepCase: true)
            let tokenStems = tokens.map { self.wordNumbers[$0.lower].map { self.wordStem[Int($0)] } ?? -1 }
            var found = false
            for start in tokens.indices where start + stems.count <= tokens.count {
                let range = start..<(start + stems.count)
                guard Array(tokenStems[range]) == stems, tokens[range.last!].clause == tokens[start].clause else { continue }
                let form = tokens[range].map(\.lower).joined(separator: " ")
                forms[form] = ((forms[form]?.count ?? 0) + 1, forms[form]?.first ?? seen)
                seen += 1
                found = true
            }
            if found {
                for (position, token) in tokens.enumerated() where stems.contains(tokenStems[position]) {
                    cases[token.lower, default: WordCase()].count(token)
                }
            }
        }
        guard let best = forms.max(by: { ($0.value.count, $1.value.first) < ($1.value.count, $0.value.first) }) else { return "" }
        let words = best.key.split(separator: " ").map { cases[String($0)]?.written(String($0)) ?? String($0) }
        return Self.capitalisingFirst(words).joined(separator: " ")
    }

    static func capitalisingFirst(_ words: [String]) -> [String] {
        guard var first = words.first, first == first.lowercased(), !first.contains(where: \.isNumber) else { return words }
        first = first.prefix(1).uppercased() + first.dropFirst()
        return [first] + words.dropFirst()
    }
}

/// How one word was written across a theme's answers: all capitals, mixed ("GitHub"), or capitalised mid-sentence.
struct WordCase {
    var uses = 0
    var capitals: [String: Int] = [:]
    var mixed: [String: Int] = [:]
    var midSentence = 0
    var capitalisedMidSentence: [String: Int] = [:]

    mutating func count(_ token: TitleToken) {
        self.uses += 1
        let letters = token.original.unicodeScalars.filter(\.properties.isAlphabetic)
        let upper = letters.filter(\.properties.isUppercase).count
        if letters.count >= 2, upper == letters.count {
            self.capitals[token.original, default: 0] += 1
        } else if upper > 0, letters.dropFirst().contains(where: \.properties.isUppercase) {
            self.mixed[token.original, default: 0] += 1
        } else if !token.startsSentence {
            self.midSentence += 1
            if upper > 0 { self.capitalisedMidSentence[token.original, default: 0] += 1 }
        }
    }

    /// The spelling to show: kept if most uses wrote it so, else lower case.
    func written(_ lower: String) -> String {
        func commonest(_ counts: [String: Int]) -> (String, Int)? {
            counts.max { ($0.value, $1.key) < ($1.value, $0.key) }.map { ($0.key, $0.value) }
        }
        let capitalTotal = self.capitals.values.reduce(0, +)
        if let (form, _) = commonest(self.capitals), capitalTotal * 2 >= self.uses { return form }
        let mixedTotal = self.mixed.values.reduce(0, +)
        if let (form, _) = commonest(self.mixed), mixedTotal * 2 >= self.uses { return form }
        let properTotal = self.capitalisedMidSentence.values.reduce(0, +)
        if let (form, _) = commonest(self.capitalisedMidSentence), properTotal * 2 > self.midSentence { return form }
        return lower
    }
}

/// A word of an answer as a title sees it: which clause it is in, and whether it opens a sentence.
struct TitleToken {
    var lower: String
    var original: String
    var clause: Int
    var startsSentence: Bool
}

/// Splits an answer into words like `Tokenizer` does (`k8s`, `ci/cd`, `node.js`, `c++` stay whole, and so do
/// hyphenated words), keeping the written case, and numbers clauses: punctuation other than joiners, emoji, line
/// breaks and bare numbers end one.
enum TitleScanner {
    static func tokens(_ text: String, keepCase: Bool = false) -> [TitleToken] {
        if !keepCase, let tokens = text.utf8.withContiguousStorageIfAvailable({ Self.asciiTokens($0) }) ?? nil { return tokens }
        var tokens: [TitleToken] = []
        var original = String.UnicodeScalarView()
        var lower = String.UnicodeScalarView()
        var hasLetter = false
        var clause = 0
        var sentenceStart = true
        var pendingBreak = false
        let scalars = Array(text.unicodeScalars)

        func finish() {
            if !lower.isEmpty {
                if hasLetter {
                    if pendingBreak { clause += 1 }
                    pendingBreak = false
                    tokens.append(TitleToken(lower: String(lower), original: keepCase ? String(original) : "", clause: clause, startsSentence: sentenceStart))
                    sentenceStart = false
                } else {
                    pendingBreak = true
                }
            }
            original = String.UnicodeScalarView()
            lower = String.UnicodeScalarView()
            hasLetter = false
        }
        func append(_ scalar: Unicode.Scalar) {
            if keepCase { original.append(scalar) }
            if scalar.isASCII {
                lower.append(scalar >= "A" && scalar <= "Z" ? Unicode.Scalar(scalar.value + 32)! : scalar)
                if scalar >= "A" && scalar <= "Z" || scalar >= "a" && scalar <= "z" { hasLetter = true }
            } else {
                lower.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                if scalar.properties.isAlphabetic { hasLetter = true }
            }
        }

        var index = 0
        while index < scalars.count {
            let scalar = scalars[index] == "\u{2019}" ? "'" : scalars[index]
            if Self.isWordCharacter(scalar) {
                append(scalar)
            } else if !lower.isEmpty, Tokenizer.joiners.contains(scalar) || scalar == "-", index + 1 < scalars.count,
                Self.isWordCharacter(scalars[index + 1])
            {
                append(scalar)
            } else if !lower.isEmpty, lower.count <= 2, scalar == "#" || scalar == "+" {
                while index < scalars.count, scalars[index] == "#" || scalars[index] == "+" {
                    append(scalars[index])
                    index += 1
                }
                finish()
                continue
            } else {
                finish()
                if scalar == "\n" || scalar == "\r" || scalar == "." || scalar == "!" || scalar == "?" {
                    pendingBreak = true
                    sentenceStart = true
                } else if !scalar.properties.isWhitespace {
                    pendingBreak = true
                }
            }
            index += 1
        }
        finish()
        return tokens
    }

    /// The same split for ASCII text, byte by byte, for speed; nil when the text is not ASCII.
    static func asciiTokens(_ bytes: UnsafeBufferPointer<UInt8>) -> [TitleToken]? {
        func isWord(_ byte: UInt8) -> Bool { byte &- 97 < 26 || byte &- 65 < 26 || byte &- 48 < 10 }
        var tokens: [TitleToken] = []
        var word: [UInt8] = []
        word.reserveCapacity(32)
        var hasLetter = false
        var clause = 0
        var sentenceStart = true
        var pendingBreak = false
        func finish() {
            if !word.isEmpty {
                if hasLetter {
                    if pendingBreak { clause += 1 }
                    pendingBreak = false
                    tokens.append(TitleToken(lower: String(decoding: word, as: UTF8.self), original: "", clause: clause, startsSentence: sentenceStart))
                    sentenceStart = false
                } else {
                    pendingBreak = true
                }
            }
            word.removeAll(keepingCapacity: true)
            hasLetter = false
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 128 { return nil }
            if isWord(byte) {
                word.append(byte &- 65 < 26 ? byte + 32 : byte)
                if byte >= 65 { hasLetter = true }
            } else if !word.isEmpty, byte == 46 || byte == 47 || byte == 95 || byte == 39 || byte == 45, index + 1 < bytes.count,
                isWord(bytes[index + 1])
            {
                word.append(byte)
            } else if !word.isEmpty, word.count <= 2, byte == 35 || byte == 43 {
                while index < bytes.count, bytes[index] == 35 || bytes[index] == 43 {
                    word.append(bytes[index])
                    index += 1
                }
                finish()
                continue
            } else {
                finish()
                if byte == 10 || byte == 13 || byte == 46 || byte == 33 || byte == 63 {
                    pendingBreak = true
                    sentenceStart = true
                } else if byte != 32 && byte != 9 && byte != 11 && byte != 12 {
                    pendingBreak = true
                }
            }
            index += 1
        }
        finish()
        return tokens
    }

    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
        }
        return Tokenizer.isWordCharacter(scalar)
    }
}
