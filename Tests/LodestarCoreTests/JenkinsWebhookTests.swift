import Foundation
import Testing

@testable import LodestarCore

/// Jenkins builds as the Notification plugin sends them.
struct JenkinsWebhookTests: WebhookTesting {
    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/jenkins/\(name).json"))
    }

    /// The COMPLETED fixture with `change` applied to its JSON.
    static func completed(_ change: (inout [String: Any], inout [String: Any]) -> Void) throws -> Data {
        var payload = try #require(try JSONSerialization.jsonObject(with: try Self.fixture("COMPLETED")) as? [String: Any])
        var build = try #require(payload["build"] as? [String: Any])
        change(&payload, &build)
        payload["build"] = build
        return try JSONSerialization.data(withJSONObject: payload)
    }

    func outcome(_ body: Data, options: WebhookOptions = WebhookOptions()) throws -> WebhookOutcome {
        try JenkinsWebhook.outcome(of: WebhookDelivery(headers: [:], body: body), options: options)
    }

    func deployment(_ body: Data, options: WebhookOptions = WebhookOptions()) throws -> DeploymentEvent {
        try #require(try self.deployments(self.outcome(body, options: options)).first)
    }

    @Test func aCompletedDeployBuildIsADeploymentOfItsCommit() throws {
        let deployment = try self.deployment(Self.fixture("COMPLETED"))
        #expect(deployment.id == "jenkins:deploy-asgard#18")
        #expect(deployment.service == "asgard")
        #expect(deployment.environment == "production")
        #expect(deployment.shas == ["c6d86dc654b12425e706bcf951adfe5a8627a517"])
        #expect(deployment.result == .success)
        #expect(deployment.run == "http://localhost:8080/job/deploy-asgard/18/")
    }

    @Test func aCompletedBuildFinishesAtItsTimestampAndStartedItsDurationBefore() throws {
        let deployment = try self.deployment(Self.fixture("COMPLETED"))
        #expect(deployment.finishedAt == self.date("2026-11-02T10:15:00Z"))
        #expect(deployment.startedAt == self.date("2026-11-02T10:13:25Z"))
    }

    @Test func theFinalizedPhaseIsTheSameDeployment() throws {
        #expect(try self.deployment(Self.fixture("FINALIZED")).id == self.deployment(Self.fixture("COMPLETED")).id)
    }

    @Test func theStartedPhaseIsIgnored() throws {
        let outcome = try self.outcome(Self.fixture("STARTED"))
        guard case .ignored(let reason) = outcome else {
            Issue.record("expected ignored, got \(outcome)")
            return
        }
        #expect(reason.contains("STARTED"))
    }

    @Test func aJobNotMatchingTheDeployPatternIsIgnored() throws {
        let body = try Self.completed { payload, _ in
            payload["name"] = "unit-tests"
            payload["url"] = "job/unit-tests/"
        }
        guard case .ignored(let reason) = try self.outcome(body) else {
            Issue.record("expected ignored")
            return
        }
        #expect(reason.contains("unit-tests"))
    }

    @Test func aJobInAFolderMatchesByItsPathAndIsNamedByIt() throws {
        let body = try Self.completed { payload, _ in
            payload["name"] = "main"
            payload["url"] = "job/deploy/job/checkout/job/main/"
        }
        #expect(try self.deployment(body).id == "jenkins:deploy/checkout/main#18")
    }

    @Test(arguments: [("FAILURE", DeploymentResult.failure), ("UNSTABLE", .failure), ("SUCCESS", .success)])
    func theStatusIsTheResult(_ status: String, _ result: DeploymentResult) throws {
        #expect(try self.deployment(Self.completed { _, build in build["status"] = status }).result == result)
    }

    @Test func anAbortedBuildIsIgnored() throws {
        guard case .ignored = try self.outcome(Self.completed { _, build in build["status"] = "ABORTED" }) else {
            Issue.record("expected ignored")
            return
        }
    }

    @Test func withoutAnEnvironmentParameterTheJobNameStatesTheEnvironment() throws {
        let body = try Self.completed { payload, build in
            payload["name"] = "deploy-staging"
            payload["url"] = "job/deploy-staging/"
            build["parameters"] = ["BRANCH": "main"]
        }
        #expect(try self.deployment(body).environment == "staging")
    }

    @Test func aDeployEnvParameterNamesTheEnvironment() throws {
        #expect(try self.deployment(Self.completed { _, build in build["parameters"] = ["DEPLOY_ENV": "prd-eu"] }).environment == "prd-eu")
    }

    @Test func withoutAnSCMTheJobNameIsTheService() throws {
        let deployment = try self.deployment(Self.completed { _, build in build["scm"] = [String: Any]() })
        #expect(deployment.service == "deploy-asgard")
        #expect(deployment.shas.isEmpty)
    }

    @Test(arguments: ["git@github.com:acme/checkout.git", "https://gitlab.example.com/acme/checkout", "ssh://git@bitbucket.org/acme/checkout.git/"])
    func theRepositoryOfTheSCMURLIsTheService(_ url: String) throws {
        #expect(JenkinsWebhook.repository(scmURL: url) == "checkout")
    }

    @Test func theServiceMapNamesTheLodestarService() throws {
        #expect(try self.deployment(Self.fixture("COMPLETED"), options: WebhookOptions(serviceMap: ["asgard": "deployer"])).service == "deployer")
    }

    @Test func aBuildWithoutAPhaseIsRefusedNamingTheField() throws {
        let body = try Self.completed { _, build in build["phase"] = nil }
        #expect(throws: WebhookError(field: "build.phase", message: "is required")) { try self.outcome(body) }
    }

    @Test func aCompletedBuildWithoutANumberIsRefusedNamingTheField() throws {
        let body = try Self.completed { _, build in build["number"] = nil }
        #expect(throws: WebhookError(field: "build.number", message: "is required")) { try self.outcome(body) }
    }

    @Test func theKindIsThePhase() throws {
        #expect(JenkinsWebhook.kind(of: WebhookDelivery(headers: [:], body: try Self.fixture("STARTED"))) == "started")
    }
}
