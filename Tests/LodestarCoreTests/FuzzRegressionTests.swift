import Foundation
import Testing

@testable import LodestarCore

/// Inputs that crashed a parser under `scripts/fuzz.sh` (or that the fuzz binary was pointed at by hand), each now a
/// clear error naming the field, or an accepted value, instead of a crash. The comment on each says how it was found.
struct FuzzRegressionTests {
    // MARK: - Times beyond the four-digit years

    /// Found by the ndjson, csv and webhooks targets: epoch seconds far beyond the year 9999 were accepted, and writing
    /// the time back (`Timestamp.iso8601`) trapped converting it to `Int`.
    @Test(arguments: ["20100000000000000000000000000", "170955555555555555555555555555555555555555555555555555555542", "1e400"])
    func epochTextBeyondTheYear9999IsNotATime(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func epochNumbersBeyondTheYear9999AreNotATime() {
        #expect(Timestamp.epoch(17_095_469e42) == nil)
        #expect(Timestamp.epoch(253_402_300_800_000) == nil)  // 10000-01-01 in milliseconds
        #expect(Timestamp.epoch(253_402_300_799_000) == Date(timeIntervalSince1970: 253_402_300_799))  // 9999-12-31T23:59:59Z
    }

    /// A zone offset or a leap second can carry the first or last day of the four-digit years outside them.
    @Test(arguments: ["9999-12-31T23:59:60Z", "9999-12-31T23:59:59-00:01", "0000-01-01T00:00:00+01:00"])
    func isoTimesOutsideTheFourDigitYearsAreNotATime(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test(arguments: ["9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z"])
    func theFirstAndLastRepresentableTimesAreWrittenBackAsRead(_ text: String) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(Timestamp.iso8601(date) == text)
    }

    /// The events API and `lodestar ingest` (ndjson target): `"finishedAt": 17095469e42`.
    @Test func ndjsonRecordWithAnEpochBeyondTheYear9999NamesTheField() {
        let line = #"{"type":"deployment","id":"dep-1","sha":"a1b2c3d4","result":"failure","finishedAt":17095469e42}"#
        let error = #expect(throws: RecordFieldError.self) { try GenericRecord.event(from: try FlatJSON.parseObject(line)) }
        #expect(error?.field == "finishedAt")
        #expect(error?.message == "1.7095469e+49 is not a time")
    }

    /// `lodestar ingest --format csv` (csv target): an epoch cell of sixty digits.
    @Test func csvRecordWithAnEpochBeyondTheYear9999NamesTheField() throws {
        let epoch = String(repeating: "5", count: 60)
        let names = try CSVLine.fields("type,id,service,sha,result,startedAt,finishedAt")
        let cells = try CSVLine.fields(Substring("deployment,github-run-8146217-2,checkout-api,0d1a26e6,success,2024-03-04T10:03:00Z,\(epoch)"))
        let record = Dictionary(uniqueKeysWithValues: zip(names, cells.map(FlatValue.string)))
        let error = #expect(throws: RecordFieldError.self) { try GenericRecord.event(from: record) }
        #expect(error?.field == "finishedAt")
        #expect(error?.message.hasSuffix("is not a time (ISO 8601 or epoch seconds)") == true)
    }

    /// GitLab push (webhooks target): a commit `timestamp` of `"20100000000000000000000000000"`.
    @Test func gitLabPushWithACommitTimeBeyondTheYear9999NamesTheField() {
        let body = #"""
            {"object_kind": "push", "before": "95790bf891e76fee5e1747ab589903a6a1f80f22", "project": {"id": 15, "name": "Diaspora"},
             "commits": [{"id": "b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327", "timestamp": "2011-12-12T14:27:31+02:00"},
                         {"id": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "timestamp": "20100000000000000000000000000"}]}
            """#
        let error = #expect(throws: WebhookError.self) {
            try GitLabWebhook.outcome(event: "Push Hook", body: Data(body.utf8), options: WebhookOptions())
        }
        #expect(error?.field == "commits[1].timestamp")
        #expect(error?.message.contains("is not a time") == true)
    }

    /// Found reading the code the fuzzer reached: a GitLab pipeline without `finished_at` ends at `created_at` plus
    /// `duration`, and a duration of 1e300 seconds gave an end no writer could print.
    @Test func gitLabPipelineWithAnEndlessDurationNamesTheField() {
        let body = #"""
            {"object_kind": "pipeline", "project": {"id": 15, "name": "api"},
             "object_attributes": {"id": 31, "name": "deploy", "ref": "main", "sha": "abc1234", "status": "success",
                                   "created_at": "2026-11-02 10:00:00 UTC", "duration": 1e300}}
            """#
        let error = #expect(throws: WebhookError.self) {
            try GitLabWebhook.outcome(event: "Pipeline Hook", body: Data(body.utf8), options: WebhookOptions())
        }
        #expect(error?.field == "object_attributes.duration")
    }

    // MARK: - Numbers read as text

    /// A whole number too large for `Int` where text is wanted (an id, a sha in a list) trapped in `Int(_:)`.
    @Test func hugeNumbersReadAsTextKeepTheirSpelling() throws {
        let line = #"{"type":"deployment","id":1e300,"shas":[12345678],"finishedAt":"2026-11-02T10:15:00Z","result":"success"}"#
        let event = try GenericRecord.event(from: try FlatJSON.parseObject(line))
        guard case .deployment(let deployment) = event else {
            Issue.record("expected a deployment, got \(event)")
            return
        }
        #expect(deployment.id == "1e+300")
        #expect(deployment.shas == ["12345678"])
        // The same number as a sha is named, not trapped on: its spelling is no commit sha.
        let sha = #"{"type":"deployment","id":"d","shas":[1e300],"finishedAt":"2026-11-02T10:15:00Z","result":"success"}"#
        let error = #expect(throws: RecordFieldError.self) { try GenericRecord.event(from: try FlatJSON.parseObject(sha)) }
        #expect(error?.field == "shas")
    }

    // MARK: - Survey YAML numbers

    /// Found reviewing the Yams code the survey-yaml target reaches, then confirmed with the fuzz binary: Yams reads
    /// `1:1:…` as a base-60 number and traps when it overflows. A survey number is decimal, else "must be a whole number".
    @Test(arguments: ["1:1:1:1:1:1:1:1:1:1:1:1", "9223372036854775807:59", "99999999999999999999999"])
    func maxLengthThatWouldOverflowIsNotAWholeNumber(_ number: String) {
        let yaml = "id: pulse\ntitle: Pulse\nquestions:\n  - id: best\n    kind: text\n    prompt: Best?\n    maxLength: \(number)\n"
        let error = #expect(throws: SurveyDefinitionError.self) { try SurveyDefinition.parse(yaml: yaml, file: "pulse.yaml") }
        #expect(error?.field == "questions[0].maxLength")
        #expect(error?.message == "must be a whole number")
        #expect(error?.line == 7)
    }

    @Test func scaleBoundThatWouldOverflowIsRefused() {
        let yaml = "id: pulse\ntitle: Pulse\nquestions:\n  - id: ease\n    kind: rating\n    prompt: Easy?\n    scale: [1, 1:1:1:1:1:1:1:1:1:1:1:1]\n"
        let error = #expect(throws: SurveyDefinitionError.self) { try SurveyDefinition.parse(yaml: yaml, file: "pulse.yaml") }
        #expect(error?.field == "questions[0].scale")
    }

    @Test func decimalNumbersStillRead() throws {
        let yaml = "id: pulse\ntitle: Pulse\nquestions:\n  - id: ease\n    kind: rating\n    prompt: Easy?\n    maxLength: 300\n    scale: [0, 10]\n"
        let question = try #require(try SurveyDefinition.parse(yaml: yaml, file: "pulse.yaml").question("ease"))
        #expect(question.maxLength == 300)
        #expect(question.scale == 0...10)
    }

    // MARK: - Nesting

    /// A list nested 100,000 deep in an events API body overflowed the stack (tried with the fuzz binary: libFuzzer's
    /// inputs are too short to reach it). Items of a list are text, so the first nested list is refused.
    @Test func deeplyNestedListsAreRefusedWithoutRecursing() {
        let body = Array((#"{"type":"deployment","shas":"# + String(repeating: "[", count: 100_000)).utf8)
        let error = #expect(throws: FlatJSON.RecordsMalformed.self) { try FlatJSON.parseRecords(body) }
        #expect(error?.message == #""shas" must be a list of text"#)
        #expect(error?.record == 0)
    }

    @Test func anObjectInAListIsRefused() {
        #expect(throws: FlatJSON.Malformed(message: #""shas" must be a list of text"#)) {
            try FlatJSON.parseObject(#"{"shas":["abc1234",{"sha":"def5678"}]}"#)
        }
    }
}
