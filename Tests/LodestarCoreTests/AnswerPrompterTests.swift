import Testing

@testable import LodestarCore

struct AnswerPrompterTests {
    /// Runs the prompter over scripted input lines and returns the result and everything it wrote.
    func run(_ lines: [String], given submission: Submission = Submission()) -> (Submission, String) {
        var input = lines[...]
        var output = ""
        let prompter = AnswerPrompter(readLine: { input.popFirst() }, write: { output += $0 })
        return (prompter.complete(submission, for: SubmissionValidationTests.definition), output)
    }

    @Test func asksEachQuestionAndJoinsMultiLineAnswers() {
        let (submission, output) = self.run(["payments", "fast CI", "good docs", "", "", "4", "30", "1"])
        #expect(submission.team == "payments")
        #expect(submission.answers["best"] == "fast CI\ngood docs")
        #expect(submission.answers["worst"] == nil)
        #expect(submission.ratings["satisfaction"] == .number(4))
        #expect(submission.ratings["operationsShare"] == .number(30))
        #expect(submission.answers["role"] == "dev")
        #expect(output.contains("Best?") && output.contains("Happy?"))
    }

    @Test func asksAgainForARequiredAnswer() {
        let (submission, output) = self.run(["", "", "fast CI", "", "", "", "", ""])
        #expect(output.contains("An answer is required."))
        #expect(submission.answers["best"] == "fast CI")
    }

    @Test func asksAgainForARatingOutOfRange() {
        let (submission, output) = self.run(["", "ok", "", "", "9", "five", "3", "", ""])
        #expect(output.contains("Please enter a whole number from 1 to 5."))
        #expect(submission.ratings["satisfaction"] == .number(3))
    }

    @Test func skipsQuestionsGivenByFlags() {
        let given = Submission(team: "search", answers: ["best": "flags"], ratings: ["satisfaction": .text("5")])
        let (submission, output) = self.run(["", "", "", ""], given: given)
        #expect(submission.answers["best"] == "flags")
        #expect(!output.contains("Best?") && !output.contains("Happy?"))
    }

    @Test func stopsAtEndOfInput() {
        let (submission, _) = self.run(["payments", "half an answer"])
        #expect(submission.answers["best"] == "half an answer")
        #expect(submission.ratings.isEmpty)
    }
}
