import Foundation
import Testing

@testable import LodestarCore

/// Payloads follow GitLab's webhook documentation (docs.gitlab.com, "Webhook events"), trimmed to the fields that matter.
struct GitLabWebhookTests: WebhookTesting {
    // MARK: - Push Hook

    @Test func pushGivesOneChangePerCommitAndStatesThatAfterContainsThemAndBefore() throws {
        let outcome = try self.outcome("Push Hook", Self.push)
        #expect(
            outcome
                == .events([
                    .change(ChangeEvent(sha: Self.first, service: "Diaspora", committedAt: self.date("2011-12-12T12:27:31Z"))),
                    .change(ChangeEvent(sha: Self.second, service: "Diaspora", committedAt: self.date("2012-01-03T21:36:29Z"))),
                    .history(HistoryEvent(service: "Diaspora", head: Self.second, contains: [Self.first, Self.before])),
                ])
        )
    }

    @Test func pushListingTheNewestCommitFirstStatesTheSameHistory() throws {
        let body = Self.pushTemplate.replacingOccurrences(of: "COMMITS", with: "\(Self.secondCommit),\(Self.firstCommit)")
        let events = try self.events(try self.outcome("Push Hook", body))
        #expect(events.last == .history(HistoryEvent(service: "Diaspora", head: Self.second, contains: [Self.first, Self.before])))
    }

    @Test func pushOfANewBranchStatesNothingAboutBefore() throws {
        let body = Self.push.replacingOccurrences(of: Self.before, with: String(repeating: "0", count: 40))
        let events = try self.events(try self.outcome("Push Hook", body))
        #expect(events.last == .history(HistoryEvent(service: "Diaspora", head: Self.second, contains: [Self.first])))
    }

    @Test func pushReadsGitLabStyleTimestamps() throws {
        let body = Self.push
            .replacingOccurrences(of: "2011-12-12T14:27:31+02:00", with: "2026-11-02 10:15:00 UTC")
            .replacingOccurrences(of: "2012-01-03T23:36:29+02:00", with: "2026-11-02 11:20:00 +0100")
        let changes = try self.changes(try self.outcome("Push Hook", body))
        #expect(changes.map(\.committedAt) == [self.date("2026-11-02T10:15:00Z"), self.date("2026-11-02T10:20:00Z")])
    }

    @Test func pushDeletingABranchIsIgnored() throws {
        let body = Self.pushTemplate.replacingOccurrences(of: "COMMITS", with: "")
            .replacingOccurrences(of: #""after": "\#(Self.second)""#, with: #""after": "0000000000000000000000000000000000000000""#)
        #expect(try self.outcome("Push Hook", body) == .ignored("push has no commits"))
    }

    @Test func pushWithAnUnreadableTimestampNamesTheField() {
        let body = Self.push.replacingOccurrences(of: "2012-01-03T23:36:29+02:00", with: "last Tuesday")
        let error = #expect(throws: WebhookError.self) { try self.outcome("Push Hook", body) }
        #expect(error?.field == "commits[1].timestamp")
    }

    @Test func pushWithACommitIdOfTheWrongTypeNamesTheField() {
        let body = Self.push.replacingOccurrences(of: #""id": "\#(Self.first)""#, with: #""id": 42"#)
        let error = #expect(throws: WebhookError.self) { try self.outcome("Push Hook", body) }
        #expect(error?.field == "commits[0].id")
    }

    @Test func systemHookPushIsReadByItsObjectKind() throws {
        let changes = try self.changes(try self.outcome("System Hook", Self.push))
        #expect(changes.count == 2)
    }

    // MARK: - Merge Request Hook

    @Test func mergedMergeRequestGivesItsMergeCommit() throws {
        let outcome = try self.outcome("Merge Request Hook", Self.mergeRequest)
        let merged = self.date("2026-11-02T10:15:00Z")
        #expect(
            outcome
                == .events([
                    .change(
                        ChangeEvent(
                            sha: "8d4c2f1e9a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d", service: "Gitlab Test", authoredAt: self.date("2026-10-30T08:00:00Z"),
                            committedAt: merged, prMergedAt: merged
                        )
                    ),
                    .history(
                        HistoryEvent(
                            service: "Gitlab Test", head: "8d4c2f1e9a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d", contains: ["da1560886d4f094c3e6c9ef40349f7d38b5d27d7"]
                        )
                    ),
                ])
        )
    }

    @Test func mergedMergeRequestWithoutMergeCommitShaUsesItsLastCommit() throws {
        let body = Self.mergeRequest.replacingOccurrences(of: #""merge_commit_sha": "8d4c2f1e9a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d","#, with: "")
        let changes = try self.changes(try self.outcome("Merge Request Hook", body))
        #expect(changes.map(\.sha) == ["da1560886d4f094c3e6c9ef40349f7d38b5d27d7"])
    }

    @Test func openedMergeRequestIsIgnored() throws {
        let body = Self.mergeRequest.replacingOccurrences(of: #""action": "merge""#, with: #""action": "open""#)
            .replacingOccurrences(of: #""state": "merged""#, with: #""state": "opened""#)
        #expect(try self.outcome("Merge Request Hook", body) == .ignored("merge request action open is not a merge"))
    }

    // MARK: - Deployment Hook

    @Test func successfulDeploymentGivesADeployment() throws {
        let outcome = try self.outcome("Deployment Hook", Self.deployment)
        let event = DeploymentEvent(
            id: "gitlab-deployment-15", service: "test-deployment-webhooks", environment: "staging",
            shas: ["279484c09fbe69ededfced8c1bb6e6d24616b468"], startedAt: nil, finishedAt: self.date("2021-04-28T19:50:00Z"), result: .success,
            run: "gitlab-job-796"
        )
        #expect(outcome == .events([.deployment(event)]))
    }

    @Test func failedDeploymentIsAFailure() throws {
        let body = Self.deployment.replacingOccurrences(of: #""status": "success""#, with: #""status": "failed""#)
        #expect(try self.deployments(try self.outcome("Deployment Hook", body)).map(\.result) == [.failure])
    }

    @Test(arguments: ["running", "canceled"])
    func unfinishedDeploymentIsIgnored(_ status: String) throws {
        let body = Self.deployment.replacingOccurrences(of: #""status": "success""#, with: #""status": "\#(status)""#)
        #expect(try self.outcome("Deployment Hook", body) == .ignored("deployment status \(status) is not an outcome"))
    }

    @Test func deploymentWithoutEnvironmentOrIdFallsBackToProductionAndADerivedId() throws {
        let body = Self.deployment.replacingOccurrences(of: #""deployment_id": 15,"#, with: "")
            .replacingOccurrences(of: #""environment": "staging","#, with: "")
        let deployment = try #require(try self.deployments(try self.outcome("Deployment Hook", body)).first)
        #expect(deployment.environment == "production")
        #expect(deployment.id == "gitlab-deployment-30-279484c09fbe69ededfced8c1bb6e6d24616b468-production")
    }

    @Test func deploymentWithoutStatusNamesTheField() {
        let body = Self.deployment.replacingOccurrences(of: #""status": "success","#, with: "")
        let error = #expect(throws: WebhookError.self) { try self.outcome("Deployment Hook", body) }
        #expect(error == WebhookError(field: "status", message: "is required"))
    }

    // MARK: - Pipeline Hook

    @Test func pipelineNamedLikeTheDeployPatternIsADeployment() throws {
        let body = Self.pipeline(name: "Deploy to production", deployJobStatus: "manual")
        let outcome = try self.outcome("Pipeline Hook", body)
        let event = DeploymentEvent(
            id: "gitlab-pipeline-31", service: "Gitlab Test", environment: "production", shas: ["bcbb5ec396a2c0f828686f14fac9b80b780504f2"],
            startedAt: self.date("2016-08-12T15:23:28Z"), finishedAt: self.date("2016-08-12T15:26:29Z"), result: .success
        )
        #expect(outcome == .events([.deployment(event)]))
    }

    @Test func pipelineWithADeployJobThatRanTakesTheJobsEnvironment() throws {
        let deployments = try self.deployments(try self.outcome("Pipeline Hook", Self.pipeline(name: nil, deployJobStatus: "success")))
        #expect(deployments.map(\.environment) == ["production-eu"])
        // GitLab also sends that job's Deployment Hook, which then counts instead (its `deployable_id` is the job).
        #expect(deployments.allSatisfy(\.wholeRun) && deployments.allSatisfy { $0.run?.hasPrefix("gitlab-job-") == true })
    }

    @Test func pipelineWhoseDeployJobDidNotRunIsIgnored() throws {
        let outcome = try self.outcome("Pipeline Hook", Self.pipeline(name: nil, deployJobStatus: "skipped"))
        #expect(outcome == .ignored("pipeline main has no name or job matching the deploy pattern deploy"))
    }

    @Test func runningPipelineIsIgnored() throws {
        let body = Self.pipeline(name: "deploy", deployJobStatus: "running")
            .replacingOccurrences(of: #""status": "success""#, with: #""status": "running""#)
        #expect(try self.outcome("Pipeline Hook", body) == .ignored("pipeline status running is not an outcome"))
    }

    @Test func pipelineWithoutFinishedAtEndsAfterItsDuration() throws {
        let body = Self.pipeline(name: "deploy", deployJobStatus: "success")
            .replacingOccurrences(of: #""finished_at": "2016-08-12 15:26:29 UTC","#, with: #""finished_at": null,"#)
        let deployments = try self.deployments(try self.outcome("Pipeline Hook", body))
        #expect(deployments.map(\.finishedAt) == [self.date("2016-08-12T15:24:31Z")])
    }

    // MARK: - Issue Hook

    @Test func incidentIssueGivesAnOpenIncidentWithItsRootCause() throws {
        let outcome = try self.outcome("Issue Hook", Self.issue())
        let incident = IncidentEvent(
            id: "gitlab-issue-1#23", service: "Gitlab Test", title: "Checkout returns 502", openedAt: self.date("2026-11-02T09:00:00Z"),
            resolvedAt: nil, rootCauseSHA: "3f9a2c1d"
        )
        #expect(outcome == .events([.incident(incident)]))
    }

    @Test func incidentSentWithAnIssuesHeaderIsReadByItsObjectKind() throws {
        // As a Four Keys-style sender posts it: `X-Gitlab-Event: issues`, GitLab's own issue body.
        let body = #"""
            {"object_kind": "issue", "event_type": "issue",
             "project": {"id": 1, "name": "Gitlab Test", "path_with_namespace": "gitlabhq/gitlab-test"},
             "object_attributes": {"iid": 23, "title": "Checkout returns 502", "action": "open", "state": "opened",
               "description": "Rolled back.\nroot cause: 3f9a2c1d", "created_at": "2026-11-02 09:00:00 UTC"},
             "labels": [{"id": 206, "title": "Incident"}]}
            """#
        let incidents = try self.incidents(try self.outcome("issues", body))
        #expect(incidents.map(\.id) == ["gitlab-issue-1#23"])
        #expect(incidents.map(\.rootCauseSHA) == ["3f9a2c1d"])
    }

    @Test func tagPushIsIgnoredByItsKind() throws {
        #expect(try self.outcome("Tag Push Hook", #"{"object_kind": "tag_push", "ref": "refs/tags/v1"}"#) == .ignored("GitLab event tag_push is not used (tags ship nothing; deployments and pushes do)"))
    }

    @Test func closingAnIncidentResolvesItAtClosedAt() throws {
        let body = Self.issue(action: "close", state: "closed", closedAt: #""2026-11-02 11:30:00 UTC""#)
        #expect(try self.incidents(try self.outcome("Issue Hook", body)).map(\.resolvedAt) == [self.date("2026-11-02T11:30:00Z")])
    }

    @Test func reopeningAnIncidentUnresolvesIt() throws {
        let body = Self.issue(action: "reopen", state: "opened", closedAt: #""2026-11-02 11:30:00 UTC""#)
        #expect(try self.incidents(try self.outcome("Issue Hook", body)).map(\.resolvedAt) == [nil])
    }

    @Test func issueWithoutActionIsResolvedAtItsClosedAt() throws {
        let body = Self.issue(action: nil, state: "closed", closedAt: #""2026-11-02 11:30:00 UTC""#)
        #expect(try self.incidents(try self.outcome("Issue Hook", body)).map(\.resolvedAt) == [self.date("2026-11-02T11:30:00Z")])
    }

    @Test func closedIssueWithoutClosedAtIsResolvedAtItsLastUpdate() throws {
        let body = Self.issue(action: nil, state: "closed", closedAt: "null")
        #expect(try self.incidents(try self.outcome("Issue Hook", body)).map(\.resolvedAt) == [self.date("2026-11-02T10:00:00Z")])
    }

    @Test func issueWithTheIncidentLabelIsAnIncident() throws {
        let body = Self.issue(issueType: "issue", labels: ##"[{"id": 206, "title": "Incident", "color": "#dc143c", "type": "ProjectLabel"}]"##)
        #expect(try self.incidents(try self.outcome("Issue Hook", body)).count == 1)
    }

    @Test func workItemOfTypeIncidentIsAnIncident() throws {
        let body = Self.issue(issueType: "issue").replacingOccurrences(of: #""object_kind": "issue""#, with: #""object_kind": "work_item""#)
            .replacingOccurrences(of: #""type": "Issue""#, with: #""type": "INCIDENT""#)
        #expect(try self.incidents(try self.outcome("Issue Hook", body)).count == 1)
    }

    @Test func ordinaryIssueIsIgnored() throws {
        let outcome = try self.outcome("Issue Hook", Self.issue(issueType: "issue"))
        #expect(outcome == .ignored("issue is not an incident nor labelled incident"))
    }

    @Test func issueWithoutProjectBelongsToTheDefaultService() throws {
        let body = Self.issue().replacingOccurrences(of: Self.project, with: "{}").replacingOccurrences(of: Self.repository, with: "{}")
        let incident = try #require(try self.incidents(try self.outcome("Issue Hook", body)).first)
        #expect(incident.service == defaultServiceName)
        #expect(incident.id == "gitlab-issue-default#23")
    }

    // MARK: - Anything else

    @Test(arguments: [("Note Hook", "note"), ("Job Hook", "build"), ("", "wiki_page")])
    func unusedEventIsIgnoredByItsObjectKind(_ event: String, kind: String) throws {
        #expect(try self.outcome(event, #"{"object_kind": "\#(kind)"}"#) == .ignored("GitLab event \(kind) is not used"))
    }

    @Test func pushBodyUnderAnotherHeaderIsStillAPush() throws {
        #expect(try self.changes(try self.outcome("Job Hook", Self.push)).count == 2)
    }

    @Test func bodyWithoutAKindAndNoHeaderIsIgnored() throws {
        #expect(try self.outcome("", "{}") == .ignored("GitLab event (none) is not used"))
    }

    @Test func malformedJSONIsRefused() {
        let error = #expect(throws: WebhookError.self) { try self.outcome("Push Hook", #"{"object_kind": "push", "commits": ["#) }
        #expect(error?.field == "")
        #expect(error?.message.hasPrefix("malformed JSON") == true)
    }

    // MARK: - Helpers

    private func outcome(_ event: String, _ body: String) throws -> WebhookOutcome {
        try GitLabWebhook.outcome(event: event, body: Data(body.utf8), options: WebhookOptions())
    }
}

// MARK: - Payloads

extension GitLabWebhookTests {
    static let before = "95790bf891e76fee5e1747ab589903a6a1f80f22"
    static let first = "b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327"
    static let second = "da1560886d4f094c3e6c9ef40349f7d38b5d27d7"

    static let firstCommit = #"""
        {
          "id": "b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327",
          "message": "Merge branch 'some-feature' into 'master'\n\nRelease v1.0.0\n\nSee merge request jsmith/example!1",
          "title": "Merge branch 'some-feature' into 'master'",
          "timestamp": "2011-12-12T14:27:31+02:00",
          "url": "http://example.com/mike/diaspora/commit/b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327",
          "author": {"name": "Jordi Mallach", "email": "jordi@softcatala.org"},
          "added": ["CHANGELOG"],
          "modified": ["app/controller/application.rb"],
          "removed": []
        }
        """#

    static let secondCommit = #"""
        {
          "id": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
          "message": "fixed readme\n",
          "title": "fixed readme",
          "timestamp": "2012-01-03T23:36:29+02:00",
          "url": "http://example.com/mike/diaspora/commit/da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
          "author": {"name": "GitLab dev user", "email": "gitlabdev@dv6700.(none)"},
          "added": ["CHANGELOG"],
          "modified": ["app/controller/application.rb"],
          "removed": []
        }
        """#

    /// GitLab's documented push, with `COMMITS` standing for the commit list.
    static let pushTemplate = #"""
        {
          "object_kind": "push",
          "event_name": "push",
          "before": "95790bf891e76fee5e1747ab589903a6a1f80f22",
          "after": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
          "ref": "refs/heads/master",
          "ref_protected": true,
          "checkout_sha": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
          "user_id": 4,
          "user_name": "John Smith",
          "user_username": "jsmith",
          "project_id": 15,
          "project": {
            "id": 15,
            "name": "Diaspora",
            "description": "",
            "web_url": "http://example.com/mike/diaspora",
            "avatar_url": null,
            "git_ssh_url": "git@example.com:mike/diaspora.git",
            "git_http_url": "http://example.com/mike/diaspora.git",
            "namespace": "Mike",
            "visibility_level": 0,
            "path_with_namespace": "mike/diaspora",
            "default_branch": "master"
          },
          "repository": {
            "name": "Diaspora",
            "url": "git@example.com:mike/diaspora.git",
            "description": "",
            "homepage": "http://example.com/mike/diaspora"
          },
          "commits": [COMMITS],
          "total_commits_count": 2
        }
        """#

    static var push: String {
        self.pushTemplate.replacingOccurrences(of: "COMMITS", with: "\(self.firstCommit),\(self.secondCommit)")
    }

    static let project = #"""
        {
            "id": 1,
            "name": "Gitlab Test",
            "description": "Aut reprehenderit ut est.",
            "web_url": "http://example.com/gitlabhq/gitlab-test",
            "avatar_url": null,
            "git_ssh_url": "git@example.com:gitlabhq/gitlab-test.git",
            "git_http_url": "http://example.com/gitlabhq/gitlab-test.git",
            "namespace": "GitlabHQ",
            "visibility_level": 20,
            "path_with_namespace": "gitlabhq/gitlab-test",
            "default_branch": "master"
          }
        """#

    static let repository = #"""
        {
            "name": "Gitlab Test",
            "url": "http://example.com/gitlabhq/gitlab-test.git",
            "description": "Aut reprehenderit ut est.",
            "homepage": "http://example.com/gitlabhq/gitlab-test"
          }
        """#

    static let user = #"{"id": 42, "name": "User1", "username": "user1", "avatar_url": null, "email": "user1@example.com"}"#

    static var mergeRequest: String {
        #"""
        {
          "object_kind": "merge_request",
          "event_type": "merge_request",
          "user": \#(self.user),
          "project": \#(self.project),
          "repository": \#(self.repository),
          "object_attributes": {
            "id": 99,
            "iid": 1,
            "target_branch": "master",
            "source_branch": "ms-viewport",
            "source_project_id": 14,
            "author_id": 51,
            "title": "MS-Viewport",
            "created_at": "2026-10-30 08:00:00 UTC",
            "updated_at": "2026-11-02 10:15:00 UTC",
            "state": "merged",
            "merge_status": "can_be_merged",
            "target_project_id": 14,
            "description": "",
            "merge_commit_sha": "8d4c2f1e9a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d",
            "source": {"name": "Awesome Project", "path_with_namespace": "awesome_space/awesome_project"},
            "target": {"name": "Awesome Project", "path_with_namespace": "awesome_space/awesome_project"},
            "last_commit": {
              "id": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
              "message": "fixed readme",
              "timestamp": "2012-01-03T23:36:29+02:00",
              "url": "http://example.com/awesome_space/awesome_project/commits/da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
              "author": {"name": "GitLab dev user", "email": "gitlabdev@dv6700.(none)"}
            },
            "work_in_progress": false,
            "url": "http://example.com/diaspora/merge_requests/1",
            "action": "merge"
          },
          "labels": [],
          "changes": {"state_id": {"previous": 4, "current": 3}}
        }
        """#
    }

    /// GitLab's documented deployment event.
    static let deployment = #"""
        {
          "object_kind": "deployment",
          "status": "success",
          "status_changed_at": "2021-04-28 21:50:00 +0200",
          "deployment_id": 15,
          "deployable_id": 796,
          "deployable_url": "http://10.126.0.2:3000/root/test-deployment-webhooks/-/jobs/796",
          "environment": "staging",
          "environment_tier": "staging",
          "environment_slug": "staging",
          "environment_external_url": "https://staging.example.com",
          "project": {
            "id": 30,
            "name": "test-deployment-webhooks",
            "description": "",
            "web_url": "http://10.126.0.2:3000/root/test-deployment-webhooks",
            "avatar_url": null,
            "git_ssh_url": "ssh://vlad@10.126.0.2:2222/root/test-deployment-webhooks.git",
            "git_http_url": "http://10.126.0.2:3000/root/test-deployment-webhooks.git",
            "namespace": "User1",
            "visibility_level": 0,
            "path_with_namespace": "root/test-deployment-webhooks",
            "default_branch": "master",
            "ci_config_path": ""
          },
          "short_sha": "279484c0",
          "user": {"id": 42, "name": "User1", "username": "user1", "avatar_url": null, "email": "admin@example.com"},
          "user_url": "http://10.126.0.2:3000/root",
          "commit_url": "http://10.126.0.2:3000/root/test-deployment-webhooks/-/commit/279484c09fbe69ededfced8c1bb6e6d24616b468",
          "commit_title": "Add new file",
          "ref": "1.0.0"
        }
        """#

    /// GitLab's documented pipeline event: a `production` job in the `deploy` stage, and a test job.
    static func pipeline(name: String?, deployJobStatus: String) -> String {
        #"""
        {
          "object_kind": "pipeline",
          "object_attributes": {
            "id": 31,
            "iid": 3,
            "name": \#(name.map { "\"\($0)\"" } ?? "null"),
            "ref": "main",
            "tag": false,
            "sha": "bcbb5ec396a2c0f828686f14fac9b80b780504f2",
            "before_sha": "bcbb5ec396a2c0f828686f14fac9b80b780504f2",
            "source": "push",
            "status": "success",
            "detailed_status": "passed",
            "stages": ["build", "test", "deploy"],
            "created_at": "2016-08-12 15:23:28 UTC",
            "finished_at": "2016-08-12 15:26:29 UTC",
            "duration": 63,
            "queued_duration": 12,
            "variables": [{"key": "NESTOR_PROD_ENVIRONMENT", "value": "us-west-1"}]
          },
          "user": \#(self.user),
          "project": \#(self.project),
          "commit": {
            "id": "bcbb5ec396a2c0f828686f14fac9b80b780504f2",
            "message": "test\n",
            "timestamp": "2016-08-12T17:23:21+02:00",
            "url": "http://example.com/gitlab-org/gitlab-test/commit/bcbb5ec396a2c0f828686f14fac9b80b780504f2",
            "author": {"name": "User", "email": "user@gitlab.com"}
          },
          "builds": [
            {
              "id": 380,
              "stage": "deploy",
              "name": "production",
              "status": "\#(deployJobStatus)",
              "created_at": "2016-08-12 15:23:28 UTC",
              "started_at": "2016-08-12 15:25:00 UTC",
              "finished_at": "2016-08-12 15:26:00 UTC",
              "duration": 60,
              "queued_duration": 1,
              "failure_reason": null,
              "when": "manual",
              "manual": true,
              "allow_failure": false,
              "user": \#(self.user),
              "runner": null,
              "artifacts_file": {"filename": null, "size": null},
              "environment": {"name": "production-eu", "action": "start", "deployment_tier": "production"}
            },
            {
              "id": 377,
              "stage": "test",
              "name": "test-image",
              "status": "success",
              "created_at": "2016-08-12 15:23:28 UTC",
              "started_at": "2016-08-12 15:23:30 UTC",
              "finished_at": "2016-08-12 15:24:50 UTC",
              "when": "on_success",
              "manual": false,
              "allow_failure": false,
              "user": \#(self.user),
              "runner": {"id": 380987, "description": "shared-runners-manager-6.gitlab.com", "active": true, "is_shared": true},
              "artifacts_file": {"filename": null, "size": null},
              "environment": null
            }
          ]
        }
        """#
    }

    /// GitLab's documented issue event, for an incident whose description names its cause.
    static func issue(
        action: String? = "open", state: String = "opened", closedAt: String = "null", issueType: String = "incident", labels: String = "[]"
    ) -> String {
        #"""
        {
          "object_kind": "issue",
          "event_type": "issue",
          "user": \#(self.user),
          "project": \#(self.project),
          "object_attributes": {
            "author_id": 51,
            "closed_at": \#(closedAt),
            "confidential": false,
            "created_at": "2026-11-02 09:00:00 UTC",
            "description": "Payments fail since the 08:45 release.\n\nRoot cause: 3F9A2C1D",
            "discussion_locked": null,
            "due_date": null,
            "id": 301,
            "iid": 23,
            "issue_type": "\#(issueType)",
            "type": "\#(issueType == "incident" ? "Incident" : "Issue")",
            "labels": \#(labels),
            "project_id": 1,
            "severity": "high",
            "state": "\#(state)",
            "title": "Checkout returns 502",
            "updated_at": "2026-11-02 10:00:00 UTC",
            "url": "http://example.com/gitlabhq/gitlab-test/-/issues/23"\#(action.map { ",\n    \"action\": \"\($0)\"" } ?? "")
          },
          "labels": \#(labels),
          "repository": \#(self.repository)
        }
        """#
    }
}
