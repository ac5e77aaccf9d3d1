import Foundation
import LodestarEmbeddings
import LodestarTestSupport
import Testing

// The tokenizer must give the model exactly the ids it was trained with, so the expectations below come from the
// reference implementation (Hugging Face `tokenizers` 0.23.3 on all-MiniLM-L6-v2's tokenizer.json, padding and
// truncation off), generated once and pasted here so the tests run without Python. They need the real
// vocabulary, which is found the way the app finds it: LODESTAR_MODEL_DIR, else the pip package's folder.

/// Loaded once for all tests: building the vocabulary trie is the slow part.
private let loadedModel: Result<WordPieceTokenizer, ModelError>? = SentenceModel.folder.map { folder in
    Result { () throws(ModelError) -> WordPieceTokenizer in try WordPieceTokenizer(folder: folder) }
}

/// The real tokenizer; a missing model fails the test (it is never skipped) after the banner saying how to install it.
private func realTokenizer() throws -> WordPieceTokenizer {
    try SentenceModel.require()
    guard let loadedModel else { throw SentenceModel.Missing() }
    return try loadedModel.get()
}

/// A tokenizer over a handful of tokens, for rules that need no real vocabulary.
private func toyTokenizer(_ extra: [String] = []) throws -> WordPieceTokenizer {
    try WordPieceTokenizer(vocabulary: ["[PAD]", "[UNK]", "[CLS]", "[SEP]"] + extra)
}

