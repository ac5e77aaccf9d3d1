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
