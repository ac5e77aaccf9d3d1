import Foundation

/// How one series looks: colour, dash pattern and marker shape.
///
/// Colour alone fails in greyscale print and for colour-blind readers, so every series also differs in dash and marker.
/// The three cycle with different lengths (7, 5, 6), so the combination stays unique for the first 210 series even
/// after the colours repeat.
struct SeriesStyle: Equatable {
    /// Okabe–Ito, the colour-blind-safe palette, without its yellow, which is too light on white.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
    static let dashes = ["", "6 4", "2 3", "8 3 2 3", "12 4"]

    enum Marker: CaseIterable {
        case circle, square, triangleUp, diamond, triangleDown, ring
    }

    let colour: String
    let dash: String
    let marker: Marker

    init(index: Int) {
        let index = Swift.max(index, 0)
        self.colour = Self.palette[index % Self.palette.count]
        self.dash = Self.dashes[index % Self.dashes.count]
        self.marker = Marker.allCases[index % Marker.allCases.count]
    }

    /// Stroke attributes for this series' line, in a fixed order.
    func lineAttributes(width: Double) -> [(String, String)] {
        var attributes = [
            ("fill", "none"), ("stroke", self.colour), ("stroke-width", ChartNumber.coordinate(width)),
            ("stroke-linejoin", "round"), ("stroke-linecap", "round"),
        ]
        if !self.dash.isEmpty { attributes.append(("stroke-dasharray", self.dash)) }
        return attributes
    }

    /// The marker centred on (`x`, `y`). Filled markers get a white edge so they stay apart where lines cross.
    func drawMarker(x: Double, y: Double, size: Double = 3.5, into svg: inout SVGMarkup) {
        let number = ChartNumber.coordinate
        let filled: [(String, String)] = [("fill", self.colour), ("stroke", "#ffffff"), ("stroke-width", "1")]
        let base = [("class", "chart-marker")]
        switch self.marker {
        case .circle:
            svg.element("circle", base + [("cx", number(x)), ("cy", number(y)), ("r", number(size))] + filled)
        case .ring:
            svg.element("circle", base + [
                ("cx", number(x)), ("cy", number(y)), ("r", number(size * 0.85)),
                ("fill", "#ffffff"), ("stroke", self.colour), ("stroke-width", "1.5"),
            ])
        case .square:
            let side = size * 1.7
            svg.element("rect", base + [
                ("x", number(x - side / 2)), ("y", number(y - side / 2)), ("width", number(side)), ("height", number(side)),
            ] + filled)
        case .triangleUp, .triangleDown, .diamond:
            svg.element("path", base + [("d", self.outline(x: x, y: y, size: size))] + filled)
        }
    }

    /// The closed outline of a polygon marker.
    private func outline(x: Double, y: Double, size: Double) -> String {
        let points: [(Double, Double)] = switch self.marker {
        case .triangleUp: [(0, -1.25), (1.1, 0.75), (-1.1, 0.75)]
        case .triangleDown: [(0, 1.25), (1.1, -0.75), (-1.1, -0.75)]
        default: [(0, -1.2), (1.2, 0), (0, 1.2), (-1.2, 0)]
        }
        let moves = points.enumerated().map { index, point in
            "\(index == 0 ? "M" : "L")\(ChartNumber.coordinate(x + point.0 * size)) \(ChartNumber.coordinate(y + point.1 * size))"
        }
        return moves.joined(separator: " ") + " Z"
    }
}
