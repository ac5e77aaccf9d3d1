import Foundation

/// Turns text into the token ids a BERT sentence model reads, exactly as the Hugging Face `tokenizers` library
/// does for sentence-transformers/all-MiniLM-L6-v2 (BertNormalizer, BertPreTokenizer, WordPiece and the
/// `[CLS] $A [SEP]` template). The ids must match what the model was trained with, token for token: a tokenizer
/// that is merely "close" silently shifts every embedding, so each step mirrors the reference one.
///
/// The reference works on Unicode code points (Rust `char`s), never on grapheme clusters, so this does too: a
/// Swift `Character` such as "é" written as e + U+0301 is two code points there, and the accent is its own unit.
///
/// The steps, in the reference's order:
/// 1. Special tokens written in the text (`[SEP]`, `[CLS]`, …) are kept whole, before anything else runs.
/// 2. Cleaning: NUL, U+FFFD and control or format characters are dropped; whitespace becomes a plain space.
/// 3. CJK ideographs get a space on each side, so each is a word of its own.
/// 4. Accent stripping (NFD, then non-spacing marks removed), then lower-casing, code point by code point.
/// 5. Splitting on whitespace and around punctuation; each punctuation character is a word of its own.
/// 6. WordPiece: the longest vocabulary entry that starts the word, then the longest "##" entry continuing it,
///    and so on; a word that cannot be covered that way, or has more than 100 code points, becomes `[UNK]`.
public struct WordPieceTokenizer: Sendable {
    /// The ids of one text, ready for the model.
    public struct Encoding: Sendable, Equatable {
        /// Token ids including `[CLS]` first and `[SEP]` last.
        public var ids: [Int32]
        /// True when the text had more tokens than fit, so its end was cut off.
        public var truncated: Bool

        public init(ids: [Int32], truncated: Bool) {
            self.ids = ids
            self.truncated = truncated
        }
    }

    /// Longer words become `[UNK]` unsplit (the reference's `max_input_chars_per_word`); counted in code points.
    static let maxCodePointsPerWord = 100
    /// The special tokens BERT's tokenizers recognise when they appear literally in the text.
    static let specialTokenNames = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    /// How many ids the vocabulary defines (the model's embedding table must have as many rows).
    public let vocabularySize: Int
    /// The id of `[PAD]`, for callers that pad batches.
    public let padID: Int32
    let classifierID: Int32
    let separatorID: Int32
    let unknownID: Int32
    /// Whether text is lower-cased, and whether accents are stripped (NFD then non-spacing marks removed).
    let lowercase: Bool
    let stripAccents: Bool
    /// Pieces that may start a word (every vocabulary entry), and pieces that continue one (the "##" entries,
    /// stored without the "##").
    private let wordStarts: PieceTrie
    private let continuations: PieceTrie
    /// The special tokens to keep whole when written in the text, as UTF-8, with their ids.
    private let specialTokens: [SpecialToken]

    private struct SpecialToken: Sendable {
        var utf8: [UInt8]
        var id: Int32
    }

    // MARK: Loading

    /// Loads vocab.txt (one token per line, id = 0-based line number) from `folder`; reads lower-casing and
    /// accent stripping from tokenizer.json's normalizer when present (strip_accents null => follows lowercase),
    /// else tokenizer_config.json's do_lower_case, else lower-cases. Throws ModelError naming the file when
    /// vocab.txt is missing, empty, unreadable or not UTF-8, or lacks one of [CLS] [SEP] [UNK] [PAD], and when a
    /// tokenizer.json or tokenizer_config.json that is present cannot be parsed.
    public init(folder: URL) throws(ModelError) {
        let vocabularyFile = folder.appendingPathComponent("vocab.txt")
        let tokens = try TokenizerFiles.vocabulary(vocabularyFile)
        let casing = try TokenizerFiles.casing(folder: folder)
        try self.init(
            tokens: tokens, lowercase: casing.lowercase, stripAccents: casing.stripAccents, fileName: vocabularyFile.path
        )
    }

