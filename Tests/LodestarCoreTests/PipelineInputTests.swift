import Foundation
import Testing

@testable import LodestarCore

struct TimestampTests {
    static let expected = Date(timeIntervalSince1970: 1_793_614_500)  // 2026-11-02T10:15:00Z

    @Test(arguments: [
        "2026-11-02T10:15:00Z", "2026-11-02T10:15:00", "2026-11-02 10:15:00", "2026-11-02T11:15:00+01:00",
        "2026-11-02T05:15:00-0500", "2026-11-02 10:15:00 UTC", "1793614500", "1793614500000",
    ])
    func readsTheFormsSendersUse(_ text: String) {
        #expect(Timestamp.parse(text) == Self.expected)
    }

    @Test func keepsFractionalSeconds() {
        #expect(Timestamp.parse("2026-11-02T10:15:00.250Z") == Self.expected.addingTimeInterval(0.25))
    }

    @Test(arguments: ["2026-02-30T10:00:00Z", "2026-13-01", "yesterday", "2026-11-02T25:00:00Z", "2026-11-02T10:15:00Q"])
    func refusesWhatIsNotATime(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func writesWhatItReads() {
        let text = Timestamp.iso8601(Self.expected)
        #expect(text == "2026-11-02T10:15:00Z")
        #expect(Timestamp.parse(text) == Self.expected)
    }
}

struct GenericRecordTests {
    static func event(_ json: String) throws -> PipelineEvent {
        try GenericRecord.event(from: try FlatJSON.parseObject(json))
    }

    @Test func readsADeploymentWithItsDefaults() throws {
        let event = try Self.event(#"{"type":"deployment","id":"7","sha":"ABC1234","finishedAt":"2026-11-02T10:15:00Z","result":"succeeded"}"#)
        guard case .deployment(let deployment) = event else { Issue.record("not a deployment"); return }
        #expect(deployment.service == defaultServiceName && deployment.environment == "production")
        #expect(deployment.shas == ["abc1234"] && deployment.result == .success)
    }

    @Test func takesTheServiceFromTheRepository() throws {
        let event = try Self.event(#"{"type":"change","sha":"abc1234","repository":"ledger","committedAt":1793614500}"#)
        #expect(event == .change(ChangeEvent(sha: "abc1234", service: "ledger", committedAt: TimestampTests.expected)))
    }

    @Test func namesAnUnknownType() {
        #expect(throws: RecordFieldError(field: "type", message: "unknown type 'build'; use change, history, deployment or incident")) {
            try Self.event(#"{"type":"build"}"#)
        }
    }

    @Test func namesAMissingField() {
        #expect(throws: RecordFieldError(field: "openedAt", message: "is required")) {
            try Self.event(#"{"type":"incident","id":"INC-1","service":"api"}"#)
        }
    }

    @Test func namesATimeThatDoesNotParse() {
        let error = #expect(throws: RecordFieldError.self) {
            try Self.event(#"{"type":"change","sha":"abc1234","committedAt":"last tuesday"}"#)
        }
        #expect(error?.field == "committedAt")
    }

    @Test(arguments: [
        ("parent", #"{"type":"change","sha":"abc1234","committedAt":1,"parent":"a"}"#),
        ("shas", #"{"type":"history","sha":"abc1234","shas":["abc1235","main"]}"#),
        ("sha", #"{"type":"deployment","id":"7","sha":"v1.2","finishedAt":1,"result":"success"}"#),
        ("rootCause", #"{"type":"incident","id":"INC-1","openedAt":1,"rootCause":"HEAD"}"#),
    ])
    func namesEveryShaThatIsNotOne(field: String, json: String) {
        let error = #expect(throws: RecordFieldError.self) { try Self.event(json) }
        #expect(error?.field == field && error?.message.contains("is not a commit sha") == true)
    }

    @Test func namesAFieldOfAnotherType() {
        let error = #expect(throws: RecordFieldError.self) {
            try Self.event(#"{"type":"change","sha":"abc1234","committedAt":1793614500,"result":"success"}"#)
        }
        #expect(error?.field == "result")
    }

    @Test func writesLinesItCanReadBack() throws {
        let deployment = PipelineEvent.deployment(
            DeploymentEvent(
                id: "d\"1", service: "api", environment: "prod", shas: ["abc1234", "def5678"], startedAt: TimestampTests.expected,
                finishedAt: TimestampTests.expected.addingTimeInterval(60), result: .rolledBack
            )
        )
        #expect(try Self.event(GenericRecord.jsonLine(deployment)) == deployment)
        let cells = try CSVLine.fields(Substring(GenericRecord.csvLine(deployment)))
        #expect(cells.count == GenericRecord.csvColumns.count && cells[1] == "d\"1")
    }
}

struct FlatJSONTests {
    @Test func readsAnArrayOfRecords() throws {
        let records = try FlatJSON.parseRecords(Array(#"[{"a":"1"}, {"b":2}]"#.utf8))
        #expect(records == [["a": .string("1")], ["b": .number(2)]])
    }

    @Test func readsRecordsALine() throws {
        let records = try FlatJSON.parseRecords(Array("{\"a\":\"1\"}\n\n{\"a\":\"2\"}\n".utf8))
        #expect(records.count == 2)
    }

    @Test func namesTheRecordThatIsMalformed() {
        #expect(throws: FlatJSON.RecordsMalformed(message: "expected ':' after \"a\"", record: 1)) {
            try FlatJSON.parseRecords(Array("{\"a\":\"1\"}\n{\"a\" \"2\"}".utf8))
        }
    }

    @Test func refusesNestedObjects() {
        #expect(throws: FlatJSON.Malformed.self) { try FlatJSON.parseObject(#"{"a":{"b":1}}"#) }
    }
}

struct EnvironmentKindTests {
    @Test(arguments: ["production", "prod", "PRD-eu-1", "prod-us", "live"])
    func production(_ name: String) { #expect(EnvironmentKind(name: name) == .production) }

    @Test(arguments: ["staging", "stg-eu", "dev-1", "int-2", "preview/pr-12"])
    func other(_ name: String) { #expect(EnvironmentKind(name: name) == .other) }
}

struct MetricsQueryTests {
    static let now = Date(timeIntervalSince1970: 1_793_614_500)

    @Test func monthsCoverWholeMonths() throws {
        let period = try MetricsQuery(from: "2026-01", to: "2026-03").period(now: Self.now)
        #expect(Day.string(from: period.from) == "2026-01-01" && Day.string(from: period.lastDay) == "2026-03-31")
    }

    @Test func defaultsToTheLastNinetyDaysAndTheSameLengthBefore() throws {
        let query = MetricsQuery()
        let period = try query.period(now: Self.now)
        #expect(period.to.timeIntervalSince(period.from) == 90 * 86_400)
        #expect(try query.baseline(for: period)?.to == period.from)
    }

    @Test func namesABadDay() {
        #expect(throws: MetricsQuery.Invalid.self) { try MetricsQuery(from: "2026-02-30").period(now: Self.now) }
        #expect(throws: MetricsQuery.Invalid(field: "from", message: "must not be after to")) {
            try MetricsQuery(from: "2026-05-01", to: "2026-04-01").period(now: Self.now)
        }
    }
}

struct WebhookOptionsTests {
    @Test func namesASettingThatIsNotARegularExpression() {
        #expect(throws: WebhookError(field: "LODESTAR_DEPLOY_WORKFLOW", message: "'deploy(' is not a regular expression")) {
            try WebhookOptions(deployWorkflowPattern: "deploy(").validate()
        }
    }

    @Test func acceptsTheDefaults() throws {
        try WebhookOptions().validate()
    }
}
