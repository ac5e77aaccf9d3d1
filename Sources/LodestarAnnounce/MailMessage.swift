import Foundation

/// A plain-text e-mail as RFC 5322 and MIME spell it: CRLF line ends, the headers every client expects, a subject
/// outside ASCII as RFC 2047 encoded words, and a UTF-8 body in quoted-printable so it passes any server (no
/// 8BITMIME needed) and no line runs past 76 characters.
public struct MailMessage: Sendable, Equatable {
    public var from: EmailAddress
    public var to: [EmailAddress]
    public var subject: String
    public var body: String
    public var date: Date
    /// Without the angle brackets: `<uuid>@<sender's domain>`.
    public var messageID: String

    public init(from: EmailAddress, to: [EmailAddress], subject: String, body: String, date: Date = Date(), messageID: String? = nil) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = messageID ?? "\(UUID().uuidString.lowercased())@\(from.domain)"
    }

    /// The whole message, headers and body, with CRLF line ends (before SMTP's dot-stuffing).
    public var rendered: String {
        let headers = [
            "Date: \(Self.dateHeader(self.date))",
            "From: Lodestar <\(self.from)>",
            "To: " + self.to.map(\.text).joined(separator: ",\r\n "),
            "Subject: \(Self.encodedHeader(self.subject))",
            "Message-ID: <\(self.messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "Auto-Submitted: auto-generated",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + Self.quotedPrintable(self.body)
    }

    // MARK: - Encodings

    /// RFC 5322's date: `Sun, 06 Dec 2026 04:10:00 +0000`.
    static func dateHeader(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    /// `text` as is when it is printable ASCII, else RFC 2047 `=?UTF-8?B?…?=` words of at most 75 characters,
    /// split between characters (never inside one) and folded onto continuation lines.
    static func encodedHeader(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if flat.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }) && flat.utf8.count <= 900 { return flat }
        // 45 bytes are 60 base64 characters: with `=?UTF-8?B?` and `?=` a word stays within 75.
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in flat {
            let bytes = Array(character.utf8)
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// RFC 2045's quoted-printable of `text`'s UTF-8, with CRLF line ends and soft breaks keeping lines within 76.
    static func quotedPrintable(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.map { Self.quotedPrintableLine(Array($0.utf8)) }.joined(separator: "\r\n")
    }

    static func quotedPrintableLine(_ bytes: [UInt8]) -> String {
        var output: [String] = []
        var line = ""
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 0x20 || byte == 0x09) && !isLast)
            let piece = literal ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
            // A soft break is `=` at the end of a line, so a line holds 75 characters of content.
            if line.count + piece.count > 75 {
                output.append(line + "=")
                line = ""
            }
            line += piece
        }
        output.append(line)
        return output.joined(separator: "\r\n")
    }
}
