import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarAnnounce
import LodestarCore
import LodestarServer
import LodestarStore
import LodestarTestSupport
import Testing

/// A signed-in lead in a test: the session cookie and the session's form token.
struct LeadSession {
    let cookie: String
    let csrf: String

    /// Posts the sign-in form the way a browser does: the form's token and cookie, then `token`.
    static func submitSignIn(_ client: some TestClientProtocol, token: String, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        let form = try await client.execute(uri: "/admin", method: .get)
        let formCSRF = try #require(String(buffer: form.body).firstMatch(of: /name="csrf" value="([^"]+)"/)).1
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "lodestar_csrf=\(formCSRF)"]
        headers.append(contentsOf: extra)
        return try await client.execute(uri: "/admin/sign-in", method: .post, headers: headers, body: ByteBuffer(string: "csrf=\(formCSRF)&token=\(token)"))
    }

    /// Signs in at /admin with the admin token and reads the session's form token from the first page.
    static func signIn(_ client: some TestClientProtocol, token: String = "admin-token") async throws -> LeadSession {
        let response = try await Self.submitSignIn(client, token: token)
        try #require(response.status == .seeOther)
        let setCookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("lodestar_admin=") })
        let cookie = String(setCookie.prefix { $0 != ";" })
        let page = try await client.execute(uri: "/admin/rounds", method: .get, headers: [.cookie: cookie])
        let csrf = try #require(String(buffer: page.body).firstMatch(of: /name="csrf" value="([^"]+)"/)).1
        return LeadSession(cookie: cookie, csrf: String(csrf))
    }

    func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: self.cookie])
    }

    /// Posts a form of this session; `csrf: nil` leaves the token out.
    func post(_ client: some TestClientProtocol, _ uri: String, _ fields: [String: String], csrf: String? = "") async throws -> TestResponse {
        var all = fields
        if let csrf { all["csrf"] = csrf.isEmpty ? self.csrf : csrf }
        let body = all.sorted { $0.key < $1.key }.map { "\(TestResponse.encode($0.key))=\(TestResponse.encode($0.value))" }.joined(separator: "&")
        return try await client.execute(
            uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: self.cookie], body: ByteBuffer(string: body)
        )
    }
}

extension TestResponse {
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed)!
    }

    var location: String? { self.headers[.location] }
}

/// `/admin`: signing in, the session cookie, and refusals that leave the data as it was.
struct AdminSignInTests {
    @Test func signingInSetsAStrictHttpOnlySessionCookie() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await LeadSession.submitSignIn(client, token: "admin-token")
            #expect(response.status == .seeOther && response.location == "/admin/rounds")
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("lodestar_admin=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains("Secure"))
        }
    }

    @Test func theCookieIsSecureBehindAnHTTPSProxy() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await LeadSession.submitSignIn(client, token: "admin-token", headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("lodestar_admin=") })
            #expect(cookie.hasSuffix("; Secure"))
        }
    }

    @Test func aWrongTokenIsRefusedWithAMessageAndRateLimited() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<6 {
                let response = try await LeadSession.submitSignIn(client, token: "guess")
                statuses.append(response.status)
                #expect(!response.headers[values: .setCookie].contains { $0.hasPrefix("lodestar_admin=") })
                if response.status == .unauthorized { #expect(String(buffer: response.body).contains("not the admin token")) }
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests)
        }
    }

    @Test func signInWithoutTheFormTokenIsRefused() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.execute(
                uri: "/admin/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=admin-token")
            )
            #expect(response.status == .forbidden)
            #expect(!response.headers[values: .setCookie].contains { $0.hasPrefix("lodestar_admin=") })
        }
    }

    @Test func pagesSendASignedOutVisitorToSignIn() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            for page in ["rounds", "results", "epics", "delivery", "report", "audit"] {
                let response = try await client.execute(uri: "/admin/\(page)", method: .get)
                #expect(response.status == .seeOther && response.location == "/admin", "\(page)")
            }
        }
    }

    @Test func aForgedSessionCookieIsNotASession() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let forged = LeadSession(cookie: "lodestar_admin=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", csrf: "x")
            #expect(try await forged.get(client, "/admin/rounds").location == "/admin")
            let response = try await forged.post(client, "/admin/rounds/close", ["month": "2026-11"])
            #expect(response.status == .unauthorized)
            #expect(try await app.service.rounds.round(for: TestApp.month)?.status == .open)
        }
    }

    @Test func anExpiredSessionIsSignedOut() async throws {
        let app = try await TestApp()
        let key = String(repeating: "k", count: 43) + "="
        try await app.database.writer.write { db in
            try db.execute(
                sql: "INSERT INTO adminSession (key, value, expiresAt) VALUES (?, ?, ?)",
                arguments: [key, #"{"csrf":"c","signedInAt":"2026-11-01T00:00:00Z"}"#, Date().addingTimeInterval(-1).timeIntervalSince1970]
            )
        }
        try await app.test { client async throws in
            let response = try await LeadSession(cookie: "lodestar_admin=\(key)", csrf: "c").get(client, "/admin/rounds")
            #expect(response.location == "/admin")
        }
    }

    @Test func signingOutEndsTheSessionInTheStore() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            #expect(try await lead.post(client, "/admin/sign-out", [:]).status == .seeOther)
            #expect(try await lead.get(client, "/admin/rounds").location == "/admin")
        }
    }

    @Test func withoutAnAdminTokenNobodyCanSignIn() async throws {
        var app = try await TestApp()
        app.arguments.adminToken = nil
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/admin", method: .get)
            #expect(response.status == .serviceUnavailable && String(buffer: response.body).contains("LODESTAR_ADMIN_TOKEN"))
        }
    }

    @Test func theSessionLetsTheLeadSeeALiveReport() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            let live = try await lead.get(client, "/reports/2026-11/?live=1")
            #expect(live.status == .ok)
        }
    }
}

