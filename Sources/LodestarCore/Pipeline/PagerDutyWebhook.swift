import Foundation

/// PagerDuty's v3 webhooks: `incident.triggered`, `.acknowledged`, `.resolved` and `.reopened` keep one incident per
/// PagerDuty incident id. It opens at the incident's `created_at` (the event's `occurred_at` when a payload has
/// none) and is resolved at the `occurred_at` of `incident.resolved`, since the incident itself carries no resolved
/// time; a later `reopened` or `acknowledged` leaves it open again (the latest state wins, as for every sender). The
/// service is PagerDuty's service name, which `LODESTAR_SERVICE_MAP` can map to a Lodestar service. Signed with
/// `X-PagerDuty-Signature: v1=<hex HMAC-SHA256>`; several signatures come during a secret's rotation.
/// Payload reference: https://developer.pagerduty.com/docs/webhooks/v3-overview
public enum PagerDutyWebhook: WebhookSource {
    public static let name = "pagerduty"
    public static let title = "PagerDuty"
    public static let authentication = WebhookAuthentication.hmacSHA256(header: "X-PagerDuty-Signature", prefix: "v1=", several: true)
    public static let deliveryHeader: String? = "X-Webhook-Id"

    static let incidentEvents: Set<String> = ["incident.triggered", "incident.acknowledged", "incident.resolved", "incident.reopened"]

    public static func kind(of delivery: WebhookDelivery) -> String {
        (try? WebhookDecoding.decode(Payload.self, from: delivery.body))?.event.eventType ?? "unknown"
    }

    public static func outcome(of delivery: WebhookDelivery, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let event = try WebhookDecoding.decode(Payload.self, from: delivery.body).event
        guard Self.incidentEvents.contains(event.eventType) else {
            return .ignored("PagerDuty event \(event.eventType) is not used (incidents come from triggered, acknowledged, resolved and reopened)")
        }
        let data = try WebhookDecoding.require(event.data, "event.data")
        let id = try WebhookDecoding.require(data.id?.nilIfEmpty, "event.data.id")
        let occurred = try WebhookDecoding.require(event.occurredAt, "event.occurred_at").date
        let service = data.service?.summary?.nilIfEmpty ?? data.service?.id?.nilIfEmpty ?? defaultServiceName
        let incident = IncidentEvent(
            id: "pagerduty:\(id)", service: options.service(named: service, or: data.service?.id), title: data.title,
            openedAt: data.createdAt?.date ?? occurred, resolvedAt: event.eventType == "incident.resolved" ? occurred : nil,
            rootCauseSHA: try data.title.flatMap { text throws(WebhookError) in try WebhookDecoding.firstCapture(of: options.rootCausePattern, in: text) }
        )
        return .events([.incident(incident)])
    }

    struct Payload: Decodable {
        var event: Event
    }

    struct Event: Decodable {
        var eventType: String
        var occurredAt: FlexibleDate?
        var data: Incident?

        enum CodingKeys: String, CodingKey {
            case eventType = "event_type"
            case occurredAt = "occurred_at"
            case data
        }
    }

    struct Incident: Decodable {
        var id: String?
        var title: String?
        var createdAt: FlexibleDate?
        var service: Reference?

        enum CodingKeys: String, CodingKey {
            case id, title, service
            case createdAt = "created_at"
        }
    }

    struct Reference: Decodable {
        var id: String?
        var summary: String?
    }
}
