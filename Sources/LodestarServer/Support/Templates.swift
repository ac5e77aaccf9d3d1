import Foundation
import Hummingbird
import Mustache

/// The Mustache templates and the stylesheet, loaded once at start-up from the resources folder.
struct Templates: Sendable {
    let library: MustacheLibrary
    let stylesheet: String

    static func load(from directory: URL) async throws -> Templates {
        let library = try await MustacheLibrary(directory: directory.appendingPathComponent("templates").path)
        let stylesheet = try String(contentsOf: directory.appendingPathComponent("static/lodestar.css"), encoding: .utf8)
        return Templates(library: library, stylesheet: stylesheet)
    }

    /// An HTML response from a template; values are HTML-escaped by Mustache's `{{ }}`.
    func page(_ name: String, _ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let html = self.library.render(object, withTemplate: name) ?? "<!doctype html><title>Lodestar</title><p>Missing template \(name)</p>"
        return Response(
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
