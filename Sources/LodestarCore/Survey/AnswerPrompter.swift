import Foundation

/// Asks a survey's questions one by one in a terminal, for the answers not already given by flags.
public struct AnswerPrompter {
    /// Reads one line without its line break; nil at end of input.
    let readLine: () -> String?
    let write: (String) -> Void

    public init(readLine: @escaping () -> String?, write: @escaping (String) -> Void) {
        self.readLine = readLine
        self.write = write
    }

    /// Fills in `submission` with answers to the questions it lacks. Stops asking at end of input.
    public func complete(_ submission: Submission, for definition: SurveyDefinition) -> Submission {
        var submission = submission
        self.write("\(definition.title)\n\(definition.intro)\n")
        if submission.team == nil, !definition.teams.isEmpty {
            self.write("\nYour team (\(definition.teams.joined(separator: ", "))), or Enter to skip:\n> ")
            guard let line = self.readLine() else { return submission }
            submission.team = line.trimmingCharacters(in: .whitespaces).nilIfEmpty
        }
        for question in definition.questions {
            switch question.kind {
            case .text:
                guard submission.answers[question.id] == nil else { continue }
                guard let text = self.askText(question) else { return submission }
                if !text.isEmpty { submission.answers[question.id] = text }
            case .choice:
                guard submission.answers[question.id] == nil else { continue }
                guard let choice = self.askChoice(question) else { return submission }
                if !choice.isEmpty { submission.answers[question.id] = choice }
            case .rating, .percent:
                guard submission.ratings[question.id] == nil else { continue }
                guard let value = self.askNumber(question) else { return submission }
                if let value { submission.ratings[question.id] = .number(Double(value)) }
            }
        }
        return submission
    }

    /// Lines until an empty one; "" when skipped; nil at end of input.
    private func askText(_ question: Question) -> String? {
        let skip = question.required ? "" : " Leave empty to skip."
        while true {
            self.write("\n\(question.prompt)\n(Several lines are fine; an empty line ends the answer.\(skip))\n")
            var lines: [String] = []
            while true {
                self.write("> ")
                guard let line = self.readLine() else {
                    return lines.isEmpty ? nil : lines.joined(separator: "\n")
                }
                if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
                lines.append(line)
            }
            let text = lines.joined(separator: "\n")
            if text.count > question.maxLength {
                self.write("That is \(text.count) characters; at most \(question.maxLength), please.\n")
                continue
            }
            if text.isEmpty, question.required {
                self.write("An answer is required.\n")
                continue
            }
            return text
        }
    }

    /// A whole number in the scale; .some(nil) when skipped; nil at end of input.
    private func askNumber(_ question: Question) -> Int?? {
        let scale = question.scale
        var labels = ""
        if question.scaleLabels.count == scale.count {
            labels = zip(scale, question.scaleLabels).map { "  \($0) \($1)" }.joined(separator: "\n") + "\n"
        }
        while true {
            let skip = question.required ? "" : ", or Enter to skip"
            self.write("\n\(question.prompt)\n\(labels)Enter \(scale.lowerBound) to \(scale.upperBound)\(skip):\n> ")
            guard let line = self.readLine() else { return nil }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty, !question.required { return .some(nil) }
            if let value = Int(text), scale.contains(value) { return .some(value) }
            self.write("Please enter a whole number from \(scale.lowerBound) to \(scale.upperBound).\n")
        }
    }

    /// One of the choices by number; "" when skipped; nil at end of input.
    private func askChoice(_ question: Question) -> String? {
        let list = question.choices.enumerated().map { "  \($0.offset + 1) \($0.element)" }.joined(separator: "\n")
        while true {
            self.write("\n\(question.prompt)\n\(list)\nEnter a number\(question.required ? "" : ", or Enter to skip"):\n> ")
            guard let line = self.readLine() else { return nil }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty, !question.required { return "" }
            if let index = Int(text), question.choices.indices.contains(index - 1) { return question.choices[index - 1] }
            self.write("Please enter a number from 1 to \(question.choices.count).\n")
        }
    }
}
