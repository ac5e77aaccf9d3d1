import Foundation
import LodestarCore

/// Secrets and rules for the pipeline endpoints, read from the environment by default.
///
/// A secret that is not set closes its endpoint: every request to it is answered 401 and nothing is stored.
public struct PipelineSettings: Sendable {
    /// LODESTAR_GITHUB_SECRET: the webhook secret GitHub signs deliveries with.
    public var githubSecret: String?
    /// LODESTAR_GITLAB_TOKEN: the secret token GitLab sends in `X-Gitlab-Token`.
    public var gitlabToken: String?
    /// LODESTAR_INGEST_TOKEN: the bearer token of `POST /api/v1/events` and the DevLake-compatible paths.
    public var ingestToken: String?
    /// Largest pipeline body; LODESTAR_MAX_EVENT_BODY in bytes, default 5 MiB.
    public var bodyLimit: Int
    /// LODESTAR_DEPLOY_WORKFLOW, LODESTAR_INCIDENT_LABEL, LODESTAR_ROOT_CAUSE_PATTERN and LODESTAR_DEVLAKE_PROJECTS.
    public var webhooks: WebhookOptions
    /// LODESTAR_REWORK_HOURS: when a deployment that recovered a failed one counts as rework.
    public var rework: ReworkRule
    /// The secrets of the sources under `/webhooks/<name>` (`WebhookSources`), by name, from `LODESTAR_<NAME>_SECRET`.
    public var sourceSecrets: [String: String]

    public static let defaultBodyLimit = 5 * 1024 * 1024

    public init(
        githubSecret: String? = nil, gitlabToken: String? = nil, ingestToken: String? = nil,
        bodyLimit: Int = Self.defaultBodyLimit, webhooks: WebhookOptions = WebhookOptions(), rework: ReworkRule = .standard,
        sourceSecrets: [String: String] = [:]
    ) {
        self.sourceSecrets = sourceSecrets
        self.githubSecret = githubSecret
        self.gitlabToken = gitlabToken
        self.ingestToken = ingestToken
        self.bodyLimit = bodyLimit
        self.webhooks = webhooks
        self.rework = rework
    }

    /// Settings from environment variables; empty values count as unset. A LODESTAR_DEVLAKE_PROJECTS or
    /// LODESTAR_REWORK_HOURS that cannot be read is an error naming it.
    public init(environment: [String: String]) throws(FieldError) {
        func value(_ name: String) -> String? {
            environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        let defaults = WebhookOptions()
        self.init(
            githubSecret: value("LODESTAR_GITHUB_SECRET"),
            gitlabToken: value("LODESTAR_GITLAB_TOKEN"),
            ingestToken: value("LODESTAR_INGEST_TOKEN"),
            bodyLimit: value("LODESTAR_MAX_EVENT_BODY").flatMap(Int.init) ?? Self.defaultBodyLimit,
            webhooks: WebhookOptions(
                deployWorkflowPattern: value("LODESTAR_DEPLOY_WORKFLOW") ?? defaults.deployWorkflowPattern,
                incidentLabel: value("LODESTAR_INCIDENT_LABEL") ?? defaults.incidentLabel,
                rootCausePattern: value("LODESTAR_ROOT_CAUSE_PATTERN") ?? defaults.rootCausePattern,
                devLakeProjects: try value("LODESTAR_DEVLAKE_PROJECTS").map { text throws(FieldError) in try WebhookOptions.devLakeProjects(parsing: text) } ?? [:],
                serviceMap: try value("LODESTAR_SERVICE_MAP").map { text throws(FieldError) in try WebhookOptions.serviceMap(parsing: text) } ?? [:]
            ),
            rework: try ReworkRule(environment: environment),
            sourceSecrets: Dictionary(uniqueKeysWithValues: WebhookSources.all.compactMap { source in value(source.secretSetting).map { (source.name, $0) } })
        )
    }
}
