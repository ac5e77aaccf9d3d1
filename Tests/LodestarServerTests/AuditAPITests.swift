import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarCore
import LodestarServer
import Testing

/// `GET /api/v1/audit`: the audit log, for the lead only.
struct AuditAPITests {
    @Test func listsTheLogNewestFirstForTheLead() async throws {
        let app = try await TestApp()
        try await app.database.recordAudit(actor: "cli:ana", action: "report.publish", detail: "2026-11")
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/api/v1/audit", method: .get, headers: [.authorization: "Bearer admin-token"])
            #expect(response.status == .ok)
            let body = String(buffer: response.body)
            let publish = try #require(body.range(of: "report.publish"))
            let open = try #require(body.range(of: "round.open"))
            #expect(publish.lowerBound < open.lowerBound)
        }
    }

    @Test func filtersByActionPrefix() async throws {
        let app = try await TestApp()
        try await app.database.recordAudit(actor: "cli:ana", action: "report.publish", detail: "2026-11")
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/api/v1/audit?action=round.", method: .get, headers: [.authorization: "Bearer admin-token"])
            let body = String(buffer: response.body)
            #expect(body.contains("round.open") && !body.contains("report.publish"))
        }
    }

    @Test func refusesAnyoneWithoutTheTokenAndABadMonth() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            #expect(try await client.execute(uri: "/api/v1/audit", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/v1/audit", method: .get, headers: [.authorization: "Bearer guess"]).status == .forbidden)
            let bad = try await client.execute(uri: "/api/v1/audit?month=2026-13", method: .get, headers: [.authorization: "Bearer admin-token"])
            #expect(bad.status == .badRequest)
        }
    }
}
