/// Splits one CSV line (RFC 4180 quoting: fields in double quotes may hold commas, quotes are doubled).
public enum CSVLine {
    public struct Malformed: Error, Equatable {
        public var message: String
    }

    public static func fields(_ line: Substring) throws(Malformed) -> [String] {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var wasQuoted = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            if inQuotes {
                if character == "\"" {
                    inQuotes = false
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                if wasQuoted { current.append("\"") }  // a doubled quote inside a quoted field
                inQuotes = true
                wasQuoted = true
            } else if character == "," {
                fields.append(current)
                current = ""
                wasQuoted = false
            } else if character == "\r" {
                continue
            } else {
                current.append(character)
            }
        }
        guard !inQuotes else { throw Malformed(message: "a quoted field is not closed") }
        fields.append(current)
        return fields
    }
}
