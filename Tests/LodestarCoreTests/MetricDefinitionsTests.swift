import Foundation
import Testing

@testable import LodestarCore

/// The README, the report's method section and `metrics --explain` say the same thing: the README's list is
/// checked here against the one text in the code, and the others print that text.
struct MetricDefinitionsTests {
    /// The README's "Metric definitions" bullets, each joined onto one line.
    static func readmeBullets() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "### Metric definitions\n").dropFirst().first)
        var bullets: [String] = []
        for line in section.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("- ") {
                bullets.append(String(line))
            } else if line.hasPrefix("  "), !bullets.isEmpty {
                bullets[bullets.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
            } else if !bullets.isEmpty {
                break
            }
        }
        return bullets
    }

    @Test func theReadmeSaysWhatTheCodeSays() throws {
        let bullets = try Self.readmeBullets()
        let expected = MetricDefinitions.all().map(\.markdown)
        #expect(bullets == expected, "README.md's Metric definitions should read, one bullet a line:\n\(expected.joined(separator: "\n"))")
    }

    @Test func plainTextDropsOnlyTheMarkdownMarks() {
        #expect(MetricDefinitions.deployment.plain == "Deployment: a successful deployment to production. Deployment frequency is deployments per week in the period.")
        #expect(!MetricDefinitions.all().map(\.plain).joined().contains("`"))
    }

    @Test func theWindowInTheTextIsTheWindowTheFactsUse() {
        #expect(MetricDefinitions.changeFailureRate.text.contains("within \(MetricDefinitions.incidentWindowHours) hours"))
    }
}

extension MetricDefinitionsTests {
    @Test func theReworkTextNamesTheHoursInForce() throws {
        let rule = try ReworkRule(hours: 6)
        #expect(MetricDefinitions.rework(rule).text.contains("within 6 hours"))
        #expect(MetricDefinitions.all(rework: rule).contains(MetricDefinitions.rework(rule)))
    }
}
