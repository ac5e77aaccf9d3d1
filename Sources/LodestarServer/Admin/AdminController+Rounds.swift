import Foundation
import Hummingbird
import HummingbirdAuth
import LodestarAnnounce
import LodestarCore
import LodestarReport

/// `/admin/rounds` and `/admin/results`: opening, closing and inviting; a month's results under the anonymity rule.
extension AdminController {
    // MARK: - Rounds

    @Sendable func rounds(request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = self.signedIn(context) else { return Self.toSignIn }
        return try await self.roundsPage(session, notice: request.uri.queryParameters.get("done").map { String($0) }, error: nil, status: .ok)
    }

    func roundsPage(
        _ session: AdminSession, notice: String?, error: String?, status: HTTPResponse.Status, links: [AdminRoundsPage.Link] = []
    ) async throws -> Response {
        let summaries = try await self.services.storage.rounds.summaries()
        var rows: [AdminRoundsPage.Row] = []
        for summary in summaries.sorted(by: { $0.month > $1.month }) {
            let teams = try await self.services.storage.rounds.round(for: summary.month)?.definition.teams ?? []
            rows.append(AdminRoundsPage.Row(summary: summary, teams: teams))
        }
        let definitions = SurveyDefinitionFolder.ids(in: self.surveysFolder)
        let page = AdminRoundsPage(
            csrf: session.csrf, notice: notice, error: error, rounds: rows, definitions: definitions, surveysFolder: self.surveysFolder.path,
            thisMonth: Month(containing: self.now()).description, links: links
        )
        return self.templates.page("admin-rounds", page, status: status)
    }

    @Sendable func openRound(request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context, refused: self.roundsRefusal) { session, form in
            let month = try AdminForm.month(form)
            guard let id = form["survey"]?.nilIfEmpty, SurveyDefinitionFolder.ids(in: self.surveysFolder).contains(id) else {
                throw AdminFormError("survey: choose one of the definitions in \(self.surveysFolder.path)")
            }
            guard let mode = SurveyRound.Mode(rawValue: form["mode"] ?? "open") else { throw AdminFormError("mode: must be open or invite") }
            let definition = try SurveyDefinition.load(contentsOf: self.surveysFolder.appendingPathComponent("\(id).yaml"))
            _ = try await self.services.storage.rounds.open(month: month, mode: mode, definition: definition, actor: Self.actor)
            return Self.done("/admin/rounds", "Opened \(id) for \(month).")
        }
    }

    @Sendable func closeRound(request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context, refused: self.roundsRefusal) { session, form in
            let month = try AdminForm.month(form)
            _ = try await self.services.storage.rounds.close(month: month, actor: Self.actor)
            return Self.done("/admin/rounds", "Closed the \(month) round.")
        }
    }

    @Sendable func invite(request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context, refused: self.roundsRefusal) { session, form in
            let month = try AdminForm.month(form)
            guard let count = form["count"].flatMap({ Int($0.trimmed) }), (1...500).contains(count) else {
                throw AdminFormError("count: a number from 1 to 500")
            }
            let team = form["team"]?.trimmed.nilIfEmpty
            let service = self.services.survey()
            guard let round = try await service.rounds.round(for: month) else { throw SurveyError.roundNotOpened(month) }
            guard round.status == .open else { throw SurveyError.roundClosed(month) }
            if let team, !round.definition.teams.isEmpty, !round.definition.teams.contains(team) {
                throw AdminFormError("team: '\(team)' is not a team of this survey; use one of \(round.definition.teams.joined(separator: ", "))")
            }
            let tokens = try await service.invites.createInvites(for: round, count: count, team: team, actor: Self.actor)
            let base = Self.baseURL(request)
            let links = tokens.map { AdminRoundsPage.Link(url: "\(base)/survey?token=\($0)") }
            let note = round.mode == .open ? " The round is in open mode, where tokens are optional." : ""
            return try await self.roundsPage(
                session, notice: "\(count) invitation links for \(month)\(team.map { " (\($0))" } ?? ""): copy them now, they are shown once.\(note)",
                error: nil, status: .ok, links: links
            )
        }
    }

    // MARK: - Results

    @Sendable func results(request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = self.signedIn(context) else { return Self.toSignIn }
        let months = try await self.services.storage.rounds.summaries().map(\.month)
        let month: Month
        do {
            month = try Self.month(request, default: months.last)
        } catch {
            return self.templates.page("admin-results", AdminTablePage(csrf: session.csrf, section: "Results", error: Self.describe(error), months: months), status: .badRequest)
        }
        let byTeam = request.uri.queryParameters.get("by") == "team"
        guard let round = try await self.services.storage.rounds.round(for: month) else {
            let page = AdminTablePage(csrf: session.csrf, section: "Results", error: "No round was opened for \(month).", months: months, month: month)
            return self.templates.page("admin-results", page, status: .notFound)
        }
        let results = SurveyResults(
            round: round, responses: try await self.services.storage.responses.responses(for: month),
            invited: try await self.services.storage.responses.invitedCount(for: month), grouping: byTeam ? .team : .none, policy: self.policy
        )
        var page = AdminTablePage(csrf: session.csrf, section: "Results", months: months, month: month)
        page.show(results)
        page.byTeam = byTeam
        return self.templates.page("admin-results", page)
    }
}
