import Testing

@testable import LodestarCore

struct SubmissionValidationTests {
    static let definition = SurveyDefinition(
        id: "pulse", title: "Pulse", intro: "", teams: ["payments", "search"],
        questions: [
            Question(id: "best", kind: .text, prompt: "Best?", required: true, maxLength: 20),
            Question(id: "worst", kind: .text, prompt: "Worst?", required: false),
            Question(id: "satisfaction", kind: .rating, prompt: "Happy?"),
            Question(id: "operationsShare", kind: .percent, prompt: "Toil?"),
            Question(id: "role", kind: .choice, prompt: "Role?", choices: ["dev", "ops"]),
        ]
    )

    func issues(_ submission: Submission) -> [FieldIssue] {
        do {
            _ = try Self.definition.validate(submission)
            return []
        } catch {
            guard case .invalid(let issues) = error else { return [] }
            return issues
        }
    }

    @Test func acceptsACompleteAnswerAndTrimsIt() throws {
        let submission = Submission(
            team: " payments ", answers: ["best": "  fast CI \n", "role": "dev"], ratings: ["satisfaction": .number(4), "operationsShare": .text("30")])
        let validated = try Self.definition.validate(submission)
        #expect(validated.texts == ["best": "fast CI", "role": "dev"])
        #expect(validated.numbers == ["satisfaction": 4, "operationsShare": 30])
        #expect(validated.team == "payments")
    }

    @Test func refusesAnEmptyRequiredAnswer() {
        #expect(self.issues(Submission(answers: ["best": "   "])) == [FieldIssue(field: "answers.best", message: "an answer is required")])
    }

    @Test func refusesAnAnswerOverTheMaximumLength() {
        let issues = self.issues(Submission(answers: ["best": String(repeating: "x", count: 21)]))
        #expect(issues.map(\.field) == ["answers.best"])
        #expect(issues.first?.message == "at most 20 characters (this has 21)")
    }

    @Test func countsCharactersNotBytes() throws {
        _ = try Self.definition.validate(Submission(answers: ["best": String(repeating: "é", count: 20)]))
    }

    @Test func refusesAnUnknownQuestion() {
        let issues = self.issues(Submission(answers: ["best": "ok", "favourite": "x"], ratings: ["mood": .number(3)]))
        #expect(issues.map(\.field) == ["answers.favourite", "ratings.mood"])
        #expect(issues.allSatisfy { $0.message == "unknown question" })
    }

    @Test(arguments: [Submission.RawValue.number(6), .number(0), .text("9")])
    func refusesARatingOutOfRange(_ value: Submission.RawValue) {
        #expect(self.issues(Submission(answers: ["best": "ok"], ratings: ["satisfaction": value])).map(\.field) == ["ratings.satisfaction"])
    }

    @Test(arguments: [Submission.RawValue.text("four"), .number(3.5), .other("true"), .number(.nan)])
    func refusesARatingThatIsNotAWholeNumber(_ value: Submission.RawValue) {
        let issues = self.issues(Submission(answers: ["best": "ok"], ratings: ["satisfaction": value]))
        #expect(issues == [FieldIssue(field: "ratings.satisfaction", message: "must be a whole number from 1 to 5")])
    }

    @Test func refusesAPercentOver100() {
        #expect(self.issues(Submission(answers: ["best": "ok"], ratings: ["operationsShare": .number(101)])).map(\.field) == ["ratings.operationsShare"])
    }

    @Test func refusesATeamOutsideTheSurveysList() {
        #expect(self.issues(Submission(team: "marketing", answers: ["best": "ok"])).map(\.field) == ["team"])
    }

    @Test func refusesAChoiceThatIsNotOffered() {
        #expect(self.issues(Submission(answers: ["best": "ok", "role": "manager"])).map(\.field) == ["answers.role"])
    }

    @Test func reportsEveryProblemAtOnce() {
        let issues = self.issues(Submission(team: "nope", answers: [:], ratings: ["satisfaction": .text("x")]))
        #expect(Set(issues.map(\.field)) == ["answers.best", "ratings.satisfaction", "team"])
    }

    @Test func keepsHTMLVerbatim() throws {
        let validated = try Self.definition.validate(Submission(answers: ["best": "<script>x</script>"]))
        #expect(validated.texts["best"] == "<script>x</script>")
    }
}
