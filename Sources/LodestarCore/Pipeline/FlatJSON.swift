/// A value of a flat JSON record: text, number, bool, null, or a list of texts.
public enum FlatValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case strings([String])

    /// A number read where text is wanted: whole numbers without a decimal point (an id sent as `7` is "7"); a number
    /// too large for `Int` (`1e300`) keeps Double's spelling rather than trapping in the conversion.
    static func text(of number: Double) -> String {
        Int(exactly: number).map { String($0) } ?? String(number)
    }
}

/// Any JSON value, read without a schema so that a type error can be reported for its own field.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

/// Reads one JSON object whose values are scalars or lists of scalars — the shape of a generic pipeline record —
/// straight from UTF-8 bytes. A million lines go through this, so it avoids Foundation's general JSON machinery.
/// `parseValue` reads any JSON document with the same scanner, for request bodies checked field by field.
public struct FlatJSON {
    public struct Malformed: Error, Equatable {
        public var message: String
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    /// Parses an object from `bytes`; nested objects are refused.
    public static func parseObject(_ bytes: UnsafeBufferPointer<UInt8>) throws(Malformed) -> [String: FlatValue] {
        var reader = FlatJSON(bytes: bytes)
        let fields = try reader.object()
        reader.skipSpace()
        guard reader.index == reader.bytes.count else { throw Malformed(message: "unexpected text after the object") }
        return fields
    }

    /// A body of several records that is not readable; `record` is the index of the record at fault.
    public struct RecordsMalformed: Error, Equatable {
        public var message: String
        public var record: Int?
    }

    /// Parses a JSON array of objects, or objects one after another (NDJSON), or a single object.
    public static func parseRecords(_ bytes: [UInt8]) throws(RecordsMalformed) -> [[String: FlatValue]] {
        let result: Result<[[String: FlatValue]], RecordsMalformed> = bytes.withUnsafeBufferPointer { buffer in
            var reader = FlatJSON(bytes: buffer)
            var records: [[String: FlatValue]] = []
            reader.skipSpace()
            let isArray = reader.consume(UInt8(ascii: "["))
            reader.skipSpace()
            if isArray, reader.consume(UInt8(ascii: "]")) { return .success([]) }
            while true {
                reader.skipSpace()
                if !isArray, reader.index == reader.bytes.count { return .success(records) }
                switch Result(catching: { () throws(Malformed) in try reader.object() }) {
                case .success(let record): records.append(record)
                case .failure(let error): return .failure(RecordsMalformed(message: error.message, record: records.count))
                }
                reader.skipSpace()
                if isArray {
                    if reader.consume(UInt8(ascii: ",")) { continue }
                    guard reader.consume(UInt8(ascii: "]")) else {
                        return .failure(RecordsMalformed(message: "expected ',' or ']' after a record", record: records.count - 1))
                    }
                    reader.skipSpace()
                    guard reader.index == reader.bytes.count else { return .failure(RecordsMalformed(message: "unexpected text after the array")) }
                    return .success(records)
                }
            }
        }
        return try result.get()
    }

    public static func parseObject(_ text: String) throws(Malformed) -> [String: FlatValue] {
        var text = text
        let result: Result<[String: FlatValue], Malformed> = text.withUTF8 { buffer in
            Result { () throws(Malformed) in try Self.parseObject(buffer) }
        }
        return try result.get()
    }

