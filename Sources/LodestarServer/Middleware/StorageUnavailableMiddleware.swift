import Hummingbird
import LodestarCore

/// Answers a request the database could not take (restarting, out of reach) with 503 and `Retry-After`: nothing of
/// it was written, and the client may send it again. Innermost, so the request log and the metrics count the 503.
struct StorageUnavailableMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any StorageUnavailableError where error.isUnavailable {
            throw APIError(.serviceUnavailable, "the database is unavailable (\(error)); try again shortly", headers: [.retryAfter: "5"])
        }
    }
}
