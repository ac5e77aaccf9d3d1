import NIOCore

extension SMTPClient {
    /// The connection as commands and replies: each reply read is checked against the codes its step expects, and
    /// anything else ends the send with a `Failure` naming the step and the server's answer.
    struct Conversation {
        let channel: any Channel
        var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

        /// Reads the next reply; throws unless its code is one of `codes`.
        @discardableResult
        mutating func expect(_ codes: Set<Int>, step: String) async throws(Failure) -> SMTPReply {
            let reply: SMTPReply?
            do {
                reply = try await self.replies.next()
            } catch {
                throw Failure(step: step, reason: SMTPClient.reason(error))
            }
            guard let reply else { throw Failure(step: step, reason: "the server closed the connection") }
            guard codes.contains(reply.code) else { throw Failure(step: step, reason: "the server answered \(reply.shown)") }
            return reply
        }

        @discardableResult
        mutating func expect(_ code: Int, step: String) async throws(Failure) -> SMTPReply {
            try await self.expect([code], step: step)
        }

        /// Writes one line, CRLF added.
        func send(_ line: String, step: String = "write") async throws(Failure) {
            do {
                try await self.outbound.write(ByteBuffer(string: line + "\r\n"))
            } catch {
                throw Failure(step: step, reason: SMTPClient.reason(error))
            }
        }

        /// Sends a command and reads its reply. The command itself never appears in a failure (AUTH carries the
        /// password): the step names it.
        @discardableResult
        mutating func command(_ line: String, expect codes: Set<Int>, step: String) async throws(Failure) -> SMTPReply {
            try await self.send(line, step: step)
            return try await self.expect(codes, step: step)
        }

        @discardableResult
        mutating func command(_ line: String, expect code: Int, step: String) async throws(Failure) -> SMTPReply {
            try await self.command(line, expect: [code], step: step)
        }
    }
}
