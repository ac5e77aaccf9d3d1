import LodestarCore

/// What the survey form template shows: the questions, the user's values and the problem next to each field.
struct SurveyFormPage {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
        let inputId: String
    }

    struct Field {
        let id: String
        let name: String
        let prompt: String
        let required: Bool
        let maxLength: Int
        let value: String
        let error: String
        let hasError: Bool
        let isText: Bool
        let isPercent: Bool
        let isChoice: Bool
        let options: [Option]
    }

    let pageTitle: String
    let intro: String
    let month: String
    let csrf: String
    let token: String
    let hasToken: Bool
    let lockedTeam: String
    let hasLockedTeam: Bool
    let teamOptions: [Option]
    let hasTeamOptions: Bool
    let teamValue: String
    let teamError: String
    let hasTeamError: Bool
    let fields: [Field]
    let problems: [String]
    let hasProblems: Bool

    init(admission: SurveyService.Admission, csrf: String, token: String?, values: [String: String] = [:], issues: [FieldIssue] = []) {
        let definition = admission.round.definition
        let errors = Dictionary(issues.map { ($0.field, $0.message) }, uniquingKeysWith: { first, _ in first })
        self.pageTitle = definition.title
        self.intro = definition.intro
        self.month = admission.round.month.description
        self.csrf = csrf
        self.token = token ?? ""
        self.hasToken = token != nil
        self.lockedTeam = admission.invite?.team ?? ""
        self.hasLockedTeam = admission.invite?.team != nil
        self.teamValue = values["team"] ?? ""
        self.teamOptions = definition.teams.map { Option(value: $0, label: $0, selected: $0 == values["team"], inputId: "team-\($0)") }
        self.hasTeamOptions = !definition.teams.isEmpty
        self.teamError = errors["team"] ?? ""
        self.hasTeamError = errors["team"] != nil
        self.fields = definition.questions.map { question in
            let name = (question.kind == .text || question.kind == .choice ? "answers." : "ratings.") + question.id
            let value = values[name] ?? ""
            let options: [Option] =
                switch question.kind {
                case .rating:
                    question.scale.map { number in
                        let index = number - question.scale.lowerBound
                        let label = question.scaleLabels.count == question.scale.count ? "\(number) – \(question.scaleLabels[index])" : "\(number)"
                        return Option(value: "\(number)", label: label, selected: value == "\(number)", inputId: "\(question.id)-\(number)")
                    }
                case .choice:
                    question.choices.enumerated().map { index, choice in
                        Option(value: choice, label: choice, selected: value == choice, inputId: "\(question.id)-\(index)")
                    }
                case .text, .percent: []
                }
            return Field(
                id: question.id, name: name, prompt: question.prompt, required: question.required, maxLength: question.maxLength,
                value: value, error: errors[name] ?? "", hasError: errors[name] != nil,
                isText: question.kind == .text, isPercent: question.kind == .percent, isChoice: !options.isEmpty, options: options
            )
        }
        let known = Set(self.fields.map(\.name) + ["team"])
        self.problems = issues.map { known.contains($0.field) ? $0.message : $0.description }
        self.hasProblems = !issues.isEmpty
    }
}
