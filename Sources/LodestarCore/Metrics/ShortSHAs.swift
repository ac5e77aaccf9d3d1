import Foundation

/// Commits that a sender names by a short hash, matched to the full hash other deliveries give. Bitbucket gives a
/// merged pull request's merge, source and destination commits as 12-character hashes, while its pushes, and every
/// deployment tool, give 40. A short hash (7 to 39 lower-case hex digits) stands for the one full hash (40 or 64) of
/// the same service that begins with it; when several begin with it, it is ambiguous and nothing is guessed: it
/// stays a commit of its own and is listed in `DeliveryColumns.ambiguousShortSHAs`. When none does yet, it also
/// stays as it is, until the full hash arrives.
///
/// This runs when the history is loaded, over what is stored, not when a delivery is stored: so the order the
/// deliveries came in (push before merge, merge before push, a deployment in between) cannot change the answer, and
/// a full hash that arrives later and makes a short one ambiguous undoes nothing stored. Both backends load through
/// `DeliveryColumnsAssembly`, so they give the same answer.
public enum ShortSHAs {
    /// Which full hash a short one (of a service) stands for, found in two passes over every hash of the history:
    /// first `addShort` each short one, then `offer` each full one.
    struct Resolver<Service: Hashable> {
        struct Key: Hashable {
            var service: Service
            var sha: String
        }

        private var shorts: Set<Key> = []
        /// The lengths the short hashes have (usually only 12).
        private var lengths: [Int] = []
        /// The short hashes' first seven characters as `DeliveryFacts.prefixKey`s: a full hash is looked at closer
        /// only when its own key is one of these, so a million full hashes cost a million integer lookups.
        private var quick: Set<UInt64> = []
        /// Per short hash, the distinct full hashes that begin with it.
        private var matches: [Key: Set<String>] = [:]

        var isEmpty: Bool { self.shorts.isEmpty }

        /// Notes `sha` when it is a short hash, and says whether it is.
        @discardableResult
        mutating func addShort(_ sha: UnsafeRawBufferPointer, service: Service) -> Bool {
            guard ShortSHAs.isShort(sha) else { return false }
            guard self.shorts.insert(Key(service: service, sha: String(decoding: sha, as: UTF8.self))).inserted else { return true }
            if !self.lengths.contains(sha.count) { self.lengths.append(sha.count) }
            self.quick.insert(DeliveryFacts.prefixKey(sha))
            return true
        }

        mutating func offer(_ sha: UnsafeRawBufferPointer, service: Service) {
            guard sha.count >= 40, self.quick.contains(DeliveryFacts.prefixKey(sha)), ShortSHAs.isFull(sha) else { return }
            for length in self.lengths {
                let key = Key(service: service, sha: String(decoding: UnsafeRawBufferPointer(rebasing: sha[0..<length]), as: UTF8.self))
                if self.shorts.contains(key) { self.matches[key, default: []].insert(String(decoding: sha, as: UTF8.self)) }
            }
        }

        /// The short hashes that begin exactly one full hash, and the ones that begin several (with how many).
        func resolution() -> (found: [Key: String], ambiguous: [(Key, Int)]) {
            var found: [Key: String] = [:]
            var ambiguous: [(Key, Int)] = []
            for (key, fulls) in self.matches {
                if fulls.count == 1 { found[key] = fulls.first! } else { ambiguous.append((key, fulls.count)) }
            }
            return (found, ambiguous)
        }
    }

    /// 7 to 39 lower-case hex digits, not all zeros (senders' "no commit").
    static func isShort(_ sha: UnsafeRawBufferPointer) -> Bool {
        sha.count >= 7 && sha.count < 40 && Self.isHex(sha)
    }

    /// A whole SHA-1 (40) or SHA-256 (64) hash in lower-case hex.
    static func isFull(_ sha: UnsafeRawBufferPointer) -> Bool {
        (sha.count == 40 || sha.count == 64) && Self.isHex(sha)
    }

    private static func isHex(_ sha: UnsafeRawBufferPointer) -> Bool {
        var zeros = true
        for byte in sha {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) else { return false }
            if byte != UInt8(ascii: "0") { zeros = false }
        }
        return !zeros
    }

    /// Calls `body` with each text of a column and its index, as raw bytes.
    static func forEach(_ column: TextColumn, _ body: (Int, UnsafeRawBufferPointer) -> Void) {
        column.bytes.withUnsafeBytes { all in
            for index in 0..<column.count {
                body(index, UnsafeRawBufferPointer(rebasing: all[column.start(index)..<column.ends[index]]))
            }
        }
    }

    /// Calls `body` with each sha of a deployment's space-separated list, as `DeliveryColumnsAssembly` stores it.
    static func forEachListed(_ column: TextColumn, _ body: (Int, UnsafeRawBufferPointer) -> Void) {
        column.bytes.withUnsafeBytes { all in
            for index in 0..<column.count {
                let text = UnsafeRawBufferPointer(rebasing: all[column.start(index)..<column.ends[index]])
                // Most deployments list one full hash: nothing to split.
                if text.count == 40 || text.count == 64 {
                    body(index, text)
                    continue
                }
                for sha in text.split(separator: UInt8(ascii: " ")) { body(index, UnsafeRawBufferPointer(rebasing: sha)) }
            }
        }
    }

    /// Combines two reports of one commit (a short hash's and its full hash's) as the stores' upsert combines two
    /// reports of one sha: the earliest times, the smaller parent kept and the other stated as history instead.
    static func parents(_ first: String?, _ second: String?) -> (kept: String?, other: String?) {
        switch (first, second) {
        case (nil, let parent), (let parent, nil): return (parent, nil)
        case (let first?, let second?):
            if first == second { return (first, nil) }
            let firstIsSmaller = Array(first.utf8).lexicographicallyPrecedes(second.utf8)
            return firstIsSmaller ? (first, second) : (second, first)
        }
    }
}

/// A short hash that begins several full hashes of its service: left unmatched rather than guessed.
public struct AmbiguousShortSHA: Sendable, Equatable, Codable {
    public var service: String
    public var sha: String
    /// How many full hashes of the service begin with it.
    public var matches: Int

    public init(service: String, sha: String, matches: Int) {
        self.service = service
        self.sha = sha
        self.matches = matches
    }

    static func sorted(_ list: [AmbiguousShortSHA]) -> [AmbiguousShortSHA] {
        list.sorted { left, right in
            left.service != right.service ? Array(left.service.utf8).lexicographicallyPrecedes(right.service.utf8)
                : Array(left.sha.utf8).lexicographicallyPrecedes(right.sha.utf8)
        }
    }
}
