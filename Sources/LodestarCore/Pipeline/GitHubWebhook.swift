import Foundation

/// Turns GitHub webhook deliveries into pipeline events: `push` and merged `pull_request` give changes, `deployment_status`
/// and deploy `workflow_run`s give deployments, `issues` with the incident label give incidents.
///
/// Every payload field is read as optional, because GitHub, GitHub Enterprise and look-alike senders differ in what they
/// include; a needed field that is missing, or a time that cannot be read, is a `WebhookError` naming the field's path.
public enum GitHubWebhook {
    /// `event` is the X-GitHub-Event header value.
    public static func outcome(event: String, body: Data, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let event = event.trimmingCharacters(in: .whitespaces).lowercased()
        switch event {
        case "ping": return .ignored("ping")
        case "deployment": return .ignored("deployment created; its status decides")
        case "push": return try self.push(try WebhookDecoding.decode(PushPayload.self, from: body))
        case "pull_request": return try self.pullRequest(try WebhookDecoding.decode(PullRequestPayload.self, from: body))
        case "deployment_status": return try self.deploymentStatus(try WebhookDecoding.decode(DeploymentStatusPayload.self, from: body))
        case "workflow_run": return try self.workflowRun(try WebhookDecoding.decode(WorkflowRunPayload.self, from: body), options: options)
        case "issues": return try self.issue(try WebhookDecoding.decode(IssuesPayload.self, from: body), options: options)
        default: return .ignored("event \(event.isEmpty ? "(none)" : event) is not used")
        }
    }

    // MARK: - Events

    /// One change per pushed commit, and the history the push states: `after` contains every listed commit and,
    /// unless the push was forced or made a new branch, `before`. The list's order is not read: senders differ.
    private static func push(_ payload: PushPayload) throws(WebhookError) -> WebhookOutcome {
        if payload.deleted == true { return .ignored("push deleted a branch or tag") }
        let service = self.service(of: payload.repository)
        var events: [PipelineEvent] = []
        var listed: [String] = []
        for (index, commit) in (payload.commits ?? []).enumerated() {
            let sha = try WebhookDecoding.require(commit.id.nonEmpty, "commits[\(index)].id").lowercased()
            let committedAt = try WebhookDecoding.require(commit.timestamp, "commits[\(index)].timestamp").date
            let authoredAt = commit.author?.date?.date ?? committedAt
            events.append(.change(ChangeEvent(sha: sha, service: service, authoredAt: authoredAt, committedAt: committedAt)))
            listed.append(sha)
        }
        let before = payload.forced == true ? nil : payload.before.nonEmpty.flatMap { $0.allSatisfy { $0 == "0" } ? nil : $0.lowercased() }
        if let history = HistoryEvent.stated(service: service, head: payload.after, listed: listed, before: before) { events.append(.history(history)) }
        return events.isEmpty ? .ignored("push has no commits") : .events(events)
    }

    /// A merged pull request: its merge commit, dated from the PR's opening so squash merges keep their lead time.
    private static func pullRequest(_ payload: PullRequestPayload) throws(WebhookError) -> WebhookOutcome {
        guard payload.action == "closed" else { return .ignored("pull request action \(payload.action ?? "(none)") is not a merge") }
        let pullRequest = try WebhookDecoding.require(payload.pullRequest, "pull_request")
        guard pullRequest.merged == true || pullRequest.mergedAt != nil else { return .ignored("pull request closed without merging") }
        let mergedAt = try WebhookDecoding.require(pullRequest.mergedAt, "pull_request.merged_at").date
        let sha = try WebhookDecoding.require(pullRequest.mergeCommitSHA.nonEmpty, "pull_request.merge_commit_sha").lowercased()
        let service = self.service(of: payload.repository)
        let change = ChangeEvent(sha: sha, service: service, authoredAt: pullRequest.createdAt?.date, committedAt: mergedAt, prMergedAt: mergedAt)
        // The merge (or squash, or last rebased) commit brings the pull request's head, and its base before it.
        let contained = [pullRequest.head?.sha, pullRequest.base?.sha].compactMap { $0.nonEmpty?.lowercased() }
        let history = HistoryEvent.stated(service: service, head: sha, listed: contained, before: nil)
        return .events([.change(change)] + (history.map { [.history($0)] } ?? []))
    }

