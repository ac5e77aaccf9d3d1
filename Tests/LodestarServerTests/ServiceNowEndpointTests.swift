import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarCore
import LodestarServer
import LodestarStore
import Testing

/// `POST /webhooks/servicenow`: incident records pushed by a business rule, with a bearer token.
struct ServiceNowEndpointTests {
    static func fixture(_ name: String) throws -> String {
        try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/servicenow/\(name).json"),
            encoding: .utf8
        )
    }

    static let bearer: HTTPFields = [.authorization: "Bearer sn-secret"]

    static func post(_ client: any TestClientProtocol, _ body: String, headers extra: HTTPFields) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        return try await client.execute(uri: "/webhooks/servicenow", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func incidents(_ app: TestApp) async throws -> [IncidentEvent] {
        try await PipelineSQLiteRepository(database: app.database).history().incidents
    }

    @Test func storesAnIncidentAndItsResolution() async throws {
        let app = try await TestApp()
        let opened = try Self.fixture("opened")
        let resolved = try Self.fixture("resolved")
        try await app.test { client async throws in
            #expect(try await Self.post(client, opened, headers: Self.bearer).status == .accepted)
            #expect(try await Self.post(client, resolved, headers: Self.bearer).status == .accepted)
        }
        let incidents = try await Self.incidents(app)
        #expect(incidents.count == 1)
        #expect(incidents.first?.resolvedAt != nil)
    }

    @Test(arguments: ["", "Bearer wrong", "Basic c2VydmljZW5vdzpzbi1zZWNyZXQ="])
    func aMissingOrWrongTokenIsRefusedAndStoresNothing(_ authorization: String) async throws {
        let app = try await TestApp()
        let body = try Self.fixture("opened")
        try await app.test { client async throws in
            let response = try await Self.post(client, body, headers: authorization.isEmpty ? [:] : [.authorization: authorization])
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body).contains("Authorization"))
        }
        #expect(try await Self.incidents(app).isEmpty)
    }

    @Test func aRepeatedPushKeepsOneIncident() async throws {
        let app = try await TestApp()
        let body = try Self.fixture("opened")
        try await app.test { client async throws in
            #expect(try await Self.post(client, body, headers: Self.bearer).status == .accepted)
            #expect(try await Self.post(client, body, headers: Self.bearer).status == .accepted)
        }
        #expect(try await Self.incidents(app).count == 1)
    }

    @Test func aCanceledIncidentIsAnsweredIgnored() async throws {
        let app = try await TestApp()
        let body = try Self.fixture("canceled")
        try await app.test { client async throws in
            let response = try await Self.post(client, body, headers: Self.bearer)
            #expect(response.status == .accepted)
            #expect(String(buffer: response.body).contains("ignored"))
        }
        #expect(try await Self.incidents(app).isEmpty)
    }

    @Test func aRecordWithoutANumberIsRefusedNamingTheField() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await Self.post(client, #"{"opened_at":"2026-11-02 10:15:00"}"#, headers: Self.bearer)
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains(#""field":"number""#))
        }
    }

    @Test func anUnsetSecretClosesTheEndpoint() async throws {
        var app = try await TestApp()
        app.arguments.pipelineSettings.sourceSecrets["servicenow"] = nil
        let body = try Self.fixture("opened")
        try await app.test { client async throws in
            let response = try await Self.post(client, body, headers: Self.bearer)
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body).contains("LODESTAR_SERVICENOW_SECRET"))
        }
    }
}
