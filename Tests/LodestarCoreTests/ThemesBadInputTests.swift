import Testing

@testable import LodestarCore

/// What a user may pipe into `lodestar themes`: each gives themes or a clear error, never a crash or a hang.
struct ThemesBadInputTests {
    @Test func emptyInputHasNoThemes() throws {
        #expect(try Themes.find(in: []) == Themes(assignments: [], themes: []))
    }

    @Test func oneLineIsOneTheme() throws {
        let themes = try Themes.find(in: ["the staging cluster is always broken"])
        #expect(themes.themes.count == 1 && themes.assignments == [1])
    }

    @Test func identicalLinesAreOneTheme() throws {
        let themes = try Themes.find(in: Array(repeating: "flaky integration tests block merges", count: 40))
        #expect(themes.themes.count == 1 && themes.themes[0].size == 40)
        #expect(themes.themes[0].label == "Flaky integration tests block merges")
    }

    @Test func moreClustersThanDistinctTextsStillGivesThemes() throws {
        let texts = Array(repeating: "slow builds", count: 10) + Array(repeating: "outdated docs", count: 10)
        let themes = try Themes.find(in: texts, clusters: 5)
        #expect(Set(themes.assignments[0..<10]).count == 1 && Set(themes.assignments[10..<20]).count == 1)
        #expect(themes.assignments[0] != themes.assignments[10])
    }

    @Test func emojiOnlyLinesAreOther() throws {
        let themes = try Themes.find(in: ["🚀🚀", "🔥", "😀😀😀"])
        #expect(themes.themes.isEmpty && themes.assignments == [0, 0, 0])
    }

    @Test func linesOfTenThousandCharactersAreGrouped() throws {
        let long = String(repeating: "the deploy pipeline waits on manual approval ", count: 230).prefix(10_000)
        let texts = Array(repeating: String(long), count: 3) + ["docs are outdated", "outdated docs again", "docs outdated"]
        let themes = try Themes.find(in: texts, clusters: 2)
        #expect(themes.assignments[0] == themes.assignments[1] && themes.assignments[0] != themes.assignments[3])
        #expect((2...6).contains(themes.themes.first { $0.size == 3 && $0.members.contains(0) }!.label.split(separator: " ").count))
    }

    @Test func sevenScriptsMixedGiveThemesInTheirOwnWords() throws {
        let lines = ["CI сборка очень медленная", "ビルドが遅い", "البناء بطيء جدا", "构建太慢了", "Der Build ist langsam", "बिल्ड धीमा है", "Η κατασκευή είναι αργή"]
        let themes = try Themes.find(in: Array(Array(repeating: lines, count: 4).joined()))
        #expect(!themes.themes.isEmpty)
        for theme in themes.themes { #expect(lines.contains { $0.lowercased().contains(theme.label.lowercased()) }) }
    }
}