    /// A deployment that reached an end state.
    private static func deploymentStatus(_ payload: DeploymentStatusPayload) throws(WebhookError) -> WebhookOutcome {
        let status = try WebhookDecoding.require(payload.deploymentStatus, "deployment_status")
        let state = try WebhookDecoding.require(status.state.nonEmpty, "deployment_status.state")
        guard let result = DeploymentResult(parsing: state) else { return .ignored("deployment status \(state) is not an outcome") }
        let deployment = try WebhookDecoding.require(payload.deployment, "deployment")
        let sha = try WebhookDecoding.require(deployment.sha.nonEmpty, "deployment.sha").lowercased()
        let environment = status.environment.nonEmpty ?? deployment.environment.nonEmpty ?? "production"
        let finishedAt = try WebhookDecoding.require(status.updatedAt ?? status.createdAt, "deployment_status.updated_at").date
        // A job of an Actions run with `environment:` made this deployment: it names its run, whose workflow_run then
        // stands aside (see `DeploymentEvent.wholeRun`).
        let run = payload.workflowRun?.id.map { Self.runKey(id: $0.text, attempt: payload.workflowRun?.runAttempt) }
        let event = DeploymentEvent(
            id: "github-deployment-\(deployment.id?.text ?? "\(sha)-\(environment)")", service: self.service(of: payload.repository),
            environment: environment, shas: [sha], startedAt: deployment.createdAt?.date, finishedAt: finishedAt, result: result, run: run
        )
        return .events([.deployment(event)])
    }

    /// A completed run of a workflow whose name matches the deploy pattern is a deployment. Its environment is the
    /// pattern's first capture group when it has one (`deploy[- ]to[- ](\w+)`), else an environment word in the
    /// workflow's name (`Deploy staging`), else production. When a job of the run reports its own deployment
    /// (`environment:` in the workflow gives a deployment_status), that one counts instead.
    private static func workflowRun(_ payload: WorkflowRunPayload, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let run = try WebhookDecoding.require(payload.workflowRun, "workflow_run")
        let completed = payload.action.map { $0 == "completed" } ?? (run.status == "completed")
        guard completed else { return .ignored("workflow run \(payload.action ?? run.status ?? "in progress") has not completed") }
        guard let name = run.name.nonEmpty ?? payload.workflow?.name.nonEmpty else { return .ignored("workflow run has no name") }
        let pattern = try WebhookDecoding.regularExpression(options.deployWorkflowPattern, option: "deploy workflow pattern")
        guard let match = pattern.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) else {
            return .ignored("workflow \(name) does not match the deploy pattern \(options.deployWorkflowPattern)")
        }
        let captured = match.numberOfRanges > 1 ? Range(match.range(at: 1), in: name).map { String(name[$0]) } : nil
        let environment = captured.nonEmpty ?? EnvironmentKind.named(in: name) ?? "production"
        let result: DeploymentResult
        switch run.conclusion?.lowercased() {
        case "success": result = .success
        case "failure", "timed_out": result = .failure
        case let other: return .ignored("workflow run concluded \(other ?? "without a conclusion")")
        }
        let id = try WebhookDecoding.require(run.id, "workflow_run.id").text
        let sha = try WebhookDecoding.require(run.headSHA.nonEmpty, "workflow_run.head_sha").lowercased()
        let finishedAt = try WebhookDecoding.require(run.updatedAt, "workflow_run.updated_at").date
        let key = Self.runKey(id: id, attempt: run.runAttempt)
        let event = DeploymentEvent(
            id: key, service: self.service(of: payload.repository), environment: environment,
            shas: [sha], startedAt: (run.runStartedAt ?? run.createdAt)?.date, finishedAt: finishedAt, result: result, run: key, wholeRun: true
        )
        return .events([.deployment(event)])
    }

    /// An issue carrying the incident label; its id depends only on repository and number, so edits update one incident.
    private static func issue(_ payload: IssuesPayload, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let issue = try WebhookDecoding.require(payload.issue, "issue")
        var labels = issue.labels ?? []
        if payload.action == "labeled", let label = payload.label { labels.append(label) }
        let incidentLabel = options.incidentLabel.lowercased()
        guard labels.contains(where: { $0.name?.lowercased() == incidentLabel }) else {
            return .ignored("issue is not labelled \(options.incidentLabel)")
        }
        let number = try WebhookDecoding.require(issue.number, "issue.number").text
        let openedAt = try WebhookDecoding.require(issue.createdAt, "issue.created_at").date
        let resolvedAt: Date?
        switch payload.action {
        case "closed": resolvedAt = try WebhookDecoding.require(issue.closedAt ?? issue.updatedAt, "issue.closed_at").date
        case "reopened": resolvedAt = nil
        default: resolvedAt = issue.closedAt?.date
        }
        let service = self.service(of: payload.repository)
        let rootCause = try WebhookDecoding.firstCapture(of: options.rootCausePattern, in: (issue.title ?? "") + "\n" + (issue.body ?? ""))
        let incident = IncidentEvent(
            id: "github-issue-\(payload.repository?.fullName.nonEmpty ?? service)#\(number)", service: service, title: issue.title,
            openedAt: openedAt, resolvedAt: resolvedAt, rootCauseSHA: rootCause?.lowercased()
        )
        return .events([.incident(incident)])
    }

    // MARK: - Helpers

    /// A workflow run's attempt, as the workflow_run and its jobs' deployment statuses both name it.
    static func runKey(id: String, attempt: Int?) -> String {
        "github-run-\(id)-\(attempt ?? 1)"
    }

    private static func service(of repository: Repository?) -> String {
        repository?.name.nonEmpty ?? defaultServiceName
    }


}

