import Foundation
import Testing

@testable import LodestarCore

/// Tekton's pipelinerun CloudEvents, laid out as Tekton's documentation and event code give them.
struct TektonWebhookTests {
    static func delivery(_ name: String, type: String) throws -> WebhookDelivery {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/tekton/\(name).json")
        return WebhookDelivery(headers: ["Ce-Type": type, "Ce-Id": "e-\(name)"], body: try Data(contentsOf: url))
    }

    static func deployment(_ name: String, type: String, options: WebhookOptions = WebhookOptions()) throws -> DeploymentEvent? {
        guard case .events(let events) = try TektonWebhook.outcome(of: try Self.delivery(name, type: type), options: options),
            case .deployment(let deployment)? = events.first
        else { return nil }
        return deployment
    }

    static let successful = "dev.tekton.event.pipelinerun.successful.v1"
    static let failed = "dev.tekton.event.pipelinerun.failed.v1"

    @Test func aSuccessfulDeployPipelineRunIsADeploymentOfItsGitRevision() throws {
        let deployment = try #require(try Self.deployment("pipelinerun-successful", type: Self.successful))
        #expect(deployment.id == "tekton-pipelinerun-62c3b02e-f12b-416c-9771-c02af518f6d4")
        #expect(deployment.shas == ["0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c"])
        #expect(deployment.result == .success)
        #expect(deployment.environment == "production")
        #expect(deployment.startedAt == Timestamp.parse("2026-11-03T10:02:11Z"))
        #expect(deployment.finishedAt == Timestamp.parse("2026-11-03T10:06:42Z"))
    }

    @Test func theServiceIsTheRepositoryOfTheGitURL() throws {
        #expect(try Self.deployment("pipelinerun-successful", type: Self.successful)?.service == "checkout-api")
    }

    @Test func aFailedRunIsAFailedDeployment() throws {
        #expect(try Self.deployment("pipelinerun-failed", type: Self.failed)?.result == .failure)
    }

    @Test func aBranchNameInGitRevisionGivesWayToTheCommitResult() throws {
        #expect(try Self.deployment("pipelinerun-failed", type: Self.failed)?.shas == ["5c3f9a1e2b7d4c6a8e0f1b2c3d4e5f6a7b8c9d0e"])
    }

    @Test func aPipelineNotMatchingTheDeployPatternIsIgnored() throws {
        let outcome = try TektonWebhook.outcome(of: try Self.delivery("pipelinerun-successful", type: Self.successful), options: WebhookOptions(deployWorkflowPattern: "release"))
        guard case .ignored(let reason) = outcome else {
            Issue.record("expected ignored, got \(outcome)")
            return
        }
        #expect(reason.contains("deploy-to-production"))
    }

    @Test(arguments: ["dev.tekton.event.pipelinerun.started.v1", "dev.tekton.event.pipelinerun.running.v1", "dev.tekton.event.taskrun.successful.v1"])
    func otherEventTypesAreIgnored(_ type: String) throws {
        guard case .ignored(let reason) = try TektonWebhook.outcome(of: try Self.delivery("pipelinerun-successful", type: type), options: WebhookOptions()) else {
            Issue.record("expected ignored")
            return
        }
        #expect(reason.contains(type))
    }

    @Test func aRunWithoutACommitIsRefusedNamingTheField() {
        let body = Data(#"{"pipelineRun":{"metadata":{"name":"deploy-x","uid":"u1"},"status":{"completionTime":"2026-11-03T10:06:42Z"}}}"#.utf8)
        #expect(throws: WebhookError(field: "pipelineRun.spec.params.gitrevision", message: "is required")) {
            try TektonWebhook.outcome(of: WebhookDelivery(headers: ["Ce-Type": Self.successful], body: body), options: WebhookOptions())
        }
    }

    @Test func aBodyWithoutAPipelineRunIsRefusedNamingTheField() {
        #expect(throws: WebhookError(field: "pipelineRun", message: "is required")) {
            try TektonWebhook.outcome(of: WebhookDelivery(headers: ["Ce-Type": Self.successful], body: Data(#"{"taskRun":{}}"#.utf8)), options: WebhookOptions())
        }
    }

    @Test func theCloudEventsIdNamesTheDelivery() throws {
        #expect(TektonWebhook.deliveryId(of: try Self.delivery("pipelinerun-successful", type: Self.successful)) == "tekton:e-pipelinerun-successful")
    }
}
