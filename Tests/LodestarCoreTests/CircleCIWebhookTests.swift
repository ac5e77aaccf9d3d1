import Foundation
import Testing

@testable import LodestarCore

/// CircleCI's workflow-completed and job-completed webhooks, from the sample payloads of CircleCI's documentation.
struct CircleCIWebhookTests {
    static func delivery(_ name: String, type: String? = nil) throws -> WebhookDelivery {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/circleci/\(name).json")
        return WebhookDelivery(headers: type.map { ["circleci-event-type": $0] } ?? [:], body: try Data(contentsOf: url))
    }

    static func deployment(_ name: String, options: WebhookOptions = WebhookOptions()) throws -> DeploymentEvent? {
        guard case .events(let events) = try CircleCIWebhook.outcome(of: try Self.delivery(name), options: options),
            case .deployment(let deployment)? = events.first
        else { return nil }
        return deployment
    }

    static func ignoredReason(_ delivery: WebhookDelivery, options: WebhookOptions = WebhookOptions()) throws -> String? {
        guard case .ignored(let reason) = try CircleCIWebhook.outcome(of: delivery, options: options) else { return nil }
        return reason
    }

    @Test func aCompletedDeployWorkflowIsADeploymentOfItsRevision() throws {
        let deployment = try #require(try Self.deployment("workflow-completed"))
        #expect(deployment.id == "circleci-workflow-fda08377-fe7e-46b1-8992-3a7aaecac9c3")
        #expect(deployment.shas == ["1dc6aa69429bff4806ad6afe58d3d8f57e25973e"])
        #expect(deployment.service == "webhook-service")
        #expect(deployment.environment == "production")
        #expect(deployment.result == .success)
        #expect(deployment.startedAt == Timestamp.parse("2021-09-01T22:49:03.616Z"))
        #expect(deployment.finishedAt == Timestamp.parse("2021-09-01T22:49:34.170Z"))
        #expect(deployment.wholeRun)
    }

    @Test func theServiceMapNamesTheLodestarServiceByProjectNameOrSlug() throws {
        #expect(try Self.deployment("workflow-completed", options: WebhookOptions(serviceMap: ["webhook-service": "hooks"]))?.service == "hooks")
        let bySlug = WebhookOptions(serviceMap: ["github/circleci/webhook-service": "hooks"])
        #expect(try Self.deployment("workflow-completed", options: bySlug)?.service == "hooks")
    }

    @Test func aGitLabProjectsRevisionIsItsCheckoutSha() throws {
        let deployment = try #require(try Self.deployment("workflow-completed.gitlab", options: WebhookOptions(deployWorkflowPattern: "build")))
        #expect(deployment.shas == ["850a1519f25d14e968649cc420d1bd381715c05c"])
        #expect(deployment.result == .failure)
    }

    @Test func aDeployJobIsADeploymentThatStandsInForItsWorkflow() throws {
        let deployment = try #require(try Self.deployment("job-completed.deploy"))
        #expect(deployment.id == "circleci-job-0c6e7a52-8d0b-4b57-9c1a-2f3e4d5c6b7a")
        #expect(deployment.environment == "staging")
        #expect(deployment.result == .failure)
        #expect(deployment.run == "circleci-workflow-fda08377-fe7e-46b1-8992-3a7aaecac9c3")
        #expect(!deployment.wholeRun)
    }

    @Test func aWorkflowNotMatchingTheDeployPatternIsIgnoredSayingSo() throws {
        #expect(try Self.ignoredReason(try Self.delivery("workflow-completed.gitlab"))?.contains("does not match the deploy pattern") == true)
    }

    @Test func aJobNotMatchingTheDeployPatternIsIgnored() throws {
        #expect(try Self.ignoredReason(try Self.delivery("job-completed"))?.contains("job test") == true)
    }

    @Test func aCanceledWorkflowDeployedNothing() throws {
        #expect(try Self.ignoredReason(try Self.delivery("workflow-completed.canceled"))?.contains("canceled") == true)
    }

    @Test func theTypeInTheHeaderIsReadWhenTheBodyHasNone() throws {
        let body = Data(#"{"id":"e1","workflow":{"id":"w1","name":"deploy","status":"success","stopped_at":"2026-11-02T10:00:00Z"},"#.utf8)
            + Data(#""project":{"name":"api"},"pipeline":{"vcs":{"revision":"abcdef1234567"}}}"#.utf8)
        let outcome = try CircleCIWebhook.outcome(of: WebhookDelivery(headers: ["circleci-event-type": "workflow-completed"], body: body), options: WebhookOptions())
        guard case .events(let events) = outcome else {
            Issue.record("expected a deployment, got \(outcome)")
            return
        }
        #expect(events.count == 1)
    }

    @Test func otherEventTypesAreIgnored() throws {
        let delivery = WebhookDelivery(headers: [:], body: Data(#"{"id":"e1","type":"ping"}"#.utf8))
        #expect(try Self.ignoredReason(delivery)?.contains("ping") == true)
    }

    @Test func aDeployWorkflowWithoutARevisionIsRefusedNamingTheField() {
        let body = Data(#"{"id":"e1","type":"workflow-completed","workflow":{"id":"w1","name":"deploy","status":"success","stopped_at":"2026-11-02T10:00:00Z"},"project":{"name":"api"},"pipeline":{}}"#.utf8)
        #expect(throws: WebhookError(field: "pipeline.vcs.revision", message: "is required")) {
            try CircleCIWebhook.outcome(of: WebhookDelivery(headers: [:], body: body), options: WebhookOptions())
        }
    }

    @Test func theBodysIdNamesTheDelivery() throws {
        #expect(CircleCIWebhook.deliveryId(of: try Self.delivery("workflow-completed")) == "circleci:3888f21b-eaa7-38e3-8f3d-75a63bba8895")
    }
}
