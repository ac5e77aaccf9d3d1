import Metrics
import class Prometheus.PrometheusCollectorRegistry
import struct Prometheus.PrometheusMetricsFactory

/// The server's metrics: one Prometheus registry per application, filled through swift-metrics.
///
/// Every metric is made with this value's own factory, never with `MetricsSystem`'s global one, so that each
/// application built in a process (every test builds one) counts on its own and nothing is bootstrapped twice.
/// Labels are bounded sets (route patterns, methods, status codes, a few sources): never a raw URI, a token or an answer.
public struct ServerMetrics: Sendable {
    /// Where the values live; `GET /metrics` prints it.
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    /// Request duration buckets, 1 ms to 10 s.
    static let durationBuckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    /// How a survey answer arrived.
    public enum ResponseChannel: String, CaseIterable, Sendable {
        case form, api
    }

    /// Who sent pipeline events, or tried to.
    public enum PipelineSource: String, CaseIterable, Sendable {
        case github, gitlab, devlake, events
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.durationBuckets
        self.factory = factory
        // Every domain series exists from the start at 0, so a scrape can tell "none yet" from "not counted".
        for channel in ResponseChannel.allCases { _ = self.responsesStoredCounter(channel) }
        for source in PipelineSource.allCases {
            _ = self.eventsIngestedCounter(source)
            _ = self.signatureFailuresCounter(source)
        }
    }

    // MARK: - Requests

    /// Counts one answered request and its duration under the matched route pattern.
    func recordRequest(route: String, method: String, status: Int, nanoseconds: Int64) {
        let dimensions = [("route", route), ("method", method), ("status", String(status))]
        Counter(label: "lodestar_http_requests_total", dimensions: dimensions, factory: self.factory).increment()
        Timer(label: "lodestar_http_request_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds, factory: self.factory)
            .recordNanoseconds(nanoseconds)
    }

    // MARK: - Domain

    /// A survey answer was stored.
    func responseStored(via channel: ResponseChannel) {
        self.responsesStoredCounter(channel).increment()
    }

    /// Pipeline events were stored (a duplicate delivery stores none).
    func eventsIngested(_ count: Int, from source: PipelineSource) {
        guard count > 0 else { return }
        self.eventsIngestedCounter(source).increment(by: count)
    }

    /// A sender's signature or token was missing or wrong.
    func signatureFailed(_ source: PipelineSource) {
        self.signatureFailuresCounter(source).increment()
    }

    private func responsesStoredCounter(_ channel: ResponseChannel) -> Counter {
        Counter(label: "lodestar_survey_responses_stored_total", dimensions: [("via", channel.rawValue)], factory: self.factory)
    }

    private func eventsIngestedCounter(_ source: PipelineSource) -> Counter {
        Counter(label: "lodestar_pipeline_events_ingested_total", dimensions: [("source", source.rawValue)], factory: self.factory)
    }

    private func signatureFailuresCounter(_ source: PipelineSource) -> Counter {
        Counter(label: "lodestar_webhook_signature_failures_total", dimensions: [("source", source.rawValue)], factory: self.factory)
    }
}
