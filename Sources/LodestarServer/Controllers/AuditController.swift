import Foundation
import Hummingbird
import LodestarCore

/// `GET /api/v1/audit`: the audit log for the lead (admin token), newest first, by `?action=` and `?month=`.
struct AuditController: Sendable {
    let admin: any AdminRepository
    let access: AdminAccess

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("audit", use: self.list)
    }

    struct Entries: ResponseEncodable {
        var entries: [AuditEntry]
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Entries {
        try self.access.check(request, context: context)
        var month: Month?
        if let text = request.uri.queryParameters.get("month") {
            do {
                month = try Month(parsing: String(text))
            } catch {
                throw APIError(.badRequest, error.description, field: "month")
            }
        }
        let action = request.uri.queryParameters.get("action").map { String($0) }
        let query = AuditQuery(action: action?.isEmpty == true ? nil : action, month: month)
        return Entries(entries: query.filter(try await self.admin.auditLog()))
    }
}
