import Foundation
import LodestarCore
import LodestarReport

/// The short summary every channel sends: the month, the report's headline sentence and the link to it.
public struct Announcement: Sendable, Equatable {
    public var month: Month
    /// "Platform report · November 2026", the report's own title.
    public var title: String
    public var sentence: String
    public var link: URL

    public init(month: Month, title: String, sentence: String, link: URL) {
        self.month = month
        self.title = title
        self.sentence = sentence
        self.link = link
    }

    /// The summary of `report`, linking to `publicURL/reports/YYYY-MM/` (or to `file` in that folder, when the
    /// month was published without its HTML page).
    public init(report: MonthlyReport, publicURL: URL, file: ReportFormat? = nil) {
        var link = publicURL.appendingPathComponent("reports").appendingPathComponent(report.month.description, isDirectory: true)
        if let file, file != .html { link = link.appendingPathComponent(file.fileName) }
        self.init(month: report.month, title: "Platform report · \(report.month.longName)", sentence: report.headline.sentence, link: link)
    }

    /// The lines of the summary, as people read them.
    public var lines: [String] {
        [self.title, self.sentence, "Read it: \(self.link.absoluteString)"]
    }

    /// The `text` of a Slack or Mattermost message: plain lines (no emphasis, which the two spell differently), with
    /// `&`, `<` and `>` escaped as Slack requires and Mattermost's Markdown reads back as the characters.
    public var chatText: String {
        self.lines.map {
            $0.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        .joined(separator: "\n")
    }

    /// The e-mail's body: the sentence and the link, then a line saying where it came from.
    public var mailBody: String {
        "\(self.sentence)\n\nRead the report: \(self.link.absoluteString)\n\n-- \nSent by Lodestar when the report was published.\n"
    }
}
