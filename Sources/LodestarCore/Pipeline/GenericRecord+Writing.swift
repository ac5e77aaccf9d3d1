import Foundation

extension GenericRecord {
    /// The CSV columns `csvLine` fills: every field of every type, empty where a type has none.
    public static let csvColumns = [
        "type", "id", "service", "sha", "shas", "parent", "environment", "result", "authoredAt", "committedAt", "prMergedAt",
        "startedAt", "finishedAt", "openedAt", "resolvedAt", "title", "rootCause",
    ]

    /// The event as the generic record's fields, times in ISO 8601 UTC.
    public static func fields(of event: PipelineEvent) -> [String: String] {
        var fields: [String: String] = [:]
        func time(_ key: String, _ date: Date?) {
            if let date { fields[key] = Timestamp.iso8601(date) }
        }
        switch event {
        case .change(let change):
            fields["type"] = "change"
            fields["service"] = change.service
            fields["sha"] = change.sha
            fields["parent"] = change.parent
            time("authoredAt", change.authoredAt)
            time("committedAt", change.committedAt)
            time("prMergedAt", change.prMergedAt)
        case .history(let history):
            fields["type"] = "history"
            fields["service"] = history.service
            fields["sha"] = history.head
            fields["shas"] = history.contains.joined(separator: " ")
        case .deployment(let deployment):
            fields["type"] = "deployment"
            fields["id"] = deployment.id
            fields["service"] = deployment.service
            fields["environment"] = deployment.environment
            fields["result"] = deployment.result.rawValue
            fields["sha"] = deployment.shas.first
            if deployment.shas.count > 1 { fields["shas"] = deployment.shas.dropFirst().joined(separator: " ") }
            time("startedAt", deployment.startedAt)
            time("finishedAt", deployment.finishedAt)
        case .incident(let incident):
            fields["type"] = "incident"
            fields["id"] = incident.id
            fields["service"] = incident.service
            fields["title"] = incident.title
            fields["rootCause"] = incident.rootCauseSHA
            time("openedAt", incident.openedAt)
            time("resolvedAt", incident.resolvedAt)
        }
        return fields
    }

    /// One NDJSON line (without the line break), keys in `csvColumns` order.
    public static func jsonLine(_ event: PipelineEvent) -> String {
        let fields = Self.fields(of: event)
        let pairs = Self.csvColumns.compactMap { key -> String? in
            guard let value = fields[key] else { return nil }
            if key == "shas" {
                return "\"shas\":[" + value.split(separator: " ").map { Self.jsonString(String($0)) }.joined(separator: ",") + "]"
            }
            return "\"\(key)\":" + Self.jsonString(value)
        }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    /// One CSV line (without the line break) in `csvColumns` order.
    public static func csvLine(_ event: PipelineEvent) -> String {
        let fields = Self.fields(of: event)
        return Self.csvColumns.map { key in
            let value = fields[key] ?? ""
            guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",")
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
