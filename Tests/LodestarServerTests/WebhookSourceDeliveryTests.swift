import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarCore
import LodestarServer
import LodestarStore
import Testing

/// `POST /webhooks/<source>` for CircleCI, Bitbucket Cloud, Argo CD and Tekton: each as its tool sends it, with the
/// tool's own proof (a signature, a bearer token, a token in the URL), from the fixtures of each source.
struct WebhookSourceDeliveryTests {
    /// One source's way of sending: its stored and ignored deliveries, and how it proves itself.
    struct Sender: Sendable, CustomTestStringConvertible {
        var name: String
        var secret: String
        var stored: String
        var ignored: String
        /// Headers of the stored delivery (its event, its delivery id) and of the ignored one.
        var storedHeaders: [String: String]
        var ignoredHeaders: [String: String]

        var testDescription: String { self.name }

        static let all = [
            Sender(
                name: "circleci", secret: "cci-secret", stored: "workflow-completed", ignored: "job-completed",
                storedHeaders: ["circleci-event-type": "workflow-completed"], ignoredHeaders: ["circleci-event-type": "job-completed"]
            ),
            Sender(
                name: "bitbucket", secret: "bb-secret", stored: "repo-push", ignored: "pullrequest-fulfilled",
                storedHeaders: ["X-Event-Key": "repo:push", "X-Request-UUID": "d1f0b8a4-3c2e-4f5a-9b7c-6e5d4c3b2a10"],
                ignoredHeaders: ["X-Event-Key": "pullrequest:created"]
            ),
            Sender(name: "argocd", secret: "argo-token", stored: "sync-succeeded", ignored: "sync-running", storedHeaders: [:], ignoredHeaders: [:]),
            Sender(
                name: "tekton", secret: "tekton-token", stored: "pipelinerun-successful", ignored: "pipelinerun-successful",
                storedHeaders: ["Ce-Type": "dev.tekton.event.pipelinerun.successful.v1", "Ce-Id": "7a1c5e0e-5b2b-4a8e-9a55-0d6c1f2e3b4a"],
                ignoredHeaders: ["Ce-Type": "dev.tekton.event.pipelinerun.started.v1", "Ce-Id": "8b2d6f1f-6c3c-4b9f-8b66-1e7d2a3f4c5b"]
            ),
        ]

        func fixture(_ name: String) throws -> String {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../Fixtures/webhooks/\(self.name)/\(name).json")
            return try String(contentsOf: url, encoding: .utf8)
        }

        /// The route and headers that prove `body` came from the tool, keyed with `secret`.
        func proof(for body: String, secret: String) -> (uri: String, headers: [String: String]) {
            let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8))).hexEncoded
            switch self.name {
            case "circleci": return ("/webhooks/circleci", ["circleci-signature": "v1=\(mac)"])
            case "bitbucket": return ("/webhooks/bitbucket", ["X-Hub-Signature": "sha256=\(mac)"])
            case "argocd": return ("/webhooks/argocd", ["Authorization": "Bearer \(secret)"])
            default: return ("/webhooks/tekton/\(secret)", [:])
            }
        }

        /// The header or path segment a refused delivery is told it lacked.
        var proofName: String {
            switch self.name {
            case "circleci": "circleci-signature"
            case "bitbucket": "X-Hub-Signature"
            case "argocd": "Authorization"
            default: "token"
            }
        }
    }

    static func post(_ client: any TestClientProtocol, _ uri: String, _ body: String, headers: [String: String]) async throws -> TestResponse {
        var fields: HTTPFields = [.contentType: "application/json"]
        for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return try await client.execute(uri: uri, method: .post, headers: fields, body: ByteBuffer(string: body))
    }

    /// Sends `fixture` as the tool would, keyed with `secret` (the configured one unless told).
    static func send(_ client: any TestClientProtocol, _ sender: Sender, _ fixture: String, headers: [String: String], secret: String? = nil) async throws -> TestResponse {
        let body = try sender.fixture(fixture)
        let proof = sender.proof(for: body, secret: secret ?? sender.secret)
        return try await Self.post(client, proof.uri, body, headers: headers.merging(proof.headers) { first, _ in first })
    }

    static func storedCount(_ app: TestApp) async throws -> Int {
        let history = try await PipelineSQLiteRepository(database: app.database).history()
        return history.changes.count + history.deployments.count + history.incidents.count
    }

    @Test(arguments: Sender.all)
    func storesADeliveryProvedAsTheToolProvesIt(_ sender: Sender) async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await Self.send(client, sender, sender.stored, headers: sender.storedHeaders)
            #expect(response.status == .accepted)
            #expect(String(buffer: response.body).contains(#""stored":"#))
        }
        #expect(try await Self.storedCount(app) > 0)
    }

    @Test(arguments: Sender.all)
    func aWrongSecretIsRefusedAndStoresNothing(_ sender: Sender) async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await Self.send(client, sender, sender.stored, headers: sender.storedHeaders, secret: "not the secret")
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body).contains(sender.proofName))
        }
        #expect(try await Self.storedCount(app) == 0)
    }

    /// Tekton's token is the route itself: without it there is no route to send to.
    @Test(arguments: Sender.all.filter { $0.name != "tekton" })
    func aDeliveryWithoutProofIsRefusedAndStoresNothing(_ sender: Sender) async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await Self.post(client, "/webhooks/\(sender.name)", try sender.fixture(sender.stored), headers: sender.storedHeaders)
            #expect(response.status == .unauthorized)
        }
        #expect(try await Self.storedCount(app) == 0)
    }

    @Test(arguments: Sender.all)
    func anUnsetSecretClosesTheEndpointNamingTheSetting(_ sender: Sender) async throws {
        var app = try await TestApp()
        app.arguments.pipelineSettings.sourceSecrets[sender.name] = nil
        try await app.test { client async throws in
            let response = try await Self.send(client, sender, sender.stored, headers: sender.storedHeaders)
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body).contains("LODESTAR_\(sender.name.uppercased())_SECRET"))
        }
        #expect(try await Self.storedCount(app) == 0)
    }

    @Test(arguments: Sender.all)
    func aRepeatedDeliveryStoresNothing(_ sender: Sender) async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            _ = try await Self.send(client, sender, sender.stored, headers: sender.storedHeaders)
            let repeated = try await Self.send(client, sender, sender.stored, headers: sender.storedHeaders)
            #expect(repeated.status == .accepted)
            #expect(String(buffer: repeated.body).contains(#""duplicate":true"#))
            #expect(String(buffer: repeated.body).contains(#""stored":0"#))
        }
    }

    @Test(arguments: Sender.all)
    func anEventLodestarDoesNotUseIsAnsweredIgnored(_ sender: Sender) async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await Self.send(client, sender, sender.ignored, headers: sender.ignoredHeaders)
            #expect(response.status == .accepted)
            #expect(String(buffer: response.body).contains(#""ignored":"#))
        }
        #expect(try await Self.storedCount(app) == 0)
    }

    @Test func settingsReadEachSourcesSecretFromItsSetting() throws {
        let settings = try PipelineSettings(environment: ["LODESTAR_CIRCLECI_SECRET": "c", "LODESTAR_TEKTON_SECRET": "t", "LODESTAR_ARGOCD_SECRET": ""])
        #expect(settings.sourceSecrets == ["circleci": "c", "tekton": "t"])
    }
}
