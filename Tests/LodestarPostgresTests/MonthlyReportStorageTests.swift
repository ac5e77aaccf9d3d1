import Foundation
import LodestarCore
import Testing

/// The monthly report built from stored answers, epics and outcomes, the same on SQLite and on PostgreSQL.
struct MonthlyReportStorageTests {
    typealias Scenario = EpicScenario

    @Test(arguments: Backend.allCases)
    func buildsTheMonthFromAnswersEpicsAndOutcomes(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            let scenario = Scenario(storage)
            let earlier = try await scenario.ciEpicDoneInOctoberThenNovember()

            let report = try await scenario.services.reports.monthlyReport(month: Scenario.november, policy: Scenario.policy)
            #expect(report.hasData)
            #expect(report.developers.responses == 9 && report.developers.responsesByMonth.suffix(2) == [13, 9])
            #expect(report.developers.ratings.first?.means.suffix(2) == [3, 3])
            #expect(!report.roadmap.epics.isEmpty)
            let outcome = try #require(report.roadmap.youSaidWeDid.first)
            #expect(outcome.epicId == earlier.id && outcome.status == .done && outcome.respondentsThen == 8 && outcome.respondentsNow == 4)
            #expect(report.headline.sentence.contains("50% fewer people since its epic was done"))
            #expect(report.method.sources.first?.latest != nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func listsTheThemesOfBestWorstAndChangeApartWithLastMonthsCounts(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            let scenario = Scenario(storage)
            try await scenario.answer(Scenario.october, runners: 8)
            try await scenario.answer(Scenario.november, runners: 4)
            _ = try await scenario.generate(Scenario.october)
            _ = try await scenario.generate(Scenario.november)

            let developers = try await scenario.services.reports.monthlyReport(month: Scenario.november, policy: Scenario.policy).developers
            let change = try #require(developers.change.first)
            let worst = try #require(developers.worst.first)
            let best = try #require(developers.best.first)
            #expect("more ci runners, jobs queue for ages".contains(change.label.lowercased()))
            #expect(change.respondents == 4 && change.previousRespondents == 8 && change.change == -0.5)
            #expect(worst.label.lowercased().contains("kubernetes") || worst.label.lowercased().contains("helm"))
            #expect(worst.respondents == 5 && worst.previousRespondents == 5 && worst.change == 0)
            #expect(best.respondents == 4 && best.previousRespondents == 8)
            #expect(developers.themeLists.map(\.themes.count) == [developers.best.count, developers.worst.count, developers.change.count])
        }
    }

    @Test(arguments: Backend.allCases)
    func reportsAMonthWithoutDataWithoutFailing(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            let report = try await Services(storage: storage).reports.monthlyReport(month: Scenario.november, policy: Scenario.policy)
            #expect(!report.hasData && report.headline.status == "no data")
            #expect(report.roadmap.epics.isEmpty && report.developers.responses == 0)
        }
    }
}
