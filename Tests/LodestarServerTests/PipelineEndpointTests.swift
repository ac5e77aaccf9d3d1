import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarCore
import LodestarServer
import LodestarStore
import Testing

/// Webhooks, the generic events API and the metrics API over HTTP.
struct PipelineEndpointTests {
    static let statusPayload = #"""
        {"action":"created","deployment_status":{"id":1,"state":"success","environment":"production","created_at":"2026-11-02T10:15:00Z","updated_at":"2026-11-02T10:15:00Z"},
         "deployment":{"id":42,"sha":"6dcb09b5b57875f334f61aebed695e2e4193db5e","ref":"main","environment":"production","created_at":"2026-11-02T10:05:00Z"},
         "repository":{"id":1,"name":"checkout","full_name":"acme/checkout"}}
        """#

    static func signature(_ body: String, secret: String = "s3cret") -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.hexEncoded
    }

    static func sha1Signature(_ body: String) -> String {
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data("s3cret".utf8)))
        return "sha1=" + mac.hexEncoded
    }

    static func github(_ client: any TestClientProtocol, event: String = "deployment_status", body: String = statusPayload, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json", HTTPField.Name("X-GitHub-Event")!: event]
        headers.append(contentsOf: extra)
        return try await client.execute(uri: "/webhooks/github", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func deployments(_ app: TestApp) async throws -> Int {
        try await PipelineSQLiteRepository(database: app.database).history().deployments.count
    }

    static let signatureHeader = HTTPField.Name("X-Hub-Signature-256")!
    static let deliveryHeader = HTTPField.Name("X-GitHub-Delivery")!

    @Test func storesASignedGitHubDeployment() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await Self.github(client, headers: [Self.signatureHeader: Self.signature(Self.statusPayload)])
            #expect(response.status == .accepted)
        }
        #expect(try await Self.deployments(app) == 1)
    }

    @Test func acceptsTheOlderSHA1Signature() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await Self.github(client, headers: [HTTPField.Name("X-Hub-Signature")!: Self.sha1Signature(Self.statusPayload)])
            #expect(response.status == .accepted)
        }
        #expect(try await Self.deployments(app) == 1)
    }

    @Test(arguments: ["", "sha256=00", "sha256=zz", "sha1=abc"])
    func refusesAWrongOrMissingSignature(_ signature: String) async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let headers: HTTPFields = signature.isEmpty ? [:] : [Self.signatureHeader: signature]
            let response = try await Self.github(client, headers: headers)
            #expect(response.status == .unauthorized)
        }
        #expect(try await Self.deployments(app) == 0)
    }

    @Test func refusesASignatureMadeWithAnotherSecret() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await Self.github(client, headers: [Self.signatureHeader: Self.signature(Self.statusPayload, secret: "guess")])
            #expect(response.status == .unauthorized)
        }
        #expect(try await Self.deployments(app) == 0)
    }

    @Test func aRedeliveryIsAcceptedAndChangesNothing() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let headers: HTTPFields = [Self.signatureHeader: Self.signature(Self.statusPayload), Self.deliveryHeader: "72d3162e-cc78-11e3"]
            _ = try await Self.github(client, headers: headers)
            let again = try await Self.github(client, headers: headers)
            #expect(again.status == .accepted)
            #expect(String(buffer: again.body).contains(#""duplicate":true"#))
        }
        #expect(try await Self.deployments(app) == 1)
    }

    @Test func anUnknownEventIsAcknowledgedAndIgnored() async throws {
        let app = try await TestApp()
        let body = #"{"action":"created","starred_at":"2026-11-02T10:15:00Z","repository":{"name":"checkout"}}"#
        try await app.test { client async throws in
            let response = try await Self.github(client, event: "star", body: body, headers: [Self.signatureHeader: Self.signature(body)])
            #expect(response.status == .accepted)
            #expect(String(buffer: response.body).contains("ignored"))
        }
    }

    @Test func malformedJSONIs400() async throws {
        let app = try await TestApp()
        let body = #"{"deployment": "#
        try await app.test { client async throws in
            let response = try await Self.github(client, body: body, headers: [Self.signatureHeader: Self.signature(body)])
            #expect(response.status == .badRequest)
        }
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        let app = try await TestApp()
        let body = "{\"padding\":\"" + String(repeating: "x", count: 70 * 1024) + "\"}"
        try await app.test { client async throws in
            let response = try await Self.github(client, body: body, headers: [Self.signatureHeader: Self.signature(body)])
            #expect(response.status == .contentTooLarge)
        }
    }

    @Test func gitLabNeedsItsToken() async throws {
        let app = try await TestApp()
        let body = #"{"object_kind":"deployment","status":"success","deployment_id":15,"environment":"production","sha":"279484c09fbe69ededfced8c1bb6e6d24616b468","status_changed_at":"2026-11-02 10:15:00 +0000","project":{"id":7,"name":"checkout"}}"#
        try await app.test { client async throws in
            var headers: HTTPFields = [.contentType: "application/json", HTTPField.Name("X-Gitlab-Event")!: "Deployment Hook"]
            let refused = try await client.execute(uri: "/webhooks/gitlab", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(refused.status == .unauthorized)
            headers[HTTPField.Name("X-Gitlab-Token")!] = "gl-token"
            let accepted = try await client.execute(uri: "/webhooks/gitlab", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(accepted.status == .accepted)
        }
        #expect(try await Self.deployments(app) == 1)
    }

    static func postEvents(_ client: any TestClientProtocol, _ body: String, token: String? = "ingest-token", path: String = "/api/v1/events") async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-ndjson"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test func theEventsAPIStoresNDJSON() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await Self.postEvents(
                client,
                """
                {"type":"deployment","id":"d1","service":"api","finishedAt":"2026-11-02T10:15:00Z","result":"success"}
                {"type":"deployment","id":"d2","service":"api","finishedAt":1793618100,"result":"failure"}
                """
            )
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == #"{"stored":2}"#)
        }
        #expect(try await Self.deployments(app) == 2)
    }

    @Test func theEventsAPINeedsTheBearerToken() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let body = #"{"type":"deployment","id":"d1","finishedAt":"2026-11-02T10:15:00Z","result":"success"}"#
            #expect(try await Self.postEvents(client, body, token: nil).status == .unauthorized)
            #expect(try await Self.postEvents(client, body, token: "wrong").status == .unauthorized)
        }
        #expect(try await Self.deployments(app) == 0)
    }

    @Test func theEventsAPINamesTheBadRecordAndStoresNone() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await Self.postEvents(
                client,
                """
                {"type":"deployment","id":"d1","finishedAt":"2026-11-02T10:15:00Z","result":"success"}
                {"type":"deployment","id":"d2","result":"success"}
                """
            )
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains(#""field":"records[1].finishedAt""#))
        }
        #expect(try await Self.deployments(app) == 0)
    }

    /// Found by schemathesis: a parent that was not a sha reached the table and a second report of the change failed.
    @Test func aChangeReportedWithAnotherParentIsKeptAndAParentThatIsNoShaIsRefused() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let first = try await Self.postEvents(client, #"{"type":"change","sha":"0000","committedAt":1,"parent":"aaaa"}"#)
            let second = try await Self.postEvents(client, #"{"type":"change","sha":"0000","committedAt":1,"parent":"bbbb"}"#)
            #expect(first.status == .ok && second.status == .ok)
            let refused = try await Self.postEvents(client, #"{"type":"change","sha":"0000","committedAt":1,"parent":"a"}"#)
            #expect(refused.status == .badRequest && String(buffer: refused.body).contains(#""field":"parent""#))
        }
    }

    @Test func theEventsAPIRefusesAnUnknownType() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await Self.postEvents(client, #"{"type":"build","id":"1"}"#)
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains(#""field":"type""#))
        }
    }

    @Test func devLakeDeploymentsArriveUnderTheirOwnPath() async throws {
        let app = try await TestApp()
        let body = #"""
            {"id":"deploy-2026-11-02-1","startedDate":"2026-11-02T10:00:00+00:00","finishedDate":"2026-11-02T10:15:00+00:00","result":"SUCCESS",
             "environment":"PRODUCTION","deploymentCommits":[{"repoUrl":"https://github.com/acme/checkout","refName":"main","startedDate":"2026-11-02T10:00:00+00:00","finishedDate":"2026-11-02T10:15:00+00:00","commitSha":"015e3d3b480e417aede5a1293bd61de9b0fd051d","commitMsg":"Speed up cart"}]}
            """#
        try await app.test { client async throws in
            let response = try await Self.postEvents(client, body, path: "/api/devlake/plugins/webhook/1/deployments")
            #expect(response.status == .accepted)
        }
        let stored = try await PipelineSQLiteRepository(database: app.database).history().deployments
        #expect(stored.map(\.service) == ["checkout"])
    }

    @Test func aDevLakeIncidentIsLinkedToItsConnectionsLatestDeployment() async throws {
        let app = try await TestApp()
        // As a DevLake-era script sends them: the deployment names its repository, the incident (DevLake's issue
        // payload) names none, so only their connection (1) ties them together.
        let deployment = #"""
            {"id":"deploy-2026-11-02-1","startedDate":"2026-11-02T10:00:00+00:00","finishedDate":"2026-11-02T10:15:00+00:00","result":"SUCCESS",
             "environment":"PRODUCTION","deploymentCommits":[{"repoUrl":"https://github.com/acme/checkout","refName":"main","commitSha":"015e3d3b480e417aede5a1293bd61de9b0fd051d"}]}
            """#
        let other = #"""
            {"id":"deploy-2026-11-02-2","finishedDate":"2026-11-02T11:00:00+00:00","result":"SUCCESS","environment":"PRODUCTION",
             "deploymentCommits":[{"repoUrl":"https://github.com/acme/search","commitSha":"9fceb02d0ae598e95dc970b74767f19372d61af8"}]}
            """#
        let incident = #"""
            {"issueKey":"INC-9","title":"Checkout errors","type":"INCIDENT","status":"DONE","createdDate":"2026-11-02T12:00:00+00:00",
             "resolutionDate":"2026-11-02T13:30:00+00:00"}
            """#
        try await app.test { client async throws in
            #expect(try await Self.postEvents(client, deployment, path: "/api/devlake/plugins/webhook/1/deployments").status == .accepted)
            #expect(try await Self.postEvents(client, other, path: "/api/devlake/plugins/webhook/2/deployments").status == .accepted)
            #expect(try await Self.postEvents(client, incident, path: "/api/devlake/plugins/webhook/1/issues").status == .accepted)
        }
        let facts = DeliveryFacts(columns: try await PipelineSQLiteRepository(database: app.database).deliveryColumns())
        #expect(facts.incidentCauses == ["devlake-issue-1-INC-9": "devlake-deploy-2026-11-02-1"])
        let period = Period(from: Timestamp.parse("2026-11-01T00:00:00Z")!, to: Timestamp.parse("2026-11-30T00:00:00Z")!)
        let groups = MetricsReport(facts: facts, period: period, baseline: nil, grouping: .service).groups
        #expect(groups.map(\.key) == [["service": "checkout"], ["service": "search"]])
        #expect(groups.map(\.incidents) == [1, 0])
        #expect(groups.map(\.changeFailureRate) == [1, 0])
    }

    @Test func aGitLabIncidentSentAsIssuesIsStored() async throws {
        let app = try await TestApp()
        let body = #"""
            {"object_kind":"issue","event_type":"issue","project":{"id":1,"name":"checkout","path_with_namespace":"acme/checkout"},
             "object_attributes":{"iid":23,"title":"Checkout returns 502","action":"open","state":"opened","description":"root cause: 3f9a2c1d",
             "created_at":"2026-11-02 09:00:00 UTC"},"labels":[{"id":206,"title":"Incident"}]}
            """#
        try await app.test { client async throws in
            let headers: HTTPFields = [
                .contentType: "application/json", HTTPField.Name("X-Gitlab-Event")!: "issues", HTTPField.Name("X-Gitlab-Token")!: "gl-token",
            ]
            let response = try await client.execute(uri: "/webhooks/gitlab", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .accepted)
            #expect(String(buffer: response.body).contains(#""stored":1"#))
        }
        #expect(try await PipelineSQLiteRepository(database: app.database).history().incidents.map(\.rootCauseSHA) == ["3f9a2c1d"])
    }

    @Test func anIgnoredDeliveryIsCountedByKindInTheDatabase() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            for _ in 0..<2 {
                let response = try await Self.github(client, event: "check_run", body: "{}", headers: [Self.signatureHeader: Self.signature("{}")])
                #expect(response.status == .accepted)
            }
        }
        let ignored = try await PipelineSQLiteRepository(database: app.database).ignoredWebhooks()
        #expect(ignored.map { "\($0.source) \($0.kind) \($0.count) \($0.lastReason)" } == ["github check_run 2 event check_run is not used"])
    }

    @Test func devLakeClosesAnIncidentItReportedBefore() async throws {
        let app = try await TestApp()
        let issue = #"{"issueKey":"INC-7","title":"Checkout errors","type":"INCIDENT","status":"IN_PROGRESS","createdDate":"2026-11-02T10:00:00+00:00"}"#
        try await app.test { client async throws in
            #expect(try await Self.postEvents(client, issue, path: "/api/devlake/plugins/webhook/1/issues").status == .accepted)
            let closed = try await Self.postEvents(client, "", path: "/api/devlake/plugins/webhook/1/issue/INC-7/close")
            #expect(closed.status == .accepted)
            let unknown = try await Self.postEvents(client, "", path: "/api/devlake/plugins/webhook/1/issue/INC-8/close")
            #expect(unknown.status == .notFound)
        }
        let incidents = try await PipelineSQLiteRepository(database: app.database).history().incidents
        #expect(incidents.count == 1 && incidents[0].resolvedAt != nil)
    }

    @Test func metricsAnswerOneGroupPerService() async throws {
        let app = try await TestApp()
        let repository = PipelineSQLiteRepository(database: app.database)
        let day = Timestamp.parse("2026-11-02T10:00:00Z")!
        _ = try await repository.store(
            [
                .deployment(DeploymentEvent(id: "a", service: "api", environment: "production", shas: [], startedAt: nil, finishedAt: day, result: .success)),
                .deployment(DeploymentEvent(id: "b", service: "web", environment: "production", shas: [], startedAt: nil, finishedAt: day, result: .failure)),
            ],
            deliveryId: nil
        )
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/api/v1/metrics?from=2026-11-01&to=2026-11-07&by=service", method: .get)
            #expect(response.status == .ok)
            let report = try JSONDecoder().decode(MetricsReport.self, from: Data(buffer: response.body))
            #expect(report.from == "2026-11-01" && report.to == "2026-11-07")
            #expect(report.groups.map(\.key) == [["service": "api"], ["service": "web"]])
            #expect(report.groups.map(\.changeFailureRate) == [0, 1])
        }
    }

    @Test func metricsNameABadParameter() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/api/v1/metrics?by=colour", method: .get)
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains(#""field":"by""#))
            let day = try await client.execute(uri: "/api/v1/metrics?from=2026-02-30", method: .get)
            #expect(String(buffer: day.body).contains(#""field":"from""#))
        }
    }
}
