import Foundation

/// Where themes and epics are kept: storage only. The rules (planning, the curation guard, ranking, merge scoring,
/// the anonymity rule on what is shown) live in `EpicService`; each method here is one read or one transaction.
public protocol EpicStorage: Sendable {
    /// Every theme of the months before `month`, for continuing themes across months.
    func earlierThemes(before month: Month) async throws -> [EpicPlanner.EarlierTheme]
    /// The ids of the month's epics the lead has changed, smallest first.
    func curatedEpics(month: Month) async throws -> [Int64]
    /// The month's live (not merged away) epics by their theme's identity.
    func liveEpicsByIdentity(month: Month) async throws -> [Int64: Int64]
    /// Replaces the month's themes and epics with `plan`, with an audit entry, in one transaction. Throws
    /// `EpicError.curated` and changes nothing when the month has a curated epic not in `replacing` (the lead
    /// changed one since the caller looked).
    func replaceMonth(_ plan: EpicMonthPlan, replacing curated: [Int64], actor: String, detail: String) async throws
    /// What showing the month's epics needs.
    func monthRecords(month: Month) async throws -> EpicMonthRecords
    /// The latest month that has epics, if any.
    func latestMonth() async throws -> Month?
    /// One epic as stored, merged or not.
    func epic(id: Int64) async throws -> StoredEpic?
    /// Sets the fields on a live epic, marks it curated when there is any, and appends the audit entry, in one
    /// transaction; a status other than the one stored also sets `statusChangedAt` to now. Throws `EpicError.notFound` or `.merged`. - Returns: the epic's month.
    func apply(_ fields: [EpicField], to id: Int64, actor: String, detail: String) async throws -> Month
    /// Folds one epic's theme into another's, in one transaction; throws `EpicError.notFound` or `.merged` when
    /// either is no longer live.
    func commitMerge(_ merge: EpicMerge, actor: String, detail: String) async throws
    /// The themes of the given months, by id.
    func themes(in months: [Month]) async throws -> [StoredTheme]
    /// Live epics of months before `month` that the lead moved on from `proposed`, newest month first then by
    /// rank, at most `limit`, each with its theme.
    func movedEpics(before month: Month, limit: Int) async throws -> [(epic: StoredEpic, theme: StoredTheme)]
    /// Live epics of every month that the lead moved on from `proposed`, the latest status change first (those
    /// without a recorded time last, newest month first), then by month, rank and id; at most `limit`, each with its
    /// theme.
    func recentlyMovedEpics(limit: Int) async throws -> [(epic: StoredEpic, theme: StoredTheme)]
}

/// One field an edit sets; nil clears an optional field.
public enum EpicField: Sendable, Equatable {
    case status(EpicStatus)
    case owner(String?)
    case title(String)
    case note(String?)
    case target(EpicTarget?)
}

/// A theme as stored.
public struct StoredTheme: Sendable, Equatable {
    public var id: Int64
    public var month: Month
    public var kind: ThemeKind
    /// Shared by the same theme across months: the id of the theme row where it was first seen.
    public var identity: Int64
    public var label: String
    public var keywords: [Themes.Keyword]
    public var respondents: Int
    public var mentions: Int
    public var score: Double
    public var breakdown: ScoreBreakdown

    public init(
        id: Int64, month: Month, kind: ThemeKind, identity: Int64, label: String, keywords: [Themes.Keyword], respondents: Int,
        mentions: Int, score: Double, breakdown: ScoreBreakdown
    ) {
        self.id = id
        self.month = month
        self.kind = kind
        self.identity = identity
        self.label = label
        self.keywords = keywords
        self.respondents = respondents
        self.mentions = mentions
        self.score = score
        self.breakdown = breakdown
    }
}

/// An epic as stored.
public struct StoredEpic: Sendable, Equatable {
    public var id: Int64
    public var month: Month
    public var rank: Int
    public var themeId: Int64
    public var title: String
    public var status: EpicStatus
    public var owner: String?
    public var note: String?
    public var previousId: Int64?
    public var mergedInto: Int64?
    /// What the lead linked the epic to; nil: the automatic link.
    public var target: EpicTarget?
    /// When the lead last changed the status; nil while it is `proposed`, and for an epic moved before the time was
    /// kept and without an audit entry saying when.
    public var statusChangedAt: Date?

