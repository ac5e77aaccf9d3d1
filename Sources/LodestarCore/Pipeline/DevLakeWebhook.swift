import Foundation

/// Accepts what CI/CD scripts post to Apache DevLake's webhook plugin, unchanged, so they can point at Lodestar instead:
/// `POST …/deployments` gives deployments and `POST …/issues` with type `INCIDENT` gives incidents.
///
/// Both DevLake body forms are read: the current camelCase one (`deploymentCommits`, `startedDate`, `issueKey`…) and the
/// older snake_case one (`commit_sha`, `repo_url`, `start_time`, `end_time`, `issue_key`…). Closing an issue
/// (`POST …/issue/KEY/close`) carries no times, so it needs the stored incident: see `closedIncidentID(path:body:)`.
public enum DevLakeWebhook {
    /// `path` is DevLake's webhook API path after Lodestar's `/api/devlake` prefix, such as `/plugins/webhook/1/deployments`,
    /// `/plugins/webhook/1/issues` or `/plugins/webhook/1/issue/DLK-1234/close`; the number is the connection id.
    public static func outcome(path: String, body: Data, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let route = try self.route(path)
        switch route.action {
        case .deployments:
            let request = try WebhookDecoding.decode(DeploymentRequest.self, from: body, convertSnakeCase: true)
            return try self.deployments(request, project: options.devLakeProject(connection: route.connection))
        case .issues:
            return try self.issue(try WebhookDecoding.decode(IssueRequest.self, from: body, convertSnakeCase: true), connection: route.connection, options: options)
        case .close:
            let key = try self.issueKeyToClose(route, body: body)
            return .ignored("closing DevLake issue \(key) needs the stored incident; see closedIncidentID(path:body:)")
        }
    }

    /// For a close path, the id of the incident to resolve (as `outcome` stored it from the issue's delivery); nil for
    /// any other path. The caller sets its `resolvedAt` to the time of the request, as DevLake does.
    public static func closedIncidentID(path: String, body: Data) throws(WebhookError) -> String? {
        let route = try self.route(path)
        guard case .close = route.action else { return nil }
        return self.incidentID(connection: route.connection, issueKey: try self.issueKeyToClose(route, body: body))
    }

    // MARK: - Paths

    private enum Action {
        case deployments
        case issues
        /// The key from the path, or nil for the body-based form (`…/issue/close` with `{"issueKey": …}`).
        case close(issueKey: String?)
    }

    /// Reads `plugins/webhook/{id}/…`, `plugins/webhook/connections/{id}/…` and the `by-name/{name}` forms, with or without
    /// an `/api/devlake` or DevLake's own `/api/rest` prefix.
    private static func route(_ path: String) throws(WebhookError) -> (connection: String, action: Action) {
        let unknown = WebhookError(
            field: "path",
            message: "'\(path)' is not a DevLake webhook path (/plugins/webhook/{connection}/deployments, …/issues or …/issue/{key}/close)"
        )
        let withoutQuery = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var parts = withoutQuery.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        while let first = parts.first, ["api", "devlake", "rest"].contains(first) { parts.removeFirst() }
        guard parts.count >= 4, parts[0] == "plugins", parts[1] == "webhook" else { throw unknown }
        parts.removeFirst(2)
        if parts.first == "connections" { parts.removeFirst() }
        let connection: String
        if parts.count >= 2, parts[0] == "by-name" {
            connection = parts[1]
            parts.removeFirst(2)
        } else if let id = parts.first, id.allSatisfy({ $0.isASCII && $0.isNumber }) {
            connection = id
            parts.removeFirst()
        } else {
            throw unknown
        }
        if parts == ["deployments"] { return (connection, .deployments) }
        if parts == ["issues"] { return (connection, .issues) }
        if parts == ["issue", "close"] { return (connection, .close(issueKey: nil)) }
        if parts.count == 3, parts[0] == "issue", parts[2] == "close", !parts[1].isEmpty { return (connection, .close(issueKey: parts[1])) }
        throw unknown
    }

