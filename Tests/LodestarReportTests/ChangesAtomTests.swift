import Foundation
import LodestarCore
import LodestarReport
import Testing

/// Text in the Atom feed: escaped for XML and without the characters XML 1.0 forbids.
struct ChangesAtomTests {
    @Test func escapesTheFiveXMLSpecialCharacters() {
        #expect(XMLText.escaped(#"a & b < c > d " e ' f"#) == "a &amp; b &lt; c &gt; d &quot; e &apos; f")
    }

    @Test func dropsControlCharactersXMLDoesNotAllowAndKeepsTheRest() {
        #expect(XMLText.escaped("bell\u{07} nul\u{00} esc\u{1B} tab\t line\n cr\r \u{FFFE}\u{FFFF}é 🚀") == "bell nul esc tab\t line\n cr\r é 🚀")
        #expect(XMLText.stripped("<b>\u{0C}</b>") == "<b></b>")
    }
}
