import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarCore
import LodestarServer
import LodestarStore
import Testing

/// A month with fewer answers than k shows none of them through any route: every GET route the router has is
/// tried with every parameter a route reads, with and without the admin token.
struct AnonymitySweepTests {
    static let marker = "zebracorn"

    @Test func noRouteOrParameterShowsTheAnswersOfAMonthUnderK() async throws {
        let app = try await TestApp()
        // Two answers against k = 3, their words repeated so that themes and epics form from them.
        for index in 0..<2 {
            _ = try await app.service.submit(
                Submission(
                    month: TestApp.month, team: "payments",
                    answers: ["best": "\(Self.marker) pipelines \(index)", "worst": "\(Self.marker) flaky builds", "change": "\(Self.marker) more runners"],
                    ratings: ["satisfaction": .number(4), "easeOfShipping": .number(3), "operationsShare": .number(30)]
                )
            )
        }
        _ = try await EpicService(database: app.database).generate(
            month: TestApp.month, top: 5, delivery: DeliverySignals(), force: false, actor: "test"
        )

        let router = try await buildRouter(app.arguments, database: app.database)
        let uris = router.routes.filter { $0.method == .get }.flatMap { Self.uris(for: $0.path.description) }
        try #require(uris.count > 10, "found only \(uris)")
        let leaks = try await Application(router: router).test(.router) { client in
            var leaks: [String] = []
            for uri in uris {
                for headers: HTTPFields in [[:], [.authorization: "Bearer admin-token"]] {
                    let response = try await client.execute(uri: uri, method: .get, headers: headers)
                    if String(buffer: response.body).contains(Self.marker) { leaks.append("\(uri) (\(response.status.code))") }
                }
            }
            return leaks
        }
        #expect(leaks.isEmpty, "answers of a month under k shown at: \(leaks.joined(separator: ", "))")
    }

    /// The route with its parameters filled in, under every query a route reads.
    static func uris(for pattern: String) -> [String] {
        let month = TestApp.month.description
        let paths = ["index.html", "report.md", "report.json"].map { file in
            pattern.replacingOccurrences(of: "{month}", with: month).replacingOccurrences(of: "{file}", with: file)
                .replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "**", with: "x")
        }
        let queries = ["", "?month=\(month)", "?live=1", "?month=\(month)&live=1", "?month=\(month)&format=json", "?from=\(month)&to=\(month)"]
        return Array(Set(paths)).sorted().flatMap { path in queries.map { path + $0 } }
    }
}
