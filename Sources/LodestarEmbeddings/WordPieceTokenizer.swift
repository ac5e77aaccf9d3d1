import Foundation

/// Turns text into the token ids a BERT sentence model reads, exactly as the Hugging Face `tokenizers` library
/// does for sentence-transformers/all-MiniLM-L6-v2 (BertNormalizer, BertPreTokenizer, WordPiece and the
/// `[CLS] $A [SEP]` template). The ids must match what the model was trained with, token for token: a tokenizer
/// that is merely "close" silently shifts every embedding, so each step below mirrors the reference one.
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
    /// The tokens the model cannot work without.
    static let requiredTokenNames = ["[CLS]", "[SEP]", "[UNK]", "[PAD]"]

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
    /// vocab.txt is missing, empty, unreadable or not UTF-8, or lacks one of [CLS] [SEP] [UNK] [PAD].
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
        // A token listed twice keeps its last id, as both Hugging Face readers of vocab.txt do.
        var idsByToken: [String: Int32] = [:]
        idsByToken.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() where !token.isEmpty {
            idsByToken[token] = Int32(truncatingIfNeeded: index)
        }
        func requiredID(_ name: String) throws(ModelError) -> Int32 {
            guard let id = idsByToken[name] else {
                throw ModelError(file: fileName, "lacks the \(name) token, which BERT models need")
            }
            return id
        }
        for name in Self.requiredTokenNames { _ = try requiredID(name) }
        self.classifierID = try requiredID("[CLS]")
        self.separatorID = try requiredID("[SEP]")
        self.unknownID = try requiredID("[UNK]")
        self.padID = try requiredID("[PAD]")
        self.vocabularySize = tokens.count
        self.lowercase = lowercase
        self.stripAccents = stripAccents

        let continuationPrefix = "##"
        let entries = idsByToken.map { (utf8: Array($0.key.utf8), id: $0.value) }
        self.wordStarts = PieceTrie(entries)
        self.continuations = PieceTrie(
            idsByToken.compactMap { token, id in
                token.hasPrefix(continuationPrefix) ? (utf8: Array(token.utf8.dropFirst(2)), id: id) : nil
            }
        )
        self.specialTokens = Self.specialTokenNames.compactMap { name in
            idsByToken[name].map { SpecialToken(utf8: Array(name.utf8), id: $0) }
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
        let text = String(decoding: data, as: UTF8.self)
        guard text.utf8.elementsEqual(data) else {
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

    /// Tokenizes text holding no special token. Plain ASCII, the common case for survey answers, takes a byte
    /// loop with no normalisation work; anything else takes the full Unicode path.
    private func appendSegment(_ utf8: UnsafeBufferPointer<UInt8>, to pieces: inout PieceCollector) {
        if utf8.allSatisfy({ $0 < 0x80 }) {
            self.appendASCIISegment(utf8, to: &pieces)
        } else {
            self.appendUnicodeSegment(String(decoding: utf8, as: UTF8.self), to: &pieces)
        }
    }

    /// The whole pipeline for ASCII text, where every step reduces to a decision per byte.
    private func appendASCIISegment(_ utf8: UnsafeBufferPointer<UInt8>, to pieces: inout PieceCollector) {
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: " "):
                self.finishWord(&pieces)
                if pieces.isFull { return }
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
    private func appendUnicodeSegment(_ text: String, to pieces: inout PieceCollector) {
        for scalar in self.normalize(text) {
            if BertCharacters.isWhitespace(scalar) {
                self.finishWord(&pieces)
                if pieces.isFull { return }
            } else if BertCharacters.isPunctuation(scalar) {
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

    /// BertNormalizer: cleaning, spaces around CJK ideographs, accent stripping, then lower-casing.
    func normalize(_ text: String) -> [Unicode.Scalar] {
        var cleaned: [Unicode.Scalar] = []
        cleaned.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if BertCharacters.isRemovedByCleaning(scalar) { continue }
            if BertCharacters.isWhitespace(scalar) {
                cleaned.append(" ")
            } else if BertCharacters.isCJKIdeograph(scalar) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        if self.stripAccents {
            cleaned = Self.decomposed(cleaned).filter { !BertCharacters.isNonspacingMark($0) }
        }
        guard self.lowercase else { return cleaned }
        var lowered: [Unicode.Scalar] = []
        lowered.reserveCapacity(cleaned.count)
        for scalar in cleaned {
            if scalar.isASCII {
                lowered.append(scalar.value >= 0x41 && scalar.value <= 0x5A ? Unicode.Scalar(UInt8(scalar.value) + 0x20) : scalar)
            } else if scalar.properties.changesWhenLowercased {
                // The full mapping, one code point at a time as Rust's char::to_lowercase: "İ" gives "i" + U+0307,
                // and a final "Σ" gives "σ", not "ς".
                lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                lowered.append(scalar)
            }
        }
        return lowered
    }

    /// Canonical decomposition (NFD) as the reference computes it, with Unicode 8.0 tables. Foundation decomposes
    /// with current tables, which agree for every character Unicode 8.0 knows (decompositions and combining
    /// classes never change once assigned). A newer character is, to the reference, an undecomposable starter
    /// (combining class 0), so it is passed through as is and the runs between such characters go to Foundation;
    /// splitting there is exact because canonical reordering never moves anything across a starter.
    static func decomposed(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count + scalars.count / 4)
        var run = String.UnicodeScalarView()
        func flushRun() {
            guard !run.isEmpty else { return }
            result.append(contentsOf: String(run).decomposedStringWithCanonicalMapping.unicodeScalars)
            run.removeAll(keepingCapacity: true)
        }
        for scalar in scalars {
            if scalar.isASCII || BertCharacters.isKnownToReference(scalar) {
                run.append(scalar)
            } else {
                flushRun()
                result.append(scalar)
            }
        }
        flushRun()
        return result
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

/// The ids of one text as they are produced, plus the word being gathered (reused across words, so there is no
/// allocation per word).
private struct PieceCollector {
    /// `[CLS]` then the pieces so far; a word's pieces may run past the budget, and are cut in `finish`.
    var ids: [Int32]
    var word: [UInt8] = []
    /// Code points in `word` (the 100 limit counts code points, not bytes).
    var wordLength = 0
    let budget: Int

    init(classifierID: Int32, budget: Int) {
        self.budget = budget
        self.ids = [classifierID]
        self.ids.reserveCapacity(min(budget, 64) + 2)
        self.word.reserveCapacity(32)
    }

    /// More pieces than fit: the rest of the text cannot change the result, so tokenizing stops early.
    var isFull: Bool { self.ids.count - 1 > self.budget }

    func finish(separatorID: Int32) -> WordPieceTokenizer.Encoding {
        var ids = self.ids
        let truncated = ids.count - 1 > self.budget
        if truncated { ids.removeSubrange((self.budget + 1)...) }
        ids.append(separatorID)
        return WordPieceTokenizer.Encoding(ids: ids, truncated: truncated)
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

/// Character classes as the reference defines them, which is not always what the Unicode data built into Swift
/// says. The reference's Rust crates for general categories (punctuation, controls, non-spacing marks) and for
/// canonical decomposition carry Unicode 8.0 tables, while Swift carries a current Unicode. So a character
/// assigned after 8.0 is, to the reference, unassigned: kept as is, never punctuation, never stripped, never
/// decomposed; and the few characters whose category changed since 8.0 are listed with their 8.0 category.
/// Checked code point by code point against the reference for all 1,112,064 code points.
enum BertCharacters {
    /// Whether the reference's Unicode 8.0 tables know `scalar`; anything newer (or unassigned) is, to them,
    /// category Cn, which no rule below matches.
    static func isKnownToReference(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return false }
        return age.major < 8 || (age.major == 8 && age.minor == 0)
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
