import Foundation

/// A survey opened for one month.
public struct SurveyRound: Sendable, Equatable, Codable {
    /// How respondents are admitted.
    public enum Mode: String, Codable, CaseIterable, Sendable {
        /// Anyone with the link; a cookie and a rate limit stop casual double answers.
        case open
        /// Only holders of a one-time token.
        case invite
    }

    public enum Status: String, Codable, Sendable {
        case open
        case closed
    }

    public var id: Int64
    public var month: Month
    public var mode: Mode
    public var status: Status
    /// The definition as it was when the round opened.
    public var definition: SurveyDefinition
    public var openedAt: Date
    public var closedAt: Date?

    public init(id: Int64, month: Month, mode: Mode, status: Status, definition: SurveyDefinition, openedAt: Date, closedAt: Date?) {
        self.id = id
        self.month = month
        self.mode = mode
        self.status = status
        self.definition = definition
        self.openedAt = openedAt
        self.closedAt = closedAt
    }
}

/// A round with its counts, as `survey list` shows it.
public struct RoundSummary: Sendable, Equatable, Codable {
    public var month: Month
    public var survey: String
    public var mode: SurveyRound.Mode
    public var status: SurveyRound.Status
    public var responses: Int
    public var invited: Int

    public init(month: Month, survey: String, mode: SurveyRound.Mode, status: SurveyRound.Status, responses: Int, invited: Int) {
        self.month = month
        self.survey = survey
        self.mode = mode
        self.status = status
        self.responses = responses
        self.invited = invited
    }
}

/// An invitation as looked up by its token.
public struct Invite: Sendable, Equatable {
    public var month: Month
    public var team: String?
    public var used: Bool

    public init(month: Month, team: String?, used: Bool) {
        self.month = month
        self.team = team
        self.used = used
    }
}

/// A stored answer as results read it: no identity, only what was answered.
public struct StoredResponse: Sendable, Equatable {
    public var id: Int64
    public var team: String?
    public var submittedOn: String
    public var texts: [String: String]
    public var numbers: [String: Int]

    public init(id: Int64, team: String?, submittedOn: String, texts: [String: String], numbers: [String: Int]) {
        self.id = id
        self.team = team
        self.submittedOn = submittedOn
        self.texts = texts
        self.numbers = numbers
    }
}
