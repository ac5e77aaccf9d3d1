import LodestarCore

/// Decoding of `application/x-www-form-urlencoded` bodies.
///
/// Works on the UTF-8 bytes: splitting a `String` walks grapheme clusters and Foundation's `removingPercentEncoding`
/// bridges through NSString, and together they were a fifth of the form endpoint's time.
enum FormData {
    struct Malformed: Error {
        let field: String
    }

    /// Name → value; `+` is a space; a percent escape that is not valid UTF-8 is refused, naming its field.
    static func parse(_ body: String) throws -> [String: String] {
        let bytes = Array(body.utf8)
        var fields: [String: String] = [:]
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
            let rawName = pair[pair.startIndex..<equals]
            let rawValue = equals == pair.endIndex ? [] : pair[(equals + 1)...]
            guard let name = Self.decode(rawName) else { throw Malformed(field: String(decoding: rawName.prefix(40), as: UTF8.self)) }
            guard let value = Self.decode(rawValue) else { throw Malformed(field: name) }
            fields[name] = value
        }
        return fields
    }

    private static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(validating: bytes, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch bytes[index] {
            case UInt8(ascii: "+"):
                out.append(UInt8(ascii: " "))
                index += 1
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.endIndex, let high = bytes[index + 1].hexDigitValue, let low = bytes[index + 2].hexDigitValue
                else { return nil }
                out.append(high << 4 | low)
                index += 3
            default:
                out.append(bytes[index])
                index += 1
            }
        }
        return String(validating: out, as: UTF8.self)
    }
}
