import Foundation

/// A generic pipeline record — from `POST /api/v1/events` or `lodestar ingest` — that cannot be used.
public typealias RecordFieldError = FieldError

/// The generic record format: one object per event, `type` change, history, deployment or incident.
///
/// change: `sha`, `service`, `committedAt`, optional `authoredAt`, `prMergedAt`, `parent`. history: `sha` (a head,
/// such as a push's `after`), `shas` (the commits it contains), `service`.
/// deployment: `id`, `service`, `finishedAt`, `result`, optional `environment` (default production), `sha` or `shas`,
/// `startedAt`. incident: `id`, `service`, `openedAt`, optional `resolvedAt`, `title`, `rootCause`.
/// A missing `service` (or `repository`) falls back to the default service.
public enum GenericRecord {
    public static let fields: [String: Set<String>] = [
        "change": ["type", "sha", "service", "repository", "committedAt", "authoredAt", "prMergedAt", "parent"],
        "history": ["type", "service", "repository", "sha", "shas"],
        "deployment": ["type", "id", "service", "repository", "environment", "sha", "shas", "startedAt", "finishedAt", "result"],
        "incident": ["type", "id", "service", "repository", "title", "openedAt", "resolvedAt", "rootCause"],
    ]

    public static func event(from record: [String: FlatValue]) throws(RecordFieldError) -> PipelineEvent {
        guard case .string(let type)? = record["type"] else {
            throw RecordFieldError(field: "type", message: record["type"] == nil ? "is required (change, history, deployment or incident)" : "must be text")
        }
        guard let allowed = Self.fields[type] else {
            throw RecordFieldError(field: "type", message: "unknown type '\(type)'; use change, history, deployment or incident")
        }
        if record.keys.contains(where: { !allowed.contains($0) }), let unknown = record.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw RecordFieldError(field: unknown, message: "is not a field of a \(type) record")
        }
        let reader = Reader(record: record)
        let named = try reader.text("service")
        let repository = try reader.text("repository")
        let service = named ?? repository ?? defaultServiceName
        switch type {
        case "change":
            return .change(
                ChangeEvent(
                    sha: try reader.sha("sha"), service: service, authoredAt: try reader.date("authoredAt"),
                    committedAt: try reader.requiredDate("committedAt"), prMergedAt: try reader.date("prMergedAt"),
                    parent: try reader.optionalSha("parent")
                )
            )
        case "history":
            let head = try reader.sha("sha")
            let contains = try reader.shas("shas").filter { $0 != head }
            guard !contains.isEmpty else { throw RecordFieldError(field: "shas", message: "is required: the commits \(head) contains") }
            return .history(HistoryEvent(service: service, head: head, contains: contains))
        case "deployment":
            var shas = try reader.shas("shas")
            if let sha = try reader.optionalSha("sha") { shas.insert(sha, at: 0) }
            let resultText = try reader.requiredText("result")
            guard let result = DeploymentResult(parsing: resultText) else {
                throw RecordFieldError(field: "result", message: "'\(resultText)' is not success, failure or rolled_back")
            }
            return .deployment(
                DeploymentEvent(
                    id: try reader.requiredText("id"), service: service, environment: try reader.text("environment") ?? "production",
                    shas: shas, startedAt: try reader.date("startedAt"), finishedAt: try reader.requiredDate("finishedAt"), result: result
                )
            )
        default:
            return .incident(
                IncidentEvent(
                    id: try reader.requiredText("id"), service: service, title: try reader.text("title"),
                    openedAt: try reader.requiredDate("openedAt"), resolvedAt: try reader.date("resolvedAt"),
                    rootCauseSHA: try reader.optionalSha("rootCause")
                )
            )
        }
    }

    /// Typed access to a record's fields, naming the field in every error.
    struct Reader {
        let record: [String: FlatValue]

        func text(_ key: String) throws(RecordFieldError) -> String? {
            switch self.record[key] {
            case .none, .null: return nil
            case .string(let text): return text.isEmpty ? nil : text
            case .number(let number): return FlatValue.text(of: number)
            default: throw RecordFieldError(field: key, message: "must be text")
            }
        }

        func requiredText(_ key: String) throws(RecordFieldError) -> String {
            guard let text = try self.text(key) else { throw RecordFieldError(field: key, message: "is required") }
            return text
        }

        func sha(_ key: String) throws(RecordFieldError) -> String {
            try Self.checked(try self.requiredText(key), field: key)
        }

        func optionalSha(_ key: String) throws(RecordFieldError) -> String? {
            guard let text = try self.text(key) else { return nil }
            return try Self.checked(text, field: key)
        }

        func shas(_ key: String) throws(RecordFieldError) -> [String] {
            var shas: [String] = []
            for text in try self.list(key) { shas.append(try Self.checked(text, field: key)) }
            return shas
        }

        /// A commit sha as every table keeps it: 4 to 64 hex digits, lower-cased.
        static func checked(_ text: String, field: String) throws(RecordFieldError) -> String {
            let sha = text.lowercasedIfNeeded
            let isHex = sha.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
            guard (4...64).contains(sha.utf8.count), isHex else {
                throw RecordFieldError(field: field, message: "'\(sha)' is not a commit sha (4 to 64 hex digits)")
            }
            return sha
        }

        func list(_ key: String) throws(RecordFieldError) -> [String] {
            switch self.record[key] {
            case .none, .null: return []
            case .strings(let items): return items
            // CSV cells carry lists separated by spaces, commas or semicolons.
            case .string(let text): return text.split(whereSeparator: { " ,;".contains($0) }).map(String.init)
            default: throw RecordFieldError(field: key, message: "must be a list of commit shas")
            }
        }

        func date(_ key: String) throws(RecordFieldError) -> Date? {
            switch self.record[key] {
            case .none, .null: return nil
            case .string(let text) where text.isEmpty: return nil
            case .string(let text):
                guard let date = Timestamp.parse(text) else {
                    throw RecordFieldError(field: key, message: "'\(text)' is not a time (ISO 8601 or epoch seconds)")
                }
                return date
            case .number(let number):
                guard let date = Timestamp.epoch(number) else { throw RecordFieldError(field: key, message: "\(number) is not a time") }
                return date
            default: throw RecordFieldError(field: key, message: "must be a time")
            }
        }

        func requiredDate(_ key: String) throws(RecordFieldError) -> Date {
            guard let date = try self.date(key) else { throw RecordFieldError(field: key, message: "is required") }
            return date
        }
    }
}
