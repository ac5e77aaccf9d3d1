import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// Answers a request whose path has routes, but none for its method, with 405 and `Allow` naming the methods it
/// has, where the router alone answers 404. The routes are handed over once every one is added (`RouteMethods.set`).
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = self.routes.methods(for: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method) else { throw error }
            let names = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            throw APIError(.methodNotAllowed, "\(request.method.rawValue) is not allowed here; use \(names)", headers: [.allow: names])
        }
    }
}

/// Every route's path pattern and method, for `MethodNotAllowedMiddleware`.
final class RouteMethods: Sendable {
    private let routes = Mutex<[(segments: [Substring], method: HTTPRequest.Method)]>([])

    /// Keeps the router's routes: `{name}` and `*` match one segment, `**` the rest of the path.
    func set(_ routes: [(path: String, method: HTTPRequest.Method)]) {
        self.routes.withLock { $0 = routes.map { (Self.segments($0.path), $0.method) } }
    }

    /// The methods of the routes whose pattern matches `path`.
    func methods(for path: String) -> Set<HTTPRequest.Method> {
        let given = Self.segments(path)
        return self.routes.withLock { routes in Set(routes.filter { Self.matches($0.segments, given) }.map(\.method)) }
    }

    static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    static func matches(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        for (index, part) in pattern.enumerated() {
            if part == "**" { return true }
            guard index < path.count else { return false }
            if part == "*" || (part.hasPrefix("{") && part.hasSuffix("}")) { continue }
            if part != path[index] { return false }
        }
        return pattern.count == path.count
    }
}
