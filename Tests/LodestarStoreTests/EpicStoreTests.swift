import Foundation
import GRDB
import LodestarCore
import Testing

@testable import LodestarStore

struct EpicStoreTests {
    static let november = try! Month(parsing: "2026-11")
    static let october = try! Month(parsing: "2026-10")
    static let definition = SurveyDefinition(
        id: "pulse", title: "Pulse", intro: "",
        questions: [
            Question(id: "best", kind: .text, prompt: "Best?"), Question(id: "worst", kind: .text, prompt: "Worst?"),
            Question(id: "change", kind: .text, prompt: "Change?"), Question(id: "satisfaction", kind: .rating, prompt: "Happy?"),
        ]
    )
    static let policy = try! AnonymityPolicy(k: 3)

    let database: AppDatabase
    let epics: EpicService

    init() throws {
        self.database = try AppDatabase.inMemory()
        self.epics = EpicService(database: self.database)
    }

    /// Opens `month` and answers it: `runners` people want more CI runners, `kubernetes` find the cluster upgrades
    /// painful, `onboarding` found their first week confusing. The last two groups answer from `smallTeam`.
    func answer(_ month: Month, runners: Int = 6, kubernetes: Int = 5, onboarding: Int = 0, smallTeam: String = "search") async throws {
        let service = self.database.surveyService()
        _ = try await service.rounds.open(month: month, mode: .open, definition: Self.definition, actor: "test")
        func submit(_ answers: [String: String], team: String) async throws {
            _ = try await service.submit(Submission(month: month, team: team, answers: answers, ratings: ["satisfaction": .number(3)]))
        }
        for index in 0..<runners {
            try await submit(["change": "more CI runners, jobs queue for ages (\(index))", "best": "golden path templates"], team: "payments")
        }
        for index in 0..<kubernetes {
            try await submit(["worst": "kubernetes cluster upgrades break helm charts (\(index))"], team: "payments")
        }
        for index in 0..<onboarding {
            try await submit(["worst": "onboarding week was confusing, laptop setup took days (\(index))"], team: smallTeam)
        }
    }

    func generate(_ month: Month = Self.november, top: Int = 5, force: Bool = false) async throws -> GeneratedEpics {
        try await self.epics.generate(month: month, top: top, delivery: DeliverySignals(), force: force, actor: "test")
    }

    @Test func aMonthWithoutAnswersGetsNoEpicsAndStoresNothing() async throws {
        let generated = try await self.generate()
        #expect(generated == GeneratedEpics(responses: 0, themes: 0, epics: 0))
        #expect(try await self.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM theme") } == 0)
    }

    @Test func storesTheTopThemesAsProposedEpicsInRankOrder() async throws {
        try await self.answer(Self.november)
        let generated = try await self.generate(top: 1)
        #expect(generated.responses == 11 && generated.epics == 1)
        let listed = try await self.epics.list(month: Self.november, policy: Self.policy)
        let epic = try #require(listed.epics.first)
        #expect(listed.epics.count == 1)
        #expect(epic.rank == 1 && epic.status == .proposed && epic.respondents == 6)
        #expect(epic.keywords.contains("ci"))
        #expect(epic.quotes.count == 3 && epic.quotesWithheld == nil)
        #expect(epic.teams == [TeamCount(team: "payments", respondents: 6)])
        #expect(!listed.strengths.isEmpty)
        #expect(try await self.database.auditLog().last?.action == "epics.generate")
    }

    @Test func computesEpicsButQuotesNothingInAMonthUnderK() async throws {
        try await self.answer(Self.november, runners: 2, kubernetes: 0)
        _ = try await self.generate()
        let listed = try await self.epics.list(month: Self.november, policy: Self.policy)
        let epic = try #require(listed.epics.first)
        #expect(epic.respondents == 2)
        #expect(epic.quotes.isEmpty && epic.quotesWithheld != nil)
    }

    @Test func quotesNoOneFromATeamUnderK() async throws {
        try await self.answer(Self.november, onboarding: 2, smallTeam: "mobile")
        _ = try await self.generate()
        let listed = try await self.epics.list(month: Self.november, policy: Self.policy)
        let onboarding = try #require(listed.epics.first { $0.keywords.contains { $0.contains("onboard") } })
        #expect(onboarding.quotes.isEmpty)
        #expect(onboarding.respondents == 2 && onboarding.teams.isEmpty)
        #expect(listed.epics.allSatisfy { !$0.quotes.contains { $0.contains("onboarding") } })
    }

