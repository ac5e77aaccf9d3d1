import Testing

@testable import LodestarCore

struct EnglishStemmerTests {
    /// Pairs from the published Porter2 sample vocabulary, and the classic cases each step exists for.
    @Test(arguments: [
        ("consign", "consign"), ("consigned", "consign"), ("consigning", "consign"), ("consignment", "consign"),
        ("consistency", "consist"), ("consistent", "consist"), ("consistently", "consist"), ("consolation", "consol"),
        ("consolatory", "consolatori"), ("consolidate", "consolid"), ("consolingly", "consol"), ("conspicuous", "conspicu"),
        ("conspiracy", "conspiraci"), ("conspirator", "conspir"), ("constable", "constabl"), ("constancy", "constanc"),
        ("knackeries", "knackeri"), ("knaves", "knave"), ("kneeling", "kneel"), ("knightly", "knight"), ("knitting", "knit"),
        ("knives", "knive"), ("knocker", "knocker"),
        ("caresses", "caress"), ("ponies", "poni"), ("ties", "tie"), ("cries", "cri"), ("cats", "cat"), ("gaps", "gap"),
        ("gas", "gas"), ("running", "run"), ("hopping", "hop"), ("hoping", "hope"), ("agreed", "agre"), ("feed", "feed"),
        ("cry", "cri"), ("by", "by"), ("say", "say"), ("generously", "generous"), ("relational", "relat"),
        ("electricity", "electr"), ("hopefulness", "hope"),
        ("skies", "sky"), ("dying", "die"), ("news", "news"), ("succeed", "succeed"), ("inning", "inning"),
        ("builds", "build"), ("deployments", "deploy"), ("deploying", "deploy"), ("flaky", "flaki"), ("environments", "environ"),
    ])
    func stems(_ word: String, _ stem: String) {
        #expect(EnglishStemmer.stem(word) == stem)
    }

    @Test(arguments: ["k8s", "node.js", "ci/cd", "c#", "déploiement", "日本語", "s3"])
    func leavesTermsThatAreNotPlainEnglishWords(_ term: String) {
        #expect(EnglishStemmer.stem(term) == term)
    }
}

struct TokenizerTests {
    @Test func keepsTechnicalTermsAndDropsPunctuationEmojiAndBareNumbers() {
        let text = "Our k8s CI/CD pipeline (Node.js, C#, C++) doesn’t work — 25 minutes!! 😡 end."
        #expect(
            Tokenizer.terms(text) == ["our", "k8s", "ci/cd", "pipeline", "node.js", "c#", "c++", "doesn't", "work", "minutes", "end"]
        )
    }

    @Test func makesWordsOfAnyScript() {
        #expect(Tokenizer.terms("Le déploiement est lent; デプロイが遅い") == ["le", "déploiement", "est", "lent", "デプロイが遅い"])
    }

    @Test(arguments: ["", "   ", "!!! ... ???", "12 34.5 1/2", "😀🎉👍"])
    func findsNoTermsInTextWithoutWords(_ text: String) {
        #expect(Tokenizer.terms(text).isEmpty)
    }

    @Test func handlesVeryLongAnswers() {
        let text = String(repeating: "slow builds again and again ", count: 400)
        #expect(Tokenizer.terms(text).count == 2_000)
    }

    @Test func stopWordsKeepNegations() {
        #expect(StopWords.contains("the"))
        #expect(StopWords.contains("would"))
        for negation in ["no", "not", "never", "nor", "don't", "can't", "without"] {
            #expect(!StopWords.contains(negation))
        }
    }
}

struct ThemesTests {
    /// Three complaints, each said ten ways with its own words.
    static let texts: [String] = (0..<10).flatMap { index in
        [
            "CI builds are slow, waiting \(index) minutes for the pipeline runners",
            "flaky integration tests fail randomly and need reruns (\(index))",
            "secrets rotation in vault is manual and the vault tokens expire \(index)",
        ]
    }