/// `/admin/rounds`, `/admin/results`, `/admin/report` and `/admin/audit`.
struct AdminRoundPagesTests {
    @Test func listsRoundsWithParticipation() async throws {
        let app = try await TestApp()
        _ = try await app.service.submit(Submission(team: "payments", answers: ["best": "a", "worst": "b", "change": "c"], ratings: [:]))
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            let page = String(buffer: try await lead.get(client, "/admin/rounds").body)
            #expect(page.contains("2026-11") && page.contains("1 (open round)") && page.contains("Close 2026-11"))
        }
    }

    @Test func closesAndOpensARound() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            #expect(try await lead.post(client, "/admin/rounds/close", ["month": "2026-11"]).status == .seeOther)
            #expect(try await app.service.rounds.round(for: TestApp.month)?.status == .closed)
            let opened = try await lead.post(client, "/admin/rounds/open", ["month": "2026-12", "survey": "platform-pulse", "mode": "invite"])
            #expect(opened.status == .seeOther)
            #expect(try await app.service.rounds.round(for: Month(parsing: "2026-12"))?.mode == .invite)
        }
    }

    @Test func aFormWithoutTheSessionTokenChangesNothing() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            let missing = try await lead.post(client, "/admin/rounds/close", ["month": "2026-11"], csrf: nil)
            let wrong = try await lead.post(client, "/admin/rounds/close", ["month": "2026-11"], csrf: "0123")
            #expect(missing.status == .forbidden && wrong.status == .forbidden)
            #expect(try await app.service.rounds.round(for: TestApp.month)?.status == .open)
        }
    }

    @Test func createsInvitationLinksForATeam() async throws {
        let app = try await TestApp(mode: .invite)
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            let response = try await lead.post(client, "/admin/rounds/invite", ["month": "2026-11", "count": "3", "team": "payments"])
            let page = String(buffer: response.body)
            #expect(response.status == .ok)
            #expect(page.matches(of: /\/survey\?token=[A-Za-z0-9_-]+/).count == 3)
            #expect(try await app.service.responses.invitedCount(for: TestApp.month) == 3)
        }
    }

    @Test func refusesABadMonthNamingTheField() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            let response = try await lead.post(client, "/admin/rounds/open", ["month": "2026-13", "survey": "platform-pulse"])
            #expect(response.status == .badRequest && String(buffer: response.body).contains("month:"))
        }
    }

    @Test func resultsShowAnswersOnlyFromGroupsOfAtLeastK() async throws {
        let app = try await TestApp()
        for team in ["payments", "payments"] {
            _ = try await app.service.submit(Submission(team: team, answers: ["best": "from \(team)", "worst": "w", "change": "c"], ratings: [:]))
        }
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            let few = String(buffer: try await lead.get(client, "/admin/results?month=2026-11").body)
            #expect(few.contains("withheld") && !few.contains("from payments"))
            _ = try await app.service.submit(Submission(team: "search", answers: ["best": "from search", "worst": "w", "change": "c"], ratings: [:]))
            let enough = String(buffer: try await lead.get(client, "/admin/results?month=2026-11&by=team").body)
            #expect(enough.contains("from payments") && enough.contains("other teams"))
        }
    }

    @Test func publishesTheReportAndListsIt() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            let first = try await lead.post(client, "/admin/report/publish", ["month": "2026-11"])
            let second = try await lead.post(client, "/admin/report/publish", ["month": "2026-11"])
            #expect(first.status == .seeOther && second.status == .seeOther)
            let page = String(buffer: try await lead.get(client, "/admin/report").body)
            #expect(page.contains("href=\"/reports/2026-11/\""))
            let published = try await client.execute(uri: "/reports/2026-11/", method: .get)
            #expect(published.status == .ok)
        }
    }

    @Test func theAuditLogShowsWebActionsNewestFirstAndFilters() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            _ = try await lead.post(client, "/admin/rounds/close", ["month": "2026-11"])
            let page = String(buffer: try await lead.get(client, "/admin/audit").body)
            let close = try #require(page.range(of: "round.close"))
            let open = try #require(page.range(of: "round.open"))
            #expect(close.lowerBound < open.lowerBound && page.contains("web:admin"))
            let filtered = String(buffer: try await lead.get(client, "/admin/audit?action=round.close").body)
            #expect(filtered.contains("round.close") && !filtered.contains("round.open"))
            #expect(try await lead.get(client, "/admin/audit?month=2026-99").status == .badRequest)
        }
    }

    @Test func theDeliveryPageShowsTheFourKeysAndCharts() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            let page = String(buffer: try await lead.get(client, "/admin/delivery?by=team").body)
            #expect(page.contains("Delivery metrics") && page.contains("<svg"))
            #expect(try await lead.get(client, "/admin/delivery?by=colour").status == .badRequest)
        }
    }
}

