import Foundation

/// What an epic should move, as the lead says it: one of the four DORA metrics, or one of the survey's scored
/// questions (a rating such as `satisfaction`). Without one, an epic points at the metric its answers' words tie it
/// to (`ScoreBreakdown.deliveryMetric`), if any; the lead's choice overrides that automatic link.
///
/// Written as text: the metric's name (`leadTime`, `deploymentFrequency`, `changeFailureRate`, `timeToRestore`) or
/// `rating:` and the question id (`rating:satisfaction`).
public enum EpicTarget: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    case metric(DeliveryMetric)
    case rating(String)

    static let ratingPrefix = "rating:"

    /// Parses the text form; a bad one is refused naming the `target` field.
    public init(parsing text: String) throws(FieldError) {
        if let metric = DeliveryMetric(rawValue: text) {
            self = .metric(metric)
            return
        }
        if text.hasPrefix(Self.ratingPrefix) {
            let question = String(text.dropFirst(Self.ratingPrefix.count))
            guard !question.isEmpty, question.count <= 64, question.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw FieldError(field: "target", message: "'\(text)' names no question: use rating:<question id>")
            }
            self = .rating(question)
            return
        }
        let metrics = DeliveryMetric.allCases.map(\.rawValue).joined(separator: ", ")
        throw FieldError(field: "target", message: "'\(text)' is not a target: use one of \(metrics), or rating:<question id>")
    }

    public var description: String {
        switch self {
        case .metric(let metric): metric.rawValue
        case .rating(let question): Self.ratingPrefix + question
        }
    }

    /// The delivery metric, when the target is one.
    public var metric: DeliveryMetric? {
        if case .metric(let metric) = self { return metric }
        return nil
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }
}
