import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LodestarReport
import Testing

/// A rendered chart parsed as XML; parsing also proves the markup is well-formed.
struct ParsedChart {
    let markup: String
    let root: XMLElement

    init(_ markup: String) throws {
        self.markup = markup
        self.root = try #require(try XMLDocument(xmlString: markup, options: []).rootElement())
    }

    /// Every element named `name` (and with `class`, if given), in document order.
    func all(_ name: String, class className: String? = nil, in element: XMLElement? = nil) -> [XMLElement] {
        (element ?? self.root).children(recursive: true).filter { $0.localName == name && (className == nil || $0.text("class") == className) }
    }

    /// The y of the grid line whose tick label is `label`; ticks and grid lines are drawn in the same order.
    func gridY(_ label: String) throws -> Double {
        let ticks: XMLElement = try #require(self.all("g", class: "chart-ticks").first)
        let grid: XMLElement = try #require(self.all("g", class: "chart-grid").first)
        let index = try #require(self.all("text", in: ticks).firstIndex { $0.stringValue == label })
        return try #require(self.all("line", in: grid)[index].number("y1"))
    }

    var tickLabels: [String] { self.all("g", class: "chart-ticks").flatMap { self.all("text", in: $0) }.compactMap(\.stringValue) }
    var xLabels: [XMLElement] { self.all("g", class: "chart-x-labels").flatMap { self.all("text", in: $0) } }
    var series: [XMLElement] { self.all("g", class: "chart-series") }
    func markers(_ group: XMLElement? = nil) -> [XMLElement] {
        (group ?? self.root).children(recursive: true).filter { $0.text("class") == "chart-marker" }
    }
}

extension XMLElement {
    func children(recursive: Bool) -> [XMLElement] {
        (self.children ?? []).compactMap { $0 as? XMLElement }.flatMap { [$0] + (recursive ? $0.children(recursive: true) : []) }
    }

    /// By scanning `attributes`: on Linux, `attribute(forName:)` finds nothing on elements in the SVG namespace.
    func text(_ attribute: String) -> String? { self.attributes?.first { $0.name == attribute }?.stringValue }
    func number(_ attribute: String) -> Double? { self.text(attribute).flatMap(Double.init) }
}

func lineChart(_ values: [Double?], labels: [String]? = nil, title: String = "Lead time") throws -> ParsedChart {
    let labels = labels ?? values.indices.map { "2026-\(String(format: "%02d", $0 + 1))" }
    return try ParsedChart(SVGChart.line(
        title: title, description: "Median lead time per month.", xLabels: labels, series: [ChartSeries(name: "Median", values: values)],
        yAxisLabel: "Median lead time", unit: "hours"
    ))
}

func barChart(_ values: [Double?]) throws -> ParsedChart {
    try ParsedChart(SVGChart.bar(
        title: "Deploys", description: "", labels: values.indices.map { "w\($0 + 1)" }, values: values,
        yAxisLabel: "Deployments", unit: "deployments per week"
    ))
}

@Suite struct NiceScaleTests {
    @Test func coversZeroToSevenPointThreeInSteps0f2() {
        let scale = NiceScale(min: 0, max: 7.3)
        #expect(scale.ticks == [0, 2, 4, 6, 8])
        #expect((scale.lower, scale.upper, scale.step) == (0, 8, 2))
    }

    @Test func smallFractionsGetFractionalStepsWithoutRoundingNoise() {
        #expect(NiceScale(min: 0.013, max: 0.087).ticks == [0, 0.05, 0.1])
        #expect(NiceScale(min: 0, max: 0.7).ticks == [0, 0.2, 0.4, 0.6, 0.8])
    }

    @Test func negativeMinimumStaysInsideTheTicks() {
        #expect(NiceScale(min: -3, max: 12).ticks == [-5, 0, 5, 10, 15])
    }

