import Foundation

/// Storage of what belongs to the installation rather than to one use case: named settings, the audit log, and how
/// much the database holds.
public protocol AdminRepository: Sendable {
    /// A named setting, created with `make` on first use and kept from then on. Two callers at once (two server
    /// processes on one database) get the same value: the first insert wins.
    func setting(_ key: String, orInsert make: @escaping @Sendable () -> String) async throws -> String
    /// Records an admin action done outside the database, such as publishing a report.
    func recordAudit(actor: String, action: String, detail: String) async throws
    /// The audit log, oldest first.
    func auditLog() async throws -> [AuditEntry]
    /// Survey responses and pipeline events (changes, deployments, incidents) held.
    func counts() async throws -> StoredCounts
    /// Whether any survey round exists, so `demo` can tell a fresh database from one it filled before.
    func hasRounds() async throws -> Bool
}

/// One admin action as the audit log keeps it.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var at: Date
    public var actor: String
    public var action: String
    public var detail: String

    public init(at: Date, actor: String, action: String, detail: String) {
        self.at = at
        self.actor = actor
        self.action = action
        self.detail = detail
    }
}

/// How much a database holds.
public struct StoredCounts: Sendable, Equatable {
    public var responses: Int
    public var events: Int

    public init(responses: Int, events: Int) {
        self.responses = responses
        self.events = events
    }
}

/// Which audit entries to show: by action (`epic.update`, or a prefix such as `epic.`) and by the month they were
/// made in; newest first.
public struct AuditQuery: Sendable, Equatable {
    public var action: String?
    public var month: Month?

    public init(action: String? = nil, month: Month? = nil) {
        self.action = action
        self.month = month
    }

    /// The entries that match, newest first.
    public func filter(_ entries: [AuditEntry]) -> [AuditEntry] {
        entries.filter { entry in
            (self.action.map { entry.action == $0 || ($0.hasSuffix(".") && entry.action.hasPrefix($0)) } ?? true)
                && (self.month.map { Month(containing: entry.at) == $0 } ?? true)
        }.reversed()
    }
}
