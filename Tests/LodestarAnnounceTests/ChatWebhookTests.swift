import Foundation
import LodestarAnnounce
import LodestarTestSupport
import Testing

struct ChatWebhookTests {
    func webhook(_ receiver: LocalReceiver) -> ChatWebhook {
        ChatWebhook(url: URL(string: receiver.webhookURL)!, timeout: LocalReceiver.patientTimeout)
    }

    @Test func postsTheTextAsSlackJSON() async throws {
        let receiver = try LocalReceiver.webhook()
        try await self.webhook(receiver).post("Platform report · November 2026\nRead it: https://lodestar.example.com/reports/2026-11/")
        let request = try #require(receiver.received("request-").first)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(request.utf8)) as? [String: String])
        #expect(record["path"] == "/hooks/T000/B000/secret")
        #expect(record["contentType"]?.hasPrefix("application/json") == true)
        let text = try #require(record["body"])
        let body = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        #expect(body == ["text": "Platform report · November 2026\nRead it: https://lodestar.example.com/reports/2026-11/"])
    }

    @Test func aServerErrorFailsWithItsStatusAndAnswerButNotTheSecretPath() async throws {
        let receiver = try LocalReceiver.webhook(status: 500)
        do {
            try await self.webhook(receiver).post("hello")
            Issue.record("a 500 was taken for success")
        } catch {
            #expect(error.description.contains("answered 500") && error.description.contains("internal_error"))
            #expect(!error.description.contains("secret"))
        }
    }

    @Test func aServerThatIsNotThereFails() async throws {
        let port = try LocalReceiver.webhook().port  // started and stopped: nothing listens there now
        do {
            try await ChatWebhook(url: URL(string: "http://127.0.0.1:\(port)/hooks/x")!, timeout: .seconds(2)).post("hello")
            Issue.record("posting to a closed port succeeded")
        } catch {
            #expect(error.description.contains("could not post to 127.0.0.1"))
        }
    }
}
