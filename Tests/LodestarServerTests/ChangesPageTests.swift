import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarCore
import LodestarServer
import LodestarStore
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `/changes` and `/changes.atom`: the epics a lead moved, the latest change first, each under the anonymity rule of
/// its own month (k = 3 in `TestArguments`), escaped on the page and in the feed.
struct ChangesPageTests {
    static let october = try! Month(parsing: "2026-10")

    // MARK: - The page

    @Test func listsOnlyMovedEpicsTheLatestStatusChangeFirst() async throws {
        let app = try await TestApp()
        let epics = try await Self.octoberEpics(app, runners: 6, kubernetes: 5)
        try #require(epics.count >= 2)
        try await Self.answer(app, TestApp.month, runners: 4, kubernetes: 0)
        try #require(!(try await Self.generate(app, TestApp.month)).isEmpty, "November's epics stay proposed")
        // The first-ranked epic moves first, so only the time of the change can put the second one above it.
        try await Self.move(app, epics[0].id, to: .done)
        try await Task.sleep(for: .milliseconds(20))
        try await Self.move(app, epics[1].id, to: .planned)

        try await app.test { client in
            let page = try await client.execute(uri: "/changes", method: .get).text
            let first = try #require(page.range(of: "id=\"epic-\(epics[1].id)\""))
            let second = try #require(page.range(of: "id=\"epic-\(epics[0].id)\""))
            #expect(first.lowerBound < second.lowerBound)
            #expect(page.components(separatedBy: "class=\"change\"").count - 1 == 2, "a proposed epic is not listed")
        }
    }

    @Test func showsTheMonthRaisedAndTheRespondentsThenAndNow() async throws {
        let app = try await TestApp()
        // Given: eight people asked for CI runners in October and four in November, and October's epic is done.
        let ci = try #require(try await Self.octoberEpics(app, runners: 8, kubernetes: 0).first { $0.keywords.contains("ci") })
        try await Self.move(app, ci.id, to: .done)
        try await Self.answer(app, TestApp.month, runners: 4, kubernetes: 0)
        _ = try await Self.generate(app, TestApp.month)

        try await app.test { client in
            let page = try await client.execute(uri: "/changes", method: .get).text
            #expect(page.contains("Raised in <time datetime=\"2026-10\">October 2026</time>"))
            #expect(page.contains("Raised in 2026-10 by 8 respondents; 4 respondents raised it in 2026-11."))
        }
    }

    @Test func aMonthUnderKShowsNeitherTitleNorNumbers() async throws {
        let app = try await TestApp()
        let epic = try #require(try await Self.octoberEpics(app, runners: 2, kubernetes: 0).first)
        try await Self.move(app, epic.id, to: .dropped, note: "zebracorn budget")

        try await app.test { client in
            for uri in ["/changes", "/changes.atom"] {
                let text = try await client.execute(uri: uri, method: .get).text
                #expect(text.contains("Too few answers in 2026-10 to show what was said"), "\(uri)")
                #expect(!text.contains(epic.title) && !text.contains("zebracorn") && !text.contains("2 respondents"), "\(uri)")
            }
        }
    }

    @Test func escapesHTMLInTitlesAndNotes() async throws {
        let app = try await TestApp()
        let epic = try #require(try await Self.octoberEpics(app, runners: 6, kubernetes: 0).first)
        try await Self.move(app, epic.id, to: .dropped, title: "<script>alert(1)</script> & co", note: "<img src=x onerror=alert(2)>")

        try await app.test { client in
            let page = try await client.execute(uri: "/changes", method: .get).text
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"))
            #expect(page.contains("&lt;img src=x onerror=alert(2)&gt;"))
            #expect(!page.contains("<script>") && !page.contains("<img"))
        }
    }

    @Test func theEmptyPageSaysNothingHasMovedYet() async throws {
        let app = try await TestApp()
        try await app.test { client in
            let response = try await client.execute(uri: "/changes?month=<script>", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.text.contains("Nothing has moved yet"))
            #expect(!response.text.contains("<ol class=\"changes\">"))
        }
    }

