import Foundation
import Yams

extension SurveyDefinition {
    /// Reads and validates a survey definition file.
    public static func load(contentsOf url: URL) throws(SurveyDefinitionError) -> SurveyDefinition {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SurveyDefinitionError(file: url.path, line: 0, field: "", message: "cannot read the file (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SurveyDefinitionError(file: url.path, line: 0, field: "", message: "the file is not valid UTF-8")
        }
        return try self.parse(yaml: text, file: url.path)
    }

    /// Parses and validates YAML text; `file` names the source in errors.
    public static func parse(yaml: String, file: String) throws(SurveyDefinitionError) -> SurveyDefinition {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw SurveyDefinitionError(file: file, line: error.line, field: "", message: "not valid YAML: \(error.problem)")
        } catch {
            throw SurveyDefinitionError(file: file, line: 0, field: "", message: "not valid YAML: \(error)")
        }
        guard let root else { throw SurveyDefinitionError(file: file, line: 1, field: "", message: "the file is empty") }
        return try SurveyYAMLReader(file: file).definition(from: root)
    }
}

extension YamlError {
    var line: Int {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: 0
        }
    }

    var problem: String {
        switch self {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        case .duplicatedKeysInMapping(let duplicates, _): "duplicated keys \(duplicates.joined(separator: ", "))"
        default: "\(self)"
        }
    }
}

/// Walks the composed YAML tree, checking every key so that a misspelt one is reported rather than ignored.
private struct SurveyYAMLReader {
    let file: String

    static let surveyKeys: Set<String> = ["id", "title", "intro", "teams", "questions"]
    static let questionKeys: Set<String> = ["id", "kind", "prompt", "required", "maxLength", "scale", "scaleLabels", "choices"]

    func definition(from root: Node) throws(SurveyDefinitionError) -> SurveyDefinition {
        let fields = try self.mapping(root, field: "", allowed: Self.surveyKeys)
        let id = try self.identifier(fields, "id", in: root)
        let title = try self.string(fields, "title", in: root)
        let intro = try self.optionalString(fields, "intro") ?? ""
        let teams = try self.optionalStrings(fields, "teams")
        guard let questionsNode = fields["questions"] else { throw self.missing("questions", in: root) }
        guard case .sequence(let sequence) = questionsNode, !sequence.isEmpty else {
            throw self.error(questionsNode, "questions", "must be a list of at least one question")
        }
        var questions: [Question] = []
        for (index, node) in sequence.enumerated() {
            let question = try self.question(from: node, path: "questions[\(index)]")
            if questions.contains(where: { $0.id == question.id }) {
                throw self.error(node, "questions[\(index)].id", "'\(question.id)' is used by an earlier question")
            }
            questions.append(question)
        }
        return SurveyDefinition(id: id, title: title, intro: intro, teams: teams, questions: questions)
    }

    private func question(from node: Node, path: String) throws(SurveyDefinitionError) -> Question {
        let fields = try self.mapping(node, field: path, allowed: Self.questionKeys)
        let id = try self.identifier(fields, "id", in: node, path: path)
        let kindText = try self.string(fields, "kind", in: node, path: path)
        guard let kind = Question.Kind(rawValue: kindText) else {
            let known = Question.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw self.error(fields["kind"] ?? node, "\(path).kind", "'\(kindText)' is not a kind; use one of \(known)")
        }
        let prompt = try self.string(fields, "prompt", in: node, path: path)
        let required = try self.optionalBool(fields, "required", path: path) ?? false
        let maxLength = try self.optionalInt(fields, "maxLength", path: path) ?? Question.defaultMaxLength
        guard (1...100_000).contains(maxLength) else {
            throw self.error(fields["maxLength"] ?? node, "\(path).maxLength", "must be between 1 and 100000")
        }
        var scale: ClosedRange<Int>?
        if let scaleNode = fields["scale"] {
            let bounds = scaleNode.array().compactMap(Self.wholeNumber)
            guard case .sequence = scaleNode, bounds.count == 2, bounds[0] < bounds[1] else {
                throw self.error(scaleNode, "\(path).scale", "must be two whole numbers, lowest first, for example [1, 5]")
            }
            scale = bounds[0]...bounds[1]
        }
        let scaleLabels = try self.optionalStrings(fields, "scaleLabels", path: path)
        let choices = try self.optionalStrings(fields, "choices", path: path)
        if kind == .choice, choices.count < 2 {
            throw self.error(fields["choices"] ?? node, "\(path).choices", "a choice question needs at least two choices")
        }
        if kind != .choice, !choices.isEmpty {
            throw self.error(fields["choices"]!, "\(path).choices", "only a choice question has choices")
        }
        if kind == .percent, let scale, scale != 0...100 {
            throw self.error(fields["scale"]!, "\(path).scale", "a percent question always runs from 0 to 100")
        }
        return Question(
            id: id, kind: kind, prompt: prompt, required: required, maxLength: maxLength,
            scale: scale, scaleLabels: scaleLabels, choices: choices
        )
    }

