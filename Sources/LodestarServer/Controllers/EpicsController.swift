import Foundation
import Hummingbird
import LodestarCore

/// `GET /api/v1/epics` (anyone: the anonymity rule applies; the lead's notes only with the admin token) and
/// `PATCH /api/v1/epics/{id}` (admin token).
struct EpicsController: Sendable {
    let epics: EpicService
    let adminToken: String?
    let policy: AnonymityPolicy

    /// Largest PATCH body: a note is at most 2,000 characters.
    static let bodyLimit = 16 * 1024

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("epics", use: self.list)
        group.patch("epics/{id}", use: self.update)
    }

    /// The month's epics (`?month=YYYY-MM`, default the latest month with epics).
    @Sendable func list(request: Request, context: AppRequestContext) async throws -> MonthEpics {
        var month: Month?
        if let text = request.uri.queryParameters.get("month") {
            do {
                month = try Month(parsing: String(text))
            } catch {
                throw APIError(.badRequest, error.description, field: "month")
            }
        } else {
            month = try await self.epics.latestMonth()
        }
        guard let month else { throw APIError(.notFound, "no epics yet: run `lodestar epics generate --month YYYY-MM`") }
        let shown = try await self.epics.list(month: month, policy: self.policy).shown(under: self.policy)
        return AdminAccess.holdsBearer(request, token: self.adminToken) ? shown : shown.withoutNotes()
    }

    @Sendable func update(request: Request, context: AppRequestContext) async throws -> Epic {
        guard let adminToken else { throw APIError.notConfigured("LODESTAR_ADMIN_TOKEN") }
        try AdminAccess.requireBearer(request, token: adminToken)
        guard let id = context.parameters.get("id").flatMap(Int64.init), id > 0 else {
            throw APIError(.badRequest, "the epic id must be a positive whole number", field: "id")
        }
        guard request.mediaType == "application/json" else {
            throw APIError(.unsupportedMediaType, "send the change as application/json", field: "Content-Type")
        }
        let change: EpicChange
        do {
            let body = try await request.bodyText(limit: Self.bodyLimit)
            change = try EpicChange(json: try FlatJSON.parseValue(body))
        } catch let error as BodyTooLarge {
            throw APIError.tooLarge(limit: error.limit)
        } catch is BodyNotUTF8 {
            throw APIError(.badRequest, "the body is not UTF-8")
        } catch let error as FlatJSON.Malformed {
            throw APIError(.badRequest, "malformed JSON: \(error.message)")
        } catch let error as FieldError {
            throw APIError(.badRequest, error.message, field: error.field.isEmpty ? nil : error.field)
        }
        do {
            return try await self.epics.update(id: id, change: change, actor: "api:admin", policy: self.policy)
        } catch let error as EpicError {
            throw APIError(error)
        }
    }
}

extension APIError {
    /// The HTTP answer to a refused epic action.
    init(_ error: EpicError) {
        switch error {
        case .notFound: self.init(.notFound, error.description, field: "id")
        case .merged, .curated: self.init(.conflict, error.description, field: "id")
        case .differentMonths, .sameEpic: self.init(.badRequest, error.description, field: "id")
        case .invalid(let field): self.init(.badRequest, field.message, field: field.field)
        case .unknownRating: self.init(.badRequest, error.description, field: "target")
        }
    }
}

extension MonthEpics: ResponseEncodable {}
extension Epic: ResponseEncodable {}
