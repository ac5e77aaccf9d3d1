import Foundation

/// Turns a month's answers into ranked themes: `worst` and `change` answers become needs (the epics to choose
/// from), `best` answers become strengths to keep. Pure: the store hands it the answers, the earlier themes and
/// the delivery signals, and keeps what it returns.
public enum EpicPlanner {
    /// The questions read, by the ids of the standard survey.
    public static let bestQuestion = "best"
    public static let worstQuestion = "worst"
    public static let changeQuestion = "change"

    /// One answer behind a theme.
    public struct AnswerRef: Sendable, Equatable, Hashable, Codable {
        public var responseId: Int64
        public var question: String

        public init(responseId: Int64, question: String) {
            self.responseId = responseId
            self.question = question
        }
    }

    /// A theme of an earlier month, as far as matching and trends need it.
    public struct EarlierTheme: Sendable, Equatable {
        public var identity: Int64
        public var month: Month
        public var kind: ThemeKind
        public var keywords: [Themes.Keyword]
        public var respondents: Int

        public init(identity: Int64, month: Month, kind: ThemeKind, keywords: [Themes.Keyword], respondents: Int) {
            self.identity = identity
            self.month = month
            self.kind = kind
            self.keywords = keywords
            self.respondents = respondents
        }
    }

    /// A theme found this month.
    public struct PlannedTheme: Sendable, Equatable {
        public var kind: ThemeKind
        /// The identity of the earlier theme it continues; nil for a new theme.
        public var identity: Int64?
        public var label: String
        public var keywords: [Themes.Keyword]
        /// Its answers, closest to the theme's centre first.
        public var answers: [AnswerRef]
        public var breakdown: ScoreBreakdown

        public var respondents: Int { self.breakdown.respondents }
        public var score: Double { self.breakdown.score }
    }

    public struct Input: Sendable {
        public var month: Month
        public var definition: SurveyDefinition?
        public var responses: [StoredResponse]
        public var earlier: [EarlierTheme]
        public var delivery: DeliverySignals
        /// The sentence encoder, when themes are to be found by meaning as well as by words.
        public var embedder: (any TextEmbedder)?

        public init(
            month: Month, definition: SurveyDefinition?, responses: [StoredResponse], earlier: [EarlierTheme], delivery: DeliverySignals,
            embedder: (any TextEmbedder)? = nil
        ) {
            self.month = month
            self.definition = definition
            self.responses = responses
            self.earlier = earlier
            self.delivery = delivery
            self.embedder = embedder
        }
    }

    /// Keyword similarity (cosine) from which a new theme is taken to continue an earlier one.
    public static let continuationSimilarity = 0.3

    /// Needs ranked by score (highest first), then strengths by respondents.
    public static func plan(_ input: Input) -> [PlannedTheme] {
        let ratings = RatingMeans(definition: input.definition, responses: input.responses)
        let needs = Self.themes(of: [Self.worstQuestion, Self.changeQuestion], kind: .need, input: input, ratings: ratings)
            .sorted { ($0.score, $0.respondents, $1.label) > ($1.score, $1.respondents, $0.label) }
        let strengths = Self.themes(of: [Self.bestQuestion], kind: .strength, input: input, ratings: ratings)
            .sorted { ($0.respondents, $1.label) > ($1.respondents, $0.label) }
        return needs + strengths
    }

    /// Every text `plan` groups: the trimmed, non-empty answers to the best, worst and change questions.
    public static func texts(of responses: [StoredResponse]) -> [String] {
        responses.flatMap { response in
            [Self.worstQuestion, Self.changeQuestion, Self.bestQuestion].compactMap { question in
                response.texts[question]?.trimmed.nilIfEmpty
            }
        }
    }

    static func themes(of questions: [String], kind: ThemeKind, input: Input, ratings: RatingMeans) -> [PlannedTheme] {
        var refs: [AnswerRef] = []
        var texts: [String] = []
        for response in input.responses {
            for question in questions {
                guard let text = response.texts[question]?.trimmed, !text.isEmpty else { continue }
                refs.append(AnswerRef(responseId: response.id, question: question))
                texts.append(text)
            }
        }
        guard !texts.isEmpty, let found = try? Themes.find(in: texts, meaning: input.embedder?.meaning(of: texts)) else { return [] }
        let identities = Self.continuations(of: found.themes.map(\.keywords), kind: kind, month: input.month, earlier: input.earlier)
        return found.themes.enumerated().map { index, theme in
            let answers = theme.members.map { refs[$0] }
            let identity = identities[index]
            let running = identity.map { Self.monthsRunning(identity: $0, before: input.month, earlier: input.earlier) + 1 } ?? 1
            let breakdown: ScoreBreakdown
            if kind == .need {
                let metric = DeliveryMetric.pointedAt(by: theme.keywords)
                breakdown = Self.breakdown(
                    answers: answers, ratings: ratings, monthsRunning: running, delivery: metric.map { ($0, input.delivery.worsening[$0] ?? 0) }
                )
            } else {
                breakdown = ScoreBreakdown(
                    askedForChange: 0, namedWorst: Set(answers.map(\.responseId)).count, ratingMean: nil, everyoneRatingMean: nil,
                    monthsRunning: running, delivery: nil
                )
            }
            return PlannedTheme(kind: kind, identity: identity, label: theme.label, keywords: theme.keywords, answers: answers, breakdown: breakdown)
        }
    }

