import NIOCore
import NIOTLS

/// One SMTP reply: its code and its lines' text (RFC 5321 §4.2: `250-first`, `250-…`, `250 last`).
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    /// The reply as a server's log shows it, on one line, cut short.
    var shown: String {
        let text = "\(self.code) " + self.lines.joined(separator: " / ")
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}

/// Turns the bytes a server sends into replies. A line longer than RFC 5321's limit allows many times over, a reply
/// of too many lines, or a line that is not `NNN[ -]text` closes the connection with `SMTPProtocolError`, so a
/// wrong or hostile server cannot make the client buffer without end.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    static let maxLineLength = 4096
    static let maxLines = 200

    private var pending: [String] = []
    private var pendingCode: Int?

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maxLineLength { throw SMTPProtocolError(message: "a reply line longer than \(Self.maxLineLength) bytes") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        var line = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)), (200...599).contains(code),
            bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-")
        else {
            throw SMTPProtocolError(message: "a reply that is not SMTP: \(line.prefix(80))")
        }
        if let pendingCode, pendingCode != code {
            throw SMTPProtocolError(message: "a reply whose lines change code (\(pendingCode), then \(code))")
        }
        let text = bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : ""
        self.pending.append(text)
        guard self.pending.count <= Self.maxLines else { throw SMTPProtocolError(message: "a reply of more than \(Self.maxLines) lines") }
        if bytes.count > 3, bytes[3] == UInt8(ascii: "-") {
            self.pendingCode = code
            return .continue
        }
        // The client never pipelines, so a server answers one command with one reply. More bytes behind a reply
        // are a second, unasked reply, which is how a man in the middle injects answers around STARTTLS: refused.
        guard buffer.readableBytes == 0 else { throw SMTPProtocolError(message: "more than one reply to one command") }
        context.fireChannelRead(Self.wrapInboundOut(SMTPReply(code: code, lines: self.pending)))
        self.pending = []
        self.pendingCode = nil
        return .continue
    }
}

/// The server said something that is not SMTP.
struct SMTPProtocolError: Error, CustomStringConvertible {
    var message: String
    var description: String { "the server sent \(self.message)" }
}

/// The server did not answer within the timeout.
struct SMTPTimeoutError: Error, CustomStringConvertible {
    var description: String { "no answer within the timeout" }
}

/// The time the server has to answer, counted only while the client waits for it: from the connection (for the
/// greeting) or from the first command not yet answered, until a whole reply is read; and from STARTTLS's reply
/// until the TLS handshake is done. When it runs out, the waiting step sees `SMTPTimeoutError` and the connection
/// closes. An idle timer on reads would also count the time the client takes between a reply and its next command,
/// and close a sound connection whenever the client's own process is slow to get back to it.
final class SMTPReplyDeadline: ChannelDuplexHandler {
    typealias InboundIn = SMTPReply
    typealias InboundOut = SMTPReply
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Sent down the pipeline (`triggerUserOutboundEvent`) when the client waits for something other than a reply.
    struct Awaiting {}

    private let timeout: TimeAmount
    private var pending: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    private func start(_ context: ChannelHandlerContext) {
        guard self.pending == nil else { return }
        // Both run only on the channel's event loop, where the task fires.
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        self.pending = context.eventLoop.scheduleTask(in: self.timeout) {
            bound.value.handler.pending = nil
            bound.value.context.fireErrorCaught(SMTPTimeoutError())
            bound.value.context.close(promise: nil)
        }
    }

    private func stop() {
        self.pending?.cancel()
        self.pending = nil
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.start(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.stop()
    }

    func channelActive(context: ChannelHandlerContext) {
        self.start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.stop()
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event { self.stop() }
        context.fireUserInboundEventTriggered(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        self.start(context)
        context.write(data, promise: promise)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is Awaiting else { return context.triggerUserOutboundEvent(event, promise: promise) }
        self.start(context)
        promise?.succeed(())
    }
}

/// Completes `promise` when the TLS handshake after STARTTLS is done, or fails it with the handshake's error, so
/// the client says "TLS failed" rather than whatever the closed connection shows next.
final class TLSHandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let promise: EventLoopPromise<Void>

    init(promise: EventLoopPromise<Void>) {
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event { self.promise.succeed(()) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.promise.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.promise.fail(ChannelError.eof)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.promise.fail(ChannelError.eof)
    }
}
