import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarCore
@testable import LodestarServer
import Testing

/// `GET /metrics`: request counters and histograms by route pattern, domain counters, and who may read them.
struct PrometheusMetricsTests {
    static let admin: HTTPFields = [.authorization: "Bearer admin-token"]

    /// The scraped text; fails the test unless it is a 200 in Prometheus text format.
    static func scrape(_ client: any TestClientProtocol) async throws -> String {
        let response = try await client.execute(uri: "/metrics", method: .get, headers: Self.admin)
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
        return response.text
    }

    /// The value of the sample `series` (a name and its labels, as printed), or nil when it is not there.
    static func value(_ series: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
    }

    @Test func countsRequestsByRoutePatternMethodAndStatusWithLatencyBuckets() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            for id in [7, 8] {
                let response = try await client.execute(uri: "/api/v1/epics/\(id)", method: .patch, headers: Self.admin)
                #expect(response.status == .unsupportedMediaType)
            }
            let text = try await Self.scrape(client)
            let labels = #"route="/api/v1/epics/{id}",method="PATCH",status="415""#
            #expect(Self.value("lodestar_http_requests_total{\(labels)}", in: text) == 2)
            #expect(text.contains("# TYPE lodestar_http_request_duration_seconds histogram"))
            #expect(Self.value("lodestar_http_request_duration_seconds_bucket{\(labels),le=\"0.001\"}", in: text) != nil)
            #expect(Self.value("lodestar_http_request_duration_seconds_bucket{\(labels),le=\"10.0\"}", in: text) == 2)
            #expect(Self.value("lodestar_http_request_duration_seconds_count{\(labels)}", in: text) == 2)
            #expect(!text.contains("/api/v1/epics/7"))
        }
    }

    @Test func countsAnUnmatchedPathAsNotFoundNotByItsURI() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            #expect(try await client.execute(uri: "/no/such/page-4711", method: .get).status == .notFound)
            let text = try await Self.scrape(client)
            #expect(Self.value(#"lodestar_http_requests_total{route="NotFound",method="GET",status="404"}"#, in: text) == 1)
            #expect(!text.contains("page-4711"))
        }
    }

    @Test func countsAStoredAPIResponse() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let series = #"lodestar_survey_responses_stored_total{via="api"}"#
            #expect(Self.value(series, in: try await Self.scrape(client)) == 0)
            #expect(try await client.postJSON(validJSON).status == .created)
            #expect(Self.value(series, in: try await Self.scrape(client)) == 1)
            #expect(Self.value(#"lodestar_survey_responses_stored_total{via="form"}"#, in: try await Self.scrape(client)) == 0)
        }
    }

    @Test func countsAStoredFormResponse() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let csrf = try await client.formToken()
            #expect(try await client.postForm(validForm, csrf: csrf).status == .ok)
            #expect(Self.value(#"lodestar_survey_responses_stored_total{via="form"}"#, in: try await Self.scrape(client)) == 1)
        }
    }

    @Test func countsABadlySignedWebhookAsASignatureFailure() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let headers: HTTPFields = [
                .contentType: "application/json", HTTPField.Name("X-GitHub-Event")!: "deployment_status",
                HTTPField.Name("X-Hub-Signature-256")!: "sha256=00",
            ]
            let response = try await client.execute(uri: "/webhooks/github", method: .post, headers: headers, body: ByteBuffer(string: "{}"))
            #expect(response.status == .unauthorized)
            let text = try await Self.scrape(client)
            #expect(Self.value(#"lodestar_webhook_signature_failures_total{source="github"}"#, in: text) == 1)
            #expect(Self.value(#"lodestar_pipeline_events_ingested_total{source="github"}"#, in: text) == 0)
        }
    }

    @Test func countsIgnoredWebhooksBySourceAndKind() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            // A GitLab comment: a kind Lodestar does not read, whatever the header calls it.
            let body = #"{"object_kind":"note","object_attributes":{"note":"LGTM"}}"#
            let headers: HTTPFields = [
                .contentType: "application/json", HTTPField.Name("X-Gitlab-Event")!: "Note Hook", HTTPField.Name("X-Gitlab-Token")!: "gl-token",
            ]
            let response = try await client.execute(uri: "/webhooks/gitlab", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .accepted)
            let text = try await Self.scrape(client)
            #expect(Self.value(#"lodestar_webhooks_ignored_total{source="gitlab",kind="note"}"#, in: text) == 1)
        }
    }

    @Test func ignoredKindsPastTheLimitCountAsOther() {
        let kinds = IgnoredKinds()
        let labels = (0...IgnoredKinds.limit).map { kinds.label(source: .github, kind: "Kind \($0)") }
        #expect(labels.first == "kind_0")
        #expect(labels.last == "other")
        #expect(kinds.label(source: .gitlab, kind: "") == "none")
    }

    @Test func countsIngestedEvents() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let records = """
                {"type":"deployment","id":"d1","service":"api","finishedAt":"2026-11-02T10:15:00Z","result":"success"}
                {"type":"deployment","id":"d2","service":"api","finishedAt":"2026-11-03T10:15:00Z","result":"failure"}
                """
            let headers: HTTPFields = [.contentType: "application/x-ndjson", .authorization: "Bearer ingest-token"]
            let response = try await client.execute(uri: "/api/v1/events", method: .post, headers: headers, body: ByteBuffer(string: records))
            #expect(response.status == .ok)
            #expect(Self.value(#"lodestar_pipeline_events_ingested_total{source="events"}"#, in: try await Self.scrape(client)) == 2)
        }
    }

    @Test func requiresTheAdminTokenWhenOneIsSet() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
            let wrong = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer admin-tokem"])
            #expect(wrong.status == .forbidden)
            #expect(!wrong.text.contains("lodestar_"))
            #expect(try await client.execute(uri: "/metrics", method: .get, headers: Self.admin).status == .ok)
        }
    }

    @Test func withoutAnAdminTokenIsOpenOnLoopbackOnly() async throws {
        var app = try await TestApp()
        app.arguments.adminToken = nil
        // The router test client has no peer address: like a remote caller, it is refused.
        try await app.test { client async throws in
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .forbidden)
        }
        // A real connection from 127.0.0.1 is let in.
        let live = try await buildApplication(app.arguments, database: app.database)
        try await live.test(.live) { client async throws in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.text.contains("lodestar_survey_responses_stored_total"))
        }
    }

    @Test func neverShowsAnswersOrTokens() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            #expect(try await client.postJSON(validJSON).status == .created)
            _ = try await client.execute(uri: "/survey?token=secret-invite-123", method: .get)
            let text = try await Self.scrape(client)
            for secret in ["fast CI", "payments", "secret-invite-123", "admin-token", "s3cret", "ingest-token"] {
                #expect(!text.contains(secret))
            }
        }
    }
}
