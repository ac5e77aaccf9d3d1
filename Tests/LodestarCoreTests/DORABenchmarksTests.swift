import Testing

@testable import LodestarCore

/// Every tier edge of every edition: the value on the edge, just past it towards the better tier, and just past it
/// towards the worse one. The expected tiers are written from the reports' wording (see `DORABenchmarks`), not
/// computed from the tables in the code.
@Suite struct DORABenchmarksTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var edition: DORABenchmarks
        var value: Double
        var tier: DORATier
        var testDescription: String { "\(self.edition.rawValue): \(self.value) → \(self.tier)" }
    }

    static let onceAMonth = 12.0 / 52
    static let twiceAYear = 2.0 / 52

    static let deploymentFrequency: [Case] = [
        Case(edition: .dora2021, value: 7.001, tier: .elite), Case(edition: .dora2021, value: 7, tier: .high),
        Case(edition: .dora2021, value: onceAMonth, tier: .high), Case(edition: .dora2021, value: onceAMonth - 0.001, tier: .medium),
        Case(edition: .dora2021, value: twiceAYear, tier: .medium), Case(edition: .dora2021, value: twiceAYear - 0.001, tier: .low),
        Case(edition: .dora2022, value: 7.001, tier: .high), Case(edition: .dora2022, value: 7, tier: .medium),
        Case(edition: .dora2022, value: onceAMonth, tier: .medium), Case(edition: .dora2022, value: onceAMonth - 0.001, tier: .low),
        Case(edition: .dora2023, value: 7.001, tier: .elite), Case(edition: .dora2023, value: 7, tier: .high),
        Case(edition: .dora2023, value: 1, tier: .high), Case(edition: .dora2023, value: 0.999, tier: .medium),
        Case(edition: .dora2023, value: onceAMonth, tier: .medium), Case(edition: .dora2023, value: onceAMonth - 0.001, tier: .low),
        Case(edition: .dora2024, value: 7.001, tier: .elite), Case(edition: .dora2024, value: 7, tier: .high),
        Case(edition: .dora2024, value: 1, tier: .high), Case(edition: .dora2024, value: 0.999, tier: .medium),
        Case(edition: .dora2024, value: onceAMonth, tier: .medium), Case(edition: .dora2024, value: onceAMonth - 0.001, tier: .low),
    ]

    static let leadTimeHours: [Case] = [
        Case(edition: .dora2021, value: 0.99, tier: .elite), Case(edition: .dora2021, value: 1, tier: .high),
        Case(edition: .dora2021, value: 168, tier: .high), Case(edition: .dora2021, value: 168.01, tier: .medium),
        Case(edition: .dora2021, value: 4320, tier: .medium), Case(edition: .dora2021, value: 4320.01, tier: .low),
        Case(edition: .dora2022, value: 0.5, tier: .high), Case(edition: .dora2022, value: 168, tier: .high),
        Case(edition: .dora2022, value: 168.01, tier: .medium), Case(edition: .dora2022, value: 720, tier: .medium),
        Case(edition: .dora2022, value: 720.01, tier: .low),
        Case(edition: .dora2023, value: 23.99, tier: .elite), Case(edition: .dora2023, value: 24, tier: .high),
        Case(edition: .dora2023, value: 168, tier: .high), Case(edition: .dora2023, value: 168.01, tier: .medium),
        Case(edition: .dora2023, value: 720, tier: .medium), Case(edition: .dora2023, value: 720.01, tier: .low),
        Case(edition: .dora2024, value: 23.99, tier: .elite), Case(edition: .dora2024, value: 24, tier: .high),
        Case(edition: .dora2024, value: 168, tier: .high), Case(edition: .dora2024, value: 168.01, tier: .medium),
        Case(edition: .dora2024, value: 720, tier: .medium), Case(edition: .dora2024, value: 720.01, tier: .low),
    ]

    static let changeFailureRate: [Case] = [
        Case(edition: .dora2021, value: 0.15, tier: .elite), Case(edition: .dora2021, value: 0.1501, tier: .high),
        Case(edition: .dora2021, value: 0.30, tier: .high), Case(edition: .dora2021, value: 0.3001, tier: .low),
        Case(edition: .dora2022, value: 0, tier: .high), Case(edition: .dora2022, value: 0.15, tier: .high),
        Case(edition: .dora2022, value: 0.1501, tier: .medium), Case(edition: .dora2022, value: 0.30, tier: .medium),
        Case(edition: .dora2022, value: 0.3001, tier: .low),
        Case(edition: .dora2023, value: 0.05, tier: .elite), Case(edition: .dora2023, value: 0.0501, tier: .high),
        Case(edition: .dora2023, value: 0.10, tier: .high), Case(edition: .dora2023, value: 0.1001, tier: .medium),
        Case(edition: .dora2023, value: 0.15, tier: .medium), Case(edition: .dora2023, value: 0.1501, tier: .low),
        Case(edition: .dora2024, value: 0.05, tier: .elite), Case(edition: .dora2024, value: 0.0501, tier: .high),
        Case(edition: .dora2024, value: 0.10, tier: .high), Case(edition: .dora2024, value: 0.20, tier: .high),
        Case(edition: .dora2024, value: 0.2001, tier: .low),
    ]

    static let restoreHours: [Case] = [
        Case(edition: .dora2021, value: 0.99, tier: .elite), Case(edition: .dora2021, value: 1, tier: .high),
        Case(edition: .dora2021, value: 23.99, tier: .high), Case(edition: .dora2021, value: 24, tier: .medium),
        Case(edition: .dora2021, value: 168, tier: .medium), Case(edition: .dora2021, value: 168.01, tier: .low),
        Case(edition: .dora2022, value: 0.5, tier: .high), Case(edition: .dora2022, value: 23.99, tier: .high),
        Case(edition: .dora2022, value: 24, tier: .medium), Case(edition: .dora2022, value: 168, tier: .medium),
        Case(edition: .dora2022, value: 168.01, tier: .low),
        Case(edition: .dora2023, value: 0.99, tier: .elite), Case(edition: .dora2023, value: 1, tier: .high),
        Case(edition: .dora2023, value: 23.99, tier: .high), Case(edition: .dora2023, value: 24, tier: .medium),
        Case(edition: .dora2023, value: 168, tier: .medium), Case(edition: .dora2023, value: 168.01, tier: .low),
        Case(edition: .dora2024, value: 0.99, tier: .elite), Case(edition: .dora2024, value: 1, tier: .high),
        Case(edition: .dora2024, value: 23.99, tier: .high), Case(edition: .dora2024, value: 24, tier: .low),
    ]

    @Test(arguments: Self.deploymentFrequency) func deploymentFrequencyEdges(_ example: Case) {
        #expect(example.edition.deploymentFrequencyTier(perWeek: example.value) == example.tier)
    }

    @Test(arguments: Self.leadTimeHours) func leadTimeEdges(_ example: Case) {
        #expect(example.edition.leadTimeTier(medianHours: example.value) == example.tier)
    }

    @Test(arguments: Self.changeFailureRate) func changeFailureRateEdges(_ example: Case) {
        #expect(example.edition.changeFailureRateTier(example.value) == example.tier)
    }

    @Test(arguments: Self.restoreHours) func restoreEdges(_ example: Case) {
        #expect(example.edition.restoreTier(medianHours: example.value) == example.tier)
    }

    @Test func the2022EditionHasNoEliteTier() {
        let edition = DORABenchmarks.dora2022
        #expect(edition.deploymentFrequencyTier(perWeek: 100) == .high)
        #expect(edition.leadTimeTier(medianHours: 0.1) == .high)
        #expect(edition.changeFailureRateTier(0) == .high)
        #expect(edition.restoreTier(medianHours: 0.1) == .high)
    }

    @Test func noValueHasNoTier() {
        #expect(DORABenchmarks.dora2023.leadTimeTier(medianHours: nil) == nil)
        #expect(DORABenchmarks.dora2023.changeFailureRateTier(nil) == nil)
    }
}
