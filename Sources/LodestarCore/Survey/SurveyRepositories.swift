import Foundation

/// Storage of survey rounds.
public protocol RoundRepository: Sendable {
    /// Opens a round; throws `SurveyError.roundExists` when the month has one.
    func open(month: Month, mode: SurveyRound.Mode, definition: SurveyDefinition, actor: String) async throws -> SurveyRound
    /// Closes the month's round.
    func close(month: Month, actor: String) async throws -> SurveyRound
    /// The month's round, open or closed.
    func round(for month: Month) async throws -> SurveyRound?
    /// The most recent open round.
    func latestOpenRound() async throws -> SurveyRound?
    /// Every round with its counts, newest first.
    func summaries() async throws -> [RoundSummary]
}

/// Storage of invitations. Tokens are kept only as hashes.
public protocol InviteRepository: Sendable {
    /// Creates `count` one-time tokens for the round and returns them in clear, the only time they exist so.
    func createInvites(for round: SurveyRound, count: Int, team: String?, actor: String) async throws -> [String]
    /// The invitation behind a token, if any.
    func invite(token: String) async throws -> Invite?
}

/// Storage of responses.
public protocol ResponseRepository: Sendable {
    /// Stores a response and, in the same transaction, marks its token used.
    /// Throws `SurveyError.tokenInvalid` or `.tokenUsed` and stores nothing when the token does not admit it.
    func submit(_ response: ValidatedResponse, to round: SurveyRound, token: String?, on day: String) async throws -> Int64
    /// Every response to the month's round, oldest first.
    func responses(for month: Month) async throws -> [StoredResponse]
    /// How many invitations the month's round has.
    func invitedCount(for month: Month) async throws -> Int
    /// The day of the latest response stored, in any round (`YYYY-MM-DD`).
    func latestResponseDay() async throws -> String?
}
