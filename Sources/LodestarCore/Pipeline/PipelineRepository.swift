import Foundation

/// Storage of pipeline events and of the service → team map.
public protocol PipelineRepository: Sendable {
    /// Upserts events by their source ids, in one transaction. When `deliveryId` was seen before, stores nothing
    /// and returns false (a redelivered webhook).
    func store(_ events: [PipelineEvent], deliveryId: String?) async throws -> Bool
    /// Marks a stored incident resolved at `date` (DevLake's close call); false when there is no such incident.
    func resolveIncident(id: String, at date: Date) async throws -> Bool
    /// Every stored event, for the metrics (whose definitions look across period edges).
    func history() async throws -> DeliveryHistory
    /// The same history in the columns the metrics compute on; much faster to load than `history()`.
    func deliveryColumns() async throws -> DeliveryColumns
    /// Counts a webhook delivery answered "ignored", by sender and kind, keeping the latest reason.
    func recordIgnored(source: String, kind: String, reason: String) async throws
    /// The ignored deliveries counted so far.
    func ignoredWebhooks() async throws -> [IgnoredWebhooks]
    /// Assigns a service to a team, replacing an earlier assignment.
    func mapTeam(service: String, team: String, actor: String) async throws
    /// The service → team map.
    func teams() async throws -> [String: String]
}

/// Webhook deliveries of one sender and kind that were answered "ignored": nothing in them was stored.
public struct IgnoredWebhooks: Sendable, Equatable, Codable {
    public var source: String
    public var kind: String
    public var count: Int
    public var lastReason: String
    public var lastAt: Date

    public init(source: String, kind: String, count: Int, lastReason: String, lastAt: Date) {
        self.source = source
        self.kind = kind
        self.count = count
        self.lastReason = lastReason
        self.lastAt = lastAt
    }
}
