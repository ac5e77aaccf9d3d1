import Foundation

/// Every phrase of every answer, as a trie of interned stems: a node is a stem sequence, so a phrase costs one
/// integer-keyed lookup per word and no string of its own.
struct PhraseIndex {
    // MARK: - Words

    private var wordNumbers: [String: Int32] = [:]
    private var stemNumbers: [String: Int32] = [:]
    private var wordStem: [Int32] = []
    private var wordCanStart: [Bool] = []
    private var wordCanEnd: [Bool] = []
    private var wordBreaks: [Bool] = []

    // MARK: - Phrases

    private var children = NodeTable()
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

    /// Words a title never runs across: the people speaking or spoken to, and the verb "to be". A title names the
    /// problem as a noun phrase, not who has it or a sentence about it ("Flake or something I broke" and "Failure is a
    /// known flake" are the answer's voice, not an epic's name).
    static let breaks: Set<String> = [
        "i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your", "yours", "i'm", "i've", "we're", "we've", "you're",
        "is", "are", "was", "were", "am", "be", "been", "being", "it's", "that's", "there's",
    ]

    /// Nouns that end like adverbs.
    static let lyNouns: Set<String> = ["family", "assembly", "anomaly", "anomalies", "monopoly", "butterfly", "italy", "july"]

    /// "-ly" adverbs make a title trail off ("service locally"); they may open one ("randomly failing tests").
    static func isAdverb(_ lower: String) -> Bool {
        lower.utf8.count > 4 && lower.hasSuffix("ly") && !lower.hasSuffix("ply") && !Self.lyNouns.contains(lower)
    }

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
        self.wordCanEnd.append(edge && !StopWords.isNegation(lower) && !Self.isAdverb(lower))
        self.wordBreaks.append(Self.breaks.contains(lower))
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
        let node = self.children.find(key, or: Int32(self.nodeStem.count))
        guard node == Int32(self.nodeStem.count) else { return node }
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
        self.children.reserve(self.words.count * 2)
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
                stems.removeAll(keepingCapacity: true)
                stems.append(self.nodeStem[Int(node)])
                if self.wordCanEnd[Int(self.words[start])] { self.record(node, text: Int32(text)) }
                var position = start + 1
                while position < min(start + ThemeTitles.maxWords, end), self.clauses[position] == self.clauses[start] {
                    let stem = self.wordStem[Int(self.words[position])]
                    if stems.contains(stem) || self.wordBreaks[Int(self.words[position])] { break }
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
        func distinctiveness(_ node: Int32) -> Float {
            let slot = Int(node)
            let lift = (Float(self.themeAnswers[slot]) / size) / (Float(self.nodeAnswers[slot]) / totalAnswers)
            return self.themeWeight[slot] / totalWeight * (log(max(lift, 1)) + 0.05)
        }
        // Phrases are rare in short answers, so a phrase also earns the mean distinctiveness of its own words: "slow
        // CI" beats an equally rare phrase whose words say little about the theme.
        let ranked = tier.map { node in
            var words: [Float] = []
            var walk = node
            while walk > 0 {
                let single = self.stemNode[Int(self.nodeStem[Int(walk)])]
                if self.themeAnswers[Int(single)] > 0 { words.append(distinctiveness(single)) }
                walk = self.nodeParent[Int(walk)]
            }
            let meanWord = words.isEmpty ? 0 : words.reduce(0, +) / Float(words.count)
            let length = Float(self.nodeLength[Int(node)])
            return Candidate(node: node, score: distinctiveness(node) * (0.25 + meanWord) * (1 + 0.15 * (length - 2)))
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

/// Child nodes by (parent, stem): open addressing with a multiplicative hash, about three times faster here than
/// `Dictionary`, whose seeded hashing this integer key does not need.
struct NodeTable {
    private var keys: [UInt64] = Array(repeating: .max, count: 1024)
    private var values: [Int32] = Array(repeating: 0, count: 1024)
    private var count = 0

    mutating func reserve(_ capacity: Int) {
        if capacity * 2 > self.keys.count { self.grow(to: capacity * 2) }
    }

    /// The value stored for `key`, or `value` after storing it.
    mutating func find(_ key: UInt64, or value: Int32) -> Int32 {
        if (self.count + 1) * 2 > self.keys.count { self.grow(to: self.keys.count * 2) }
        let mask = self.keys.count - 1
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
        while self.keys[slot] != .max {
            if self.keys[slot] == key { return self.values[slot] }
            slot = (slot + 1) & mask
        }
        self.keys[slot] = key
        self.values[slot] = value
        self.count += 1
        return value
    }

    private mutating func grow(to minimum: Int) {
        var size = self.keys.count
        while size < minimum { size *= 2 }
        let (oldKeys, oldValues) = (self.keys, self.values)
        self.keys = Array(repeating: .max, count: size)
        self.values = Array(repeating: 0, count: size)
        self.count = 0
        for (key, value) in zip(oldKeys, oldValues) where key != .max { _ = self.find(key, or: value) }
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
