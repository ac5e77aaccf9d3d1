import Foundation

/// One line of a line chart; nil values are gaps (no point, the line breaks).
public struct ChartSeries: Sendable, Equatable {
    public var name: String
    public var values: [Double?]

    public init(name: String, values: [Double?]) {
        self.name = name
        self.values = values
    }
}

/// Self-contained, accessible SVG charts for the HTML reports.
///
/// The output inlines into a page as is: no scripts, styles, fonts or links, and the same input always gives the same
/// bytes, so reports can be diffed and cached. Every chart is a `role="img"` labelled by a `<title>` and a `<desc>` that
/// reads the values out, since a screen reader cannot see the picture. Pages should still show a visible heading: the
/// title is not drawn, to leave the height to the data.
///
/// Values that are NaN or infinite count as missing. The y axis always includes 0.
public enum SVGChart {
    /// A line chart over labelled x positions (e.g. months "2026-01"...), one or more series sharing a y axis.
    ///
    /// There is one x position per label; a series' values past the last label are ignored, and missing ones are gaps.
    /// With more than one series a legend names them. Width and height are raised to at least 160 × 100.
    public static func line(
        title: String, description: String, xLabels: [String], series: [ChartSeries], yAxisLabel: String, unit: String,
        width: Int = 560, height: Int = 220
    ) -> String {
        let (width, height) = (Swift.max(width, 160), Swift.max(height, 100))
        let series = series.map { ChartSeries(name: $0.name, values: Self.cleaned($0.values, count: xLabels.count)) }
        let values = series.flatMap { $0.values.compactMap { $0 } }
        let frame = PlotFrame(
            width: width, height: height, count: xLabels.count, values: values,
            axisTitle: Self.axisTitle(yAxisLabel, unit: unit), legendNames: series.count > 1 ? series.map(\.name) : []
        )
        var svg = SVGMarkup()
        frame.drawGrid(into: &svg)
        frame.drawAxes(into: &svg)
        frame.drawXLabels(xLabels, into: &svg)
        if values.isEmpty { frame.drawNoData(into: &svg) }
        for (index, line) in series.enumerated() where line.values.contains(where: { $0 != nil }) {
            let style = SeriesStyle(index: index)
            let points = line.values.enumerated().map { position, value in value.map { (frame.x(position), frame.y($0)) } }
            svg.open("g", [("class", "chart-series")])
            svg.element("path", [("class", "chart-line"), ("d", Self.path(points))] + style.lineAttributes(width: 2))
            for case let (x, y)? in points { style.drawMarker(x: x, y: y, into: &svg) }
            svg.close("g")
        }
        frame.drawLegend(into: &svg)
        let measure = Self.measure(yAxisLabel, unit: unit)
        var sentences = [ChartText.sentence(description)]
        if values.isEmpty {
            sentences.append("No data.")
        } else if series.count == 1 {
            sentences.append("\(measure): \(Self.spoken(xLabels, series[0].values)).")
        } else {
            sentences.append("\(measure).")
            sentences += series.enumerated().map { index, line in
                "\(line.name.isEmpty ? "Series \(index + 1)" : line.name): \(Self.spoken(xLabels, line.values))."
            }
        }
        let desc = sentences.filter { !$0.isEmpty }.joined(separator: " ")
        return ChartText.document(kind: "line", title: title, description: desc, width: width, height: height, body: svg)
    }

    /// A vertical bar chart, one bar per label; nil values draw no bar.
    ///
    /// Bars always grow from 0 (down for negative values), because a bar's length is its value. Width and height are
    /// raised to at least 160 × 100.
    public static func bar(
        title: String, description: String, labels: [String], values: [Double?], yAxisLabel: String, unit: String,
        width: Int = 560, height: Int = 220
    ) -> String {
        let (width, height) = (Swift.max(width, 160), Swift.max(height, 100))
        let values = Self.cleaned(values, count: labels.count)
        let present = values.compactMap { $0 }
        let frame = PlotFrame(
            width: width, height: height, count: labels.count, values: present,
            axisTitle: Self.axisTitle(yAxisLabel, unit: unit), legendNames: []
        )
        var svg = SVGMarkup()
        frame.drawGrid(into: &svg)
        if present.isEmpty {
            frame.drawNoData(into: &svg)
        } else {
            let number = ChartNumber.coordinate
            let barWidth = Swift.min(frame.band * 0.7, 48)
            let zero = frame.y(0)
            svg.open("g", [("class", "chart-bars"), ("fill", SeriesStyle.palette[0])])
            for (index, value) in values.enumerated() {
                guard let value else { continue }
                let top = Swift.min(frame.y(value), zero)
                svg.element("rect", [
                    ("class", "chart-bar"), ("x", number(frame.x(index) - barWidth / 2)), ("y", number(top)),
                    ("width", number(barWidth)), ("height", number(abs(frame.y(value) - zero))),
                ])
            }
            svg.close("g")
        }
        // After the bars, so the baseline is drawn over their feet rather than hidden by them.
        frame.drawAxes(into: &svg)
        frame.drawXLabels(labels, into: &svg)
        let spoken = present.isEmpty ? "No data." : "\(Self.measure(yAxisLabel, unit: unit)): \(Self.spoken(labels, values))."
        let desc = [ChartText.sentence(description), spoken].filter { !$0.isEmpty }.joined(separator: " ")
        return ChartText.document(kind: "bar", title: title, description: desc, width: width, height: height, body: svg)
    }