    @Test func neverExceedsMaxTicks() {
        for (low, high) in [(1.0, 9.0), (0.013, 0.087), (-7, 7), (3, 1_234_567)] {
            for maxTicks in 2...8 { #expect(NiceScale(min: low, max: high, maxTicks: maxTicks).ticks.count <= maxTicks) }
        }
    }

    @Test func equalBoundsAreWidenedAroundTheValue() {
        let five = NiceScale(min: 5, max: 5)
        #expect(five.lower < 5 && five.upper > 5 && five.ticks.contains(5))
        #expect(NiceScale(min: 0, max: 0).ticks == [0, 0.5, 1])
    }

    @Test func boundsInEitherOrderGiveTheSameScale() {
        #expect(NiceScale(min: 12, max: -3) == NiceScale(min: -3, max: 12))
    }

    @Test func nonFiniteBoundsStillGiveFiniteTicks() {
        for scale in [NiceScale(min: .nan, max: 4), NiceScale(min: -.infinity, max: .infinity), NiceScale(min: 0, max: .greatestFiniteMagnitude)] {
            #expect(!scale.ticks.isEmpty && scale.ticks.allSatisfy(\.isFinite))
        }
    }

    @Test func labelsUseOnlyTheDecimalsTheStepNeeds() {
        let tenths = NiceScale(min: 0, max: 2)
        #expect(tenths.step == 0.5)
        #expect(tenths.ticks.map(tenths.label) == ["0", "0.5", "1", "1.5", "2"])
        let hundredths = NiceScale(min: 0.013, max: 0.087)
        #expect(hundredths.ticks.map(hundredths.label) == ["0", "0.05", "0.1"])
        #expect(hundredths.label(0.25) == "0.25")
        #expect(NiceScale(min: 0, max: 7.3).label(4.0000000001) == "4")
    }

    @Test func labelsNeverUseAnExponent() {
        let tiny = NiceScale(min: 0, max: 0.0000004)
        #expect(tiny.label(tiny.step) == "0.0000001")
        let huge = NiceScale(min: 0, max: 3e9)
        #expect(huge.label(huge.upper) == "3000000000")
        #expect(NiceScale(min: -1, max: 1).label(-0.0) == "0")
    }
}

@Suite struct LineChartTests {
    @Test func rootIsAnImageLabelledByItsOwnTitleAndDesc() throws {
        let chart = try lineChart([12.5, nil, 10])
        #expect(chart.markup.hasPrefix(#"<svg xmlns="http://www.w3.org/2000/svg" "#))
        #expect(chart.root.localName == "svg" && chart.root.text("role") == "img")
        #expect(chart.root.text("viewBox") == "0 0 560 220" && chart.root.text("width") == "560" && chart.root.text("height") == "220")
        let ids = try #require(chart.root.text("aria-labelledby")).split(separator: " ").map(String.init)
        let direct = chart.root.children(recursive: false)
        #expect(ids.count == 2)
        #expect(direct.first { $0.localName == "title" }?.text("id") == ids.first)
        #expect(direct.first { $0.localName == "desc" }?.text("id") == ids.last)
    }

    @Test func descReadsTheValuesOut() throws {
        let desc = try #require(try lineChart([12.5, nil, 10]).all("desc").first?.stringValue)
        #expect(desc == "Median lead time per month. Median lead time in hours: 2026-01 12.5, 2026-02 no data, 2026-03 10.")
    }

    @Test func pointsSitAtTheirValuesOnTheGrid() throws {
        let chart = try lineChart([0, 10, 5])
        let (zero, ten) = (try chart.gridY("0"), try chart.gridY("10"))
        let ys = chart.markers().compactMap { $0.number("cy") }
        #expect(ys.count == 3)
        #expect(abs(ys[0] - zero) <= 0.1 && abs(ys[1] - ten) <= 0.1 && abs(ys[2] - (zero + ten) / 2) <= 0.1)
    }

    @Test func pointsSitAboveTheirXLabels() throws {
        let chart = try lineChart([3, 4, 5])
        #expect(chart.markers().compactMap { $0.number("cx") } == chart.xLabels.compactMap { $0.number("x") })
        #expect(chart.xLabels.compactMap(\.stringValue) == ["2026-01", "2026-02", "2026-03"])
    }

    @Test func aMissingValueBreaksTheLine() throws {
        let chart = try lineChart([1, 2, nil, 4, 5])
        let path = try #require(chart.all("path", class: "chart-line").first?.text("d"))
        #expect(path.filter { $0 == "M" }.count == 2 && path.filter { $0 == "L" }.count == 2)
        #expect(chart.markers().count == 4)
    }

    @Test func nanAndInfinityAreGaps() throws {
        let chart = try lineChart([1, .nan, 3, .infinity, -.infinity])
        #expect(chart.markers().count == 2)
        #expect(!chart.markup.lowercased().contains("nan") && !chart.markup.contains("inf"))
        #expect(try #require(chart.all("desc").first?.stringValue).contains("2026-02 no data"))
    }

