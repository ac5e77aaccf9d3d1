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

    func signInPage(_ request: Request, message: String?, status: HTTPResponse.Status) -> Response {
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

    // MARK: - Who may

    /// Runs a form's action for a signed-in lead whose form carries the session's token; an error becomes the page
    /// `refused` draws with the message, and nothing was changed (each action is one transaction).
    func submit(
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

    func roundsRefusal(_ session: AdminSession, _ form: [String: String], _ message: String) async throws -> Response {
        try await self.roundsPage(session, notice: nil, error: message, status: .badRequest)
    }

    func epicsRefusal(_ request: Request) -> (AdminSession, [String: String], String) async throws -> Response {
        { session, form, message in
            try await self.epicsPage(session, request: request, monthText: form["month"], notice: nil, error: message, status: .badRequest)
        }
    }

    func reportRefusal(_ session: AdminSession, _ form: [String: String], _ message: String) async throws -> Response {
        self.reportPage(session, notice: nil, error: message, status: .badRequest)
    }

    /// The lead's session, renewed when it is more than a minute old (12 hours idle from now).
    func signedIn(_ context: AppRequestContext) -> AdminSession? {
        guard self.adminToken != nil else { return nil }
        return context.sessions.withLockedSession { (data: inout SessionData<AdminSession>?) -> AdminSession? in
            guard let current = data else { return nil }
            if let left = current.expiresIn, left < AdminSessionRules.idleTimeout - AdminSessionRules.renewAfter {
                data?.expiresIn = AdminSessionRules.idleTimeout
            }
            return AdminSession(csrf: current.csrf, signedInAt: current.signedInAt)
        }
    }

    static var toSignIn: Response { .redirect(to: "/admin", type: .normal) }

    func authorised(_ request: Request, context: AppRequestContext) async -> FormOutcome {
        await self.authorisedForm(request, context: context)
    }

    /// A POST from a signed-in lead whose form carries this session's CSRF token; otherwise the page that says why.
    func authorisedForm(_ request: Request, context: AppRequestContext) async -> FormOutcome {
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
    static func done(_ path: String, _ notice: String) -> Response {
        let separator = path.contains("?") ? "&" : "?"
        return .redirect(to: path + separator + "done=" + (notice.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""), type: .normal)
    }

    static func month(_ request: Request, default fallback: Month?) throws -> Month {
        if let text = request.uri.queryParameters.get("month").map({ String($0) })?.nilIfEmpty { return try Month(parsing: text) }
        guard let fallback else { throw AdminFormError("no survey round has been opened yet") }
        return fallback
    }

    /// The server's own address as the browser reached it, for invitation links.
    static func baseURL(_ request: Request) -> String {
        let scheme = SecureSessionCookieMiddleware.isHTTPS(request) ? "https" : "http"
        let host = request.head.authority ?? "127.0.0.1:8080"
        return "\(scheme)://\(host)"
    }

    static func describe(_ error: any Error) -> String {
        String(describing: error)
    }
}