    /// Parses any JSON document, nested to at most `maxDepth` arrays and objects.
    public static func parseValue(_ text: String, maxDepth: Int = 16) throws(Malformed) -> JSONValue {
        var text = text
        let result: Result<JSONValue, Malformed> = text.withUTF8 { buffer in
            Result { () throws(Malformed) in
                var reader = FlatJSON(bytes: buffer)
                reader.skipSpace()
                let value = try reader.anyValue(depth: maxDepth, key: "the body")
                reader.skipSpace()
                guard reader.index == reader.bytes.count else { throw Malformed(message: "unexpected text after the JSON value") }
                return value
            }
        }
        return try result.get()
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private mutating func object() throws(Malformed) -> [String: FlatValue] {
        self.skipSpace()
        guard self.consume(UInt8(ascii: "{")) else { throw Malformed(message: "expected a JSON object") }
        return try self.members { reader, key throws(Malformed) in try reader.value(key: key) }
    }

    /// The members of an object whose `{` was just read, each value read by `value`, up to the closing `}`.
    private mutating func members<Value>(_ value: (inout FlatJSON, String) throws(Malformed) -> Value) throws(Malformed) -> [String: Value] {
        var fields: [String: Value] = [:]
        self.skipSpace()
        if self.consume(UInt8(ascii: "}")) { return fields }
        while true {
            self.skipSpace()
            let key = try self.string()
            self.skipSpace()
            guard self.consume(UInt8(ascii: ":")) else { throw Malformed(message: "expected ':' after \"\(key)\"") }
            self.skipSpace()
            fields[key] = try value(&self, key)
            self.skipSpace()
            if self.consume(UInt8(ascii: ",")) { continue }
            if self.consume(UInt8(ascii: "}")) { return fields }
            throw Malformed(message: "expected ',' or '}' after \"\(key)\"")
        }
    }

    /// The items of a list whose `[` was just read, each read by `item`, up to the closing `]`.
    private mutating func items<Item>(in key: String, _ item: (inout FlatJSON) throws(Malformed) -> Item) throws(Malformed) -> [Item] {
        var items: [Item] = []
        self.skipSpace()
        if self.consume(UInt8(ascii: "]")) { return items }
        while true {
            self.skipSpace()
            items.append(try item(&self))
            self.skipSpace()
            if self.consume(UInt8(ascii: ",")) { continue }
            if self.consume(UInt8(ascii: "]")) { return items }
            throw Malformed(message: "expected ',' or ']' in \"\(key)\"")
        }
    }

    private mutating func value(key: String) throws(Malformed) -> FlatValue {
        guard self.index < self.bytes.count else { throw Malformed(message: "missing value for \"\(key)\"") }
        switch self.bytes[self.index] {
        case UInt8(ascii: "\""): return .string(try self.string())
        case UInt8(ascii: "["):
            self.index += 1
            return .strings(
                try self.items(in: key) { reader throws(Malformed) in
                    // Items are scalars: a nested list is refused before it is read, so `[[[[…` cannot exhaust the stack.
                    let next = reader.index < reader.bytes.count ? reader.bytes[reader.index] : 0
                    if next == UInt8(ascii: "[") || next == UInt8(ascii: "{") { throw Malformed(message: "\"\(key)\" must be a list of text") }
                    switch try reader.value(key: key) {
                    case .string(let text): return text
                    case .number(let number): return FlatValue.text(of: number)
                    default: throw Malformed(message: "\"\(key)\" must be a list of text")
                    }
                }
            )
        case UInt8(ascii: "{"): throw Malformed(message: "\"\(key)\" must not be an object")
        case UInt8(ascii: "t"): return try self.literal("true", .bool(true))
        case UInt8(ascii: "f"): return try self.literal("false", .bool(false))
        case UInt8(ascii: "n"): return try self.literal("null", .null)
        default: return .number(try self.number(key: key))
        }
    }

    private mutating func anyValue(depth: Int, key: String) throws(Malformed) -> JSONValue {
        guard self.index < self.bytes.count else { throw Malformed(message: "unexpected end of the JSON text") }
        switch self.bytes[self.index] {
        case UInt8(ascii: "\""): return .string(try self.string())
        case UInt8(ascii: "["):
            guard depth > 0 else { throw Malformed(message: "nested too deeply") }
            self.index += 1
            return .array(try self.items(in: key) { reader throws(Malformed) in try reader.anyValue(depth: depth - 1, key: key) })
        case UInt8(ascii: "{"):
            guard depth > 0 else { throw Malformed(message: "nested too deeply") }
            self.index += 1
            return .object(try self.members { reader, field throws(Malformed) in try reader.anyValue(depth: depth - 1, key: field) })
        case UInt8(ascii: "t"): return try self.literal("true", JSONValue.bool(true))
        case UInt8(ascii: "f"): return try self.literal("false", JSONValue.bool(false))
        case UInt8(ascii: "n"): return try self.literal("null", JSONValue.null)
        default: return .number(try self.number(key: key))
        }
    }

    private mutating func literal<Value>(_ word: String, _ value: Value) throws(Malformed) -> Value {
        let expected = Array(word.utf8)
        guard self.index + expected.count <= self.bytes.count else { throw Malformed(message: "unexpected end of line") }
        for offset in expected.indices where self.bytes[self.index + offset] != expected[offset] {
            throw Malformed(message: "unexpected character")
        }
        let count = expected.count
        self.index += count
        return value
    }

    private mutating func number(key: String) throws(Malformed) -> Double {
        let start = self.index
        while self.index < self.bytes.count, Self.isNumberByte(self.bytes[self.index]) { self.index += 1 }
        guard self.index > start, let value = Double(String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self))
        else { throw Malformed(message: "\"\(key)\" has a value that is not JSON") }
        return value
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    private mutating func string() throws(Malformed) -> String {
        guard self.consume(UInt8(ascii: "\"")) else { throw Malformed(message: "expected a string") }
        let start = self.index
        var simple = true
        var ascii = true
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: self.bytes[start..<self.index])
                self.index += 1
                // ASCII needs no validation; `String(validating:)` is generic and looks up type metadata on each call.
                let text: String? = ascii ? String(decoding: raw, as: UTF8.self) : String(validating: raw, as: UTF8.self)
                guard let text else { throw Malformed(message: "text is not valid UTF-8") }
                return simple ? text : try Self.unescape(text)
            }
            if byte >= 0x80 { ascii = false }
            if byte == UInt8(ascii: "\\") {
                simple = false
                self.index += 1
            } else if byte < 0x20 {
                throw Malformed(message: "control character in a string")
            }
            self.index += 1
        }
        throw Malformed(message: "unterminated string")
    }

    /// The rare escaped string goes through the standard decoder, which knows every escape.
    private static func unescape(_ body: String) throws(Malformed) -> String {
        do {
            return try JSONStringDecoder.decode("\"" + body + "\"")
        } catch {
            throw Malformed(message: "invalid escape in a string")
        }
    }

    private mutating func skipSpace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case 32, 9, 13, 10: self.index += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard self.index < self.bytes.count, self.bytes[self.index] == byte else { return false }
        self.index += 1
        return true
    }
}
