import Foundation
import LodestarAnnounce
import LodestarCore
import LodestarTestSupport
import Testing

struct AnnouncerTests {
    let announcement = Announcement(
        month: try! Month(year: 2026, month: 11), title: "Platform report · November 2026",
        sentence: "Deployments +1% against last month; 35 developers answered the survey.",
        link: URL(string: "https://lodestar.example.com/reports/2026-11/")!
    )

    func settings(webhook: LocalReceiver?, mail: LocalReceiver?) -> AnnounceSettings {
        AnnounceSettings(
            publicURL: URL(string: "https://lodestar.example.com")!, webhook: webhook.map { URL(string: $0.webhookURL)! },
            mail: mail.map {
                .init(
                    server: SMTPServer(host: "127.0.0.1", port: $0.port, caFile: $0.caFile), from: EmailAddress("lodestar@example.com")!,
                    to: [EmailAddress("team@example.com")!]
                )
            },
            timeout: LocalReceiver.patientTimeout
        )
    }

    @Test func sendsTheSummaryWithTheLinkToEveryChannel() async throws {
        let (chat, mail) = (try LocalReceiver.webhook(), try LocalReceiver.mailServer())
        let outcomes = await Announcer(settings: self.settings(webhook: chat, mail: mail)).announce(self.announcement)
        #expect(outcomes.map(\.channel) == [.chat, .email] && !outcomes.contains(where: \.failed))
        #expect(outcomes[1].result == .sent("mailed to 1 recipient through 127.0.0.1"))
        let posted = try #require(chat.received("request-").first)
        #expect(posted.contains("Read it: https://lodestar.example.com/reports/2026-11/"))
        let message = try #require(mail.received("message-").first { $0.hasPrefix("{") })
        #expect(message.contains("Deployments +1% against last month") && message.contains("https://lodestar.example.com/reports/2026-11/"))
    }

    @Test func oneFailingChannelDoesNotStopTheOther() async throws {
        let (chat, mail) = (try LocalReceiver.webhook(status: 500), try LocalReceiver.mailServer())
        let outcomes = await Announcer(settings: self.settings(webhook: chat, mail: mail)).announce(self.announcement)
        #expect(outcomes[0].failed && outcomes[0].description.contains("answered 500"))
        #expect(!outcomes[1].failed && mail.received("message-").filter { $0.hasPrefix("{") }.count == 1)
    }

    @Test func saysWhichChannelsAreNotConfigured() async throws {
        let chat = try LocalReceiver.webhook()
        let outcomes = await Announcer(settings: self.settings(webhook: chat, mail: nil)).announce(self.announcement)
        #expect(outcomes.map(\.result) == [.sent("posted to 127.0.0.1"), .notConfigured])
    }

    @Test func escapesWhatSlackReadsAsMarkup() {
        var announcement = self.announcement
        announcement.sentence = "p95 < 5 min & rising > before"
        #expect(announcement.chatText.contains("p95 &lt; 5 min &amp; rising &gt; before"))
    }
}
