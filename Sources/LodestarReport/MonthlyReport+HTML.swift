import Foundation
import LodestarCore

extension MonthlyReport {
    /// The report as one self-contained HTML page: inline CSS and SVG, no script, no external request; it prints
    /// to A4. Every text from the data is escaped, and answers are marked `dir="auto"` for right-to-left scripts.
    public func html() -> String {
        var page = HTMLPage()
        page.raw("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        page.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        page.element("title", "Platform report \(self.month)")
        page.raw("\n<style>\(ReportStyle.css)</style>\n</head>\n<body>\n<main>\n")
        self.headerHTML(&page)
        if self.hasData {
            self.deliveryHTML(&page)
            self.developersHTML(&page)
            self.roadmapHTML(&page)
        }
        self.methodHTML(&page)
        page.raw("</main>\n</body>\n</html>\n")
        return page.text
    }

    private func headerHTML(_ page: inout HTMLPage) {
        page.raw("<header>\n")
        page.element("h1", "Platform report · \(self.month.longName)")
        page.raw("<p class=\"headline\"><span class=\"status status-\(HTMLPage.slug(self.headline.status))\">")
        page.text(self.headline.status)
        page.raw("</span> ")
        page.text(self.headline.sentence)
        page.raw("</p>\n</header>\n")
    }

    private func deliveryHTML(_ page: inout HTMLPage) {
        page.raw("<section id=\"delivery\">\n")
        page.element("h2", "Delivery")
        page.element("p", "\(self.delivery.from) to \(self.delivery.to), against \(self.delivery.baselineFrom ?? "") to \(self.delivery.baselineTo ?? ""); DORA \(self.delivery.benchmarks) tiers.", class: "note")
        page.raw("<div class=\"tiles\">\n")
        for tile in self.delivery.tiles {
            page.raw("<div class=\"tile\">")
            page.element("h3", tile.name)
            page.element("p", tile.display, class: "value")
            page.element("p", "\(tile.tier.map { "\($0.rawValue) tier" } ?? "no tier") · \(Self.changeWords(tile.change, improved: tile.improved))", class: "tier")
            page.raw("</div>\n")
        }
        // DORA 2024's figures beside the four keys; the report gives them no tier.
        for figure in self.delivery.figures {
            page.raw("<div class=\"tile\">")
            page.element("h3", figure.name)
            page.element("p", figure.display, class: "value")
            page.element("p", "no DORA tier · \(Self.changeWords(figure.change, improved: figure.improved))", class: "tier")
            page.raw("</div>\n")
        }
        page.raw("</div>\n<div class=\"charts\">\n")
        let labels = self.delivery.trendMonths.map(\.description)
        let trends = self.delivery.tiles.map { ($0.name, $0.unit, $0.trend) } + self.delivery.figures.map { ($0.name, $0.unit, $0.trend) }
        for (name, unit, trend) in trends {
            page.raw("<figure>")
            page.raw(
                SVGChart.line(
                    title: "\(name.prefix(1).uppercased() + name.dropFirst()) by month", description: "\(name) (\(unit)) by month",
                    xLabels: labels, series: [ChartSeries(name: name, values: trend)], yAxisLabel: unit, unit: unit
                )
            )
            page.raw("</figure>\n")
        }
        page.raw("</div>\n")
        for (title, groups) in [("By team", self.delivery.teams), ("By service", self.delivery.services)] where !groups.isEmpty {
            page.element("h3", title)
            page.table(
                columns: ["", "deployments / week", "lead time", "change failure rate", "time to restore", "recovery time", "rework rate"],
                rows: groups.map { group in
                    [
                        group.key.values.sorted().joined(separator: " "),
                        "\(DeliveryMetric.deploymentFrequency.display(group.deploymentsPerWeek)) (\(group.deploymentFrequencyTier.rawValue))",
                        DeliveryMetric.leadTime.display(group.leadTimeHours.median) + Self.tierSuffix(group.leadTimeTier),
                        DeliveryMetric.changeFailureRate.display(group.changeFailureRate.map { ($0 * 1000).rounded() / 10 }) + Self.tierSuffix(group.changeFailureRateTier),
                        DeliveryMetric.timeToRestore.display(group.timeToRestoreHours.median) + Self.tierSuffix(group.timeToRestoreTier),
                        DeliveryFigure.recoveryTime.display(DeliveryFigure.recoveryTime.value(group)),
                        DeliveryFigure.reworkRate.display(DeliveryFigure.reworkRate.value(group)),
                    ]
                }
            )
        }
        page.raw("</section>\n")
    }

    private func developersHTML(_ page: inout HTMLPage) {
        let developers = self.developers
        page.raw("<section id=\"developers\">\n")
        page.element("h2", "Developers")
        page.raw("<p class=\"participation\">")
        page.text(Self.participationWords(developers))
        page.raw(" ")
        page.raw(SVGChart.sparkline(title: "Responses by month", values: developers.responsesByMonth.map(Double.init)))
        page.raw("</p>\n")
        if developers.withheld {
            page.element("p", "Fewer than \(self.anonymityK) responses this month: ratings and themes are not shown.", class: "note")
            page.raw("</section>\n")
            return
        }
        if !developers.ratings.isEmpty {
            page.raw("<div class=\"charts\">\n")
            let labels = self.delivery.trendMonths.map(\.description)
            for (unit, ratings) in Dictionary(grouping: developers.ratings, by: \.unit).sorted(by: { $0.key < $1.key }) {
                page.raw("<figure>")
                page.raw(
                    SVGChart.line(
                        title: "Ratings (\(unit)) by month", description: "Mean answers by month, \(unit)", xLabels: labels,
                        series: ratings.map { ChartSeries(name: $0.prompt, values: $0.means) }, yAxisLabel: unit, unit: unit
                    )
                )
                page.raw("</figure>\n")
            }
            page.raw("</div>\n")
            page.table(
                columns: ["question", "this month", "change"],
                rows: developers.ratings.map { rating in
                    let latest = rating.means.last.flatMap { $0 }.map { "\(MonthEpics.number($0)) \(rating.unit)" } ?? "—"
                    return [rating.prompt, latest, Self.changeWords(rating.change, improved: nil)]
                }
            )
        }
        for (title, themes) in developers.themeLists where !themes.isEmpty {
            page.element("h3", title)
            page.table(
                columns: ["theme", "respondents", "against last month"],
                rows: themes.map { [$0.label, String($0.respondents), $0.previousRespondents == nil ? "new" : Self.changeWords($0.change, improved: nil)] }
            )
        }
        page.raw("</section>\n")
    }

    private func roadmapHTML(_ page: inout HTMLPage) {
        page.raw("<section id=\"roadmap\">\n")
        page.element("h2", "Roadmap")
        if self.roadmap.epics.isEmpty {
            let why = self.developers.withheld ? "Fewer than \(self.anonymityK) responses this month: its epics are not shown." : "No epics for this month yet."
            page.element("p", why, class: "note")
        }
        page.raw("<ol class=\"epics\">\n")
        for epic in self.roadmap.epics {
            page.raw("<li>")
            page.element("h3", epic.title)
            page.element(
                "p", "score \(MonthEpics.number(epic.score)) · \(epic.respondents) respondents · \(epic.status.rawValue)" + (epic.owner.map { " · owner \($0)" } ?? ""),
                class: "meta"
            )
            page.raw("<ul class=\"why\">")
            for reason in epic.breakdown.reasons.dropLast() { page.element("li", reason) }
            if let history = epic.history.words { page.element("li", history) }
            page.raw("</ul>")
            for quote in epic.quotes.prefix(2) { page.element("blockquote", quote, dir: "auto") }
            page.raw("</li>\n")
        }
        page.raw("</ol>\n")
        if !self.roadmap.youSaidWeDid.isEmpty {
            page.element("h3", "You said → we did")
            page.table(
                columns: ["epic", "month", "status", "respondents then → now", "linked metric then → now"],
                rows: self.roadmap.youSaidWeDid.map { outcome in
                    [
                        "#\(outcome.epicId) \(outcome.title)", outcome.month.description,
                        outcome.status.rawValue + (outcome.owner.map { " (\($0))" } ?? ""),
                        "\(outcome.respondentsThen) → \(outcome.respondentsNow.map(String.init) ?? "withheld (under k)")" + (outcome.change.map { " (\(Self.signedPercent($0)))" } ?? ""),
                        outcome.metric.map { "\($0.name): \($0.display(outcome.metricThen)) → \($0.display(outcome.metricNow))" } ?? "—",
                    ]
                }
            )
        }
        page.raw("</section>\n")
    }

    private func methodHTML(_ page: inout HTMLPage) {
        page.raw("<section id=\"method\">\n")
        page.element("h2", "Method")
        page.raw("<ul>")
        for line in self.method.definitions { page.element("li", line) }
        for source in self.method.sources { page.element("li", "Latest \(source.name): \(source.latest ?? "none")") }
        page.raw("</ul>\n</section>\n")
    }

    // MARK: - Words

    static func changeWords(_ change: Double?, improved: Bool?) -> String {
        guard let change else { return "no comparison" }
        let verdict = improved.map { $0 ? " (better)" : " (worse)" } ?? ""
        return Self.signedPercent(change) + " against last month" + verdict
    }

    static func tierSuffix(_ tier: DORATier?) -> String {
        tier.map { " (\($0.rawValue))" } ?? ""
    }

    static func participationWords(_ developers: DevelopersSection) -> String {
        let noun = developers.responses == 1 ? "response" : "responses"
        guard let invited = developers.invited, let participation = developers.participation else { return "\(developers.responses) \(noun) (open round)." }
        return "\(developers.responses) \(noun) of \(invited) invited (\(participation)%)."
    }
}

extension Month {
    /// "November 2026".
    public var longName: String {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return "\(names[self.month - 1]) \(self.year)"
    }
}
