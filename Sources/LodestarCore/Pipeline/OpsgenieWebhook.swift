import Foundation

/// Opsgenie's outgoing webhook integration, which reports alert actions. An alert's `Create` opens one incident per
/// Opsgenie alert id at the alert's `createdAt`; its `Close` resolves it at the alert's `updatedAt` (Opsgenie sends
/// that in nanoseconds). Other actions (Acknowledge, AddNote…) are ignored. Only alerts carrying one of
/// `LODESTAR_OPSGENIE_TAGS` count when it is set; Opsgenie's own alert filter on the integration narrows by priority.
/// The service is the alert's `service:<name>` tag, else its entity, else its first team, mappable with
/// `LODESTAR_SERVICE_MAP`. Opsgenie signs nothing: it sends the secret in a header the user names
/// (`X-Lodestar-Token`) or as the password of basic auth. It sends no delivery id either; a repeat is harmless, since
/// incidents are kept by alert id and a repeat stores the same values again.
/// Payload reference: https://support.atlassian.com/opsgenie/docs/opsgenie-edge-connector-alert-action-data/
public enum OpsgenieWebhook: WebhookSource {
    public static let name = "opsgenie"
    public static let title = "Opsgenie"
    public static let authentication = WebhookAuthentication.anyOf([.header("X-Lodestar-Token"), .basicPassword])
    public static let deliveryHeader: String? = nil

    /// The tag that names an alert's service: `service:checkout`.
    static let serviceTagPrefix = "service:"

    public static func kind(of delivery: WebhookDelivery) -> String {
        (try? WebhookDecoding.decode(Payload.self, from: delivery.body))?.action ?? "unknown"
    }

    public static func outcome(of delivery: WebhookDelivery, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let payload = try WebhookDecoding.decode(Payload.self, from: delivery.body)
        let action = try WebhookDecoding.require(payload.action, "action")
        let closes = action.lowercased() == "close"
        guard closes || action.lowercased() == "create" else {
            return .ignored("Opsgenie action \(action) is not used (incidents come from Create and Close)")
        }
        let alert = try WebhookDecoding.require(payload.alert, "alert")
        let id = try WebhookDecoding.require(alert.alertId?.nilIfEmpty, "alert.alertId")
        let tags = alert.tags ?? []
        if !options.opsgenieTags.isEmpty, !tags.contains(where: { options.opsgenieTags.contains($0.lowercased()) }) {
            return .ignored("Opsgenie alert \(id) carries none of the tags of LODESTAR_OPSGENIE_TAGS")
        }
        let openedAt = try WebhookDecoding.require(alert.createdAt, "alert.createdAt").date
        let service = Self.service(tags: tags, entity: alert.entity, teams: alert.teams ?? [])
        let title = alert.message?.trimmingCharacters(in: .whitespaces)
        let incident = IncidentEvent(
            id: "opsgenie:\(id)", service: options.service(named: service), title: title, openedAt: openedAt,
            // A Close without updatedAt is resolved when it arrives.
            resolvedAt: closes ? (alert.updatedAt?.date ?? Date()) : nil,
            rootCauseSHA: try title.flatMap { text throws(WebhookError) in try WebhookDecoding.firstCapture(of: options.rootCausePattern, in: text) }
        )
        return .events([.incident(incident)])
    }

    /// The alert's `service:` tag, else its entity, else its first team, else the default service.
    static func service(tags: [String], entity: String?, teams: [String]) -> String {
        if let tag = tags.first(where: { $0.lowercased().hasPrefix(Self.serviceTagPrefix) }) {
            let name = tag.dropFirst(Self.serviceTagPrefix.count).trimmingCharacters(in: .whitespaces)
            if !name.isEmpty { return name }
        }
        return entity?.trimmingCharacters(in: .whitespaces).nilIfEmpty ?? teams.first?.nilIfEmpty ?? defaultServiceName
    }

    struct Payload: Decodable {
        var action: String?
        var alert: Alert?
    }

    struct Alert: Decodable {
        var alertId: String?
        var message: String?
        var tags: [String]?
        var teams: [String]?
        var entity: String?
        var createdAt: EpochTime?
        var updatedAt: EpochTime?
    }

    /// A time as Opsgenie sends it: epoch milliseconds (`createdAt`) or nanoseconds (`updatedAt`), or ISO 8601 text.
    struct EpochTime: Decodable {
        let date: Date

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) {
                // Nanoseconds from 1973 on are above 1e17, microseconds above 1e14; Timestamp reads seconds and milliseconds.
                let seconds = number > 1e17 ? number / 1e9 : number > 1e14 ? number / 1e6 : number
                guard let date = Timestamp.epoch(seconds) else {
                    throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(number) is not a time")
                }
                self.date = date
            } else {
                self.date = try container.decode(FlexibleDate.self).date
            }
        }
    }
}
