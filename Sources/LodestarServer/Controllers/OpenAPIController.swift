import Foundation
import Hummingbird
import LodestarResources

/// `GET /openapi.yaml`: the description of the API, bodies, answers and authentication, for clients and for
/// contract tests (`scripts/schemathesis.sh`).
struct OpenAPIController: Sendable {
    /// The YAML document, read once at start-up like the templates.
    let document: String

    /// The media type of OpenAPI documents in YAML; `application/yaml` is what tools and browsers recognise.
    static let contentType = "application/yaml; charset=utf-8"

    /// Reads `openapi.yaml` from the resources folder; a folder without it is a broken install, refused at start-up.
    static func load(from resources: URL) throws -> OpenAPIController {
        let url = LodestarResources.openAPISpec(in: resources)
        do {
            return OpenAPIController(document: try String(contentsOf: url, encoding: .utf8))
        } catch {
            throw OpenAPISpecMissing(path: url.path)
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("openapi.yaml", use: self.spec)
    }

    @Sendable func spec(request: Request, context: AppRequestContext) async throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: Self.contentType, .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: self.document))
        )
    }
}

/// The resources folder has no `openapi.yaml`: the binary was copied without its resources, or `--resources` names
/// a folder from an older version.
struct OpenAPISpecMissing: Error, CustomStringConvertible {
    let path: String

    var description: String { "cannot read the OpenAPI description \(self.path); pass --resources DIR with the folder that ships with this binary" }
}
