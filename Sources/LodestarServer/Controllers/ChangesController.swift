import Foundation
import Hummingbird
import LodestarCore
import LodestarReport

/// `/changes` and `/changes.atom`: the public "You said → we did" page and its Atom feed. Both read the same
/// `Changes`, built under the anonymity rule of each epic's own month; neither takes any input (a query string is
/// ignored).
struct ChangesController: Sendable {
    let changes: ChangesService
    let policy: AnonymityPolicy
    let templates: Templates

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("changes", use: self.page)
        group.get("changes.atom", use: self.feed)
    }

    @Sendable func page(request: Request, context: AppRequestContext) async throws -> Response {
        let changes = try await self.changes.changes(policy: self.policy)
        return self.templates.page("changes", ChangesPage(changes))
    }

    @Sendable func feed(request: Request, context: AppRequestContext) async throws -> Response {
        let changes = try await self.changes.changes(policy: self.policy)
        return Response(
            status: .ok,
            headers: [.contentType: "application/atom+xml; charset=utf-8", .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(string: changes.atom()))
        )
    }

    /// What `changes.mustache` shows; Mustache escapes every value.
    struct ChangesPage {
        let pageTitle = "You said → we did"
        let anonymityK: Int
        let hasEntries: Bool
        let entries: [EntryView]

        init(_ changes: Changes) {
            self.anonymityK = changes.anonymityK
            self.entries = changes.entries.map(EntryView.init)
            self.hasEntries = !self.entries.isEmpty
        }
    }

    struct EntryView {
        let anchor: String
        let status: String
        let statusClass: String
        let title: String
        let hasTitle: Bool
        let month: String
        let monthName: String
        let hasChangedAt: Bool
        let changedAt: String
        let changedOn: String
        let respondents: String
        let hasWithheld: Bool
        let hasNote: Bool
        let note: String

        init(_ entry: Changes.Entry) {
            self.anchor = entry.anchor
            self.status = entry.status.displayName
            self.statusClass = entry.status.rawValue
            self.hasTitle = entry.title != nil
            self.title = XMLText.stripped(entry.title ?? "An epic raised in \(entry.month.longName)")
            self.month = entry.month.description
            self.monthName = entry.month.longName
            self.hasChangedAt = entry.changedAt != nil
            self.changedAt = entry.changedAt.map(Timestamp.iso8601) ?? ""
            self.changedOn = String(self.changedAt.prefix(10))
            self.respondents = entry.respondentsWords
            self.hasWithheld = entry.withheld != nil
            self.hasNote = entry.note != nil
            self.note = XMLText.stripped(entry.note ?? "")
        }
    }
}
