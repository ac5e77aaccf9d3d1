import Foundation
import LodestarAnnounce
import LodestarCore
import Testing

struct MailMessageTests {
    let from = EmailAddress("lodestar@example.com")!
    let to = [EmailAddress("team@example.com")!, EmailAddress("lead@example.com")!]

    func message(subject: String = "Platform report · November 2026", body: String = "Deployments +1%.") -> MailMessage {
        MailMessage(
            from: self.from, to: self.to, subject: subject, body: body, date: Date(timeIntervalSince1970: 1_796_529_000), messageID: "m1@example.com")
    }

    func headers(_ message: MailMessage) -> [String] {
        let rendered = message.rendered
        return String(rendered[..<rendered.range(of: "\r\n\r\n")!.lowerBound]).components(separatedBy: "\r\n")
    }

    @Test func hasTheHeadersEveryClientExpects() {
        let headers = self.headers(self.message())
        #expect(headers.contains("Date: Sun, 06 Dec 2026 03:50:00 +0000"))
        #expect(headers.contains("From: Lodestar <lodestar@example.com>"))
        #expect(headers.contains("To: team@example.com,") && headers.contains(" lead@example.com"))
        #expect(headers.contains("Message-ID: <m1@example.com>"))
        #expect(headers.contains("MIME-Version: 1.0"))
        #expect(headers.contains("Content-Type: text/plain; charset=utf-8"))
    }

    @Test func encodesASubjectOutsideASCIIAsEncodedWords() throws {
        let subject = "Platform report · " + String(repeating: "Überblick ", count: 8)
        let lines = self.headers(self.message(subject: subject))
        let start = try #require(lines.firstIndex { $0.hasPrefix("Subject: ") })
        let folded =
            [String(lines[start].dropFirst("Subject: ".count))] + lines[(start + 1)...].prefix { $0.hasPrefix(" ") }.map { String($0.dropFirst()) }
        #expect(folded.count > 1)
        var bytes = Data()
        for word in folded {
            #expect(word.count <= 75 && word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            bytes += try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
        }
        #expect(String(decoding: bytes, as: UTF8.self) == subject)
    }

    @Test func keepsAnASCIISubjectAsItIs() {
        #expect(self.headers(self.message(subject: "Platform report")).contains("Subject: Platform report"))
    }

    @Test func bodyIsQuotedPrintableWithShortCRLFLines() {
        let body = "Deployments → +1% = better; " + String(repeating: "long words ", count: 20) + "\n.a line starting with a dot\n"
        let rendered = self.message(body: body).rendered
        let encoded = String(rendered[rendered.range(of: "\r\n\r\n")!.upperBound...])
        #expect(encoded.contains("=E2=86=92") && encoded.contains("=3D better"))
        #expect(!encoded.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
    }
}
