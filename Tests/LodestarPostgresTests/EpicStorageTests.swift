import Foundation
import LodestarCore
import Testing

/// Generating, listing, editing and merging epics through `EpicService`, the same on SQLite and on PostgreSQL.
struct EpicStorageTests {
    typealias Scenario = EpicScenario

    @Test(arguments: Backend.allCases)
    func aMonthWithoutAnswersGetsNoEpicsAndStoresNothing(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            let scenario = Scenario(storage)
            let generated = try await scenario.generate()
            #expect(generated == GeneratedEpics(responses: 0, themes: 0, epics: 0))
            #expect(try await storage.epics.themes(in: [Scenario.november]).isEmpty)
            #expect(try await storage.epics.latestMonth() == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func storesTheTopThemesAsProposedEpicsInRankOrder(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            let scenario = Scenario(storage)
            try await scenario.answer(Scenario.november)
            let generated = try await scenario.generate(top: 1)
            #expect(generated.responses == 11 && generated.epics == 1)
            let listed = try await scenario.epics.list(month: Scenario.november, policy: Scenario.policy)
            let epic = try #require(listed.epics.first)
            #expect(listed.epics.count == 1)
            #expect(epic.rank == 1 && epic.status == .proposed && epic.respondents == 6)
            #expect(epic.keywords.contains("ci"))
            #expect(epic.quotes.count == 3 && epic.quotesWithheld == nil)
            #expect(epic.teams == [TeamCount(team: "payments", respondents: 6)])
            #expect(!listed.strengths.isEmpty)
            #expect(try await scenario.lastAudit()?.action == "epics.generate")
        }
    }

    @Test(arguments: Backend.allCases)
    func computesEpicsButQuotesNothingInAMonthUnderK(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            let scenario = Scenario(storage)
            try await scenario.answer(Scenario.november, runners: 2, kubernetes: 0)
            _ = try await scenario.generate()
            let epic = try #require(try await scenario.list().first)
            #expect(epic.respondents == 2)
            #expect(epic.quotes.isEmpty && epic.quotesWithheld != nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func quotesNoOneFromATeamUnderK(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            let scenario = Scenario(storage)
            try await scenario.answer(Scenario.november, onboarding: 2, smallTeam: "mobile")
            _ = try await scenario.generate()
            let epics = try await scenario.list()
            let onboarding = try #require(epics.first { $0.keywords.contains { $0.contains("onboard") } })
            #expect(onboarding.quotes.isEmpty)
            #expect(onboarding.respondents == 2 && onboarding.teams.isEmpty)
            #expect(epics.allSatisfy { !$0.quotes.contains { $0.contains("onboarding") } })
        }
    }

    // MARK: - The lead's changes

    @Test(arguments: Backend.allCases)
    func recordsACuratedChangeAndProtectsItFromRegenerating(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            let scenario = Scenario(storage)
            try await scenario.answer(Scenario.november)
            _ = try await scenario.generate()
            let id = try #require(try await scenario.list().first?.id)
            let updated = try await scenario.epics.update(
                id: id, change: EpicChange(status: .planned, owner: "ana", title: "More CI runners"), actor: "lead", policy: Scenario.policy
            )
            #expect(updated.status == .planned && updated.owner == "ana" && updated.title == "More CI runners")
            let audit = try #require(try await scenario.lastAudit())
            #expect(audit.action == "epic.update" && audit.actor == "lead" && audit.detail.contains("status=planned"))
            await #expect(throws: EpicError.curated(Scenario.november, [id])) { try await scenario.generate() }
            #expect(try await scenario.list().first?.title == "More CI runners")
            _ = try await scenario.generate(force: true)
            #expect(try await scenario.list().allSatisfy { $0.status == .proposed })
        }
    }

    @Test(arguments: Backend.allCases)
    func anyEditMarksTheEpicCuratedSoGeneratingWithoutForceRefuses(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            // Given a generated month whose second epic gets only a note
            let scenario = Scenario(storage)
            try await scenario.answer(Scenario.november)
            _ = try await scenario.generate()
            let before = try await scenario.list()
            let id = try #require(before.last?.id)
            #expect(try await storage.epics.curatedEpics(month: Scenario.november).isEmpty)
            _ = try await scenario.epics.update(id: id, change: EpicChange(note: "ask the platform team"), actor: "lead", policy: Scenario.policy)
            // Then the epic is curated and a plain regeneration leaves the month as it was
            #expect(try await storage.epics.curatedEpics(month: Scenario.november) == [id])
            await #expect(throws: EpicError.curated(Scenario.november, [id])) { try await scenario.generate() }
            #expect(try await scenario.list().map(\.id) == before.map(\.id))
            #expect(try await storage.epics.epic(id: id)?.note == "ask the platform team")
            #expect(try await scenario.lastAudit()?.action == "epic.update")
        }
    }

    @Test(arguments: Backend.allCases)
    func keepsTheLeadsTargetAndGoesBackToTheAutomaticLink(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            let scenario = Scenario(storage)
            try await scenario.answer(Scenario.november)
            _ = try await scenario.generate()
            let id = try #require(try await scenario.list().first?.id)
            let rated = try await scenario.epics.update(id: id, change: EpicChange(target: "rating:satisfaction"), actor: "lead", policy: Scenario.policy)
            #expect(rated.target == .rating("satisfaction") && rated.movesTarget == .rating("satisfaction"))
            _ = try await scenario.epics.update(id: id, change: EpicChange(target: "leadTime"), actor: "lead", policy: Scenario.policy)
            #expect(try await storage.epics.epic(id: id)?.target == .metric(.leadTime))
            #expect(try await scenario.lastAudit()?.detail.contains("target=leadTime") == true)
            let cleared = try await scenario.epics.update(id: id, change: EpicChange(target: ""), actor: "lead", policy: Scenario.policy)
            #expect(cleared.target == nil && cleared.movesTarget == cleared.breakdown.deliveryMetric.map(EpicTarget.metric))
        }
    }

    @Test(arguments: Backend.allCases)
    func refusesARatingTheRoundDoesNotAsk(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            let scenario = Scenario(storage)
            try await scenario.answer(Scenario.november)
            _ = try await scenario.generate()
            let id = try #require(try await scenario.list().first?.id)
            await #expect(throws: EpicError.unknownRating("mood", Scenario.november, ["satisfaction"])) {
                try await scenario.epics.update(id: id, change: EpicChange(target: "rating:mood"), actor: "lead", policy: Scenario.policy)
            }
            #expect(try await storage.epics.epic(id: id)?.target == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func refusesAnUnknownEpicAndABadTitle(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            let scenario = Scenario(storage)
            await #expect(throws: EpicError.notFound(99)) {
                try await scenario.epics.update(id: 99, change: EpicChange(status: .done), actor: "lead", policy: Scenario.policy)
            }
            await #expect(throws: EpicError.invalid(FieldError(field: "title", message: "must not be empty"))) {
                try await scenario.epics.update(id: 1, change: EpicChange(title: " "), actor: "lead", policy: Scenario.policy)
            }
        }
    }

    // MARK: - Merging

    @Test(arguments: Backend.allCases)
    func mergesTwoEpicsIntoOneRescoredTheme(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            let scenario = Scenario(storage)
            try await scenario.answer(Scenario.november)
            _ = try await scenario.generate()
            let before = try await scenario.list()
            try #require(before.count == 2)
            let (keep, fold) = (before[1], before[0])
            let merged = try await scenario.epics.merge(into: keep.id, from: fold.id, actor: "lead", policy: Scenario.policy)
            #expect(merged.respondents == 11)
            #expect(merged.rank == 1)
            #expect(merged.score > max(keep.score, fold.score))
            #expect(try await scenario.list().map(\.id) == [keep.id])
            #expect(try await scenario.lastAudit()?.detail == "#\(fold.id) into #\(keep.id) (2026-11)")
            await #expect(throws: EpicError.merged(fold.id, into: keep.id)) {
                try await scenario.epics.update(id: fold.id, change: EpicChange(status: .done), actor: "lead", policy: Scenario.policy)
            }
            await #expect(throws: EpicError.sameEpic(keep.id)) {
                try await scenario.epics.merge(into: keep.id, from: keep.id, actor: "lead", policy: Scenario.policy)
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func refusesToMergeEpicsOfDifferentMonths(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            let scenario = Scenario(storage)
            try await scenario.answer(Scenario.october)
            try await scenario.answer(Scenario.november)
            _ = try await scenario.generate(Scenario.october)
            _ = try await scenario.generate(Scenario.november)
            let october = try #require(try await scenario.list(Scenario.october).first)
            let november = try #require(try await scenario.list(Scenario.november).first)
            await #expect(throws: EpicError.differentMonths(november.id, Scenario.november, october.id, Scenario.october)) {
                try await scenario.epics.merge(into: november.id, from: october.id, actor: "lead", policy: Scenario.policy)
            }
        }
    }

    // MARK: - Across months

    @Test(arguments: Backend.allCases)
    func followsAThemeFromMonthToMonthAndAfterItsEpicWasDone(_ backend: Backend) async throws {
        try await backend.withStorage { storage async throws in
            let scenario = Scenario(storage)
            let earlier = try await scenario.ciEpicDoneInOctoberThenNovember()
            let later = try #require(try await scenario.list(Scenario.november).first { $0.keywords.contains("ci") })
            #expect(later.previousId == earlier.id)
            #expect(later.history.monthsRunning == 2)
            #expect(later.breakdown.monthsRunning == 2)
            #expect(later.history.respondentsByMonth.map(\.respondents) == [8, 4])
            #expect(
                later.history.sinceDone == ThemeHistory.SinceDone(epicId: earlier.id, month: Scenario.october, respondentsThen: 8, respondentsNow: 4)
            )
            #expect(try await scenario.epics.latestMonth() == Scenario.november)
        }
    }
}
