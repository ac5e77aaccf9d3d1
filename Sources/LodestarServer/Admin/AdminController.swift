import Foundation
import Hummingbird
import HummingbirdAuth
import LodestarAnnounce
import LodestarCore
import LodestarReport

/// `/admin`: the lead's pages, server-rendered and usable without JavaScript. The admin token is asked once and
/// becomes a session (cookie `lodestar_admin`, HttpOnly, SameSite=Strict, Secure over HTTPS, 12 h idle); every
/// form carries the session's CSRF token. Each action goes through the same services as the command line and lands
/// in the audit log as `web:admin`.
struct AdminController: Sendable {
    let services: Services
    let templates: Templates
    /// The sign-in form's double-submit token (there is no session yet to bind it to).
    let csrf: CSRFProtection
    let adminToken: String?
    /// Wrong tokens per client: five, then 429 (one more try every five minutes).
    let signInFailures: RateLimiter
    let policy: AnonymityPolicy
    let rework: ReworkRule
    let reportsFolder: URL
    let surveysFolder: URL
    /// The sentence encoder for generating epics, loaded on first use (nil: themes by words only).
    let embedder: @Sendable () -> (any TextEmbedder)?
    /// Announces a published month on the configured channels; never throws.
    let announcer: Announcer
    var now: @Sendable () -> Date = Date.init

