import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarCore
import LodestarServer
import LodestarStore
import Testing

struct EpicsAPITests {
    static let admin: HTTPFields = [.authorization: "Bearer admin-token", .contentType: "application/json"]

    /// An app whose November round has answers about CI runners and flaky tests, and epics generated from them.
    static func appWithEpics() async throws -> (TestApp, Int64) {
        let app = try await TestApp()
        for index in 0..<6 {
            _ = try await app.service.submit(
                Submission(
                    team: "payments",
                    answers: ["best": "templates", "worst": "flaky tests fail at random (\(index))", "change": "more CI runners, jobs queue (\(index))"],
                    ratings: ["satisfaction": .number(2)]
                )
            )
        }
        _ = try await EpicService(database: app.database)
            .generate(month: TestApp.month, top: 5, delivery: DeliverySignals(), force: false, actor: "test")
        let epics = try await EpicService(database: app.database).list(month: TestApp.month, policy: try AnonymityPolicy(k: 3)).epics
        return (app, try #require(epics.first?.id))
    }

    static func patch(_ client: some TestClientProtocol, id: Int64, _ body: String, headers: HTTPFields = admin) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/epics/\(id)", method: .patch, headers: headers, body: ByteBuffer(string: body))
    }

    static func field(_ response: TestResponse) -> String? {
        String(buffer: response.body).firstMatch(of: /"field":"([^"]*)"/).map { String($0.1) }
    }

    @Test func listsTheLatestMonthsEpicsAsJSON() async throws {
        let (app, id) = try await Self.appWithEpics()
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/api/v1/epics", method: .get)
            #expect(response.status == .ok)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let listed = try decoder.decode(MonthEpics.self, from: Data(buffer: response.body))
            #expect(listed.month == TestApp.month && listed.epics.first?.id == id)
            #expect(listed.epics.first?.breakdown.reasons.isEmpty == false)
        }
    }

    @Test func showsTheLeadsNoteOnlyWithTheAdminToken() async throws {
        let (app, id) = try await Self.appWithEpics()
        try await app.test { client async throws in
            #expect(try await Self.patch(client, id: id, #"{"note": "promised to payments on the 12th"}"#).status == .ok)
            let anyone = try await client.execute(uri: "/api/v1/epics", method: .get)
            #expect(anyone.status == .ok && !String(buffer: anyone.body).contains("promised to payments"))
            let guess = try await client.execute(uri: "/api/v1/epics", method: .get, headers: [.authorization: "Bearer guess"])
            #expect(guess.status == .ok && !String(buffer: guess.body).contains("promised to payments"))
            let lead = try await client.execute(uri: "/api/v1/epics", method: .get, headers: Self.admin)
            #expect(String(buffer: lead.body).contains("promised to payments on the 12th"))
        }
    }

    @Test func answers404BeforeAnyEpicAnd400ForABadMonth() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            #expect(try await client.execute(uri: "/api/v1/epics", method: .get).status == .notFound)
            let bad = try await client.execute(uri: "/api/v1/epics?month=2026-13", method: .get)
            #expect(bad.status == .badRequest && Self.field(bad) == "month")
        }
    }

    @Test func changesAnEpicWithTheAdminTokenAndRecordsIt() async throws {
        let (app, id) = try await Self.appWithEpics()
        try await app.test { client async throws in
            let response = try await Self.patch(client, id: id, #"{"status": "in-progress", "owner": "ana"}"#)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains(#""status":"in-progress""#))
        }
        let audit = try #require(try await app.database.auditLog().last)
        #expect(audit.action == "epic.update" && audit.actor == "api:admin")
    }

    @Test(arguments: [(nil, HTTPResponse.Status.unauthorized), ("admin-token", .unauthorized), ("Bearer guess", .forbidden)])
    func refusesAMissingOrWrongToken(_ authorization: String?, _ status: HTTPResponse.Status) async throws {
        let (app, id) = try await Self.appWithEpics()
        try await app.test { client async throws in
            var headers: HTTPFields = [.contentType: "application/json"]
            if let authorization { headers[.authorization] = authorization }
            #expect(try await Self.patch(client, id: id, #"{"status": "done"}"#, headers: headers).status == status)
        }
        #expect(try await app.database.auditLog().contains { $0.action == "epic.update" } == false)
    }

    @Test func isClosedWithoutAnAdminToken() async throws {
        let (opened, id) = try await Self.appWithEpics()
        var app = opened
        app.arguments.adminToken = nil
        try await app.test { client async throws in
            let response = try await Self.patch(client, id: id, #"{"status": "done"}"#)
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body).contains("LODESTAR_ADMIN_TOKEN"))
        }
    }

    @Test(arguments: [
        (#"{"status": "finished"}"#, "status"),
        (#"{"colour": "red"}"#, "colour"),
        (#"{"owner": 12}"#, "owner"),
        (#"{"title": ""}"#, "title"),
    ])
    func refusesABadChangeNamingTheField(body: String, field: String) async throws {
        let (app, id) = try await Self.appWithEpics()
        try await app.test { client async throws in
            let response = try await Self.patch(client, id: id, body)
            #expect(response.status == .badRequest)
            #expect(Self.field(response) == field)
        }
        #expect(try await app.database.auditLog().contains { $0.action == "epic.update" } == false)
    }

    @Test func refusesMalformedJSONAnUnknownEpicAndTheWrongType() async throws {
        let (app, id) = try await Self.appWithEpics()
        try await app.test { client async throws in
            #expect(try await Self.patch(client, id: id, #"{"status": "#).status == .badRequest)
            #expect(try await Self.patch(client, id: 9_999, #"{"status": "done"}"#).status == .notFound)
            #expect(try await Self.patch(client, id: id, "status=done", headers: [.authorization: "Bearer admin-token", .contentType: "text/plain"]).status == .unsupportedMediaType)
            let badId = try await client.execute(uri: "/api/v1/epics/abc", method: .patch, headers: Self.admin, body: ByteBuffer(string: "{}"))
            #expect(badId.status == .badRequest && Self.field(badId) == "id")
        }
    }
}