    @Test func announcesItsFeedInItsHead() async throws {
        let app = try await TestApp()
        try await app.test { client in
            let page = try await client.execute(uri: "/changes", method: .get).text
            let head = try #require(page.components(separatedBy: "</head>").first)
            #expect(head.contains("<link rel=\"alternate\" type=\"application/atom+xml\""))
            #expect(head.contains("href=\"/changes.atom\""))
        }
    }

    // MARK: - The feed

    @Test func theFeedIsWellFormedAtomWithEveryRequiredElement() async throws {
        let app = try await TestApp()
        let epic = try #require(try await Self.octoberEpics(app, runners: 6, kubernetes: 0).first)
        try await Self.move(app, epic.id, to: .dropped, title: "Quotes \" ' & <tags> and a bell \u{07}", note: "no budget \u{1B}[0m & <b>time</b>")

        try await app.test { client in
            let response = try await client.execute(uri: "/changes.atom", method: .get)
            #expect(response.headers[.contentType] == "application/atom+xml; charset=utf-8")
            let feed = try FeedReader(Data(response.text.utf8))
            #expect(feed.feedElements["id"]?.hasPrefix("urn:uuid:") == true)
            #expect(feed.feedElements["title"] == "You said → we did" && feed.feedElements["updated"] != nil)
            #expect(feed.links.contains { $0["rel"] == "self" && $0["href"] == "/changes.atom" })
            let entry = try #require(feed.entries.first)
            #expect(feed.entries.count == 1)
            #expect(entry["title"] == "Dropped: Quotes \" ' & <tags> and a bell ")
            #expect(entry["id"]?.hasPrefix("urn:uuid:") == true && entry["updated"] != nil)
            #expect(entry["content"]?.contains("Note from the platform team: no budget [0m & <b>time</b>") == true)
            #expect(feed.links.contains { $0["rel"] == "alternate" && $0["href"] == "/changes#epic-\(epic.id)" })
        }
    }

    @Test func anEntryKeepsItsIdUntilTheStatusChanges() async throws {
        let app = try await TestApp()
        let epic = try #require(try await Self.octoberEpics(app, runners: 6, kubernetes: 0).first)
        try await Self.move(app, epic.id, to: .planned)

        try await app.test { client in
            func entryId() async throws -> String? {
                try FeedReader(Data(try await client.execute(uri: "/changes.atom", method: .get).text.utf8)).entries.first?["id"]
            }
            let planned = try #require(try await entryId())
            let again = try await entryId()
            #expect(again == planned)
            try await Self.move(app, epic.id, owner: "ana")
            #expect(try await entryId() == planned, "an owner change is not a new entry")
            try await Self.move(app, epic.id, to: .inProgress)
            #expect(try await entryId() != planned)
        }
    }

    @Test func anEmptyFeedIsValidAtomWithoutEntries() async throws {
        let app = try await TestApp()
        try await app.test { client in
            let feed = try FeedReader(Data(try await client.execute(uri: "/changes.atom", method: .get).text.utf8))
            #expect(feed.entries.isEmpty)
            #expect(feed.feedElements["updated"] == "1970-01-01T00:00:00Z")
        }
    }

    // MARK: - Links to it

    @Test func theHomePageLinksToTheChangesAndTheReports() async throws {
        let app = try await TestApp()
        try await app.test { client in
            let home = try await client.execute(uri: "/", method: .get).text
            #expect(home.contains("<a href=\"/changes\">You said → we did: here is what happened to last month's answers</a>"))
            #expect(home.contains("href=\"/reports/\""))
        }
    }

    @Test func theThankYouPageLinksToTheChanges() async throws {
        let app = try await TestApp()
        try await app.test { client in
            let csrf = try await client.formToken()
            let response = try await client.postForm(validForm, csrf: csrf)
            #expect(response.text.contains("Thank you"))
            #expect(response.text.contains("<a href=\"/changes\">You said → we did: here is what happened to last month's answers</a>"))
        }
    }

