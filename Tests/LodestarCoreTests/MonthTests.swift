import Testing

@testable import LodestarCore

struct MonthTests {
    @Test func parsesYearAndMonth() throws {
        let month = try Month(parsing: "2026-11")
        #expect(month.year == 2026 && month.month == 11)
        #expect(month.description == "2026-11")
    }

    @Test(arguments: ["2026-13", "2026-00", "2026-1", "26-11", "2026/11", "2026-11-01", "", "abcd-ef", "２０２６-11"])
    func refusesMalformedMonths(_ text: String) {
        #expect(throws: MonthError.self) { try Month(parsing: text) }
    }

    @Test func addsMonthsAcrossYears() throws {
        let month = try Month(parsing: "2026-11")
        #expect(month.adding(months: 2).description == "2027-01")
        #expect(month.adding(months: -11).description == "2025-12")
    }

    @Test func knowsItsLength() throws {
        #expect(try Month(parsing: "2028-02").dayCount == 29)
        #expect(try Month(parsing: "2026-11").dayCount == 30)
    }
}
