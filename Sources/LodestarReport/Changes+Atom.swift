import Foundation
import LodestarCore

extension Changes {
    /// The page's path, the target of every entry's link.
    public static let pagePath = "/changes"
    /// The feed's own path, its `rel="self"` link.
    public static let feedPath = "/changes.atom"

    /// The changes as an Atom feed (RFC 4287): one entry per moved epic, its id stable while the epic keeps its status.
    /// Links are relative to the feed's own address, as the server does not know the name it is reached by. Every
    /// text is escaped and stripped of the characters XML 1.0 does not allow, so the feed always parses.
    public func atom() -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
        xml += "<id>\(XMLText.escaped(self.feedId))</id>\n"
        xml += "<title>You said → we did</title>\n"
        xml += "<subtitle>What the platform team did with the developer survey's answers: every epic a lead moved on.</subtitle>\n"
        xml += "<updated>\(Timestamp.iso8601(self.updated))</updated>\n"
        xml += "<link rel=\"self\" type=\"application/atom+xml\" href=\"\(Self.feedPath)\"/>\n"
        xml += "<link rel=\"alternate\" type=\"text/html\" href=\"\(Self.pagePath)\"/>\n"
        xml += "<author><name>Lodestar</name></author>\n<generator>Lodestar</generator>\n"
        for entry in self.entries {
            xml += "<entry>\n<id>\(XMLText.escaped(entry.entryId))</id>\n"
            xml += "<title type=\"text\">\(XMLText.escaped(entry.headline))</title>\n"
            xml += "<updated>\(Timestamp.iso8601(entry.updated))</updated>\n"
            xml += "<link rel=\"alternate\" type=\"text/html\" href=\"\(Self.pagePath)#\(entry.anchor)\"/>\n"
            xml += "<content type=\"text\">\(XMLText.escaped(entry.summary))</content>\n</entry>\n"
        }
        return xml + "</feed>\n"
    }
}

extension Changes.Entry {
    /// The fragment of the entry on the page: `epic-12`.
    public var anchor: String { "epic-\(self.epicId)" }

    /// "Done: More CI runners", or "Done: an epic raised in 2026-09" when its title is withheld.
    public var headline: String {
        "\(self.status.displayName): " + (self.title ?? "an epic raised in \(self.month)")
    }

    /// "Raised in 2026-09 by 12 respondents; 4 raised it in 2026-11." and the note of a dropped epic, or why the
    /// numbers are not shown.
    public var respondentsWords: String {
        if let withheld = self.withheld { return withheld }
        var words = "Raised in \(self.month) by \(Self.people(self.respondentsThen ?? 0))"
        if let now = self.nowMonth {
            if let count = self.respondentsNow {
                words += "; \(count == 0 ? "nobody" : Self.people(count)) raised it in \(now)"
            } else if let why = self.nowWithheld {
                words += "; \(why)"
            }
        }
        return words + "."
    }

    /// The entry's text: status, respondents then and now, the note of a dropped epic.
    var summary: String {
        var text = "\(self.status.displayName). \(self.respondentsWords)"
        if let note = self.note { text += "\nNote from the platform team: \(note)" }
        return text
    }

    static func people(_ count: Int) -> String { count == 1 ? "1 respondent" : "\(count) respondents" }
}

/// Text for XML 1.0 documents.
public enum XMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` escaped and the characters XML 1.0 does not allow (controls other than
    /// tab, line feed and carriage return; U+FFFE and U+FFFF) left out. `'` becomes `apostrophe`: SVG inlined in HTML
    /// takes `&#39;`, which works everywhere there.
    public static func escaped(_ text: String, apostrophe: String = "&apos;") -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += apostrophe
            case _ where !Self.allowed(scalar): continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether XML 1.0 allows the character (its `Char` production).
    public static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// `text` without the characters XML 1.0 does not allow, for HTML that is escaped elsewhere.
    public static func stripped(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: text.unicodeScalars.filter(Self.allowed))
        return String(out)
    }
}