// MARK: - Payloads

// Keys are spelt out rather than read with `.convertFromSnakeCase` (as GitLab's are): GitHub's bodies are large and
// converting every key in them cut stored webhooks from about 8,400/s to 6,500/s (scripts/bench-webhooks.sh).

private struct Repository: Decodable {
    var name: String?
    var fullName: String?

    enum CodingKeys: String, CodingKey {
        case name
        case fullName = "full_name"
    }
}

private struct PushPayload: Decodable {
    var before: String?
    var after: String?
    var forced: Bool?
    var deleted: Bool?
    var commits: [Commit]?
    var repository: Repository?

    struct Commit: Decodable {
        var id: String?
        var timestamp: FlexibleDate?
        var author: Person?
    }

    /// Git author metadata; GitHub's schema allows a `date`, which is the authoring time when present.
    struct Person: Decodable {
        var date: FlexibleDate?
    }
}

private struct PullRequestPayload: Decodable {
    var action: String?
    var pullRequest: PullRequest?
    var repository: Repository?

    enum CodingKeys: String, CodingKey {
        case action, repository
        case pullRequest = "pull_request"
    }

    struct PullRequest: Decodable {
        var merged: Bool?
        var mergedAt: FlexibleDate?
        var createdAt: FlexibleDate?
        var mergeCommitSHA: String?
        var head: Ref?
        var base: Ref?

        struct Ref: Decodable {
            var sha: String?
        }

        enum CodingKeys: String, CodingKey {
            case merged, head, base
            case mergedAt = "merged_at"
            case createdAt = "created_at"
            case mergeCommitSHA = "merge_commit_sha"
        }
    }
}

private struct DeploymentStatusPayload: Decodable {
    var deploymentStatus: Status?
    var deployment: Deployment?
    var repository: Repository?
    /// Present when a job of an Actions workflow run created the deployment.
    var workflowRun: Run?

    enum CodingKeys: String, CodingKey {
        case deployment, repository
        case deploymentStatus = "deployment_status"
        case workflowRun = "workflow_run"
    }

    struct Run: Decodable {
        var id: FlexibleID?
        var runAttempt: Int?

        enum CodingKeys: String, CodingKey {
            case id
            case runAttempt = "run_attempt"
        }
    }

    struct Status: Decodable {
        var state: String?
        var environment: String?
        var createdAt: FlexibleDate?
        var updatedAt: FlexibleDate?

        enum CodingKeys: String, CodingKey {
            case state, environment
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }
    }

    struct Deployment: Decodable {
        var id: FlexibleID?
        var sha: String?
        var environment: String?
        var createdAt: FlexibleDate?

        enum CodingKeys: String, CodingKey {
            case id, sha, environment
            case createdAt = "created_at"
        }
    }
}

private struct WorkflowRunPayload: Decodable {
    var action: String?
    var workflowRun: Run?
    var workflow: Workflow?
    var repository: Repository?

    enum CodingKeys: String, CodingKey {
        case action, workflow, repository
        case workflowRun = "workflow_run"
    }

    struct Run: Decodable {
        var id: FlexibleID?
        var name: String?
        var status: String?
        var conclusion: String?
        var headSHA: String?
        var runAttempt: Int?
        var runStartedAt: FlexibleDate?
        var createdAt: FlexibleDate?
        var updatedAt: FlexibleDate?

        enum CodingKeys: String, CodingKey {
            case id, name, status, conclusion
            case headSHA = "head_sha"
            case runAttempt = "run_attempt"
            case runStartedAt = "run_started_at"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }
    }

    struct Workflow: Decodable {
        var name: String?
    }
}

private struct IssuesPayload: Decodable {
    var action: String?
    var issue: Issue?
    var label: Label?
    var repository: Repository?

    struct Issue: Decodable {
        var number: FlexibleID?
        var title: String?
        var body: String?
        var labels: [Label]?
        var createdAt: FlexibleDate?
        var updatedAt: FlexibleDate?
        var closedAt: FlexibleDate?

        enum CodingKeys: String, CodingKey {
            case number, title, body, labels
            case createdAt = "created_at"
            case updatedAt = "updated_at"
            case closedAt = "closed_at"
        }
    }

    struct Label: Decodable {
        var name: String?
    }
}

extension Optional where Wrapped == String {
    /// The text, or nil when it is missing or empty (senders send `""` for "not set" as often as null).
    fileprivate var nonEmpty: String? {
        guard let text = self, !text.isEmpty else { return nil }
        return text
    }
}
