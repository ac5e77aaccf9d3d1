import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarCore
import Testing

struct SurveyFormTests {
    @Test func showsAnAccessibleFormWithoutScripts() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/survey", method: .get)
            #expect(response.status == .ok)
            let html = response.text
            #expect(html.contains(#"<label for="best">What&#39;s the best thing about the platform?"#) || html.contains(#"<label for="best">What's the best"#))
            #expect(html.contains(#"<textarea id="change" name="answers.change""#))
            #expect(html.contains("<fieldset") && html.contains("<legend>Overall, how satisfied"))
            #expect(html.contains(#"<meta name="viewport""#))
            #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
            #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(response.headers[.setCookie]?.contains("HttpOnly") == true)
        }
    }

    @Test func storesAnAnswerAndThanks() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let token = try await client.formToken()
            let response = try await client.postForm(validForm, csrf: token)
            #expect(response.status == .ok)
            #expect(response.text.contains("Thank you"))
            #expect(response.headers[.setCookie]?.contains("lodestar_answered=2026-11") == true)
        }
        let stored = try await app.service.responses.responses(for: TestApp.month)
        #expect(stored.first?.texts["change"] == "more runners" && stored.first?.numbers["satisfaction"] == 4)
    }

    @Test func refusesAPostWithoutTheCSRFToken() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            #expect(try await client.postForm(validForm, csrf: nil).status == .forbidden)
            #expect(try await client.postForm(validForm, csrf: "forged.token").status == .forbidden)
        }
        #expect(try await app.storedCount() == 0)
    }

    @Test func keepsTheTextAndNamesTheProblemNextToTheField() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let token = try await client.formToken()
            var form = validForm
            form["answers.worst"] = ""
            form["answers.best"] = "<script>alert(1)</script> keep me"
            let response = try await client.postForm(form, csrf: token)
            #expect(response.status == .badRequest)
            let html = response.text
            #expect(html.contains(#"<p class="error" id="worst-error">an answer is required</p>"#))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; keep me"))
            #expect(!html.contains("<script>alert(1)"))
            #expect(html.contains(#"value="4" checked"#))
        }
        #expect(try await app.storedCount() == 0)
    }

    @Test func refusesASecondAnswerFromTheSameBrowserInOpenMode() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let token = try await client.formToken()
            let again = try await client.postForm(validForm, csrf: token, cookies: ["lodestar_answered=2026-11"])
            #expect(again.status == .conflict)
            let page = try await client.execute(uri: "/survey", method: .get, headers: [.cookie: "lodestar_answered=2026-11"])
            #expect(page.text.contains("Already answered"))
        }
        #expect(try await app.storedCount() == 0)
    }

    @Test func refusesABodyOver64KiB() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let token = try await client.formToken()
            var form = validForm
            form["answers.best"] = String(repeating: "a", count: 70_000)
            #expect(try await client.postForm(form, csrf: token).status == .contentTooLarge)
        }
        #expect(try await app.storedCount() == 0)
    }

    @Test func refusesInvalidUTF8InAField() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let token = try await client.formToken()
            let body = "csrf=\(token)&answers.best=%C3%28&answers.worst=x&answers.change=y"
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "lodestar_csrf=\(token)"]
            let response = try await client.execute(uri: "/survey", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
        }
        #expect(try await app.storedCount() == 0)
    }

    @Test func requiresAnInvitationInInviteMode() async throws {
        let app = try await TestApp(mode: .invite)
        let round = try #require(try await app.service.rounds.round(for: TestApp.month))
        let invite = try #require(try await app.service.invites.createInvites(for: round, count: 1, team: "search", actor: "test").first)
        try await app.test { client async throws in
            #expect(try await client.execute(uri: "/survey", method: .get).status == .forbidden)
            #expect(try await client.execute(uri: "/survey?token=wrong", method: .get).status == .forbidden)
            let token = try await client.formToken("/survey?token=\(invite)")
            var form = validForm
            form["token"] = invite
            #expect(try await client.postForm(form, csrf: token).status == .ok)
            #expect(try await client.postForm(form, csrf: token).status == .forbidden)
        }
        let stored = try await app.service.responses.responses(for: TestApp.month)
        #expect(stored.map(\.team) == ["search"])
    }

    @Test func saysSoWhenNoRoundIsOpen() async throws {
        let app = try await TestApp(mode: nil)
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/survey", method: .get)
            #expect(response.status == .conflict)
            #expect(response.text.contains("no survey open"))
        }
    }

    @Test func refusesAFormSentAsJSON() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            #expect(try await client.postJSON(validJSON, uri: "/survey").status == .unsupportedMediaType)
        }
    }
}