/// A fresh empty folder, removed by the caller.
private func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wordpiece-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// Survey-style answers in many languages and shapes, with the reference's ids.
private let referenceCases: [(text: String, ids: [Int32])] = [
    ("builds are sooo slow", [101, 16473, 2024, 17111, 2080, 4030, 102]),
    ("PR checks take longer than review!!", [101, 10975, 14148, 2202, 2936, 2084, 3319, 999, 999, 102]),
    ("Code review turnaround is great, but CI is flaky.", [101, 3642, 3319, 2735, 24490, 2003, 2307, 1010, 2021, 25022, 2003, 13109, 4817, 2100, 1012, 102]),
    ("I don't know who owns the payments service", [101, 1045, 2123, 1005, 1056, 2113, 2040, 8617, 1996, 10504, 2326, 102]),
    ("don't won't shouldn't y'all it's we're", [101, 2123, 1005, 1056, 2180, 1005, 1056, 5807, 1005, 1056, 1061, 1005, 2035, 2009, 1005, 1055, 2057, 1005, 2128, 102]),
    ("ALL CAPS ANGRY ANSWER!!!", [101, 2035, 9700, 4854, 3437, 999, 999, 999, 102]),
    ("sooooooooooooooooooooooooooo good", [101, 17111, 9541, 9541, 9541, 9541, 9541, 9541, 9541, 9541, 9541, 9541, 9541, 9541, 2080, 2204, 102]),
    ("café naïve résumé — déjà vu", [101, 7668, 15743, 13746, 1517, 2139, 3900, 24728, 102]),
    ("cafe\u{301} naıve", [101, 7668, 6583, 11722, 3726, 102]),
    ("ÀÉÎÕÜ Ünïcödé", [101, 29347, 3695, 2226, 27260, 102]),
    ("Die Tests sind zu langsam, die Größe der Straße stört.", [101, 3280, 5852, 8254, 2094, 16950, 11374, 21559, 1010, 3280, 24665, 2080, 17499, 4315, 2358, 27807, 2358, 11589, 1012, 102]),
    ("Les revues de code prennent trop de temps à cause de l'équipe.", [101, 4649, 17480, 2015, 2139, 3642, 3653, 10087, 3372, 19817, 7361, 2139, 29023, 1037, 3426, 2139, 1048, 1005, 1041, 15549, 5051, 1012, 102]),
    ("¿Por qué el pipeline tarda tanto? ¡Es demasiado lento!", [101, 1094, 18499, 10861, 3449, 13117, 16985, 2850, 9092, 3406, 1029, 1067, 9686, 17183, 15396, 3527, 15307, 2080, 999, 102]),
    ("Kiểm thử quá chậm", [101, 11382, 6633, 16215, 2226, 24209, 2050, 15775, 2213, 102]),
    ("テストが遅すぎて、デプロイに時間がかかる。", [101, 1713, 30233, 30240, 30177, 100, 1658, 30178, 30191, 1635, 1713, 30246, 30261, 30221, 30194, 100, 1969, 1651, 30177, 30177, 30213, 1636, 102]),
    ("构建太慢了，代码审查也很慢", [101, 100, 100, 1812, 100, 100, 1989, 1760, 100, 100, 100, 1750, 100, 100, 102]),
    ("使用GitHub Actions进行CI", [101, 100, 100, 21025, 2705, 12083, 4506, 100, 1945, 25022, 102]),
    ("빌드가 너무 느려요", [101, 1460, 30019, 30022, 29993, 30017, 29991, 30006, 1456, 30008, 29995, 30014, 1456, 30017, 29994, 30010, 29999, 30013, 102]),
    ("الاختبارات بطيئة جدا", [101, 1270, 23673, 25573, 29821, 29817, 29816, 25573, 17149, 25573, 29817, 1271, 29828, 14498, 14498, 19433, 1275, 15394, 25573, 102]),
    ("הבדיקות איטיות", [101, 1245, 29789, 29791, 29796, 29810, 29792, 29813, 1241, 29796, 29795, 29796, 29792, 29813, 102]),
    ("Сборка слишком медленная, тесты падают", [101, 1196, 29740, 14150, 16856, 28598, 1196, 29436, 10325, 29753, 23925, 14150, 29745, 1191, 15290, 29742, 29436, 15290, 18947, 19865, 17432, 1010, 1197, 15290, 29747, 22919, 29113, 1194, 10260, 29742, 10260, 29757, 22919, 102]),
    ("ΟΔΥΣΣΕΥΣ ελληνικά", [101, 1169, 29722, 29735, 29733, 29733, 29723, 29735, 29733, 1159, 29727, 29727, 24824, 16177, 18199, 29726, 14608, 102]),
    ("ब\u{93F}ल\u{94D}ड बह\u{941}त ध\u{940}म\u{93E} ह\u{948}", [101, 1329, 29877, 29870, 29857, 1329, 29875, 29859, 1326, 29878, 29867, 29876, 1339, 102]),
    ("การทดสอบช\u{E49}ามาก", [101, 100, 102]),
    ("İstanbul ıi", [101, 9960, 1104, 2072, 102]),
    ("😤😤😤", [101, 100, 102]),
    ("👍🏽 ship it 🚀", [101, 100, 2911, 2009, 100, 102]),
    ("👨\u{200D}👩\u{200D}👧 family", [101, 100, 2155, 102]),
    ("", [101, 102]),
    ("   \t\n  ", [101, 102]),
    ("<script>alert('xss')</script>", [101, 1026, 5896, 1028, 9499, 1006, 1005, 1060, 4757, 1005, 1007, 1026, 1013, 5896, 1028, 102]),
    ("<p>Hello <b>world</b></p>&nbsp;&amp;", [101, 1026, 1052, 1028, 7592, 1026, 1038, 1028, 2088, 1026, 1013, 1038, 1028, 1026, 1013, 1052, 1028, 1004, 1050, 5910, 2361, 1025, 1004, 23713, 1025, 102]),
    ("https://ci.example.com/job/1234?branch=main#L56", [101, 16770, 1024, 1013, 1013, 25022, 1012, 2742, 1012, 4012, 1013, 3105, 1013, 13138, 2549, 1029, 3589, 1027, 2364, 1001, 1048, 26976, 102]),
    ("email me at dev.lead@example.org", [101, 10373, 2033, 2012, 16475, 1012, 2599, 1030, 2742, 1012, 8917, 102]),
    ("pneumonoultramicroscopicsilicovolcanoconiosis", [101, 1052, 2638, 2819, 17175, 11314, 6444, 2594, 7352, 26461, 27572, 11261, 6767, 15472, 6761, 8663, 10735, 2483, 102]),
    ("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", [101, 100, 102]),
    ("3.14159 1,000,000 42% $99.99 2024-05-01 10:30am", [101, 1017, 1012, 15471, 28154, 1015, 1010, 2199, 1010, 2199, 4413, 1003, 1002, 5585, 1012, 5585, 16798, 2549, 1011, 5709, 1011, 5890, 2184, 1024, 2382, 3286, 102]),
    ("snake_case camelCaseName kebab-case", [101, 7488, 1035, 2553, 19130, 18382, 18442, 17710, 3676, 2497, 1011, 2553, 102]),
    ("C++ / C# / F# & .NET", [101, 1039, 1009, 1009, 1013, 1039, 1001, 1013, 1042, 1001, 1004, 1012, 5658, 102]),
    ("tabs\tand\nnewlines\r\nmixed", [101, 21628, 2015, 1998, 2047, 12735, 3816, 102]),
    ("null\0byte, \u{7}bell and \u{FFFD} replacement", [101, 19701, 3762, 2618, 1010, 4330, 1998, 6110, 102]),
    ("zero\u{200B}width soft\u{AD}hyphen", [101, 5717, 9148, 11927, 2232, 3730, 10536, 8458, 2368, 102]),
    ("non\u{A0}breaking\u{3000}space", [101, 2512, 4911, 2686, 102]),
    ("a [SEP] b [CLS] c [MASK] d [sep] e[UNK]f", [101, 1037, 102, 1038, 101, 1039, 103, 1040, 1031, 19802, 1033, 1041, 100, 1042, 102]),
    ("ＡＢＣ１２３", [101, 100, 102]),
    ("½ ² ™ ① ﬁ", [101, 1092, 1082, 1580, 100, 1984, 102]),
    ("...and then?! well… “quotes” ‘single’ «guillemets»", [101, 1012, 1012, 1012, 1998, 2059, 1029, 999, 2092, 1529, 1523, 16614, 1524, 1520, 2309, 1521, 1077, 26458, 6216, 11368, 2015, 1090, 102]),
    ("𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ⅫⅫ", [101, 100, 100, 102]),
]

