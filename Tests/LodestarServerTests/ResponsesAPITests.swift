import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarCore
import Testing

struct ResponsesAPITests {
    @Test func storesAValidAnswer() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.postJSON(validJSON)
            #expect(response.status == .created)
            #expect(response.text.contains(#""id":1"#))
        }
        #expect(try await app.storedCount() == 1)
    }

    @Test func namesTheFieldOfAnEmptyRequiredAnswer() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.postJSON(validJSON.replacingOccurrences(of: #""best":"fast CI""#, with: #""best":"  ""#))
            #expect(response.status == .badRequest)
            #expect(response.errorField == "answers.best")
        }
        #expect(try await app.storedCount() == 0)
    }

    @Test func refusesAnAnswerOverTheMaximumLength() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let long = String(repeating: "a", count: 2_001)
            let response = try await client.postJSON(validJSON.replacingOccurrences(of: "fast CI", with: long))
            #expect(response.status == .badRequest)
            #expect(response.errorField == "answers.best")
        }
        #expect(try await app.storedCount() == 0)
    }

    @Test func refusesABodyOver64KiBWith413() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let huge = validJSON.replacingOccurrences(of: "fast CI", with: String(repeating: "a", count: 70_000))
            #expect(try await client.postJSON(huge).status == .contentTooLarge)
        }
        #expect(try await app.storedCount() == 0)
    }

    @Test func refusesAnUnknownQuestion() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.postJSON(validJSON.replacingOccurrences(of: #""change":"#, with: #""favourite":"x","change":"#))
            #expect(response.status == .badRequest)
            #expect(response.errorField == "answers.favourite")
        }
    }

    @Test(arguments: [#""satisfaction":6"#, #""satisfaction":0"#, #""satisfaction":"four""#, #""satisfaction":3.5"#, #""satisfaction":true"#])
    func refusesABadRating(_ rating: String) async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.postJSON(validJSON.replacingOccurrences(of: #""satisfaction":4"#, with: rating))
            #expect(response.status == .badRequest)
            #expect(response.errorField == "ratings.satisfaction")
        }
        #expect(try await app.storedCount() == 0)
    }

    @Test func refusesMalformedJSON() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.postJSON(#"{"answers": {"best": "x""#)
            #expect(response.status == .badRequest)
            #expect(response.text.contains("malformed JSON"))
        }
    }

    @Test func refusesAnUnknownTopLevelField() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.postJSON(#"{"answer": {"best": "x"}}"#)
            #expect(response.status == .badRequest)
            #expect(response.errorField == "answer")
        }
    }

    @Test func refusesTheWrongContentType() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.postJSON(validJSON, contentType: "text/plain")
            #expect(response.status == .unsupportedMediaType)
            #expect(response.errorField == "Content-Type")
        }
    }

    @Test func refusesInvalidUTF8() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            var bytes = Array(validJSON.utf8)
            bytes.insert(contentsOf: [0xC3, 0x28], at: bytes.firstIndex(of: UInt8(ascii: "f"))!)
            let response = try await client.postJSON(bytes: bytes)
            #expect(response.status == .badRequest)
            #expect(response.text.contains("UTF-8"))
        }
        #expect(try await app.storedCount() == 0)
    }

    @Test func refusesAMonthThatDoesNotExist() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.postJSON(validJSON.replacingOccurrences(of: "2026-11", with: "2026-13"))
            #expect(response.status == .badRequest)
            #expect(response.errorField == "month")
        }
    }

    @Test func answers409ForAClosedRound() async throws {
        let app = try await TestApp()
        _ = try await app.service.rounds.close(month: TestApp.month, actor: "test")
        try await app.test { client async throws in
            #expect(try await client.postJSON(validJSON).status == .conflict)
        }
        #expect(try await app.storedCount() == 0)
    }

    @Test func answers409ForAMonthNeverOpened() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            #expect(try await client.postJSON(validJSON.replacingOccurrences(of: "2026-11", with: "2026-09")).status == .conflict)
        }
    }

    @Test func answers403ForAnInvalidToken() async throws {
        let app = try await TestApp(mode: .invite)
        try await app.test { client async throws in
            let response = try await client.postJSON(validJSON.replacingOccurrences(of: #""month""#, with: #""token":"nope","month""#))
            #expect(response.status == .forbidden)
            #expect(response.errorField == "token")
            #expect(try await client.postJSON(validJSON).status == .forbidden)
        }
        #expect(try await app.storedCount() == 0)
    }

    @Test func acceptsATokenOnceThenAnswers403() async throws {
        let app = try await TestApp(mode: .invite)
        let round = try #require(try await app.service.rounds.round(for: TestApp.month))
        let token = try #require(try await app.service.invites.createInvites(for: round, count: 1, team: nil, actor: "test").first)
        try await app.test { client async throws in
            let body = validJSON.replacingOccurrences(of: #""month""#, with: #""token":"\#(token)","month""#)
            #expect(try await client.postJSON(body).status == .created)
            #expect(try await client.postJSON(body).status == .forbidden)
        }
        #expect(try await app.storedCount() == 1)
    }

    @Test func limitsAnswersPerClient() async throws {
        var app = try await TestApp()
        app.arguments.rateLimitPerMinute = 2
        try await app.test { client async throws in
            #expect(try await client.postJSON(validJSON).status == .created)
            #expect(try await client.postJSON(validJSON).status == .created)
            let third = try await client.postJSON(validJSON)
            #expect(third.status == .tooManyRequests)
            #expect(third.headers[.retryAfter] == "60")
        }
        #expect(try await app.storedCount() == 2)
    }

    @Test func describesTheOpenSurvey() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/api/v1/survey", method: .get)
            #expect(response.status == .ok)
            #expect(response.text.contains(#""month":"2026-11""#) && response.text.contains("easeOfShipping"))
        }
    }

    @Test func reportsHealth() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(response.text.contains(#""status":"ok""#))
        }
    }
}
