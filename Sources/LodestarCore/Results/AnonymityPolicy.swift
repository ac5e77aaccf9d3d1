/// The rule that keeps small groups from being seen on their own.
///
/// No group with fewer than `k` responses shows scores, quotes or themes; its answers still count in totals.
public struct AnonymityPolicy: Sendable, Equatable {
    /// The smallest group shown on its own.
    public let k: Int

    /// The default threshold.
    public static let defaultK = 5
    /// The lowest threshold allowed: below it, answers are too easy to attribute.
    public static let minimumK = 3

    public init(k: Int = AnonymityPolicy.defaultK) throws(AnonymityError) {
        guard k >= Self.minimumK else { throw AnonymityError.thresholdTooLow(k) }
        self.k = k
    }

    /// Reads `LODESTAR_ANONYMITY_K` from an environment, defaulting to 5.
    public init(environment: [String: String]) throws(AnonymityError) {
        guard let text = environment["LODESTAR_ANONYMITY_K"]?.nilIfEmpty else {
            try self.init()
            return
        }
        guard let k = Int(text) else { throw AnonymityError.notANumber(text) }
        try self.init(k: k)
    }

    /// Whether a group of `count` responses may be shown on its own.
    public func allows(_ count: Int) -> Bool { count >= self.k }
}

public enum AnonymityError: Error, Equatable, CustomStringConvertible {
    case thresholdTooLow(Int)
    case notANumber(String)

    public var description: String {
        switch self {
        case .thresholdTooLow(let k):
            "LODESTAR_ANONYMITY_K=\(k) is refused: the anonymity threshold is never below \(AnonymityPolicy.minimumK)"
        case .notANumber(let text): "LODESTAR_ANONYMITY_K='\(text)' is not a whole number"
        }
    }
}