    /// Builds from an in-memory vocabulary (id = index); same checks as loading, reported against "vocab.txt".
    public init(vocabulary: [String], lowercase: Bool = true, stripAccents: Bool = true) throws(ModelError) {
        try self.init(tokens: vocabulary, lowercase: lowercase, stripAccents: stripAccents, fileName: "vocab.txt")
    }

    private init(tokens: [String], lowercase: Bool, stripAccents: Bool, fileName: String) throws(ModelError) {
        guard tokens.contains(where: { !$0.isEmpty }) else {
            throw ModelError(file: fileName, "is empty: it should list one token per line")
        }
        // Tokens are compared as UTF-8 bytes, never as Swift Strings: String equality is canonical equivalence
        // (U+212B ANGSTROM SIGN equals "Å"), and a Character merges "#" with a following combining mark, while
        // the reference treats every distinct byte sequence as its own token. A token listed twice keeps its last
        // id, as both Hugging Face readers of vocab.txt do.
        var idsByToken: [[UInt8]: Int32] = [:]
        idsByToken.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() where !token.isEmpty {
            idsByToken[Array(token.utf8)] = Int32(truncatingIfNeeded: index)
        }
        func requiredID(_ name: String) throws(ModelError) -> Int32 {
            guard let id = idsByToken[Array(name.utf8)] else {
                throw ModelError(file: fileName, "lacks the \(name) token, which BERT models need")
            }
            return id
        }
        self.classifierID = try requiredID("[CLS]")
        self.separatorID = try requiredID("[SEP]")
        self.unknownID = try requiredID("[UNK]")
        self.padID = try requiredID("[PAD]")
        self.vocabularySize = tokens.count
        self.lowercase = lowercase
        self.stripAccents = stripAccents

        let continuationPrefix = Array("##".utf8)
        self.wordStarts = PieceTrie(idsByToken.map { (utf8: $0.key, id: $0.value) })
        self.continuations = PieceTrie(
            idsByToken.compactMap { token, id in
                token.starts(with: continuationPrefix) ? (utf8: Array(token.dropFirst(continuationPrefix.count)), id: id) : nil
            }
        )
        self.specialTokens = Self.specialTokenNames.compactMap { name in
            idsByToken[Array(name.utf8)].map { SpecialToken(utf8: Array(name.utf8), id: $0) }
        }
    }

    // MARK: Encoding

    /// [CLS] + word pieces + [SEP], cut so the total is at most `maxLength` tokens (at least 2: [CLS] and [SEP]
    /// are always there). The pieces kept are the first ones, as the reference's truncation keeps them.
    public func encode(_ text: String, maxLength: Int = 256) -> Encoding {
        var pieces = PieceCollector(classifierID: self.classifierID, budget: max(maxLength, 2) - 2)
        var text = text
        text.withUTF8 { utf8 in
            // Special tokens are matched on the raw text, so the text between them is normalised piece by piece.
            var segmentStart = 0
            var position = 0
            while position < utf8.count, !pieces.isFull {
                if utf8[position] == UInt8(ascii: "["), let special = self.specialToken(in: utf8, at: position) {
                    self.appendSegment(UnsafeBufferPointer(rebasing: utf8[segmentStart..<position]), to: &pieces)
                    pieces.ids.append(special.id)
                    position += special.utf8.count
                    segmentStart = position
                } else {
                    position += 1
                }
            }
            if !pieces.isFull {
                self.appendSegment(UnsafeBufferPointer(rebasing: utf8[segmentStart..<utf8.count]), to: &pieces)
            }
        }
        return pieces.finish(separatorID: self.separatorID)
    }

    /// The longest special token written at `position`, if any (the reference matches leftmost-longest).
    private func specialToken(in utf8: UnsafeBufferPointer<UInt8>, at position: Int) -> SpecialToken? {
        var best: SpecialToken?
        for special in self.specialTokens where special.utf8.count <= utf8.count - position {
            if special.utf8.count > best?.utf8.count ?? 0,
               special.utf8.indices.allSatisfy({ special.utf8[$0] == utf8[position + $0] })
            {
                best = special
            }
        }
        return best
    }