    @Test func aSingleValueIsAPointInTheMiddle() throws {
        let chart = try lineChart([5])
        let marker = try #require(chart.markers().first)
        let grid = try #require(chart.all("line", in: chart.all("g", class: "chart-grid")[0]).first)
        let (left, right, x) = (try #require(grid.number("x1")), try #require(grid.number("x2")), try #require(marker.number("cx")))
        #expect(abs(x - (left + right) / 2) <= 0.1)
        #expect(chart.tickLabels.first == "0")
    }

    @Test func allZeroValuesLieOnTheBaseline() throws {
        let chart = try lineChart([0, 0, 0])
        let zero = try chart.gridY("0")
        #expect(chart.markers().allSatisfy { $0.number("cy") == zero })
        #expect(chart.all("line", in: chart.all("g", class: "chart-grid")[0]).allSatisfy { ($0.number("y1") ?? 0) <= zero })
    }

    @Test func equalValuesAreAFlatLineAboveZero() throws {
        let chart = try lineChart([4, 4, 4])
        let ys = Set(chart.markers().compactMap { $0.number("cy") })
        let zero = try chart.gridY("0")
        #expect(ys.count == 1 && ys.allSatisfy { $0 < zero })
    }

    @Test func negativeValuesGoBelowTheZeroLine() throws {
        let chart = try lineChart([-3, 12])
        #expect(chart.tickLabels == ["-5", "0", "5", "10", "15"])
        let zero = try #require(chart.all("line", class: "chart-zero").first?.number("y1"))
        #expect(try #require(chart.markers().first?.number("cy")) > zero)
    }

    @Test func noDataDrawsAxesAndSaysSo() throws {
        for chart in [try lineChart([nil, nil]), try lineChart([]), try ParsedChart(SVGChart.line(
            title: "Empty", description: "", xLabels: ["a"], series: [], yAxisLabel: "", unit: ""
        ))] {
            #expect(chart.all("text", class: "chart-no-data").first?.stringValue == "No data")
            let axes: XMLElement = try #require(chart.all("g", class: "chart-axes").first)
            #expect(chart.all("line", in: axes).count == 2)
            #expect(chart.series.isEmpty && chart.tickLabels.isEmpty)
            #expect(try #require(chart.all("desc").first?.stringValue).hasSuffix("No data."))
        }
    }

    @Test func axisTitleNamesTheMeasureAndUnit() throws {
        #expect(try lineChart([1]).all("text", class: "chart-axis-title").first?.stringValue == "Median lead time (hours)")
    }

    @Test func aLabelThatIsTheUnitIsNotRepeated() throws {
        let chart = try ParsedChart(SVGChart.line(
            title: "T", description: "", xLabels: ["a"], series: [ChartSeries(name: "s", values: [2])], yAxisLabel: "hours", unit: "hours"
        ))
        #expect(chart.all("text", class: "chart-axis-title").first?.stringValue == "Hours")
        #expect(chart.all("desc").first?.stringValue == "Values in hours: a 2.")
    }
}

@Suite struct ChartMarkupTests {
    static func series(_ count: Int) -> [ChartSeries] {
        (0..<count).map { ChartSeries(name: "Team \($0 + 1)", values: [Double($0), Double($0 + 1), nil, 2]) }
    }

    static func multiLine(_ count: Int) throws -> ParsedChart {
        try ParsedChart(SVGChart.line(
            title: "Teams", description: "", xLabels: ["a", "b", "c", "d"], series: Self.series(count), yAxisLabel: "Score", unit: ""
        ))
    }

    @Test func escapesEveryText() throws {
        let hostile = #"<script>alert("x")</script> & 'y'"#
        let markup = SVGChart.line(
            title: hostile, description: hostile, xLabels: [hostile],
            series: [ChartSeries(name: hostile, values: [1]), ChartSeries(name: "b", values: [2])], yAxisLabel: hostile, unit: hostile
        )
        #expect(!markup.contains("<script") && !markup.contains("'y'") && !markup.contains(#""x""#))
        #expect(markup.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"))
        let chart = try ParsedChart(markup)
        #expect(chart.all("title").first?.stringValue == hostile)
        #expect(chart.all("text").contains { $0.stringValue?.hasPrefix("<script>") == true })
    }

