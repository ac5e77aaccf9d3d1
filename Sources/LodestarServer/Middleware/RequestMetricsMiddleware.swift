import Dispatch
import Hummingbird

/// Counts each request and times it, labelled by the matched route pattern (`/api/v1/epics/{id}`), method and status.
///
/// Hummingbird's own `MetricsMiddleware` records through the global `MetricsSystem` and does not time requests that
/// end in an error; this one records into the application's `ServerMetrics` and times every request. The route
/// pattern, never the raw URI, keeps the number of series bounded; an unmatched path counts as `NotFound`.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let response = try await next(request, context)
            // Timed when the handler answers, before the body is sent: a slow client does not count as a slow server.
            self.record(request, context: context, status: response.status.code, since: start)
            return response
        } catch {
            self.record(request, context: context, status: Self.status(of: error), since: start)
            throw error
        }
    }

    func record(_ request: Request, context: Context, status: Int, since start: UInt64) {
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        self.metrics.recordRequest(
            route: context.endpointPath ?? "NotFound", method: request.method.rawValue, status: status, nanoseconds: Int64(elapsed)
        )
    }

    /// The status an error is answered with: its own when it is an HTTP error, 500 otherwise.
    static func status(of error: any Error) -> Int {
        (error as? any HTTPResponseError)?.status.code ?? 500
    }
}
