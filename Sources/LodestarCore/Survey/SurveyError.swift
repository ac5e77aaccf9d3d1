/// Why a survey action was refused. The server maps each case to an HTTP status; the CLI prints `description`.
public enum SurveyError: Error, Equatable, CustomStringConvertible {
    /// One or more fields are wrong; nothing was stored.
    case invalid([FieldIssue])
    /// No round was ever opened for the month.
    case roundNotOpened(Month)
    /// The month's round is closed.
    case roundClosed(Month)
    /// No round is open at all.
    case noOpenRound
    /// A round for the month exists already.
    case roundExists(Month)
    /// The round is invite-only and no token came with the answer.
    case tokenRequired
    /// The token is unknown or belongs to another month.
    case tokenInvalid
    /// The token has been used.
    case tokenUsed
    /// This browser has answered the month's round already.
    case alreadyAnswered(Month)
    /// A survey id that `surveys/` does not hold.
    case unknownSurvey(String, searched: String)

    public var description: String {
        switch self {
        case .invalid(let issues): issues.map(\.description).joined(separator: "; ")
        case .roundNotOpened(let month): "no survey round was opened for \(month)"
        case .roundClosed(let month): "the survey round for \(month) is closed"
        case .noOpenRound: "no survey round is open"
        case .roundExists(let month): "a survey round for \(month) exists already"
        case .tokenRequired: "this round is by invitation: a token is required"
        case .tokenInvalid: "the invitation token is not valid for this round"
        case .tokenUsed: "the invitation token has been used already"
        case .alreadyAnswered(let month): "this browser has answered the \(month) survey already"
        case .unknownSurvey(let id, let searched): "no survey '\(id)' (looked for \(searched))"
        }
    }
}

/// A problem with one named field of a submission.
public struct FieldIssue: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The field, as the JSON API names it: `answers.best`, `ratings.satisfaction`, `team`, `month`.
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(self.field): \(self.message)" }
}
