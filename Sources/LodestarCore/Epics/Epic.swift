import Foundation

/// Where an epic stands. Every epic starts `proposed`; the lead moves it on.
public enum EpicStatus: String, Codable, CaseIterable, Sendable {
    case proposed
    case planned
    case inProgress = "in-progress"
    case done
    case dropped

    /// The statuses a lead may set, as the CLI and the API spell them.
    public static let settable = "proposed, planned, in-progress, done or dropped"
}

/// Whether a theme came from what people want fixed (`worst`, `change`) or from what they want kept (`best`).
public enum ThemeKind: String, Codable, Sendable {
    case need
    case strength
}

/// A ranked epic as `epics list` and `GET /api/v1/epics` show it, after the anonymity rule has been applied.
public struct Epic: Codable, Sendable, Equatable {
    public var id: Int64
    public var month: Month
    public var rank: Int
    public var title: String
    /// The words the grouping found most distinctive, for reading next to a title the lead may have rewritten.
    public var label: String
    public var keywords: [String]
    public var score: Double
    public var breakdown: ScoreBreakdown
    public var respondents: Int
    /// Answers (a respondent's `worst` and `change` count apart) behind the epic.
    public var mentions: Int
    /// Teams of k or more respondents this month that raised it; smaller teams are folded into "other teams".
    public var teams: [TeamCount]
    /// Up to three answers closest to the theme's centre, none from a group under the anonymity threshold.
    public var quotes: [String]
    /// Why quotes are missing or fewer than three, when they are.
    public var quotesWithheld: String?
    public var status: EpicStatus
    public var owner: String?
    public var note: String?
    /// The previous month's epic of the same theme, if there was one.
    public var previousId: Int64?
    public var history: ThemeHistory
    /// What the lead linked the epic to (a metric or a survey rating); nil: the automatic link in `breakdown`.
    public var target: EpicTarget?

    public init(
        id: Int64, month: Month, rank: Int, title: String, label: String, keywords: [String], score: Double, breakdown: ScoreBreakdown,
        respondents: Int, mentions: Int, teams: [TeamCount], quotes: [String], quotesWithheld: String?, status: EpicStatus,
        owner: String?, note: String?, previousId: Int64?, history: ThemeHistory, target: EpicTarget? = nil
    ) {
        self.id = id
        self.month = month
        self.rank = rank
        self.title = title
        self.label = label
        self.keywords = keywords
        self.score = score
        self.breakdown = breakdown
        self.respondents = respondents
        self.mentions = mentions
        self.teams = teams
        self.quotes = quotes
        self.quotesWithheld = quotesWithheld
        self.status = status
        self.owner = owner
        self.note = note
        self.previousId = previousId
        self.history = history
        self.target = target
    }

    /// What the epic should move: the lead's target, else the metric its answers point at, else nothing.
    public var movesTarget: EpicTarget? {
        self.target ?? self.breakdown.deliveryMetric.map(EpicTarget.metric)
    }
}

public struct TeamCount: Codable, Sendable, Equatable {
    public var team: String
    public var respondents: Int

    public init(team: String, respondents: Int) {
        self.team = team
        self.respondents = respondents
    }
}

/// What a theme did across months: how long it has been raised, and what happened after an epic on it was done.
public struct ThemeHistory: Codable, Sendable, Equatable {
    /// Months in a row, ending with this one, in which the theme was raised.
    public var monthsRunning: Int
    /// Respondents raising the theme in each month it was raised, oldest first.
    public var respondentsByMonth: [MonthCount]
    /// Set when an earlier epic on this theme was marked done.
    public var sinceDone: SinceDone?

    public struct MonthCount: Codable, Sendable, Equatable {
        public var month: Month
        public var respondents: Int

        public init(month: Month, respondents: Int) {
            self.month = month
            self.respondents = respondents
        }
    }

    /// The change in respondents from the month of the done epic to this month.
    public struct SinceDone: Codable, Sendable, Equatable {
        public var epicId: Int64
        public var month: Month
        public var respondentsThen: Int
        public var respondentsNow: Int
        /// Relative change, -0.6 for "down 60%".
        public var change: Double

        public init(epicId: Int64, month: Month, respondentsThen: Int, respondentsNow: Int) {
            self.epicId = epicId
            self.month = month
            self.respondentsThen = respondentsThen
            self.respondentsNow = respondentsNow
            self.change = respondentsThen == 0 ? 0 : (Double(respondentsNow - respondentsThen) / Double(respondentsThen) * 100).rounded() / 100
        }
    }

    public init(monthsRunning: Int, respondentsByMonth: [MonthCount], sinceDone: SinceDone?) {
        self.monthsRunning = monthsRunning
        self.respondentsByMonth = respondentsByMonth
        self.sinceDone = sinceDone
    }

