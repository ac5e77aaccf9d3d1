import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarCore
import LodestarServer
import Testing

/// Inputs that once answered 5xx or stopped the server (found by `scripts/schemathesis.sh`); each must stay a
/// documented answer.
struct APIContractRegressionTests {
    /// `to=9999-12` ends on the last day of the last month a query may name; computing it stopped the process.
    @Test func metricsToTheLastMonthIsAnswered() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/api/v1/metrics?from=9999-11&to=9999-12", method: .get)
            #expect(response.status == .ok)
            #expect(response.text.contains(#""to":"9999-12-31""#))
        }
    }

    /// The spec's `DayOrMonth` starts at 2000-01-01, as months do; a day before it was accepted for some years
    /// (1600-02-29) and refused for others (1582-10-10).
    @Test func daysBeforeTheYear2000AreRefusedNamingTheParameter() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            for day in ["1600-02-29", "1999-12-31", "0001-01-01"] {
                let response = try await client.execute(uri: "/api/v1/deployments?from=\(day)&to=2026-11-30", method: .get)
                #expect(response.status == .badRequest, "\(day)")
                #expect(response.errorField == "from", "\(day)")
            }
            #expect(try await client.execute(uri: "/api/v1/deployments?from=2000-02-29&to=2026-11-30", method: .get).status == .ok)
        }
    }

    /// A signed GitHub delivery without a body was answered 202 "ignored"; the spec requires a body.
    @Test func aGitHubDeliveryWithoutABodyIsRefused() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let signature = PipelineEndpointTests.signature("")
            let response = try await client.execute(
                uri: "/webhooks/github", method: .post,
                headers: [HTTPField.Name("X-GitHub-Event")!: "ping", HTTPField.Name("X-Hub-Signature-256")!: signature]
            )
            #expect(response.status == .badRequest)
            #expect(response.errorField == "body")
        }
    }

    /// A period of five thousand years answered a default baseline starting at "-3280-12-0"; it now has none.
    @Test func aPeriodTooLongForABaselineIsAnsweredWithoutOne() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/api/v1/metrics?from=2026-11-01&to=7332-09-29&by=month", method: .get)
            #expect(response.status == .ok)
            #expect(!response.text.contains("baselineFrom") && !response.text.contains("\"-"))
        }
    }
}
