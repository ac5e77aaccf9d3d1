import Foundation
import Hummingbird
import LodestarCore

/// An error answered as JSON: `{"error": {"status": 400, "message": "…", "field": "…", "issues": […]}}`.
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String
    var issues: [FieldIssue] = []
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.issues = field.map { [FieldIssue(field: $0, message: message)] } ?? []
        self.headers = headers
    }

    init(_ status: HTTPResponse.Status, issues: [FieldIssue]) {
        self.status = status
        self.message = issues.map(\.description).joined(separator: "; ")
        self.issues = issues
    }

    private struct Body: Encodable {
        struct Detail: Encodable {
            let status: Int
            let message: String
            let field: String?
            let issues: [FieldIssue]
        }
        let error: Detail
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(error: .init(status: self.status.code, message: self.message, field: self.issues.first?.field, issues: self.issues))
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        let data = try JSONEncoder.sortedKeys.encode(body)
        return Response(status: self.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension APIError {
    /// The HTTP answer to a refused survey action.
    init(_ error: SurveyError) {
        switch error {
        case .invalid(let issues): self.init(.badRequest, issues: issues)
        case .roundNotOpened, .roundClosed, .roundExists, .alreadyAnswered: self.init(.conflict, error.description, field: "month")
        case .noOpenRound: self.init(.conflict, error.description)
        case .tokenRequired, .tokenInvalid, .tokenUsed: self.init(.forbidden, error.description, field: "token")
        case .unknownSurvey: self.init(.notFound, error.description)
        }
    }

    static func tooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, "the body is larger than \(limit) bytes")
    }

    /// A pipeline endpoint whose secret the server was not given: closed, so nothing unauthenticated is stored.
    static func notConfigured(_ variable: String) -> APIError {
        APIError(.unauthorized, "this endpoint is closed: start the server with \(variable) set")
    }

    static let rateLimited = APIError(.tooManyRequests, "too many answers from this address; wait a minute", headers: [.retryAfter: "60"])
}

extension JSONEncoder {
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
