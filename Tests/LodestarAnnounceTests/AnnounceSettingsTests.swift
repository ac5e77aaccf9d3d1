import Foundation
import LodestarAnnounce
import LodestarCore
import Testing

struct AnnounceSettingsTests {
    let mail = ["LODESTAR_SMTP_URL": "smtp://alice:s3cret@mail.example.com", "LODESTAR_ANNOUNCE_TO": "team@example.com, lead@example.com"]
    let link = ["LODESTAR_PUBLIC_URL": "https://lodestar.example.com/"]

    func settings(_ environment: [String: String]) throws(FieldError) -> AnnounceSettings {
        try AnnounceSettings(environment: environment, hostName: "build.example.com")
    }

    /// The variable a bad environment is refused for, and the message.
    func refusal(_ environment: [String: String]) -> FieldError? {
        do {
            _ = try self.settings(environment)
            return nil
        } catch {
            return error
        }
    }

    @Test func nothingSetIsNothingToAnnounce() throws {
        #expect(try self.settings([:]).isEmpty)
        #expect(try self.settings(["LODESTAR_SLACK_WEBHOOK_URL": "  "]).isEmpty)
    }

    @Test func readsEveryChannel() throws {
        let settings = try self.settings(
            self.mail.merging(self.link) { $1 }.merging(["LODESTAR_SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T/B/x"]) { $1 })
        #expect(settings.webhook?.host == "hooks.slack.com")
        #expect(settings.publicURL?.absoluteString == "https://lodestar.example.com")
        let mail = try #require(settings.mail)
        #expect(mail.server == SMTPServer(host: "mail.example.com", port: 587, username: "alice", password: "s3cret"))
        #expect(mail.to.map(\.text) == ["team@example.com", "lead@example.com"])
        #expect(mail.from.text == "lodestar@lodestar.example.com")
    }

    @Test func needsThePublicURLOnceAChannelIsSet() {
        #expect(self.refusal(self.mail)?.field == "LODESTAR_PUBLIC_URL")
        #expect(self.refusal(self.mail.merging(["LODESTAR_PUBLIC_URL": "lodestar.example.com"]) { $1 })?.field == "LODESTAR_PUBLIC_URL")
    }

    @Test func refusesAWebhookThatIsNotHTTPS() {
        let error = self.refusal(self.link.merging(["LODESTAR_SLACK_WEBHOOK_URL": "http://chat.example.com/hooks/abc"]) { $1 })
        #expect(error?.field == "LODESTAR_SLACK_WEBHOOK_URL")
        #expect(error?.message.contains("https") == true && error?.message.contains("abc") == false)
        #expect(self.refusal(self.link.merging(["LODESTAR_SLACK_WEBHOOK_URL": "http://127.0.0.1:9/hooks"]) { $1 }) == nil)
    }

    @Test func refusesRecipientsThatAreNotAddresses() {
        for bad in ["team@example.com, not an address", "team@example.com,", "a@b", "<a@example.com>", "a@example.com\r\nBcc: x@example.com"] {
            let error = self.refusal(self.link.merging(self.mail) { $1 }.merging(["LODESTAR_ANNOUNCE_TO": bad]) { $1 })
            #expect(error?.field == "LODESTAR_ANNOUNCE_TO", "\(bad)")
        }
    }

    @Test func needsTheServerAndTheRecipientsTogether() {
        #expect(self.refusal(self.link.merging(["LODESTAR_ANNOUNCE_TO": "team@example.com"]) { $1 })?.field == "LODESTAR_SMTP_URL")
        #expect(self.refusal(self.link.merging(["LODESTAR_SMTP_URL": "smtp://mail.example.com"]) { $1 })?.field == "LODESTAR_ANNOUNCE_TO")
    }

    @Test func refusesABadSMTPURLWithoutRepeatingThePassword() {
        let environment = self.link.merging(self.mail) { $1 }
        for (url, words) in [
            ("smtps://alice:s3cret@mail.example.com", "587"), ("http://mail.example.com", "smtp"),
            ("smtp://alice:s3cret@mail.example.com:99999", "port"),
            ("smtp://alice@mail.example.com", "password"), ("smtp://alice:s3cret@mail.example.com/x", "path"),
            ("smtp://alice:s3cret@mail.example.com?tls=1", "tls"),
        ] {
            let error = self.refusal(environment.merging(["LODESTAR_SMTP_URL": url]) { $1 })
            #expect(error?.field == "LODESTAR_SMTP_URL", "\(url)")
            #expect(error?.message.contains(words) == true && error?.message.contains("s3cret") == false, "\(url): \(String(describing: error))")
        }
    }

    @Test func turnsSTARTTLSOffForThisMachineOnly() throws {
        let environment = self.link.merging(self.mail) { $1 }
        let local = try self.settings(environment.merging(["LODESTAR_SMTP_URL": "smtp://127.0.0.1:25?starttls=off"]) { $1 })
        #expect(local.mail?.server.requireStartTLS == false)
        let error = self.refusal(environment.merging(["LODESTAR_SMTP_URL": "smtp://mail.example.com?starttls=off"]) { $1 })
        #expect(error?.field == "LODESTAR_SMTP_URL" && error?.message.contains("this machine only") == true)
    }

    @Test func refusesASenderThatIsNotAnAddress() throws {
        let environment = self.link.merging(self.mail) { $1 }
        #expect(self.refusal(environment.merging(["LODESTAR_ANNOUNCE_FROM": "Lodestar"]) { $1 })?.field == "LODESTAR_ANNOUNCE_FROM")
        let byAddress = environment.merging(["LODESTAR_PUBLIC_URL": "http://10.0.0.5:8080"]) { $1 }
        #expect(try AnnounceSettings(environment: byAddress, hostName: "build.example.com").mail?.from.text == "lodestar@build.example.com")
        do {
            _ = try AnnounceSettings(environment: byAddress, hostName: "vm")
            Issue.record("an address and a bare host name made a sender")
        } catch {
            #expect(error.field == "LODESTAR_ANNOUNCE_FROM" && error.message.contains("not set"))
        }
    }

    @Test func refusesACAFileThatIsNotThereOrNotPEM() throws {
        let environment = self.link.merging(self.mail) { $1 }
        #expect(self.refusal(environment.merging(["LODESTAR_SMTP_CA_FILE": "/nonexistent/ca.pem"]) { $1 })?.field == "LODESTAR_SMTP_CA_FILE")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("not-pem-\(UUID().uuidString)")
        try Data("hello".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(self.refusal(environment.merging(["LODESTAR_SMTP_CA_FILE": file.path]) { $1 })?.message.contains("PEM") == true)
    }

    @Test func showsTheServerWithoutItsPassword() throws {
        let server = try SMTPServer(url: "smtp://alice:s%40cret@mail.example.com:2525")
        #expect(server.password == "s@cret")
        #expect(server.shown == "smtp://alice@mail.example.com:2525")
    }
}
