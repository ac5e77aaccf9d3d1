import Foundation

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
