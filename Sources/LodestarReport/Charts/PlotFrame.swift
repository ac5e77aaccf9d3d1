import Foundation

/// The layout shared by the line and bar charts: margins, the y scale, x positions, and the furniture around the data
/// (grid, axes, tick and x labels, axis title, legend, "No data").
///
/// From the top: the axis title, legend rows, the plot, then the x labels. The left margin is as wide as the tick labels.
struct PlotFrame {
    let width: Double
    let height: Double
    let left: Double
    let right: Double
    let top: Double
    let bottom: Double
    let scale: NiceScale
    /// Number of x positions; each gets an equal band with its point or bar in the middle.
    let count: Int
    let hasData: Bool
    let axisTitle: String
    /// Legend entries with the baseline position of each, wrapped into rows that fit the width.
    let legend: [(name: String, x: Double, y: Double)]

    private static let titleBaseline = 12.0
    private static let legendRowHeight = 16.0
    private static let xLabelHeight = 22.0

    /// - Parameters:
    ///   - values: every finite value drawn; the scale always includes 0, so bars start at it and lines of
    ///     non-negative data are not exaggerated by a cropped axis.
    ///   - legendNames: series names, or empty for no legend.
    init(width: Int, height: Int, count: Int, values: [Double], axisTitle: String, legendNames: [String]) {
        self.width = Double(width)
        self.height = Double(height)
        self.count = count
        self.hasData = !values.isEmpty
        self.axisTitle = ChartText.truncated(axisTitle, maxCharacters: ChartText.characters(fitting: self.width - 8))

        var legend: [(name: String, x: Double, y: Double)] = []
        var cursorY = axisTitle.isEmpty ? 4.0 : Self.titleBaseline + 6
        var cursorX = 8.0
        if !legendNames.isEmpty { cursorY += Self.legendRowHeight }
        for name in legendNames {
            let shown = ChartText.truncated(name, maxCharacters: 24)
            let itemWidth = 30 + Double(shown.count) * ChartText.characterWidth + 16
            if cursorX > 8, cursorX + itemWidth > self.width - 8 {
                cursorX = 8
                cursorY += Self.legendRowHeight
            }
            legend.append((shown, cursorX, cursorY - 4))
            cursorX += itemWidth
        }
        self.legend = legend

        self.bottom = Swift.max(self.height - Self.xLabelHeight, 24)
        // Room above the plot for the top tick label, which is centred on the top grid line; never less than 20 points of plot.
        self.top = Swift.min(cursorY + 8, self.bottom - 20)
        // About one tick per 30 points keeps tick labels apart without crowding the grid.
        let maxTicks = Swift.min(Swift.max(Int((self.bottom - self.top) / 30) + 1, 2), 6)
        let scale = NiceScale(min: Swift.min(0, values.min() ?? 0), max: Swift.max(0, values.max() ?? 0), maxTicks: maxTicks)
        self.scale = scale

        let widestTick = scale.ticks.map { Double(scale.label($0).count) }.max() ?? 1
        self.left = Swift.min(Swift.max(30, widestTick * ChartText.characterWidth + 10), self.width / 2)
        self.right = Swift.max(self.width - 12, self.left + 20)
    }

    /// Width of one x position's band.
    var band: Double {
        (self.right - self.left) / Double(Swift.max(self.count, 1))
    }

    /// The centre of the band of x position `index`.
    func x(_ index: Int) -> Double {
        self.left + (Double(index) + 0.5) * self.band
    }

    /// The vertical position of `value`.
    func y(_ value: Double) -> Double {
        let span = self.scale.upper - self.scale.lower
        guard span > 0, span.isFinite else { return self.bottom }
        return self.bottom - (value - self.scale.lower) / span * (self.bottom - self.top)
    }

    /// A grid line at each tick, with its label.
    ///
    /// Without data the tick labels are left out: numbers on an empty axis would suggest values that do not exist.
    func drawGrid(into svg: inout SVGMarkup) {
        let number = ChartNumber.coordinate
        svg.open("g", [("class", "chart-grid"), ("stroke", ChartText.gridColour), ("stroke-width", "1")])
        for tick in self.scale.ticks {
            let y = number(self.y(tick))
            svg.element("line", [("x1", number(self.left)), ("y1", y), ("x2", number(self.right)), ("y2", y)])
        }
        svg.close("g")
        if self.hasData {
            svg.open("g", [("class", "chart-ticks"), ("fill", ChartText.colour), ("text-anchor", "end")])
            for tick in self.scale.ticks {
                svg.element("text", [("x", number(self.left - 6)), ("y", number(self.y(tick) + 4))], content: self.scale.label(tick))
            }
            svg.close("g")
        }
    }

