import Foundation
import Testing

@testable import LodestarCore

/// Opsgenie's outgoing webhook, from the alert action samples of Opsgenie's documentation.
struct OpsgenieWebhookTests: WebhookTesting {
    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/opsgenie/\(name).json"))
    }

    /// The documented `Create` sample with its `alert` fields replaced by `fields`.
    static func create(_ fields: [String: Any]) throws -> Data {
        var payload = try #require(try JSONSerialization.jsonObject(with: try Self.fixture("Create")) as? [String: Any])
        var alert = try #require(payload["alert"] as? [String: Any])
        alert.merge(fields) { _, new in new }
        payload["alert"] = alert
        return try JSONSerialization.data(withJSONObject: payload)
    }

    func outcome(_ body: Data, options: WebhookOptions = WebhookOptions()) throws -> WebhookOutcome {
        try OpsgenieWebhook.outcome(of: WebhookDelivery(headers: [:], body: body), options: options)
    }

    @Test func aCreatedAlertOpensAnIncidentAtItsCreation() throws {
        let incident = try #require(try self.incidents(self.outcome(Self.fixture("Create"))).first)
        #expect(incident.id == "opsgenie:052652ac-5d1c-464a-812a-7dd18bbfba8c")
        #expect(incident.title == "test alert")
        #expect(incident.openedAt == Date(timeIntervalSince1970: 1_420_452_191.104))
        #expect(incident.resolvedAt == nil)
    }

    @Test func aClosedAlertIsResolvedAtItsUpdateTimeInNanoseconds() throws {
        let incident = try #require(try self.incidents(self.outcome(Self.fixture("Close"))).first)
        #expect(incident.openedAt == Date(timeIntervalSince1970: 1_420_452_191.104))
        let resolved = try #require(incident.resolvedAt)
        #expect(abs(resolved.timeIntervalSince1970 - 1_420_452_224.764) < 0.001)
    }

    @Test func otherActionsAreIgnoredSayingWhich() throws {
        let outcome = try self.outcome(Self.fixture("Acknowledge"))
        guard case .ignored(let reason) = outcome else {
            Issue.record("expected ignored, got \(outcome)")
            return
        }
        #expect(reason.contains("Acknowledge"))
    }

    @Test func withoutAnEntityOrServiceTagTheServiceIsTheFirstTeam() throws {
        #expect(try self.incidents(self.outcome(Self.fixture("Create"))).first?.service == "team1")
    }

    @Test func aServiceTagNamesTheService() throws {
        let body = try Self.create(["tags": ["prod", "service:checkout"], "entity": "web-01"])
        #expect(try self.incidents(self.outcome(body)).first?.service == "checkout")
    }

    @Test func theEntityNamesTheServiceWhenNoTagDoes() throws {
        #expect(try self.incidents(self.outcome(Self.create(["entity": "payments-api"]))).first?.service == "payments-api")
    }

    @Test func theServiceMapNamesTheLodestarService() throws {
        let options = WebhookOptions(serviceMap: ["team1": "payments"])
        #expect(try self.incidents(self.outcome(Self.fixture("Create"), options: options)).first?.service == "payments")
    }

    @Test func withTagsConfiguredAnAlertCarryingOneOfThemCounts() throws {
        let options = WebhookOptions(opsgenieTags: ["TAG2"])
        #expect(try self.incidents(self.outcome(Self.fixture("Create"), options: options)).count == 1)
    }

    @Test func withTagsConfiguredAnAlertCarryingNoneOfThemIsIgnored() throws {
        let outcome = try self.outcome(Self.fixture("Create"), options: WebhookOptions(opsgenieTags: ["production"]))
        guard case .ignored(let reason) = outcome else {
            Issue.record("expected ignored, got \(outcome)")
            return
        }
        #expect(reason.contains("LODESTAR_OPSGENIE_TAGS"))
    }

    @Test func aRootCauseInTheMessageNamesTheCommit() throws {
        let body = try Self.create(["message": "Checkout down, root cause: 4f2a9c1d"])
        #expect(try self.incidents(self.outcome(body)).first?.rootCauseSHA == "4f2a9c1d")
    }

    @Test func anAlertWithoutAnIdIsRefusedNamingTheField() throws {
        let body = Data(#"{"action":"Create","alert":{"message":"x","createdAt":1420452191104}}"#.utf8)
        #expect(throws: WebhookError(field: "alert.alertId", message: "is required")) { try self.outcome(body) }
    }

    @Test func anAlertWithoutItsCreationTimeIsRefusedNamingTheField() throws {
        let body = Data(#"{"action":"Create","alert":{"alertId":"a1"}}"#.utf8)
        #expect(throws: WebhookError(field: "alert.createdAt", message: "is required")) { try self.outcome(body) }
    }

    @Test func aDeliveryWithoutAnActionIsRefusedNamingTheField() throws {
        #expect(throws: WebhookError(field: "action", message: "is required")) { try self.outcome(Data(#"{"alert":{}}"#.utf8)) }
    }

    @Test func theKindIsTheAction() throws {
        #expect(OpsgenieWebhook.kind(of: WebhookDelivery(headers: [:], body: try Self.fixture("Acknowledge"))) == "Acknowledge")
    }
}