struct WordPieceTokenizerTests {
    @Test(arguments: referenceCases)
    func matchesTheReferenceTokenizer(text: String, ids: [Int32]) throws {
        #expect(try realTokenizer().encode(text).ids == ids)
    }

    @Test func realVocabularyHasTheModelsSizeAndPadding() throws {
        let tokenizer = try realTokenizer()
        #expect(tokenizer.vocabularySize == 30522)
        #expect(tokenizer.padID == 0)
    }

    @Test func longAnswerIsCutAt256TokensEndingWithSEP() throws {
        // 400 words, each one or more pieces, plus punctuation.
        let answer = Array(repeating: "CI builds are slow and reviews take days.", count: 50).joined(separator: " ")
        let encoding = try realTokenizer().encode(answer)
        #expect(encoding.ids.count == 256)
        #expect(encoding.ids.first == 101)
        #expect(encoding.ids.last == 102)
        #expect(encoding.truncated)
    }

    @Test func answerThatFitsIsNotMarkedTruncated() throws {
        // 254 words + [CLS] + [SEP] is exactly 256: nothing is lost.
        let answer = Array(repeating: "slow", count: 254).joined(separator: " ")
        let encoding = try realTokenizer().encode(answer)
        #expect(encoding.ids.count == 256)
        #expect(!encoding.truncated)
    }

    @Test func maxLengthIsRespected() throws {
        let tokenizer = try toyTokenizer(["a", "b", "c"])
        #expect(tokenizer.encode("a b c a b", maxLength: 4) == .init(ids: [2, 4, 5, 3], truncated: true))
    }

    @Test func maxLengthBelowTwoStillFramesTheText() throws {
        let tokenizer = try toyTokenizer(["a"])
        #expect(tokenizer.encode("a", maxLength: 0) == .init(ids: [2, 3], truncated: true))
    }

    @Test func wordIsSplitIntoTheLongestPieces() throws {
        let tokenizer = try toyTokenizer(["un", "unbear", "##able", "##a", "##ble"])
        #expect(tokenizer.encode("unbearable").ids == [2, 5, 6, 3])
    }

    @Test func wordWithAPieceMissingFromTheVocabularyBecomesUNK() throws {
        // "hello" is known but nothing continues it with "z", so the whole word is [UNK], not "hello" + [UNK].
        let tokenizer = try toyTokenizer(["hello", "world"])
        #expect(tokenizer.encode("helloz world").ids == [2, 1, 5, 3])
    }

