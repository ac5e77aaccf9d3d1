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
        let tokens = try Self.readVocabulary(vocabularyFile)
        let casing = try Self.readCasing(folder: folder)
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

    /// The lines of vocab.txt. Lines are split on "\n" bytes (not on Swift Characters, where "\r\n" is one
    /// character) and a trailing "\r" is dropped; a final newline does not make an extra empty token.
    private static func readVocabulary(_ file: URL) throws(ModelError) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder) else {
            throw ModelError(file: file.path, "is missing: the model folder has no vocabulary")
        }
        guard !isFolder.boolValue else {
            throw ModelError(file: file.path, "is a folder, not a vocabulary file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw ModelError(file: file.path, "cannot be read: \(error.localizedDescription)")
        }
        // Decoding repairs bad bytes; comparing the result with the original is what detects them.
        guard String(decoding: data, as: UTF8.self).utf8.elementsEqual(data) else {
            throw ModelError(file: file.path, "is not valid UTF-8 text")
        }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// The casing settings of the model folder, from the most specific source present.
    private static func readCasing(folder: URL) throws(ModelError) -> (lowercase: Bool, stripAccents: Bool) {
        let tokenizerFile = folder.appendingPathComponent("tokenizer.json")
        if let normalizer = try Self.decodeIfPresent(TokenizerFile.self, from: tokenizerFile)?.normalizer,
           let lowercase = normalizer.lowercase
        {
            return (lowercase, normalizer.stripAccents ?? lowercase)
        }
        let configFile = folder.appendingPathComponent("tokenizer_config.json")
        if let config = try Self.decodeIfPresent(TokenizerConfigFile.self, from: configFile),
           let lowercase = config.doLowerCase
        {
            return (lowercase, config.stripAccents ?? lowercase)
        }
        return (true, true)
    }

    /// The parsed file, nil when it does not exist; a file that exists but cannot be parsed is an error, since a
    /// half-understood configuration would tokenize differently from the reference without saying so.
    private static func decodeIfPresent<Value: Decodable>(_ type: Value.Type, from file: URL) throws(ModelError) -> Value? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        do {
            return try JSONDecoder().decode(type, from: Data(contentsOf: file))
        } catch {
            throw ModelError(file: file.path, "cannot be read as a tokenizer configuration: \(error)")
        }
    }

    /// The part of tokenizer.json that says how text is normalised (BertNormalizer's fields).
    private struct TokenizerFile: Decodable {
        struct Normalizer: Decodable {
            var lowercase: Bool?
            /// null means "same as lowercase".
            var stripAccents: Bool?

            enum CodingKeys: String, CodingKey {
                case lowercase
                case stripAccents = "strip_accents"
            }
        }

        var normalizer: Normalizer?
    }

    /// The part of tokenizer_config.json (the Python BertTokenizer's settings) that says how text is normalised.
    private struct TokenizerConfigFile: Decodable {
        var doLowerCase: Bool?
        var stripAccents: Bool?

        enum CodingKeys: String, CodingKey {
            case doLowerCase = "do_lower_case"
            case stripAccents = "strip_accents"
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

/// A byte-wise trie of vocabulary pieces, flattened into arrays. Finding the longest piece that starts at a
/// position is one walk down the trie, instead of building and hashing a String for every candidate end (which
/// is quadratic in the word's length). A piece found in the bytes always ends on a code point boundary, because
/// pieces are valid UTF-8 themselves, so the result is the reference's longest match in code points.
struct PieceTrie: Sendable {
    /// Node `n`'s outgoing edges are `edgeBytes[firstEdge[n]..<firstEdge[n + 1]]`, sorted, with their targets in
    /// `edgeTargets`; node 0 is the root.
    private let firstEdge: [Int32]
    private let edgeBytes: [UInt8]
    private let edgeTargets: [Int32]
    /// The id of the piece ending at each node, or -1.
    private let pieceIDs: [Int32]
    /// The root's children indexed by byte (-1 for none): every lookup starts there and it has the most edges.
    private let rootChildren: [Int32]

    init(_ pieces: [(utf8: [UInt8], id: Int32)]) {
        let sorted = pieces.filter { !$0.utf8.isEmpty }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        // Breadth-first over ranges of `sorted` sharing a prefix of length `depth`: a node's children are created
        // together, so each node's edges are contiguous and already in byte order.
        var nodes: [(start: Int, end: Int, depth: Int)] = [(0, sorted.count, 0)]
        var firstEdge: [Int32] = []
        var edgeBytes: [UInt8] = []
        var edgeTargets: [Int32] = []
        var pieceIDs: [Int32] = []
        var node = 0
        while node < nodes.count {
            var (start, end, depth) = nodes[node]
            var id: Int32 = -1
            // Sorting puts a piece before its extensions, so a piece ending here comes first in the range.
            if start < end, sorted[start].utf8.count == depth {
                id = sorted[start].id
                start += 1
            }
            pieceIDs.append(id)
            firstEdge.append(Int32(edgeBytes.count))
            while start < end {
                let byte = sorted[start].utf8[depth]
                var next = start + 1
                while next < end, sorted[next].utf8[depth] == byte { next += 1 }
                edgeBytes.append(byte)
                edgeTargets.append(Int32(nodes.count))
                nodes.append((start, next, depth + 1))
                start = next
            }
            node += 1
        }
        firstEdge.append(Int32(edgeBytes.count))

        var rootChildren = [Int32](repeating: -1, count: 256)
        for edge in Int(firstEdge[0])..<Int(firstEdge[1]) {
            rootChildren[Int(edgeBytes[edge])] = edgeTargets[edge]
        }
        self.firstEdge = firstEdge
        self.edgeBytes = edgeBytes
        self.edgeTargets = edgeTargets
        self.pieceIDs = pieceIDs
        self.rootChildren = rootChildren
    }

    /// The longest piece that `bytes` holds from `start`, with where it ends; nil when no piece starts there.
    func longestPrefix(of bytes: [UInt8], from start: Int) -> (id: Int32, end: Int)? {
        guard start < bytes.count else { return nil }
        var node = Int(self.rootChildren[Int(bytes[start])])
        var position = start + 1
        var best: (id: Int32, end: Int)?
        while node >= 0 {
            let id = self.pieceIDs[node]
            if id >= 0 { best = (id, position) }
            guard position < bytes.count else { break }
            node = self.child(of: node, byte: bytes[position])
            position += 1
        }
        return best
    }

    /// The node reached from `node` over `byte`, or -1. Inner nodes have few edges, so a scan is fastest.
    private func child(of node: Int, byte: UInt8) -> Int {
        var edge = Int(self.firstEdge[node])
        let end = Int(self.firstEdge[node + 1])
        while edge < end {
            let label = self.edgeBytes[edge]
            if label == byte { return Int(self.edgeTargets[edge]) }
            if label > byte { return -1 }
            edge += 1
        }
        return -1
    }
}

/// Canonical decomposition (NFD) as the reference computes it: with Unicode 9.0 data, where a newer character
/// has no decomposition. Decompositions and combining classes never change once a character is assigned, so
/// today's data restricted to characters Unicode 9.0 knows is exactly 9.0's.
///
/// For newer characters the reference's combining-class lookup returns arbitrary values (its table lacks them),
/// which can reorder them among neighbouring combining marks. That is not reproduced, and need not be: such a
/// reordering stays inside one word (spaces, punctuation and letters all have class 0), and a word holding a
/// character newer than Unicode 6.0 always becomes [UNK], since no vocabulary entry contains one.
///
/// Done here rather than with Foundation's `decomposedStringWithCanonicalMapping` for two reasons: Foundation
/// would also decompose newer characters, and on Linux each call bridges through NSString, which made it the
/// slowest step for non-English text. Foundation is still the source of the data: one call, the first time any
/// text needs it, decomposes every candidate character at once.
enum CanonicalDecomposition {
    /// The full canonical decomposition of each Unicode 9.0 character that has one, Hangul syllables excepted
    /// (those decompose by formula).
    static let mappings: [UInt32: [Unicode.Scalar]] = {
        // Every canonical decomposition lies in one of these 256-code-point blocks (the set is fixed: newer
        // characters do not count); the exhaustive test against the reference holds this list to account.
        let blocks: [UInt32] = [
            0x00, 0x01, 0x02, 0x03, 0x04, 0x06, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0F, 0x10, 0x1B, 0x1E, 0x1F, 0x20, 0x21,
            0x22, 0x23, 0x2A, 0x30, 0xF9, 0xFA, 0xFB, 0x110, 0x111, 0x113, 0x114, 0x115, 0x1D1, 0x2F8, 0x2F9, 0x2FA,
        ]
        // Each candidate is followed by U+0001, a starter that decomposes to itself, so the decomposed text splits
        // back into one decomposition per candidate and nothing is reordered across candidates.
        let separator: Unicode.Scalar = "\u{1}"
        var candidates: [Unicode.Scalar] = []
        var batch = ""
        for block in blocks {
            for value in (block << 8)..<((block + 1) << 8) {
                guard value >= 0xC0, let scalar = Unicode.Scalar(value), BertCharacters.isKnownToNormalization(scalar) else {
                    continue
                }
                candidates.append(scalar)
                batch.unicodeScalars.append(scalar)
                batch.unicodeScalars.append(separator)
            }
        }
        var mappings: [UInt32: [Unicode.Scalar]] = [:]
        var current: [Unicode.Scalar] = []
        var candidate = 0
        for scalar in batch.decomposedStringWithCanonicalMapping.unicodeScalars {
            guard scalar == separator else {
                current.append(scalar)
                continue
            }
            if candidate < candidates.count, current != [candidates[candidate]] {
                mappings[candidates[candidate].value] = current
            }
            candidate += 1
            current.removeAll()
        }
        return mappings
    }()

    /// Appends the NFD of `scalars` to the emptied `output`: each character fully decomposed, then every run of
    /// combining marks put in canonical order (stable by combining class).
    static func decompose(_ scalars: [Unicode.Scalar], into output: inout [Unicode.Scalar]) {
        output.removeAll(keepingCapacity: true)
        var runStart = 0
        var previousClass: UInt8 = 0
        var runIsOrdered = true
        func append(_ scalar: Unicode.Scalar) {
            let combiningClass = Self.combiningClass(scalar)
            if combiningClass == 0 {
                if !runIsOrdered { Self.order(&output, from: runStart) }
                output.append(scalar)
                runStart = output.count
                runIsOrdered = true
            } else {
                if combiningClass < previousClass { runIsOrdered = false }
                output.append(scalar)
            }
            previousClass = combiningClass
        }
        for scalar in scalars {
            if scalar.isASCII {
                append(scalar)
                continue
            }
            let traits = ScalarTraits(scalar)
            if traits.contains(.hangulSyllable) {
                // The conjoining jamo, by the Unicode standard's arithmetic (section 3.12).
                let index = scalar.value - 0xAC00
                let trailing = index % 28
                append(Unicode.Scalar(0x1100 + index / 588) ?? scalar)
                append(Unicode.Scalar(0x1161 + (index % 588) / 28) ?? scalar)
                if trailing != 0 { append(Unicode.Scalar(0x11A7 + trailing) ?? scalar) }
            } else if traits.contains(.decomposes), let mapping = Self.mappings[scalar.value] {
                for part in mapping { append(part) }
            } else {
                append(scalar)
            }
        }
        if !runIsOrdered { Self.order(&output, from: runStart) }
    }

    /// The canonical combining class the reference sees (taken as 0 for characters newer than Unicode 9.0).
    static func combiningClass(_ scalar: Unicode.Scalar) -> UInt8 {
        guard !scalar.isASCII, ScalarTraits(scalar).contains(.combining) else { return 0 }
        return scalar.properties.canonicalCombiningClass.rawValue
    }

    /// Sorts the combining marks from `start` to the end by class, keeping the order of equal classes. Sorting
    /// pairs with their positions keeps it stable whatever the sort, and n log n even for absurdly long runs.
    private static func order(_ scalars: inout [Unicode.Scalar], from start: Int) {
        let ordered = scalars[start...].enumerated()
            .sorted { (Self.combiningClass($0.element), $0.offset) < (Self.combiningClass($1.element), $1.offset) }
        scalars.replaceSubrange(start..., with: ordered.map(\.element))
    }
}

/// What the reference's rules say about one code point, looked up in a table for the Basic Multilingual Plane
/// (computed once per process, on first use) because asking Swift's Unicode properties several times for every
/// character is what made non-English text slow; code points beyond it are computed each time.
struct ScalarTraits: OptionSet, Sendable {
    let rawValue: UInt16

    static let removedByCleaning = ScalarTraits(rawValue: 1 << 0)
    static let whitespace = ScalarTraits(rawValue: 1 << 1)
    static let punctuation = ScalarTraits(rawValue: 1 << 2)
    static let cjkIdeograph = ScalarTraits(rawValue: 1 << 3)
    static let nonspacingMark = ScalarTraits(rawValue: 1 << 4)
    static let changesWhenLowercased = ScalarTraits(rawValue: 1 << 5)
    /// A non-zero canonical combining class, as Unicode 9.0 has it.
    static let combining = ScalarTraits(rawValue: 1 << 6)
    /// A canonical decomposition in `CanonicalDecomposition.mappings`.
    static let decomposes = ScalarTraits(rawValue: 1 << 7)
    static let hangulSyllable = ScalarTraits(rawValue: 1 << 8)

    init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    init(_ scalar: Unicode.Scalar) {
        self = scalar.value < 0x10000 ? Self.basicPlane[Int(scalar.value)] : Self.computed(scalar)
    }

    private static let basicPlane: [ScalarTraits] = (0..<0x10000).map { value in
        Unicode.Scalar(UInt32(value)).map(Self.computed) ?? []
    }

    static func computed(_ scalar: Unicode.Scalar) -> ScalarTraits {
        // Most of the plane is unified ideographs and Hangul syllables, letters with no other trait (unlike the
        // compatibility ideographs, which decompose); answering them without Swift's property lookups makes
        // building the table several times faster.
        switch scalar.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF: return .cjkIdeograph
        case 0xAC00...0xD7A3: return .hangulSyllable
        default: break
        }
        var traits: ScalarTraits = []
        if BertCharacters.isRemovedByCleaning(scalar) { traits.insert(.removedByCleaning) }
        if BertCharacters.isWhitespace(scalar) { traits.insert(.whitespace) }
        if BertCharacters.isPunctuation(scalar) { traits.insert(.punctuation) }
        if BertCharacters.isCJKIdeograph(scalar) { traits.insert(.cjkIdeograph) }
        if BertCharacters.isNonspacingMark(scalar) { traits.insert(.nonspacingMark) }
        if scalar.properties.changesWhenLowercased { traits.insert(.changesWhenLowercased) }
        if BertCharacters.isKnownToNormalization(scalar) {
            if scalar.properties.canonicalCombiningClass.rawValue != 0 { traits.insert(.combining) }
            if CanonicalDecomposition.mappings[scalar.value] != nil { traits.insert(.decomposes) }
        }
        return traits
    }
}

/// Character classes as the reference defines them, which is not always what the Unicode data built into Swift
/// says. The reference's Rust crate for general categories (punctuation, controls, non-spacing marks) carries
/// Unicode 8.0 tables, and its normalisation crate Unicode 9.0 ones, while Swift carries a current Unicode. So a
/// character assigned after 8.0 is, to the reference, unassigned: kept as is, never punctuation, never stripped;
/// and the few characters whose category changed since 8.0 are listed with their 8.0 category. Checked code
/// point by code point against the reference, for all 1,112,064 code points.
enum BertCharacters {
    /// Whether the reference's Unicode 8.0 tables know `scalar`; anything newer (or unassigned) is, to them,
    /// category Cn, which no rule below matches.
    static func isKnownToReference(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return false }
        return (age.major, age.minor) <= (8, 0)
    }

    /// Whether the reference's Unicode 9.0 normalisation tables know `scalar`.
    static func isKnownToNormalization(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return false }
        return (age.major, age.minor) <= (9, 0)
    }

    /// Dropped by cleaning: NUL, U+FFFD, and "control" characters (categories Cc, Cf, Co, as of Unicode 8.0;
    /// not tab, newline or carriage return, which are whitespace).
    static func isRemovedByCleaning(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0, 0xFFFD: return true
        case 0x09, 0x0A, 0x0D: return false
        case 0..<0x20, 0x7F: return true
        case 0x20..<0x80: return false
        default: break
        }
        switch scalar.properties.generalCategory {
        case .control, .format, .privateUse, .surrogate: return Self.isKnownToReference(scalar)
        default: return false
        }
    }

    /// Unicode White_Space, as Rust's `char::is_whitespace` (current Unicode, like Swift's; the set is stable).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20: return true
        case 0..<0x80: return false
        default: return scalar.properties.isWhitespace
        }
    }

    /// ASCII punctuation (which includes symbols such as "$", "+" and "^") or a Unicode 8.0 P* category.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 33...47, 58...64, 91...96, 123...126: return true
        case 0..<0x80: return false
        // Punctuation in Unicode 8.0, no longer now: CANADIAN SYLLABICS CHI SIGN (now So), SHARADA SANDHI MARK (now Mn).
        case 0x166D, 0x111C9: return true
        default: break
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation:
            return Self.isKnownToReference(scalar)
        default:
            return false
        }
    }

    /// The CJK ideograph blocks the reference isolates (note: not U+2B820–U+2B91F).
    static func isCJKIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B81F, 0x2B920...0x2CEAF,
             0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// Category Mn as of Unicode 8.0, removed when stripping accents.
    static func isNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x300: return false
        // Mn in Unicode 8.0, Mc now: HANUNOO SIGN PAMUDPOD, AHOM CONSONANT SIGN MEDIAL RA.
        case 0x1734, 0x1171E: return true
        // Not Mn in Unicode 8.0: MONGOLIAN LETTER ALI GALI BALUDA and THREE BALUDA (Lo), JAVANESE CONSONANT
        // SIGN KERET (Mc), SHARADA SANDHI MARK (Po).
        case 0x1885, 0x1886, 0xA9BD, 0x111C9: return false
        default:
            return scalar.properties.generalCategory == .nonspacingMark && Self.isKnownToReference(scalar)
        }
    }
}