    static let actor = "web:admin"

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("", use: self.home)
        group.post("sign-in", use: self.signIn)
        group.post("sign-out", use: self.signOut)
        group.get("rounds", use: self.rounds)
        group.post("rounds/open", use: self.openRound)
        group.post("rounds/close", use: self.closeRound)
        group.post("rounds/invite", use: self.invite)
        group.get("results", use: self.results)
        group.get("epics", use: self.epics)
        group.post("epics/update", use: self.updateEpic)
        group.post("epics/merge", use: self.mergeEpics)
        group.post("epics/generate", use: self.generateEpics)
        group.get("delivery", use: self.delivery)
        group.get("report", use: self.report)
        group.post("report/publish", use: self.publish)
        group.post("report/announce", use: self.announce)
        group.get("audit", use: self.audit)
    }

    // MARK: - Signing in and out

    @Sendable func home(request: Request, context: AppRequestContext) async throws -> Response {
        if context.sessions.session != nil { return .redirect(to: "/admin/rounds", type: .normal) }
        return self.signInPage(request, message: nil, status: .ok)
    }

    private func signInPage(_ request: Request, message: String?, status: HTTPResponse.Status) -> Response {
        let token = request.cookies[CSRFProtection.cookieName]?.value.nilIfEmpty ?? self.csrf.issue()
        var response = self.templates.page(
            "admin-signin", AdminSignInPage(error: message, csrf: token, configured: self.adminToken != nil), status: self.adminToken == nil ? .serviceUnavailable : status
        )
        response.setCookie(Cookie(name: CSRFProtection.cookieName, value: token, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func signIn(request: Request, context: AppRequestContext) async throws -> Response {
        guard let adminToken else { return self.signInPage(request, message: nil, status: .serviceUnavailable) }
        guard self.signInFailures.hasCapacity(context.clientKey) else {
            var response = self.signInPage(request, message: "Too many wrong tokens from this address: wait five minutes and try again.", status: .tooManyRequests)
            response.headers[.retryAfter] = "300"
            return response
        }
        let form: [String: String]
        switch await AdminForm.read(request) {
        case .success(let fields): form = fields
        case .failure(let refusal): return self.signInPage(request, message: refusal.message, status: refusal.status)
        }
        guard self.csrf.verify(field: form[CSRFProtection.fieldName], cookie: request.cookies[CSRFProtection.cookieName]?.value) else {
            return self.signInPage(request, message: "The form expired or did not come from this site: sign in again.", status: .forbidden)
        }
        guard let given = form["token"]?.nilIfEmpty, WebhookSignature.tokenMatches(given, secret: adminToken) else {
            _ = self.signInFailures.allow(context.clientKey)
            return self.signInPage(request, message: "That is not the admin token (LODESTAR_ADMIN_TOKEN).", status: .unauthorized)
        }
        context.sessions.createSession(AdminSession.new(now: self.now()), expiresIn: AdminSessionRules.idleTimeout)
        try await self.services.storage.admin.recordAudit(actor: Self.actor, action: "admin.sign-in", detail: "signed in at /admin")
        return .redirect(to: "/admin/rounds", type: .normal)
    }

    @Sendable func signOut(request: Request, context: AppRequestContext) async throws -> Response {
        switch await self.authorised(request, context: context) {
        case .failure(let refusal): return refusal
        case .success: break
        }
        context.sessions.clearSession()
        return .redirect(to: "/admin", type: .normal)
    }

    // MARK: - Rounds

    @Sendable func rounds(request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = self.signedIn(context) else { return Self.toSignIn }
        return try await self.roundsPage(session, notice: request.uri.queryParameters.get("done").map { String($0) }, error: nil, status: .ok)
    }

    private func roundsPage(
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

    // MARK: - Epics

    @Sendable func epics(request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = self.signedIn(context) else { return Self.toSignIn }
        return try await self.epicsPage(session, request: request, monthText: request.uri.queryParameters.get("month").map { String($0) },
                                        notice: request.uri.queryParameters.get("done").map { String($0) }, error: nil, status: .ok)
    }

    private func epicsPage(
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

    private func epicId(_ text: String?, field: String) throws -> Int64 {
        guard let text, let id = Int64(text.trimmed), id > 0 else { throw AdminFormError("\(field): an epic number") }
        return id
    }

    /// An epic id sent with a month must be one of that month's epics: a form from another month's page is refused.
    private func requireEpic(_ id: Int64, of month: Month) async throws {
        let epics = try await self.services.epics.list(month: month, policy: self.policy).epics
        guard epics.contains(where: { $0.id == id }) else { throw AdminFormError("epic #\(id) is not one of \(month)'s epics; reload the page") }
    }

    // MARK: - Delivery

    @Sendable func delivery(request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = self.signedIn(context) else { return Self.toSignIn }
        let parameters = request.uri.queryParameters
        let by = parameters.get("by").map { String($0) } ?? "service"
        guard let grouping = MetricsGrouping(rawValue: by), [.service, .team, .month].contains(grouping) else {
            let page = AdminDeliveryPage(csrf: session.csrf, by: "service", error: "by: must be service, team or month")
            return self.templates.page("admin-delivery", page, status: .badRequest)
        }
        let query = MetricsQuery(
            from: parameters.get("from").map { String($0) }, to: parameters.get("to").map { String($0) }, grouping: grouping, rework: self.rework
        )
        let monthly = MetricsQuery(from: parameters.get("from").map { String($0) }, to: parameters.get("to").map { String($0) }, grouping: .month, rework: self.rework)
        let columns = try await self.services.storage.pipeline.deliveryColumns()
        let outcome = await HeavyWork.run { Result { () throws(FieldError) in (try query.report(columns: columns), try monthly.report(columns: columns)) } }
        switch outcome {
        case .failure(let error):
            return self.templates.page("admin-delivery", AdminDeliveryPage(csrf: session.csrf, by: by, error: error.description), status: .badRequest)
        case .success(let (report, byMonth)):
            return self.templates.page("admin-delivery", AdminDeliveryPage(csrf: session.csrf, by: by, report: report, byMonth: byMonth))
        }
    }

    // MARK: - Report

    @Sendable func report(request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = self.signedIn(context) else { return Self.toSignIn }
        return self.reportPage(session, notice: request.uri.queryParameters.get("done").map { String($0) }, error: nil, status: .ok)
    }

    private func reportPage(_ session: AdminSession, notice: String?, error: String?, status: HTTPResponse.Status) -> Response {
        let published = ReportPublisher.publishedMonths(in: self.reportsFolder)
        let current = Month(containing: self.now())
        let page = AdminReportPage(
            csrf: session.csrf, notice: notice, error: error, published: published, months: (0..<12).map { current.adding(months: -$0) },
            canAnnounce: !self.announcer.settings.isEmpty
        )
        return self.templates.page("admin-report", page, status: status)
    }

    @Sendable func publish(request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context, refused: self.reportRefusal) { session, form in
            let month = try AdminForm.month(form)
            guard month <= Month(containing: self.now()) else { throw AdminFormError("month: \(month) has not started yet, so there is nothing to report") }
            let report = try await self.services.reports.monthlyReport(month: month, policy: self.policy, rework: self.rework)
            let folder = try await HeavyWork.run { Result { try ReportPublisher.publish(report, formats: ReportFormat.allCases, to: self.reportsFolder) } }.get()
            try await self.services.storage.admin.recordAudit(actor: Self.actor, action: "report.publish", detail: "\(month) → \(folder.path) (html, md, json)")
            var notice = "Published \(month): \(report.headline.sentence)"
            if form["announce"] == "yes" { notice += " " + (try await self.announced(report)) }
            return Self.done("/admin/report", notice)
        }
    }

    /// Announces a month published earlier again, for a channel that failed at publish time.
    @Sendable func announce(request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context, refused: self.reportRefusal) { session, form in
            let month = try AdminForm.month(form)
            guard ReportPublisher.publishedMonths(in: self.reportsFolder).contains(month) else {
                throw AdminFormError("month: \(month) has not been published; publish it first")
            }
            // What readers were shown: the published JSON, else the month as stored now.
            let report: MonthlyReport
            if let saved = ReportPublisher.savedReport(month, in: self.reportsFolder) {
                report = saved
            } else {
                report = try await self.services.reports.monthlyReport(month: month, policy: self.policy, rework: self.rework)
            }
            return Self.done("/admin/report", try await self.announced(report))
        }
    }

    /// Announces `report` and says how each channel went; a failure never undoes the publish before it.
    private func announced(_ report: MonthlyReport) async throws -> String {
        guard !self.announcer.settings.isEmpty else {
            return "Not announced: no channel is configured (LODESTAR_SLACK_WEBHOOK_URL, LODESTAR_SMTP_URL)."
        }
        let outcomes = await self.announcer.announce(report)
        try await self.services.storage.admin.recordAudit(
            actor: Self.actor, action: "report.announce", detail: AnnouncementOutcome.auditDetail(outcomes, month: report.month)
        )
        let failed = outcomes.contains(where: \.failed)
        return "Announcement: " + outcomes.map(\.description).joined(separator: "; ") + (failed ? ". Retry with Announce again below." : ".")
    }

    // MARK: - Audit log

    @Sendable func audit(request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = self.signedIn(context) else { return Self.toSignIn }
        let parameters = request.uri.queryParameters
        var query = AuditQuery(action: parameters.get("action").map { String($0) }?.nilIfEmpty)
        var page = AdminAuditPage(csrf: session.csrf, action: query.action ?? "")
        if let text = parameters.get("month").map({ String($0) })?.nilIfEmpty {
            guard let month = try? Month(parsing: text) else {
                page.error = "month: must be YYYY-MM"
                return self.templates.page("admin-audit", page, status: .badRequest)
            }
            query.month = month
            page.month = month.description
        }
        page.entries = query.filter(try await self.services.storage.admin.auditLog()).prefix(1000).map(AdminAuditPage.Entry.init)
        return self.templates.page("admin-audit", page)
    }

    // MARK: - Who may

    /// Runs a form's action for a signed-in lead whose form carries the session's token; an error becomes the page
    /// `refused` draws with the message, and nothing was changed (each action is one transaction).
    private func submit(
        _ request: Request, _ context: AppRequestContext, refused: (AdminSession, [String: String], String) async throws -> Response,
        _ action: (AdminSession, [String: String]) async throws -> Response
    ) async throws -> Response {
        switch await self.authorisedForm(request, context: context) {
        case .failure(let refusal): return refusal
        case .success(let (session, form)):
            do {
                return try await action(session, form)
            } catch {
                return try await refused(session, form, Self.describe(error))
            }
        }
    }

    private func roundsRefusal(_ session: AdminSession, _ form: [String: String], _ message: String) async throws -> Response {
        try await self.roundsPage(session, notice: nil, error: message, status: .badRequest)
    }

    private func epicsRefusal(_ request: Request) -> (AdminSession, [String: String], String) async throws -> Response {
        { session, form, message in
            try await self.epicsPage(session, request: request, monthText: form["month"], notice: nil, error: message, status: .badRequest)
        }
    }

    private func reportRefusal(_ session: AdminSession, _ form: [String: String], _ message: String) async throws -> Response {
        self.reportPage(session, notice: nil, error: message, status: .badRequest)
    }

    /// The lead's session, renewed when it is more than a minute old (12 hours idle from now).
    private func signedIn(_ context: AppRequestContext) -> AdminSession? {
        guard self.adminToken != nil else { return nil }
        return context.sessions.withLockedSession { (data: inout SessionData<AdminSession>?) -> AdminSession? in
            guard let current = data else { return nil }
            if let left = current.expiresIn, left < AdminSessionRules.idleTimeout - AdminSessionRules.renewAfter {
                data?.expiresIn = AdminSessionRules.idleTimeout
            }
            return AdminSession(csrf: current.csrf, signedInAt: current.signedInAt)
        }
    }

    private static var toSignIn: Response { .redirect(to: "/admin", type: .normal) }

    private func authorised(_ request: Request, context: AppRequestContext) async -> FormOutcome {
        await self.authorisedForm(request, context: context)
    }

    /// A POST from a signed-in lead whose form carries this session's CSRF token; otherwise the page that says why.
    private func authorisedForm(_ request: Request, context: AppRequestContext) async -> FormOutcome {
        guard let session = self.signedIn(context) else {
            return .failure(self.templates.message("Signed out", "Your session has ended or was never started: sign in again.", status: .unauthorized, link: "/admin"))
        }
        let form: [String: String]
        switch await AdminForm.read(request) {
        case .success(let fields): form = fields
        case .failure(let refusal): return .failure(self.templates.message("Form refused", refusal.message, status: refusal.status, link: "/admin"))
        }
        guard let token = form[CSRFProtection.fieldName], CSRFProtection.constantTimeEqual(token, session.csrf) else {
            return .failure(self.templates.message(
                "Form expired", "This form did not come from your current session (or it expired): reload the page and try again. Nothing was changed.",
                status: .forbidden, link: "/admin"
            ))
        }
        return .success((session, form))
    }

    /// After a change, back to the page with a notice (POST, redirect, GET: reloading does not submit twice).
    private static func done(_ path: String, _ notice: String) -> Response {
        let separator = path.contains("?") ? "&" : "?"
        return .redirect(to: path + separator + "done=" + (notice.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""), type: .normal)
    }

    private static func month(_ request: Request, default fallback: Month?) throws -> Month {
        if let text = request.uri.queryParameters.get("month").map({ String($0) })?.nilIfEmpty { return try Month(parsing: text) }
        guard let fallback else { throw AdminFormError("no survey round has been opened yet") }
        return fallback
    }

    /// The server's own address as the browser reached it, for invitation links.
    private static func baseURL(_ request: Request) -> String {
        let scheme = SecureSessionCookieMiddleware.isHTTPS(request) ? "https" : "http"
        let host = request.head.authority ?? "127.0.0.1:8080"
        return "\(scheme)://\(host)"
    }

    static func describe(_ error: any Error) -> String {
        String(describing: error)
    }
}

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
