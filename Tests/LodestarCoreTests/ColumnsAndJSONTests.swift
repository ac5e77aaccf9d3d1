import Foundation
import Testing

@testable import LodestarCore

struct TextColumnTests {
    /// Shas in byte order, some a prefix of another, as a service's run of changes is stored.
    static let shas = ["0a1b", "3f2a9c1", "3f2a9c1d", "3f2a9c1d0e", "9e", "ffff0000aaaa"]

    static func column() -> TextColumn {
        var column = TextColumn()
        for sha in Self.shas { column.append(sha) }
        return column
    }

    @Test func givesBackWhatWasAppended() {
        let column = Self.column()
        #expect((0..<column.count).map { column[$0] } == Self.shas)
    }

    @Test func findsEachTextByBinarySearch() {
        let column = Self.column()
        for (index, sha) in Self.shas.enumerated() {
            #expect(column.find(sha, in: 0..<column.count) == index)
        }
    }

    @Test func findsEachTextThroughItsPrefixKeys() {
        let column = Self.column()
        let keys = column.prefixKeys()
        for (index, sha) in Self.shas.enumerated() {
            var sha = sha
            let found = sha.withUTF8 { column.find(UnsafeRawBufferPointer($0), in: 0..<column.count, keys: keys) }
            #expect(found == index)
        }
    }

    @Test(arguments: ["3f2a9c", "3f2a9c1d0", "0", "fffff", ""])
    func findsNothingThatIsOnlyAPrefixOrAbsent(_ text: String) {
        let column = Self.column()
        var text = text
        let found = text.withUTF8 { column.find(UnsafeRawBufferPointer($0), in: 0..<column.count, keys: column.prefixKeys()) }
        #expect(found == nil)
        #expect(column.find(text, in: 0..<column.count) == nil)
    }

    /// Evenly spread keys are what the search guesses from; these are not spread evenly, and some share a prefix key.
    @Test func findsLikeALinearSearchOnUnevenKeys() {
        var generator = SeededGenerator(seed: 11)
        var texts = (0..<2_000).map { _ in String(UInt64.random(in: 0...UInt64.max >> 20, using: &generator), radix: 16) }
        texts += (0..<50).map { "00000000" + String($0) }
        texts = Array(Set(texts)).sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
        var column = TextColumn()
        for text in texts { column.append(text) }
        let keys = column.prefixKeys()
        for probe in texts + ["0", "000000001", "zzzz", "123"] {
            var probe = probe
            let found = probe.withUTF8 { column.find(UnsafeRawBufferPointer($0), in: 100..<1_500, keys: keys) }
            let expected = texts.indices.first { (100..<1_500).contains($0) && texts[$0] == probe }
            #expect(found == expected, "\(probe)")
        }
    }

    @Test func searchesOnlyTheGivenRange() {
        #expect(Self.column().find("9e", in: 0..<3) == nil)
    }
}

struct DeliveryColumnsTests {
    @Test func numbersParentsAndDeployedCommitsWithinTheirService() {
        let day = Date(timeIntervalSince1970: 1_793_600_000)
        let history = DeliveryHistory(
            changes: [
                ChangeEvent(sha: "bbbb", service: "api", committedAt: day, parent: "aaaa"),
                ChangeEvent(sha: "aaaa", service: "api", committedAt: day),
                // Same sha in another service: a different change.
                ChangeEvent(sha: "aaaa", service: "web", committedAt: day, parent: "bbbb"),
            ],
            deployments: [
                DeploymentEvent(id: "d1", service: "api", environment: "production", shas: ["bbbb", "cccc", "aaaa"], startedAt: nil, finishedAt: day, result: .success)
            ],
            incidents: []
        )
        let columns = DeliveryColumns(history: history)
        #expect(columns.services == ["api", "web"])
        #expect((0..<columns.changeSHAs.count).map { columns.changeSHAs[$0] } == ["aaaa", "bbbb", "aaaa"])
        // web's aaaa names bbbb as parent, but web has no bbbb.
        #expect(columns.changeParent == [-1, 0, -1])
        #expect(columns.deploymentHead == [1])
        // cccc is unknown and left out; aaaa is a known extra.
        #expect(columns.deploymentExtras == [0: [0]])
    }
}

struct JSONValueTests {
    @Test func readsNestedObjectsListsAndScalars() throws {
        let value = try FlatJSON.parseValue(#"{"a": {"b": [1, "two", true, null]}, "c": -2.5e1, "d": "\u00e9\n"}"#)
        #expect(
            value
                == .object([
                    "a": .object(["b": .array([.number(1), .string("two"), .bool(true), .null])]),
                    "c": .number(-25),
                    "d": .string("é\n"),
                ])
        )
    }

    @Test(arguments: [
        (#"{"a": 1} x"#, "unexpected text after the JSON value"),
        (#"{"a": 1,}"#, "expected a string"),
        (#"{"a" 1}"#, #"expected ':' after "a""#),
        (#"[[[[1]]]]"#, "nested too deeply"),
        (#"{"a": tru}"#, "unexpected character"),
        (#"{"a": "b"#, "unterminated string"),
    ])
    func namesWhatIsWrong(_ text: String, _ message: String) {
        #expect(throws: FlatJSON.Malformed(message: message)) { try FlatJSON.parseValue(text, maxDepth: 3) }
    }
}

struct TextFormattingTests {
    @Test func padsWithZeros() {
        #expect(7.zeroPadded(2) == "07")
        #expect(2026.zeroPadded(4) == "2026")
        #expect(123.zeroPadded(2) == "123")
        #expect((-5).zeroPadded(3) == "-005")
    }

    @Test func hexRoundTrips() {
        let bytes: [UInt8] = [0, 1, 0x7f, 0x80, 0xab, 0xff]
        #expect(bytes.hexEncoded == "00017f80abff")
        #expect([UInt8](hexEncoded: "00017F80ABff") == bytes)
    }

    @Test(arguments: ["abc", "zz", "0g"])
    func refusesTextThatIsNotHex(_ text: String) {
        #expect([UInt8](hexEncoded: text) == nil)
    }

    @Test func trimsUnicodeWhiteSpace() {
        #expect("\u{00A0} hello \n\t\u{2028}".trimmed == "hello")
        #expect("  ".trimmed == "")
        #expect("kept".trimmed == "kept")
    }
}
