import NIOCore
import NIOEmbedded
import Testing

@testable import LodestarAnnounce

/// The reply decoder on an in-memory channel: what a server's bytes become, and what closes the connection.
struct SMTPReplyDecoderTests {
    func decoded(_ text: String) throws -> [SMTPReply] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder()))
        try channel.writeInbound(ByteBuffer(string: text))
        var replies: [SMTPReply] = []
        while let reply = try channel.readInbound(as: SMTPReply.self) { replies.append(reply) }
        _ = try? channel.finish()
        return replies
    }

    @Test func joinsTheLinesOfAMultiLineReply() throws {
        #expect(try self.decoded("250-mail.test\r\n250-STARTTLS\r\n250 HELP\r\n") == [SMTPReply(code: 250, lines: ["mail.test", "STARTTLS", "HELP"])])
    }

    @Test func refusesASecondReplyBehindTheFirst() {
        // A man in the middle answering STARTTLS and, in the same breath, the EHLO that follows it.
        #expect(throws: SMTPProtocolError.self) { try self.decoded("220 Ready to start TLS\r\n250 AUTH PLAIN\r\n") }
    }

    @Test func refusesWhatIsNotSMTP() {
        #expect(throws: SMTPProtocolError.self) { try self.decoded("HTTP/1.1 400 Bad Request\r\n") }
        #expect(throws: SMTPProtocolError.self) { try self.decoded("250-first\r\n354 second\r\n") }
    }

    @Test func refusesALineWithoutEnd() {
        #expect(throws: SMTPProtocolError.self) { try self.decoded("250 " + String(repeating: "x", count: 5000)) }
    }
}