/// `/admin/epics`: curating, merging and generating, with refusals that change nothing.
struct AdminEpicPagesTests {
    @Test func savesStatusOwnerTitleAndNote() async throws {
        let (app, id) = try await EpicsAPITests.appWithEpics()
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            let response = try await lead.post(
                client, "/admin/epics/update",
                ["month": "2026-11", "id": "\(id)", "status": "planned", "owner": "ana", "title": "Faster CI", "note": "<b>soon</b>"]
            )
            #expect(response.status == .seeOther)
            let page = String(buffer: try await lead.get(client, "/admin/epics?month=2026-11").body)
            #expect(page.contains("Faster CI") && page.contains("&lt;b&gt;soon&lt;/b&gt;") && !page.contains("<b>soon</b>"))
        }
    }

    @Test func aTenThousandCharacterTitleIsRefusedAndNothingChanges() async throws {
        let (app, id) = try await EpicsAPITests.appWithEpics()
        let before = try await EpicService(database: app.database).list(month: TestApp.month, policy: try AnonymityPolicy(k: 3)).epics
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            let response = try await lead.post(
                client, "/admin/epics/update", ["month": "2026-11", "id": "\(id)", "status": "done", "title": String(repeating: "x", count: 10_000)]
            )
            #expect(response.status == .badRequest && String(buffer: response.body).contains("title"))
        }
        let after = try await EpicService(database: app.database).list(month: TestApp.month, policy: try AnonymityPolicy(k: 3)).epics
        #expect(after == before)
    }

    @Test func anEpicOfAnotherMonthIsRefused() async throws {
        let (app, id) = try await EpicsAPITests.appWithEpics()
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            let response = try await lead.post(client, "/admin/epics/update", ["month": "2026-10", "id": "\(id)", "status": "done"])
            #expect(response.status == .badRequest && String(buffer: response.body).contains("not one of 2026-10"))
        }
        let epic = try await EpicService(database: app.database).list(month: TestApp.month, policy: try AnonymityPolicy(k: 3)).epics.first { $0.id == id }
        #expect(epic?.status == .proposed)
    }

    @Test func mergingTwiceIsRefusedTheSecondTime() async throws {
        let (app, _) = try await EpicsAPITests.appWithEpics()
        let epics = try await EpicService(database: app.database).list(month: TestApp.month, policy: try AnonymityPolicy(k: 3)).epics
        try #require(epics.count >= 2)
        let (into, from) = (epics[0].id, epics[1].id)
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            let fields = ["month": "2026-11", "into": "\(into)", "from": "\(from)"]
            #expect(try await lead.post(client, "/admin/epics/merge", fields).status == .seeOther)
            let again = try await lead.post(client, "/admin/epics/merge", fields)
            #expect(again.status == .badRequest)
        }
        let after = try await EpicService(database: app.database).list(month: TestApp.month, policy: try AnonymityPolicy(k: 3)).epics
        #expect(after.count == epics.count - 1)
    }

    @Test func regeneratingOverCuratedEpicsAsksFirst() async throws {
        let (app, id) = try await EpicsAPITests.appWithEpics()
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            _ = try await lead.post(client, "/admin/epics/update", ["month": "2026-11", "id": "\(id)", "status": "planned", "title": "Kept title"])
            let ask = try await lead.post(client, "/admin/epics/generate", ["month": "2026-11"])
            #expect(ask.status == .conflict && String(buffer: ask.body).contains("Kept title"))
            let kept = try await EpicService(database: app.database).list(month: TestApp.month, policy: try AnonymityPolicy(k: 3)).epics
            #expect(kept.contains { $0.title == "Kept title" })
            let confirmed = try await lead.post(client, "/admin/epics/generate", ["month": "2026-11", "confirm": "replace"])
            #expect(confirmed.status == .seeOther)
            let replaced = try await EpicService(database: app.database).list(month: TestApp.month, policy: try AnonymityPolicy(k: 3)).epics
            #expect(!replaced.contains { $0.title == "Kept title" })
        }
    }
}