    /// Rescores a theme after its answers changed (two epics merged), keeping its trend and delivery parts.
    public static func rescore(
        answers: [AnswerRef], responses: [StoredResponse], definition: SurveyDefinition?, keeping old: ScoreBreakdown
    ) -> ScoreBreakdown {
        Self.breakdown(
            answers: answers, ratings: RatingMeans(definition: definition, responses: responses), monthsRunning: old.monthsRunning,
            delivery: old.deliveryMetric.map { ($0, old.deliveryChange ?? 0) }
        )
    }

    /// A need's score from its answers: each respondent counted once, as asking for a change if any of their
    /// answers in the theme is a `change` answer.
    static func breakdown(
        answers: [AnswerRef], ratings: RatingMeans, monthsRunning: Int, delivery: (metric: DeliveryMetric, change: Double)?
    ) -> ScoreBreakdown {
        let changers = Set(answers.filter { $0.question == Self.changeQuestion }.map(\.responseId))
        let everyone = Set(answers.map(\.responseId))
        return ScoreBreakdown(
            askedForChange: changers.count, namedWorst: everyone.count - changers.count, ratingMean: ratings.mean(of: everyone),
            everyoneRatingMean: ratings.overall, monthsRunning: monthsRunning, delivery: delivery
        )
    }

    /// For each new theme, the identity of the earlier theme it continues: pairs are taken most similar first, each
    /// earlier theme at most once, compared with its latest month before this one.
    static func continuations(of keywords: [[Themes.Keyword]], kind: ThemeKind, month: Month, earlier: [EarlierTheme]) -> [Int64?] {
        var latest: [Int64: EarlierTheme] = [:]
        for theme in earlier where theme.kind == kind && theme.month < month {
            if let known = latest[theme.identity], known.month >= theme.month { continue }
            latest[theme.identity] = theme
        }
        let candidates = latest.values.sorted { $0.identity < $1.identity }
        var pairs: [(similarity: Double, new: Int, identity: Int64)] = []
        for (index, terms) in keywords.enumerated() {
            for candidate in candidates {
                let similarity = Self.cosine(terms, candidate.keywords)
                if similarity >= Self.continuationSimilarity { pairs.append((similarity, index, candidate.identity)) }
            }
        }
        pairs.sort { ($0.similarity, $1.new, $1.identity) > ($1.similarity, $0.new, $0.identity) }
        var result = [Int64?](repeating: nil, count: keywords.count)
        var taken = Set<Int64>()
        for pair in pairs where result[pair.new] == nil && !taken.contains(pair.identity) {
            result[pair.new] = pair.identity
            taken.insert(pair.identity)
        }
        return result
    }

    /// Months in a row before `month` in which the theme was raised.
    static func monthsRunning(identity: Int64, before month: Month, earlier: [EarlierTheme]) -> Int {
        let months = Set(earlier.filter { $0.identity == identity }.map(\.month))
        var count = 0
        var previous = month.adding(months: -1)
        while months.contains(previous) {
            count += 1
            previous = previous.adding(months: -1)
        }
        return count
    }

    static func cosine(_ left: [Themes.Keyword], _ right: [Themes.Keyword]) -> Double {
        let weights = Dictionary(left.map { ($0.term, $0.weight) }, uniquingKeysWith: +)
        let dot = right.reduce(0) { $0 + (weights[$1.term] ?? 0) * $1.weight }
        let norms = (left.reduce(0) { $0 + $1.weight * $1.weight } * right.reduce(0) { $0 + $1.weight * $1.weight }).squareRoot()
        return norms > 0 ? dot / norms : 0
    }
}

/// Each respondent's mean rating over the survey's rating questions, put on a 1–5 scale.
struct RatingMeans {
    var byResponse: [Int64: Double] = [:]

    init(definition: SurveyDefinition?, responses: [StoredResponse]) {
        let questions = definition?.questions.filter { $0.kind == .rating && $0.scale.count > 1 } ?? []
        for response in responses {
            let values = questions.compactMap { question -> Double? in
                guard let value = response.numbers[question.id] else { return nil }
                let (low, high) = (Double(question.scale.lowerBound), Double(question.scale.upperBound))
                return 1 + 4 * (Double(value) - low) / (high - low)
            }
            if !values.isEmpty { self.byResponse[response.id] = values.reduce(0, +) / Double(values.count) }
        }
    }

    var overall: Double? { Self.mean(Array(self.byResponse.values)) }

    func mean(of respondents: Set<Int64>) -> Double? {
        Self.mean(respondents.compactMap { self.byResponse[$0] })
    }

    /// Sums in sorted order, so the same answers give the same bits whatever order a set hands them over in.
    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.sorted().reduce(0, +) / Double(values.count)
    }
}
