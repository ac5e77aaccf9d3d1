import Foundation

/// What `survey results` shows for one round: participation, rating summaries and answers, by group.
public struct SurveyResults: Codable, Sendable, Equatable {
    public var month: Month
    public var survey: String
    public var title: String
    public var status: SurveyRound.Status
    public var mode: SurveyRound.Mode
    public var responses: Int
    /// Invitations issued for the round; nil when there were none (an open round).
    public var invited: Int?
    /// Responses as a percentage of invitations, when there were invitations.
    public var participation: Double?
    public var anonymityK: Int
    /// One group without `--by`; with `--by team`, the teams of k or more, then "other teams".
    public var groups: [GroupResult]
}

/// The results of one group of respondents.
public struct GroupResult: Codable, Sendable, Equatable {
    public var name: String
    public var responses: Int
    /// True when the group is under the anonymity threshold: only its count is shown.
    public var withheld: Bool
    public var ratings: [RatingSummary]
    public var answers: [AnswerList]
}

/// Summary of one rating, percent or choice question within a group.
public struct RatingSummary: Codable, Sendable, Equatable {
    public struct Bucket: Codable, Sendable, Equatable {
        public var label: String
        public var count: Int
    }

    public var question: String
    public var prompt: String
    public var answered: Int
    /// Mean of the answers, rounded to two decimals; nil for choice questions and when no one answered.
    public var mean: Double?
    public var distribution: [Bucket]
}

/// The text answers to one question within a group.
public struct AnswerList: Codable, Sendable, Equatable {
    public var question: String
    public var prompt: String
    public var texts: [String]
}

/// How to group results.
public enum ResultsGrouping: String, CaseIterable, Sendable {
    case none
    case team
}

extension SurveyResults {
    /// The group name that collects teams below the anonymity threshold.
    public static let otherTeams = "other teams"
    /// The group name of answers given without a team.
    public static let noTeam = "no team"
    /// The group name of the whole round.
    public static let allTeams = "all teams"

    /// Builds the results of a round under an anonymity policy.
    public init(round: SurveyRound, responses: [StoredResponse], invited: Int, grouping: ResultsGrouping, policy: AnonymityPolicy) {
        self.month = round.month
        self.survey = round.definition.id
        self.title = round.definition.title
        self.status = round.status
        self.mode = round.mode
        self.responses = responses.count
        self.invited = invited > 0 ? invited : nil
        self.participation = invited > 0 ? (Double(responses.count) / Double(invited) * 1000).rounded() / 10 : nil
        self.anonymityK = policy.k
        let definition = round.definition
        switch grouping {
        case .none:
            self.groups = [GroupResult(name: Self.allTeams, responses: responses, definition: definition, policy: policy)]
        case .team:
            self.groups = Self.teamGroups(responses, policy: policy).map {
                GroupResult(name: $0.name, responses: $0.members, definition: definition, policy: policy)
            }
        }
    }

    /// Splits responses by team, folding every team under k into "other teams".
    ///
    /// When "other teams" would itself stay under k, the smallest shown teams join it until it reaches k:
    /// otherwise the total minus the shown teams would give away the small group's figures.
    static func teamGroups(_ responses: [StoredResponse], policy: AnonymityPolicy) -> [(name: String, members: [StoredResponse])] {
        let byTeam = Dictionary(grouping: responses) { $0.team ?? Self.noTeam }
        var shown = byTeam.filter { policy.allows($0.value.count) }.map { (name: $0.key, members: $0.value) }
        var folded = byTeam.filter { !policy.allows($0.value.count) }.flatMap(\.value)
        shown.sort { ($0.members.count, $1.name) < ($1.members.count, $0.name) }
        while !folded.isEmpty, !policy.allows(folded.count), !shown.isEmpty {
            folded += shown.removeFirst().members
        }
        var groups = shown.sorted { $0.name < $1.name }
        if !folded.isEmpty {
            groups.append((name: Self.otherTeams, members: folded.sorted { $0.id < $1.id }))
        }
        return groups
    }
}

extension GroupResult {
    init(name: String, responses: [StoredResponse], definition: SurveyDefinition, policy: AnonymityPolicy) {
        self.name = name
        self.responses = responses.count
        self.withheld = !policy.allows(responses.count)
        guard !self.withheld else {
            self.ratings = []
            self.answers = []
            return
        }
        self.ratings = definition.scoredQuestions.map { RatingSummary(question: $0, responses: responses) }
        self.answers = definition.textQuestions.map { question in
            AnswerList(question: question.id, prompt: question.prompt, texts: responses.compactMap { $0.texts[question.id] })
        }
    }
}

extension RatingSummary {
    init(question: Question, responses: [StoredResponse]) {
        self.question = question.id
        self.prompt = question.prompt
        if question.kind == .choice {
            let values = responses.compactMap { $0.texts[question.id] }
            self.answered = values.count
            self.mean = nil
            self.distribution = question.choices.map { choice in Bucket(label: choice, count: values.filter { $0 == choice }.count) }
            return
        }
        let values = responses.compactMap { $0.numbers[question.id] }
        self.answered = values.count
        self.mean = values.isEmpty ? nil : (Double(values.reduce(0, +)) / Double(values.count) * 100).rounded() / 100
        self.distribution = Self.buckets(for: question).map { bucket in
            Bucket(label: bucket.label, count: values.filter { bucket.range.contains($0) }.count)
        }
    }

    /// One bucket per scale value for short scales; tenths of the range for percent and long scales.
    static func buckets(for question: Question) -> [(label: String, range: ClosedRange<Int>)] {
        let scale = question.scale
        if scale.count <= 11 {
            return scale.map { value in
                let index = value - scale.lowerBound
                let label = question.scaleLabels.count == scale.count ? "\(value) \(question.scaleLabels[index])" : "\(value)"
                return (label, value...value)
            }
        }
        let width = max(1, (scale.upperBound - scale.lowerBound) / 10)
        var buckets: [(label: String, range: ClosedRange<Int>)] = []
        var start = scale.lowerBound
        while start <= scale.upperBound {
            // The last bucket absorbs the remainder, so 0...100 reads 0–9 … 90–100.
            let end = scale.upperBound - (start + width - 1) < width ? scale.upperBound : start + width - 1
            buckets.append(("\(start)–\(end)", start...end))
            start = end + 1
        }
        return buckets
    }
}