    /// The history in a sentence or two, or nil when there is nothing to tell.
    public var words: String? {
        var parts: [String] = []
        if self.monthsRunning >= 2 { parts.append("raised \(self.monthsRunning) months running") }
        if let done = self.sinceDone {
            let percent = Int((abs(done.change) * 100).rounded())
            let direction = done.change < 0 ? "down \(percent)%" : done.change > 0 ? "up \(percent)%" : "unchanged"
            parts.append(
                "respondents \(direction) since epic #\(done.epicId) was done in \(done.month) (\(done.respondentsThen) → \(done.respondentsNow))"
            )
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}

/// A change a lead makes to an epic; nil fields stay as they are.
public struct EpicChange: Sendable, Equatable {
    public var status: EpicStatus?
    public var owner: String?
    public var title: String?
    public var note: String?
    /// The lead's target; `""` clears it (back to the automatic link).
    public var target: String?

    public init(status: EpicStatus? = nil, owner: String? = nil, title: String? = nil, note: String? = nil, target: String? = nil) {
        self.status = status
        self.owner = owner
        self.title = title
        self.note = note
        self.target = target
    }

    public var isEmpty: Bool { self.status == nil && self.owner == nil && self.title == nil && self.note == nil && self.target == nil }

    /// The target as set (`.some(nil)` clears it), or nil when the change leaves it alone.
    public func parsedTarget() throws(FieldError) -> EpicTarget?? {
        guard let text = self.target?.trimmed else { return nil }
        if text.isEmpty { return .some(nil) }
        return .some(try EpicTarget(parsing: text))
    }

    /// Longest title, owner and note accepted.
    public static let titleLimit = 200
    public static let ownerLimit = 100
    public static let noteLimit = 2_000

    /// Refuses empty titles and values over their limits, naming the field.
    public func validate() throws(FieldError) {
        if let title = self.title {
            guard !title.trimmed.isEmpty else { throw FieldError(field: "title", message: "must not be empty") }
            guard title.count <= Self.titleLimit else { throw FieldError(field: "title", message: "is longer than \(Self.titleLimit) characters") }
        }
        if let owner = self.owner, owner.count > Self.ownerLimit {
            throw FieldError(field: "owner", message: "is longer than \(Self.ownerLimit) characters")
        }
        if let note = self.note, note.count > Self.noteLimit {
            throw FieldError(field: "note", message: "is longer than \(Self.noteLimit) characters")
        }
        _ = try self.parsedTarget()
    }

    /// What the change does, for the audit log.
    public var summary: String {
        var parts: [String] = []
        if let status { parts.append("status=\(status.rawValue)") }
        if let owner { parts.append("owner=\(owner)") }
        if let title { parts.append("title=\(title)") }
        if note != nil { parts.append("note changed") }
        if let target { parts.append("target=\(target.trimmed.isEmpty ? "automatic" : target.trimmed)") }
        return parts.joined(separator: ", ")
    }
}

/// Why an epic action was refused.
public enum EpicError: Error, Equatable, CustomStringConvertible {
    case notFound(Int64)
    /// A rating target that is not a scored question of the epic's round.
    case unknownRating(String, Month, [String])
    case merged(Int64, into: Int64)
    case differentMonths(Int64, Month, Int64, Month)
    case sameEpic(Int64)
    case curated(Month, [Int64])
    case invalid(FieldError)

    public var description: String {
        switch self {
        case .notFound(let id): "there is no epic #\(id)"
        case .unknownRating(let question, let month, let known):
            "target: '\(question)' is not a rating of the \(month) survey (use \(known.map { "rating:\($0)" }.joined(separator: ", ")))"
        case .merged(let id, let into): "epic #\(id) was merged into #\(into); change #\(into) instead"
        case .differentMonths(let a, let monthA, let b, let monthB):
            "epics #\(a) (\(monthA)) and #\(b) (\(monthB)) are from different months; only epics of one month can be merged"
        case .sameEpic(let id): "cannot merge epic #\(id) into itself"
        case .curated(let month, let ids):
            "\(month) has epics the lead has already changed (\(ids.map { "#\($0)" }.joined(separator: ", "))); pass --force to generate anew and discard those changes"
        case .invalid(let error): error.description
        }
    }
}

extension EpicChange {
    /// The fields a PATCH body may carry.
    public static let fields = ["status", "owner", "title", "note", "target"]

    /// Reads a change from a JSON object such as `{"status": "planned", "owner": "ana"}`; `null` clears the owner
    /// or the note. Unknown fields and wrong types are refused, naming the field.
    public init(json: JSONValue) throws(FieldError) {
        guard case .object(let object) = json else { throw FieldError(field: "", message: "the body must be a JSON object") }
        if let unknown = object.keys.sorted().first(where: { !Self.fields.contains($0) }) {
            throw FieldError(field: unknown, message: "is not a field of an epic (use \(Self.fields.joined(separator: ", ")))")
        }
        func text(_ name: String, clearable: Bool) throws(FieldError) -> String? {
            switch object[name] {
            case nil: return nil
            case .string(let value)?: return value
            case .null? where clearable: return ""
            default: throw FieldError(field: name, message: clearable ? "must be a string or null" : "must be a string")
            }
        }
        self.init(
            owner: try text("owner", clearable: true), title: try text("title", clearable: false), note: try text("note", clearable: true),
            target: try text("target", clearable: true)
        )
        if let status = try text("status", clearable: false) {
            guard let parsed = EpicStatus(rawValue: status) else {
                throw FieldError(field: "status", message: "'\(status)' is not a status (use \(EpicStatus.settable))")
            }
            self.status = parsed
        }
        guard !self.isEmpty else { throw FieldError(field: "", message: "the body changes nothing: give one of \(Self.fields.joined(separator: ", "))") }
        try self.validate()
    }
}
