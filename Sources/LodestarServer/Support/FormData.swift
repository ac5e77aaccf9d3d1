import Foundation

/// Decoding of `application/x-www-form-urlencoded` bodies.
enum FormData {
    struct Malformed: Error {
        let field: String
    }

    /// Name → value; `+` is a space; a percent escape that is not valid UTF-8 is refused, naming its field.
    static func parse(_ body: String) throws -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { throw Malformed(field: String(parts[0].prefix(40))) }
            guard let value = Self.decode(parts.count > 1 ? parts[1] : "") else { throw Malformed(field: name) }
            fields[name] = value
        }
        return fields
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