    /// Tokenizes text holding no special token, one whitespace-separated chunk at a time. Every step of the
    /// reference is local to a chunk (canonical reordering never crosses a space), so plain ASCII chunks, the
    /// common case in survey answers, take a byte loop with no normalisation work, and only chunks holding other
    /// characters take the Unicode path.
    private func appendSegment(_ utf8: UnsafeBufferPointer<UInt8>, to pieces: inout PieceCollector) {
        var chunkStart = 0
        var chunkIsASCII = true
        for index in 0...utf8.count {
            if index < utf8.count {
                switch utf8[index] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): break
                case 0x80...: chunkIsASCII = false; continue
                default: continue
                }
            }
            if chunkStart < index {
                let chunk = UnsafeBufferPointer(rebasing: utf8[chunkStart..<index])
                if chunkIsASCII {
                    self.appendASCIIChunk(chunk, to: &pieces)
                } else {
                    self.appendUnicodeChunk(String(decoding: chunk, as: UTF8.self), to: &pieces)
                }
                if pieces.isFull { return }
            }
            chunkStart = index + 1
            chunkIsASCII = true
        }
    }

    /// The whole pipeline for ASCII text without whitespace, where every step reduces to a decision per byte.
    private func appendASCIIChunk(_ utf8: UnsafeBufferPointer<UInt8>, to pieces: inout PieceCollector) {
        for byte in utf8 {
            switch byte {
            case 0..<0x20, 0x7F:
                // Controls (including NUL, vertical tab and form feed) vanish without splitting the word.
                continue
            case 33...47, 58...64, 91...96, 123...126:
                self.finishWord(&pieces)
                pieces.word.append(byte)
                pieces.wordLength = 1
                self.finishWord(&pieces)
                if pieces.isFull { return }
            case UInt8(ascii: "A")...UInt8(ascii: "Z") where self.lowercase:
                pieces.word.append(byte + 0x20)
                pieces.wordLength += 1
            default:
                pieces.word.append(byte)
                pieces.wordLength += 1
            }
        }
        self.finishWord(&pieces)
    }

    /// The pipeline for any text, on code points.
    private func appendUnicodeChunk(_ text: String, to pieces: inout PieceCollector) {
        self.normalize(text, into: &pieces.normalized, scratch: &pieces.scratch)
        for scalar in pieces.normalized {
            let traits = ScalarTraits(scalar)
            if traits.contains(.whitespace) {
                self.finishWord(&pieces)
                if pieces.isFull { return }
            } else if traits.contains(.punctuation) {
                self.finishWord(&pieces)
                UTF8.encode(scalar) { pieces.word.append($0) }
                pieces.wordLength = 1
                self.finishWord(&pieces)
                if pieces.isFull { return }
            } else {
                UTF8.encode(scalar) { pieces.word.append($0) }
                pieces.wordLength += 1
            }
        }
        self.finishWord(&pieces)
    }

    /// BertNormalizer: cleaning, spaces around CJK ideographs, accent stripping, then lower-casing. The same
    /// code points as the reference's `normalizer.normalize_str`, for comparing the two when debugging.
    func normalize(_ text: String) -> [Unicode.Scalar] {
        var normalized: [Unicode.Scalar] = []
        var scratch: [Unicode.Scalar] = []
        self.normalize(text, into: &normalized, scratch: &scratch)
        return normalized
    }

    /// BertNormalizer into reused buffers; `scratch` holds the text between steps.
    private func normalize(_ text: String, into normalized: inout [Unicode.Scalar], scratch: inout [Unicode.Scalar]) {
        // Cleaning and CJK spacing.
        scratch.removeAll(keepingCapacity: true)
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                switch scalar.value {
                case 0x09, 0x0A, 0x0D: scratch.append(" ")
                case 0..<0x20, 0x7F: continue
                default: scratch.append(scalar)
                }
                continue
            }
            let traits = ScalarTraits(scalar)
            if traits.contains(.removedByCleaning) { continue }
            if traits.contains(.whitespace) {
                scratch.append(" ")
            } else if traits.contains(.cjkIdeograph) {
                scratch.append(" ")
                scratch.append(scalar)
                scratch.append(" ")
            } else {
                scratch.append(scalar)
            }
        }
        if self.stripAccents {
            CanonicalDecomposition.decompose(scratch, into: &normalized)
            swap(&scratch, &normalized)
        }
        // Accent stripping, then lower-casing.
        normalized.removeAll(keepingCapacity: true)
        for scalar in scratch {
            if scalar.isASCII {
                let isUppercase = scalar.value >= 0x41 && scalar.value <= 0x5A
                normalized.append(self.lowercase && isUppercase ? Unicode.Scalar(UInt8(scalar.value) + 0x20) : scalar)
                continue
            }
            let traits = ScalarTraits(scalar)
            if self.stripAccents, traits.contains(.nonspacingMark) { continue }
            if self.lowercase, traits.contains(.changesWhenLowercased) {
                // The full mapping, one code point at a time as Rust's char::to_lowercase: "İ" gives "i" + U+0307,
                // and a final "Σ" gives "σ", not "ς".
                for lowered in scalar.properties.lowercaseMapping.unicodeScalars { normalized.append(lowered) }
            } else {
                normalized.append(scalar)
            }
        }
    }

    /// Turns the word gathered in `pieces` into ids and starts a new word.
    private func finishWord(_ pieces: inout PieceCollector) {
        guard !pieces.word.isEmpty else { return }
        self.appendWordPieces(of: pieces.word, codePoints: pieces.wordLength, to: &pieces.ids)
        pieces.word.removeAll(keepingCapacity: true)
        pieces.wordLength = 0
    }

    /// Greedy longest-match-first WordPiece. Any piece that cannot be matched makes the whole word `[UNK]`.
    private func appendWordPieces(of word: [UInt8], codePoints: Int, to ids: inout [Int32]) {
        guard codePoints <= Self.maxCodePointsPerWord else {
            ids.append(self.unknownID)
            return
        }
        let firstPiece = ids.count
        var start = 0
        while start < word.count {
            let match = start == 0
                ? self.wordStarts.longestPrefix(of: word, from: start)
                : self.continuations.longestPrefix(of: word, from: start)
            guard let match else {
                ids.removeSubrange(firstPiece...)
                ids.append(self.unknownID)
                return
            }
            ids.append(match.id)
            start = match.end
        }
    }
}

