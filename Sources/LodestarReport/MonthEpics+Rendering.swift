import Foundation
import LodestarCore

extension MonthEpics {
    /// The epics in `format`; with `explain`, each score's breakdown, its history and its quotes follow the table.
    public func rendered(as format: OutputFormat, explain: Bool) throws -> String {
        switch format {
        case .json: return String(decoding: try JSONEncoder.stable.encode(self), as: UTF8.self) + "\n"
        case .csv: return self.table(explain: explain).csv()
        case .markdown:
            var text = "**\(self.heading)**\n\n" + self.table(explain: false).markdown()
            if explain {
                for epic in self.epics { text += "\n### #\(epic.id) \(TextTable.markdownCell(epic.title))\n\n" + Self.explanation(epic).map { "- \(TextTable.markdownCell($0))\n" }.joined() }
            }
            return text + self.strengthsText(bullet: "- ")
        case .table:
            guard !self.epics.isEmpty else { return self.heading + "\nNo epics.\n" }
            var text = self.heading + "\n\n" + self.table(explain: false).aligned()
            if explain {
                for epic in self.epics { text += "\n#\(epic.id) \(epic.title)\n" + Self.explanation(epic).map { "  \($0)\n" }.joined() }
            }
            return text + self.strengthsText(bullet: "  ")
        }
    }

    /// "Epics for 2026-11: 48 responses, anonymity threshold k = 5".
    public var heading: String {
        "Epics for \(self.month): \(self.responses) \(self.responses == 1 ? "response" : "responses"), anonymity threshold k = \(self.anonymityK)"
    }

    /// One row per epic; with `explain` (CSV), the breakdown and history as extra columns.
    public func table(explain: Bool) -> TextTable {
        var columns = ["rank", "id", "title", "score", "respondents", "teams", "status", "owner"]
        if explain { columns += ["breakdown", "history", "quotes"] }
        let rows = self.epics.map { epic in
            var row = [
                String(epic.rank), String(epic.id), epic.title, Self.number(epic.score), String(epic.respondents),
                epic.teams.map { "\($0.team) \($0.respondents)" }.joined(separator: ", "), epic.status.rawValue, epic.owner ?? "",
            ]
            if explain { row += [epic.breakdown.reasons.joined(separator: "; "), epic.history.words ?? "", epic.quotes.joined(separator: " | ")] }
            return row
        }
        return TextTable(columns: columns, rows: rows)
    }

    /// The lines `--explain` prints under an epic.
    static func explanation(_ epic: Epic) -> [String] {
        var lines = epic.breakdown.reasons
        if let history = epic.history.words { lines.append("history: \(history)") }
        lines.append("keywords: \(epic.keywords.joined(separator: ", "))")
        if let note = epic.note { lines.append("note: \(note)") }
        lines += epic.quotes.map { "“\($0)”" }
        if let withheld = epic.quotesWithheld { lines.append("quotes withheld: \(withheld)") }
        return lines
    }

    private func strengthsText(bullet: String) -> String {
        guard !self.strengths.isEmpty else { return "" }
        let lines = self.strengths.prefix(5).map { strength in
            "\(bullet)\(strength.label) (\(strength.respondents) \(strength.respondents == 1 ? "respondent" : "respondents"))"
                + (strength.history.monthsRunning >= 2 ? ", praised \(strength.history.monthsRunning) months running" : "")
        }
        return "\nStrengths to keep:\n" + lines.joined(separator: "\n") + "\n"
    }

    /// 12 or 15.5: a score as people write it.
    public static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
