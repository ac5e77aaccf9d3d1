import Foundation

/// Decodes one JSON string literal with Foundation, for the escaped strings the fast reader hands over.
enum JSONStringDecoder {
    static func decode(_ literal: String) throws -> String {
        try JSONDecoder().decode(String.self, from: Data(literal.utf8))
    }
}
