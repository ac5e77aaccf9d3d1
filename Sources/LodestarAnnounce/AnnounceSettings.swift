import Foundation
import LodestarCore

/// Where a published report is announced, read from the environment. Nothing set means nothing to announce; a
/// setting that is set but wrong is one `FieldError` naming the variable, and never repeats a password.
public struct AnnounceSettings: Sendable, Equatable {
    public static let publicURLVariable = "LODESTAR_PUBLIC_URL"
    public static let webhookVariable = "LODESTAR_SLACK_WEBHOOK_URL"
    public static let toVariable = "LODESTAR_ANNOUNCE_TO"
    public static let fromVariable = "LODESTAR_ANNOUNCE_FROM"
    public static let caFileVariable = "LODESTAR_SMTP_CA_FILE"

    /// The address readers open Lodestar at, without a trailing slash; the link is `<publicURL>/reports/YYYY-MM/`.
    /// Nil only when no channel is configured.
    public var publicURL: URL?
    /// A Slack incoming webhook, or Mattermost's (the same JSON).
    public var webhook: URL?
    public var mail: MailSettings?
    /// How long each channel may take to connect, and to answer each step.
    public var timeout: Duration

    /// E-mail: the server, the sender and the recipients.
    public struct MailSettings: Sendable, Equatable {
        public var server: SMTPServer
        public var from: EmailAddress
        public var to: [EmailAddress]

        public init(server: SMTPServer, from: EmailAddress, to: [EmailAddress]) {
            self.server = server
            self.from = from
            self.to = to
        }
    }

    public init(publicURL: URL?, webhook: URL? = nil, mail: MailSettings? = nil, timeout: Duration = .seconds(30)) {
        self.publicURL = publicURL
        self.webhook = webhook
        self.mail = mail
        self.timeout = timeout
    }

    /// Whether any channel is set up.
    public var isEmpty: Bool { self.webhook == nil && self.mail == nil }

    /// Reads `LODESTAR_SLACK_WEBHOOK_URL`, `LODESTAR_SMTP_URL`, `LODESTAR_ANNOUNCE_TO`, `LODESTAR_ANNOUNCE_FROM`,
    /// `LODESTAR_SMTP_CA_FILE` and `LODESTAR_PUBLIC_URL`. `hostName` is this machine's, for the default sender when
    /// the public address's host is not a name.
    public init(environment: [String: String], hostName: String = ProcessInfo.processInfo.hostName) throws(FieldError) {
        func value(_ name: String) -> String? { environment[name]?.trimmingCharacters(in: .whitespaces).nilIfEmpty }
        let webhook = try value(Self.webhookVariable).map { text throws(FieldError) in try Self.webhookURL(text) }
        // The link's address comes first: the default sender is named after it.
        var publicURL: URL?
        if let text = value(Self.publicURLVariable) { publicURL = try Self.publicURL(text) }
        var mail: MailSettings?
        switch (value(SMTPServer.variable), value(Self.toVariable)) {
        case (nil, nil):
            if value(Self.caFileVariable) != nil || value(Self.fromVariable) != nil {
                throw FieldError(
                    field: SMTPServer.variable, message: "not set, but \(Self.fromVariable) or \(Self.caFileVariable) is: set it to send e-mail")
            }
        case (nil, _?):
            throw FieldError(
                field: SMTPServer.variable,
                message: "not set, but \(Self.toVariable) is: set it to the mail server, smtp://[user:password@]host[:port]")
        case (_?, nil):
            throw FieldError(field: Self.toVariable, message: "not set, but \(SMTPServer.variable) is: set it to the recipients, comma-separated")
        case (let url?, let to?):
            let caFile = try value(Self.caFileVariable).map { path throws(FieldError) in try Self.caFile(path) }
            let from = try Self.sender(value(Self.fromVariable), publicHost: publicURL?.host, hostName: hostName)
            mail = MailSettings(server: try SMTPServer(url: url, caFile: caFile), from: from, to: try Self.recipients(to))
        }
        if publicURL == nil, webhook != nil || mail != nil {
            throw FieldError(
                field: Self.publicURLVariable,
                message:
                    "not set: set it to the address readers open Lodestar at (https://lodestar.example.com), so the announcement links to the report"
            )
        }
        self.init(publicURL: publicURL, webhook: webhook, mail: mail)
    }

    // MARK: - Each setting

    static func webhookURL(_ text: String) throws(FieldError) -> URL {
        let field = Self.webhookVariable
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw FieldError(field: field, message: "not a URL; expected the incoming webhook's https://… address")
        }
        // The webhook's path is its secret: it crosses a network only encrypted.
        guard scheme == "https" || (scheme == "http" && SMTPServer.isLoopback(host)) else {
            throw FieldError(field: field, message: "must be an https URL (http is accepted for this machine only), not \(scheme)://\(host)…")
        }
        return url
    }

    static func publicURL(_ text: String) throws(FieldError) -> URL {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let parts = URLComponents(string: trimmed), let scheme = parts.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = parts.host, !host.isEmpty, parts.query == nil, parts.fragment == nil, let url = parts.url
        else {
            throw FieldError(field: Self.publicURLVariable, message: "'\(text)' is not an http(s) address like https://lodestar.example.com")
        }
        return url
    }

    static func recipients(_ text: String) throws(FieldError) -> [EmailAddress] {
        var addresses: [EmailAddress] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = item.trimmingCharacters(in: .whitespaces)
            guard let address = EmailAddress(item) else {
                throw FieldError(field: Self.toVariable, message: "'\(item)' is not an e-mail address (expected name@example.com, comma-separated)")
            }
            if !addresses.contains(address) { addresses.append(address) }
        }
        return addresses
    }

    /// `LODESTAR_ANNOUNCE_FROM`, else `lodestar@` the public address's host (a name the team owns), else `lodestar@`
    /// this machine's name when that is a domain name.
    static func sender(_ text: String?, publicHost: String?, hostName: String) throws(FieldError) -> EmailAddress {
        if let text {
            guard let address = EmailAddress(text) else {
                throw FieldError(field: Self.fromVariable, message: "'\(text)' is not an e-mail address (expected lodestar@example.com)")
            }
            return address
        }
        for host in [publicHost, hostName].compactMap({ $0 }) where host != "localhost" && !SMTPServer.isIPAddress(host) {
            if let address = EmailAddress("lodestar@\(host)") { return address }
        }
        throw FieldError(
            field: Self.fromVariable,
            message:
                "not set, and neither \(Self.publicURLVariable)'s host nor this machine's name '\(hostName)' makes an address: set it (lodestar@example.com)"
        )
    }

    static func caFile(_ path: String) throws(FieldError) -> String {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw FieldError(field: Self.caFileVariable, message: "\(path) cannot be read")
        }
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        guard text.contains("-----BEGIN CERTIFICATE-----") else {
            throw FieldError(field: Self.caFileVariable, message: "\(path) holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        return path
    }
}