/// Linking an epic to what it should move, from the page and the API.
struct AdminEpicTargetTests {
    @Test func theLeadLinksAnEpicToARatingFromThePage() async throws {
        let (app, id) = try await EpicsAPITests.appWithEpics()
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            let saved = try await lead.post(
                client, "/admin/epics/update", ["month": "2026-11", "id": "\(id)", "status": "planned", "target": "rating:satisfaction"]
            )
            #expect(saved.status == .seeOther)
            let page = String(buffer: try await lead.get(client, "/admin/epics?month=2026-11").body)
            #expect(page.contains(#"<option value="rating:satisfaction" selected>"#))
        }
        let epic = try await EpicService(database: app.database).list(month: TestApp.month, policy: try AnonymityPolicy(k: 3)).epics.first { $0.id == id }
        #expect(epic?.target == .rating("satisfaction"))
    }

    @Test func anUnknownTargetIsRefusedNamingTheField() async throws {
        let (app, id) = try await EpicsAPITests.appWithEpics()
        try await app.test { client async throws in
            let unknown = try await EpicsAPITests.patch(client, id: id, #"{"target": "rating:mood"}"#)
            #expect(unknown.status == .badRequest && EpicsAPITests.field(unknown) == "target")
            let malformed = try await EpicsAPITests.patch(client, id: id, #"{"target": "speed"}"#)
            #expect(malformed.status == .badRequest && EpicsAPITests.field(malformed) == "target")
            let metric = try await EpicsAPITests.patch(client, id: id, #"{"target": "leadTime"}"#)
            #expect(metric.status == .ok && String(buffer: metric.body).contains(#""target":"leadTime""#))
        }
    }
}

/// The publish button announces the report, and a failed announcement never undoes the publish.
struct AdminAnnounceTests {
    static func app(webhookPort: Int) async throws -> TestApp {
        var app = try await TestApp()
        app.arguments.announceSettings = AnnounceSettings(
            publicURL: URL(string: "https://lodestar.example.com")!, webhook: URL(string: "http://127.0.0.1:\(webhookPort)/hooks/abc")!,
            timeout: .seconds(10)
        )
        return app
    }

    @Test func publishingWithAnnounceTicksPostsTheSummaryAndTheLink() async throws {
        let receiver = try LocalReceiver.webhook()
        let app = try await Self.app(webhookPort: receiver.port)
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            let response = try await lead.post(client, "/admin/report/publish", ["month": "2026-11", "announce": "yes"])
            #expect(response.status == .seeOther)
            let notice = try #require(response.location?.removingPercentEncoding)
            #expect(notice.contains("Published 2026-11") && notice.contains("Announcement: chat: sent"))
        }
        let posted = receiver.received("request")
        #expect(posted.count == 1)
        #expect(posted.first?.contains("https://lodestar.example.com/reports/2026-11/") == true)
        #expect(try await app.database.auditLog().last?.action == "report.announce")
    }

    @Test func aFailedAnnouncementKeepsThePublishAndOffersARetry() async throws {
        let receiver = try LocalReceiver.webhook(status: 500)
        let app = try await Self.app(webhookPort: receiver.port)
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            let response = try await lead.post(client, "/admin/report/publish", ["month": "2026-11", "announce": "yes"])
            let notice = try #require(response.location?.removingPercentEncoding)
            #expect(notice.contains("Published 2026-11") && notice.contains("failed") && notice.contains("Announce again"))
            #expect(try await client.execute(uri: "/reports/2026-11/", method: .get).status == .ok)
            let page = String(buffer: try await lead.get(client, "/admin/report").body)
            #expect(page.contains("Announce 2026-11 again"))
        }
    }

    @Test func announcingAMonthNeverPublishedIsRefused() async throws {
        let receiver = try LocalReceiver.webhook()
        let app = try await Self.app(webhookPort: receiver.port)
        try await app.test { client async throws in
            let lead = try await LeadSession.signIn(client)
            let response = try await lead.post(client, "/admin/report/announce", ["month": "2026-10"])
            #expect(response.status == .badRequest && String(buffer: response.body).contains("has not been published"))
        }
        #expect(receiver.received("request").isEmpty)
    }
}
