import Foundation
import Testing

@testable import LodestarCore

/// Payloads are trimmed copies of what GitHub sends (docs.github.com webhook payload examples), keeping the real field names.
struct GitHubWebhookTests {
    /// `repository` as in most events: times as ISO text.
    static let repository = #"""
        {"id": 186853002, "node_id": "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=", "name": "checkout-api", "full_name": "acme/checkout-api",
         "private": true, "owner": {"login": "acme", "id": 21031067, "type": "Organization"},
         "html_url": "https://github.com/acme/checkout-api", "created_at": "2019-05-15T15:19:25Z",
         "updated_at": "2024-03-01T09:12:44Z", "pushed_at": "2024-03-04T10:02:11Z", "default_branch": "main"}
        """#

    /// `repository` as in a push: `created_at` and `pushed_at` are epoch seconds.
    static let pushRepository = #"""
        {"id": 186853002, "node_id": "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=", "name": "checkout-api", "full_name": "acme/checkout-api",
         "private": true, "owner": {"name": "acme", "email": null, "login": "acme", "id": 21031067},
         "html_url": "https://github.com/acme/checkout-api", "created_at": 1557933565, "updated_at": "2024-03-01T09:12:44Z",
         "pushed_at": 1709546531, "default_branch": "main", "master_branch": "main"}
        """#

    static let sender = #"{"login": "octocat", "id": 583231, "type": "User", "site_admin": false}"#

    // MARK: - Helpers

    func outcome(_ event: String, _ body: String, options: WebhookOptions = WebhookOptions()) throws -> WebhookOutcome {
        try GitHubWebhook.outcome(event: event, body: Data(body.utf8), options: options)
    }

    /// The events of a delivery that must give events.
    func events(_ event: String, _ body: String, options: WebhookOptions = WebhookOptions()) throws -> [PipelineEvent] {
        let outcome = try self.outcome(event, body, options: options)
        guard case .events(let events) = outcome else {
            Issue.record("expected events, got \(outcome)")
            return []
        }
        return events
    }

    func isIgnored(_ event: String, _ body: String, options: WebhookOptions = WebhookOptions()) throws -> Bool {
        if case .ignored = try self.outcome(event, body, options: options) { return true }
        return false
    }

    /// The one change of a delivery (beside the history it states).
    func change(_ event: String, _ body: String) throws -> ChangeEvent {
        let changes = try self.events(event, body).compactMap { if case .change(let change) = $0 { change } else { nil } }
        guard changes.count == 1 else { throw Failure("expected one change, got \(changes)") }
        return changes[0]
    }

    func history(_ event: String, _ body: String) throws -> HistoryEvent {
        let histories = try self.events(event, body).compactMap { if case .history(let history) = $0 { history } else { nil } }
        guard histories.count == 1 else { throw Failure("expected one history, got \(histories)") }
        return histories[0]
    }

    func deployment(_ event: String, _ body: String, options: WebhookOptions = WebhookOptions()) throws -> DeploymentEvent {
        let events = try self.events(event, body, options: options)
        guard events.count == 1, case .deployment(let deployment) = events[0] else { throw Failure("expected one deployment, got \(events)") }
        return deployment
    }

    func incident(_ body: String, options: WebhookOptions = WebhookOptions()) throws -> IncidentEvent {
        let events = try self.events("issues", body, options: options)
        guard events.count == 1, case .incident(let incident) = events[0] else { throw Failure("expected one incident, got \(events)") }
        return incident
    }

    func error(_ event: String, _ body: String) -> WebhookError? {
        do {
            _ = try GitHubWebhook.outcome(event: event, body: Data(body.utf8), options: WebhookOptions())
            return nil
        } catch {
            return error
        }
    }

    func at(_ text: String) -> Date {
        guard let date = Timestamp.parse(text) else { fatalError("bad test time \(text)") }
        return date
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: - Payload builders

    func push(before: String = "6113728f27ae82c7b1a177c8d03f9e96e0adf246", commits: String, repository: String? = Self.pushRepository) -> String {
        let repositoryField = repository.map { #""repository": \#($0),"# } ?? ""
        return #"""
            {"ref": "refs/heads/main", "before": "\#(before)", "after": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
             \#(repositoryField) "pusher": {"name": "octocat", "email": "octocat@github.com"}, "sender": \#(Self.sender),
             "created": false, "deleted": false, "forced": false, "base_ref": null,
             "compare": "https://github.com/acme/checkout-api/compare/6113728f27ae...0d1a26e67d8f",
             "commits": [\#(commits)], "head_commit": null}
            """#
    }

    func commit(_ id: String, _ timestamp: String, message: String = "Fix rounding in totals") -> String {
        #"""
        {"id": "\#(id)", "tree_id": "f9d2a07e9488b91af2641b26b9407fe22a451433", "distinct": true, "message": "\#(message)",
         "timestamp": "\#(timestamp)", "url": "https://github.com/acme/checkout-api/commit/\#(id)",
         "author": {"name": "Mona Lisa", "email": "mona@acme.dev", "username": "mona"},
         "committer": {"name": "GitHub", "email": "noreply@github.com", "username": "web-flow"},
         "added": [], "removed": [], "modified": ["Sources/Totals.swift"]}
        """#
    }

    func pullRequest(action: String, merged: Bool, mergedAt: String?) -> String {
        #"""
        {"action": "\#(action)", "number": 1347,
         "pull_request": {"url": "https://api.github.com/repos/acme/checkout-api/pulls/1347", "id": 1, "number": 1347,
          "state": "\#(action == "closed" ? "closed" : "open")", "locked": false, "title": "Round totals half-even",
          "user": {"login": "mona", "id": 1}, "body": "Fixes #1340", "created_at": "2024-03-01T08:00:00Z",
          "updated_at": "2024-03-04T10:01:58Z", "closed_at": \#(mergedAt.map { "\"\($0)\"" } ?? "null"),
          "merged_at": \#(mergedAt.map { "\"\($0)\"" } ?? "null"), "merge_commit_sha": "E5BD3914E2E596DEBEA16F433F57875B5B90BCD6",
          "head": {"label": "acme:round", "ref": "round", "sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e"},
          "base": {"label": "acme:main", "ref": "main", "sha": "6113728f27ae82c7b1a177c8d03f9e96e0adf246"},
          "merged": \#(merged), "mergeable": null, "comments": 2, "commits": 3, "additions": 40, "deletions": 7, "changed_files": 2},
         "repository": \#(Self.repository), "sender": \#(Self.sender)}
        """#
    }

    func deploymentStatus(state: String, deploymentID: String? = #""id": 1145006563,"#, environment: String? = "production") -> String {
        let environmentField = environment.map { #""environment": "\#($0)","# } ?? ""
        return #"""
            {"action": "created",
             "deployment_status": {"url": "https://api.github.com/repos/acme/checkout-api/deployments/1145006563/statuses/2419021389",
              "id": 2419021389, "node_id": "DES_kwDOCyMkqs6QLqBN", "state": "\#(state)", "creator": {"login": "github-actions[bot]"},
              "description": "", \#(environmentField) "target_url": "https://github.com/acme/checkout-api/actions/runs/8146217",
              "created_at": "2024-03-04T10:07:40Z", "updated_at": "2024-03-04T10:07:41Z",
              "deployment_url": "https://api.github.com/repos/acme/checkout-api/deployments/1145006563", "log_url": ""},
             "deployment": {"url": "https://api.github.com/repos/acme/checkout-api/deployments/1145006563", \#(deploymentID ?? "")
              "node_id": "DE_kwDOCyMkqs5EP6Tj", "task": "deploy", "original_environment": "production", \#(environmentField)
              "description": null, "creator": {"login": "github-actions[bot]"}, "sha": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
              "ref": "main", "payload": {}, "created_at": "2024-03-04T10:02:30Z", "updated_at": "2024-03-04T10:07:41Z",
              "statuses_url": "https://api.github.com/repos/acme/checkout-api/deployments/1145006563/statuses"},
             "repository": \#(Self.repository), "sender": \#(Self.sender)}
            """#
    }

    func workflowRun(
        action: String? = "completed", name: String = "Deploy to production", conclusion: String? = "success", attempt: Int = 2
    ) -> String {
        let actionField = action.map { #""action": "\#($0)","# } ?? ""
        return #"""
            {\#(actionField)
             "workflow_run": {"id": 8146217, "name": "\#(name)", "node_id": "WFR_kwLOCyMkqs8AAAAB5", "head_branch": "main",
              "head_sha": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", "path": ".github/workflows/deploy.yml", "display_title": "Fix rounding",
              "run_number": 562, "event": "push", "status": "\#(conclusion == nil ? "in_progress" : "completed")",
              "conclusion": \#(conclusion.map { "\"\($0)\"" } ?? "null"), "workflow_id": 159038, "check_suite_id": 21788, "run_attempt": \#(attempt),
              "created_at": "2024-03-04T10:02:15Z", "updated_at": "2024-03-04T10:09:02Z", "run_started_at": "2024-03-04T10:03:00Z",
              "html_url": "https://github.com/acme/checkout-api/actions/runs/8146217"},
             "workflow": {"id": 159038, "name": "\#(name)", "path": ".github/workflows/deploy.yml", "state": "active"},
             "repository": \#(Self.repository), "sender": \#(Self.sender)}
            """#
    }

    func issue(
        action: String? = "opened", labels: [String] = ["bug", "incident"], addedLabel: String? = nil, title: String = "Checkout returns 500s",
        body: String = "Error rate above 5% since 10:15.", updatedAt: String = "2024-03-04T10:20:00Z", closedAt: String? = nil
    ) -> String {
        let actionField = action.map { #""action": "\#($0)","# } ?? ""
        let labelObjects = labels.map {
            #"{"id": 208045946, "node_id": "MDU6TGFiZWwyMDgwNDU5NDY=", "name": "\#($0)", "color": "d73a4a", "default": false}"#
        }
        let labelField = addedLabel.map { #""label": {"id": 208045947, "name": "\#($0)", "color": "b60205", "default": false},"# } ?? ""
        return #"""
            {\#(actionField) \#(labelField)
             "issue": {"url": "https://api.github.com/repos/acme/checkout-api/issues/1352", "id": 2168345678, "number": 1352,
              "title": "\#(title)", "user": {"login": "oncall-bot", "id": 9}, "labels": [\#(labelObjects.joined(separator: ", "))],
              "state": "\#(closedAt == nil ? "open" : "closed")", "locked": false, "assignee": null, "assignees": [], "comments": 1,
              "created_at": "2024-03-04T10:16:00Z", "updated_at": "\#(updatedAt)", "closed_at": \#(closedAt.map { "\"\($0)\"" } ?? "null"),
              "author_association": "MEMBER", "body": "\#(body)"},
             "repository": \#(Self.repository), "sender": \#(Self.sender)}
            """#
    }

    // MARK: - ping, unknown events, malformed bodies

    @Test func pingIsIgnored() throws {
        let body = #"{"zen": "Keep it logically awesome.", "hook_id": 109948940, "hook": {"type": "Repository", "events": ["push"]}}"#
        #expect(try self.outcome("ping", body) == .ignored("ping"))
    }

    @Test func unknownEventIsIgnored() throws {
        let body = #"{"action": "created", "starred_at": "2024-03-04T10:00:00Z", "repository": \#(Self.repository)}"#
        #expect(try self.outcome("star", body) == .ignored("event star is not used"))
    }

    @Test func malformedJSONIsAnErrorWithoutAField() throws {
        let error = try #require(self.error("push", #"{"ref": "refs/heads/main", "commits": [}"#))
        #expect(error.field == "")
        #expect(error.message.hasPrefix("malformed JSON: "))
        #expect(error.message.contains("character"))
    }

    @Test func unparseableTimestampNamesItsField() throws {
        let commits = [
            self.commit("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "2024-03-04T10:00:00+01:00"),
            self.commit("b1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "2024-03-04T10:01:00+01:00"),
            self.commit("c1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "yesterday afternoon"),
        ]
        let error = try #require(self.error("push", self.push(commits: commits.joined(separator: ", "))))
        #expect(error.field == "commits[2].timestamp")
        #expect(error.message.contains("yesterday afternoon"))
    }

    // MARK: - push

    @Test func pushGivesOneChangePerCommitAndStatesThatAfterContainsThemAndBefore() throws {
        let commits = [
            self.commit("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "2024-03-04T09:58:12-07:00"),
            self.commit("B1B2C3D4E5F60718293A4B5C6D7E8F9012345678", "2024-03-04T10:01:40-07:00"),
        ]
        let events = try self.events("push", self.push(commits: commits.joined(separator: ", ")))
        let expected: [PipelineEvent] = [
            .change(
                ChangeEvent(
                    sha: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", service: "checkout-api", authoredAt: self.at("2024-03-04T16:58:12Z"),
                    committedAt: self.at("2024-03-04T16:58:12Z")
                )
            ),
            .change(
                ChangeEvent(
                    sha: "b1b2c3d4e5f60718293a4b5c6d7e8f9012345678", service: "checkout-api", authoredAt: self.at("2024-03-04T17:01:40Z"),
                    committedAt: self.at("2024-03-04T17:01:40Z")
                )
            ),
            .history(
                HistoryEvent(
                    service: "checkout-api", head: "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
                    contains: [
                        "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "b1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
                        "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
                    ]
                )
            ),
        ]
        #expect(events == expected)
    }

    @Test func pushOfANewBranchStatesNothingAboutBefore() throws {
        let commit = self.commit("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "2024-03-04T10:00:00Z")
        let body = self.push(before: "0000000000000000000000000000000000000000", commits: commit)
        #expect(try self.history("push", body).contains == ["a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"])
    }

    @Test func aForcedPushStatesNothingAboutBefore() throws {
        let commit = self.commit("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "2024-03-04T10:00:00Z")
        let body = self.push(commits: commit).replacingOccurrences(of: #""forced": false"#, with: #""forced": true"#)
        #expect(try self.history("push", body).contains == ["a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"])
    }

    @Test func aPushWithoutCommitsStillStatesThatAfterContainsBefore() throws {
        let history = try self.history("push", self.push(commits: ""))
        #expect(history.head == "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c" && history.contains == ["6113728f27ae82c7b1a177c8d03f9e96e0adf246"])
    }

    @Test func pushUsesTheAuthorDateWhenTheSenderGivesOne() throws {
        let commit = #"""
            {"id": "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "distinct": true, "message": "Rebased", "timestamp": "2024-03-04T10:00:00Z",
             "author": {"name": "Mona Lisa", "email": "mona@acme.dev", "date": "2024-02-28T15:30:00Z"},
             "committer": {"name": "Mona Lisa", "email": "mona@acme.dev", "date": "2024-03-04T10:00:00Z"}}
            """#
        let change = try self.change("push", self.push(commits: commit))
        #expect(change.authoredAt == self.at("2024-02-28T15:30:00Z"))
        #expect(change.committedAt == self.at("2024-03-04T10:00:00Z"))
    }

    @Test func pushWithoutRepositoryUsesTheDefaultService() throws {
        let body = self.push(commits: self.commit("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "2024-03-04T10:00:00Z"), repository: nil)
        #expect(try self.change("push", body).service == defaultServiceName)
    }

    @Test func pushThatDeletesABranchIsIgnored() throws {
        let body = #"""
            {"ref": "refs/heads/old-feature", "before": "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
             "after": "0000000000000000000000000000000000000000", "repository": \#(Self.pushRepository), "sender": \#(Self.sender),
             "created": false, "deleted": true, "forced": false, "base_ref": null,
             "compare": "https://github.com/acme/checkout-api/compare/6113728f27ae...000000000000",
             "commits": [], "head_commit": null}
            """#
        #expect(try self.isIgnored("push", body))
    }

    // MARK: - pull_request

    @Test func mergedPullRequestGivesItsMergeCommitDatedFromTheOpening() throws {
        let change = try self.change("pull_request", self.pullRequest(action: "closed", merged: true, mergedAt: "2024-03-04T10:01:58Z"))
        let expected = ChangeEvent(
            sha: "e5bd3914e2e596debea16f433f57875b5b90bcd6", service: "checkout-api", authoredAt: self.at("2024-03-01T08:00:00Z"),
            committedAt: self.at("2024-03-04T10:01:58Z"), prMergedAt: self.at("2024-03-04T10:01:58Z")
        )
        #expect(change == expected)
        let history = try self.history("pull_request", self.pullRequest(action: "closed", merged: true, mergedAt: "2024-03-04T10:01:58Z"))
        #expect(history.head == "e5bd3914e2e596debea16f433f57875b5b90bcd6")
        #expect(history.contains == ["6dcb09b5b57875f334f61aebed695e2e4193db5e", "6113728f27ae82c7b1a177c8d03f9e96e0adf246"])
    }

    @Test func pullRequestClosedWithoutMergingIsIgnored() throws {
        #expect(try self.isIgnored("pull_request", self.pullRequest(action: "closed", merged: false, mergedAt: nil)))
    }

    @Test func openedPullRequestIsIgnored() throws {
        #expect(try self.isIgnored("pull_request", self.pullRequest(action: "opened", merged: false, mergedAt: nil)))
    }

    // MARK: - deployment and deployment_status

    @Test func createdDeploymentWaitsForItsStatus() throws {
        let body = #"""
            {"action": "created", "deployment": {"id": 1145006563, "sha": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", "ref": "main",
             "task": "deploy", "environment": "production", "created_at": "2024-03-04T10:02:30Z", "updated_at": "2024-03-04T10:02:30Z"},
             "repository": \#(Self.repository), "sender": \#(Self.sender)}
            """#
        #expect(try self.outcome("deployment", body) == .ignored("deployment created; its status decides"))
    }

    @Test func successfulDeploymentStatusGivesADeployment() throws {
        let deployment = try self.deployment("deployment_status", self.deploymentStatus(state: "success"))
        let expected = DeploymentEvent(
            id: "github-deployment-1145006563", service: "checkout-api", environment: "production",
            shas: ["0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c"], startedAt: self.at("2024-03-04T10:02:30Z"),
            finishedAt: self.at("2024-03-04T10:07:41Z"), result: .success
        )
        #expect(deployment == expected)
    }

    @Test func erroredDeploymentStatusIsAFailure() throws {
        #expect(try self.deployment("deployment_status", self.deploymentStatus(state: "error")).result == .failure)
    }

    @Test(arguments: ["pending", "queued", "in_progress"])
    func unfinishedDeploymentStatusIsIgnored(state: String) throws {
        #expect(try self.isIgnored("deployment_status", self.deploymentStatus(state: state)))
    }

    @Test func deploymentStatusWithoutEnvironmentIsProduction() throws {
        #expect(try self.deployment("deployment_status", self.deploymentStatus(state: "success", environment: nil)).environment == "production")
    }

    @Test func deploymentStatusWithoutDeploymentIDIsNamedBySHAAndEnvironment() throws {
        let body = self.deploymentStatus(state: "failure", deploymentID: nil, environment: "staging")
        #expect(try self.deployment("deployment_status", body).id == "github-deployment-0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c-staging")
    }

    // MARK: - workflow_run

    @Test func completedDeployWorkflowRunGivesADeploymentThatStandsForTheRun() throws {
        let deployment = try self.deployment("workflow_run", self.workflowRun())
        let expected = DeploymentEvent(
            id: "github-run-8146217-2", service: "checkout-api", environment: "production", shas: ["0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c"],
            startedAt: self.at("2024-03-04T10:03:00Z"), finishedAt: self.at("2024-03-04T10:09:02Z"), result: .success,
            run: "github-run-8146217-2", wholeRun: true
        )
        #expect(deployment == expected)
    }

    @Test(arguments: [("Deploy staging", "staging"), ("deploy-to-prod-eu", "prod"), ("Deploy", "production"), ("Deploy QA (manual)", "qa")])
    func aWorkflowRunTakesTheEnvironmentItsNameStates(name: String, environment: String) throws {
        #expect(try self.deployment("workflow_run", self.workflowRun(name: name)).environment == environment)
    }

    @Test func aCaptureInTheDeployPatternNamesTheEnvironment() throws {
        let options = WebhookOptions(deployWorkflowPattern: #"^release → (\w+)$"#)
        let deployment = try self.deployment("workflow_run", self.workflowRun(name: "release → canary"), options: options)
        #expect(deployment.environment == "canary" && !deployment.isProduction)
    }

    @Test func aDeploymentStatusFromAnActionsJobNamesItsRun() throws {
        let body = self.deploymentStatus(state: "success", environment: "staging")
            .replacingOccurrences(of: #""repository": "#, with: #""workflow_run": {"id": 8146217, "run_attempt": 2}, "repository": "#)
        let deployment = try self.deployment("deployment_status", body)
        #expect(deployment.run == "github-run-8146217-2" && !deployment.wholeRun && deployment.environment == "staging")
    }

    @Test(arguments: ["failure", "timed_out"])
    func failedWorkflowRunIsAFailedDeployment(conclusion: String) throws {
        #expect(try self.deployment("workflow_run", self.workflowRun(conclusion: conclusion)).result == .failure)
    }

    @Test(arguments: ["cancelled", "skipped", "neutral"])
    func workflowRunWithoutAnOutcomeIsIgnored(conclusion: String) throws {
        #expect(try self.isIgnored("workflow_run", self.workflowRun(conclusion: conclusion)))
    }

    @Test func workflowRunStillInProgressIsIgnored() throws {
        #expect(try self.isIgnored("workflow_run", self.workflowRun(action: "in_progress", conclusion: nil)))
    }

    @Test func workflowRunWithoutActionCountsWhenItsStatusIsCompleted() throws {
        #expect(try self.deployment("workflow_run", self.workflowRun(action: nil)).result == .success)
    }

    @Test func workflowNotMatchingTheDeployPatternIsIgnored() throws {
        #expect(try self.isIgnored("workflow_run", self.workflowRun(name: "CI")))
    }

    @Test func deployPatternIsARegularExpression() throws {
        let options = WebhookOptions(deployWorkflowPattern: "^(release|ship)-")
        #expect(try self.deployment("workflow_run", self.workflowRun(name: "Ship-web"), options: options).result == .success)
    }

    // MARK: - issues

    @Test func openedIncidentIssueGivesAnOpenIncident() throws {
        let incident = try self.incident(self.issue())
        let expected = IncidentEvent(
            id: "github-issue-acme/checkout-api#1352", service: "checkout-api", title: "Checkout returns 500s",
            openedAt: self.at("2024-03-04T10:16:00Z"), resolvedAt: nil, rootCauseSHA: nil
        )
        #expect(incident == expected)
    }

    @Test func editedIssueKeepsTheSameIncidentID() throws {
        let opened = try self.incident(self.issue())
        let edited = try self.incident(self.issue(action: "edited", title: "Checkout returns 500s for EU cards", updatedAt: "2024-03-04T10:40:00Z"))
        #expect(edited.id == opened.id)
        #expect(edited.title == "Checkout returns 500s for EU cards")
    }

    @Test func closedIssueIsResolvedWhenItClosed() throws {
        let incident = try self.incident(self.issue(action: "closed", updatedAt: "2024-03-04T11:05:30Z", closedAt: "2024-03-04T11:05:00Z"))
        #expect(incident.resolvedAt == self.at("2024-03-04T11:05:00Z"))
    }

    @Test func reopenedIssueIsUnresolved() throws {
        // GitHub keeps the old closed_at on some reopened deliveries; the action decides.
        let incident = try self.incident(self.issue(action: "reopened", closedAt: "2024-03-04T11:05:00Z"))
        #expect(incident.resolvedAt == nil)
    }

    @Test func issueWithoutActionTakesItsStateFromClosedAt() throws {
        let incident = try self.incident(self.issue(action: nil, closedAt: "2024-03-04T11:05:00Z"))
        #expect(incident.resolvedAt == self.at("2024-03-04T11:05:00Z"))
    }

    @Test func issueWithoutTheIncidentLabelIsIgnored() throws {
        #expect(try self.isIgnored("issues", self.issue(labels: ["bug", "checkout"])))
    }

    @Test func incidentLabelIsMatchedCaseInsensitively() throws {
        #expect(try self.incident(self.issue(labels: ["Incident"])).id == "github-issue-acme/checkout-api#1352")
    }

    @Test func labeledActionCountsTheLabelJustAdded() throws {
        let incident = try self.incident(self.issue(action: "labeled", labels: ["bug"], addedLabel: "INCIDENT"))
        #expect(incident.openedAt == self.at("2024-03-04T10:16:00Z"))
    }

    @Test func rootCauseSHAIsTakenFromTheBodyInLowercase() throws {
        let body = "Rolled back at 10:40.\\n\\nRoot cause: E5BD3914E2 (rounding change)."
        #expect(try self.incident(self.issue(action: "closed", body: body, closedAt: "2024-03-04T11:05:00Z")).rootCauseSHA == "e5bd3914e2")
    }
}
