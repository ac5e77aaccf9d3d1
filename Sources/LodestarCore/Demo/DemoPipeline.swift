import Foundation

/// Made-up pipeline history from a seed: commits pushed in chains, staging and production deployments, failures
/// fixed by a later deployment, incidents (some naming their cause). Delivery gets better over the period, as it
/// does where a platform team does its job. Feeds the demo and the ingest benchmark.
public struct DemoPipeline: Sendable {
    public struct Service: Sendable, Equatable {
        public var name: String
        public var team: String
        /// Commits a working day at the start of the period.
        public var commitsPerDay: Double
        /// Production deployments a working day at the start of the period.
        public var deploysPerDay: Double
        /// Share of production deployments that fail at the start of the period.
        public var failureRate: Double

        public init(name: String, team: String, commitsPerDay: Double, deploysPerDay: Double, failureRate: Double) {
            self.name = name
            self.team = team
            self.commitsPerDay = commitsPerDay
            self.deploysPerDay = deploysPerDay
            self.failureRate = failureRate
        }
    }

    /// The demo organisation's services, owned by its five teams.
    public static let demoServices: [Service] = [
        Service(name: "payments-api", team: "payments", commitsPerDay: 9, deploysPerDay: 1.2, failureRate: 0.16),
        Service(name: "ledger", team: "payments", commitsPerDay: 4, deploysPerDay: 0.4, failureRate: 0.22),
        Service(name: "checkout-web", team: "checkout", commitsPerDay: 12, deploysPerDay: 2.5, failureRate: 0.12),
        Service(name: "cart", team: "checkout", commitsPerDay: 5, deploysPerDay: 0.8, failureRate: 0.1),
        Service(name: "search-api", team: "search", commitsPerDay: 6, deploysPerDay: 1, failureRate: 0.14),
        Service(name: "indexer", team: "search", commitsPerDay: 3, deploysPerDay: 0.3, failureRate: 0.25),
        Service(name: "mobile-bff", team: "mobile", commitsPerDay: 5, deploysPerDay: 0.5, failureRate: 0.18),
        Service(name: "etl-jobs", team: "data-platform", commitsPerDay: 3, deploysPerDay: 0.2, failureRate: 0.3),
    ]