    // MARK: - Helpers

    /// Opens `month` when needed and answers it: `runners` people want more CI runners, `kubernetes` find upgrades painful.
    static func answer(_ app: TestApp, _ month: Month, runners: Int, kubernetes: Int) async throws {
        if try await app.service.rounds.round(for: month) == nil {
            _ = try await app.service.rounds.open(month: month, mode: .open, definition: TestApp.definition, actor: "test")
        }
        func submit(_ answers: [String: String]) async throws {
            let ratings: [String: Submission.RawValue] = ["satisfaction": .number(3), "easeOfShipping": .number(3), "operationsShare": .number(30)]
            var all = ["best": "golden path templates", "worst": "nothing much", "change": "nothing"]
            all.merge(answers) { $1 }
            _ = try await app.service.submit(Submission(month: month, team: "payments", answers: all, ratings: ratings))
        }
        for index in 0..<runners { try await submit(["change": "more CI runners, jobs queue for ages (\(index))"]) }
        for index in 0..<kubernetes { try await submit(["worst": "kubernetes cluster upgrades break helm charts (\(index))"]) }
    }

    static func generate(_ app: TestApp, _ month: Month) async throws -> [Epic] {
        let epics = EpicService(database: app.database)
        _ = try await epics.generate(month: month, top: 5, delivery: DeliverySignals(), force: false, actor: "test")
        return try await epics.list(month: month, policy: app.arguments.anonymityPolicy).epics
    }

    /// October answered and its epics generated, all still proposed.
    static func octoberEpics(_ app: TestApp, runners: Int, kubernetes: Int) async throws -> [Epic] {
        try await Self.answer(app, Self.october, runners: runners, kubernetes: kubernetes)
        return try await Self.generate(app, Self.october)
    }

    static func move(
        _ app: TestApp, _ id: Int64, to status: EpicStatus? = nil, owner: String? = nil, title: String? = nil, note: String? = nil
    ) async throws {
        _ = try await EpicService(database: app.database).update(
            id: id, change: EpicChange(status: status, owner: owner, title: title, note: note), actor: "lead", policy: app.arguments.anonymityPolicy
        )
    }
}

/// An Atom document read with Foundation's XMLParser, which throws on anything not well-formed: the feed's own
/// children, each entry's children, and every link's attributes.
struct FeedReader {
    var feedElements: [String: String] = [:]
    var entries: [[String: String]] = []
    var links: [[String: String]] = []

    init(_ data: Data) throws {
        let delegate = Delegate()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else {
            throw FeedError(description: "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
        }
        guard delegate.root == "feed", delegate.namespace == "http://www.w3.org/2005/Atom" else {
            throw FeedError(description: "the root is \(delegate.root ?? "missing") in \(delegate.namespace ?? "no namespace")")
        }
        self.feedElements = delegate.feed
        self.entries = delegate.entries
        self.links = delegate.links
    }

    struct FeedError: Error, CustomStringConvertible { var description: String }

    final class Delegate: NSObject, XMLParserDelegate {
        var root: String?
        var namespace: String?
        var feed: [String: String] = [:]
        var entries: [[String: String]] = []
        var links: [[String: String]] = []
        private var path: [String] = []
        private var text = ""

        func parserDidStartDocument(_ parser: XMLParser) { parser.shouldProcessNamespaces = true }

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            if self.path.isEmpty {
                self.root = name
                self.namespace = namespaceURI ?? attributes["xmlns"]
            }
            if name == "entry" { self.entries.append([:]) }
            if name == "link" { self.links.append(attributes) }
            self.path.append(name)
            self.text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { self.text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            self.path.removeLast()
            if self.path == ["feed"] { self.feed[name] = self.text }
            if self.path == ["feed", "entry"], !self.entries.isEmpty { self.entries[self.entries.count - 1][name] = self.text }
            self.text = ""
        }
    }
}
