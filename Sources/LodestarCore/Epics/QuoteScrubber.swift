import Foundation

/// Takes out of a quoted answer what could point at a person or open a door: e-mail addresses, links (which may
/// carry an invitation or a session token) and @handles. Applied wherever an answer is quoted.
public enum QuoteScrubber {
    public static func scrub(_ text: String) -> String {
        guard text.contains("@") || text.contains("://") || text.contains("www.") else { return text }
        var text = text
        text.replace(/[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}/, with: "[e-mail]")
        text.replace(/(?:https?:\/\/|www\.)[^\s<>"]+/, with: "[link]")
        // A handle starts a word: "@ana" is one, "ana@host" was an address above.
        text.replace(/(^|[\s(\["'])@[A-Za-z0-9_][A-Za-z0-9_.\-]*/) { match in "\(match.output.1)@[handle]" }
        return text
    }
}
