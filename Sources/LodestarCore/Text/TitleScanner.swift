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
                    let written = keepCase ? String(original) : ""
                    tokens.append(TitleToken(lower: String(lower), original: written, clause: clause, startsSentence: sentenceStart))
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
                    let lower = String(decoding: word, as: UTF8.self)
                    tokens.append(TitleToken(lower: lower, original: "", clause: clause, startsSentence: sentenceStart))
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
