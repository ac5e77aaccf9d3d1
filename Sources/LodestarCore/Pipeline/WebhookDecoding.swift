import Foundation

/// Reading webhook bodies, shared by the GitHub, GitLab and DevLake parsers: decoding with errors that name the
/// field at fault, required fields, and the configured patterns.
enum WebhookDecoding {
    /// How a sender spells its keys, so that errors name a field the way the sender wrote it.
    enum Keys {
        /// Keys as declared (explicit `CodingKeys`, or camelCase bodies read with snake_case converted).
        case asDeclared
        /// snake_case bodies read with `.convertFromSnakeCase`: error paths are turned back into snake_case.
        case snakeCase
    }

    /// Decodes `body`; `convertSnakeCase` lets `commit_sha` and `commitSha` fill the same property.
    static func decode<Payload: Decodable>(
        _ type: Payload.Type, from body: Data, convertSnakeCase: Bool = false, keys: Keys = .asDeclared
    ) throws(WebhookError) -> Payload {
        let decoder = JSONDecoder()
        if convertSnakeCase { decoder.keyDecodingStrategy = .convertFromSnakeCase }
        do {
            return try decoder.decode(type, from: body)
        } catch let error as DecodingError {
            throw Self.webhookError(error, body: body, keys: keys)
        } catch {
            throw WebhookError(field: "", message: "malformed JSON: \(error.localizedDescription)")
        }
    }

    static func require<Value>(_ value: Value?, _ field: String) throws(WebhookError) -> Value {
        guard let value else { throw WebhookError(field: field, message: "is required") }
        return value
    }

    static func regularExpression(_ pattern: String, option: String) throws(WebhookError) -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        } catch {
            throw WebhookError(field: "", message: "the \(option) '\(pattern)' is not a valid regular expression")
        }
    }

    static func matches(_ expression: NSRegularExpression, _ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The pattern's first capture group (or whole match, for a pattern without groups) at its first match.
    static func firstCapture(of pattern: String, in text: String) throws(WebhookError) -> String? {
        let expression = try Self.regularExpression(pattern, option: "root cause pattern")
        guard let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        guard let range = Range(match.range(at: match.numberOfRanges > 1 ? 1 : 0), in: text) else { return nil }
        return String(text[range])
    }

    /// Names the field at fault as a path like `commits[2].timestamp`.
    static func webhookError(_ error: DecodingError, body: Data, keys: Keys) -> WebhookError {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return WebhookError(field: "", message: "malformed JSON: \(Self.syntaxReason(body) ?? context.debugDescription)")
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            return WebhookError(field: "", message: "malformed JSON: the body must be a JSON object")
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
            return WebhookError(field: Self.path(context.codingPath, keys: keys), message: context.debugDescription)
        case .keyNotFound(let key, let context):
            return WebhookError(field: Self.path(context.codingPath + [key], keys: keys), message: "is required")
        @unknown default:
            return WebhookError(field: "", message: "\(error)")
        }
    }

    /// JSONDecoder only says the data is not valid JSON; JSONSerialization says where ("Invalid value around character 25.").
    static func syntaxReason(_ body: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
            return nil
        } catch {
            return (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        }
    }

    static func path(_ codingPath: [any CodingKey], keys: Keys) -> String {
        codingPath.reduce(into: "") { path, key in
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                var name = key.stringValue
                if keys == .snakeCase { name = name.reduce(into: "") { $0 += $1.isUppercase ? "_\($1.lowercased())" : String($1) } }
                path += path.isEmpty ? name : ".\(name)"
            }
        }
    }
}

/// A time sent as ISO 8601 text (GitLab's `2026-11-02 10:15:00 UTC` too) or as epoch seconds (GitHub's push
/// `repository.pushed_at` is a number).
struct FlexibleDate: Decodable {
    let date: Date

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            guard let date = Timestamp.epoch(number) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(number) is not a time")
            }
            self.date = date
        } else if let text = try? container.decode(String.self) {
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a time (ISO 8601 or epoch seconds)")
            }
            self.date = date
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be a time (ISO 8601 text or epoch seconds)")
        }
    }
}

/// An id sent as a number by some senders and as text by others.
struct FlexibleID: Decodable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self.text = String(number)
        } else {
            self.text = try container.decode(String.self)
        }
    }
}