    @Test func wordOver100CodePointsBecomesUNK() throws {
        let tokenizer = try toyTokenizer(["a", "##a"])
        #expect(tokenizer.encode(String(repeating: "a", count: 100)).ids.count == 102)
        #expect(tokenizer.encode(String(repeating: "a", count: 101)).ids == [2, 1, 3])
    }

    @Test func emojiBecomesUNK() throws {
        #expect(try toyTokenizer(["a"]).encode("a 🚀").ids == [2, 4, 1, 3])
    }

    @Test func combiningAccentIsItsOwnCodePointAndIsStripped() throws {
        // "e" + U+0301 is one Swift Character but two code points; stripping accents leaves "cafe".
        let tokenizer = try toyTokenizer(["cafe"])
        #expect(tokenizer.encode("Cafe\u{301}").ids == [2, 4, 3])
        #expect(tokenizer.encode("CAF\u{C9}").ids == [2, 4, 3])
    }

    @Test func casingCanBeKept() throws {
        let tokenizer = try WordPieceTokenizer(
            vocabulary: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "Café", "café"], lowercase: false, stripAccents: false
        )
        #expect(tokenizer.encode("Café").ids == [2, 4, 3])
    }

    @Test func tokenizerJSONDecidesCasing() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "[PAD]\n[UNK]\n[CLS]\n[SEP]\nHello\nhello\n".write(
            to: folder.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8
        )
        try #"{"normalizer": {"type": "BertNormalizer", "lowercase": false, "strip_accents": null}}"#.write(
            to: folder.appendingPathComponent("tokenizer.json"), atomically: true, encoding: .utf8
        )
        try #"{"do_lower_case": true}"#.write(
            to: folder.appendingPathComponent("tokenizer_config.json"), atomically: true, encoding: .utf8
        )
        #expect(try WordPieceTokenizer(folder: folder).encode("Hello").ids == [2, 4, 3])
    }

    @Test func tokenizerConfigDecidesCasingWithoutTokenizerJSON() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "[PAD]\n[UNK]\n[CLS]\n[SEP]\nHello\nhello\n".write(
            to: folder.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8
        )
        try #"{"do_lower_case": false}"#.write(
            to: folder.appendingPathComponent("tokenizer_config.json"), atomically: true, encoding: .utf8
        )
        #expect(try WordPieceTokenizer(folder: folder).encode("Hello").ids == [2, 4, 3])
    }

    @Test func vocabularyIDsAreLineNumbers() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nslow\r\n".write(
            to: folder.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8
        )
        let tokenizer = try WordPieceTokenizer(folder: folder)
        #expect(tokenizer.vocabularySize == 5)
        #expect(tokenizer.encode("slow").ids == [2, 4, 3])
    }

    @Test func missingVocabularyFileIsNamed() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = #expect(throws: ModelError.self) { try WordPieceTokenizer(folder: folder) }
        #expect(error?.file == folder.appendingPathComponent("vocab.txt").path)
    }

    @Test func emptyVocabularyFileIsRejected() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data().write(to: folder.appendingPathComponent("vocab.txt"))
        let error = #expect(throws: ModelError.self) { try WordPieceTokenizer(folder: folder) }
        #expect(error?.file.hasSuffix("vocab.txt") == true)
        #expect(error?.reason.contains("empty") == true)
    }

    @Test func vocabularyFileThatIsNotUTF8IsRejected() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("[PAD]\n[UNK]\n[CLS]\n[SEP]\n".utf8 + [0xFF, 0xFE, 0x0A]).write(to: folder.appendingPathComponent("vocab.txt"))
        let error = #expect(throws: ModelError.self) { try WordPieceTokenizer(folder: folder) }
        #expect(error?.file.hasSuffix("vocab.txt") == true)
        #expect(error?.reason.contains("UTF-8") == true)
    }

    @Test func vocabularyWithoutUNKNamesTheMissingToken() {
        let error = #expect(throws: ModelError.self) {
            try WordPieceTokenizer(vocabulary: ["[PAD]", "[CLS]", "[SEP]", "hello"])
        }
        #expect(error?.file == "vocab.txt")
        #expect(error?.reason.contains("[UNK]") == true)
    }
}
