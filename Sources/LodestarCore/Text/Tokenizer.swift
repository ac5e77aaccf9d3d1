/// Splits free text into lower-case terms the way platform answers need: `k8s`, `ci/cd`, `node.js`, `c#`, `c++`
/// and `don't` stay whole, punctuation around words goes, emoji and symbols separate words, letters of any script
/// make words, and numbers alone are dropped ("25 minutes" keeps "minutes").
public enum Tokenizer {
    /// Characters kept inside a term when a letter or digit follows them.
    static let joiners: Set<Unicode.Scalar> = [".", "/", "_", "'"]

    public static func terms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = String.UnicodeScalarView()
        var hasLetter = false
        let scalars = Array(text.lowercased().unicodeScalars.map { $0 == "\u{2019}" ? "'" : $0 })

        func finish() {
            if hasLetter { terms.append(String(current)) }
            current = String.UnicodeScalarView()
            hasLetter = false
        }

        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if Self.isWordCharacter(scalar) {
                current.append(scalar)
                if !hasLetter, scalar.isASCII ? scalar >= "a" : scalar.properties.isAlphabetic { hasLetter = true }
            } else if !current.isEmpty, Self.joiners.contains(scalar), index + 1 < scalars.count, Self.isWordCharacter(scalars[index + 1]) {
                current.append(scalar)
            } else if !current.isEmpty, current.count <= 2, scalar == "#" || scalar == "+" {
                // c#, f#, c++: a one- or two-letter name followed by # or +.
                while index < scalars.count, scalars[index] == "#" || scalars[index] == "+" {
                    current.append(scalars[index])
                    index += 1
                }
                finish()
                continue
            } else {
                finish()
            }
            index += 1
        }
        finish()
        return terms
    }

    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            // The common case, without a lookup in the Unicode tables (the text is already lower-case).
            return (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9")
        }
        let properties = scalar.properties
        if properties.isEmojiPresentation || properties.isEmoji && !properties.isAlphabetic && properties.numericType == nil {
            return false
        }
        return properties.isAlphabetic || properties.generalCategory == .decimalNumber
            || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark
    }
}

/// Common English words that carry no topic, for leaving out of terms. Negations stay out of this list: "no
/// staging environment" and "a staging environment" are different complaints.
public enum StopWords {
    public static func contains(_ term: String) -> Bool { Self.english.contains(term) }

    /// Verbs that carry little meaning of their own ("make red mean red", "find out"), by stem: they count in the
    /// grouping but make poor labels.
    public static func isLightVerb(_ stem: String) -> Bool {
        Self.lightVerbs.contains(stem)
    }

    static let lightVerbs: Set<String> = Set(
        ["make", "made", "find", "found", "give", "gave", "take", "took", "tell", "told", "let", "use", "need", "want", "know", "knew",
         "see", "saw", "go", "went", "put", "keep", "kept", "tri", "come", "came", "say", "said", "seem", "feel", "felt", "like", "way",
         "actual", "realli", "alway", "someth", "anyth", "everyth", "thing", "stuff", "instead", "pleas", "better", "first", "end"]
    )

    /// The negations the list keeps ("not", "never", "don't"): they change what an answer means.
    public static func isNegation(_ word: String) -> Bool {
        word.hasSuffix("n't") || ["no", "not", "nor", "never", "none", "nobody", "nothing", "nowhere", "without"].contains(word)
    }

    static let english: Set<String> = [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
        "does", "doing", "down", "during", "each", "even", "ever", "every", "few", "for", "from", "further", "get", "gets",
        "getting", "got", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his",
        "how", "i", "i'd", "i'll", "i'm", "i've", "if", "in", "into", "is", "it", "it's", "its", "itself", "just", "let's",
        "lot", "lots", "me", "might", "more", "most", "much", "must", "my", "myself", "of", "off", "often", "on", "once",
        "one", "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own", "pretty", "quite",
        "rather", "really", "same", "she", "should", "so", "some", "still", "such", "than", "that", "that's", "the",
        "their", "theirs", "them", "themselves", "then", "there", "there's", "these", "they", "they're", "thing",
        "things", "this", "those", "through", "to", "too", "under", "until", "up", "us", "very", "was", "we", "we're",
        "we've", "were", "what", "what's", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
        "would", "you", "you're", "your", "yours", "yourself", "yourselves",
    ]
}
