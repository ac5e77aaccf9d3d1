import Foundation

/// Tekton Pipelines' CloudEvents (binary mode: the type in `Ce-Type`, the body `{"pipelineRun": …}`).
/// `dev.tekton.event.pipelinerun.successful.v1` and `.failed.v1` of a pipeline whose name matches the deploy pattern
/// (its `pipelineRef` name, its `tekton.dev/pipeline` label or the run's own name) are a deployment of the commit the
/// run names: its `gitrevision` (or `revision`, `commit`) param when that is a sha, else its `commit` (or
/// `gitrevision`) result, as the catalog's git-clone task gives it. The environment comes from the pipeline's name
/// as for every deploy run (production when it names none); the service is the repository of the `git-url`
/// (`url`, `repo-url`) param, else the `app.kubernetes.io/name` label, mappable with `LODESTAR_SERVICE_MAP`. One run
/// is one deployment (by its uid), whatever order its events come in, and `Ce-Id` makes a duplicate a no-op.
/// Tekton sends no credentials, so the secret is the last segment of the sink URL.
/// Event reference: https://tekton.dev/docs/pipelines/events/
public enum TektonWebhook: WebhookSource {
    public static let name = "tekton"
    public static let title = "Tekton"
    public static let authentication = WebhookAuthentication.pathToken
    public static let deliveryHeader: String? = "Ce-Id"

    static let successful = "dev.tekton.event.pipelinerun.successful.v1"
    static let failed = "dev.tekton.event.pipelinerun.failed.v1"

    public static func kind(of delivery: WebhookDelivery) -> String {
        delivery.header("Ce-Type")?.nilIfEmpty ?? "unknown"
    }

    public static func outcome(of delivery: WebhookDelivery, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let type = Self.kind(of: delivery)
        let result: DeploymentResult
        switch type {
        case Self.successful: result = .success
        case Self.failed: result = .failure
        default: return .ignored("Tekton event \(type) is not used (deployments come from pipelinerun successful and failed)")
        }
        let run = try WebhookDecoding.require(try WebhookDecoding.decode(Payload.self, from: delivery.body).pipelineRun, "pipelineRun")
        let labels = run.metadata?.labels ?? [:]
        let names = [run.spec?.pipelineRef?.name, labels["tekton.dev/pipeline"], run.metadata?.name].compactMap { $0?.nilIfEmpty }
        guard !names.isEmpty else { throw WebhookError(field: "pipelineRun.metadata.name", message: "is required") }
        var environment: String?
        for name in names where environment == nil { environment = try DeployPattern.environment(ofRunNamed: name, options: options) }
        guard let environment else {
            return .ignored("pipeline \(names[0]) does not match the deploy pattern \(options.deployWorkflowPattern)")
        }
        let id = try WebhookDecoding.require(run.metadata?.uid?.nilIfEmpty ?? run.metadata?.name?.nilIfEmpty, "pipelineRun.metadata.uid")
        let finishedAt = try WebhookDecoding.require(run.status?.completionTime, "pipelineRun.status.completionTime").date
        let deployment = DeploymentEvent(
            id: "tekton-pipelinerun-\(id)", service: Self.service(of: run, options: options), environment: environment,
            shas: [try Self.commit(of: run)], startedAt: run.status?.startTime?.date, finishedAt: finishedAt, result: result
        )
        return .events([.deployment(deployment)])
    }

    // MARK: - Helpers

    /// The first of the run's revision params and commit results that is a sha (a `gitrevision` of `main` is not).
    private static func commit(of run: PipelineRun) throws(WebhookError) -> String {
        let params = run.spec?.params ?? []
        let results = (run.status?.pipelineResults ?? []) + (run.status?.results ?? [])
        let candidates = ["gitrevision", "revision", "commit"].compactMap { name in params.first { $0.name == name }?.value }
            + ["commit", "gitrevision", "revision", "commit-sha"].compactMap { name in results.first { $0.name == name }?.value }
        let sha = candidates.first { $0.count >= 7 && $0.count <= 64 && $0.allSatisfy(\.isHexDigit) }
        return try WebhookDecoding.require(sha, "pipelineRun.spec.params.gitrevision").lowercased()
    }

    /// The repository the run built, else the app it is labelled with, mapped.
    private static func service(of run: PipelineRun, options: WebhookOptions) -> String {
        let params = run.spec?.params ?? []
        let url = ["git-url", "url", "repo-url", "gitrepositoryurl"].lazy.compactMap { name in params.first { $0.name == name }?.value?.nilIfEmpty }.first
        let repository = url.flatMap { $0.split(whereSeparator: { "/:".contains($0) }).last.map { String($0.hasSuffix(".git") ? $0.dropLast(4) : $0) } }
        let name = repository?.nilIfEmpty ?? run.metadata?.labels?["app.kubernetes.io/name"]?.nilIfEmpty ?? defaultServiceName
        return options.service(named: name, or: url)
    }

    // MARK: - Payloads

    struct Payload: Decodable {
        var pipelineRun: PipelineRun?
    }

    struct PipelineRun: Decodable {
        var metadata: Metadata?
        var spec: Spec?
        var status: Status?
    }

    struct Metadata: Decodable {
        var name: String?
        var uid: String?
        var labels: [String: String]?
    }

    struct Spec: Decodable {
        var pipelineRef: Reference?
        var params: [Param]?
    }

    struct Reference: Decodable {
        var name: String?
    }

    /// A param or result; only text values are read (array and object values are left as nil).
    struct Param: Decodable {
        var name: String?
        var value: String?

        enum CodingKeys: String, CodingKey {
            case name, value
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.name = try container.decodeIfPresent(String.self, forKey: .name)
            self.value = try? container.decodeIfPresent(String.self, forKey: .value)
        }
    }

    struct Status: Decodable {
        var startTime: FlexibleDate?
        var completionTime: FlexibleDate?
        /// v1beta1's name for the results; v1 calls them `results`.
        var pipelineResults: [Param]?
        var results: [Param]?
    }
}
