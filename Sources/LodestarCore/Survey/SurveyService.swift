import Foundation

/// Takes an answer from any channel (form, JSON API, CLI) through the same checks to storage.
public struct SurveyService: Sendable {
    public let rounds: any RoundRepository
    public let invites: any InviteRepository
    public let responses: any ResponseRepository
    /// The clock, replaceable in tests.
    public let now: @Sendable () -> Date

    public init(
        rounds: any RoundRepository,
        invites: any InviteRepository,
        responses: any ResponseRepository,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.rounds = rounds
        self.invites = invites
        self.responses = responses
        self.now = now
    }

    /// The open round an answer may go to, and the invitation that admits it.
    public struct Admission: Sendable, Equatable {
        public var round: SurveyRound
        public var invite: Invite?
    }

    /// Finds the round for an answer: the token's month, else the named month, else the latest open round.
    /// Throws when the round is closed or invite-only without a valid, unused token.
    public func admission(month: Month?, token: String?) async throws -> Admission {
        var month = month
        var invite: Invite?
        if let token = token?.nilIfEmpty {
            guard let found = try await self.invites.invite(token: token) else { throw SurveyError.tokenInvalid }
            if let named = month, named != found.month { throw SurveyError.tokenInvalid }
            guard !found.used else { throw SurveyError.tokenUsed }
            month = found.month
            invite = found
        }
        let round: SurveyRound
        if let month {
            guard let found = try await self.rounds.round(for: month) else { throw SurveyError.roundNotOpened(month) }
            round = found
        } else {
            guard let found = try await self.rounds.latestOpenRound() else { throw SurveyError.noOpenRound }
            round = found
        }
        guard round.status == .open else { throw SurveyError.roundClosed(round.month) }
        if round.mode == .invite, invite == nil { throw SurveyError.tokenRequired }
        return Admission(round: round, invite: invite)
    }

    /// Checks and stores a submission; returns the stored response's id.
    /// Pass `admission` when the caller has already looked it up for this submission's month and token.
    public func submit(_ submission: Submission, admission: Admission? = nil) async throws -> Int64 {
        var admitted = admission
        if admitted == nil { admitted = try await self.admission(month: submission.month, token: submission.token) }
        guard let admission = admitted else { throw SurveyError.noOpenRound }
        var validated = try admission.round.definition.validate(submission)
        if let team = admission.invite?.team {
            // The lead chose the team when inviting; the respondent cannot move the answer to another group.
            validated.team = team
        }
        let token = admission.invite == nil ? nil : submission.token
        return try await self.responses.submit(validated, to: admission.round, token: token, on: Day.string(from: self.now()))
    }
}