    private static func issueKeyToClose(_ route: (connection: String, action: Action), body: Data) throws(WebhookError) -> String {
        if case .close(let key?) = route.action { return key }
        return try WebhookDecoding.require((try WebhookDecoding.decode(CloseRequest.self, from: body, convertSnakeCase: true).issueKey?.text).nonEmpty, "issueKey")
    }

    private static func incidentID(connection: String, issueKey: String) -> String {
        "devlake-issue-\(connection)-\(issueKey)"
    }

    // MARK: - Events

    /// One deployment per repository (service) the body lists, carrying that repository's commits, filed under the
    /// connection's project.
    private static func deployments(_ request: DeploymentRequest, project: String) throws(WebhookError) -> WebhookOutcome {
        var commits: [(commit: DeploymentRequest.Commit, shaField: String)] = []
        if let listed = request.deploymentCommits, !listed.isEmpty {
            for (index, commit) in listed.enumerated() { commits.append((commit, "deploymentCommits[\(index)].commitSha")) }
        } else if request.commitSha != nil || request.repoUrl != nil {
            // The older flat form: one commit, with the deployment's own times.
            commits.append((DeploymentRequest.Commit(repoUrl: request.repoUrl, commitSha: request.commitSha), "commit_sha"))
        } else {
            throw WebhookError(field: "deploymentCommits", message: "is required (at least one commit with commitSha and repoUrl)")
        }
        let environment = (request.environment.nonEmpty ?? "PRODUCTION").lowercased()
        let sourceID = ((request.id ?? request.deploymentId ?? request.pipelineId)?.text).nonEmpty
        let startedAt = (request.startedDate ?? request.startTime)?.date
        // DevLake takes a deployment without an end time as ending when it is received.
        let finishedAt = (request.finishedDate ?? request.endTime)?.date ?? Date()

        var groups: [Deployed] = []
        var services: Set<String> = []
        var unfinished: [String] = []
        for (commit, shaField) in commits {
            let sha = try WebhookDecoding.require(commit.commitSha.nonEmpty, shaField).lowercased()
            let service = request.service.nonEmpty ?? self.repositoryName(commit.repoUrl) ?? defaultServiceName
            services.insert(service)
            let resultText = commit.result.nonEmpty ?? request.result.nonEmpty ?? "SUCCESS"
            guard let result = DeploymentResult(parsing: resultText) else {
                if !unfinished.contains(resultText) { unfinished.append(resultText) }
                continue
            }
            let commitStart = (commit.startedDate ?? commit.startTime)?.date ?? startedAt
            let commitEnd = (commit.finishedDate ?? commit.endTime)?.date ?? finishedAt
            if let index = groups.firstIndex(where: { $0.service == service }) {
                groups[index].add(sha: sha, startedAt: commitStart, finishedAt: commitEnd, result: result)
            } else {
                groups.append(Deployed(service: service, shas: [sha], startedAt: commitStart, finishedAt: commitEnd, result: result))
            }
        }
        if groups.isEmpty { return .ignored("deployment result \(unfinished.joined(separator: ", ")) is not an outcome") }
        let events = groups.map { group in
            // Without an id, the first commit and the end time identify the deployment, so a redelivery matches.
            let id = sourceID.map { services.count > 1 ? "\($0)-\(group.service)" : $0 }
                ?? "\(group.shas[0])-\(Int(group.finishedAt.timeIntervalSince1970))"
            return PipelineEvent.deployment(
                DeploymentEvent(
                    id: "devlake-\(id)", service: group.service, environment: environment, shas: group.shas,
                    startedAt: group.startedAt, finishedAt: group.finishedAt, result: group.result, project: project
                )
            )
        }
        return .events(events)
    }

