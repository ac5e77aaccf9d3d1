import Foundation
import LodestarAnnounce
import LodestarTestSupport
import Testing

/// Against aiosmtpd on loopback with STARTTLS and a throwaway CA (see `LocalReceiver.mailServer`).
struct SMTPClientTests {
    let from = EmailAddress("lodestar@example.com")!
    let team = EmailAddress("team@example.com")!

    func message(to: [EmailAddress]? = nil, body: String = "Deployments +1%.\n") -> MailMessage {
        MailMessage(from: self.from, to: to ?? [self.team], subject: "Platform report · November 2026", body: body)
    }

    func client(_ server: LocalReceiver, host: String = "127.0.0.1", user: String? = nil, password: String? = nil, trusted: Bool = true) -> SMTPClient
    {
        let smtp = SMTPServer(host: host, port: server.port, username: user, password: password, caFile: trusted ? server.caFile : nil)
        return SMTPClient(server: smtp, timeout: LocalReceiver.patientTimeout)
    }

    /// What the server read back from each message it accepted.
    func delivered(_ server: LocalReceiver) throws -> [[String: Any]] {
        try server.received("message-").filter { $0.hasPrefix("{") }.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func deliversOverSTARTTLSWithTheHeadersAndBodyIntact() async throws {
        let server = try LocalReceiver.mailServer()
        try await self.client(server).send(self.message(body: "Deployments → +1%.\n.a line that starts with a dot\n"))
        let message = try #require(try self.delivered(server).first)
        #expect(message["tls"] as? Bool == true)
        #expect(message["from"] as? String == "lodestar@example.com" && message["to"] as? [String] == ["team@example.com"])
        #expect(message["subject"] as? String == "Platform report · November 2026")
        #expect((message["body"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == "Deployments → +1%.\n.a line that starts with a dot\n")
        let headers = try #require(message["headers"] as? [String: String])
        for name in ["Date", "From", "To", "Message-ID", "MIME-Version", "Content-Type"] { #expect(headers[name] != nil, "\(name)") }
        #expect(server.events.filter { $0.hasPrefix("EHLO") }.map { $0.hasSuffix("tls=True") } == [false, true])
    }

    @Test func checksTheCertificateAgainstTheServersName() async throws {
        let server = try LocalReceiver.mailServer()
        try await self.client(server, host: "localhost").send(self.message())
        #expect(try self.delivered(server).count == 1)
    }

    @Test func authenticatesWithPlainOnlyOverTLS() async throws {
        let server = try LocalReceiver.mailServer(credentials: ("alice", "s3cret"))
        try await self.client(server, user: "alice", password: "s3cret").send(self.message())
        #expect(try self.delivered(server).first?["authenticated"] as? Bool == true)
        #expect(server.events.contains("AUTH PLAIN alice"))
    }

    @Test func aWrongPasswordFailsAtAuthWithoutSendingTheMail() async throws {
        let server = try LocalReceiver.mailServer(credentials: ("alice", "s3cret"))
        do {
            try await self.client(server, user: "alice", password: "wrong-one").send(self.message())
            Issue.record("a wrong password was accepted")
        } catch {
            #expect(error.step == "AUTH PLAIN" && error.reason.contains("535"), "\(error)")
            #expect(!error.description.contains("wrong-one"))
        }
        #expect(!server.events.contains { $0.hasPrefix("MAIL") })
    }

    @Test func refusesAServerWithoutSTARTTLSAndSendsNothing() async throws {
        let server = try LocalReceiver.mailServer(tls: .none, credentials: ("alice", "s3cret"))
        do {
            try await self.client(server, user: "alice", password: "s3cret", trusted: false).send(self.message())
            Issue.record("mail went over a connection without TLS")
        } catch {
            #expect(error.step == "STARTTLS" && error.reason.contains("does not offer STARTTLS"), "\(error)")
        }
        #expect(server.events.allSatisfy { $0.hasPrefix("EHLO") })
        #expect(try self.delivered(server).isEmpty)
    }

    @Test func sendsWithoutTLSToThisMachineOnlyWhenTurnedOff() async throws {
        let server = try LocalReceiver.mailServer(tls: .none)
        let smtp = try SMTPServer(url: "smtp://127.0.0.1:\(server.port)?starttls=off")
        try await SMTPClient(server: smtp, timeout: LocalReceiver.patientTimeout).send(self.message())
        #expect(try self.delivered(server).first?["tls"] as? Bool == false)
    }

    @Test func refusesACertificateItDoesNotTrust() async throws {
        let server = try LocalReceiver.mailServer()
        do {
            try await self.client(server, trusted: false).send(self.message())
            Issue.record("an untrusted certificate was accepted")
        } catch {
            #expect(error.reason.contains("certificate is not trusted") && error.reason.contains("LODESTAR_SMTP_CA_FILE"), "\(error)")
        }
        #expect(!server.events.contains { $0.hasPrefix("MAIL") })
    }

    @Test func namesTheRecipientTheServerRefused() async throws {
        let server = try LocalReceiver.mailServer()
        do {
            try await self.client(server).send(self.message(to: [self.team, EmailAddress("nobody@refused.example")!]))
            Issue.record("a refused recipient was taken for success")
        } catch {
            #expect(error.step == "RCPT TO <nobody@refused.example>" && error.reason.contains("550"))
        }
        #expect(try self.delivered(server).isEmpty)
    }

    @Test func aServerThatIsNotThereFailsAtConnect() async throws {
        let port = try LocalReceiver.webhook().port  // started and stopped: nothing listens there now
        do {
            try await SMTPClient(server: SMTPServer(host: "127.0.0.1", port: port), timeout: .seconds(5)).send(self.message())
            Issue.record("sending to a closed port succeeded")
        } catch {
            #expect(error.step == "connect" && error.reason.contains("127.0.0.1"))
        }
    }
}
