import Foundation
import Hummingbird
import LodestarCore

/// A form from a signed-in lead with its fields, or the page that says why it is refused.
enum FormOutcome {
    case success((AdminSession, [String: String]))
    case failure(Response)
}

/// A refusal of a form: what a person reads, naming the field.
struct AdminFormError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Reading an admin form: url-encoded, at most 64 KiB, valid UTF-8.
enum AdminForm {
    struct Refusal: Error {
        let message: String
        let status: HTTPResponse.Status
    }

    static func read(_ request: Request) async -> Result<[String: String], Refusal> {
        guard request.mediaType == "application/x-www-form-urlencoded" else {
            return .failure(Refusal(message: "Forms must be sent as application/x-www-form-urlencoded.", status: .unsupportedMediaType))
        }
        do {
            return .success(try FormData.parse(try await request.bodyText(limit: ServerLimits.responseBodyBytes)))
        } catch let error as BodyTooLarge {
            return .failure(Refusal(message: "The form is larger than \(error.limit / 1024) KiB.", status: .contentTooLarge))
        } catch let error as FormData.Malformed {
            return .failure(Refusal(message: "The field \(error.field) is not valid UTF-8 text.", status: .badRequest))
        } catch {
            return .failure(Refusal(message: "The form was not valid UTF-8 text.", status: .badRequest))
        }
    }

    static func month(_ form: [String: String]) throws -> Month {
        guard let text = form["month"]?.trimmed.nilIfEmpty else { throw AdminFormError("month: YYYY-MM") }
        do {
            return try Month(parsing: text)
        } catch {
            throw AdminFormError("month: \(error.description)")
        }
    }
}

/// The survey definitions the server can open rounds of: the `.yaml` files of its surveys folder.
enum SurveyDefinitionFolder {
    static func ids(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }
}