    /// An issue of type `INCIDENT`; other types (`BUG`, `REQUIREMENT`…) are not incidents. DevLake's issue names no
    /// repository, so it is filed under the connection's project, whose deployments it is linked to.
    private static func issue(_ request: IssueRequest, connection: String, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let key = try WebhookDecoding.require((request.issueKey?.text).nonEmpty, "issueKey")
        let openedAt = try WebhookDecoding.require(request.createdDate, "createdDate").date
        guard request.type?.uppercased() == "INCIDENT" else { return .ignored("issue type \(request.type ?? "(none)") is not INCIDENT") }
        let done = request.status?.uppercased() == "DONE"
        // DONE without any date was resolved by the time it was sent.
        let resolvedAt = request.resolutionDate?.date ?? (done ? request.updatedDate?.date ?? Date() : nil)
        let rootCause = try WebhookDecoding.firstCapture(of: options.rootCausePattern, in: (request.title ?? "") + "\n" + (request.description ?? ""))
        let incident = IncidentEvent(
            id: self.incidentID(connection: connection, issueKey: key),
            service: request.service.nonEmpty ?? options.devLakeProject(connection: connection),
            title: request.title, openedAt: openedAt, resolvedAt: resolvedAt, rootCauseSHA: rootCause?.lowercased()
        )
        return .events([.incident(incident)])
    }

    // MARK: - Helpers

    /// `https://github.com/apache/incubator-devlake/`, `git@host:group/api.git` → `incubator-devlake`, `api`.
    private static func repositoryName(_ url: String?) -> String? {
        guard let url = url.nonEmpty else { return nil }
        let last = url.split(whereSeparator: { $0 == "/" || $0 == ":" }).last.map(String.init) ?? url
        let name = last.hasSuffix(".git") ? String(last.dropLast(4)) : last
        return name.isEmpty ? nil : name
    }


}

/// The commits of one repository in a deployment, gathered into one event.
private struct Deployed {
    var service: String
    var shas: [String]
    var startedAt: Date?
    var finishedAt: Date
    var result: DeploymentResult

    /// A repository's deployment failed if any of its commits' deployments did.
    mutating func add(sha: String, startedAt: Date?, finishedAt: Date, result: DeploymentResult) {
        if !self.shas.contains(sha) { self.shas.append(sha) }
        if let startedAt { self.startedAt = min(self.startedAt ?? startedAt, startedAt) }
        self.finishedAt = max(self.finishedAt, finishedAt)
        if result == .failure || (result == .rolledBack && self.result == .success) { self.result = result }
    }
}

// MARK: - Payloads (snake_case keys are converted to camelCase by the decoder)

private struct DeploymentRequest: Decodable {
    var id: FlexibleID?
    var deploymentId: FlexibleID?
    /// The older forms' id.
    var pipelineId: FlexibleID?
    /// Not DevLake's: lets a sender name the service instead of deriving it from the repository URL.
    var service: String?
    var result: String?
    var environment: String?
    var startedDate: FlexibleDate?
    var finishedDate: FlexibleDate?
    var startTime: FlexibleDate?
    var endTime: FlexibleDate?
    var deploymentCommits: [Commit]?
    // The older flat form names one commit at the top level.
    var commitSha: String?
    var repoUrl: String?

    struct Commit: Decodable {
        var repoUrl: String?
        var commitSha: String?
        var result: String?
        var startedDate: FlexibleDate?
        var finishedDate: FlexibleDate?
        var startTime: FlexibleDate?
        var endTime: FlexibleDate?
    }
}

private struct IssueRequest: Decodable {
    var issueKey: FlexibleID?
    var title: String?
    var description: String?
    var type: String?
    var status: String?
    /// Not DevLake's: lets a sender name the affected service.
    var service: String?
    var createdDate: FlexibleDate?
    var updatedDate: FlexibleDate?
    var resolutionDate: FlexibleDate?
}

private struct CloseRequest: Decodable {
    var issueKey: FlexibleID?
}

extension Optional where Wrapped == String {
    /// The text, or nil when it is missing or empty (senders send `""` for "not set" as often as null).
    fileprivate var nonEmpty: String? {
        guard let text = self, !text.isEmpty else { return nil }
        return text
    }
}
