import Foundation

/// Settings that decide how webhook payloads become pipeline events.
public struct WebhookOptions: Sendable, Equatable {
    /// A workflow run or pipeline whose name matches this (case-insensitive regular expression) is a deployment.
    public var deployWorkflowPattern: String
    /// Issues carrying this label (case-insensitive) are incidents.
    public var incidentLabel: String
    /// Finds the cause commit in an incident's text; the first capture group is the sha. Case-insensitive.
    public var rootCausePattern: String
    /// DevLake webhook connection id (or name) → the Lodestar project it stands for; unnamed ones are `devlake-<id>`.
    public var devLakeProjects: [String: String]
    /// A sender's service (by name or id) → the Lodestar service it stands for, for senders whose services are named
    /// apart from the repositories (PagerDuty's "API Service"). `LODESTAR_SERVICE_MAP`.
    public var serviceMap: [String: String]
    /// Opsgenie alerts count as incidents only when they carry one of these tags (any case); empty, every alert
    /// counts. `LODESTAR_OPSGENIE_TAGS`.
    public var opsgenieTags: Set<String>

    public init(
        deployWorkflowPattern: String = "deploy", incidentLabel: String = "incident",
        rootCausePattern: String = #"root[ -]?cause:\s*([0-9a-f]{7,40})"#, devLakeProjects: [String: String] = [:],
        serviceMap: [String: String] = [:], opsgenieTags: Set<String> = []
    ) {
        self.deployWorkflowPattern = deployWorkflowPattern
        self.incidentLabel = incidentLabel
        self.rootCausePattern = rootCausePattern
        self.devLakeProjects = devLakeProjects
        self.serviceMap = serviceMap
        self.opsgenieTags = Set(opsgenieTags.map { $0.lowercased() })
    }

    /// The Lodestar service a sender's service stands for: mapped by its name, else by its id, else its name.
    public func service(named name: String, or id: String? = nil) -> String {
        self.serviceMap[name] ?? id.flatMap { self.serviceMap[$0] } ?? name
    }

    /// The project of a DevLake connection: its mapped name, else `devlake-<connection>`.
    public func devLakeProject(connection: String) -> String {
        self.devLakeProjects[connection] ?? "devlake-\(connection)"
    }

    /// Reads `LODESTAR_DEVLAKE_PROJECTS`: `1=checkout,2=payments`, connection id (or by-name name) = project.
    public static func devLakeProjects(parsing text: String) throws(FieldError) -> [String: String] {
        try Self.pairs(text, setting: "LODESTAR_DEVLAKE_PROJECTS", shape: "connection=project (as in 1=checkout,2=payments)")
    }

    /// Reads `LODESTAR_SERVICE_MAP`: `API Service=api,PF9KMXH=payments`, a sender's service name or id = service.
    public static func serviceMap(parsing text: String) throws(FieldError) -> [String: String] {
        try Self.pairs(text, setting: "LODESTAR_SERVICE_MAP", shape: "sender's service=service (as in API Service=api,PF9KMXH=payments)")
    }

    /// Reads `LODESTAR_OPSGENIE_TAGS`: `production,sev1`, comma-separated tags, blanks dropped.
    public static func tags(parsing text: String) -> Set<String> {
        Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
    }

    /// Comma-separated `key=value` pairs; an entry of another shape is an error naming the setting.
    static func pairs(_ text: String, setting: String, shape: String) throws(FieldError) -> [String: String] {
        var pairs: [String: String] = [:]
        for entry in text.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw FieldError(field: setting, message: "'\(entry)' is not \(shape)")
            }
            pairs[parts[0]] = parts[1]
        }
        return pairs
    }
}

extension WebhookOptions {
    /// Checks that both patterns are regular expressions, so a typo stops the server at start instead of failing
    /// every delivery. The error names the setting.
    public func validate() throws(WebhookError) {
        for (name, pattern) in [("LODESTAR_DEPLOY_WORKFLOW", self.deployWorkflowPattern), ("LODESTAR_ROOT_CAUSE_PATTERN", self.rootCausePattern)] {
            guard (try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])) != nil else {
                throw WebhookError(field: name, message: "'\(pattern)' is not a regular expression")
            }
        }
    }
}

/// What a webhook delivery amounts to.
public enum WebhookOutcome: Sendable, Equatable {
    /// Events to store (upserted by their source ids, so a redelivery changes nothing).
    case events([PipelineEvent])
    /// Nothing to store, with the reason (an event type Lodestar does not use, a run still in progress…).
    case ignored(String)
}

/// A webhook payload that cannot be read. Answered with 400.
public typealias WebhookError = FieldError

/// Input that cannot be used — a webhook payload, a generic record, a query option: the field at fault and why.
public struct FieldError: Error, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { self.field.isEmpty ? self.message : "\(self.field): \(self.message)" }
}
