import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarCore
import LodestarServer
import LodestarStore
import Testing

/// `POST /webhooks/opsgenie`: Opsgenie's outgoing webhook, with the secret in a header the user names or as the
/// password of basic auth.
struct OpsgenieEndpointTests {
    static func fixture(_ name: String) throws -> String {
        try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/opsgenie/\(name).json"),
            encoding: .utf8
        )
    }

    static let tokenHeader = HTTPField.Name("X-Lodestar-Token")!
    static let token: HTTPFields = [Self.tokenHeader: "og-secret"]

    static func basic(_ password: String) -> HTTPFields {
        [.authorization: "Basic " + Data("opsgenie:\(password)".utf8).base64EncodedString()]
    }

    static func post(_ client: any TestClientProtocol, _ body: String, headers extra: HTTPFields) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        return try await client.execute(uri: "/webhooks/opsgenie", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func incidents(_ app: TestApp) async throws -> [IncidentEvent] {
        try await PipelineSQLiteRepository(database: app.database).history().incidents
    }

    @Test func storesACreatedAlertAndItsClose() async throws {
        let app = try await TestApp()
        let create = try Self.fixture("Create")
        let close = try Self.fixture("Close")
        try await app.test { client async throws in
            #expect(try await Self.post(client, create, headers: Self.token).status == .accepted)
            #expect(try await Self.post(client, close, headers: Self.token).status == .accepted)
        }
        let incidents = try await Self.incidents(app)
        #expect(incidents.count == 1)
        #expect(incidents.first?.resolvedAt != nil)
    }

    @Test func basicAuthWithTheSecretAsPasswordIsAccepted() async throws {
        let app = try await TestApp()
        let body = try Self.fixture("Create")
        try await app.test { client async throws in
            #expect(try await Self.post(client, body, headers: Self.basic("og-secret")).status == .accepted)
        }
        #expect(try await Self.incidents(app).count == 1)
    }

    @Test(arguments: [HTTPFields(), [HTTPField.Name("X-Lodestar-Token")!: "wrong"], Self.basic("wrong"), [.authorization: "Bearer og-secret"]])
    func aMissingOrWrongSecretIsRefusedAndStoresNothing(_ headers: HTTPFields) async throws {
        let app = try await TestApp()
        let body = try Self.fixture("Create")
        try await app.test { client async throws in
            let response = try await Self.post(client, body, headers: headers)
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body).contains("X-Lodestar-Token"))
        }
        #expect(try await Self.incidents(app).isEmpty)
    }

    @Test func aRepeatedDeliveryKeepsOneIncident() async throws {
        let app = try await TestApp()
        let body = try Self.fixture("Create")
        try await app.test { client async throws in
            #expect(try await Self.post(client, body, headers: Self.token).status == .accepted)
            #expect(try await Self.post(client, body, headers: Self.token).status == .accepted)
        }
        #expect(try await Self.incidents(app).count == 1)
    }

    @Test func anActionLodestarDoesNotUseIsAnsweredIgnored() async throws {
        let app = try await TestApp()
        let body = try Self.fixture("Acknowledge")
        try await app.test { client async throws in
            let response = try await Self.post(client, body, headers: Self.token)
            #expect(response.status == .accepted)
            #expect(String(buffer: response.body).contains("ignored"))
        }
        #expect(try await Self.incidents(app).isEmpty)
    }

    @Test func anUnsetSecretClosesTheEndpoint() async throws {
        var app = try await TestApp()
        app.arguments.pipelineSettings.sourceSecrets["opsgenie"] = nil
        let body = try Self.fixture("Create")
        try await app.test { client async throws in
            let response = try await Self.post(client, body, headers: Self.token)
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body).contains("LODESTAR_OPSGENIE_SECRET"))
        }
    }

    @Test func theSecretAndTheTagFilterAreReadFromTheEnvironment() throws {
        let settings = try PipelineSettings(environment: ["LODESTAR_OPSGENIE_SECRET": "from-env", "LODESTAR_OPSGENIE_TAGS": "Production, sev1,"])
        #expect(settings.sourceSecrets["opsgenie"] == "from-env")
        #expect(settings.webhooks.opsgenieTags == ["production", "sev1"])
    }
}
