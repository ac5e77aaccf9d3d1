/// The Porter2 ("Snowball English") stemmer, so that "builds", "building" and "built" count as one term where
/// the language allows it ("build", "build", "built").
///
/// Follows the algorithm as published by Martin Porter at snowballstem.org/algorithms/english/stemmer.html:
/// regions R1 and R2, steps 0 to 5, and the two lists of exceptional words. Works on lower-case ASCII letters;
/// anything else (`k8s`, `node.js`, `ci/cd`, words in other scripts) is returned unchanged.
public enum EnglishStemmer {
    public static func stem(_ word: String) -> String {
        guard word.utf8.count > 2, word.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || $0 == 39 }) else { return word }
        if let exception = Self.exceptions[word] { return exception }
        var stemmer = Stemmer(Array(word.utf8))
        return stemmer.run()
    }

    /// Words whose stem the rules would get wrong, and words left as they are.
    static let exceptions: [String: String] = [
        "skis": "ski", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie", "idly": "idl", "gently": "gentl",
        "ugly": "ugli", "early": "earli", "only": "onli", "singly": "singl", "sky": "sky", "news": "news", "howe": "howe",
        "atlas": "atlas", "cosmos": "cosmos", "bias": "bias", "andes": "andes",
    ]

    /// Words left as they are once step 1a is done.
    static let invariantAfter1a: Set<String> = ["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"]
}

private struct Stemmer {
    var word: [UInt8]
    var r1 = 0
    var r2 = 0

    static let y = UInt8(ascii: "y")
    static let capitalY = UInt8(ascii: "Y")

    init(_ word: [UInt8]) {
        self.word = word
    }

    mutating func run() -> String {
        if self.word.first == 39 { self.word.removeFirst() }
        // A y that acts as a consonant is marked Y, so it is not taken for a vowel.
        for index in self.word.indices where self.word[index] == Self.y && (index == 0 || self.isVowel(at: index - 1)) {
            self.word[index] = Self.capitalY
        }
        self.markRegions()
        self.step0()
        self.step1a()
        if EnglishStemmer.invariantAfter1a.contains(String(decoding: self.word, as: UTF8.self)) { return self.result }
        self.step1b()
        self.step1c()
        self.step2()
        self.step3()
        self.step4()
        self.step5()
        return self.result
    }

    var result: String {
        String(decoding: self.word.map { $0 == Self.capitalY ? Self.y : $0 }, as: UTF8.self)
    }

    // MARK: - Letters and regions

    func isVowel(at index: Int) -> Bool {
        switch self.word[index] {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"), Self.y: true
        default: false
        }
    }

    /// R1 follows the first non-vowel after a vowel (or a fixed prefix); R2 is the same rule applied inside R1.
    mutating func markRegions() {
        let text = String(decoding: self.word, as: UTF8.self)
        if let prefix = ["gener", "commun", "arsen"].first(where: { text.hasPrefix($0) }) {
            self.r1 = prefix.utf8.count
        } else {
            self.r1 = self.regionStart(after: 0)
        }
        self.r2 = self.regionStart(after: self.r1)
    }

    func regionStart(after start: Int) -> Int {
        var index = start + 1
        while index < self.word.count {
            if !self.isVowel(at: index), self.isVowel(at: index - 1) { return index + 1 }
            index += 1
        }
        return self.word.count
    }

    func endsWith(_ suffix: String) -> Bool {
        let suffix = Array(suffix.utf8)
        return self.word.count >= suffix.count && Array(self.word.suffix(suffix.count)) == suffix
    }

    /// The longest of `suffixes` the word ends with.
    func longest(_ suffixes: [String]) -> String? {
        suffixes.filter(self.endsWith).max { $0.utf8.count < $1.utf8.count }
    }

    func inR1(_ suffix: String) -> Bool { self.word.count - suffix.utf8.count >= self.r1 }
    func inR2(_ suffix: String) -> Bool { self.word.count - suffix.utf8.count >= self.r2 }

    mutating func replace(_ suffix: String, with replacement: String) {
        self.word.removeLast(suffix.utf8.count)
        self.word.append(contentsOf: replacement.utf8)
    }

    /// Whether the first `count` letters hold a vowel.
    func hasVowel(before count: Int) -> Bool {
        (0..<max(0, count)).contains(where: self.isVowel)
    }

