import Foundation
import Testing

@testable import LodestarCore

struct DemoOrganisationTests {
    static let november = try! Month(parsing: "2026-11")
    static let today = Calendar.utc.date(from: DateComponents(year: 2026, month: 11, day: 23))!

    @Test func hasSixRoundsOfThirtyToSixtyAnswers() {
        let organisation = DemoOrganisation(lastMonth: Self.november, today: Self.today)
        #expect(organisation.rounds.map(\.month.description) == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"])
        #expect(organisation.rounds.allSatisfy { (30...60).contains($0.responses.count) })
        #expect(organisation.rounds.dropLast().allSatisfy { $0.mode == .invite && $0.invited >= $0.responses.count })
        #expect(organisation.rounds.last?.mode == .open)
    }

    @Test func isTheSameForTheSameSeed() {
        let first = DemoOrganisation(lastMonth: Self.november, today: Self.today)
        let second = DemoOrganisation(lastMonth: Self.november, today: Self.today)
        #expect(first.rounds.flatMap(\.responses).map(\.submission) == second.rounds.flatMap(\.responses).map(\.submission))
    }

    @Test func neverDatesAnAnswerAfterToday() {
        let organisation = DemoOrganisation(lastMonth: Self.november, today: Self.today)
        #expect(organisation.rounds.flatMap(\.responses).allSatisfy { Day.string(from: $0.day) <= Day.string(from: Self.today) })
    }

    @Test func usesFiveTeamsAndEveryTheme() {
        let answers = DemoOrganisation(lastMonth: Self.november, today: Self.today).rounds.flatMap(\.responses).map(\.submission)
        #expect(Set(answers.compactMap(\.team)).count == 5)
        let worst = Set(answers.compactMap { $0.answers["worst"] })
        #expect(DemoCorpus.themes.allSatisfy { theme in theme.worst.contains(where: worst.contains) })
    }

    @Test func neverRepeatsPraiseWithinAMonth() {
        for round in DemoOrganisation(lastMonth: Self.november, today: Self.today).rounds {
            let best = round.responses.compactMap { $0.submission.answers["best"] }
            #expect(Set(best).count == best.count)
        }
    }
}