    @Test func recordsACuratedChangeAndProtectsItFromRegenerating() async throws {
        try await self.answer(Self.november)
        _ = try await self.generate()
        let id = try #require(try await self.epics.list(month: Self.november, policy: Self.policy).epics.first?.id)
        let updated = try await self.epics.update(
            id: id, change: EpicChange(status: .planned, owner: "ana", title: "More CI runners"), actor: "lead", policy: Self.policy
        )
        #expect(updated.status == .planned && updated.owner == "ana" && updated.title == "More CI runners")
        let audit = try #require(try await self.database.auditLog().last)
        #expect(audit.action == "epic.update" && audit.actor == "lead" && audit.detail.contains("status=planned"))
        await #expect(throws: EpicError.curated(Self.november, [id])) { try await self.generate() }
        #expect(try await self.epics.list(month: Self.november, policy: Self.policy).epics.first?.title == "More CI runners")
        _ = try await self.generate(force: true)
        #expect(try await self.epics.list(month: Self.november, policy: Self.policy).epics.allSatisfy { $0.status == .proposed })
    }

    @Test func refusesAnUnknownEpicAndABadTitle() async throws {
        await #expect(throws: EpicError.notFound(99)) {
            try await self.epics.update(id: 99, change: EpicChange(status: .done), actor: "lead", policy: Self.policy)
        }
        await #expect(throws: EpicError.invalid(FieldError(field: "title", message: "must not be empty"))) {
            try await self.epics.update(id: 1, change: EpicChange(title: " "), actor: "lead", policy: Self.policy)
        }
    }

    @Test func mergesTwoEpicsIntoOneRescoredTheme() async throws {
        try await self.answer(Self.november)
        _ = try await self.generate()
        let before = try await self.epics.list(month: Self.november, policy: Self.policy).epics
        #expect(before.count == 2)
        let (keep, fold) = (before[1], before[0])
        let merged = try await self.epics.merge(into: keep.id, from: fold.id, actor: "lead", policy: Self.policy)
        #expect(merged.respondents == 11)
        #expect(merged.rank == 1)
        #expect(merged.score > max(keep.score, fold.score))
        let after = try await self.epics.list(month: Self.november, policy: Self.policy).epics
        #expect(after.map(\.id) == [keep.id])
        #expect(try await self.database.auditLog().last?.detail == "#\(fold.id) into #\(keep.id) (2026-11)")
        await #expect(throws: EpicError.merged(fold.id, into: keep.id)) {
            try await self.epics.update(id: fold.id, change: EpicChange(status: .done), actor: "lead", policy: Self.policy)
        }
        await #expect(throws: EpicError.sameEpic(keep.id)) {
            try await self.epics.merge(into: keep.id, from: keep.id, actor: "lead", policy: Self.policy)
        }
    }

    @Test func refusesToMergeEpicsOfDifferentMonths() async throws {
        try await self.answer(Self.october)
        try await self.answer(Self.november)
        _ = try await self.generate(Self.october)
        _ = try await self.generate(Self.november)
        let october = try #require(try await self.epics.list(month: Self.october, policy: Self.policy).epics.first)
        let november = try #require(try await self.epics.list(month: Self.november, policy: Self.policy).epics.first)
        await #expect(throws: EpicError.differentMonths(november.id, Self.november, october.id, Self.october)) {
            try await self.epics.merge(into: november.id, from: october.id, actor: "lead", policy: Self.policy)
        }
    }

    @Test func followsAThemeFromMonthToMonthAndAfterItsEpicWasDone() async throws {
        try await self.answer(Self.october, runners: 8)
        try await self.answer(Self.november, runners: 4)
        _ = try await self.generate(Self.october)
        let earlier = try #require(try await self.epics.list(month: Self.october, policy: Self.policy).epics.first { $0.keywords.contains("ci") })
        _ = try await self.epics.update(id: earlier.id, change: EpicChange(status: .done), actor: "lead", policy: Self.policy)
        _ = try await self.generate(Self.november)
        let later = try #require(try await self.epics.list(month: Self.november, policy: Self.policy).epics.first { $0.keywords.contains("ci") })
        #expect(later.previousId == earlier.id)
        #expect(later.history.monthsRunning == 2)
        #expect(later.breakdown.monthsRunning == 2)
        #expect(later.history.respondentsByMonth.map(\.respondents) == [8, 4])
        #expect(later.history.sinceDone == ThemeHistory.SinceDone(epicId: earlier.id, month: Self.october, respondentsThen: 8, respondentsNow: 4))
        #expect(try await self.epics.latestMonth() == Self.november)
    }
}
