import Foundation
import LodestarCore

extension MonthlyReport {
    /// The report as GitHub-flavoured Markdown, for a wiki page or a commit; the charts become tables of values.
    public func markdown() -> String {
        var lines = ["# Platform report · \(self.month.longName)", "", "**\(self.headline.status)** — \(Self.inline(self.headline.sentence))", ""]
        if self.hasData {
            lines += ["## Delivery", "", "\(self.delivery.from) to \(self.delivery.to), against the month before; DORA \(self.delivery.benchmarks) tiers.", ""]
            lines.append(
                TextTable(
                    columns: ["metric", "this month", "tier", "against last month"],
                    rows: self.delivery.tiles.map { [$0.name, $0.display, $0.tier?.rawValue ?? "—", Self.changeWords($0.change, improved: $0.improved)] }
                        + self.delivery.figures.map { [$0.name, $0.display, "no DORA tier", Self.changeWords($0.change, improved: $0.improved)] }
                ).markdown()
            )
            lines.append(
                TextTable(
                    columns: ["month"] + self.delivery.tiles.map { "\($0.name) (\($0.unit))" }
                        + self.delivery.figures.map { "\($0.name) (\($0.unit))" },
                    rows: self.delivery.trendMonths.indices.map { index in
                        [self.delivery.trendMonths[index].description] + self.delivery.tiles.map { $0.trend[index].map(MonthEpics.number) ?? "—" }
                            + self.delivery.figures.map { $0.trend[index].map(MonthEpics.number) ?? "—" }
                    }
                ).markdown()
            )
            lines += ["## Developers", "", Self.participationWords(self.developers), ""]
            if self.developers.withheld {
                lines += ["Fewer than \(self.anonymityK) responses this month: ratings and themes are not shown.", ""]
            } else {
                if !self.developers.ratings.isEmpty {
                    lines.append(
                        TextTable(
                            columns: ["question", "this month", "against last month"],
                            rows: self.developers.ratings.map { rating in
                                [rating.prompt, rating.means.last.flatMap { $0 }.map { "\(MonthEpics.number($0)) \(rating.unit)" } ?? "—", Self.changeWords(rating.change, improved: nil)]
                            }
                        ).markdown()
                    )
                }
                for (title, themes) in self.developers.themeLists where !themes.isEmpty {
                    lines += ["### \(title)", ""]
                    lines.append(
                        TextTable(
                            columns: ["theme", "respondents", "against last month"],
                            rows: themes.map { [$0.label, String($0.respondents), $0.previousRespondents == nil ? "new" : Self.changeWords($0.change, improved: nil)] }
                        ).markdown()
                    )
                }
            }
            lines += ["## Roadmap", ""]
            for epic in self.roadmap.epics {
                lines.append("\(epic.rank). **\(Self.inline(epic.title))** — score \(MonthEpics.number(epic.score)), \(epic.respondents) respondents, \(epic.status.rawValue)" + (epic.owner.map { ", owner \(Self.inline($0))" } ?? ""))
                for reason in epic.breakdown.reasons.dropLast() { lines.append("   - \(Self.inline(reason))") }
                if let history = epic.history.words { lines.append("   - \(Self.inline(history))") }
                for quote in epic.quotes.prefix(2) { lines.append("   > \(Self.inline(quote))") }
            }
            if !self.roadmap.youSaidWeDid.isEmpty {
                lines += ["", "### You said → we did", ""]
                lines.append(
                    TextTable(
                        columns: ["epic", "month", "status", "respondents then → now", "linked metric then → now"],
                        rows: self.roadmap.youSaidWeDid.map { outcome in
                            [
                                "#\(outcome.epicId) \(outcome.title)", outcome.month.description, outcome.status.rawValue,
                                "\(outcome.respondentsThen) → \(outcome.respondentsNow.map(String.init) ?? "withheld (under k)")",
                                outcome.metric.map { "\($0.name): \($0.display(outcome.metricThen)) → \($0.display(outcome.metricNow))" } ?? "—",
                            ]
                        }
                    ).markdown()
                )
            }
            lines.append("")
        }
        lines += ["## Method", ""] + self.method.definitions.map { "- \(Self.inline($0))" }
        lines += self.method.sources.map { "- Latest \($0.name): \($0.latest ?? "none")" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text from the data on one Markdown line: markup characters that would change the page are escaped.
    static func inline(_ text: String) -> String {
        var escaped = ""
        for character in text.split(whereSeparator: \.isNewline).joined(separator: " ") {
            if "\\`*_[]<>#|".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
