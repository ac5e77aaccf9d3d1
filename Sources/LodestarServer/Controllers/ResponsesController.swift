import Foundation
import Hummingbird
import LodestarCore
import Logging

/// `POST /api/v1/responses`: a survey answer as JSON.
struct ResponsesController: Sendable {
    let service: SurveyService
    let rateLimiter: RateLimiter
    let metrics: ServerMetrics

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("responses", use: self.create)
        group.get("survey", use: self.current)
    }

    /// The questions of the round an answer would go to, so that `survey answer --server` can prompt for them.
    struct CurrentSurvey: ResponseEncodable {
        let month: Month
        let mode: SurveyRound.Mode
        let definition: SurveyDefinition
    }

    @Sendable func current(request: Request, context: AppRequestContext) async throws -> CurrentSurvey {
        var month: Month?
        if let text = request.uri.queryParameters.get("month") {
            do {
                month = try Month(parsing: String(text))
            } catch {
                throw APIError(.badRequest, error.description, field: "month")
            }
        }
        do {
            let admission = try await self.service.admission(month: month, token: request.uri.queryParameters.get("token").map { String($0) })
            return CurrentSurvey(month: admission.round.month, mode: admission.round.mode, definition: admission.round.definition)
        } catch let error as SurveyError {
            throw APIError(error)
        }
    }

    struct Created: ResponseEncodable {
        let id: Int64
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> EditedResponse<Created> {
        guard request.mediaType == "application/json" else {
            throw APIError(.unsupportedMediaType, "send the answer as application/json", field: "Content-Type")
        }
        let text: String
        do {
            text = try await request.bodyText(limit: ServerLimits.responseBodyBytes)
        } catch let error as BodyTooLarge {
            throw APIError.tooLarge(limit: error.limit)
        } catch is BodyNotUTF8 {
            throw APIError(.badRequest, "the body is not valid UTF-8")
        }
        guard self.rateLimiter.allow(context.clientKey) else { throw APIError.rateLimited }
        let submission = try ResponseBody.submission(fromJSON: text)
        do {
            let id = try await self.service.submit(submission)
            self.metrics.responseStored(via: .api)
            return EditedResponse(status: .created, response: Created(id: id))
        } catch let error as SurveyError {
            throw APIError(error)
        }
    }
}

/// Reads the JSON body field by field, so that every problem names its field.
enum ResponseBody {
    static let topLevelKeys: Set<String> = ["month", "team", "token", "answers", "ratings"]

    static func submission(fromJSON body: String) throws -> Submission {
        let value: JSONValue
        do {
            value = try FlatJSON.parseValue(body)
        } catch {
            throw APIError(.badRequest, "malformed JSON: \(error.message)")
        }
        guard case .object(let object) = value else { throw APIError(.badRequest, "the body must be a JSON object") }
        var issues: [FieldIssue] = object.keys.sorted().filter { !Self.topLevelKeys.contains($0) }.map {
            FieldIssue(field: $0, message: "unknown field; expected \(Self.topLevelKeys.sorted().joined(separator: ", "))")
        }
        func text(_ key: String) -> String? {
            switch object[key] {
            case .none, .null: return nil
            case .string(let text): return text
            default:
                issues.append(FieldIssue(field: key, message: "must be text"))
                return nil
            }
        }
        var month: Month?
        if let monthText = text("month") {
            do { month = try Month(parsing: monthText) } catch { issues.append(FieldIssue(field: "month", message: error.description)) }
        }
        var answers: [String: String] = [:]
        switch object["answers"] {
        case .none, .null: break
        case .object(let fields):
            for (key, field) in fields {
                if case .string(let answer) = field { answers[key] = answer } else if field != .null {
                    issues.append(FieldIssue(field: "answers.\(key)", message: "must be text"))
                }
            }
        default: issues.append(FieldIssue(field: "answers", message: "must be an object of question id to text"))
        }
        var ratings: [String: Submission.RawValue] = [:]
        switch object["ratings"] {
        case .none, .null: break
        case .object(let fields):
            for (key, field) in fields {
                switch field {
                case .number(let number): ratings[key] = .number(number)
                case .string(let text): ratings[key] = .text(text)
                case .null: break
                default: ratings[key] = .other("\(field)")
                }
            }
        default: issues.append(FieldIssue(field: "ratings", message: "must be an object of question id to number"))
        }
        let submission = Submission(month: month, team: text("team"), token: text("token"), answers: answers, ratings: ratings)
        guard issues.isEmpty else { throw APIError(.badRequest, issues: issues) }
        return submission
    }
}
