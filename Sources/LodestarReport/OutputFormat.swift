import Foundation

/// How a listing is printed.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table
    case json
    case csv
    case markdown
}

/// A rectangular listing that can be printed in any `OutputFormat` but JSON.
public struct TextTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[String]]

    public init(columns: [String], rows: [[String]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The table in `format`; JSON callers encode their own values instead.
    public func rendered(as format: OutputFormat) -> String {
        switch format {
        case .table, .json: self.aligned()
        case .csv: self.csv()
        case .markdown: self.markdown()
        }
    }

    /// Columns padded to their widest cell, for a terminal.
    public func aligned() -> String {
        let widths = self.columns.indices.map { index in
            ([self.columns[index]] + self.rows.map { $0[index] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        return ([line(self.columns), line(widths.map { String(repeating: "-", count: $0) })] + self.rows.map(line))
            .joined(separator: "\n") + "\n"
    }

    /// RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled.
    public func csv() -> String {
        ([self.columns] + self.rows).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A GitHub-flavoured Markdown table, with pipes and line breaks in cells escaped.
    public func markdown() -> String {
        func line(_ cells: [String]) -> String { "| " + cells.map(Self.markdownCell).joined(separator: " | ") + " |" }
        return ([line(self.columns), line(self.columns.map { _ in "---" })] + self.rows.map(line)).joined(separator: "\n") + "\n"
    }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func markdownCell(_ value: String) -> String {
        value.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\r\n", with: "<br>")
            .replacingOccurrences(of: "\n", with: "<br>").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "&lt;br>", with: "<br>")
    }
}

extension JSONEncoder {
    /// Stable, readable JSON: camelCase keys as declared, sorted, pretty-printed.
    public static var stable: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
