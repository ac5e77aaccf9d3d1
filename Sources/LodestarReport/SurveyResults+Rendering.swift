import Foundation
import LodestarCore

extension SurveyResults {
    /// The results in `format`, ready to print.
    public func rendered(as format: OutputFormat) throws -> String {
        switch format {
        case .json: String(decoding: try JSONEncoder.stable.encode(self), as: UTF8.self) + "\n"
        case .csv: self.table().csv()
        case .markdown: self.markdown()
        case .table: self.text()
        }
    }

    /// "42 responses of 60 invited (70.0%)", or just the count for an open round.
    public var participationLine: String {
        let noun = self.responses == 1 ? "response" : "responses"
        guard let invited, let participation else { return "\(self.responses) \(noun) (open round, no invitations)" }
        return "\(self.responses) \(noun) of \(invited) invited (\(String(format: "%.1f", participation))%)"
    }

    private var withheldLine: String {
        "fewer than \(self.anonymityK) responses: figures and answers withheld (anonymity threshold k = \(self.anonymityK))"
    }

    /// One row per figure and per answer: group, responses, question, kind, label, value.
    func table() -> TextTable {
        var rows: [[String]] = []
        for group in self.groups {
            let count = String(group.responses)
            if group.withheld {
                rows.append([group.name, count, "", "withheld", "", ""])
                continue
            }
            for rating in group.ratings {
                if let mean = rating.mean { rows.append([group.name, count, rating.question, "mean", "", Self.number(mean)]) }
                for bucket in rating.distribution {
                    rows.append([group.name, count, rating.question, "count", bucket.label, String(bucket.count)])
                }
            }
            for list in group.answers {
                for text in list.texts { rows.append([group.name, count, list.question, "answer", "", text]) }
            }
        }
        return TextTable(columns: ["group", "responses", "question", "kind", "label", "value"], rows: rows)
    }

    private func text() -> String {
        var out = "\(self.title) — \(self.month) (\(self.status.rawValue), \(self.mode.rawValue))\n\(self.participationLine)\n"
        for group in self.groups {
            out += "\n== \(group.name): \(group.responses) \(group.responses == 1 ? "response" : "responses")\n"
            if group.withheld {
                out += "   \(self.withheldLine)\n"
                continue
            }
            for rating in group.ratings {
                let mean = rating.mean.map { "mean \(Self.number($0)), " } ?? ""
                out += "\n\(rating.prompt)\n   \(mean)\(rating.answered) answered\n"
                let widest = rating.distribution.map(\.count).max() ?? 0
                for bucket in rating.distribution {
                    let bar = String(repeating: "#", count: widest == 0 ? 0 : Int((Double(bucket.count) / Double(widest) * 30).rounded()))
                    out += "   \(bucket.label.padding(toLength: 22, withPad: " ", startingAt: 0)) \(String(bucket.count).leftPadded(4)) \(bar)\n"
                }
            }
            for list in group.answers {
                out += "\n\(list.prompt) (\(list.texts.count))\n"
                for text in list.texts { out += "   - \(text.replacingOccurrences(of: "\n", with: "\n     "))\n" }
            }
        }
        return out
    }

    private func markdown() -> String {
        var out = "# \(self.title) — \(self.month)\n\n\(self.participationLine). Anonymity threshold k = \(self.anonymityK).\n"
        for group in self.groups {
            out += "\n## \(group.name) (\(group.responses))\n\n"
            if group.withheld {
                out += "_\(self.withheldLine)._\n"
                continue
            }
            for rating in group.ratings {
                let mean = rating.mean.map { " — mean **\(Self.number($0))**" } ?? ""
                out += "**\(TextTable.markdownCell(rating.prompt))**\(mean), \(rating.answered) answered\n\n"
                out += TextTable(columns: ["answer", "count"], rows: rating.distribution.map { [$0.label, String($0.count)] }).markdown() + "\n"
            }
            for list in group.answers {
                out += "**\(TextTable.markdownCell(list.prompt))**\n\n"
                out += list.texts.map { "- " + TextTable.markdownCell($0) }.joined(separator: "\n") + "\n\n"
            }
        }
        return out
    }

    static func number(_ value: Double) -> String { String(format: "%.2f", value) }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        self.count >= width ? self : String(repeating: " ", count: width - self.count) + self
    }
}
