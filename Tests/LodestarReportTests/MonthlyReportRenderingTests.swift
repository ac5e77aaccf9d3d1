import Foundation
import LodestarCore
import LodestarReport
import Testing

/// A report built from a month of answers (one of them hostile) and an empty pipeline history.
enum ReportFixture {
    static let month = try! Month(parsing: "2026-11")
    static let hostile = "<script>alert(1)</script> & \"quotes\" — مرحبا بالعالم " + String(repeating: "x", count: 300)

    static func report(responses: Int = 8, k: Int = 5) -> MonthlyReport {
        let definition = SurveyDefinition(
            id: "pulse", title: "Pulse", intro: "",
            questions: [Question(id: "best", kind: .text, prompt: "Best?"), Question(id: "satisfaction", kind: .rating, prompt: "Happy <b>?</b>")]
        )
        let answers = (0..<responses).map { StoredResponse(id: Int64($0), team: nil, submittedOn: "2026-11-02", texts: ["best": "ok"], numbers: ["satisfaction": 4]) }
        let epics = MonthEpics(month: Self.month, responses: responses, anonymityK: k, epics: [], strengths: [])
        let inputs = ReportInputs(
            month: Self.month, policy: try! AnonymityPolicy(k: k),
            rounds: [RoundSummary(month: Self.month, survey: "pulse", mode: .open, status: .open, responses: responses, invited: 0)],
            definition: definition, responses: [Self.month: answers], epics: epics,
            best: [], worst: [MonthlyReport.ThemeTrend(label: Self.hostile, respondents: 6, previousRespondents: 3)], change: [], outcomes: [],
            facts: DeliveryFacts(columns: DeliveryColumns()), latestResponseDay: "2026-11-02", latestEvent: nil
        )
        return MonthlyReport(inputs)
    }
}

struct MonthlyReportRenderingTests {
    @Test func escapesAnswersAndMarksThemForEitherDirection() {
        let html = ReportFixture.report().html()
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"))
        #expect(html.contains("<td dir=\"auto\">&lt;script&gt;"))
        #expect(html.contains("Happy &lt;b&gt;?&lt;/b&gt;"))
    }

    @Test func standsAloneWithoutScriptsOrExternalRequests() {
        let html = ReportFixture.report().html()
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src=\"http"))
        #expect(html.contains("<style>") && html.contains("@page{size:A4"))
    }

    @Test func drawsATrendChartForEachDeliveryMetric() {
        let html = ReportFixture.report().html()
        #expect(html.components(separatedBy: "role=\"img\"").count - 1 >= 4 + 2 + 1 + 1)
        for metric in DeliveryMetric.allCases {
            #expect(html.contains("by month</title>") && html.localizedCaseInsensitiveContains(metric.name + " by month"))
        }
    }

    @Test func showsReworkRateAndFailedDeploymentRecoveryTimeWithoutATier() {
        let report = ReportFixture.report()
        #expect(report.delivery.figures.map(\.figure) == [.recoveryTime, .reworkRate])
        let html = report.html()
        for figure in DeliveryFigure.allCases {
            #expect(html.localizedCaseInsensitiveContains(figure.name + " by month"))
            #expect(html.contains("<h3>\(figure.name)</h3>"))
        }
        #expect(html.contains("no DORA tier"))
        let markdown = report.markdown()
        #expect(markdown.contains("| rework rate | no data | no DORA tier |") && markdown.contains("failed deployment recovery time (hours)"))
        #expect(report.method.definitions.contains { $0.hasPrefix("Rework rate:") && $0.contains("within 24 hours") })
    }

    @Test func givesTheSameBytesForTheSameData() throws {
        let first = try ReportPublisher.render(ReportFixture.report(), formats: ReportFormat.allCases)
        let second = try ReportPublisher.render(ReportFixture.report(), formats: ReportFormat.allCases)
        #expect(first == second)
        #expect(first.count == 3)
    }

    @Test func withholdsRatingsAndThemesInAMonthUnderK() {
        let report = ReportFixture.report(responses: 3, k: 5)
        #expect(report.developers.withheld && report.developers.ratings.isEmpty && report.developers.worst.isEmpty)
        #expect(report.html().contains("Fewer than 5 responses this month"))
        #expect(!report.markdown().contains("script"))
    }

    @Test func saysSoWhenAMonthHasNoData() {
        let report = ReportFixture.report(responses: 0)
        #expect(!report.hasData && report.headline.status == "no data")
        #expect(report.html().contains("No survey answers or deliveries were recorded for 2026-11."))
    }

    @Test func escapesMarkdownMarkupInAnswers() {
        let markdown = ReportFixture.report().markdown()
        #expect(markdown.contains("&lt;script>alert(1)&lt;/script>"))
        #expect(!markdown.contains("<script>"))
    }
}

struct ReportPublisherTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lodestar-reports-\(UUID().uuidString)")

    @Test func writesTheMonthsFolderAndReplacesItWhole() throws {
        let target = try ReportPublisher.publish(ReportFixture.report(), formats: [.html, .json], to: self.folder)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: target.path)) == ["index.html", "report.json"])
        try ReportPublisher.publish(ReportFixture.report(), formats: [.md], to: self.folder)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path) == ["report.md"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: self.folder.path) == ["2026-11"])
        #expect(ReportPublisher.publishedMonths(in: self.folder).isEmpty)
    }

    @Test func refusesAFolderItCannotWriteAndLeavesThePreviousReport() throws {
        let target = try ReportPublisher.publish(ReportFixture.report(), formats: [.html], to: self.folder)
        let before = try Data(contentsOf: target.appendingPathComponent("index.html"))
        // A file where the output folder should be: unwritable for every user, root included.
        let blocked = self.folder.appendingPathComponent("file-not-folder")
        try Data("x".utf8).write(to: blocked)
        #expect(throws: ReportPublisher.Failure.self) { try ReportPublisher.publish(ReportFixture.report(), formats: [.html], to: blocked) }
        #expect(try Data(contentsOf: target.appendingPathComponent("index.html")) == before)
        #expect(ReportPublisher.publishedMonths(in: self.folder) == [ReportFixture.month])
    }
}
