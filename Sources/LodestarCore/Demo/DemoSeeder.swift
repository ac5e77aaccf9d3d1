import Foundation

/// Fills an empty database, on either backend, with the demo organisation through the same services real data
/// takes: survey answers through the survey service, pipeline events through the pipeline repository, epics
/// through the epic service.
public struct DemoSeeder: Sendable {
    let services: Services

    public init(services: Services) {
        self.services = services
    }

    /// Events stored per transaction when filling the pipeline history.
    static let eventBatch = 5_000

    /// The demo organisation's survey history. - Returns: the number of rounds and responses written.
    public func seedSurvey(
        definition: SurveyDefinition, lastMonth: Month, today: Date = Date(), organisation: DemoOrganisation? = nil
    ) async throws -> (rounds: Int, responses: Int) {
        let organisation = organisation ?? DemoOrganisation(lastMonth: lastMonth, today: today)
        let base = self.services.survey()
        var responses = 0
        for round in organisation.rounds {
            let opened = try await base.rounds.open(month: round.month, mode: round.mode, definition: definition, actor: "demo")
            var tokens = round.invited > 0
                ? try await base.invites.createInvites(for: opened, count: round.invited, team: nil, actor: "demo")[...]
                : []
            for response in round.responses {
                var submission = response.submission
                submission.token = tokens.popFirst()
                _ = try await self.services.survey(now: { response.day }).submit(submission)
                responses += 1
            }
            if round.month != lastMonth {
                _ = try await base.rounds.close(month: round.month, actor: "demo")
            }
        }
        return (organisation.rounds.count, responses)
    }

    /// `days` (a year) of the demo services' pipeline history up to `end`, each service mapped to its team.
    /// - Returns: the number of events written.
    public func seedPipeline(end: Date = Date(), days: Int = 365) async throws -> Int {
        let pipeline = DemoPipeline(services: DemoPipeline.demoServices, end: end, days: days)
        var events: [PipelineEvent] = []
        pipeline.generate { event in
            events.append(event)
            return true
        }
        for start in stride(from: 0, to: events.count, by: Self.eventBatch) {
            _ = try await self.services.storage.pipeline.store(Array(events[start..<min(start + Self.eventBatch, events.count)]), deliveryId: nil)
        }
        for service in pipeline.services {
            try await self.services.storage.pipeline.mapTeam(service: service.name, team: service.team, actor: "demo")
        }
        try await self.services.storage.admin.recordAudit(actor: "demo", action: "pipeline.import", detail: "\(events.count) demo events")
        return events.count
    }

    /// Generates the top five epics of each of the demo's months, oldest first (so themes link from month to month),
    /// and curates the older ones as a lead would: each month's first epic done, its second in progress.
    /// - Returns: the number of epics written.
    public func seedEpics(lastMonth: Month, months: Int = 6) async throws -> Int {
        let epics = self.services.epics
        let columns = try await self.services.storage.pipeline.deliveryColumns()
        var count = 0
        for offset in stride(from: months - 1, through: 0, by: -1) {
            let month = lastMonth.adding(months: -offset)
            let delivery = PipelineService.deliverySignals(month: month, columns: columns)
            count += try await epics.generate(month: month, top: 5, delivery: delivery, force: true, actor: "demo").epics
            guard offset >= 2 else { continue }
            for epic in try await epics.list(month: month, policy: AnonymityPolicy()).epics.prefix(2) {
                let status: EpicStatus = epic.rank == 1 ? .done : .inProgress
                _ = try await epics.update(id: epic.id, change: EpicChange(status: status, owner: "platform team"), actor: "demo", policy: AnonymityPolicy())
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
        let seeded = try await self.seedSurvey(definition: definition, lastMonth: lastMonth, organisation: organisation)
        for service in DemoPipeline.services(count: services) {
            try await self.services.storage.pipeline.mapTeam(service: service.name, team: service.team, actor: "demo")
        }
        let epics = try await self.seedEpics(lastMonth: lastMonth, months: months)
        return (seeded.rounds, seeded.responses, epics)
    }
}
