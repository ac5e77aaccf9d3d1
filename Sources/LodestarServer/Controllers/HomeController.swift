import Foundation
import Hummingbird
import LodestarCore
import LodestarStore

/// The start page, the health check and the stylesheet.
struct HomeController: Sendable {
    let service: SurveyService
    let storage: any Storage
    let templates: Templates

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("", use: self.home)
        group.get("healthz", use: self.health)
        group.get("static/lodestar.css", use: self.stylesheet)
    }

    struct HomePage {
        let pageTitle: String
        let openMonth: String
        let hasOpenRound: Bool
    }

    @Sendable func home(request: Request, context: AppRequestContext) async throws -> Response {
        let round = try await self.service.rounds.latestOpenRound()
        let page = HomePage(pageTitle: "Lodestar", openMonth: round?.month.description ?? "", hasOpenRound: round != nil)
        return self.templates.page("home", page)
    }

    struct Health: ResponseEncodable {
        let status: String
        let database: String
    }

    @Sendable func health(request: Request, context: AppRequestContext) async throws -> Health {
        do {
            try await self.storage.ping()
            return Health(status: "ok", database: "ok")
        } catch {
            throw APIError(.serviceUnavailable, "database unavailable")
        }
    }

    @Sendable func stylesheet(request: Request, context: AppRequestContext) async throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: self.templates.stylesheet))
        )
    }
}
