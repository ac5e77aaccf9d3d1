import Foundation

/// Jenkins builds, as the Notification plugin sends them (or the README's `curl` step, which sends the same JSON): a
/// build of a job whose name or path matches `LODESTAR_DEPLOY_WORKFLOW` is a deployment once its phase is COMPLETED
/// or FINALIZED. Both phases of one build are one deployment, `jenkins:<job>#<number>`, the later one's values
/// winning. SUCCESS is a success, FAILURE and UNSTABLE a failure; ABORTED and NOT_BUILT deployed nothing and are
/// ignored, as are QUEUED and STARTED. The environment is the build parameter `ENVIRONMENT` (or `DEPLOY_ENV`,
/// `TARGET_ENV`, `ENV`), else the one the job's name states, else production; the service is the repository of
/// `scm.url`, else the job's name, mappable with `LODESTAR_SERVICE_MAP`. Authenticated with basic auth in the
/// endpoint's URL (the plugin's only way) or a bearer token. Jenkins sends no delivery id; a repeat is harmless,
/// since deployments are kept by job and build number.
/// Payload reference: https://plugins.jenkins.io/notification/ (JobState, BuildState and ScmState, in snake_case)
public enum JenkinsWebhook: WebhookSource {
    public static let name = "jenkins"
    public static let title = "Jenkins"
    public static let authentication = WebhookAuthentication.anyOf([.basicPassword, .bearer])
    public static let deliveryHeader: String? = nil

    /// Build parameters that name the environment, in the order they are looked for (any case).
    static let environmentParameters = ["environment", "deploy_env", "target_env", "env"]

    public static func kind(of delivery: WebhookDelivery) -> String {
        (try? WebhookDecoding.decode(Payload.self, from: delivery.body))?.build?.phase?.lowercased() ?? "unknown"
    }

    public static func outcome(of delivery: WebhookDelivery, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let payload = try WebhookDecoding.decode(Payload.self, from: delivery.body)
        let name = try WebhookDecoding.require(payload.name?.nilIfEmpty, "name")
        let build = try WebhookDecoding.require(payload.build, "build")
        let phase = try WebhookDecoding.require(build.phase?.uppercased().nilIfEmpty, "build.phase")
        guard phase == "COMPLETED" || phase == "FINALIZED" else {
            return .ignored("Jenkins phase \(phase) is not an end (deployments come from COMPLETED and FINALIZED)")
        }
        let job = Self.jobPath(url: payload.url) ?? name
        let pattern = try WebhookDecoding.regularExpression(options.deployWorkflowPattern, option: "deploy workflow pattern")
        guard WebhookDecoding.matches(pattern, name) || WebhookDecoding.matches(pattern, job) else {
            return .ignored("Jenkins job \(job) does not match the deploy pattern '\(options.deployWorkflowPattern)'")
        }
        let number = try WebhookDecoding.require(build.number, "build.number").text
        let status = try WebhookDecoding.require(build.status?.uppercased().nilIfEmpty, "build.status")
        let result: DeploymentResult
        switch status {
        case "SUCCESS": result = .success
        case "FAILURE", "UNSTABLE": result = .failure
        case "ABORTED", "NOT_BUILT": return .ignored("Jenkins build \(job)#\(number) ended \(status), which deploys nothing")
        default:
            throw WebhookError(field: "build.status", message: "'\(status)' is not a Jenkins result (SUCCESS, FAILURE, UNSTABLE, ABORTED, NOT_BUILT)")
        }
        // The plugin's timestamp is the build's end for COMPLETED and the notification's time for FINALIZED.
        let finishedAt = build.timestamp?.date ?? Date()
        let duration = (build.duration ?? 0) / 1000
        let startedAt = duration > 0 ? finishedAt - duration : nil
        let service = Self.repository(scmURL: build.scm?.url) ?? name
        let deployment = DeploymentEvent(
            id: "jenkins:\(job)#\(number)", service: options.service(named: service),
            environment: Self.environment(build.parameters?.mapValues(\.text) ?? [:], job: job),
            shas: [build.scm?.commit?.lowercased()].compactMap { $0?.nilIfEmpty },
            startedAt: startedAt.flatMap { Timestamp.isRepresentable($0) ? $0 : nil }, finishedAt: finishedAt, result: result,
            run: build.fullURL?.nilIfEmpty ?? "jenkins:\(job)#\(number)"
        )
        return .events([.deployment(deployment)])
    }

    /// The environment a build parameter names, else the one the job's name states, else production.
    static func environment(_ parameters: [String: String], job: String) -> String {
        let byName = Dictionary(parameters.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        for key in Self.environmentParameters {
            if let value = byName[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
        }
        return EnvironmentKind.named(in: job) ?? "production"
    }

    /// `checkout` of `https://github.com/acme/checkout.git`, `git@github.com:acme/checkout.git` or `…/checkout/`.
    static func repository(scmURL: String?) -> String? {
        guard let url = scmURL?.trimmingCharacters(in: .whitespaces), !url.isEmpty else { return nil }
        let last = url.split(whereSeparator: { $0 == "/" || $0 == ":" }).last.map(String.init) ?? url
        let name = last.hasSuffix(".git") ? String(last.dropLast(4)) : last
        return name.nilIfEmpty
    }

    /// The job's full path from its URL: `team/deploy-api` for `job/team/job/deploy-api/` (folders and branches of a
    /// multibranch job have their own `job/` segments); nil without one.
    static func jobPath(url: String?) -> String? {
        guard let url else { return nil }
        let segments = url.split(separator: "/").map(String.init)
        var names: [String] = []
        var index = 0
        while index + 1 < segments.count {
            if segments[index] == "job" {
                names.append(segments[index + 1].removingPercentEncoding ?? segments[index + 1])
                index += 2
            } else {
                index += 1
            }
        }
        return names.isEmpty ? nil : names.joined(separator: "/")
    }

    struct Payload: Decodable {
        var name: String?
        var url: String?
        var build: Build?
    }

    struct Build: Decodable {
        var number: FlexibleID?
        var phase: String?
        var status: String?
        var fullURL: String?
        var parameters: [String: Parameter]?
        var scm: SCM?
        var timestamp: FlexibleDate?
        /// Milliseconds.
        var duration: Double?

        enum CodingKeys: String, CodingKey {
            case number, phase, status, parameters, scm, timestamp, duration
            case fullURL = "full_url"
        }
    }

    /// A build parameter: text as the plugin sends it, or a number or boolean from a pipeline step's JSON.
    struct Parameter: Decodable {
        let text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self.text = ""
            } else if let flag = try? container.decode(Bool.self) {
                self.text = String(flag)
            } else if let number = try? container.decode(Double.self) {
                self.text = number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
            } else {
                self.text = try container.decode(String.self)
            }
        }
    }

    struct SCM: Decodable {
        var url: String?
        var branch: String?
        var commit: String?
    }
}