    @Test func groupsTextsThatShareTheirWords() throws {
        let themes = try Themes.find(in: Self.texts, clusters: 3)
        #expect(themes.themes.count == 3)
        for start in 0..<3 {
            let group = Set(stride(from: start, to: Self.texts.count, by: 3).map { themes.assignments[$0] })
            #expect(group.count == 1)
            #expect(group.first != 0)
        }
        #expect(themes.themes.map(\.size) == [10, 10, 10])
        #expect(themes.themes.allSatisfy { $0.representatives.count == 3 })
    }

    @Test func labelsAThemeWithItsOwnWords() throws {
        let themes = try Themes.find(in: Self.texts, clusters: 3)
        let vault = themes.label(of: 2)
        #expect(vault.contains("vault") || vault.contains("secrets") || vault.contains("tokens"))
    }

    @Test func namesAThemeThatHasNoOtherToStandOutAgainst() throws {
        let themes = try Themes.find(in: Array(repeating: "golden path templates save us days", count: 6))
        #expect(themes.themes.count == 1)
        #expect(themes.themes[0].label.lowercased().contains("golden") && !themes.themes[0].keywords.isEmpty)
    }

    @Test func neverMixesTopicsWhenLeftToChooseTheCount() throws {
        let themes = try Themes.find(in: Self.texts)
        for theme in 1...themes.themes.count {
            let topics = Set(Self.texts.indices.filter { themes.assignments[$0] == theme }.map { $0 % 3 })
            #expect(topics.count == 1)
        }
    }

    @Test func givesTheSameResultEveryTime() throws {
        var generator = SeededGenerator(seed: 42)
        let texts = Self.texts.shuffled(using: &generator) + ["", "the and of", "👍", "12345"]
        #expect(try Themes.find(in: texts) == Themes.find(in: texts))
    }

    @Test func putsTextsWithoutWordsInOther() throws {
        let texts = Self.texts + ["", "   ", "the and of it", "12 34 !!!", "😀🎉"]
        let themes = try Themes.find(in: texts, clusters: 3)
        #expect(themes.assignments.suffix(5) == [0, 0, 0, 0, 0])
        #expect(themes.label(of: texts.count - 1) == "other")
    }

    @Test func copesWithLongAndForeignAnswers() throws {
        let long = String(repeating: "deploys are slow and the pipeline queue is long ", count: 220)
        let texts = Self.texts + [long, "le déploiement est trop lent", "デプロイが遅い 😡", "Ünïcödé wörds"]
        let themes = try Themes.find(in: texts)
        #expect(themes.assignments.count == texts.count)
    }

    @Test func refusesZeroClusters() {
        #expect(throws: Themes.InvalidCount.self) { try Themes.find(in: Self.texts, clusters: 0) }
    }

    @Test func refusesMoreClustersThanTextsWithWords() {
        #expect(throws: Themes.InvalidCount(description: "5 clusters asked for, but only 2 texts have words to group")) {
            try Themes.find(in: ["slow builds", "flaky tests", "", "the"], clusters: 5)
        }
    }

    @Test func findsNothingInAnEmptyList() throws {
        #expect(try Themes.find(in: []) == Themes(assignments: [], themes: []))
    }
}

struct TypoFoldingTests {
    @Test(arguments: [("pipelin", "piplin", true), ("pipelin", "pplin", false), ("pipelin", "pipelan", true), ("pipelin", "pipeline", true), ("pipelin", "pipleni", false),
                      ("runner", "rnuner", true), ("runner", "runner", false), ("build", "bulid", true), ("deploy", "deplyo", true)])
    func tellsOneEditFromMore(_ a: String, _ b: String, _ expected: Bool) {
        #expect(TypoFolding.oneEditApart(Array(a), Array(b)) == expected)
    }

    @Test func foldsARareMisspellingIntoTheWordMostTextsUse() {
        let folding = TypoFolding(stemmed: [["pipelin", "slow"], ["pipelin"], ["piplin", "slow"], ["ci"], ["ci"], ["ci"]])
        #expect(folding.replacements == ["piplin": "pipelin"])
    }

    @Test func leavesShortAndCommonWordsAlone() {
        let folding = TypoFolding(stemmed: [["test", "flaki"], ["tast"], ["flaky"], ["flaki"]])
        #expect(folding.replacements == ["flaky": "flaki"])
    }
}

