import Hummingbird

/// `GET /metrics`: the server's counters and request histograms in Prometheus text format 0.0.4.
///
/// Holds counts and durations only, labelled by route pattern, method, status and source; still, the moments
/// answers arrive are nobody else's business, so `AdminAccess` guards it like any operator endpoint.
struct PrometheusController: Sendable {
    let metrics: ServerMetrics
    let access: AdminAccess

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("metrics", use: self.scrape)
    }

    @Sendable func scrape(request: Request, context: AppRequestContext) async throws -> Response {
        try self.access.check(request, context: context)
        let text = self.metrics.registry.emitToBuffer()
        return Response(
            status: .ok,
            headers: [.contentType: Self.contentType, .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: text))
        )
    }
}
