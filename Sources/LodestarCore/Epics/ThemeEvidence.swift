import Foundation

/// The teams and quotes a theme may show under the anonymity rule.
///
/// A quote is shown only when the month has at least k respondents and the quoted respondent's team (or the
/// group of answers without a team) has at least k respondents that month. Teams under k are counted together as
/// "other teams", and only when those teams together had at least k respondents that month: one small team
/// alone under that name would be seen on its own. Counts still include everyone.
public struct ThemeEvidence: Sendable, Equatable {
    public var teams: [TeamCount]
    public var quotes: [String]
    /// Why quotes are missing, when some were held back.
    public var withheld: String?

    /// One answer behind a theme, closest to the theme's centre first.
    public struct Answer: Sendable, Equatable {
        public var responseId: Int64
        public var team: String?
        public var text: String

        public init(responseId: Int64, team: String?, text: String) {
            self.responseId = responseId
            self.team = team
            self.text = text
        }
    }

    public static let quoteCount = 3
    /// Longer answers are cut here when quoted.
    public static let quoteLength = 280

    /// - Parameters:
    ///   - answers: the theme's answers, closest to its centre first.
    ///   - teamSizes: respondents per team this month (nil: no team).
    public init(answers: [Answer], teamSizes: [String?: Int], policy: AnonymityPolicy) {
        let monthTotal = teamSizes.values.reduce(0, +)
        var respondentsByTeam: [String: Set<Int64>] = [:]
        for answer in answers {
            let shown = policy.allows(teamSizes[answer.team] ?? 0) ? (answer.team ?? SurveyResults.noTeam) : SurveyResults.otherTeams
            respondentsByTeam[shown, default: []].insert(answer.responseId)
        }
        let smallTeams = teamSizes.values.filter { !policy.allows($0) }.reduce(0, +)
        if !policy.allows(smallTeams) { respondentsByTeam[SurveyResults.otherTeams] = nil }
        self.teams = respondentsByTeam.map { TeamCount(team: $0.key, respondents: $0.value.count) }
            .sorted { ($0.team == SurveyResults.otherTeams ? 1 : 0, -$0.respondents, $0.team) < ($1.team == SurveyResults.otherTeams ? 1 : 0, -$1.respondents, $1.team) }

        self.quotes = []
        self.withheld = nil
        guard policy.allows(monthTotal) else {
            self.withheld = "the month has fewer than \(policy.k) respondents, so no answer is quoted"
            return
        }
        var skipped = 0
        var quoted = Set<String>()
        for answer in answers where self.quotes.count < Self.quoteCount {
            guard policy.allows(teamSizes[answer.team] ?? 0) else {
                skipped += 1
                continue
            }
            let text = Self.shortened(answer.text)
            if quoted.insert(text).inserted { self.quotes.append(text) }
        }
        if skipped > 0, self.quotes.count < Self.quoteCount {
            self.withheld = "answers from teams under \(policy.k) respondents this month are not quoted"
        }
    }

    static func shortened(_ text: String) -> String {
        let flat = QuoteScrubber.scrub(text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmed)
        guard flat.count > Self.quoteLength else { return flat }
        return String(flat.prefix(Self.quoteLength - 1)).trimmed + "…"
    }
}
