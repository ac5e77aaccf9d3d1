import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarCore
import LodestarServer
import LodestarStore
import Testing

/// `POST /webhooks/<source>` for the sources of `WebhookSources`, with PagerDuty's signed deliveries.
struct WebhookSourceEndpointTests {
    static func fixture(_ name: String) throws -> String {
        try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/pagerduty/\(name).json"),
            encoding: .utf8
        )
    }

    static func signature(_ body: String, secret: String = "pd-secret") -> String {
        "v1=" + HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8))).hexEncoded
    }

    static let signatureHeader = HTTPField.Name("X-PagerDuty-Signature")!
    static let deliveryHeader = HTTPField.Name("X-Webhook-Id")!

    static func post(_ client: any TestClientProtocol, _ body: String, headers extra: HTTPFields) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        return try await client.execute(uri: "/webhooks/pagerduty", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func incidents(_ app: TestApp) async throws -> [IncidentEvent] {
        try await PipelineSQLiteRepository(database: app.database).history().incidents
    }

    @Test func storesASignedIncidentAndItsResolution() async throws {
        let app = try await TestApp()
        let triggered = try Self.fixture("incident.triggered")
        let resolved = try Self.fixture("incident.resolved")
        try await app.test { client async throws in
            #expect(try await Self.post(client, triggered, headers: [Self.signatureHeader: Self.signature(triggered)]).status == .accepted)
            #expect(try await Self.post(client, resolved, headers: [Self.signatureHeader: Self.signature(resolved)]).status == .accepted)
        }
        let incident = try #require(try await Self.incidents(app).first)
        #expect(try await Self.incidents(app).count == 1)
        #expect(incident.resolvedAt != nil)
    }

    @Test func anyOfSeveralSignaturesIsEnoughWhileASecretRotates() async throws {
        let app = try await TestApp()
        let body = try Self.fixture("incident.triggered")
        let header = Self.signature(body, secret: "the old secret") + "," + Self.signature(body)
        try await app.test { client async throws in
            #expect(try await Self.post(client, body, headers: [Self.signatureHeader: header]).status == .accepted)
        }
        #expect(try await Self.incidents(app).count == 1)
    }

    @Test(arguments: ["", "v1=00", "v1=zz", "v0=abc"])
    func aWrongSignatureIsRefusedAndStoresNothing(_ signature: String) async throws {
        let app = try await TestApp()
        let body = try Self.fixture("incident.triggered")
        try await app.test { client async throws in
            let response = try await Self.post(client, body, headers: signature.isEmpty ? [:] : [Self.signatureHeader: signature])
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body).contains("X-PagerDuty-Signature"))
        }
        #expect(try await Self.incidents(app).isEmpty)
    }

    @Test func aRedeliveryStoresNothing() async throws {
        let app = try await TestApp()
        let body = try Self.fixture("incident.triggered")
        try await app.test { client async throws in
            let headers: HTTPFields = [Self.signatureHeader: Self.signature(body), Self.deliveryHeader: "8a1d3ce4-1000-4c2b-8a53-2a1e0f5b7c1d"]
            #expect(String(buffer: try await Self.post(client, body, headers: headers).body).contains(#""stored":1"#))
            #expect(String(buffer: try await Self.post(client, body, headers: headers).body).contains(#""duplicate":true"#))
        }
    }

    @Test func anEventLodestarDoesNotUseIsAnsweredIgnored() async throws {
        let app = try await TestApp()
        let body = try Self.fixture("incident.priority_updated")
        try await app.test { client async throws in
            let response = try await Self.post(client, body, headers: [Self.signatureHeader: Self.signature(body)])
            #expect(response.status == .accepted)
            #expect(String(buffer: response.body).contains("ignored"))
        }
        #expect(try await Self.incidents(app).isEmpty)
    }

    @Test func anUnsetSecretClosesTheEndpoint() async throws {
        var app = try await TestApp()
        app.arguments.pipelineSettings.sourceSecrets = [:]
        let body = try Self.fixture("incident.triggered")
        try await app.test { client async throws in
            let response = try await Self.post(client, body, headers: [Self.signatureHeader: Self.signature(body)])
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body).contains("LODESTAR_PAGERDUTY_SECRET"))
        }
    }
}
