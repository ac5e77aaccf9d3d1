import LodestarCore
import Metrics
import Synchronization
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
    /// The ignored kinds given their own series so far, per source: a sender names kinds, so they are capped.
    private let ignoredKinds = IgnoredKinds()

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
    /// A sender of pipeline data, by the name its metrics carry.
    public struct PipelineSource: RawRepresentable, Hashable, Sendable {
        public var rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        public static let github = Self(rawValue: "github")
        public static let gitlab = Self(rawValue: "gitlab")
        public static let devlake = Self(rawValue: "devlake")
        public static let events = Self(rawValue: "events")

        /// Every sender: the built-in ones and each `WebhookSources` source.
        public static var allCases: [Self] {
            [.github, .gitlab, .devlake, .events] + WebhookSources.all.map { Self(rawValue: $0.name) }
        }
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

    /// A webhook delivery was answered "ignored". `kind` is the sender's event kind; the first
    /// `IgnoredKinds.limit` kinds of each source get their own series, later ones count as `other`.
    /// Returns the kind's label, which is also what the database counts it under.
    @discardableResult
    func webhookIgnored(_ source: PipelineSource, kind: String) -> String {
        let label = self.ignoredKinds.label(source: source, kind: kind)
        Counter(label: "lodestar_webhooks_ignored_total", dimensions: [("source", source.rawValue), ("kind", label)], factory: self.factory)
            .increment()
        return label
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

/// The kinds of ignored webhook seen per source, so that the label set stays bounded whatever senders send.
final class IgnoredKinds: Sendable {
    static let limit = 40
    private let seen = Mutex<[ServerMetrics.PipelineSource: Set<String>]>([:])

    /// The kind as a label: lower-case letters, digits, `_`, `-` and `.` only, at most 40 of them; `other` past the limit.
    func label(source: ServerMetrics.PipelineSource, kind: String) -> String {
        let cleaned = String(kind.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) ? $0 : "_" }.prefix(40))
        let name = cleaned.isEmpty ? "none" : cleaned
        return self.seen.withLock { seen in
            if seen[source, default: []].contains(name) { return name }
            guard seen[source, default: []].count < Self.limit else { return "other" }
            seen[source, default: []].insert(name)
            return name
        }
    }
}
