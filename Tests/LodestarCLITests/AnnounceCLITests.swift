import Foundation
import LodestarTestSupport
import Testing

/// `report publish --announce` and `report announce` against a local webhook receiver and a local aiosmtpd.
struct AnnounceCLITests {
    let cli: CLI
    let month = "2026-01"

    init() throws {
        self.cli = try CLI()
    }

    var out: String { self.cli.folder.appendingPathComponent("reports").path }

    /// Every announcement setting cleared (an empty value is unset), then `settings`.
    func environment(_ settings: [String: String]) -> [String: String] {
        let names = [
            "LODESTAR_PUBLIC_URL", "LODESTAR_SLACK_WEBHOOK_URL", "LODESTAR_SMTP_URL", "LODESTAR_ANNOUNCE_TO", "LODESTAR_ANNOUNCE_FROM",
            "LODESTAR_SMTP_CA_FILE",
        ]
        return Dictionary(uniqueKeysWithValues: names.map { ($0, "") }).merging(settings) { $1 }
    }

    func channels(chat: LocalReceiver?, mail: LocalReceiver?) -> [String: String] {
        var settings = ["LODESTAR_PUBLIC_URL": "https://lodestar.example.com"]
        if let chat { settings["LODESTAR_SLACK_WEBHOOK_URL"] = chat.webhookURL }
        if let mail {
            settings["LODESTAR_SMTP_URL"] = "smtp://127.0.0.1:\(mail.port)"
            settings["LODESTAR_SMTP_CA_FILE"] = mail.caFile
            settings["LODESTAR_ANNOUNCE_TO"] = "team@example.com"
            settings["LODESTAR_ANNOUNCE_FROM"] = "lodestar@example.com"
        }
        return self.environment(settings)
    }

    func publish(_ extra: [String] = [], environment: [String: String]) throws -> CLI.Result {
        try self.cli.run(["report", "publish", "--month", self.month, "--out", self.out] + extra, environment: environment)
    }

    @Test func publishAnnouncesOnEveryChannelAndRecordsIt() throws {
        let (chat, mail) = (try LocalReceiver.webhook(), try LocalReceiver.mailServer())
        let result = try self.publish(["--announce"], environment: self.channels(chat: chat, mail: mail))
        #expect(result.status == 0, "\(result.err)")
        #expect(
            result.out.contains("Published \(self.month)") && result.out.contains("Announced on chat") && result.out.contains("Announced on e-mail"))
        let posted = try #require(chat.received("request-").first)
        #expect(posted.contains("No survey answers or deliveries were recorded for 2026-01"))
        let message = try #require(mail.received("message-").first { $0.hasPrefix("{") })
        #expect(message.contains("Platform report \\u00b7 January 2026") && message.contains("https://lodestar.example.com/reports/2026-01/"))
        let audit = try self.cli.run(["audit", "list", "--action", "report.announce", "--format", "csv"])
        #expect(audit.out.contains("2026-01: chat: sent") && audit.out.contains("e-mail: sent"))
    }

    @Test func aFailedAnnouncementLeavesThePublishSucceededAndSaysHowToRetry() throws {
        let chat = try LocalReceiver.webhook(status: 500)
        let result = try self.publish(["--announce"], environment: self.channels(chat: chat, mail: nil))
        #expect(result.status == 0)
        #expect(FileManager.default.fileExists(atPath: self.out + "/\(self.month)/index.html"))
        #expect(result.err.contains("Not announced on chat: 127.0.0.1 answered 500"))
        #expect(result.err.contains("lodestar report announce --month \(self.month) --out \(self.out)"))
    }

    @Test func aBadSettingLeavesThePublishSucceededAndNamesTheSetting() throws {
        let result = try self.publish(["--announce"], environment: self.environment(["LODESTAR_SMTP_URL": "smtp://mail.example.com"]))
        #expect(result.status == 0)
        #expect(result.err.contains("LODESTAR_ANNOUNCE_TO") && result.err.contains("lodestar report announce --month \(self.month)"))
    }

    @Test func announceSendsAPublishedMonth() throws {
        #expect(try self.publish(environment: self.environment([:])).status == 0)
        let chat = try LocalReceiver.webhook()
        let result = try self.cli.run(
            ["report", "announce", "--month", self.month, "--out", self.out], environment: self.channels(chat: chat, mail: nil))
        #expect(result.status == 0 && result.out.contains("Announced on chat (posted to 127.0.0.1)"))
        #expect(chat.received("request-").count == 1)
    }

    @Test func announceExitsNonZeroWhenAChannelFailed() throws {
        #expect(try self.publish(environment: self.environment([:])).status == 0)
        let (chat, mail) = (try LocalReceiver.webhook(), try LocalReceiver.mailServer(tls: .none))
        let result = try self.cli.run(
            ["report", "announce", "--month", self.month, "--out", self.out], environment: self.channels(chat: chat, mail: mail))
        #expect(result.status != 0)
        #expect(result.out.contains("Announced on chat") && result.err.contains("Not announced on e-mail: SMTP STARTTLS"))
        #expect(result.err.contains("retry with: lodestar report announce --month \(self.month)"))
    }

    @Test func announceRefusesAMonthThatWasNotPublished() throws {
        let chat = try LocalReceiver.webhook()
        let result = try self.cli.run(
            ["report", "announce", "--month", "2025-12", "--out", self.out], environment: self.channels(chat: chat, mail: nil))
        #expect(result.status != 0 && result.err.contains("2025-12 has not been published"))
        #expect(chat.received("request-").isEmpty)
    }

    @Test func announceRefusesWhenNoChannelIsConfigured() throws {
        #expect(try self.publish(environment: self.environment([:])).status == 0)
        let result = try self.cli.run(["report", "announce", "--month", self.month, "--out", self.out], environment: self.environment([:]))
        #expect(result.status != 0 && result.err.contains("nothing to announce to") && result.err.contains("LODESTAR_SLACK_WEBHOOK_URL"))
    }
}
