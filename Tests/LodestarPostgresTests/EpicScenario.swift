import Foundation
import LodestarCore
import Testing

/// The survey answers the epic and monthly-report tests start from, and the epic commands they run, over one store
/// through the same `Services` the composition root builds.
struct EpicScenario {
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

    let storage: any Storage
    let services: Services

    init(_ storage: any Storage) {
        self.storage = storage
        self.services = Services(storage: storage)
    }

    var epics: EpicService { self.services.epics }

    /// Opens `month` and answers it: `runners` people want more CI runners, `kubernetes` find the cluster upgrades
    /// painful, `onboarding` found their first week confusing. The last two groups answer from `smallTeam`.
    func answer(_ month: Month, runners: Int = 6, kubernetes: Int = 5, onboarding: Int = 0, smallTeam: String = "search") async throws {
        let survey = self.services.survey()
        _ = try await survey.rounds.open(month: month, mode: .open, definition: Self.definition, actor: "test")
        func submit(_ answers: [String: String], team: String) async throws {
            _ = try await survey.submit(Submission(month: month, team: team, answers: answers, ratings: ["satisfaction": .number(3)]))
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

    /// `epics generate` for `month`.
    func generate(_ month: Month = Self.november, top: Int = 5, force: Bool = false) async throws -> GeneratedEpics {
        try await self.epics.generate(month: month, top: top, delivery: DeliverySignals(), force: force, actor: "test")
    }

    /// Two months of answers with CI runners raised in both, October's CI epic marked done before November's epics
    /// are generated. - Returns: October's CI epic.
    @discardableResult
    func ciEpicDoneInOctoberThenNovember() async throws -> Epic {
        try await self.answer(Self.october, runners: 8)
        try await self.answer(Self.november, runners: 4)
        _ = try await self.generate(Self.october)
        let earlier = try #require(try await self.list(Self.october).first { $0.keywords.contains("ci") })
        _ = try await self.epics.update(id: earlier.id, change: EpicChange(status: .done), actor: "lead", policy: Self.policy)
        _ = try await self.generate(Self.november)
        return earlier
    }

    /// The month's epics as `epics list` shows them.
    func list(_ month: Month = Self.november) async throws -> [Epic] {
        try await self.epics.list(month: month, policy: Self.policy).epics
    }

    /// The last entry of the audit log.
    func lastAudit() async throws -> AuditEntry? {
        try await self.storage.admin.auditLog().last
    }
}
