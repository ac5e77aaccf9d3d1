import Foundation
import HTTPTypes
import Hummingbird
import LodestarCore
import Logging

/// `POST /webhooks/github`, `POST /webhooks/gitlab` and DevLake's webhook paths under `/api/devlake/`.
///
/// Each checks the sender's secret before reading the payload, turns the payload into pipeline events and stores
/// them in one transaction, then answers 202. Events Lodestar does not use are answered 202 too (a sender retries
/// anything else) and logged. A delivery id seen before stores nothing.
struct WebhooksController: Sendable {
    let pipeline: any PipelineRepository
    let settings: PipelineSettings
    let metrics: ServerMetrics

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("webhooks/github", use: self.github)
        router.post("webhooks/gitlab", use: self.gitlab)
        router.post("api/devlake/**", use: self.devLake)
        for source in WebhookSources.all {
            let path = source.authentication.usesPathToken ? "webhooks/\(source.name)/{token}" : "webhooks/\(source.name)"
            router.post(RouterPath(path)) { request, context in try await self.delivery(from: source, request: request, context: context) }
        }
    }

    /// What a webhook answer says.
    struct Accepted: ResponseEncodable {
        var stored: Int
        var ignored: String?
        var duplicate: Bool?
    }

    @Sendable func github(request: Request, context: AppRequestContext) async throws -> EditedResponse<Accepted> {
        guard let secret = self.settings.githubSecret else { throw APIError.notConfigured("LODESTAR_GITHUB_SECRET") }
        let body = try await self.body(of: request)
        let valid = WebhookSignature.verifyGitHub(
            body: body, sha256: request.headers[Self.signature256], sha1: request.headers[Self.signature1], secret: secret
        )
        guard valid else {
            self.metrics.signatureFailed(.github)
            throw APIError(.unauthorized, "missing or wrong X-Hub-Signature-256", field: "X-Hub-Signature-256")
        }
        guard let event = request.headers[Self.githubEvent] else { throw APIError(.badRequest, "missing X-GitHub-Event", field: "X-GitHub-Event") }
        try Self.requireObject(body, from: "GitHub")
        let outcome = try Self.parse { () throws(WebhookError) in
            try GitHubWebhook.outcome(event: event, body: body, options: self.settings.webhooks)
        }
        let delivery = request.headers[Self.githubDelivery].map { "github:\($0)" }
        return try await self.store(outcome, deliveryId: delivery, kind: event, from: .github, context: context)
    }

    @Sendable func gitlab(request: Request, context: AppRequestContext) async throws -> EditedResponse<Accepted> {
        guard let secret = self.settings.gitlabToken else { throw APIError.notConfigured("LODESTAR_GITLAB_TOKEN") }
        guard WebhookSignature.tokenMatches(request.headers[Self.gitlabToken], secret: secret) else {
            self.metrics.signatureFailed(.gitlab)
            throw APIError(.unauthorized, "missing or wrong X-Gitlab-Token", field: "X-Gitlab-Token")
        }
        let body = try await self.body(of: request)
        try Self.requireObject(body, from: "GitLab")
        let event = request.headers[Self.gitlabEvent] ?? ""
        let outcome = try Self.parse { () throws(WebhookError) in
            try GitLabWebhook.outcome(event: event, body: body, options: self.settings.webhooks)
        }
        // GitLab names each delivery with X-Gitlab-Event-UUID (and, on retries, the same X-Gitlab-Webhook-UUID).
        let delivery = request.headers[Self.gitlabDelivery].map { "gitlab:\($0)" }
        return try await self.store(
            outcome, deliveryId: delivery, kind: GitLabWebhook.eventKind(event: event, body: body), from: .gitlab, context: context
        )
    }

    @Sendable func devLake(request: Request, context: AppRequestContext) async throws -> EditedResponse<Accepted> {
        guard let token = self.settings.ingestToken else { throw APIError.notConfigured("LODESTAR_INGEST_TOKEN") }
        guard WebhookSignature.tokenMatches(WebhookSignature.bearerToken(request.headers[.authorization]), secret: token) else {
            self.metrics.signatureFailed(.devlake)
            throw APIError(.unauthorized, "missing or wrong bearer token", field: "Authorization")
        }
        let path = "/" + context.parameters.getCatchAll().joined(separator: "/")
        let body = try await self.body(of: request)
        let closed = try Self.parse { () throws(WebhookError) in try DevLakeWebhook.closedIncidentID(path: path, body: body) }
        if let id = closed {
            // DevLake's close call names an incident opened earlier: it is resolved now, as DevLake does.
            guard try await self.pipeline.resolveIncident(id: id, at: Date()) else {
                throw APIError(.notFound, "no incident \(id) was reported before", field: "issueKey")
            }
            self.metrics.eventsIngested(1, from: .devlake)
            return EditedResponse(status: .accepted, response: Accepted(stored: 1))
        }
        let outcome = try Self.parse { () throws(WebhookError) in
            try DevLakeWebhook.outcome(path: path, body: body, options: self.settings.webhooks)
        }
        let kind = path.split(separator: "/").last.map(String.init) ?? path
        return try await self.store(outcome, deliveryId: nil, kind: kind, from: .devlake, context: context)
    }

    /// A delivery from one of `WebhookSources`: its secret checked as the sender signs, its payload read by the
    /// source, its delivery id kept against redelivery.
    @Sendable func delivery(
        from source: any WebhookSource.Type, request: Request, context: AppRequestContext
    ) async throws -> EditedResponse<Accepted> {
        guard let secret = self.settings.sourceSecrets[source.name] else { throw APIError.notConfigured(source.secretSetting) }
        let sender = ServerMetrics.PipelineSource(rawValue: source.name)
        let body = try await self.body(of: request)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = headers[field.name.canonicalName].map { $0 + "," + field.value } ?? field.value }
        let delivery = WebhookDelivery(headers: headers, body: body, pathToken: context.parameters.get("token"))
        guard WebhookSignature.verify(source.authentication, delivery: delivery, secret: secret) else {
            self.metrics.signatureFailed(sender)
            let proof = WebhookSignature.proof(source.authentication)
            throw APIError(.unauthorized, "missing or wrong \(proof)", field: proof)
        }
        let outcome = try Self.parse { () throws(WebhookError) in try source.outcome(of: delivery, options: self.settings.webhooks) }
        return try await self.store(outcome, deliveryId: source.deliveryId(of: delivery), kind: source.kind(of: delivery), from: sender, context: context)
    }

    func body(of request: Request) async throws -> Data {
        do {
            return Data(buffer: try await request.bodyBuffer(limit: self.settings.bodyLimit), byteTransferStrategy: .noCopy)
        } catch let error as BodyTooLarge {
            throw APIError.tooLarge(limit: error.limit)
        }
    }

    static func parse<T>(_ read: () throws(WebhookError) -> T) throws(APIError) -> T {
        do {
            return try read()
        } catch {
            throw APIError(.badRequest, error.description, field: error.field.isEmpty ? nil : error.field)
        }
    }

    /// Stores the events, or, for a delivery Lodestar does not use, logs it and counts it by kind in `/metrics` and
    /// in the database (which `lodestar metrics --explain` reads).
    func store(
        _ outcome: WebhookOutcome, deliveryId: String?, kind: @autoclosure () -> String, from sender: ServerMetrics.PipelineSource,
        context: AppRequestContext
    ) async throws -> EditedResponse<Accepted> {
        switch outcome {
        case .ignored(let reason):
            let kind = kind()
            context.logger.info("webhook ignored", metadata: ["source": "\(sender.rawValue)", "kind": "\(kind)", "reason": "\(reason)"])
            let label = self.metrics.webhookIgnored(sender, kind: kind)
            try await self.pipeline.recordIgnored(source: sender.rawValue, kind: label, reason: reason)
            return EditedResponse(status: .accepted, response: Accepted(stored: 0, ignored: reason))
        case .events(let events):
            let fresh = try await self.pipeline.store(events, deliveryId: deliveryId)
            if fresh { self.metrics.eventsIngested(events.count, from: sender) }
            return EditedResponse(status: .accepted, response: Accepted(stored: fresh ? events.count : 0, duplicate: fresh ? nil : true))
        }
    }

    /// Refuses a body that is not a JSON object (empty, a list, a string…) even for an event that is ignored: every
    /// delivery of GitHub and GitLab is one object, and the API contract says so.
    static func requireObject(_ body: Data, from sender: String) throws {
        guard (try? JSONSerialization.jsonObject(with: body)) is [String: Any] else {
            throw APIError(.badRequest, "the body must be a JSON object, as \(sender) sends every event", field: "body")
        }
    }

    static let githubEvent = HTTPField.Name("X-GitHub-Event")!
    static let githubDelivery = HTTPField.Name("X-GitHub-Delivery")!
    static let signature256 = HTTPField.Name("X-Hub-Signature-256")!
    static let signature1 = HTTPField.Name("X-Hub-Signature")!
    static let gitlabToken = HTTPField.Name("X-Gitlab-Token")!
    static let gitlabEvent = HTTPField.Name("X-Gitlab-Event")!
    static let gitlabDelivery = HTTPField.Name("X-Gitlab-Event-UUID")!
}