    /// The axis lines, the zero line when 0 is inside the axis, and the axis title.
    func drawAxes(into svg: inout SVGMarkup) {
        let number = ChartNumber.coordinate
        svg.open("g", [("class", "chart-axes"), ("stroke", ChartText.axisColour), ("stroke-width", "1")])
        svg.element("line", [("x1", number(self.left)), ("y1", number(self.top)), ("x2", number(self.left)), ("y2", number(self.bottom))])
        svg.element("line", [("x1", number(self.left)), ("y1", number(self.bottom)), ("x2", number(self.right)), ("y2", number(self.bottom))])
        if self.scale.lower < 0, self.scale.upper > 0 {
            let zero = number(self.y(0))
            svg.element("line", [("class", "chart-zero"), ("x1", number(self.left)), ("y1", zero), ("x2", number(self.right)), ("y2", zero)])
        }
        svg.close("g")
        if !self.axisTitle.isEmpty {
            svg.element("text", [
                ("class", "chart-axis-title"), ("x", "8"), ("y", number(Self.titleBaseline)), ("fill", ChartText.colour),
            ], content: self.axisTitle)
        }
    }

    /// The x labels under the plot, thinned to every k-th so they do not overlap, always keeping the last (the latest
    /// month in a report), and truncated with "…" to the room each one has.
    func drawXLabels(_ labels: [String], into svg: inout SVGMarkup) {
        guard self.count > 0 else { return }
        let longest = Double(labels.prefix(self.count).map(\.count).max() ?? 0) * ChartText.characterWidth + 8
        // Beyond ~8 labels even short ones crowd; long ones get at least ~60 points each before they are cut.
        let byCount = Int((Double(self.count) / 8).rounded(.up))
        let byWidth = Int((Swift.min(longest, 60) / Swift.max(self.band, 0.001)).rounded(.up))
        let every = Swift.max(1, byCount, Swift.min(byWidth, self.count))
        let number = ChartNumber.coordinate
        svg.open("g", [("class", "chart-x-labels"), ("fill", ChartText.colour), ("text-anchor", "middle")])
        for (index, label) in labels.prefix(self.count).enumerated() where (self.count - 1 - index) % every == 0 {
            // Each label owns half a slot either side of its point, less where the chart ends; one nudged inwards from an edge
            // (below) then still stays out of its neighbour's half.
            let (centre, halfSlot) = (self.x(index), (Double(every) * self.band - 4) / 2)
            let room = Swift.min(halfSlot, centre - 2) + Swift.min(halfSlot, self.width - 2 - centre)
            let shown = ChartText.truncated(label, maxCharacters: ChartText.characters(fitting: room))
            let half = Double(shown.count) * ChartText.characterWidth / 2
            let x = Swift.max(Swift.min(centre, self.width - 2 - half), Swift.min(2 + half, self.width / 2))
            svg.element("text", [("x", number(x)), ("y", number(self.bottom + 15))], content: shown)
        }
        svg.close("g")
    }

    /// "No data" in the middle of the plot, for a chart whose every value is missing.
    func drawNoData(into svg: inout SVGMarkup) {
        svg.element("text", [
            ("class", "chart-no-data"), ("x", ChartNumber.coordinate((self.left + self.right) / 2)),
            ("y", ChartNumber.coordinate((self.top + self.bottom) / 2 + 4)), ("fill", ChartText.colour), ("text-anchor", "middle"),
        ], content: "No data")
    }

    /// One legend entry per series: a sample of its line with its marker, then its name.
    func drawLegend(into svg: inout SVGMarkup) {
        guard !self.legend.isEmpty else { return }
        let number = ChartNumber.coordinate
        svg.open("g", [("class", "chart-legend")])
        for (index, item) in self.legend.enumerated() {
            let style = SeriesStyle(index: index)
            let lineY = number(item.y - 4)
            svg.open("g", [("class", "chart-legend-item")])
            svg.element("line", [("x1", number(item.x)), ("y1", lineY), ("x2", number(item.x + 24)), ("y2", lineY)] + style.lineAttributes(width: 2))
            style.drawMarker(x: item.x + 12, y: item.y - 4, into: &svg)
            svg.element("text", [("x", number(item.x + 30)), ("y", number(item.y)), ("fill", ChartText.colour)], content: item.name)
            svg.close("g")
        }
        svg.close("g")
    }
}
