import Testing

@testable import LodestarCore

struct ThemeTitlesTests {
    /// The demo corpus by its true themes, each theme's answers in corpus order and a little less central each.
    struct Month {
        var texts: [String] = []
        var members: [[Int]] = []
        var similarity: [[Float]] = []

        mutating func add(_ answers: [String]) {
            self.members.append(answers.indices.map { self.texts.count + $0 })
            self.similarity.append(answers.indices.map { 0.9 - Float($0) * 0.01 })
            self.texts += answers
        }

        var titles: [String] { ThemeTitles.titles(texts: self.texts, members: self.members, similarity: self.similarity) }
    }

    static var demo: Month {
        var month = Month()
        for theme in DemoCorpus.themes { month.add(theme.worst + theme.change) }
        return month
    }

    static func words(_ text: String) -> [String] { TitleScanner.tokens(text).map(\.lower) }

    /// Whether the answer holds the title's words in a row, matched by stem as titles are ("rolled back" for "roll back").
    static func contains(_ answer: String, _ title: String) -> Bool {
        func stems(_ text: String) -> String { " " + Self.words(text).map(EnglishStemmer.stem).joined(separator: " ") + " " }
        return stems(answer).contains(stems(title))
    }

    @Test func everyTitleHasTwoToSixWords() {
        let titles = Self.demo.titles
        #expect(titles.count == DemoCorpus.themes.count)
        for title in titles { #expect((2...6).contains(Self.words(title).count), "\(title)") }
    }

    @Test func everyTitleOccursInTwoAnswersOrTheMostCentral() {
        let month = Self.demo
        for (theme, title) in month.titles.enumerated() {
            let answers = month.members[theme].map { month.texts[$0] }
            let holding = answers.filter { Self.contains($0, title) }
            #expect(holding.count >= 2 || Self.contains(answers[0], title), "\(title)")
        }
    }

    @Test func noTitleRepeatsAWord() {
        for title in Self.demo.titles {
            let words = Self.words(title)
            #expect(Set(words).count == words.count, "\(title)")
        }
    }

    @Test func noTwoThemesOfAMonthShareATitle() {
        var month = Self.demo
        // Two themes with the very same answers still get two titles.
        month.add(["flaky tests again", "flaky tests everywhere"])
        month.add(["flaky tests again", "flaky tests everywhere"])
        let titles = month.titles.map { $0.lowercased() }
        #expect(Set(titles).count == titles.count)
    }

    @Test func titlesNeitherStartNorEndWithAStopWord() {
        for title in Self.demo.titles {
            let words = Self.words(title)
            #expect(!StopWords.contains(words.first ?? "") && !StopWords.contains(words.last ?? ""), "\(title)")
        }
    }

    @Test func aTitleNeverRunsAcrossTheSpeakerOrAVerbToBe() {
        var month = Month()
        month.add(["is it a flake or something I broke", "flake or something I broke again", "a flake or something I broke, no idea"])
        month.add(["docs are outdated", "the docs are outdated", "docs are outdated again"])
        let words = Self.words(month.titles[0]) + Self.words(month.titles[1])
        #expect(!words.contains { PhraseIndex.breaks.contains($0) }, "\(month.titles)")
        for title in Self.demo.titles { #expect(!Self.words(title).contains { PhraseIndex.breaks.contains($0) }, "\(title)") }
    }

    @Test func titlesAreWrittenWordsNotStems() {
        var month = Month()
        month.add(["Flaky tests everywhere.", "so many flaky tests", "the flaky tests again"])
        month.add(["docs are outdated", "outdated docs", "the wiki is outdated docs"])
        #expect(month.titles == ["Flaky tests", "Outdated docs"])
    }

    @Test func keepsAcronymsAsWritten() {
        var month = Month()
        month.add(["slow CI builds", "Our slow CI builds again", "slow ci builds"])
        month.add(["docs are outdated", "outdated docs", "outdated docs again"])
        #expect(month.titles[0] == "Slow CI builds")
    }

    @Test func themesOfSingleWordsOrEmojiStillGetATitle() {
        var month = Month()
        month.add(["Jenkins", "jenkins!", "Jenkins."])
        month.add(["🐌", "🐌🐌", "🔥"])
        month.add(["outdated docs", "outdated docs please"])
        let titles = month.titles
        #expect(titles[0] == "Jenkins")
        #expect(titles[1] == "🐌")
        #expect(titles[2] == "Outdated docs")
    }

    @Test func themesWithoutMembersGetAPlaceholder() {
        var month = Month()
        month.add(["outdated docs", "outdated docs please"])
        month.members.append([])
        month.similarity.append([])
        #expect(month.titles == ["Outdated docs", "No answers"])
        #expect(ThemeTitles.titles(texts: [], members: [], similarity: []).isEmpty)
    }

    @Test func theSameInputGivesTheSameTitles() {
        let month = Self.demo
        #expect(month.titles == month.titles)
        #expect(month.titles == Self.demo.titles)
    }
}
