import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarServer
import LodestarStore
import Testing

/// `openapi.yaml` and the router describe the same API: every route under `/api/v1`, `/api/devlake` and `/webhooks`
/// is in the spec, and every operation the spec describes there is a route.
struct OpenAPIRouteTests {
    /// The parts of the server the spec must cover; the HTML pages and reports are not an API.
    static let prefixes = ["/api/v1/", "/api/devlake/", "/webhooks/"]

    @Test func servesTheSpecAsYAML() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/yaml; charset=utf-8")
            #expect(response.text.hasPrefix("openapi: 3."))
        }
    }

    @Test func everyAPIRouteIsInTheSpec() async throws {
        let (routes, operations) = try await Self.routesAndOperations()
        let missing = routes.filter { route in !operations.contains { route.matches($0) } }
        #expect(missing.isEmpty, "routes that openapi.yaml does not describe: \(missing.map(\.description).joined(separator: ", "))")
    }

    @Test func everySpecOperationIsARoute() async throws {
        let (routes, operations) = try await Self.routesAndOperations()
        let missing = operations.filter { operation in !routes.contains { $0.matches(operation) } }
        #expect(missing.isEmpty, "operations in openapi.yaml that the server has no route for: \(missing.map(\.description).joined(separator: ", "))")
    }

    // MARK: - Helpers

    /// The router's API routes and the spec's API operations, the spec as the server serves it.
    static func routesAndOperations() async throws -> (routes: [Operation], operations: [Operation]) {
        let app = try await TestApp()
        let router = try await buildRouter(app.arguments, database: app.database)
        let routes = router.routes.map { Operation(method: $0.method.rawValue, path: $0.path.description) }.filter(Self.isAPI)
        let document = try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get).text
        }
        let operations = Self.operations(inSpec: document).filter(Self.isAPI)
        try #require(!routes.isEmpty && !operations.isEmpty, "found \(routes.count) API routes and \(operations.count) API operations")
        return (routes, operations)
    }

    static func isAPI(_ operation: Operation) -> Bool {
        Self.prefixes.contains { operation.path.hasPrefix($0) }
    }

    /// The operations of the spec's `paths:` block, read by its layout: a path at two spaces' indent, its methods at
    /// four. (The test target does not link a YAML parser; a spec laid out otherwise finds nothing and fails above.)
    static func operations(inSpec yaml: String) -> [Operation] {
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        var operations: [Operation] = []
        var inPaths = false
        var path: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            let content = line.drop { $0 == " " }
            if content.isEmpty || content.hasPrefix("#") { continue }
            let indent = line.count - content.count
            if indent == 0 {
                inPaths = line.hasPrefix("paths:")
                continue
            }
            guard inPaths, content.hasSuffix(":") else { continue }
            let key = content.dropLast().trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            if indent == 2 {
                path = key
            } else if indent == 4, let path, methods.contains(key) {
                operations.append(Operation(method: key.uppercased(), path: path))
            }
        }
        return operations
    }

    /// A method and a path, from the router (`/api/v1/epics/{id}`, `/api/devlake/**`) or from the spec.
    struct Operation: CustomStringConvertible, Sendable {
        let method: String
        let path: String

        var description: String { "\(self.method) \(self.path)" }

        var segments: [Substring] { self.path.split(separator: "/") }

        /// Whether this route serves `operation`: literal segments equal, a `{parameter}` for a `{parameter}`, and a
        /// trailing `**` for one or more segments.
        func matches(_ operation: Operation) -> Bool {
            guard self.method == operation.method else { return false }
            let (mine, theirs) = (self.segments, operation.segments)
            for (index, segment) in mine.enumerated() {
                if segment == "**" { return theirs.count > index }
                guard index < theirs.count else { return false }
                let other = theirs[index]
                if segment.hasPrefix("{") != other.hasPrefix("{") { return false }
                if !segment.hasPrefix("{"), segment != other { return false }
            }
            return mine.count == theirs.count
        }
    }
}

/// A path the server has, asked with a method it does not take.
struct MethodNotAllowedTests {
    @Test func answers405WithTheAllowedMethods() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            let response = try await client.execute(uri: "/api/v1/epics", method: .delete)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "GET")
            let patch = try await client.execute(uri: "/api/v1/epics/12", method: .get)
            #expect(patch.status == .methodNotAllowed)
            #expect(patch.headers[.allow] == "PATCH")
        }
    }

    @Test func aPathNoRouteHasIsStill404() async throws {
        let app = try await TestApp()
        try await app.test { client async throws in
            #expect(try await client.execute(uri: "/api/v1/nothing-here", method: .delete).status == .notFound)
        }
    }
}
