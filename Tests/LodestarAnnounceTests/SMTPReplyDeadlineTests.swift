import NIOCore
import NIOEmbedded
import Testing

@testable import LodestarAnnounce

/// The reply deadline on an in-memory channel whose clock the test moves: only the server's silence counts.
struct SMTPReplyDeadlineTests {
    /// A connected channel with the decoder and a 5-second deadline, as the client builds it.
    func connected() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handlers: [ByteToMessageHandler(SMTPReplyDecoder()), SMTPReplyDeadline(timeout: .seconds(5))])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 25)).wait()
        return channel
    }

    @Test func aServerSilentAfterACommandRunsOutTheDeadline() throws {
        let channel = try self.connected()
        try channel.writeInbound(ByteBuffer(string: "220 mail.test ready\r\n"))
        try channel.writeOutbound(ByteBuffer(string: "EHLO client.test\r\n"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
        #expect(throws: SMTPTimeoutError.self) { try channel.throwIfErrorCaught() }
    }

    @Test func theClientsOwnPauseBetweenAReplyAndItsNextCommandDoesNotCount() throws {
        let channel = try self.connected()
        try channel.writeInbound(ByteBuffer(string: "220 mail.test ready\r\n"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        try channel.writeOutbound(ByteBuffer(string: "EHLO client.test\r\n"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        try channel.writeInbound(ByteBuffer(string: "250 mail.test\r\n"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        _ = try channel.finish()
    }

    @Test func aGreetingThatNeverComesRunsOutTheDeadline() throws {
        let channel = try self.connected()
        channel.embeddedEventLoop.advanceTime(by: .seconds(6))
        #expect(!channel.isActive)
        #expect(throws: SMTPTimeoutError.self) { try channel.throwIfErrorCaught() }
    }

    @Test func waitingForTheTLSHandshakeHasTheDeadlineToo() throws {
        let channel = try self.connected()
        try channel.writeInbound(ByteBuffer(string: "220 ready to start TLS\r\n"))
        try channel.pipeline.triggerUserOutboundEvent(SMTPReplyDeadline.Awaiting()).wait()
        channel.embeddedEventLoop.advanceTime(by: .seconds(6))
        #expect(!channel.isActive)
    }
}
