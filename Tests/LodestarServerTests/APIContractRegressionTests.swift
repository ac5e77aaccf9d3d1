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
}
