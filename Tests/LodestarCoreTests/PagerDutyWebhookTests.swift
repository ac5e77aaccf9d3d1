import Foundation
import Testing

@testable import LodestarCore

/// PagerDuty's v3 incident events, from the payloads of PagerDuty's documentation.
struct PagerDutyWebhookTests {
    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/pagerduty/\(name).json"))
    }

    static func incident(_ name: String, options: WebhookOptions = WebhookOptions()) throws -> IncidentEvent? {
        guard case .events(let events) = try PagerDutyWebhook.outcome(of: WebhookDelivery(headers: [:], body: try Self.fixture(name)), options: options),
            case .incident(let incident)? = events.first
        else { return nil }
        return incident
    }

    @Test func aTriggeredIncidentOpensAtItsCreationUnderItsService() throws {
        let incident = try #require(try Self.incident("incident.triggered"))
        #expect(incident.id == "pagerduty:PGR0VU2")
        #expect(incident.service == "API Service")
        #expect(incident.openedAt == Timestamp.parse("2020-10-02T18:40:00Z"))
        #expect(incident.resolvedAt == nil)
    }

    @Test func aResolvedIncidentIsResolvedWhenTheEventOccurred() throws {
        let incident = try #require(try Self.incident("incident.resolved"))
        #expect(incident.openedAt == Timestamp.parse("2020-10-02T18:40:00Z"))
        #expect(incident.resolvedAt == Timestamp.parse("2020-10-02T19:10:30.000Z"))
    }

    @Test func theServiceMapNamesTheLodestarServiceByNameOrId() throws {
        #expect(try Self.incident("incident.triggered", options: WebhookOptions(serviceMap: ["API Service": "api"]))?.service == "api")
        #expect(try Self.incident("incident.triggered", options: WebhookOptions(serviceMap: ["PF9KMXH": "payments"]))?.service == "payments")
    }

    @Test func otherEventsAreIgnoredSayingWhich() throws {
        let outcome = try PagerDutyWebhook.outcome(of: WebhookDelivery(headers: [:], body: try Self.fixture("incident.priority_updated")), options: WebhookOptions())
        guard case .ignored(let reason) = outcome else {
            Issue.record("expected ignored, got \(outcome)")
            return
        }
        #expect(reason.contains("incident.priority_updated"))
    }

    @Test func anIncidentWithoutAnIdIsRefusedNamingTheField() throws {
        let body = Data(#"{"event":{"event_type":"incident.triggered","occurred_at":"2020-10-02T18:40:00Z","data":{"title":"x"}}}"#.utf8)
        #expect(throws: WebhookError(field: "event.data.id", message: "is required")) {
            try PagerDutyWebhook.outcome(of: WebhookDelivery(headers: [:], body: body), options: WebhookOptions())
        }
    }

    @Test func aBodyThatIsNotJSONIsRefused() {
        #expect(throws: WebhookError.self) {
            try PagerDutyWebhook.outcome(of: WebhookDelivery(headers: [:], body: Data("{".utf8)), options: WebhookOptions())
        }
    }
}
