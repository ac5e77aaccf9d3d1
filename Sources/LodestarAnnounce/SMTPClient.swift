import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends one message over SMTP (RFC 5321) on SwiftNIO: EHLO, STARTTLS and EHLO again over TLS (NIOSSL, the
/// system's trust roots plus `caFile`, the server's name or address checked), AUTH PLAIN when the URL has
/// credentials, MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT. Nothing but EHLO and STARTTLS is said before TLS:
/// a server that does not offer STARTTLS gets QUIT, and neither the credentials nor the mail.
public struct SMTPClient: Sendable {
    public let server: SMTPServer
    public let timeout: Duration
    /// The name this client gives in EHLO; nil uses its address on the connection (`[127.0.0.1]`).
    public let heloName: String?

    public init(server: SMTPServer, timeout: Duration, heloName: String? = nil) {
        self.server = server
        self.timeout = timeout
        self.heloName = heloName
    }

    /// A failed send: the step and what the server answered, or what went wrong on the way. Never the password.
    public struct Failure: Error, CustomStringConvertible {
        public var step: String
        public var reason: String
        public var description: String { "SMTP \(self.step): \(self.reason)" }
    }

    typealias Connection = NIOAsyncChannel<SMTPReply, ByteBuffer>

    /// Sends `message` from `from` to each of `to`; returns when the server has accepted it for delivery.
    public func send(_ message: MailMessage) async throws(Failure) {
        let tls = try self.tlsContext()
        let connection: Connection
        do {
            connection = try await self.connect()
        } catch {
            throw Failure(step: "connect", reason: "cannot reach \(self.server.shown): \(Self.reason(error))")
        }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var conversation = Conversation(channel: connection.channel, replies: inbound.makeAsyncIterator(), outbound: outbound)
                do {
                    try await self.run(message, conversation: &conversation, tls: tls)
                } catch {
                    // Leave politely where the connection still allows it; the transaction was not completed.
                    try? await conversation.send("QUIT")
                    throw error
                }
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(step: "connection", reason: Self.reason(error))
        }
    }

    // MARK: - The conversation

    private func run(_ message: MailMessage, conversation: inout Conversation, tls: NIOSSLContext) async throws {
        try await conversation.expect(220, step: "greeting")
        let helo = self.heloName ?? Self.addressLiteral(conversation.channel.localAddress)
        var extensions = try await conversation.command("EHLO \(helo)", expect: 250, step: "EHLO")
        if self.server.requireStartTLS {
            guard Self.offers("STARTTLS", extensions) else {
                throw Failure(
                    step: "STARTTLS",
                    reason:
                        "\(self.server.shown) does not offer STARTTLS, so neither the credentials nor the mail were sent over the unencrypted connection"
                )
            }
            try await conversation.command("STARTTLS", expect: 220, step: "STARTTLS")
            let hostname = SMTPServer.isIPAddress(self.server.host) ? nil : self.server.host
            let channel = conversation.channel
            // The handshake is awaited before EHLO, so a refused certificate is reported as such.
            let handshake = channel.eventLoop.makePromise(of: Void.self)
            do {
                try await channel.eventLoop.submit {
                    let watcher = TLSHandshakeWatcher(promise: handshake)
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: hostname), position: .first)
                    try channel.pipeline.syncOperations.addHandler(
                        watcher, position: .after(channel.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self)))
                    channel.pipeline.syncOperations.triggerUserOutboundEvent(SMTPReplyDeadline.Awaiting(), promise: nil)
                }.get()
                try await handshake.futureResult.get()
            } catch {
                throw Failure(step: "STARTTLS", reason: Self.reason(error))
            }
            extensions = try await conversation.command("EHLO \(helo)", expect: 250, step: "EHLO after STARTTLS")
        }
        if let username = self.server.username, let password = self.server.password {
            guard Self.offers("AUTH", extensions, parameter: "PLAIN") else {
                throw Failure(step: "AUTH", reason: "\(self.server.shown) does not offer AUTH PLAIN, so the credentials were not sent")
            }
            let token = Data(([0] + Array(username.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            try await conversation.command("AUTH PLAIN \(token)", expect: 235, step: "AUTH PLAIN")
        }
        try await conversation.command("MAIL FROM:<\(message.from)>", expect: 250, step: "MAIL FROM")
        for recipient in message.to {
            try await conversation.command("RCPT TO:<\(recipient)>", expect: [250, 251], step: "RCPT TO <\(recipient)>")
        }
        try await conversation.command("DATA", expect: 354, step: "DATA")
        // The message's last line ends with CRLF; "." and CRLF then end DATA.
        let text = Self.dotStuffed(message.rendered)
        try await conversation.send((text.hasSuffix("\r\n") ? text : text + "\r\n") + ".", step: "DATA")
        try await conversation.expect(250, step: "end of DATA")
        // The message is accepted; a server that answers QUIT oddly or hangs up changes nothing.
        _ = try? await conversation.command("QUIT", expect: 221, step: "QUIT")
    }

    /// Each line that starts with a dot gets another (RFC 5321 §4.5.2), so no line of the message ends it early.
    static func dotStuffed(_ text: String) -> String {
        text.components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n")
    }

    /// Whether an EHLO reply lists `keyword` (and `parameter` among its parameters).
    static func offers(_ keyword: String, _ reply: SMTPReply, parameter: String? = nil) -> Bool {
        reply.lines.dropFirst().contains { line in
            let words = line.uppercased().split(separator: " ")
            guard words.first.map(String.init) == keyword else { return false }
            return parameter.map { words.dropFirst().contains(Substring($0)) } ?? true
        }
    }

    // MARK: - Connecting

    private func connect() async throws -> Connection {
        let readTimeout = self.timeAmount
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(readTimeout)
            .connect(host: self.server.host, port: self.server.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(SMTPReplyDecoder()), SMTPReplyDeadline(timeout: readTimeout),
                    ])
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
    }

    private func tlsContext() throws(Failure) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let caFile = self.server.caFile {
            configuration.additionalTrustRoots = [.file(caFile)]
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw Failure(step: "TLS set-up", reason: "cannot use the certificates of \(self.server.caFile ?? "the system"): \(error)")
        }
    }

    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = self.timeout.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// `[192.0.2.1]` or `[IPv6:…]` (RFC 5321 §4.1.3), for EHLO when no name is given.
    static func addressLiteral(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress else { return "[127.0.0.1]" }
        if case .v6 = address { return "[IPv6:\(ip)]" }
        return "[\(ip)]"
    }

    /// A TLS failure in a sentence: BoringSSL's reason code (`CERTIFICATE_VERIFY_FAILED`) without its source path.
    static func tlsReason(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("failedToValidateHostname") {
            return "TLS failed: the server's certificate does not name the host of LODESTAR_SMTP_URL"
        }
        let code = text.range(of: "OPENSSL_internal:[A-Z0-9_]+", options: .regularExpression).map { text[$0].dropFirst("OPENSSL_internal:".count) }
        if code == "CERTIFICATE_VERIFY_FAILED" {
            return
                "TLS failed: the server's certificate is not trusted (CERTIFICATE_VERIFY_FAILED); set LODESTAR_SMTP_CA_FILE to the CA that signed it"
        }
        return "TLS failed (\(code.map(String.init) ?? text))"
    }

    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as Failure: error.description
        case let error as SMTPProtocolError: error.description
        case let error as SMTPTimeoutError: error.description
        case is NIOSSLError, is BoringSSLError, is NIOSSLExtraError: Self.tlsReason(error)
        case let error as NIOConnectionError: error.connectionErrors.first.map { "\($0.error)" } ?? "\(error)"
        case let error as IOError: error.description
        case is ChannelError: "the connection closed (\(error))"
        default: String(describing: error)
        }
    }
}
