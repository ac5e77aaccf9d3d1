import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarAnnounce
import LodestarCore
import LodestarServer
import LodestarStore
import Testing

struct TestArguments: AppArguments {
    var hostname = "127.0.0.1"
    var port = 0
    var databasePath = ":memory:"
    var rateLimitPerMinute = 0
    /// Stands still unless a test moves it, so a limit's refill never depends on how fast a loaded machine runs.
    var rateLimitClock: @Sendable () -> Double = { 0 }
    var resourcesPath: String? = nil
    var pipelineSettings = PipelineSettings(
        githubSecret: "s3cret", gitlabToken: "gl-token", ingestToken: "ingest-token", bodyLimit: 64 * 1024, sourceSecrets: [
            "pagerduty": "pd-secret", "opsgenie": "og-secret", "servicenow": "sn-secret", "jenkins": "jk-secret",
            "circleci": "cci-secret", "bitbucket": "bb-secret", "argocd": "argo-token", "tekton": "tekton-token",
        ]
    )
    var adminToken: String? = "admin-token"
    var reportsPath = FileManager.default.temporaryDirectory.appendingPathComponent("lodestar-reports-\(UUID().uuidString)").path
    var anonymityPolicy = try! AnonymityPolicy(k: 3)
    /// No announcement channel unless a test sets one.
    var announceSettings = AnnounceSettings(publicURL: nil)
}

/// A fresh app over an in-memory database with the platform-pulse survey open for 2026-11.
struct TestApp {
    static let month = try! Month(parsing: "2026-11")
    static let definition: SurveyDefinition = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../surveys/platform-pulse.yaml")
        return try! SurveyDefinition.load(contentsOf: url)
    }()

    let database: AppDatabase
    let service: SurveyService
    var arguments = TestArguments()

    init(mode: SurveyRound.Mode? = .open) async throws {
        self.database = try AppDatabase.inMemory()
        self.service = self.database.surveyService()
        if let mode {
            _ = try await self.service.rounds.open(month: Self.month, mode: mode, definition: Self.definition, actor: "test")
        }
    }

    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = try await buildApplication(self.arguments, database: self.database)
        try await app.test(.router) { client in try await body(client) }
    }

    func storedCount() async throws -> Int {
        try await self.service.responses.responses(for: Self.month).count
    }
}

/// A complete, valid JSON answer.
let validJSON = #"{"month":"2026-11","team":"payments","answers":{"best":"fast CI","worst":"flaky tests","change":"more runners"},"ratings":{"satisfaction":4,"easeOfShipping":3,"operationsShare":30}}"#

extension TestClientProtocol {
    func postJSON(_ body: String, contentType: String = "application/json", uri: String = "/api/v1/responses") async throws -> TestResponse {
        try await self.execute(uri: uri, method: .post, headers: [.contentType: contentType], body: ByteBuffer(string: body))
    }

    func postJSON(bytes: [UInt8]) async throws -> TestResponse {
        try await self.execute(uri: "/api/v1/responses", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: bytes))
    }

    /// Loads the form and returns its CSRF token, as a browser would get it.
    func formToken(_ uri: String = "/survey") async throws -> String {
        let response = try await self.execute(uri: uri, method: .get)
        let html = String(buffer: response.body)
        let match = try #require(html.firstMatch(of: /name="csrf" value="([^"]+)"/))
        return String(match.1)
    }

    /// Posts the form with `fields` (URL-encoded here) and the CSRF cookie and field.
    func postForm(_ fields: [String: String], csrf: String?, cookies: [String] = []) async throws -> TestResponse {
        var all = fields
        if let csrf { all["csrf"] = csrf }
        let body = all.sorted { $0.key < $1.key }.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        let cookie = (csrf.map { ["lodestar_csrf=\($0)"] } ?? []) + cookies
        if !cookie.isEmpty { headers[.cookie] = cookie.joined(separator: "; ") }
        return try await self.execute(uri: "/survey", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed)!
    }
}

let validForm = [
    "month": "2026-11", "team": "payments", "answers.best": "fast CI", "answers.worst": "flaky tests",
    "answers.change": "more runners", "ratings.satisfaction": "4",
]

extension TestResponse {
    var text: String { String(buffer: self.body) }

    /// The `field` of a JSON error body.
    var errorField: String? {
        struct Body: Decodable {
            struct Detail: Decodable { let field: String? }
            let error: Detail
        }
        return try? JSONDecoder().decode(Body.self, from: Data(self.text.utf8)).error.field
    }
}
