/// A survey as written in `surveys/*.yaml`: the questions a round asks.
///
/// A round stores the definition it was opened with, so editing the YAML later never changes an open round.
public struct SurveyDefinition: Codable, Hashable, Sendable {
    public var id: String
    public var title: String
    public var intro: String
    /// Teams a respondent may choose from; empty means a free-text team.
    public var teams: [String]
    public var questions: [Question]

    public init(id: String, title: String, intro: String, teams: [String] = [], questions: [Question]) {
        self.id = id
        self.title = title
        self.intro = intro
        self.teams = teams
        self.questions = questions
    }

    /// The question with `id`, if the survey asks it.
    public func question(_ id: String) -> Question? {
        self.questions.first { $0.id == id }
    }

    /// Free-text questions, in the order the survey asks them.
    public var textQuestions: [Question] { self.questions.filter { $0.kind == .text } }
    /// Questions answered with a number or a choice, in the order the survey asks them.
    public var scoredQuestions: [Question] { self.questions.filter { $0.kind != .text } }
}

/// One question of a survey.
public struct Question: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// Free text.
        case text
        /// A whole number on a scale, 1 to 5 unless `scale` says otherwise.
        case rating
        /// A whole number from 0 to 100.
        case percent
        /// One of `choices`.
        case choice
    }

    public var id: String
    public var kind: Kind
    public var prompt: String
    public var required: Bool
    /// Longest accepted text answer in characters (text questions).
    public var maxLength: Int
    /// Lowest and highest value (rating and percent questions).
    public var scale: ClosedRange<Int>
    /// Labels for the scale's ends or for each value, lowest first (rating questions).
    public var scaleLabels: [String]
    /// The options of a choice question.
    public var choices: [String]

    public init(
        id: String,
        kind: Kind,
        prompt: String,
        required: Bool = false,
        maxLength: Int = Question.defaultMaxLength,
        scale: ClosedRange<Int>? = nil,
        scaleLabels: [String] = [],
        choices: [String] = []
    ) {
        self.id = id
        self.kind = kind
        self.prompt = prompt
        self.required = required
        self.maxLength = maxLength
        self.scale = scale ?? (kind == .percent ? 0...100 : 1...5)
        self.scaleLabels = scaleLabels
        self.choices = choices
    }

    /// The default limit on a text answer.
    public static let defaultMaxLength = 2_000
}
