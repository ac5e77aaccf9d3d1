import Hummingbird
import Logging

/// Logs each request's method, path and status. The query string is left out: survey links carry tokens.
struct RequestLoggingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        context.logger.debug(
            "request",
            metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(response.status.code)"]
        )
        return response
    }
}