    /// A vowel followed by a non-vowel other than w, x or Y and preceded by a non-vowel, or a vowel at the start
    /// followed by a non-vowel, ending at `end`.
    func endsInShortSyllable(_ end: Int) -> Bool {
        if end == 2 { return self.isVowel(at: 0) && !self.isVowel(at: 1) }
        guard end >= 3 else { return false }
        let last = self.word[end - 1]
        return !self.isVowel(at: end - 3) && self.isVowel(at: end - 2) && !self.isVowel(at: end - 1)
            && last != UInt8(ascii: "w") && last != UInt8(ascii: "x") && last != Self.capitalY
    }

    var isShort: Bool { self.r1 >= self.word.count && self.endsInShortSyllable(self.word.count) }

    // MARK: - Steps

    mutating func step0() {
        if let suffix = self.longest(["'s'", "'s", "'"]) { self.replace(suffix, with: "") }
    }

    mutating func step1a() {
        switch self.longest(["sses", "ied", "ies", "s", "us", "ss"]) {
        case "sses": self.replace("sses", with: "ss")
        case let suffix? where suffix == "ied" || suffix == "ies":
            self.replace(suffix, with: self.word.count > 4 ? "i" : "ie")
        case "s":
            // Delete when a vowel comes before the letter just before the s: "gaps" → "gap", not "gas" → "ga".
            if self.hasVowel(before: self.word.count - 2) { self.word.removeLast() }
        default: break
        }
    }

    mutating func step1b() {
        guard let suffix = self.longest(["eed", "eedly", "ed", "edly", "ing", "ingly"]) else { return }
        if suffix == "eed" || suffix == "eedly" {
            if self.inR1(suffix) { self.replace(suffix, with: "ee") }
            return
        }
        guard self.hasVowel(before: self.word.count - suffix.utf8.count) else { return }
        self.replace(suffix, with: "")
        if self.endsWith("at") || self.endsWith("bl") || self.endsWith("iz") {
            self.word.append(UInt8(ascii: "e"))
        } else if let double = self.longest(["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"]), double.utf8.count == 2 {
            self.word.removeLast()
        } else if self.isShort {
            self.word.append(UInt8(ascii: "e"))
        }
    }

    mutating func step1c() {
        let count = self.word.count
        guard count > 2, self.word[count - 1] == Self.y || self.word[count - 1] == Self.capitalY, !self.isVowel(at: count - 2) else { return }
        self.word[count - 1] = UInt8(ascii: "i")
    }

    static let step2Rules: [String: String] = [
        "tional": "tion", "enci": "ence", "anci": "ance", "abli": "able", "entli": "ent", "izer": "ize", "ization": "ize",
        "ational": "ate", "ation": "ate", "ator": "ate", "alism": "al", "aliti": "al", "alli": "al", "fulness": "ful",
        "ousli": "ous", "ousness": "ous", "iveness": "ive", "iviti": "ive", "biliti": "ble", "bli": "ble", "ogi": "og",
        "fulli": "ful", "lessli": "less", "li": "",
    ]

    mutating func step2() {
        guard let suffix = self.longest(Array(Self.step2Rules.keys)), self.inR1(suffix) else { return }
        let before = self.word.count - suffix.utf8.count
        switch suffix {
        case "ogi":
            guard before > 0, self.word[before - 1] == UInt8(ascii: "l") else { return }
        case "li":
            guard before > 0, "cdeghkmnrt".utf8.contains(self.word[before - 1]) else { return }
        default: break
        }
        self.replace(suffix, with: Self.step2Rules[suffix]!)
    }

    static let step3Rules: [String: String] = [
        "tional": "tion", "ational": "ate", "alize": "al", "icate": "ic", "iciti": "ic", "ical": "ic", "ful": "", "ness": "",
        "ative": "",
    ]

    mutating func step3() {
        guard let suffix = self.longest(Array(Self.step3Rules.keys)), self.inR1(suffix) else { return }
        if suffix == "ative", !self.inR2(suffix) { return }
        self.replace(suffix, with: Self.step3Rules[suffix]!)
    }

    mutating func step4() {
        let suffixes = [
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous", "ive", "ize",
            "ion",
        ]
        guard let suffix = self.longest(suffixes), self.inR2(suffix) else { return }
        if suffix == "ion" {
            let before = self.word.count - 3
            guard before > 0, self.word[before - 1] == UInt8(ascii: "s") || self.word[before - 1] == UInt8(ascii: "t") else { return }
        }
        self.replace(suffix, with: "")
    }

    mutating func step5() {
        if self.endsWith("e") {
            if self.inR2("e") || (self.inR1("e") && !self.endsInShortSyllable(self.word.count - 1)) { self.word.removeLast() }
        } else if self.endsWith("l"), self.inR2("l"), self.word.count >= 2, self.word[self.word.count - 2] == UInt8(ascii: "l") {
            self.word.removeLast()
        }
    }
}