    @Test func controlCharactersAreDroppedSoTheMarkupStaysXML() throws {
        let chart = try lineChart([1], labels: ["a\u{1}b"], title: "Lead\u{0}\u{8} time")
        #expect(chart.all("title").first?.stringValue == "Lead time")
    }

    @Test func legendOnlyForMoreThanOneSeries() throws {
        #expect(try lineChart([1, 2]).all("g", class: "chart-legend").isEmpty)
        let legend = try Self.multiLine(3).all("g", class: "chart-legend-item")
        #expect(legend.map { $0.children(recursive: false).last?.stringValue } == ["Team 1", "Team 2", "Team 3"])
    }

    @Test func moreSeriesThanColoursStayDistinct() throws {
        let chart = try Self.multiLine(9)
        #expect(chart.series.count == 9 && chart.all("g", class: "chart-legend-item").count == 9)
        let looks = try chart.series.map { group in
            let line = try #require(chart.all("path", class: "chart-line", in: group).first)
            let marker = try #require(chart.markers(group).first)
            let parts = [line.text("stroke"), line.text("stroke-dasharray"), marker.localName, marker.text("fill")]
            return parts.map { $0 ?? "-" }.joined(separator: "|")
        }
        #expect(Set(looks).count == 9)
        #expect(looks[7].hasPrefix("#0072B2|") && looks[0].hasPrefix("#0072B2|"))
        #expect(Set(chart.series.prefix(6).map { chart.markers($0).first?.localName ?? "" }) == ["circle", "rect", "path"])
    }

    @Test func sameInputGivesTheSameBytes() {
        let render = { SVGChart.line(title: "T", description: "D", xLabels: ["a", "b"], series: Self.series(3), yAxisLabel: "Y", unit: "u") }
        #expect(render() == render())
        #expect(SVGChart.bar(title: "B", description: "", labels: ["x"], values: [0.1], yAxisLabel: "", unit: "") ==
            SVGChart.bar(title: "B", description: "", labels: ["x"], values: [0.1], yAxisLabel: "", unit: ""))
    }

