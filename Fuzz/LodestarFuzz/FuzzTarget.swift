import Foundation
import LodestarCore

/// A parser family to fuzz, fed through the public entry points the server and the CLI call.
///
/// Errors thrown by the parsers are the expected answer to bad input and are ignored; a crash, a hang or runaway
/// memory is a finding. Every accepted event is also written as a generic record (JSON and CSV), and one property is
/// checked: a generic record Lodestar accepted must be readable again from what it writes. (Webhook events are only
/// written: a webhook may carry a commit id the generic format would refuse, which is not a crash.)
enum FuzzTarget: String, CaseIterable {
    /// GitHub, GitLab, DevLake and every `WebhookSources` source. The input's first line says which:
    /// `github <X-GitHub-Event>`, `gitlab <X-Gitlab-Event>`, `devlake <path>` or a source's name and the headers it
    /// reads as `name=value` words (`pagerduty`, `bitbucket X-Event-Key=repo:push`); the rest is the body.
    case webhooks
    /// `POST /api/v1/events` bodies (array, NDJSON or one object), `lodestar ingest --format ndjson` lines, and the
    /// JSON bodies the responses and epics APIs read with `FlatJSON.parseValue`.
    case ndjson
    /// `lodestar ingest --format csv`: a header line, then one record a line.
    case csv
    /// A survey definition file as `lodestar survey open` and the server read it.
    case surveyYAML = "survey-yaml"

    /// The family named by `LODESTAR_FUZZ_TARGET`; exits with the list of names when it is missing or unknown.
    static func selected() -> FuzzTarget {
        let name = ProcessInfo.processInfo.environment["LODESTAR_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = Self.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("LODESTAR_FUZZ_TARGET must be one of \(names) (got '\(name)')\n".utf8))
            exit(2)
        }
        return target
    }

    func run(_ input: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .webhooks: Self.webhook(input)
        case .ndjson: Self.ndjson(input)
        case .csv: Self.csv(input)
        case .surveyYAML: Self.surveyYAML(input)
        }
    }

    // MARK: - Families

    private static func webhook(_ input: UnsafeBufferPointer<UInt8>) {
        let newline = input.firstIndex(of: UInt8(ascii: "\n")) ?? input.endIndex
        let header = String(decoding: UnsafeBufferPointer(rebasing: input[..<newline]), as: UTF8.self)
        let body = Data(input[min(newline + 1, input.endIndex)...])
        let parts = header.split(separator: " ", maxSplits: 1)
        let sender = parts.first.map(String.init) ?? ""
        let argument = parts.count > 1 ? String(parts[1]) : ""
        let options = WebhookOptions()
        let outcome = Result { () throws(WebhookError) -> WebhookOutcome in
            switch sender {
            case "github": return try GitHubWebhook.outcome(event: argument, body: body, options: options)
            case "gitlab": return try GitLabWebhook.outcome(event: argument, body: body, options: options)
            case let name where WebhookSources.named(name) != nil:
                let source = WebhookSources.named(name)!
                let headers = argument.split(separator: " ").compactMap { word -> (String, String)? in
                    let parts = word.split(separator: "=", maxSplits: 1)
                    return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
                }
                let delivery = WebhookDelivery(headers: Dictionary(headers, uniquingKeysWith: { _, last in last }), body: body)
                _ = source.deliveryId(of: delivery)
                _ = source.kind(of: delivery)
                return try source.outcome(of: delivery, options: options)
            default:
                _ = try? DevLakeWebhook.closedIncidentID(path: argument, body: body)
                return try DevLakeWebhook.outcome(path: argument, body: body, options: options)
            }
        }
        if case .success(.events(let events)) = outcome { self.write(events, readBack: false) }
    }

    private static func ndjson(_ input: UnsafeBufferPointer<UInt8>) {
        // The events API reads the whole body.
        if let records = try? FlatJSON.parseRecords(Array(input)) {
            self.write(records.compactMap { try? GenericRecord.event(from: $0) }, readBack: true)
        }
        // `lodestar ingest` reads one object a line.
        for line in input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            if let record = try? FlatJSON.parseObject(UnsafeBufferPointer(rebasing: line)), let event = try? GenericRecord.event(from: record) {
                self.write([event], readBack: true)
            }
        }
        // The responses and epics APIs read any JSON document.
        _ = try? FlatJSON.parseValue(String(decoding: input, as: UTF8.self))
    }

    /// As `lodestar ingest --format csv` reads a file: the first line names the columns, empty cells are absent fields.
    private static func csv(_ input: UnsafeBufferPointer<UInt8>) {
        var header: [String]?
        for line in input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            guard let text = String(validating: UnsafeBufferPointer(rebasing: line), as: UTF8.self) else { continue }
            guard let fields = try? CSVLine.fields(Substring(text)) else { continue }
            guard let names = header else {
                header = fields.map { $0.trimmingCharacters(in: .whitespaces) }
                continue
            }
            guard fields.count == names.count else { continue }
            var record: [String: FlatValue] = [:]
            for (name, value) in zip(names, fields) where !value.isEmpty { record[name] = .string(value) }
            if let event = try? GenericRecord.event(from: record) { self.write([event], readBack: true) }
        }
    }

    /// As `SurveyDefinition.load(contentsOf:)` reads a file; an accepted definition must survive the JSON a round stores.
    private static func surveyYAML(_ input: UnsafeBufferPointer<UInt8>) {
        guard let text = String(validating: input, as: UTF8.self) else { return }
        guard let definition = try? SurveyDefinition.parse(yaml: text, file: "fuzz.yaml") else { return }
        do {
            let stored = try JSONDecoder().decode(SurveyDefinition.self, from: try JSONEncoder().encode(definition))
            guard stored == definition else { fatalError("a survey definition changed through JSON: \(definition) became \(stored)") }
        } catch {
            fatalError("an accepted survey definition does not survive JSON: \(error)")
        }
    }

    // MARK: - Properties

    /// Writes accepted events as generic records (JSON and CSV); with `readBack`, each must be readable again.
    private static func write(_ events: [PipelineEvent], readBack: Bool) {
        for event in events {
            _ = GenericRecord.csvLine(event)
            let line = GenericRecord.jsonLine(event)
            guard readBack else { continue }
            do {
                _ = try GenericRecord.event(from: try FlatJSON.parseObject(line))
            } catch {
                fatalError("an accepted event cannot be read back from its own record \(line): \(error)")
            }
        }
    }
}
