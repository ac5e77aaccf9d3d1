import Foundation

/// A calendar month such as `2026-11`, the unit a survey round and a report cover.
public struct Month: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// Creates a month, refusing anything outside 1...12 or years before 2000 and after 9999.
    public init(year: Int, month: Int) throws(MonthError) {
        guard (1...12).contains(month) else { throw MonthError.invalid("\(year)-\(month)", reason: "month must be 01 to 12") }
        guard (2000...9999).contains(year) else { throw MonthError.invalid("\(year)-\(month)", reason: "year must be 2000 to 9999") }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM`, exactly four and two digits.
    public init(parsing text: String) throws(MonthError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1])
        else {
            throw MonthError.invalid(text, reason: "expected YYYY-MM, for example 2026-11")
        }
        do {
            try self.init(year: year, month: month)
        } catch {
            throw MonthError.invalid(text, reason: "month must be 01 to 12")
        }
    }

    /// The month that contains `date`, in UTC.
    public init(containing date: Date) {
        let parts = Calendar.utc.dateComponents([.year, .month], from: date)
        self.year = parts.year!
        self.month = parts.month!
    }

    public var description: String { self.year.zeroPadded(4) + "-" + self.month.zeroPadded(2) }

    /// The month `count` months later (negative for earlier).
    ///
    /// The result may lie outside the years `init(year:month:)` accepts (10000-01 after 9999-12, 1999-12 before
    /// 2000-01): arithmetic at the ends of the range, such as the end of `--to 9999-12`, must not stop the process.
    public func adding(months count: Int) -> Month {
        let index = self.year * 12 + (self.month - 1) + count
        let (year, month) = index.quotientAndRemainder(dividingBy: 12)
        return Month(unchecked: month < 0 ? year - 1 : year, month: month < 0 ? month + 13 : month + 1)
    }

    /// A month from arithmetic on a valid one, without the range check.
    private init(unchecked year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// The first day of the month at 00:00 UTC.
    public var start: Date {
        Calendar.utc.date(from: DateComponents(year: self.year, month: self.month, day: 1))!
    }

    /// Number of days in the month.
    public var dayCount: Int {
        Calendar.utc.range(of: .day, in: .month, for: self.start)!.count
    }

    public static func < (lhs: Month, rhs: Month) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}

extension Month: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }
}

/// A month that could not be read.
public enum MonthError: Error, Equatable, CustomStringConvertible {
    case invalid(String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let text, let reason): "'\(text)' is not a valid month: \(reason)"
        }
    }
}

extension Calendar {
    /// A Gregorian calendar fixed to UTC, so that days and months never depend on the machine's zone.
    public static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}

/// A day in `YYYY-MM-DD` form, the resolution at which answers are timestamped.
public enum Day {
    /// Formats the UTC day of `date`.
    public static func string(from date: Date) -> String {
        String(Timestamp.iso8601(date).prefix(10))
    }
}