    @Test func coordinatesHaveAtMostOneDecimalAndNoExponent() throws {
        let chart = try lineChart([1e-9, 3e12, nil, 0.333333])
        let attributes = ["x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "d"]
        let numbers = chart.root.children(recursive: true).flatMap { element in
            attributes.compactMap { element.text($0) }.flatMap { $0.split { " MLZ".contains($0) } }
        }
        #expect(numbers.count > 20)
        #expect(numbers.allSatisfy { $0.wholeMatch(of: /-?\d+(\.\d)?/) != nil })
        #expect(chart.tickLabels.allSatisfy { $0.wholeMatch(of: /-?\d+(\.\d+)?/) != nil })
    }

    @Test func idsDifferBetweenChartsAndAreStable() throws {
        let ids = try ["Lead time", "Deploys", "Lead time!"].map { try #require(try lineChart([1], title: $0).all("title").first?.text("id")) }
        #expect(Set(ids).count == 3)
        #expect(ids[0].hasPrefix("chart-lead-time-") && ids[0].hasSuffix("-title"))
        #expect(try lineChart([1], title: "Lead time").all("title").first?.text("id") == ids[0])
    }

    @Test func longLabelsAreTruncatedWithAnEllipsis() throws {
        let long = "A label that goes on and on, far longer than any axis has room for"
        let chart = try ParsedChart(SVGChart.line(
            title: "T", description: "", xLabels: [long, long],
            series: [ChartSeries(name: long, values: [1, 2]), ChartSeries(name: "b", values: [2, 1])], yAxisLabel: long + long + long, unit: "hours"
        ))
        let legend = chart.all("g", class: "chart-legend-item").prefix(1).map { $0.children(recursive: false).last?.stringValue }
        let shown = chart.xLabels.map(\.stringValue) + legend + chart.all("text", class: "chart-axis-title").map(\.stringValue)
        #expect(shown.count == 4)
        #expect(shown.allSatisfy { ($0 ?? "").hasSuffix("…") && ($0 ?? "").count < 90 })
        #expect(try #require(chart.all("desc").first?.stringValue).contains(long))
    }

    @Test func manyXLabelsAreThinnedKeepingTheLast() throws {
        let labels = (0..<24).map { "20\(26 + $0 / 12)-\(String(format: "%02d", $0 % 12 + 1))" }
        let chart = try lineChart(labels.indices.map(Double.init), labels: labels)
        let shown = chart.xLabels
        #expect(shown.count >= 3 && shown.count <= 8)
        #expect(shown.last?.stringValue == "2027-12" && shown.allSatisfy { $0.stringValue?.hasSuffix("…") == false })
        let xs = shown.compactMap { $0.number("x") }
        #expect(zip(xs, xs.dropFirst()).allSatisfy { $1 - $0 >= 50 })
    }

    @Test func selfContainedSystemFontAndDarkGreyText() throws {
        let charts = [try lineChart([1, 2]), try barChart([1, nil]), try ParsedChart(SVGChart.sparkline(title: "S", values: [1, 2]))]
        for chart in charts {
            for banned in ["href", "<script", "<style", "url(", "@import", "<image", "<foreignObject", "http://www.w3.org/1999"] {
                #expect(!chart.markup.contains(banned))
            }
            #expect(chart.root.text("font-family") == "system-ui, sans-serif")
            let texts = chart.all("text")
            #expect(texts.allSatisfy { ($0.text("fill") ?? ($0.parent as? XMLElement)?.text("fill")) == "#333333" })
        }
    }
}

@Suite struct BarAndSparklineTests {
    @Test func barsStartAtZero() throws {
        let chart = try barChart([50, 60])
        let zero = try chart.gridY("0")
        let bars = chart.all("rect", class: "chart-bar")
        #expect(bars.count == 2)
        #expect(bars.allSatisfy { abs(($0.number("y") ?? 0) + ($0.number("height") ?? 0) - zero) <= 0.15 })
        #expect(abs((bars[1].number("height") ?? 0) / (bars[0].number("height") ?? 1) - 1.2) < 0.01)
    }

    @Test func missingValuesDrawNoBar() throws {
        let chart = try barChart([3, nil, 5])
        let centres = chart.all("rect", class: "chart-bar").compactMap { bar in bar.number("x").map { $0 + (bar.number("width") ?? 0) / 2 } }
        let labels = chart.xLabels.compactMap { $0.number("x") }
        #expect(centres.count == 2 && abs(centres[0] - labels[0]) <= 0.1 && abs(centres[1] - labels[2]) <= 0.1)
        #expect(try #require(chart.all("desc").first?.stringValue) == "Deployments in deployments per week: w1 3, w2 no data, w3 5.")
    }

    @Test func negativeBarsHangFromTheZeroLine() throws {
        let chart = try barChart([-4, 8])
        let zero = try #require(chart.all("line", class: "chart-zero").first?.number("y1"))
        let negative = try #require(chart.all("rect", class: "chart-bar").first)
        let (top, height) = (try #require(negative.number("y")), try #require(negative.number("height")))
        #expect(abs(top - zero) <= 0.1 && height > 0)
    }

    @Test func barChartWithoutDataSaysSo() throws {
        let chart = try barChart([nil, .nan])
        #expect(chart.all("rect").isEmpty && chart.all("text", class: "chart-no-data").count == 1)
    }

    @Test func sparklineIsASmallLabelledLineWithGaps() throws {
        let chart = try ParsedChart(SVGChart.sparkline(title: "Participation", values: [0.8, 0.82, nil, 0.79, 0.81]))
        #expect(chart.root.text("width") == "120" && chart.root.text("height") == "28" && chart.root.text("role") == "img")
        #expect(chart.all("path").first?.text("d")?.filter { $0 == "M" }.count == 2)
        #expect(chart.all("text").isEmpty && chart.all("line").isEmpty)
        #expect(chart.all("desc").first?.stringValue == "Values from first to last: 0.8, 0.82, no data, 0.79, 0.81.")
        #expect(chart.markers().count == 1 && chart.markers().first?.number("cx") == 117)
    }

    @Test func sparklineEdgeCasesStillDraw() throws {
        #expect(try ParsedChart(SVGChart.sparkline(title: "S", values: [])).all("text", class: "chart-no-data").count == 1)
        #expect(try ParsedChart(SVGChart.sparkline(title: "S", values: [nil, .nan])).all("text").first?.stringValue == "no data")
        #expect(try ParsedChart(SVGChart.sparkline(title: "S", values: [7])).markers().first?.number("cx") == 60)
        #expect(try ParsedChart(SVGChart.sparkline(title: "S", values: [0, 0, 0])).all("path").count == 1)
    }
}
