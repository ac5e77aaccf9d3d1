import Foundation
import Testing

@testable import LodestarCore

/// Argo CD Notifications' webhook bodies, as Lodestar's template (docs/argocd-notifications.yaml) writes them.
struct ArgoCDWebhookTests {
    static func delivery(_ name: String) throws -> WebhookDelivery {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/argocd/\(name).json")
        return WebhookDelivery(headers: [:], body: try Data(contentsOf: url))
    }

    static func deployment(_ name: String, options: WebhookOptions = WebhookOptions()) throws -> DeploymentEvent? {
        guard case .events(let events) = try ArgoCDWebhook.outcome(of: try Self.delivery(name), options: options),
            case .deployment(let deployment)? = events.first
        else { return nil }
        return deployment
    }

    static func body(_ fields: String) -> WebhookDelivery {
        WebhookDelivery(headers: [:], body: Data("{\(fields)}".utf8))
    }

    @Test func aSucceededSyncIsADeploymentOfItsRevisionUnderTheAppsName() throws {
        let deployment = try #require(try Self.deployment("sync-succeeded"))
        #expect(deployment.id == "argocd:guestbook@53e28ff20cc530b9ada2173fbbd64d48338583ba@2026-11-03T09:14:09Z")
        #expect(deployment.service == "guestbook")
        #expect(deployment.shas == ["53e28ff20cc530b9ada2173fbbd64d48338583ba"])
        #expect(deployment.result == .success)
        #expect(deployment.startedAt == Timestamp.parse("2026-11-03T09:14:02Z"))
        #expect(deployment.finishedAt == Timestamp.parse("2026-11-03T09:14:09Z"))
    }

    @Test func theEnvironmentComesFromTheDestinationNamespaceWithoutALabel() throws {
        #expect(try Self.deployment("sync-succeeded")?.environment == "prod")
    }

    @Test func theEnvironmentLabelWins() throws {
        #expect(try Self.deployment("sync-failed")?.environment == "staging")
    }

    @Test func aFailedSyncIsAFailedDeployment() throws {
        #expect(try Self.deployment("sync-failed")?.result == .failure)
    }

    @Test func aSyncIntoADegradedAppIsAFailedDeployment() throws {
        let delivery = Self.body(#""app":"api","revision":"abcdef1","phase":"Succeeded","healthStatus":"Degraded","finishedAt":"2026-11-03T09:14:09Z""#)
        guard case .events(let events) = try ArgoCDWebhook.outcome(of: delivery, options: WebhookOptions()), case .deployment(let deployment)? = events.first else {
            Issue.record("expected a deployment")
            return
        }
        #expect(deployment.result == .failure)
    }

    @Test func theServiceMapNamesTheLodestarService() throws {
        #expect(try Self.deployment("sync-succeeded", options: WebhookOptions(serviceMap: ["guestbook": "web"]))?.service == "web")
    }

    @Test func aRunningSyncIsIgnored() throws {
        guard case .ignored(let reason) = try ArgoCDWebhook.outcome(of: try Self.delivery("sync-running"), options: WebhookOptions()) else {
            Issue.record("expected ignored")
            return
        }
        #expect(reason.contains("running"))
    }

    @Test func aFinishedSyncWithoutARevisionIsRefusedNamingTheField() {
        #expect(throws: WebhookError(field: "revision", message: "is required")) {
            try ArgoCDWebhook.outcome(of: Self.body(#""app":"api","phase":"Succeeded","finishedAt":"2026-11-03T09:14:09Z""#), options: WebhookOptions())
        }
    }

    @Test func aFinishTimeThatIsNotATimeIsRefusedNamingTheField() {
        #expect(throws: WebhookError(field: "finishedAt", message: "'soon' is not a time")) {
            try ArgoCDWebhook.outcome(of: Self.body(#""app":"api","revision":"abcdef1","phase":"Failed","finishedAt":"soon""#), options: WebhookOptions())
        }
    }

    @Test func theSyncNamesTheDelivery() throws {
        #expect(ArgoCDWebhook.deliveryId(of: try Self.delivery("sync-succeeded")) == "argocd:guestbook@53e28ff20cc530b9ada2173fbbd64d48338583ba@2026-11-03T09:14:09Z")
    }
}
