import Foundation

/// An answer to a survey as it arrives, before it is checked: from the form, the JSON API or the CLI.
public struct Submission: Sendable, Equatable {
    /// A rating as it was sent: a JSON number, or text from a form field or a flag.
    public enum RawValue: Sendable, Equatable {
        case number(Double)
        case text(String)
        /// Anything else a JSON body might carry (true, null, a list), kept to be refused by name.
        case other(String)
    }

    public var month: Month?
    public var team: String?
    public var token: String?
    /// Text and choice answers by question id.
    public var answers: [String: String]
    /// Rating and percent answers by question id.
    public var ratings: [String: RawValue]

    public init(
        month: Month? = nil,
        team: String? = nil,
        token: String? = nil,
        answers: [String: String] = [:],
        ratings: [String: RawValue] = [:]
    ) {
        self.month = month
        self.team = team
        self.token = token
        self.answers = answers
        self.ratings = ratings
    }
}

/// A submission that passed every check against its round's definition, ready to store.
public struct ValidatedResponse: Sendable, Equatable {
    public var team: String?
    /// Non-empty text and choice answers by question id, trimmed.
    public var texts: [String: String]
    /// Rating and percent answers by question id.
    public var numbers: [String: Int]

    public init(team: String?, texts: [String: String], numbers: [String: Int]) {
        self.team = team
        self.texts = texts
        self.numbers = numbers
    }
}

extension SurveyDefinition {
    /// Longest team name accepted.
    public static let maxTeamLength = 64

    /// Checks a submission against this definition and returns every problem at once, so a form can mark each field.
    public func validate(_ submission: Submission) throws(SurveyError) -> ValidatedResponse {
        var issues: [FieldIssue] = []
        var texts: [String: String] = [:]
        var numbers: [String: Int] = [:]

        for id in submission.answers.keys.sorted() where self.question(id).map({ $0.kind == .text || $0.kind == .choice }) != true {
            let hint = self.question(id) == nil ? "unknown question" : "'\(id)' is a rating: send it under ratings"
            issues.append(FieldIssue(field: "answers.\(id)", message: hint))
        }
        for id in submission.ratings.keys.sorted() where self.question(id).map({ $0.kind == .rating || $0.kind == .percent }) != true {
            let hint = self.question(id) == nil ? "unknown question" : "'\(id)' is answered in words: send it under answers"
            issues.append(FieldIssue(field: "ratings.\(id)", message: hint))
        }

        for question in self.questions {
            switch question.kind {
            case .text, .choice:
                let text = submission.answers[question.id]?.trimmed ?? ""
                let field = "answers.\(question.id)"
                if text.isEmpty {
                    if question.required { issues.append(FieldIssue(field: field, message: "an answer is required")) }
                } else if question.kind == .text, text.count > question.maxLength {
                    issues.append(FieldIssue(field: field, message: "at most \(question.maxLength) characters (this has \(text.count))"))
                } else if question.kind == .choice, !question.choices.contains(text) {
                    issues.append(FieldIssue(field: field, message: "must be one of \(question.choices.joined(separator: ", "))"))
                } else {
                    texts[question.id] = text
                }
            case .rating, .percent:
                let field = "ratings.\(question.id)"
                switch Self.wholeNumber(submission.ratings[question.id]) {
                case .none:
                    if question.required { issues.append(FieldIssue(field: field, message: "a rating is required")) }
                case .some(.failure):
                    issues.append(FieldIssue(field: field, message: "must be a whole number from \(question.scale.lowerBound) to \(question.scale.upperBound)"))
                case .some(.success(let value)):
                    if question.scale.contains(value) {
                        numbers[question.id] = value
                    } else {
                        issues.append(FieldIssue(field: field, message: "\(value) is out of range \(question.scale.lowerBound) to \(question.scale.upperBound)"))
                    }
                }
            }
        }

        let team = submission.team?.trimmed.nilIfEmpty
        if let team {
            if team.count > Self.maxTeamLength {
                issues.append(FieldIssue(field: "team", message: "at most \(Self.maxTeamLength) characters"))
            } else if !self.teams.isEmpty, !self.teams.contains(team) {
                issues.append(FieldIssue(field: "team", message: "'\(team)' is not a team of this survey; use one of \(self.teams.joined(separator: ", "))"))
            }
        }

        guard issues.isEmpty else { throw .invalid(issues) }
        return ValidatedResponse(team: team, texts: texts, numbers: numbers)
    }

    private struct NotANumber: Error {}

    /// nil when nothing was sent; a failure when something was sent that is not a whole number.
    private static func wholeNumber(_ raw: Submission.RawValue?) -> Result<Int, NotANumber>? {
        switch raw {
        case .none: return nil
        case .number(let value):
            guard value.isFinite, value.rounded() == value, abs(value) < 1e9 else { return .failure(NotANumber()) }
            return .success(Int(value))
        case .text(let text):
            let trimmed = text.trimmed
            if trimmed.isEmpty { return nil }
            guard let value = Int(trimmed) else { return .failure(NotANumber()) }
            return .success(value)
        case .other: return .failure(NotANumber())
        }
    }
}

extension String {
    /// nil for the empty string, so optional text can be folded with `??`.
    public var nilIfEmpty: String? { self.isEmpty ? nil : self }
}

extension String {
    /// The text without leading and trailing white space and line breaks. Works on Unicode scalars, avoiding
    /// Foundation's `trimmingCharacters(in:)`, which bridges through NSString and sits on every answer's path.
    public var trimmed: String {
        let scalars = self.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return self }
        return String(Substring(scalars[first...last]))
    }
}
