import Foundation
import LodestarCore

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

    /// The month's epics as `epics list` shows them.
    func list(_ month: Month = Self.november) async throws -> [Epic] {
        try await self.epics.list(month: month, policy: Self.policy).epics
    }

    /// The last entry of the audit log.
    func lastAudit() async throws -> AuditEntry? {
        try await self.storage.admin.auditLog().last
    }
}
