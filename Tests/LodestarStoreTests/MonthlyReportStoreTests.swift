import Foundation
import LodestarCore
import Testing

@testable import LodestarStore

struct MonthlyReportStoreTests {
    static let policy = try! AnonymityPolicy(k: 3)

    @Test func buildsTheMonthFromAnswersEpicsAndOutcomes() async throws {
        let store = try EpicStoreTests()
        try await store.answer(EpicStoreTests.october, runners: 8)
        try await store.answer(EpicStoreTests.november, runners: 4)
        _ = try await store.generate(EpicStoreTests.october)
        let earlier = try #require(try await store.epics.list(month: EpicStoreTests.october, policy: Self.policy).epics.first { $0.keywords.contains("ci") })
        _ = try await store.epics.update(id: earlier.id, change: EpicChange(status: .done), actor: "lead", policy: Self.policy)
        _ = try await store.generate(EpicStoreTests.november)

        let report = try await store.database.monthlyReport(month: EpicStoreTests.november, policy: Self.policy)
        #expect(report.hasData)
        #expect(report.developers.responses == 9 && report.developers.responsesByMonth.suffix(2) == [13, 9])
        #expect(report.developers.ratings.first?.means.suffix(2) == [3, 3])
        #expect(!report.roadmap.epics.isEmpty)
        let outcome = try #require(report.roadmap.youSaidWeDid.first)
        #expect(outcome.epicId == earlier.id && outcome.status == .done && outcome.respondentsThen == 8 && outcome.respondentsNow == 4)
        #expect(report.headline.sentence.contains("50% fewer people since its epic was done"))
        #expect(report.method.sources.first?.latest != nil)
    }

    @Test func listsTheThemesOfBestWorstAndChangeApartWithLastMonthsCounts() async throws {
        let store = try EpicStoreTests()
        try await store.answer(EpicStoreTests.october, runners: 8)
        try await store.answer(EpicStoreTests.november, runners: 4)
        _ = try await store.generate(EpicStoreTests.october)
        _ = try await store.generate(EpicStoreTests.november)

        let developers = try await store.database.monthlyReport(month: EpicStoreTests.november, policy: Self.policy).developers
        let change = try #require(developers.change.first)
        let worst = try #require(developers.worst.first)
        let best = try #require(developers.best.first)
        #expect("more ci runners, jobs queue for ages".contains(change.label.lowercased()) && change.respondents == 4 && change.previousRespondents == 8 && change.change == -0.5)
        #expect(worst.label.lowercased().contains("kubernetes") || worst.label.lowercased().contains("helm"))
        #expect(worst.respondents == 5 && worst.previousRespondents == 5 && worst.change == 0)
        #expect(best.respondents == 4 && best.previousRespondents == 8)
        #expect(developers.themeLists.map(\.themes.count) == [developers.best.count, developers.worst.count, developers.change.count])
    }

    @Test func reportsAMonthWithoutDataWithoutFailing() async throws {
        let database = try AppDatabase.inMemory()
        let report = try await database.monthlyReport(month: EpicStoreTests.november, policy: Self.policy)
        #expect(!report.hasData && report.headline.status == "no data")
        #expect(report.roadmap.epics.isEmpty && report.developers.responses == 0)
    }
}