    // MARK: - Field readers

    private func mapping(_ node: Node, field: String, allowed: Set<String>) throws(SurveyDefinitionError) -> [String: Node] {
        guard case .mapping(let mapping) = node else {
            throw self.error(node, field, "must be a mapping of keys to values")
        }
        var fields: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw self.error(key, field, "keys must be text") }
            guard allowed.contains(name) else {
                let path = field.isEmpty ? name : "\(field).\(name)"
                let hint = Self.closest(to: name, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                throw self.error(key, path, "unknown key\(hint); allowed: \(allowed.sorted().joined(separator: ", "))")
            }
            fields[name] = value
        }
        return fields
    }

    private func string(_ fields: [String: Node], _ key: String, in parent: Node, path: String = "") throws(SurveyDefinitionError) -> String {
        guard let value = try self.optionalString(fields, key, path: path) else { throw self.missing(key, in: parent, path: path) }
        return value
    }

    private func identifier(_ fields: [String: Node], _ key: String, in parent: Node, path: String = "") throws(SurveyDefinitionError) -> String {
        let value = try self.string(fields, key, in: parent, path: path)
        let allowed = value.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
        guard allowed, value.count <= 64 else {
            throw self.error(fields[key]!, Self.join(path, key), "'\(value)' must be letters, digits, '-' or '_' (at most 64)")
        }
        return value
    }

    private func optionalString(_ fields: [String: Node], _ key: String, path: String = "") throws(SurveyDefinitionError) -> String? {
        guard let node = fields[key] else { return nil }
        guard case .scalar(let scalar) = node, !scalar.string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw self.error(node, Self.join(path, key), "must be non-empty text")
        }
        return scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func optionalStrings(_ fields: [String: Node], _ key: String, path: String = "") throws(SurveyDefinitionError) -> [String] {
        guard let node = fields[key] else { return [] }
        guard case .sequence(let sequence) = node else { throw self.error(node, Self.join(path, key), "must be a list of text") }
        var values: [String] = []
        for item in sequence {
            guard case .scalar(let scalar) = item, !scalar.string.isEmpty else {
                throw self.error(item, Self.join(path, key), "every item must be non-empty text")
            }
            values.append(scalar.string)
        }
        return values
    }

    private func optionalBool(_ fields: [String: Node], _ key: String, path: String) throws(SurveyDefinitionError) -> Bool? {
        guard let node = fields[key] else { return nil }
        guard let value = node.bool else { throw self.error(node, Self.join(path, key), "must be true or false") }
        return value
    }

    private func optionalInt(_ fields: [String: Node], _ key: String, path: String) throws(SurveyDefinitionError) -> Int? {
        guard let node = fields[key] else { return nil }
        guard let value = Self.wholeNumber(node) else { throw self.error(node, Self.join(path, key), "must be a whole number") }
        return value
    }

    /// A whole number written in decimal. Yams's `Node.int` also reads YAML 1.1's base-60 `1:30`, and traps when one
    /// overflows (`1:1:1:1:1:1:1:1:1:1:1`), so numbers are read with `Int(_:)`, which answers nil instead.
    private static func wholeNumber(_ node: Node) -> Int? {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return nil }
        return Int(scalar.string)
    }

    // MARK: - Errors

    private func missing(_ key: String, in parent: Node, path: String = "") -> SurveyDefinitionError {
        self.error(parent, Self.join(path, key), "is required but missing")
    }

    private func error(_ node: Node, _ field: String, _ message: String) -> SurveyDefinitionError {
        SurveyDefinitionError(file: self.file, line: node.mark?.line ?? 0, field: field, message: message)
    }

    private static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// The allowed key nearest to a misspelt one, when it is close enough to be the likely intent.
    private static func closest(to name: String, in allowed: Set<String>) -> String? {
        let scored = allowed.map { ($0, EditDistance.between(name.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }), best.1 <= max(2, name.count / 3) else { return nil }
        return best.0
    }
}

/// Levenshtein distance, used to suggest the key a typo meant.
enum EditDistance {
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