    public init(
        id: Int64, month: Month, rank: Int, themeId: Int64, title: String, status: EpicStatus, owner: String?, note: String?,
        previousId: Int64?, mergedInto: Int64?, target: EpicTarget? = nil, statusChangedAt: Date? = nil
    ) {
        self.id = id
        self.month = month
        self.rank = rank
        self.themeId = themeId
        self.title = title
        self.status = status
        self.owner = owner
        self.note = note
        self.previousId = previousId
        self.mergedInto = mergedInto
        self.target = target
        self.statusChangedAt = statusChangedAt
    }
}

/// One answer held by a theme, in the theme's order (closest to its centre first).
public struct ThemeAnswerRecord: Sendable, Equatable {
    public var themeId: Int64
    public var responseId: Int64
    public var question: String
    public var team: String?
    public var text: String

    public init(themeId: Int64, responseId: Int64, question: String, team: String?, text: String) {
        self.themeId = themeId
        self.responseId = responseId
        self.question = question
        self.team = team
        self.text = text
    }
}

/// The latest epic on a theme that the lead marked done.
public struct DoneEpic: Sendable, Equatable {
    public var epicId: Int64
    public var month: Month
    /// The theme's respondents in that epic's month.
    public var respondents: Int

    public init(epicId: Int64, month: Month, respondents: Int) {
        self.epicId = epicId
        self.month = month
        self.respondents = respondents
    }
}

/// Everything showing a month's epics and strengths reads.
public struct EpicMonthRecords: Sendable, Equatable {
    public var themes: [StoredTheme]
    /// The month's live epics, by rank then id.
    public var epics: [StoredEpic]
    /// The themes' answers, grouped by theme, each theme's in order.
    public var answers: [ThemeAnswerRecord]
    /// Respondents per team in the month's round (nil: without a team).
    public var teamSizes: [String?: Int]
    /// Per theme id: the largest respondent count of its identity and kind in each month up to this one.
    public var respondentsByMonth: [Int64: [ThemeHistory.MonthCount]]
    /// Per theme id: the latest live epic on its identity marked done before this month.
    public var lastDone: [Int64: DoneEpic]

    public init(
        themes: [StoredTheme], epics: [StoredEpic], answers: [ThemeAnswerRecord], teamSizes: [String?: Int],
        respondentsByMonth: [Int64: [ThemeHistory.MonthCount]], lastDone: [Int64: DoneEpic]
    ) {
        self.themes = themes
        self.epics = epics
        self.answers = answers
        self.teamSizes = teamSizes
        self.respondentsByMonth = respondentsByMonth
        self.lastDone = lastDone
    }
}

/// A month's themes and the epics chosen from them, as `epics generate` stores them.
public struct EpicMonthPlan: Sendable, Equatable {
    public var month: Month
    public var themes: [EpicPlanner.PlannedTheme]
    public var epics: [PlannedEpic]

    /// An epic on one of the plan's themes.
    public struct PlannedEpic: Sendable, Equatable {
        /// Index into `themes`.
        public var theme: Int
        public var rank: Int
        public var title: String
        /// The previous month's epic on the same theme.
        public var previousId: Int64?

        public init(theme: Int, rank: Int, title: String, previousId: Int64?) {
            self.theme = theme
            self.rank = rank
            self.title = title
            self.previousId = previousId
        }
    }

    public init(month: Month, themes: [EpicPlanner.PlannedTheme], epics: [PlannedEpic]) {
        self.month = month
        self.themes = themes
        self.epics = epics
    }
}

/// One epic folded into another: `source`'s answers join `target`'s theme after its own, the theme is rescored,
/// the two themes share one identity from then on, and the month is ranked again.
public struct EpicMerge: Sendable, Equatable {
    public var target: Int64
    public var source: Int64
    public var targetTheme: Int64
    public var sourceTheme: Int64
    public var breakdown: ScoreBreakdown
    public var keywords: [Themes.Keyword]
    public var mentions: Int
    /// The month's live epics (the source left out) and their new ranks.
    public var ranks: [Int64: Int]

    public init(
        target: Int64, source: Int64, targetTheme: Int64, sourceTheme: Int64, breakdown: ScoreBreakdown, keywords: [Themes.Keyword],
        mentions: Int, ranks: [Int64: Int]
    ) {
        self.target = target
        self.source = source
        self.targetTheme = targetTheme
        self.sourceTheme = sourceTheme
        self.breakdown = breakdown
        self.keywords = keywords
        self.mentions = mentions
        self.ranks = ranks
    }
}
