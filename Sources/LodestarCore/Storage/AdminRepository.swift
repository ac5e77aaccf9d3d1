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

    /// Stores the lead's web session under `key` until `expiresAt` (nil: until removed), replacing what the key held;
    /// with `createOnly`, an existing key is an error (`AdminSessionError.exists`). Expired sessions are deleted on
    /// the way, so the table holds only live ones.
    func saveSession(key: String, value: String, expiresAt: Date?, createOnly: Bool) async throws
    /// The session under `key` with its expiry, or nil when there is none or it expired before `now`.
    func session(key: String, now: Date) async throws -> StoredSession?
    /// Ends the session under `key` (signing out); nothing happens when there is none.
    func removeSession(key: String) async throws
}

/// A web session as the database keeps it: the session's JSON and when it expires.
public struct StoredSession: Sendable, Equatable {
    public var value: String
    public var expiresAt: Date?

    public init(value: String, expiresAt: Date?) {
        self.value = value
        self.expiresAt = expiresAt
    }
}

/// A session key created twice: keys are random, so this means a caller bug, never a user's mistake.
public enum AdminSessionError: Error, Equatable, CustomStringConvertible {
    case exists(String)

    public var description: String {
        switch self {
        case .exists: "a session with this key already exists"
        }
    }
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
