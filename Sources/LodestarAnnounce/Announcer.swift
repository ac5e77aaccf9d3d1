import Foundation
import LodestarCore
import LodestarReport
import Logging

/// Announces a published report on every configured channel: the chat webhook and e-mail, at once. It never
/// throws: each channel's outcome is returned for the caller to report, so a failed announcement can never fail
/// the publish that came before it. The CLI's `report publish --announce` and `report announce` call it, and the web
/// publish button can too: `Announcer(settings: try AnnounceSettings(environment: …)).announce(report)`.
public struct Announcer: Sendable {
    public let settings: AnnounceSettings
    public let logger: Logger
    /// The EHLO name; nil uses the client's address on the connection.
    public var heloName: String?
    /// The clock of the e-mail's Date header.
    public var now: @Sendable () -> Date = Date.init

    public init(settings: AnnounceSettings, logger: Logger = Logger(label: "lodestar.announce")) {
        self.settings = settings
        self.logger = logger
    }

    /// Sends the summary of `report` (linking to `file` in its folder when the month was published without HTML)
    /// to every channel, and says how each went, the chat webhook first.
    public func announce(_ report: MonthlyReport, file: ReportFormat? = nil) async -> [AnnouncementOutcome] {
        guard let publicURL = self.settings.publicURL else {
            return AnnouncementChannel.allCases.map { AnnouncementOutcome(channel: $0, result: .notConfigured) }
        }
        return await self.announce(Announcement(report: report, publicURL: publicURL, file: file))
    }

    /// Sends `announcement` to every channel.
    public func announce(_ announcement: Announcement) async -> [AnnouncementOutcome] {
        async let chat = self.postToChat(announcement)
        async let mail = self.sendMail(announcement)
        let outcomes = await [chat, mail]
        for outcome in outcomes where outcome.result != .notConfigured {
            self.logger.info(
                "report announced", metadata: ["month": "\(announcement.month)", "channel": "\(outcome.channel)", "outcome": "\(outcome.result)"]
            )
        }
        return outcomes
    }

    // MARK: - Channels

    func postToChat(_ announcement: Announcement) async -> AnnouncementOutcome {
        guard let url = self.settings.webhook else { return AnnouncementOutcome(channel: .chat, result: .notConfigured) }
        let webhook = ChatWebhook(url: url, timeout: self.settings.timeout)
        do {
            try await webhook.post(announcement.chatText)
            return AnnouncementOutcome(channel: .chat, result: .sent("posted to \(webhook.shownHost)"))
        } catch {
            return AnnouncementOutcome(channel: .chat, result: .failed(error.description))
        }
    }

    func sendMail(_ announcement: Announcement) async -> AnnouncementOutcome {
        guard let mail = self.settings.mail else { return AnnouncementOutcome(channel: .email, result: .notConfigured) }
        let message = MailMessage(from: mail.from, to: mail.to, subject: announcement.title, body: announcement.mailBody, date: self.now())
        let client = SMTPClient(server: mail.server, timeout: self.settings.timeout, heloName: self.heloName)
        do {
            try await client.send(message)
            let count = mail.to.count == 1 ? "1 recipient" : "\(mail.to.count) recipients"
            return AnnouncementOutcome(channel: .email, result: .sent("mailed to \(count) through \(mail.server.host)"))
        } catch {
            return AnnouncementOutcome(channel: .email, result: .failed(error.description))
        }
    }
}

/// Where an announcement goes.
public enum AnnouncementChannel: String, Sendable, CaseIterable, CustomStringConvertible {
    /// A Slack or Mattermost incoming webhook.
    case chat
    case email = "e-mail"

    public var description: String { self.rawValue }
}

/// How one channel's announcement went.
public struct AnnouncementOutcome: Sendable, Equatable, CustomStringConvertible {
    public var channel: AnnouncementChannel
    public var result: Result

    public enum Result: Sendable, Equatable, CustomStringConvertible {
        /// Sent; the text says where, without secrets (`posted to hooks.slack.com`, `mailed to 2 recipients`).
        case sent(String)
        /// Not sent; the text says why (the step and the server's answer).
        case failed(String)
        case notConfigured

        public var description: String {
            switch self {
            case .sent(let detail): "sent (\(detail))"
            case .failed(let reason): "failed: \(reason)"
            case .notConfigured: "not configured"
            }
        }
    }

    public init(channel: AnnouncementChannel, result: Result) {
        self.channel = channel
        self.result = result
    }

    public var failed: Bool {
        if case .failed = self.result { return true }
        return false
    }

    /// `chat: sent (posted to hooks.slack.com)`, as the CLI prints it and the audit log keeps it.
    public var description: String { "\(self.channel): \(self.result)" }

    /// The audit log's detail of a `report.announce`: the month and each configured channel's outcome, with no
    /// address, URL or password (`2026-11: chat: sent (posted to hooks.slack.com); e-mail: failed: SMTP …`).
    public static func auditDetail(_ outcomes: [AnnouncementOutcome], month: Month) -> String {
        "\(month): " + outcomes.filter { $0.result != .notConfigured }.map(\.description).joined(separator: "; ")
    }
}
