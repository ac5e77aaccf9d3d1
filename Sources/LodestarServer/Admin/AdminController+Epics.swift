import Foundation
import Hummingbird
import HummingbirdAuth
import LodestarAnnounce
import LodestarCore
import LodestarReport

/// `/admin/epics`: the month's ranked epics; curating, merging and generating them.
extension AdminController {
    // MARK: - Epics

    @Sendable func epics(request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = self.signedIn(context) else { return Self.toSignIn }
        return try await self.epicsPage(session, request: request, monthText: request.uri.queryParameters.get("month").map { String($0) },
                                        notice: request.uri.queryParameters.get("done").map { String($0) }, error: nil, status: .ok)
    }

    func epicsPage(
        _ session: AdminSession, request: Request, monthText: String?, notice: String?, error: String?, status: HTTPResponse.Status,
        confirm: AdminEpicsPage.Confirm? = nil
    ) async throws -> Response {
        let months = try await self.services.storage.rounds.summaries().map(\.month)
        let month: Month
        do {
            if let monthText {
                month = try Month(parsing: monthText)
            } else {
                month = try await self.services.epics.latestMonth() ?? months.last ?? Month(containing: self.now())
            }
        } catch {
            return self.templates.page("admin-epics", AdminEpicsPage(csrf: session.csrf, months: months, error: Self.describe(error)), status: .badRequest)
        }
        let shown = try await self.services.epics.list(month: month, policy: self.policy).shown(under: self.policy)
        let ratings = try await self.services.storage.rounds.round(for: month)?.definition.scoredQuestions ?? []
        let page = AdminEpicsPage(
            csrf: session.csrf, months: months, month: month, epics: shown, ratings: ratings, notice: notice, error: error, confirm: confirm
        )
        return self.templates.page("admin-epics", page, status: status)
    }

    @Sendable func updateEpic(request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context, refused: self.epicsRefusal(request)) { session, form in
            let month = try AdminForm.month(form)
            let id = try self.epicId(form["id"], field: "id")
            try await self.requireEpic(id, of: month)
            guard let status = EpicStatus(rawValue: form["status"] ?? "") else {
                throw AdminFormError("status: one of \(EpicStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let change = EpicChange(status: status, owner: form["owner"] ?? "", title: form["title"], note: form["note"] ?? "", target: form["target"] ?? "")
            let epic = try await self.services.epics.update(id: id, change: change, actor: Self.actor, policy: self.policy)
            return Self.done("/admin/epics?month=\(month)", "Saved epic #\(epic.id).")
        }
    }

    @Sendable func mergeEpics(request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context, refused: self.epicsRefusal(request)) { session, form in
            let month = try AdminForm.month(form)
            let into = try self.epicId(form["into"], field: "into")
            let from = try self.epicId(form["from"], field: "from")
            try await self.requireEpic(into, of: month)
            try await self.requireEpic(from, of: month)
            let epic = try await self.services.epics.merge(into: into, from: from, actor: Self.actor, policy: self.policy)
            return Self.done("/admin/epics?month=\(month)", "Merged #\(from) into #\(epic.id).")
        }
    }

    @Sendable func generateEpics(request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context, refused: self.epicsRefusal(request)) { session, form in
            do {
                let month = try AdminForm.month(form)
                let force = form["confirm"] == "replace"
                let delivery = try await self.services.pipeline.deliverySignals(month: month)
                let embedder = self.embedder()
                let generated = try await self.services.epics.generate(month: month, top: 5, delivery: delivery, force: force, actor: Self.actor, embedder: embedder)
                guard generated.responses > 0 else { throw AdminFormError("month: \(month) has no answers, so there is nothing to generate from") }
                return Self.done("/admin/epics?month=\(month)", "Generated \(generated.epics) epics from \(generated.themes) themes over \(generated.responses) responses.")
            } catch EpicError.curated(let month, let ids) {
                let titles = try await self.services.epics.list(month: month, policy: self.policy).epics.filter { ids.contains($0.id) }
                    .map { "#\($0.id) \($0.title)" }
                return try await self.epicsPage(
                    session, request: request, monthText: month.description, notice: nil, error: nil, status: .conflict,
                    confirm: AdminEpicsPage.Confirm(month: month.description, curated: titles.isEmpty ? ids.map { "#\($0)" } : titles)
                )
            }
        }
    }

    func epicId(_ text: String?, field: String) throws -> Int64 {
        guard let text, let id = Int64(text.trimmed), id > 0 else { throw AdminFormError("\(field): an epic number") }
        return id
    }

    /// An epic id sent with a month must be one of that month's epics: a form from another month's page is refused.
    func requireEpic(_ id: Int64, of month: Month) async throws {
        let epics = try await self.services.epics.list(month: month, policy: self.policy).epics
        guard epics.contains(where: { $0.id == id }) else { throw AdminFormError("epic #\(id) is not one of \(month)'s epics; reload the page") }
    }
}
