import Foundation
import LodestarCore
import LodestarStore
import LodestarTestSupport
import Testing

/// Lodestar's delivery metrics against `scripts/delivery_reference.py`, a second implementation written from the
/// README's definitions alone: on generated years of history (many services, merges, force-pushes, failures,
/// incidents with and without a named cause), every group's figures must be the same.
struct DeliveryReferenceTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/delivery_reference.py")

    /// The figures the reference computes too (it gives no tiers), as JSON values.
    static func figures(_ group: GroupMetrics) -> [String: String] {
        func text(_ value: Double?) -> String { value.map { String($0) } ?? "null" }
        func text(_ distribution: Distribution) -> String { "\(text(distribution.median)) \(text(distribution.p90)) \(distribution.samples)" }
        return [
            "deployments": String(group.deployments), "deploymentsPerWeek": text(group.deploymentsPerWeek),
            "leadTimeHours": text(group.leadTimeHours), "failedDeployments": String(group.failedDeployments),
            "changeFailureRate": text(group.changeFailureRate), "incidents": String(group.incidents),
            "timeToRestoreHours": text(group.timeToRestoreHours), "recoveryTimeHours": text(group.recoveryTimeHours),
            "skippedClockSkew": String(group.skippedClockSkew), "reworkDeployments": String(group.reworkDeployments),
            "reworkRate": text(group.reworkRate),
        ]
    }

    static func figures(reference group: [String: Any]) -> [String: String] {
        func text(_ value: Any?) -> String {
            guard let number = value as? NSNumber else { return "null" }
            return String(number.doubleValue)
        }
        func count(_ value: Any?) -> String { String((value as? NSNumber)?.intValue ?? -1) }
        func text(distribution value: Any?) -> String {
            let fields = value as? [String: Any] ?? [:]
            return "\(text(fields["median"])) \(text(fields["p90"])) \(count(fields["samples"]))"
        }
        return [
            "deployments": count(group["deployments"]), "deploymentsPerWeek": text(group["deploymentsPerWeek"]),
            "leadTimeHours": text(distribution: group["leadTimeHours"]), "failedDeployments": count(group["failedDeployments"]),
            "changeFailureRate": text(group["changeFailureRate"]), "incidents": count(group["incidents"]),
            "timeToRestoreHours": text(distribution: group["timeToRestoreHours"]), "recoveryTimeHours": text(distribution: group["recoveryTimeHours"]),
            "skippedClockSkew": count(group["skippedClockSkew"]), "reworkDeployments": count(group["reworkDeployments"]),
            "reworkRate": text(group["reworkRate"]),
        ]
    }

    @Test(arguments: [11, 2026, 90_210] as [UInt64])
    func everyGroupMatchesTheReference(seed: UInt64) async throws {
        let scenario = DeliveryScenario(seed: seed, services: 6, days: 365)
        let events = try scenario.events().flatMap(\.self)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lodestar-reference-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("events.ndjson")
        try Data(events.map { GenericRecord.jsonLine($0) + "\n" }.joined().utf8).write(to: file)

        let repository = PipelineSQLiteRepository(database: try AppDatabase.inMemory())
        _ = try await repository.store(events, deliveryId: nil)
        let columns = try await repository.deliveryColumns()
        let facts = DeliveryFacts(columns: columns)
        var compared = 0
        let overall = MetricsReport(facts: facts, period: scenario.period, baseline: nil, grouping: nil).groups[0]
        // The history has what the definitions are about: failures, clock skew, restores, recoveries and rework.
        #expect(overall.failedDeployments > 0 && overall.skippedClockSkew > 0 && overall.recoveryTimeHours.samples > 0)
        #expect(overall.reworkDeployments > 0)
        // The default rework rule by every grouping, and a shorter one by service.
        let short = try ReworkRule(hours: 6)
        let runs: [(MetricsGrouping?, ReworkRule)] = [(nil, .standard), (.service, .standard), (.month, .standard), (.service, short)]
        for (grouping, rule) in runs {
            let ruled = rule == .standard ? facts : DeliveryFacts(columns: columns, rework: rule)
            let ours = MetricsReport(facts: ruled, period: scenario.period, baseline: nil, grouping: grouping).groups
            var arguments = [Self.script.path, file.path, "--from", String(scenario.period.from.timeIntervalSince1970),
                "--to", String(scenario.period.to.timeIntervalSince1970), "--rework-hours", String(rule.hours)]
            if let grouping { arguments += ["--by", grouping.rawValue] }
            let run = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), arguments: ["python3"] + arguments)
            try #require(run.status == 0, Comment(rawValue: String(decoding: run.err, as: UTF8.self)))
            let answer = try #require(try JSONSerialization.jsonObject(with: run.out) as? [String: Any])
            let theirs = try #require(answer["groups"] as? [[String: Any]])
            #expect(ours.map(\.key) == theirs.map { $0["key"] as? [String: String] ?? [:] })
            for (mine, reference) in zip(ours, theirs) {
                #expect(Self.figures(mine) == Self.figures(reference: reference), "\(mine.key)")
                compared += 1
            }
        }
        // A year of six services: one overall group, six services, twelve or thirteen months, six services again.
        #expect(compared >= 25)
    }
}
