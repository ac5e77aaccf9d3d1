import Foundation

/// Where themes and epics are kept. The SQLite store implements it; the planner and the anonymity rule live in Core.
public protocol EpicRepository: Sendable {
    /// Finds the month's themes and stores the `top` highest-scoring needs as `proposed` epics, replacing what an
    /// earlier run stored for the month. Refuses (`EpicError.curated`) when the lead has changed one of those
    /// epics, unless `force`. A month without answers stores nothing. With an `embedder`, answers are grouped by
    /// meaning as well as by words.
    func generate(
        month: Month, top: Int, delivery: DeliverySignals, force: Bool, actor: String, embedder: (any TextEmbedder)?
    ) async throws -> GeneratedEpics
    /// The month's epics by rank and its strengths, under the anonymity rule.
    func list(month: Month, policy: AnonymityPolicy) async throws -> MonthEpics
    /// The latest month that has epics, if any.
    func latestMonth() async throws -> Month?
    func update(id: Int64, change: EpicChange, actor: String, policy: AnonymityPolicy) async throws -> Epic
    /// Folds `from` into `into`: their answers become one theme, rescored; `from` leaves the list.
    func merge(into: Int64, from: Int64, actor: String, policy: AnonymityPolicy) async throws -> Epic
}

extension EpicRepository {
    /// Themes by words alone.
    public func generate(month: Month, top: Int, delivery: DeliverySignals, force: Bool, actor: String) async throws -> GeneratedEpics {
        try await self.generate(month: month, top: top, delivery: delivery, force: force, actor: actor, embedder: nil)
    }
}

/// What `epics generate` did.
public struct GeneratedEpics: Sendable, Equatable {
    /// Responses in the month's round.
    public var responses: Int
    /// Themes found among needs and strengths.
    public var themes: Int
    public var epics: Int

    public init(responses: Int, themes: Int, epics: Int) {
        self.responses = responses
        self.themes = themes
        self.epics = epics
    }
}

/// A month's epics and strengths, as `epics list` and `GET /api/v1/epics` show them.
public struct MonthEpics: Codable, Sendable, Equatable {
    public var month: Month
    public var responses: Int
    public var anonymityK: Int
    public var epics: [Epic]
    public var strengths: [Strength]

    public init(month: Month, responses: Int, anonymityK: Int, epics: [Epic], strengths: [Strength]) {
        self.month = month
        self.responses = responses
        self.anonymityK = anonymityK
        self.epics = epics
        self.strengths = strengths
    }

    /// The month as it may be shown beyond the lead's own command line: a month with fewer than k responses shows
    /// no epic or strength, since their titles and labels are its answers' words.
    public func shown(under policy: AnonymityPolicy) -> MonthEpics {
        guard !policy.allows(self.responses) else { return self }
        return MonthEpics(month: self.month, responses: self.responses, anonymityK: self.anonymityK, epics: [], strengths: [])
    }

    /// The month without the lead's notes: a note is the lead's working text (who asked, what was promised), not a
    /// result, so only the lead sees it.
    public func withoutNotes() -> MonthEpics {
        var month = self
        for index in month.epics.indices { month.epics[index].note = nil }
        return month
    }
}

/// Something people want kept, from the `best` answers.
public struct Strength: Codable, Sendable, Equatable {
    public var label: String
    public var respondents: Int
    public var quotes: [String]
    public var history: ThemeHistory

    public init(label: String, respondents: Int, quotes: [String], history: ThemeHistory) {
        self.label = label
        self.respondents = respondents
        self.quotes = quotes
        self.history = history
    }
}
