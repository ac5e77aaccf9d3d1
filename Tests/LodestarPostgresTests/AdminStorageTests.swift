import Foundation
import LodestarCore
import Testing

/// Settings, the audit log and counts, the same on SQLite and on PostgreSQL.
struct AdminStorageTests {
    static let month = try! Month(parsing: "2026-11")
    static let definition = SurveyDefinition(
        id: "pulse", title: "Pulse", intro: "", questions: [Question(id: "best", kind: .text, prompt: "Best?", required: true)]
    )

    @Test(arguments: Backend.allCases)
    func keepsTheFirstValueOfASetting(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let first = try await store.admin.setting("secret") { "first" }
            let second = try await store.admin.setting("secret") { "second" }
            #expect(first == "first" && second == "first")
        }
    }

    @Test(arguments: Backend.allCases)
    func givesEveryConcurrentCallerTheSameSetting(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let values = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<8 { group.addTask { try await store.admin.setting("secret") { "value \(index)" } } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(values.count == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func keepsTheAuditLogInTheOrderOfTheActions(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let round = try await store.rounds.open(month: Self.month, mode: .invite, definition: Self.definition, actor: "lead")
            _ = try await store.invites.createInvites(for: round, count: 2, team: nil, actor: "lead")
            _ = try await store.rounds.close(month: Self.month, actor: "lead")
            try await store.admin.recordAudit(actor: "ci", action: "report.publish", detail: "2026-11")
            let log = try await store.admin.auditLog()
            #expect(log.map(\.action) == ["round.open", "round.invite", "round.close", "report.publish"])
            #expect(log.map(\.detail) == ["2026-11 pulse invite", "2026-11 2 -", "2026-11", "2026-11"])
            #expect(log.map(\.actor) == ["lead", "lead", "lead", "ci"])
            #expect(zip(log, log.dropFirst()).allSatisfy { $0.at <= $1.at })
        }
    }

    @Test(arguments: Backend.allCases)
    func countsResponses(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            #expect(try await store.admin.counts() == StoredCounts(responses: 0, events: 0))
            let round = try await store.rounds.open(month: Self.month, mode: .open, definition: Self.definition, actor: "lead")
            for day in ["2026-11-02", "2026-11-03"] {
                _ = try await store.responses.submit(ValidatedResponse(team: nil, texts: ["best": "CI"], numbers: [:]), to: round, token: nil, on: day)
            }
            #expect(try await store.admin.counts() == StoredCounts(responses: 2, events: 0))
        }
    }

    @Test(arguments: Backend.allCases)
    func tellsAFreshDatabaseByItsRounds(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            #expect(try await store.admin.hasRounds() == false)
            _ = try await store.rounds.open(month: Self.month, mode: .open, definition: Self.definition, actor: "lead")
            #expect(try await store.admin.hasRounds() == true)
        }
    }
}
