import Foundation

/// Turns GitLab webhook deliveries into pipeline events: pushes and merged merge requests give changes, finished
/// deployments and deploy pipelines give deployments, incident issues give incidents.
///
/// Every payload field is read as optional, because GitLab versions and look-alike senders differ in what they include;
/// a needed field that is missing, or a time that cannot be read, is a `WebhookError` naming the field's path.
/// GitLab writes most times as `2026-11-02 10:15:00 UTC` or `2026-11-02 10:15:00 +0100`; ISO 8601 and epoch seconds work too.
public enum GitLabWebhook {
    /// Dispatches on the body's `object_kind`, which every GitLab payload (project hooks and system hooks alike) carries;
    /// `event`, the X-Gitlab-Event header ("Push Hook", "Issue Hook", "System Hook", or a sender's own spelling such as
    /// "issues"), is only a hint, read when the body names no kind.
    public static func outcome(event: String, body: Data, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let envelope = try WebhookDecoding.decode(Envelope.self, from: body, convertSnakeCase: true, keys: .snakeCase)
        let named = envelope.objectKind.nonEmpty ?? envelope.eventName.nonEmpty
        let kind = self.kind(of: named ?? event)
        switch kind {
        case "push": return try self.push(try WebhookDecoding.decode(PushHook.self, from: body, convertSnakeCase: true, keys: .snakeCase))
        case "merge_request": return try self.mergeRequest(try WebhookDecoding.decode(MergeRequestHook.self, from: body, convertSnakeCase: true, keys: .snakeCase))
        case "deployment": return try self.deployment(try WebhookDecoding.decode(DeploymentHook.self, from: body, convertSnakeCase: true, keys: .snakeCase))
        case "pipeline": return try self.pipeline(try WebhookDecoding.decode(PipelineHook.self, from: body, convertSnakeCase: true, keys: .snakeCase), options: options)
        case "issue": return try self.issue(try WebhookDecoding.decode(IssueHook.self, from: body, convertSnakeCase: true, keys: .snakeCase), options: options)
        case "tag_push": return .ignored("GitLab event tag_push is not used (tags ship nothing; deployments and pushes do)")
        default:
            let name = (named ?? event).trimmingCharacters(in: .whitespaces)
            return .ignored("GitLab event \(name.isEmpty ? "(none)" : name) is not used")
        }
    }

    /// The kind of event a delivery is, for counting ignored ones: the hook its body's `object_kind` (or the header)
    /// names, or that name itself, lower-cased, when it is not one Lodestar reads.
    public static func eventKind(event: String, body: Data) -> String {
        let envelope = try? WebhookDecoding.decode(Envelope.self, from: body, convertSnakeCase: true, keys: .snakeCase)
        let named = envelope?.objectKind.nonEmpty ?? envelope?.eventName.nonEmpty ?? event
        let kind = self.kind(of: named)
        return kind.isEmpty ? named.trimmingCharacters(in: .whitespaces).lowercased() : kind
    }

    /// The hook a body's `object_kind` names, or an X-Gitlab-Event header in GitLab's or a look-alike sender's spelling.
    static func kind(of name: String) -> String {
        switch name.trimmingCharacters(in: .whitespaces).lowercased() {
        case "push hook", "push", "push_hook", "pushes": return "push"
        case "tag push hook", "tag_push", "tag_push_hook", "tag push": return "tag_push"
        case "merge request hook", "merge_request", "merge_requests", "merge request", "merge_request_hook": return "merge_request"
        case "deployment hook", "deployment", "deployments", "deployment_hook": return "deployment"
        case "pipeline hook", "pipeline", "pipelines", "pipeline_hook": return "pipeline"
        case "issue hook", "confidential issue hook", "work item hook", "confidential work item hook", "issue", "issues", "issue_hook",
            "confidential_issue", "work_item", "work_items", "work item":
            return "issue"
        default: return ""
        }
    }

    // MARK: - Events

