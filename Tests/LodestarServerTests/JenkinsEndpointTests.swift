import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarCore
import LodestarServer
import LodestarStore
import Testing

/// `POST /webhooks/jenkins`: the Notification plugin's builds, with basic auth from the endpoint's URL or a bearer
/// token from a pipeline step.
struct JenkinsEndpointTests {
    static func fixture(_ name: String) throws -> String {
        try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/jenkins/\(name).json"),
            encoding: .utf8
        )
    }

    /// What the plugin sends for `https://lodestar:jk-secret@host/webhooks/jenkins`.
    static let basic: HTTPFields = [.authorization: "Basic " + Data("lodestar:jk-secret".utf8).base64EncodedString()]

    static func post(_ client: any TestClientProtocol, _ body: String, headers extra: HTTPFields) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        return try await client.execute(uri: "/webhooks/jenkins", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func deployments(_ app: TestApp) async throws -> [DeploymentEvent] {
        try await PipelineSQLiteRepository(database: app.database).history().deployments
    }

    @Test func storesOneDeploymentForTheCompletedAndFinalizedPhases() async throws {
        let app = try await TestApp()
        let completed = try Self.fixture("COMPLETED")
        let finalized = try Self.fixture("FINALIZED")
        try await app.test { client async throws in
            #expect(try await Self.post(client, completed, headers: Self.basic).status == .accepted)
            #expect(try await Self.post(client, finalized, headers: Self.basic).status == .accepted)
        }
        let deployments = try await Self.deployments(app)
        #expect(deployments.count == 1)
        #expect(deployments.first?.id == "jenkins:deploy-asgard#18")
    }

    @Test func aBearerTokenIsAccepted() async throws {
        let app = try await TestApp()
        let body = try Self.fixture("COMPLETED")
        try await app.test { client async throws in
            #expect(try await Self.post(client, body, headers: [.authorization: "Bearer jk-secret"]).status == .accepted)
        }
        #expect(try await Self.deployments(app).count == 1)
    }

    @Test(arguments: ["", "Bearer wrong", "Basic " + Data("lodestar:wrong".utf8).base64EncodedString(), "Basic not-base64"])
    func aMissingOrWrongSecretIsRefusedAndStoresNothing(_ authorization: String) async throws {
        let app = try await TestApp()
        let body = try Self.fixture("COMPLETED")
        try await app.test { client async throws in
            let response = try await Self.post(client, body, headers: authorization.isEmpty ? [:] : [.authorization: authorization])
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body).contains("Authorization"))
        }
        #expect(try await Self.deployments(app).isEmpty)
    }

    @Test func aRepeatedDeliveryKeepsOneDeployment() async throws {
        let app = try await TestApp()
        let body = try Self.fixture("COMPLETED")
        try await app.test { client async throws in
            #expect(try await Self.post(client, body, headers: Self.basic).status == .accepted)
            #expect(try await Self.post(client, body, headers: Self.basic).status == .accepted)
        }
        #expect(try await Self.deployments(app).count == 1)
    }

    @Test func theStartedPhaseIsAnsweredIgnored() async throws {
        let app = try await TestApp()
        let body = try Self.fixture("STARTED")
        try await app.test { client async throws in
            let response = try await Self.post(client, body, headers: Self.basic)
            #expect(response.status == .accepted)
            #expect(String(buffer: response.body).contains("ignored"))
        }
        #expect(try await Self.deployments(app).isEmpty)
    }

    @Test func anUnsetSecretClosesTheEndpoint() async throws {
        var app = try await TestApp()
        app.arguments.pipelineSettings.sourceSecrets["jenkins"] = nil
        let body = try Self.fixture("COMPLETED")
        try await app.test { client async throws in
            let response = try await Self.post(client, body, headers: Self.basic)
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body).contains("LODESTAR_JENKINS_SECRET"))
        }
    }
}