    /// `count` generated services over twenty teams, of mixed sizes, for benchmarks.
    public static func services(count: Int, seed: UInt64 = 7) -> [Service] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { index in
            let size = Double.random(in: 0.3...1.7, using: &random)
            return Service(
                name: String(format: "service-%03d", index + 1), team: String(format: "team-%02d", index % 20 + 1),
                commitsPerDay: 6 * size, deploysPerDay: 1.2 * size, failureRate: Double.random(in: 0.05...0.3, using: &random)
            )
        }
    }

    public var services: [Service]
    /// The first day (UTC midnight) and the number of days.
    public var start: Date
    public var days: Int
    public var seed: UInt64
    /// Multiplies every service's commit and deployment rates.
    public var scale: Double

    public init(services: [Service], end: Date, days: Int = 365, seed: UInt64 = 2026, scale: Double = 1) {
        self.services = services
        self.start = Calendar.utc.startOfDay(for: end).addingTimeInterval(-Double(days) * 86_400)
        self.days = days
        self.seed = seed
        self.scale = scale
    }

    /// Per-service state carried from day to day.
    struct Lane {
        var head: String?
        var lastProduction: String?
        var sequence = 0
    }

    /// Calls `emit` with every event, day by day; stops early when `emit` returns false.
    public func generate(_ emit: (PipelineEvent) throws -> Bool) rethrows {
        var random = SeededGenerator(seed: self.seed)
        var lanes = [Lane](repeating: Lane(), count: self.services.count)
        for day in 0..<self.days {
            let dayStart = self.start.addingTimeInterval(Double(day) * 86_400)
            let weekday = Calendar.utc.component(.weekday, from: dayStart)
            let workday = weekday != 1 && weekday != 7
            // 0 at the start of the period, 1 at its end: things improve.
            let progress = Double(day) / Double(max(1, self.days - 1))
            for (index, service) in self.services.enumerated() {
                var events: [PipelineEvent] = []
                Self.day(
                    service: service, lane: &lanes[index], dayStart: dayStart, workday: workday, progress: progress,
                    scale: self.scale, random: &random, into: &events
                )
                for event in events where try !emit(event) { return }
            }
        }
    }

    static func day(
        service: Service, lane: inout Lane, dayStart: Date, workday: Bool, progress: Double, scale: Double,
        random: inout SeededGenerator, into events: inout [PipelineEvent]
    ) {
        let activity = (workday ? 1 : 0.08) * scale
        // Commits during working hours, each pushed on top of the one before.
        let commits = Self.count(mean: service.commitsPerDay * activity, random: &random)
        var times = (0..<commits).map { _ in dayStart.addingTimeInterval(Double.random(in: 8.5...18.5, using: &random) * 3600) }
        times.sort()
        var commitsByTime: [(Date, String)] = []
        let headAtDawn = lane.head
        for committed in times {
            lane.sequence += 1
            let sha = Self.sha(service: service.name, sequence: lane.sequence)
            // Work starts earlier while pipelines are slow; the gap shrinks as the platform improves.
            let authoringHours = Double.random(in: 0.5...(30 - 18 * progress), using: &random)
            events.append(
                .change(
                    ChangeEvent(
                        sha: sha, service: service.name, authoredAt: committed.addingTimeInterval(-authoringHours * 3600),
                        committedAt: committed, parent: lane.head
                    )
                )
            )
            lane.head = sha
            commitsByTime.append((committed, sha))
        }
        // Deployments: more of them and fewer failures as the year goes on.
        let deploys = Self.count(mean: service.deploysPerDay * activity * (1 + 1.5 * progress), random: &random)
        var deployTimes = (0..<deploys).map { _ in dayStart.addingTimeInterval(Double.random(in: 10...20, using: &random) * 3600) }
        deployTimes.sort()
        for finished in deployTimes {
            // The head at the time of the deployment, or the last one pushed before today.
            guard let head = commitsByTime.last(where: { $0.0 < finished.addingTimeInterval(-1800) })?.1 ?? headAtDawn,
                head != lane.lastProduction
            else { continue }
            lane.sequence += 1
            let id = "\(service.name)-\(lane.sequence)"
            let started = finished.addingTimeInterval(-Double.random(in: 240...1500, using: &random))
            events.append(
                .deployment(
                    DeploymentEvent(
                        id: id + "-stg", service: service.name, environment: "staging", shas: [head],
                        startedAt: started.addingTimeInterval(-2400), finishedAt: started.addingTimeInterval(-1200), result: .success
                    )
                )
            )
            let failed = Double.random(in: 0..<1, using: &random) < service.failureRate * (1 - 0.6 * progress)
            events.append(
                .deployment(
                    DeploymentEvent(
                        id: id, service: service.name, environment: "production", shas: [head], startedAt: started, finishedAt: finished,
                        result: failed ? (Double.random(in: 0..<1, using: &random) < 0.3 ? .rolledBack : .failure) : .success
                    )
                )
            )
            if !failed {
                lane.lastProduction = head
                // Now and then a deployment that went out fine breaks something.
                if Double.random(in: 0..<1, using: &random) < 0.05 * (1 - 0.5 * progress) {
                    let opened = finished.addingTimeInterval(Double.random(in: 0.2...8, using: &random) * 3600)
                    let restoreHours = exp(Double.random(in: -1.5...2.5, using: &random)) * (1 - 0.5 * progress)
                    let named = Double.random(in: 0..<1, using: &random) < 0.5
                    events.append(
                        .incident(
                            IncidentEvent(
                                id: "INC-\(service.name)-\(lane.sequence)", service: service.name,
                                title: "\(service.name) errors after deploy", openedAt: opened,
                                resolvedAt: opened.addingTimeInterval(restoreHours * 3600),
                                rootCauseSHA: named ? String(head.prefix(7)) : nil
                            )
                        )
                    )
                }
            }
        }
    }

    /// A small random count with the given mean (Poisson by Knuth's method; fine for means under ~30).
    static func count(mean: Double, random: inout SeededGenerator) -> Int {
        guard mean > 0 else { return 0 }
        let limit = exp(-mean)
        var product = Double.random(in: 0..<1, using: &random)
        var count = 0
        while product > limit {
            count += 1
            product *= Double.random(in: 0..<1, using: &random)
        }
        return count
    }

    /// A 40-hex-digit id, stable for a service and sequence number.
    static func sha(service: String, sequence: Int) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in service.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var random = SeededGenerator(seed: hash ^ UInt64(sequence))
        return (0..<3).map { _ in String(format: "%016llx", random.next()) }.joined().prefix(40).description
    }
}
