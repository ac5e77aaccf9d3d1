import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarCore
import LodestarReport
import LodestarServer
import LodestarStore
import Testing

struct ReportsRouteTests {
    /// An app with six answers in November 2026 and, when `publish`, November's report published.
    static func app(publish: Bool) async throws -> TestApp {
        let app = try await TestApp()
        for _ in 0..<6 {
            _ = try await app.service.submit(Submission(answers: ["best": "templates", "worst": "flaky tests", "change": "more runners"]))
        }
        if publish {
            let report = try await app.database.monthlyReport(month: TestApp.month, policy: try AnonymityPolicy(k: 3))
            try ReportPublisher.publish(report, formats: ReportFormat.allCases, to: URL(fileURLWithPath: app.arguments.reportsPath))
        }
        return app
    }

    @Test func listsThePublishedMonths() async throws {
        let app = try await Self.app(publish: true)
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/reports/", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains("<a href=\"/reports/2026-11/\">November 2026</a>"))
        }
    }

    @Test func servesAPublishedReportAndItsFiles() async throws {
        let app = try await Self.app(publish: true)
        try await app.test { client async throws in
            let page = try await client.execute(uri: "/reports/2026-11/", method: .get)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("Platform report · November 2026"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("style-src 'unsafe-inline'") == true)
            #expect(page.headers[.contentSecurityPolicy]?.contains("script") == false)
            let json = try await client.execute(uri: "/reports/2026-11/report.json", method: .get)
            #expect(json.status == .ok && json.headers[.contentType] == "application/json; charset=utf-8")
            let markdown = try await client.execute(uri: "/reports/2026-11/report.md", method: .get)
            #expect(String(buffer: markdown.body).hasPrefix("# Platform report · November 2026"))
        }
    }

    @Test func rendersTheCurrentDataLiveWithoutPublishing() async throws {
        let app = try await Self.app(publish: false)
        try await app.test { client async throws in
            #expect(try await client.execute(uri: "/reports/2026-11/", method: .get).status == .notFound)
            let live = try await client.execute(uri: "/reports/2026-11/?live=1", method: .get, headers: [.authorization: "Bearer admin-token"])
            #expect(live.status == .ok)
            #expect(String(buffer: live.body).contains("6 responses"))
        }
        #expect(!FileManager.default.fileExists(atPath: app.arguments.reportsPath + "/2026-11"))
    }

    @Test func aLiveReportNeedsTheAdminToken() async throws {
        let app = try await Self.app(publish: false)
        try await app.test { client async throws in
            #expect(try await client.execute(uri: "/reports/2026-11/?live=1", method: .get).status == .unauthorized)
            let wrong = try await client.execute(uri: "/reports/2026-11/?live=1", method: .get, headers: [.authorization: "Bearer guess"])
            #expect(wrong.status == .forbidden)
            #expect(!String(buffer: wrong.body).contains("6 responses"))
        }
    }

    @Test func refusesABadMonthAnUnknownFileAndAFutureMonth() async throws {
        let app = try await Self.app(publish: true)
        try await app.test { client async throws in
            #expect(try await client.execute(uri: "/reports/2026-13/", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/reports/..%2F..%2Fetc/", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/reports/2026-11/secrets.txt", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/reports/2999-01/?live=1", method: .get, headers: [.authorization: "Bearer admin-token"]).status == .notFound)
        }
    }
}
