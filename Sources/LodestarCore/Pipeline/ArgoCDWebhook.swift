import Foundation

/// Argo CD Notifications' webhook service, with the template and triggers of `docs/argocd-notifications.yaml`
/// (Argo CD sends what a template writes, so Lodestar ships the template it reads). Each finished sync is a
/// deployment of the synced revision: a sync that `Succeeded` is a success (a failure when the app then reports
/// `Degraded`; ignored while it is still `Progressing`), one that `Failed` or ended in `Error` a failure, and one still
/// `Running` is ignored. The environment is the app's `environment` label, else an environment word in the
/// destination namespace, cluster name or server (`payments-prod`, `stg-eu`), else production; the service is the app's name,
/// which `LODESTAR_SERVICE_MAP` can map. One sync is `argocd:<app>@<revision>@<finishedAt>`, which also names the
/// delivery, since Argo CD sends no delivery id. Authenticated with `Authorization: Bearer` (the service's header).
/// Template reference: https://argo-cd.readthedocs.io/en/stable/operator-manual/notifications/services/webhook/
public enum ArgoCDWebhook: WebhookSource {
    public static let name = "argocd"
    public static let title = "Argo CD"
    public static let authentication = WebhookAuthentication.bearer
    public static let deliveryHeader: String? = nil

    public static func kind(of delivery: WebhookDelivery) -> String {
        guard let payload = try? WebhookDecoding.decode(Payload.self, from: delivery.body) else { return "unknown" }
        return "sync \(Self.value(payload.phase) ?? Self.value(payload.syncStatus) ?? "unknown")"
    }

    /// The sync's own key: Argo CD retries a failed delivery with the same body.
    public static func deliveryId(of delivery: WebhookDelivery) -> String? {
        guard let payload = try? WebhookDecoding.decode(Payload.self, from: delivery.body) else { return nil }
        return Self.deliveryId(named: Self.key(payload))
    }

    public static func outcome(of delivery: WebhookDelivery, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let payload = try WebhookDecoding.decode(Payload.self, from: delivery.body)
        let app = try WebhookDecoding.require(Self.value(payload.app), "app")
        let result: DeploymentResult
        let health = Self.value(payload.healthStatus)?.lowercased()
        switch Self.value(payload.phase)?.lowercased() ?? (Self.value(payload.syncStatus)?.lowercased() == "synced" ? "succeeded" : nil) {
        case "succeeded" where health == "degraded" || health == "missing": result = .failure
        case "succeeded" where health == "progressing": return .ignored("sync of \(app) succeeded but the app is still progressing")
        case "succeeded": result = .success
        case "failed", "error": result = .failure
        case let phase: return .ignored("sync of \(app) is \(phase ?? "without a phase"), not finished")
        }
        let revision = try WebhookDecoding.require(Self.value(payload.revision), "revision").lowercased()
        let finishedText = try WebhookDecoding.require(Self.value(payload.finishedAt), "finishedAt")
        guard let finishedAt = Timestamp.parse(finishedText) else { throw WebhookError(field: "finishedAt", message: "'\(finishedText)' is not a time") }
        let environment = Self.value(payload.environment)
            ?? [payload.namespace, payload.cluster, payload.server].compactMap { Self.value($0).flatMap(EnvironmentKind.named(in:)) }.first ?? "production"
        let deployment = DeploymentEvent(
            id: "argocd:\(app)@\(revision)@\(finishedText)", service: options.service(named: app), environment: environment, shas: [revision],
            startedAt: Self.value(payload.startedAt).flatMap(Timestamp.parse), finishedAt: finishedAt, result: result
        )
        return .events([.deployment(deployment)])
    }

    /// `<app>@<revision>@<finishedAt>`, or nil when one is missing.
    static func key(_ payload: Payload) -> String? {
        guard let app = Self.value(payload.app), let revision = Self.value(payload.revision), let finished = Self.value(payload.finishedAt) else { return nil }
        return "\(app)@\(revision.lowercased())@\(finished)"
    }

    /// A template's value, or nil for an empty one and for Go templates' `<no value>` (a label the app does not have).
    static func value(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty, text != "<no value>" else { return nil }
        return text
    }

    /// The body of the `lodestar-deployment` template.
    struct Payload: Decodable {
        var app: String?
        var revision: String?
        var phase: String?
        var syncStatus: String?
        var healthStatus: String?
        var startedAt: String?
        var finishedAt: String?
        var namespace: String?
        var cluster: String?
        var server: String?
        var environment: String?
    }
}