/// The ids of one text as they are produced, plus working buffers reused across words and chunks, so that
/// tokenizing allocates per text rather than per word.
private struct PieceCollector {
    /// `[CLS]` then the pieces so far; a word's pieces may run past the budget, and are cut in `finish`.
    var ids: [Int32]
    /// The UTF-8 of the word being gathered, and its length in code points (the 100 limit counts code points).
    var word: [UInt8] = []
    var wordLength = 0
    /// The normalised code points of the chunk being tokenized, and the same half-way through normalisation.
    var normalized: [Unicode.Scalar] = []
    var scratch: [Unicode.Scalar] = []
    let budget: Int

    init(classifierID: Int32, budget: Int) {
        self.budget = budget
        self.ids = [classifierID]
        self.ids.reserveCapacity(min(budget, 64) + 2)
        self.word.reserveCapacity(32)
    }

    /// More pieces than fit: the rest of the text cannot change the result, so tokenizing stops early.
    var isFull: Bool { self.ids.count - 1 > self.budget }

    /// The encoding: the pieces that fit, framed by `[CLS]` and `[SEP]`.
    mutating func finish(separatorID: Int32) -> WordPieceTokenizer.Encoding {
        let truncated = self.isFull
        if truncated { self.ids.removeSubrange((self.budget + 1)...) }
        self.ids.append(separatorID)
        return WordPieceTokenizer.Encoding(ids: self.ids, truncated: truncated)
    }
}
