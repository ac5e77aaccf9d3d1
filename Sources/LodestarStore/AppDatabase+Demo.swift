import Foundation
import GRDB
import LodestarCore

extension AppDatabase {
    /// Fills an empty database with the demo organisation's survey history, through the same paths real answers take.
    /// - Returns: the number of rounds and responses written.
    public func seedDemo(
        definition: SurveyDefinition, lastMonth: Month, today: Date = Date(), organisation: DemoOrganisation? = nil
    ) async throws -> (rounds: Int, responses: Int) {
        let organisation = organisation ?? DemoOrganisation(lastMonth: lastMonth, today: today)
        let base = self.surveyService()
        var responses = 0
        for round in organisation.rounds {
            let opened = try await base.rounds.open(month: round.month, mode: round.mode, definition: definition, actor: "demo")
            var tokens = round.invited > 0
                ? try await base.invites.createInvites(for: opened, count: round.invited, team: nil, actor: "demo")[...]
                : []
            for response in round.responses {
                var submission = response.submission
                submission.token = tokens.popFirst()
                let service = self.surveyService(now: { response.day })
                _ = try await service.submit(submission)
                responses += 1
            }
            if round.month != lastMonth {
                _ = try await base.rounds.close(month: round.month, actor: "demo")
            }
        }
        return (organisation.rounds.count, responses)
    }

    /// Fills the pipeline tables with a year of the demo services' history up to `end`, and maps each service to its
    /// team. - Returns: the number of events written.
    public func seedDemoPipeline(end: Date = Date()) async throws -> Int {
        let pipeline = DemoPipeline(services: DemoPipeline.demoServices, end: end)
        return try await self.writer.write { db in
            let writer = try PipelineWriter(db: db)
            var count = 0
            try pipeline.generate { event in
                try writer.write(event)
                count += 1
                return true
            }
            for service in pipeline.services {
                try PipelineSQLiteRepository.mapTeam(db, service: service.name, team: service.team)
            }
            try AuditRecord.append(db, actor: "demo", action: "pipeline.import", detail: "\(count) demo events")
            return count
        }
    }

    /// Generates the top five epics of each of the demo's months, oldest first (so themes link from month to month),
    /// and curates the older ones as a lead would: each month's first epic done, its second in progress.
    /// - Returns: the number of epics written.
    public func seedDemoEpics(lastMonth: Month, months: Int = 6) async throws -> Int {
        let repository = EpicSQLiteRepository(database: self)
        let columns = try await PipelineSQLiteRepository(database: self).deliveryColumns()
        var count = 0
        for offset in stride(from: months - 1, through: 0, by: -1) {
            let month = lastMonth.adding(months: -offset)
            let report = try MetricsQuery(from: month.description, to: month.description).report(columns: columns)
            let generated = try await repository.generate(month: month, top: 5, delivery: DeliverySignals(report: report), force: true, actor: "demo")
            count += generated.epics
            guard offset >= 2 else { continue }
            let epics = try await repository.list(month: month, policy: AnonymityPolicy()).epics
            for epic in epics.prefix(2) {
                let status: EpicStatus = epic.rank == 1 ? .done : .inProgress
                _ = try await repository.update(
                    id: epic.id, change: EpicChange(status: status, owner: "platform team"), actor: "demo", policy: AnonymityPolicy()
                )
            }
        }
        return count
    }

    /// A larger organisation for the report benchmark: `months` rounds of answers from `teams` teams (team-01…),
    /// the generated services (service-001…) mapped to those teams, and each month's epics.
    public func seedBenchOrganisation(
        definition: SurveyDefinition, months: Int, teams: Int, responses: Int, services: Int
    ) async throws -> (rounds: Int, responses: Int, epics: Int) {
        let lastMonth = Month(containing: Date())
        let names = (1...teams).map { "team-" + $0.zeroPadded(2) }
        let organisation = DemoOrganisation(
            lastMonth: lastMonth, months: months, teams: names.map { ($0, 1.0) }, responses: responses...(responses + responses / 3)
        )
        var definition = definition
        definition.teams = names
        let seeded = try await self.seedDemo(definition: definition, lastMonth: lastMonth, organisation: organisation)
        try await self.writer.write { db in
            for service in DemoPipeline.services(count: services) {
                try PipelineSQLiteRepository.mapTeam(db, service: service.name, team: service.team)
            }
        }
        let epics = try await self.seedDemoEpics(lastMonth: lastMonth, months: months)
        return (seeded.rounds, seeded.responses, epics)
    }

    /// Whether any round exists, so `demo` can tell a fresh database from one it filled before.
    public func hasRounds() async throws -> Bool {
        try await self.writer.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM surveyRound)") ?? false }
    }
}
