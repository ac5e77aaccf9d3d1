import Foundation

/// CircleCI's outbound webhooks. A `workflow-completed` of a workflow whose name matches the deploy pattern is a
/// deployment of the pipeline's revision (`pipeline.vcs.revision`, or the checkout sha of GitLab-triggered
/// pipelines) to the environment its name gives (production when it names none), filed under the project's name
/// (`LODESTAR_SERVICE_MAP` can map it, by name or slug). A `job-completed` of a job whose name matches is a
/// deployment too, and, as a GitHub job's deployment does, it stands in for its whole workflow's (see
/// `DeploymentEvent.wholeRun`), so a deploy job inside a deploy workflow counts once. `success` is a success,
/// `failed` and `error` are failures; canceled and unauthorized runs deployed nothing and are ignored.
/// Signed with `circleci-signature: v1=<hex HMAC-SHA256>` (a comma-separated list, any match enough); CircleCI
/// sends no delivery header, so the body's `id` names a delivery.
/// Payload reference: https://circleci.com/docs/webhooks-reference/
public enum CircleCIWebhook: WebhookSource {
    public static let name = "circleci"
    public static let title = "CircleCI"
    public static let authentication = WebhookAuthentication.hmacSHA256(header: "circleci-signature", prefix: "v1=", several: true)
    public static let deliveryHeader: String? = nil

    public static func kind(of delivery: WebhookDelivery) -> String {
        (try? WebhookDecoding.decode(Payload.self, from: delivery.body))?.type?.nilIfEmpty ?? delivery.header("circleci-event-type") ?? "unknown"
    }

    /// The body's `id`, the same on every retry of one event.
    public static func deliveryId(of delivery: WebhookDelivery) -> String? {
        Self.deliveryId(named: (try? WebhookDecoding.decode(Envelope.self, from: delivery.body))?.id?.text)
    }

    public static func outcome(of delivery: WebhookDelivery, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let payload = try WebhookDecoding.decode(Payload.self, from: delivery.body)
        let type = payload.type?.nilIfEmpty ?? delivery.header("circleci-event-type") ?? ""
        switch type {
        case "workflow-completed": return try Self.workflow(payload, options: options)
        case "job-completed": return try Self.job(payload, options: options)
        default: return .ignored("CircleCI event \(type.isEmpty ? "(none)" : type) is not used (deployments come from workflow-completed and job-completed)")
        }
    }

    // MARK: - Events

    private static func workflow(_ payload: Payload, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let workflow = try WebhookDecoding.require(payload.workflow, "workflow")
        let name = try WebhookDecoding.require(workflow.name?.nilIfEmpty, "workflow.name")
        guard let environment = try DeployPattern.environment(ofRunNamed: name, options: options) else {
            return .ignored("workflow \(name) does not match the deploy pattern \(options.deployWorkflowPattern)")
        }
        let status = try WebhookDecoding.require(workflow.status?.nilIfEmpty, "workflow.status")
        guard let result = DeploymentResult(parsing: status) else { return .ignored("workflow \(name) ended \(status), which deploys nothing") }
        let id = try WebhookDecoding.require(workflow.id?.text.nilIfEmpty, "workflow.id")
        let finishedAt = try WebhookDecoding.require(workflow.stoppedAt ?? payload.happenedAt, "workflow.stopped_at").date
        let key = "circleci-workflow-\(id)"
        let deployment = DeploymentEvent(
            id: key, service: try Self.service(of: payload, options: options), environment: environment, shas: [try Self.revision(of: payload)],
            startedAt: workflow.createdAt?.date, finishedAt: finishedAt, result: result, run: key, wholeRun: true
        )
        return .events([.deployment(deployment)])
    }

    private static func job(_ payload: Payload, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let job = try WebhookDecoding.require(payload.job, "job")
        let name = try WebhookDecoding.require(job.name?.nilIfEmpty, "job.name")
        guard let environment = try DeployPattern.environment(ofRunNamed: name, options: options) else {
            return .ignored("job \(name) does not match the deploy pattern \(options.deployWorkflowPattern)")
        }
        let status = try WebhookDecoding.require(job.status?.nilIfEmpty, "job.status")
        guard let result = DeploymentResult(parsing: status) else { return .ignored("job \(name) ended \(status), which deploys nothing") }
        let id = try WebhookDecoding.require(job.id?.text.nilIfEmpty, "job.id")
        let finishedAt = try WebhookDecoding.require(job.stoppedAt ?? payload.happenedAt, "job.stopped_at").date
        let deployment = DeploymentEvent(
            id: "circleci-job-\(id)", service: try Self.service(of: payload, options: options), environment: environment,
            shas: [try Self.revision(of: payload)], startedAt: job.startedAt?.date, finishedAt: finishedAt, result: result,
            run: payload.workflow?.id.map { "circleci-workflow-\($0.text)" }
        )
        return .events([.deployment(deployment)])
    }

    // MARK: - Helpers

    /// The pipeline's commit: `vcs.revision` for GitHub and Bitbucket projects, the checkout sha for GitLab ones.
    private static func revision(of payload: Payload) throws(WebhookError) -> String {
        let pipeline = try WebhookDecoding.require(payload.pipeline, "pipeline")
        let revision = pipeline.vcs?.revision?.nilIfEmpty ?? pipeline.triggerParameters?.git?.checkoutSHA?.nilIfEmpty
        return try WebhookDecoding.require(revision, "pipeline.vcs.revision").lowercased()
    }

    /// The project's name (the repository's), mapped by name or slug.
    private static func service(of payload: Payload, options: WebhookOptions) throws(WebhookError) -> String {
        let project = try WebhookDecoding.require(payload.project, "project")
        let slug = project.slug?.nilIfEmpty
        let name = project.name?.nilIfEmpty ?? slug.flatMap { $0.split(separator: "/").last.map(String.init) } ?? defaultServiceName
        return options.service(named: name, or: slug)
    }

    // MARK: - Payloads

    /// The id alone, read for redelivery checks.
    struct Envelope: Decodable {
        var id: FlexibleID?
    }

    struct Payload: Decodable {
        var type: String?
        var happenedAt: FlexibleDate?
        var project: Project?
        var workflow: Run?
        var job: Run?
        var pipeline: Pipeline?

        enum CodingKeys: String, CodingKey {
            case type, project, workflow, job, pipeline
            case happenedAt = "happened_at"
        }
    }

    struct Project: Decodable {
        var name: String?
        var slug: String?
    }

    /// A workflow or a job: the same fields, a job's start being `started_at` and a workflow's `created_at`.
    struct Run: Decodable {
        var id: FlexibleID?
        var name: String?
        var status: String?
        var createdAt: FlexibleDate?
        var startedAt: FlexibleDate?
        var stoppedAt: FlexibleDate?

        enum CodingKeys: String, CodingKey {
            case id, name, status
            case createdAt = "created_at"
            case startedAt = "started_at"
            case stoppedAt = "stopped_at"
        }
    }

    struct Pipeline: Decodable {
        var vcs: VCS?
        var triggerParameters: TriggerParameters?

        enum CodingKeys: String, CodingKey {
            case vcs
            case triggerParameters = "trigger_parameters"
        }

        struct VCS: Decodable {
            var revision: String?
        }

        struct TriggerParameters: Decodable {
            var git: Git?
        }

        struct Git: Decodable {
            var checkoutSHA: String?

            enum CodingKeys: String, CodingKey {
                case checkoutSHA = "checkout_sha"
            }
        }
    }
}
