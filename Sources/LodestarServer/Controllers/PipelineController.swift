import Foundation
import Hummingbird
import LodestarCore
import LodestarReport

/// `POST /api/v1/events` (generic records, bearer token), `GET /api/v1/metrics` and `GET /api/v1/deployments`.
struct PipelineController: Sendable {
    let pipeline: any PipelineRepository
    let settings: PipelineSettings
    let metrics: ServerMetrics

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("events", use: self.ingest)
        group.get("metrics", use: self.metrics)
        group.get("deployments", use: self.deployments)
    }

    struct Stored: ResponseEncodable {
        let stored: Int
    }

    /// Takes NDJSON (one record a line), one JSON object, or a JSON array of objects. Every record is checked
    /// before any is stored: one bad record answers 400 naming its index and field, and nothing is stored.
    @Sendable func ingest(request: Request, context: AppRequestContext) async throws -> Stored {
        guard let token = self.settings.ingestToken else { throw APIError.notConfigured("LODESTAR_INGEST_TOKEN") }
        guard WebhookSignature.tokenMatches(WebhookSignature.bearerToken(request.headers[.authorization]), secret: token) else {
            self.metrics.signatureFailed(.events)
            throw APIError(.unauthorized, "missing or wrong bearer token", field: "Authorization")
        }
        let accepted = ["application/json", "application/x-ndjson", "application/jsonl", "application/json-seq", "text/plain"]
        guard let type = request.mediaType, accepted.contains(type) else {
            throw APIError(.unsupportedMediaType, "send records as application/json or application/x-ndjson", field: "Content-Type")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.bodyBuffer(limit: self.settings.bodyLimit)
        } catch let error as BodyTooLarge {
            throw APIError.tooLarge(limit: error.limit)
        }
        let events = try Self.events(from: Array(buffer.readableBytesView))
        guard !events.isEmpty else { throw APIError(.badRequest, "the body holds no records") }
        _ = try await self.pipeline.store(events, deliveryId: nil)
        self.metrics.eventsIngested(events.count, from: .events)
        return Stored(stored: events.count)
    }

    /// Parses every record of a body; the first bad one is an error naming it (`records[3].finishedAt`).
    static func events(from bytes: [UInt8]) throws(APIError) -> [PipelineEvent] {
        let records: [[String: FlatValue]]
        do {
            records = try FlatJSON.parseRecords(bytes)
        } catch {
            throw APIError(.badRequest, "malformed JSON: \(error.message)", field: error.record.map { "records[\($0)]" })
        }
        var events: [PipelineEvent] = []
        events.reserveCapacity(records.count)
        for (index, record) in records.enumerated() {
            do {
                events.append(try GenericRecord.event(from: record))
            } catch {
                let field = records.count == 1 ? error.field : "records[\(index)].\(error.field)"
                throw APIError(.badRequest, error.description, field: field)
            }
        }
        return events
    }

    @Sendable func metrics(request: Request, context: AppRequestContext) async throws -> MetricsReport {
        let parameters = request.uri.queryParameters
        func text(_ name: String) -> String? { parameters.get(name).map { String($0) } }
        var query = MetricsQuery(
            from: text("from"), to: text("to"), baselineFrom: text("baselineFrom"), baselineTo: text("baselineTo"), rework: self.settings.rework
        )
        if let by = text("by") {
            guard let grouping = MetricsGrouping(rawValue: by) else {
                throw APIError(.badRequest, "by must be service, team, environment or month", field: "by")
            }
            query.grouping = grouping
        }
        if let edition = text("benchmarks") {
            guard let benchmarks = DORABenchmarks(rawValue: edition) else {
                throw APIError(.badRequest, "benchmarks must be 2021, 2023 or 2024", field: "benchmarks")
            }
            query.benchmarks = benchmarks
        }
        let columns = try await self.pipeline.deliveryColumns()
        let finalQuery = query
        let report = await HeavyWork.run { Result { () throws(FieldError) in try finalQuery.report(columns: columns) } }
        switch report {
        case .success(let report): return report
        case .failure(let error): throw APIError(.badRequest, error.message, field: error.field)
        }
    }

    /// The same JSON as `lodestar deployments --format json`; a bad parameter answers 400 naming it.
    @Sendable func deployments(request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        func text(_ name: String) -> String? { parameters.get(name).map { String($0) } }
        let query = DeploymentsQuery(service: text("service"), from: text("from"), to: text("to"), rework: self.settings.rework)
        let columns = try await self.pipeline.deliveryColumns()
        let rendered = await HeavyWork.run { Result { () throws -> String in try query.listing(columns: columns).rendered(as: .json) } }
        let body: Data
        switch rendered {
        case .success(let text): body = Data(text.utf8)
        case .failure(let error as FieldError): throw APIError(.badRequest, error.message, field: error.field)
        case .failure(let error): throw error
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension MetricsReport: ResponseEncodable {}
