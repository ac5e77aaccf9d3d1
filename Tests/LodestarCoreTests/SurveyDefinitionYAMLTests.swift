import Foundation
import Testing

@testable import LodestarCore

struct SurveyDefinitionYAMLTests {
    static let valid = """
        id: pulse
        title: Pulse
        questions:
          - id: best
            kind: text
            prompt: Best?
            required: true
          - id: satisfaction
            kind: rating
            prompt: Happy?
            scale: [1, 5]
        """

    @Test func loadsTheShippedPlatformPulse() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../surveys/platform-pulse.yaml")
        let definition = try SurveyDefinition.load(contentsOf: url)
        #expect(definition.id == "platform-pulse")
        #expect(definition.questions.map(\.id) == ["best", "worst", "change", "satisfaction", "easeOfShipping", "operationsShare"])
        #expect(definition.question("change")?.prompt == "If there's one thing you could change about the platform, what would it be?")
        #expect(definition.question("operationsShare")?.scale == 0...100)
        #expect(definition.question("best")?.maxLength == 2000)
    }

    @Test func readsQuestionsWithDefaults() throws {
        let definition = try SurveyDefinition.parse(yaml: Self.valid, file: "pulse.yaml")
        #expect(definition.questions.count == 2)
        #expect(definition.question("best")?.required == true)
        #expect(definition.question("satisfaction")?.required == false)
        #expect(definition.question("best")?.maxLength == Question.defaultMaxLength)
    }

    @Test func namesFileLineAndFieldOfAMisspeltKey() {
        let yaml = Self.valid.replacingOccurrences(of: "    required: true", with: "    requird: true")
        let error = #expect(throws: SurveyDefinitionError.self) { try SurveyDefinition.parse(yaml: yaml, file: "pulse.yaml") }
        #expect(error?.line == 7)
        #expect(error?.field == "questions[0].requird")
        #expect(error?.description.hasPrefix("pulse.yaml:7: questions[0].requird: unknown key (did you mean 'required'?)") == true)
    }

    @Test func namesAMissingField() {
        let yaml = Self.valid.replacingOccurrences(of: "title: Pulse\n", with: "")
        let error = #expect(throws: SurveyDefinitionError.self) { try SurveyDefinition.parse(yaml: yaml, file: "pulse.yaml") }
        #expect(error?.field == "title")
        #expect(error?.message == "is required but missing")
    }

    @Test func refusesAnUnknownKind() {
        let yaml = Self.valid.replacingOccurrences(of: "kind: rating", with: "kind: stars")
        let error = #expect(throws: SurveyDefinitionError.self) { try SurveyDefinition.parse(yaml: yaml, file: "pulse.yaml") }
        #expect(error?.field == "questions[1].kind")
        #expect(error?.line == 9)
    }

    @Test func refusesDuplicateQuestionIds() {
        let yaml = Self.valid.replacingOccurrences(of: "id: satisfaction", with: "id: best")
        let error = #expect(throws: SurveyDefinitionError.self) { try SurveyDefinition.parse(yaml: yaml, file: "pulse.yaml") }
        #expect(error?.field == "questions[1].id")
    }

    @Test func refusesAnInvertedScale() {
        let yaml = Self.valid.replacingOccurrences(of: "scale: [1, 5]", with: "scale: [5, 1]")
        let error = #expect(throws: SurveyDefinitionError.self) { try SurveyDefinition.parse(yaml: yaml, file: "pulse.yaml") }
        #expect(error?.field == "questions[1].scale")
    }

    @Test func reportsBrokenYAMLWithItsLine() {
        let error = #expect(throws: SurveyDefinitionError.self) {
            try SurveyDefinition.parse(yaml: "id: x\ntitle: [unclosed\nquestions: []\n", file: "broken.yaml")
        }
        #expect(error?.line ?? 0 > 0)
        #expect(error?.message.hasPrefix("not valid YAML") == true)
    }

    @Test func refusesAnEmptyFile() {
        #expect(throws: SurveyDefinitionError.self) { try SurveyDefinition.parse(yaml: "", file: "empty.yaml") }
    }
}
