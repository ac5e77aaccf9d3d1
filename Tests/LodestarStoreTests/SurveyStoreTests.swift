import Foundation
import GRDB
import LodestarCore
import Testing

@testable import LodestarStore

struct SurveyStoreTests {
    static let month = try! Month(parsing: "2026-11")
    static let definition = SurveyDefinition(
        id: "pulse", title: "Pulse", intro: "",
        questions: [
            Question(id: "best", kind: .text, prompt: "Best?", required: true),
            Question(id: "satisfaction", kind: .rating, prompt: "Happy?"),
        ]
    )
    static let answer = Submission(answers: ["best": "fast CI"], ratings: ["satisfaction": .number(4)])

    let database: AppDatabase
    let service: SurveyService

    init() throws {
        self.database = try AppDatabase.inMemory()
        self.service = self.database.surveyService()
    }

    func open(_ mode: SurveyRound.Mode = .open) async throws -> SurveyRound {
        try await self.service.rounds.open(month: Self.month, mode: mode, definition: Self.definition, actor: "test")
    }

    @Test func storesAnAnswerAndReadsItBack() async throws {
        _ = try await self.open()
        let id = try await self.service.submit(Self.answer)
        let stored = try await self.service.responses.responses(for: Self.month)
        #expect(stored.map(\.id) == [id])
        #expect(stored.first?.texts == ["best": "fast CI"] && stored.first?.numbers == ["satisfaction": 4])
    }

    @Test func storesTheDayOnly() async throws {
        _ = try await self.open()
        let noon = Date(timeIntervalSince1970: 1_795_000_000)
        _ = try await self.database.surveyService(now: { noon }).submit(Self.answer)
        let day = try await self.database.writer.read { db in try String.fetchOne(db, sql: "SELECT submittedOn FROM response") }
        #expect(day == Day.string(from: noon))
        #expect(day?.count == 10)
    }

    @Test func keepsNoColumnThatCouldIdentifyARespondent() async throws {
        let columns = try await self.database.writer.read { db in
            try ["response", "answer", "invite"].flatMap { table in try db.columns(in: table).map { "\(table).\($0.name)" } }
        }
        #expect(Set(columns) == [
            "response.id", "response.roundId", "response.team", "response.submittedOn",
            "answer.responseId", "answer.questionId", "answer.text", "answer.value",
            "invite.tokenHash", "invite.roundId", "invite.team", "invite.used",
        ])
    }

    @Test func refusesASecondRoundForTheSameMonth() async throws {
        _ = try await self.open()
        await #expect(throws: SurveyError.roundExists(Self.month)) { try await self.open() }
    }

    @Test func refusesAnswersToAClosedRound() async throws {
        _ = try await self.open()
        _ = try await self.service.rounds.close(month: Self.month, actor: "test")
        var answer = Self.answer
        answer.month = Self.month
        await #expect(throws: SurveyError.roundClosed(Self.month)) { try await self.service.submit(answer) }
        #expect(try await self.service.responses.responses(for: Self.month).isEmpty)
    }

    @Test func refusesAnswersToAMonthNeverOpened() async throws {
        var answer = Self.answer
        answer.month = try Month(parsing: "2026-10")
        await #expect(throws: SurveyError.roundNotOpened(try Month(parsing: "2026-10"))) { try await self.service.submit(answer) }
    }

    @Test func storesInviteTokensOnlyAsHashes() async throws {
        let round = try await self.open(.invite)
        let tokens = try await self.service.invites.createInvites(for: round, count: 3, team: "payments", actor: "test")
        let hashes = try await self.database.writer.read { db in try String.fetchAll(db, sql: "SELECT tokenHash FROM invite") }
        #expect(tokens.count == 3 && hashes.count == 3)
        #expect(Set(hashes).isDisjoint(with: tokens))
        #expect(Set(hashes) == Set(tokens.map(InviteToken.hash)))
    }

    @Test func acceptsAnInviteTokenOnceAndUsesItsTeam() async throws {
        let round = try await self.open(.invite)
        let token = try #require(try await self.service.invites.createInvites(for: round, count: 1, team: "payments", actor: "test").first)
        var answer = Self.answer
        answer.token = token
        answer.team = "search"
        _ = try await self.service.submit(answer)
        await #expect(throws: SurveyError.tokenUsed) { try await self.service.submit(answer) }
        let stored = try await self.service.responses.responses(for: Self.month)
        #expect(stored.map(\.team) == ["payments"])
    }

    @Test func requiresATokenInInviteMode() async throws {
        _ = try await self.open(.invite)
        await #expect(throws: SurveyError.tokenRequired) { try await self.service.submit(Self.answer) }
    }

    @Test func refusesAnUnknownToken() async throws {
        _ = try await self.open(.invite)
        var answer = Self.answer
        answer.token = "aaaaaaaaaaaaaaaaaaaaaaaaaa"
        await #expect(throws: SurveyError.tokenInvalid) { try await self.service.submit(answer) }
        #expect(try await self.service.responses.responses(for: Self.month).isEmpty)
    }

    @Test func storesEveryOneOfManyConcurrentAnswers() async throws {
        _ = try await self.open()
        let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<300 { group.addTask { try await self.service.submit(Self.answer) } }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(Set(ids).count == 300)
        #expect(try await self.service.responses.responses(for: Self.month).count == 300)
    }

    @Test func letsOneFailingAnswerFailAloneInABatch() async throws {
        let round = try await self.open(.invite)
        let tokens = try await self.service.invites.createInvites(for: round, count: 20, team: nil, actor: "test")
        // Each token is sent twice at once: exactly one of each pair may be stored.
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for token in tokens + tokens {
                group.addTask {
                    var answer = Self.answer
                    answer.token = token
                    return (try? await self.service.submit(answer)) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 20)
        #expect(try await self.service.responses.responses(for: Self.month).count == 20)
        let answers = try await self.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM answer") }
        #expect(answers == 40)
    }

    @Test func recordsAdminActionsInTheAuditLog() async throws {
        let round = try await self.open(.invite)
        _ = try await self.service.invites.createInvites(for: round, count: 2, team: nil, actor: "test")
        _ = try await self.service.rounds.close(month: Self.month, actor: "test")
        #expect(try await self.database.auditLog().map(\.action) == ["round.open", "round.invite", "round.close"])
    }

    @Test func listsRoundsWithTheirCounts() async throws {
        let round = try await self.open(.invite)
        let tokens = try await self.service.invites.createInvites(for: round, count: 4, team: nil, actor: "test")
        var answer = Self.answer
        answer.token = tokens[0]
        _ = try await self.service.submit(answer)
        let summary = try #require(try await self.service.rounds.summaries().first)
        #expect(summary.responses == 1 && summary.invited == 4 && summary.mode == .invite)
    }

    @Test func backsUpToANewFile() async throws {
        _ = try await self.open()
        _ = try await self.service.submit(Self.answer)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lodestar-backup-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try self.database.backup(to: path)
        let copy = try AppDatabase.open(path: path)
        #expect(try await copy.surveyService().responses.responses(for: Self.month).count == 1)
        #expect(throws: StoreError.self) { try self.database.backup(to: path) }
    }

    @Test func explainsAMissingFolder() {
        #expect(throws: StoreError.cannotOpen(path: "/no/such/dir/x.sqlite", reason: "the folder /no/such/dir does not exist")) {
            try AppDatabase.open(path: "/no/such/dir/x.sqlite")
        }
    }
}
