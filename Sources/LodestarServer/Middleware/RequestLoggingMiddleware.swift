import Dispatch
import Hummingbird
import Logging

/// Logs each request's method, route pattern, status and duration in milliseconds.
///
/// The route pattern (`/api/v1/epics/{id}`) stands in for the path, and nothing else of the request is logged: survey
/// links carry tokens in their query, and addresses, cookies, secrets and answers stay out of logs.
struct RequestLoggingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let response = try await next(request, context)
            self.log(request, context: context, status: response.status.code, since: start)
            return response
        } catch {
            self.log(request, context: context, status: RequestMetricsMiddleware<Context>.status(of: error), since: start)
            throw error
        }
    }

    func log(_ request: Request, context: Context, status: Int, since start: UInt64) {
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        context.logger.log(
            level: status >= 500 ? .error : .debug,
            "request",
            metadata: [
                "method": "\(request.method)",
                "route": "\(context.endpointPath ?? "NotFound")",
                "status": "\(status)",
                "duration_ms": "\((milliseconds * 1000).rounded() / 1000)",
            ]
        )
    }
}