    /// One change per pushed commit, and the history the push states: `after` contains every listed commit and,
    /// unless the push made a new branch, `before`. GitLab lists at most 20 commits; the ones it leaves out are still
    /// in `before`'s history or in no one's. The list's order is not read: GitLab versions differ.
    private static func push(_ hook: PushHook) throws(WebhookError) -> WebhookOutcome {
        let service = self.service(hook.project, hook.repository)
        var events: [PipelineEvent] = []
        var listed: [String] = []
        for (index, commit) in (hook.commits ?? []).enumerated() {
            let sha = try WebhookDecoding.require(commit.id.nonEmpty, "commits[\(index)].id").lowercased()
            let committedAt = try WebhookDecoding.require(commit.timestamp, "commits[\(index)].timestamp").date
            events.append(.change(ChangeEvent(sha: sha, service: service, committedAt: committedAt)))
            listed.append(sha)
        }
        let before = hook.before.nonEmpty.flatMap { $0.allSatisfy { $0 == "0" } ? nil : $0.lowercased() }
        if let history = HistoryEvent.stated(service: service, head: hook.after, listed: listed, before: before) { events.append(.history(history)) }
        return events.isEmpty ? .ignored("push has no commits") : .events(events)
    }

    /// A merged merge request: its merge commit, dated from the request's opening so squash merges keep their lead time.
    private static func mergeRequest(_ hook: MergeRequestHook) throws(WebhookError) -> WebhookOutcome {
        let attributes = try WebhookDecoding.require(hook.objectAttributes, "object_attributes")
        let merging = attributes.action == "merge"
        guard merging || attributes.state == "merged" else {
            return .ignored("merge request action \(attributes.action ?? attributes.state ?? "(none)") is not a merge")
        }
        // Later updates of a merged request would date the merge from the update; only the merge itself may fall back.
        guard let mergedAt = attributes.mergedAt ?? (merging ? attributes.updatedAt : nil) else {
            return .ignored("update of a merged merge request without merged_at")
        }
        let sha = try WebhookDecoding.require(attributes.mergeCommitSHA.nonEmpty ?? attributes.lastCommit?.id.nonEmpty, "object_attributes.merge_commit_sha")
        let service = self.service(hook.project, hook.repository)
        let change = ChangeEvent(
            sha: sha.lowercased(), service: service, authoredAt: attributes.createdAt?.date, committedAt: mergedAt.date, prMergedAt: mergedAt.date
        )
        // The merge (or squash) commit brings the merge request's last commit.
        let history = HistoryEvent.stated(service: service, head: sha, listed: [attributes.lastCommit?.id.nonEmpty?.lowercased()].compactMap(\.self), before: nil)
        return .events([.change(change)] + (history.map { [.history($0)] } ?? []))
    }

    /// A deployment that reached success or failure; canceled and running deployments are not outcomes.
    private static func deployment(_ hook: DeploymentHook) throws(WebhookError) -> WebhookOutcome {
        let status = try WebhookDecoding.require(hook.status.nonEmpty, "status")
        guard let result = DeploymentResult(parsing: status) else { return .ignored("deployment status \(status) is not an outcome") }
        // The hook carries the full sha only inside `commit_url`.
        let commitURLSHA = hook.commitURL.nonEmpty.flatMap { $0.split(separator: "/").last.map(String.init) }
        let sha = try WebhookDecoding.require(hook.sha.nonEmpty ?? commitURLSHA ?? hook.shortSHA.nonEmpty, "commit_url").lowercased()
        let service = self.service(hook.project, nil)
        let environment = hook.environment.nonEmpty ?? "production"
        let finishedAt = try WebhookDecoding.require(hook.statusChangedAt ?? hook.deployable?.finishedAt, "status_changed_at").date
        let id = hook.deploymentID.map { "gitlab-deployment-\($0.text)" }
            ?? "gitlab-deployment-\(hook.project?.id?.text ?? service)-\(sha)-\(environment)"
        let event = DeploymentEvent(
            id: id, service: service, environment: environment, shas: [sha], startedAt: hook.deployable?.startedAt?.date,
            finishedAt: finishedAt, result: result, run: hook.deployableID.map { "gitlab-job-\($0.text)" }
        )
        return .events([.deployment(event)])
    }