    /// A small line with no axes, for a table cell or a tile (e.g. participation over months).
    ///
    /// The scale runs from 0 (or the lowest negative value) to the highest value, so a small change does not look like a
    /// cliff. The last value gets a dot, as do values with gaps on both sides. Width and height are raised to at least 16 × 8.
    public static func sparkline(title: String, values: [Double?], width: Int = 120, height: Int = 28) -> String {
        let (width, height) = (Swift.max(width, 16), Swift.max(height, 8))
        let values = Self.cleaned(values, count: values.count)
        let present = values.compactMap { $0 }
        let pad = 3.0
        let (plotWidth, plotHeight) = (Double(width) - 2 * pad, Double(height) - 2 * pad)
        var svg = SVGMarkup()
        if present.isEmpty {
            svg.element("text", [
                ("class", "chart-no-data"), ("x", ChartNumber.coordinate(Double(width) / 2)),
                ("y", ChartNumber.coordinate(Double(height) / 2 + 3.5)), ("fill", ChartText.colour), ("text-anchor", "middle"),
                ("font-size", "10"),
            ], content: "no data")
        } else {
            let low = Swift.min(0, present.min() ?? 0)
            let high = Swift.max(0, present.max() ?? 0)
            let span = high > low ? high - low : 1
            let step = values.count > 1 ? plotWidth / Double(values.count - 1) : 0
            let points = values.enumerated().map { index, value in
                value.map { (values.count > 1 ? pad + Double(index) * step : Double(width) / 2, pad + (high - $0) / span * plotHeight) }
            }
            let style = SeriesStyle(index: 0)
            svg.element("path", [("class", "chart-line"), ("d", Self.path(points))] + style.lineAttributes(width: 1.5))
            let last = points.lastIndex { $0 != nil }
            for (index, point) in points.enumerated() {
                guard case let (x, y)? = point else { continue }
                let alone = (index == 0 || points[index - 1] == nil) && (index == points.count - 1 || points[index + 1] == nil)
                guard alone || index == last else { continue }
                svg.element("circle", [
                    ("class", "chart-marker"), ("cx", ChartNumber.coordinate(x)), ("cy", ChartNumber.coordinate(y)), ("r", "2"),
                    ("fill", style.colour),
                ])
            }
        }
        let spoken = present.isEmpty ? "No data." : "Values from first to last: " + values.map(ChartText.spoken).joined(separator: ", ") + "."
        return ChartText.document(kind: "sparkline", title: title, description: spoken, width: width, height: height, body: svg)
    }

    /// Exactly `count` values, with NaN and infinities turned into gaps: they have no place on an axis.
    static func cleaned(_ values: [Double?], count: Int) -> [Double?] {
        (0..<Swift.max(count, 0)).map { index in
            guard index < values.count, let value = values[index], value.isFinite else { return nil }
            return value
        }
    }

    /// Path data through `points`, starting a new subpath after each gap so the line breaks there.
    static func path(_ points: [(Double, Double)?]) -> String {
        var commands: [String] = []
        var previous: (Double, Double)?
        for point in points {
            if case let (x, y)? = point {
                commands.append("\(previous == nil ? "M" : "L")\(ChartNumber.coordinate(x)) \(ChartNumber.coordinate(y))")
            }
            previous = point
        }
        return commands.joined(separator: " ")
    }

    /// "Median lead time (hours)": what the axis measures, in what.
    static func axisTitle(_ label: String, unit: String) -> String {
        let label = Self.distinctLabel(label, unit: unit)
        return switch (label.isEmpty, unit.isEmpty) {
        case (false, false): "\(label) (\(unit))"
        case (false, true): label
        case (true, false): unit.prefix(1).uppercased() + unit.dropFirst()
        case (true, true): ""
        }
    }

    /// "Median lead time in hours", the subject of the sentence that reads the values out.
    static func measure(_ label: String, unit: String) -> String {
        let label = Self.distinctLabel(label, unit: unit).isEmpty ? "Values" : label
        return unit.isEmpty ? label : "\(label) in \(unit)"
    }

    /// The axis label, or "" when it only repeats the unit, so a chart labelled "hours" in hours does not say it twice.
    static func distinctLabel(_ label: String, unit: String) -> String {
        let label = label.trimmingCharacters(in: .whitespacesAndNewlines)
        return label.caseInsensitiveCompare(unit.trimmingCharacters(in: .whitespacesAndNewlines)) == .orderedSame ? "" : label
    }

    /// "2026-01 12.5, 2026-02 no data, 2026-03 10".
    static func spoken(_ labels: [String], _ values: [Double?]) -> String {
        zip(labels, values).map { "\($0) \(ChartText.spoken($1))" }.joined(separator: ", ")
    }
}
