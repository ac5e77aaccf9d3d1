import Foundation

/// A webhook delivery as the server received it: its headers (names in lower case), its body, and the token of its
/// route when the source authenticates so (`WebhookAuthentication.pathToken`).
public struct WebhookDelivery: Sendable {
    public var headers: [String: String]
    public var body: Data
    public var pathToken: String?

    public init(headers: [String: String], body: Data, pathToken: String? = nil) {
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
        self.pathToken = pathToken
    }

    public func header(_ name: String) -> String? {
        self.headers[name.lowercased()]
    }
}

/// How a sender proves a delivery is its own. Every check compares in constant time.
public indirect enum WebhookAuthentication: Sendable, Equatable {
    /// An HMAC-SHA256 of the body in hex, in `header` after `prefix` (`v1=`); with `several`, the header may carry a
    /// comma-separated list (a secret being rotated) and any match is enough.
    case hmacSHA256(header: String, prefix: String, several: Bool)
    /// `Authorization: Bearer <secret>`.
    case bearer
    /// `Authorization: Basic`, whose password is the secret (the user name is not checked).
    case basicPassword
    /// The secret itself in a header the sender lets its user name.
    case header(String)
    /// The secret as the route's last segment, `POST /webhooks/<name>/<secret>`, for senders that send no credentials.
    case pathToken
    /// Any one of these.
    case anyOf([WebhookAuthentication])

    /// Whether the route carries the secret as its last segment.
    public var usesPathToken: Bool {
        switch self {
        case .pathToken: true
        case .anyOf(let ways): ways.contains { $0.usesPathToken }
        default: false
        }
    }
}

/// One sender of webhooks: everything Lodestar needs to know of it, so that adding a source is this one file in Core,
/// one route (`POST /webhooks/<name>`, registered from `WebhookSources.all`) and one folder of fixtures.
public protocol WebhookSource: Sendable {
    /// The route's last segment, the label in `/metrics`, the prefix of its delivery ids, and the secret's setting
    /// (`LODESTAR_<NAME>_SECRET`).
    static var name: String { get }
    /// What the sender calls itself in messages ("PagerDuty").
    static var title: String { get }
    static var authentication: WebhookAuthentication { get }
    /// The header naming a delivery, the same on a redelivery; nil when the sender sends none.
    static var deliveryHeader: String? { get }
    /// The delivery's id as stored for redelivery checks, `<name>:<sender's id>`, or nil when it has none. By default
    /// the `deliveryHeader`'s value; a sender that names its deliveries in the body (CircleCI's `id`) reads it there.
    static func deliveryId(of delivery: WebhookDelivery) -> String?
    /// The kind of event a delivery is, for counting the ones Lodestar ignores.
    static func kind(of delivery: WebhookDelivery) -> String
    /// What the delivery amounts to; a payload that cannot be read is a `WebhookError` naming the field.
    static func outcome(of delivery: WebhookDelivery, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome
}

extension WebhookSource {
    /// The setting that holds this source's secret.
    public static var secretSetting: String { "LODESTAR_\(Self.name.uppercased())_SECRET" }

    /// The delivery's id as stored for redelivery checks: the source's name and the `deliveryHeader`'s value.
    public static func deliveryId(of delivery: WebhookDelivery) -> String? {
        Self.deliveryId(named: Self.deliveryHeader.flatMap { delivery.header($0) })
    }

    /// `<name>:<id>`, or nil for a missing or empty id.
    public static func deliveryId(named id: String?) -> String? {
        id.flatMap { $0.isEmpty ? nil : "\(Self.name):\($0)" }
    }
}

/// Every source served under `/webhooks/<name>` through `WebhookSource`.
public enum WebhookSources {
    public static let all: [any WebhookSource.Type] = [
        PagerDutyWebhook.self, OpsgenieWebhook.self, ServiceNowWebhook.self, JenkinsWebhook.self, CircleCIWebhook.self, BitbucketWebhook.self,
        ArgoCDWebhook.self, TektonWebhook.self,
    ]

    public static func named(_ name: String) -> (any WebhookSource.Type)? {
        Self.all.first { $0.name == name }
    }
}