    /// A finished pipeline that deploys: its name (or ref) matches the deploy pattern, or a job that ran has a matching
    /// stage or name. The environment is that job's, else production. A job with an environment also makes GitLab
    /// send a Deployment Hook; when that arrives, it counts instead of the pipeline (see `DeploymentEvent.wholeRun`).
    private static func pipeline(_ hook: PipelineHook, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let attributes = try WebhookDecoding.require(hook.objectAttributes, "object_attributes")
        let status = try WebhookDecoding.require(attributes.status.nonEmpty, "object_attributes.status")
        guard let result = DeploymentResult(parsing: status) else { return .ignored("pipeline status \(status) is not an outcome") }
        let pattern = try WebhookDecoding.regularExpression(options.deployWorkflowPattern, option: "deploy workflow pattern")
        let name = attributes.name.nonEmpty ?? attributes.ref ?? ""
        // Skipped, manual and never-started jobs deployed nothing.
        let ranJobs = (hook.builds ?? []).filter { DeploymentResult(parsing: $0.status ?? "") != nil }
        let deployJobs = ranJobs.filter { WebhookDecoding.matches(pattern, $0.stage ?? "") || WebhookDecoding.matches(pattern, $0.name ?? "") }
        guard WebhookDecoding.matches(pattern, name) || !deployJobs.isEmpty else {
            return .ignored("pipeline \(name) has no name or job matching the deploy pattern \(options.deployWorkflowPattern)")
        }
        let id = try WebhookDecoding.require(attributes.id, "object_attributes.id").text
        let sha = try WebhookDecoding.require(attributes.sha.nonEmpty, "object_attributes.sha").lowercased()
        let environmentJob = (deployJobs + ranJobs).first { $0.environment?.name.nonEmpty != nil }
        let environment = environmentJob?.environment?.name.nonEmpty ?? "production"
        let startedAt = attributes.createdAt?.date
        let endFromDuration: Date? = startedAt.flatMap { start in attributes.duration.map { start.addingTimeInterval($0) } }
        if let endFromDuration, !Timestamp.isRepresentable(endFromDuration) {
            throw WebhookError(field: "object_attributes.duration", message: "\(attributes.duration ?? 0) seconds is not a pipeline's duration")
        }
        let lastJobEnd: Date? = ranJobs.compactMap { $0.finishedAt?.date }.max()
        // A finished pipeline without any end time is being reported as it ends.
        let finishedAt = attributes.finishedAt?.date ?? endFromDuration ?? lastJobEnd ?? Date()
        let event = DeploymentEvent(
            id: "gitlab-pipeline-\(id)", service: self.service(hook.project, nil), environment: environment, shas: [sha],
            startedAt: startedAt, finishedAt: finishedAt, result: result,
            run: environmentJob?.id.map { "gitlab-job-\($0.text)" }, wholeRun: environmentJob?.id != nil
        )
        return .events([.deployment(event)])
    }

    /// An incident issue (GitLab's incident type, or the incident label); its id depends only on project and iid.
    private static func issue(_ hook: IssueHook, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let attributes = try WebhookDecoding.require(hook.objectAttributes, "object_attributes")
        let labels = (hook.labels ?? []) + (attributes.labels ?? [])
        let incidentLabel = options.incidentLabel.lowercased()
        let isIncident =
            attributes.issueType?.lowercased() == "incident" || attributes.type?.lowercased() == "incident"
            || labels.contains { $0.title?.lowercased() == incidentLabel }
        guard isIncident else { return .ignored("issue is not an incident nor labelled \(options.incidentLabel)") }
        let iid = try WebhookDecoding.require(attributes.iid, "object_attributes.iid").text
        let openedAt = try WebhookDecoding.require(attributes.createdAt, "object_attributes.created_at").date
        let resolvedAt: Date?
        switch attributes.action {
        case "close": resolvedAt = try WebhookDecoding.require(attributes.closedAt ?? attributes.updatedAt, "object_attributes.closed_at").date
        case "reopen": resolvedAt = nil
        default: resolvedAt = (attributes.closedAt ?? (attributes.state == "closed" ? attributes.updatedAt : nil))?.date
        }
        let service = self.service(hook.project, hook.repository)
        let text = (attributes.title ?? "") + "\n" + (attributes.description ?? "")
        let rootCause = try WebhookDecoding.firstCapture(of: options.rootCausePattern, in: text)
        let incident = IncidentEvent(
            id: "gitlab-issue-\(hook.project?.id?.text ?? service)#\(iid)", service: service, title: attributes.title,
            openedAt: openedAt, resolvedAt: resolvedAt, rootCauseSHA: rootCause?.lowercased()
        )
        return .events([.incident(incident)])
    }

    // MARK: - Helpers

    /// The project's name, else the last part of its path, else the repository's name.
    private static func service(_ project: Project?, _ repository: Repository?) -> String {
        let pathName = project?.pathWithNamespace.nonEmpty?.split(separator: "/").last.map(String.init)
        return project?.name.nonEmpty ?? pathName ?? repository?.name.nonEmpty ?? defaultServiceName
    }


}

extension Optional where Wrapped == String {
    /// The text, or nil when it is missing or empty (GitLab sends `""` for "not set" as often as null).
    fileprivate var nonEmpty: String? {
        guard let text = self, !text.isEmpty else { return nil }
        return text
    }
}
