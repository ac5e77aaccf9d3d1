import Foundation

/// Accumulates SVG elements, one per line; every attribute value and text goes through `escaped`, so no caller can forget it.
struct SVGMarkup {
    private(set) var text = ""

    /// An element without content, e.g. `<line …/>`.
    mutating func element(_ name: String, _ attributes: [(String, String)]) {
        self.text += "<\(name)\(Self.attributes(attributes))/>\n"
    }

    /// An element holding `content` as text, e.g. `<text …>2026-01</text>`.
    mutating func element(_ name: String, _ attributes: [(String, String)], content: String) {
        self.text += "<\(name)\(Self.attributes(attributes))>\(Self.escaped(content))</\(name)>\n"
    }

    /// Opens a group; `close` ends it.
    mutating func open(_ name: String, _ attributes: [(String, String)]) {
        self.text += "<\(name)\(Self.attributes(attributes))>\n"
    }

    mutating func close(_ name: String) {
        self.text += "</\(name)>\n"
    }

    mutating func append(_ other: SVGMarkup) {
        self.text += other.text
    }

    /// `text` safe in XML content and in attribute values under either quote.
    ///
    /// Control characters XML 1.0 forbids are dropped: one of them in a survey label would make the whole page's SVG unparsable.
    /// `'` becomes `&#39;` rather than `&apos;` because the SVG is inlined in HTML, where numeric references work everywhere.
    static func escaped(_ text: String) -> String {
        XMLText.escaped(text, apostrophe: "&#39;")
    }

    private static func attributes(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(Self.escaped($0.1))\"" }.joined()
    }
}

/// Text helpers shared by the charts.
enum ChartText {
    /// Text colour: dark grey rather than black is easier on the eye and still well above 4.5:1 contrast on white.
    static let colour = "#333333"
    /// Axis lines and the zero line: dark enough (4.5:1) to read as structure in greyscale, lighter than the data.
    static let axisColour = "#767676"
    static let gridColour = "#dddddd"
    /// Rough advance of one character at font-size 11 in a system UI font; used only to decide what fits, never to position text.
    static let characterWidth = 6.4

    /// `text` cut to `maxCharacters` characters, ending in "…" when it was cut.
    static func truncated(_ text: String, maxCharacters: Int) -> String {
        guard text.count > maxCharacters else { return text }
        guard maxCharacters > 1 else { return "…" }
        var kept = String(text.prefix(maxCharacters - 1))
        while kept.last?.isWhitespace == true { kept.removeLast() }
        return kept + "…"
    }

    /// How many characters fit in `width` points, never fewer than 1.
    static func characters(fitting width: Double) -> Int {
        guard width.isFinite else { return 1 }
        return Int(Swift.max(1, Swift.min(10_000, (width / Self.characterWidth).rounded(.down))))
    }

    /// The id stem of one chart's `<title>` and `<desc>`: a slug of the title for readability plus a hash of everything the
    /// chart says, so two charts on one page do not clash even when their slugs do, and the same chart always gets the same id.
    static func identifier(kind: String, title: String, description: String) -> String {
        var slug = ""
        for scalar in title.lowercased().unicodeScalars.prefix(200) {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
            if slug.count >= 24 { break }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        // FNV-1a: tiny, and unlike Hasher it is the same in every process, which byte-identical output needs.
        var hash: UInt32 = 2_166_136_261
        for byte in "\(kind)\u{1F}\(title)\u{1F}\(description)".utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        let hex = String(hash, radix: 16)
        let suffix = String(repeating: "0", count: 8 - hex.count) + hex
        return slug.isEmpty ? "chart-\(suffix)" : "chart-\(slug)-\(suffix)"
    }

    /// "12.5", or "no data" for a gap, as a screen reader should say a value.
    static func spoken(_ value: Double?) -> String {
        value.map(ChartNumber.readable) ?? "no data"
    }

    /// `text` trimmed and ending in a full stop, so sentences joined into a `<desc>` read as sentences.
    static func sentence(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let last = trimmed.last else { return "" }
        return ".!?…".contains(last) ? trimmed : trimmed + "."
    }

    /// The complete `<svg>` document around `body`: sized, labelled by its `<title>` and `<desc>`, and self-contained.
    static func document(kind: String, title: String, description: String, width: Int, height: Int, body: SVGMarkup) -> String {
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "Chart" : title
        let id = Self.identifier(kind: kind, title: title, description: description)
        var svg = SVGMarkup()
        svg.open("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"), ("width", String(width)), ("height", String(height)),
            ("viewBox", "0 0 \(width) \(height)"), ("role", "img"), ("aria-labelledby", "\(id)-title \(id)-desc"),
            ("font-family", "system-ui, sans-serif"), ("font-size", "11"),
        ])
        svg.element("title", [("id", "\(id)-title")], content: title)
        svg.element("desc", [("id", "\(id)-desc")], content: description)
        svg.append(body)
        svg.close("svg")
        return svg.text
    }
}
