import Foundation

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
