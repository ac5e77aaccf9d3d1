import Foundation
import Hummingbird
import LodestarCore
import Mustache
import Synchronization

/// The Mustache templates and the stylesheet, loaded once at start-up from the resources folder.
struct Templates: Sendable {
    let library: MustacheLibrary
    let stylesheet: String
    /// Pages that depend on one short key only, rendered once (see `page(_:key:_:)`).
    private let rendered = RenderedPages()

    static func load(from directory: URL) async throws -> Templates {
        let library = try await MustacheLibrary(directory: directory.appendingPathComponent("templates").path)
        let stylesheet = try String(contentsOf: directory.appendingPathComponent("static/lodestar.css"), encoding: .utf8)
        return Templates(library: library, stylesheet: stylesheet)
    }

    init(library: MustacheLibrary, stylesheet: String) {
        self.library = library
        self.stylesheet = stylesheet
    }

    /// An HTML response from a template; values are HTML-escaped by Mustache's `{{ }}`.
    func page(_ name: String, _ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        Self.htmlResponse(self.render(name, object), status: status)
    }

    /// A page whose content is fully determined by `key`, such as the thank-you page of a month: rendered the first
    /// time and reused, since Mustache's reflection was a tenth of the form endpoint's time.
    func page(_ name: String, key: String, _ object: () -> Any) -> Response {
        let cacheKey = name + "\u{0}" + key
        if let html = self.rendered.pages.withLock({ $0[cacheKey] }) { return Self.htmlResponse(html, status: .ok) }
        let html = self.render(name, object())
        self.rendered.pages.withLock { cache in
            if cache.count >= 256 { cache.removeAll() }
            cache[cacheKey] = html
        }
        return Self.htmlResponse(html, status: .ok)
    }

    private func render(_ name: String, _ object: Any) -> String {
        self.library.render(object, withTemplate: name) ?? "<!doctype html><title>Lodestar</title><p>Missing template \(name)</p>"
    }

    private static func htmlResponse(_ html: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }

    /// A short page with a heading and one paragraph, for refusals and notices.
    func message(_ title: String, _ text: String, status: HTTPResponse.Status, link: String = "/survey") -> Response {
        self.page("message", MessagePage(pageTitle: title, message: text, link: link), status: status)
    }
}

struct MessagePage {
    let pageTitle: String
    let message: String
    let link: String
}

/// The shared store behind `Templates.page(_:key:_:)`; a class, so copies of `Templates` share it.
private final class RenderedPages: Sendable {
    let pages = Mutex<[String: String]>([:])
}
