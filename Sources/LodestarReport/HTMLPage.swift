import Foundation

/// Builds an HTML page as text; everything passed as text is escaped, markup goes through `raw`.
struct HTMLPage {
    private(set) var text = ""

    mutating func raw(_ markup: String) {
        self.text += markup
    }

    mutating func text(_ value: String) {
        self.text += Self.escape(value)
    }

    /// `<name class="…" dir="…">escaped text</name>`.
    mutating func element(_ name: String, _ value: String, class className: String? = nil, dir: String? = nil) {
        self.text += "<\(name)"
        if let className { self.text += " class=\"\(className)\"" }
        if let dir { self.text += " dir=\"\(dir)\"" }
        self.text += ">" + Self.escape(value) + "</\(name)>\n"
    }

    /// A table with a header row; cells are escaped and may wrap anywhere.
    mutating func table(columns: [String], rows: [[String]]) {
        self.text += "<div class=\"table\"><table>\n<thead><tr>"
        for column in columns { self.text += "<th scope=\"col\">" + Self.escape(column) + "</th>" }
        self.text += "</tr></thead>\n<tbody>\n"
        for row in rows {
            self.text += "<tr>" + row.map { "<td dir=\"auto\">" + Self.escape($0) + "</td>" }.joined() + "</tr>\n"
        }
        self.text += "</tbody></table></div>\n"
    }

    static func escape(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for character in value {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// "needs attention" → "needs-attention", for a class name.
    static func slug(_ value: String) -> String {
        String(value.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }
}

/// The report's stylesheet, inlined so the page stands alone. System fonts, no colour carries meaning alone,
/// long words wrap, and it prints to A4.
enum ReportStyle {
    static let css = """
        :root{color-scheme:light;--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--good:#0a6b3d;--bad:#a1260d}
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
        main{max-width:1080px;margin:0 auto;padding:24px 20px 48px}
        h1{font-size:1.7rem;margin:0 0 8px}h2{font-size:1.3rem;margin:32px 0 8px;border-bottom:2px solid var(--line);padding-bottom:4px}
        h3{font-size:1.05rem;margin:16px 0 6px}
        p,li,td,th,blockquote{overflow-wrap:anywhere}
        .headline{font-size:1.1rem;margin:0}
        .status{display:inline-block;border:2px solid currentColor;border-radius:4px;padding:0 6px;margin-right:6px;font-weight:600;text-transform:uppercase;font-size:.8rem}
        .status-improving{color:var(--good)}.status-needs-attention{color:var(--bad)}.status-steady,.status-no-data{color:var(--muted)}
        .note{color:var(--muted)}
        .tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px}
        .tile{border:1px solid var(--line);border-radius:6px;padding:10px 12px;break-inside:avoid}
        .tile h3{margin:0;font-size:.9rem;color:var(--muted);font-weight:600}
        .tile .value{font-size:1.5rem;font-weight:700;margin:2px 0}.tile .tier{margin:0;font-size:.85rem}
        .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:12px;margin-top:12px}
        figure{margin:0;break-inside:avoid}figure svg,p svg{max-width:100%;height:auto}
        p svg{vertical-align:middle;width:120px}
        .table{overflow-x:auto}
        table{border-collapse:collapse;width:100%;font-size:.9rem}
        th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
        th{font-weight:600}
        .epics{padding-left:1.4em}.epics>li{margin-bottom:14px;break-inside:avoid}
        .meta{margin:0;color:var(--muted)}.why{margin:4px 0;padding-left:1.2em;font-size:.9rem}
        blockquote{margin:6px 0 0;padding:2px 10px;border-left:3px solid var(--line);font-style:italic}
        @media print{@page{size:A4;margin:14mm}body{font-size:11pt}main{max-width:none;padding:0}h2{break-after:avoid}.table{overflow:visible}}
        """
}
