/// Small formatters for hot paths. Foundation's `String(format:)` goes through CoreFoundation's general formatter,
/// which showed up in profiles of the answer and form endpoints.
extension Int {
    /// The decimal digits, with leading zeros up to `width`: `7.zeroPadded(2)` is `07`.
    public func zeroPadded(_ width: Int) -> String {
        let digits = String(self.magnitude)
        let padding = digits.count >= width ? "" : String(repeating: "0", count: width - digits.count)
        return (self < 0 ? "-" : "") + padding + digits
    }
}

extension Sequence<UInt8> {
    /// Lower-case hexadecimal, two digits a byte.
    public var hexEncoded: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(self.underestimatedCount * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension UInt8 {
    /// The value of this byte read as one hexadecimal digit, either case; nil for any other byte.
    public var hexDigitValue: UInt8? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): self - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): self - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): self - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension [UInt8] {
    /// The bytes of lower- or upper-case hexadecimal text; nil when it is not an even number of hex digits.
    public init?(hexEncoded text: some StringProtocol) {
        let digits = Array(text.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = digits[index].hexDigitValue, let low = digits[index + 1].hexDigitValue else { return nil }
            bytes.append(high << 4 | low)
        }
        self = bytes
    }
}

extension String {
    /// `lowercased()`, without allocating a copy when there is nothing to lower (commit shas usually arrive lower-case).
    public var lowercasedIfNeeded: String {
        self.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") || $0 >= 0x80 }) ? self.lowercased() : self
    }
}
