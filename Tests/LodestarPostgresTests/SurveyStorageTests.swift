import Foundation
import LodestarCore
import Testing

/// The survey repositories' behaviour, the same on SQLite and on PostgreSQL.
struct SurveyStorageTests {
    static let month = try! Month(parsing: "2026-11")
    static let definition = SurveyDefinition(
        id: "pulse", title: "Pulse", intro: "",
        questions: [
            Question(id: "best", kind: .text, prompt: "Best?", required: true),
            Question(id: "worst", kind: .text, prompt: "Worst?"),
            Question(id: "satisfaction", kind: .rating, prompt: "Happy?"),
        ]
    )
    static let answer = ValidatedResponse(
        team: "payments", texts: ["best": "fast CI", "worst": "flaky tests — ünïcode"], numbers: ["satisfaction": 4]
    )

    func open(_ store: TestStore, _ mode: SurveyRound.Mode = .open) async throws -> SurveyRound {
        try await store.rounds.open(month: Self.month, mode: mode, definition: Self.definition, actor: "lead")
    }

    // MARK: - Rounds

    @Test(arguments: Backend.allCases)
    func opensARoundThatReadsBackTheSame(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let opened = try await self.open(store)
            let read = try #require(try await store.rounds.round(for: Self.month))
            #expect(read.id == opened.id && read.definition == Self.definition && read.status == .open && read.mode == .open)
            #expect(try await store.rounds.latestOpenRound()?.month == Self.month)
        }
    }

    @Test(arguments: Backend.allCases)
    func refusesASecondRoundForTheSameMonth(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            _ = try await self.open(store)
            await #expect(throws: SurveyError.roundExists(Self.month)) { try await self.open(store) }
        }
    }

    @Test(arguments: Backend.allCases)
    func closesARoundOnce(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            _ = try await self.open(store)
            let closed = try await store.rounds.close(month: Self.month, actor: "lead")
            #expect(closed.status == .closed && closed.closedAt != nil)
            #expect(try await store.rounds.latestOpenRound() == nil)
            await #expect(throws: SurveyError.roundClosed(Self.month)) { try await store.rounds.close(month: Self.month, actor: "lead") }
        }
    }

    @Test(arguments: Backend.allCases)
    func refusesToCloseAMonthNeverOpened(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            await #expect(throws: SurveyError.roundNotOpened(Self.month)) { try await store.rounds.close(month: Self.month, actor: "lead") }
        }
    }

    @Test(arguments: Backend.allCases)
    func summarisesRoundsWithTheirCounts(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let round = try await self.open(store, .invite)
            let tokens = try await store.invites.createInvites(for: round, count: 3, team: nil, actor: "lead")
            _ = try await store.responses.submit(Self.answer, to: round, token: tokens[0], on: "2026-11-03")
            let summaries = try await store.rounds.summaries()
            #expect(summaries == [RoundSummary(month: Self.month, survey: "pulse", mode: .invite, status: .open, responses: 1, invited: 3)])
        }
    }

    // MARK: - Invitations

    @Test(arguments: Backend.allCases)
    func createsInvitationsThatAreUnusedUntilAnswered(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let round = try await self.open(store, .invite)
            let tokens = try await store.invites.createInvites(for: round, count: 2, team: "payments", actor: "lead")
            #expect(Set(tokens).count == 2)
            #expect(try await store.invites.invite(token: tokens[0]) == Invite(month: Self.month, team: "payments", used: false))
            #expect(try await store.responses.invitedCount(for: Self.month) == 2)
            _ = try await store.responses.submit(Self.answer, to: round, token: tokens[0], on: "2026-11-03")
            #expect(try await store.invites.invite(token: tokens[0])?.used == true)
            #expect(try await store.invites.invite(token: tokens[1])?.used == false)
        }
    }

    @Test(arguments: Backend.allCases)
    func knowsNoInvitationForAnUnknownToken(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            _ = try await self.open(store, .invite)
            #expect(try await store.invites.invite(token: String(repeating: "a", count: 26)) == nil)
            #expect(try await store.invites.invite(token: "not a token") == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func acceptsATokenOnlyOnce(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let round = try await self.open(store, .invite)
            let token = try await store.invites.createInvites(for: round, count: 1, team: nil, actor: "lead")[0]
            _ = try await store.responses.submit(Self.answer, to: round, token: token, on: "2026-11-03")
            await #expect(throws: SurveyError.tokenUsed) {
                try await store.responses.submit(Self.answer, to: round, token: token, on: "2026-11-03")
            }
            #expect(try await store.responses.responses(for: Self.month).count == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func acceptsATokenUsedOnTwoNodesAtOnceOnlyOnce(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let round = try await self.open(store, .invite)
            for token in try await store.invites.createInvites(for: round, count: 5, team: nil, actor: "lead") {
                async let first = outcome { try await store.responses.submit(Self.answer, to: round, token: token, on: "2026-11-03") }
                async let second = outcome { try await store.peerResponses.submit(Self.answer, to: round, token: token, on: "2026-11-03") }
                let results = await [first, second]
                #expect(results.filter { (try? $0.get()) != nil }.count == 1)
                #expect(results.contains { if case .failure(SurveyError.tokenUsed) = $0 { true } else { false } })
            }
            #expect(try await store.responses.responses(for: Self.month).count == 5)
        }
    }

    @Test(arguments: Backend.allCases)
    func refusesATokenOfNoInvitation(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let round = try await self.open(store, .invite)
            await #expect(throws: SurveyError.tokenInvalid) {
                try await store.responses.submit(Self.answer, to: round, token: String(repeating: "b", count: 26), on: "2026-11-03")
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func refusesAnInviteOnlyAnswerWithoutToken(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let round = try await self.open(store, .invite)
            await #expect(throws: SurveyError.tokenRequired) { try await store.responses.submit(Self.answer, to: round, token: nil, on: "2026-11-03") }
            #expect(try await store.responses.responses(for: Self.month).isEmpty)
        }
    }

    // MARK: - Responses

    @Test(arguments: Backend.allCases)
    func storesAResponseWithItsAnswers(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let round = try await self.open(store)
            let id = try await store.responses.submit(Self.answer, to: round, token: nil, on: "2026-11-03")
            let stored = try await store.responses.responses(for: Self.month)
            #expect(stored == [StoredResponse(id: id, team: "payments", submittedOn: "2026-11-03", texts: Self.answer.texts, numbers: Self.answer.numbers)])
        }
    }

    @Test func readsTheSameResponsesBackFromBothBackends() async throws {
        var results: [[StoredResponse]] = []
        for backend in Backend.allCases {
            try await backend.withStore { store async throws in
                let round = try await self.open(store)
                _ = try await store.responses.submit(Self.answer, to: round, token: nil, on: "2026-11-03")
                _ = try await store.responses.submit(ValidatedResponse(team: nil, texts: ["best": "docs"], numbers: [:]), to: round, token: nil, on: "2026-11-04")
                results.append(try await store.responses.responses(for: Self.month))
            }
        }
        #expect(results.count == 2 && results[0] == results[1])
    }

    @Test(arguments: Backend.allCases)
    func refusesAnAnswerToAClosedRound(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let round = try await self.open(store)
            _ = try await store.rounds.close(month: Self.month, actor: "lead")
            await #expect(throws: SurveyError.roundClosed(Self.month)) { try await store.responses.submit(Self.answer, to: round, token: nil, on: "2026-11-03") }
            #expect(try await store.responses.responses(for: Self.month).isEmpty)
        }
    }

    @Test(arguments: Backend.allCases)
    func readsNoResponsesForAMonthNeverOpened(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            #expect(try await store.responses.responses(for: Self.month).isEmpty)
            #expect(try await store.responses.invitedCount(for: Self.month) == 0)
        }
    }
}

/// What an async call gave: its value or its error, so two racing calls can be compared.
func outcome<Value>(_ body: () async throws -> Value) async -> Result<Value, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
