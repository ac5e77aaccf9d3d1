import Foundation
import LodestarCore
import LodestarReport
import Testing

struct MonthEpicsRenderingTests {
    static let month = try! Month(parsing: "2026-11")

    static func epics(title: String) -> MonthEpics {
        let breakdown = ScoreBreakdown(askedForChange: 2, namedWorst: 1, ratingMean: nil, everyoneRatingMean: nil, monthsRunning: 1, delivery: nil)
        let epic = Epic(
            id: 7, month: Self.month, rank: 1, title: title, label: "ci runners", keywords: ["ci"], score: breakdown.score, breakdown: breakdown,
            respondents: 3, mentions: 3, teams: [TeamCount(team: "payments", respondents: 3)], quotes: ["more runners"], quotesWithheld: nil,
            status: .planned, owner: "ana", note: nil, previousId: nil, history: ThemeHistory(monthsRunning: 1, respondentsByMonth: [], sinceDone: nil)
        )
        return MonthEpics(month: Self.month, responses: 12, anonymityK: 5, epics: [epic], strengths: [])
    }

    @Test func quotesACSVTitleWithACommaAndAQuote() throws {
        let csv = try Self.epics(title: #"Runners, "now""#).rendered(as: .csv, explain: false)
        #expect(csv.split(separator: "\r\n").last == #"1,7,"Runners, ""now""",4,3,payments 3,planned,ana"#)
    }

    @Test func escapesPipesAndMarkupInMarkdown() throws {
        let markdown = try Self.epics(title: "a | b <script>").rendered(as: .markdown, explain: true)
        #expect(markdown.contains(#"a \| b &lt;script>"#))
        #expect(!markdown.contains("<script>"))
    }
}
