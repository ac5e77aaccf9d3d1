import Foundation
import Testing

@testable import LodestarCore

/// Bodies follow Apache DevLake's webhook plugin documentation (devlake.apache.org, Plugins → Webhook).
struct DevLakeWebhookTests: WebhookTesting {
    // MARK: - Deployments

    @Test func deploymentToTwoRepositoriesGivesOneDeploymentPerRepository() throws {
        let outcome = try self.outcome("/plugins/webhook/1/deployments", Self.documentedDeployment)
        #expect(
            outcome
                == .events([
                    .deployment(
                        DeploymentEvent(
                            id: "devlake-required-id-required-repo-url", service: "required-repo-url", environment: "production",
                            shas: ["c1"], startedAt: self.date("2020-01-01T11:00:00Z"), finishedAt: self.date("2020-01-02T11:00:00Z"),
                            result: .success, project: "devlake-1"
                        )
                    ),
                    .deployment(
                        DeploymentEvent(
                            id: "devlake-required-id-repo-2", service: "repo-2", environment: "production", shas: ["c2"],
                            startedAt: self.date("2020-01-01T11:00:00Z"), finishedAt: self.date("2020-01-02T11:00:00Z"), result: .failure,
                            project: "devlake-1"
                        )
                    ),
                ])
        )
    }

    @Test func deploymentToOneRepositoryIsNamedAfterTheRepository() throws {
        let outcome = try self.outcome("/plugins/webhook/1/deployments", Self.circleCIDeployment)
        let event = DeploymentEvent(
            id: "devlake-pipeline-812", service: "incubator-devlake", environment: "staging",
            shas: ["015e3d3b480e417aede5a1293bd61de9b0fd051d"], startedAt: self.date("2026-11-02T09:58:00Z"),
            finishedAt: self.date("2026-11-02T10:03:00Z"), result: .success, project: "devlake-1"
        )
        #expect(outcome == .events([.deployment(event)]))
    }

    @Test func deploymentWithoutIdIsIdentifiedByCommitAndEndTime() throws {
        let body = Self.circleCIDeployment.replacingOccurrences(of: #""id": "pipeline-812","#, with: "")
        let deployments = try self.deployments(try self.outcome("/plugins/webhook/1/deployments", body))
        #expect(deployments.map(\.id) == ["devlake-015e3d3b480e417aede5a1293bd61de9b0fd051d-1793613780"])
    }

    @Test func deploymentInTheOlderFlatFormIsRead() throws {
        let outcome = try self.outcome("/plugins/webhook/1/deployments", Self.flatDeployment)
        let event = DeploymentEvent(
            id: "devlake-015e3d3b480e417aede5a1293bd61de9b0fd051d-1577966400", service: "incubator-devlake", environment: "production",
            shas: ["015e3d3b480e417aede5a1293bd61de9b0fd051d"], startedAt: self.date("2020-01-01T12:00:00Z"),
            finishedAt: self.date("2020-01-02T12:00:00Z"), result: .success, project: "devlake-1"
        )
        #expect(outcome == .events([.deployment(event)]))
    }

    @Test func deploymentNamingItsServiceKeepsAllCommitsTogether() throws {
        let body = Self.documentedDeployment.replacingOccurrences(of: #""id": "required-id","#, with: #""id": "required-id", "service": "checkout","#)
        let deployments = try self.deployments(try self.outcome("/plugins/webhook/1/deployments", body))
        #expect(deployments.map(\.id) == ["devlake-required-id"])
        #expect(deployments.map(\.service) == ["checkout"])
        #expect(deployments.map(\.shas) == [["c1", "c2"]])
        #expect(deployments.map(\.result) == [.failure])
    }

    @Test func abortedDeploymentIsIgnored() throws {
        let body = Self.circleCIDeployment.replacingOccurrences(of: #""result": "SUCCESS""#, with: #""result": "ABORT""#)
        #expect(try self.outcome("/plugins/webhook/1/deployments", body) == .ignored("deployment result ABORT is not an outcome"))
    }

    @Test func deploymentCommitWithoutShaNamesTheField() {
        let body = Self.circleCIDeployment.replacingOccurrences(of: #""commitSha": "015E3D3B480E417AEDE5A1293BD61DE9B0FD051D","#, with: "")
        let error = #expect(throws: WebhookError.self) { try self.outcome("/plugins/webhook/1/deployments", body) }
        #expect(error == WebhookError(field: "deploymentCommits[0].commitSha", message: "is required"))
    }

    @Test func deploymentWithoutCommitsNamesTheField() {
        let error = #expect(throws: WebhookError.self) {
            let body = #"{"id": "x", "startedDate": "2026-11-02T10:00:00Z", "finishedDate": "2026-11-02T10:05:00Z"}"#
            return try self.outcome("/plugins/webhook/1/deployments", body)
        }
        #expect(error?.field == "deploymentCommits")
    }

    @Test func deploymentWithAnUnreadableTimeNamesTheField() throws {
        var body = Self.documentedDeployment
        let secondCommitEnd = try #require(body.range(of: #""finishedDate":"2020-01-02T11:00:00+00:00""#, options: .backwards))
        body.replaceSubrange(secondCommitEnd, with: #""finishedDate":"soon""#)
        let error = #expect(throws: WebhookError.self) { try self.outcome("/plugins/webhook/1/deployments", body) }
        #expect(error?.field == "deploymentCommits[1].finishedDate")
    }

    // MARK: - Issues

    @Test func incidentIssueGivesAnOpenIncidentOfTheConnectionsProject() throws {
        let outcome = try self.outcome("/plugins/webhook/1/issues", Self.incident())
        let incident = IncidentEvent(
            id: "devlake-issue-1-DLK-1234", service: "devlake-1", title: "Checkout returns 502",
            openedAt: self.date("2020-01-01T12:00:00Z"), resolvedAt: nil, rootCauseSHA: "9fceb02d0ae598e95dc970b74767f19372d61af8"
        )
        #expect(outcome == .events([.incident(incident)]))
    }

    @Test func aMappedConnectionFilesDeploymentsAndIncidentsUnderItsProject() throws {
        let options = WebhookOptions(devLakeProjects: try WebhookOptions.devLakeProjects(parsing: "1=checkout, 2 = payments"))
        let deployment = try DevLakeWebhook.outcome(path: "/plugins/webhook/2/deployments", body: Data(Self.circleCIDeployment.utf8), options: options)
        let incident = try DevLakeWebhook.outcome(path: "/plugins/webhook/2/issues", body: Data(Self.incident().utf8), options: options)
        #expect(try self.deployments(deployment).map(\.project) == ["payments"])
        #expect(try self.incidents(incident).map(\.service) == ["payments"])
    }

    @Test func aProjectMapThatIsNotConnectionEqualsProjectNamesTheSetting() {
        let error = #expect(throws: FieldError.self) { try WebhookOptions.devLakeProjects(parsing: "1=checkout,payments") }
        #expect(error?.field == "LODESTAR_DEVLAKE_PROJECTS")
        #expect(error?.message.contains("'payments'") == true)
    }

    @Test func incidentWithAResolutionDateIsResolvedThen() throws {
        let body = Self.incident(status: "DONE", resolutionDate: #""2020-01-01T15:30:00+00:00""#)
        #expect(try self.incidents(try self.outcome("/plugins/webhook/1/issues", body)).map(\.resolvedAt) == [self.date("2020-01-01T15:30:00Z")])
    }

    @Test func doneIncidentWithoutResolutionDateIsResolvedAtItsLastUpdate() throws {
        let body = Self.incident(status: "DONE", updatedDate: #""2020-01-01T14:00:00+00:00""#)
        #expect(try self.incidents(try self.outcome("/plugins/webhook/1/issues", body)).map(\.resolvedAt) == [self.date("2020-01-01T14:00:00Z")])
    }

    @Test func issueOfAnotherTypeIsIgnored() throws {
        let outcome = try self.outcome("/plugins/webhook/1/issues", Self.incident(type: "BUG"))
        #expect(outcome == .ignored("issue type BUG is not INCIDENT"))
    }

    @Test func issueInTheOlderSnakeCaseFormIsRead() throws {
        let body = #"""
            {"issue_key": "DLK-7", "title": "Login down", "type": "INCIDENT", "status": "TODO", "created_date": "2020-01-01T12:00:00+00:00"}
            """#
        #expect(try self.incidents(try self.outcome("/plugins/webhook/3/issues", body)).map(\.id) == ["devlake-issue-3-DLK-7"])
    }

    @Test func issueWithoutIssueKeyNamesTheField() {
        let body = Self.incident().replacingOccurrences(of: #""issueKey": "DLK-1234","#, with: "")
        let error = #expect(throws: WebhookError.self) { try self.outcome("/plugins/webhook/1/issues", body) }
        #expect(error == WebhookError(field: "issueKey", message: "is required"))
    }

    @Test func issueWithoutCreatedDateNamesTheField() {
        let body = Self.incident().replacingOccurrences(of: #""createdDate": "2020-01-01T12:00:00+00:00","#, with: "")
        let error = #expect(throws: WebhookError.self) { try self.outcome("/plugins/webhook/1/issues", body) }
        #expect(error == WebhookError(field: "createdDate", message: "is required"))
    }

    // MARK: - Closing issues

    @Test func closingAnIssueNeedsTheStoredIncident() throws {
        let outcome = try self.outcome("/plugins/webhook/1/issue/DLK-1234/close", "")
        #expect(outcome == .ignored("closing DevLake issue DLK-1234 needs the stored incident; see closedIncidentID(path:body:)"))
    }

    @Test func closePathNamesTheIncidentToResolve() throws {
        #expect(try DevLakeWebhook.closedIncidentID(path: "/plugins/webhook/1/issue/DLK-1234/close", body: Data()) == "devlake-issue-1-DLK-1234")
    }

    @Test func bodyBasedCloseNamesTheIncidentToResolve() throws {
        let id = try DevLakeWebhook.closedIncidentID(path: "/plugins/webhook/connections/2/issue/close", body: Data(#"{"issueKey": "DLK-9"}"#.utf8))
        #expect(id == "devlake-issue-2-DLK-9")
    }

    @Test func otherPathsNameNoIncidentToResolve() throws {
        #expect(try DevLakeWebhook.closedIncidentID(path: "/plugins/webhook/1/issues", body: Data()) == nil)
    }

    // MARK: - Paths and bodies

    @Test(arguments: [
        "/plugins/webhook/1/issues", "/plugins/webhook/connections/1/issues", "/rest/plugins/webhook/1/issues", "plugins/webhook/1/issues/",
    ])
    func connectionIdIsReadFromEachPathForm(_ path: String) throws {
        #expect(try self.incidents(try self.outcome(path, Self.incident())).map(\.id) == ["devlake-issue-1-DLK-1234"])
    }

    @Test func connectionNameIsReadFromByNamePaths() throws {
        let incidents = try self.incidents(try self.outcome("/plugins/webhook/by-name/payments/issues", Self.incident()))
        #expect(incidents.map(\.id) == ["devlake-issue-payments-DLK-1234"])
    }

    @Test(arguments: ["/plugins/webhook/1/pull_requests", "/plugins/jenkins/1/deployments", "/plugins/webhook/one/issues", "/"])
    func unknownPathIsRefused(_ path: String) {
        let error = #expect(throws: WebhookError.self) { try self.outcome(path, Self.incident()) }
        #expect(error?.field == "path")
    }

    @Test func malformedJSONIsRefused() {
        let error = #expect(throws: WebhookError.self) { try self.outcome("/plugins/webhook/1/deployments", #"{"id": "x", "deploymentCommits": [}"#) }
        #expect(error?.field == "")
        #expect(error?.message.hasPrefix("malformed JSON") == true)
    }

    // MARK: - Helpers

    private func outcome(_ path: String, _ body: String) throws -> WebhookOutcome {
        try DevLakeWebhook.outcome(path: path, body: Data(body.utf8), options: WebhookOptions())
    }
}

// MARK: - Bodies

extension DevLakeWebhookTests {
    /// The documentation's sample deployment to two repositories, verbatim.
    static let documentedDeployment = #"""
        {
            "id": "required-id",
            "createdDate":"2020-01-01T11:00:00+00:00",
            "startedDate":"2020-01-01T12:00:00+00:00",
            "finishedDate":"2020-01-02T13:00:00+00:00",
            "environment":"PRODUCTION",
            "result": "SUCCESS",
            "displayTitle":"optional-custom-deploy-display-title",
            "name": "optional-deployment-name. If you do not post a name, DevLake will generate one for you.",
            "deploymentCommits":[
               {
                   "repoUrl":"required-repo-url",
                   "refName": "optional-release-v0.17",
                   "startedDate":"2020-01-01T11:00:00+00:00",
                   "finishedDate":"2020-01-02T11:00:00+00:00",
                   "commitSha":"c1",
                   "commitMsg":"optional-msg-1",
                   "result":"SUCCESS",
                   "name":"optional, if null, it will be deployment for {commit_sha}",
                   "displayTitle":"optional-custom-deployment-commit-display-title-1"
               },
               {
                   "repoUrl":"repo-2",
                   "refName": "optional-release-v0.17",
                   "startedDate":"2020-01-01T11:00:00+00:00",
                   "finishedDate":"2020-01-02T11:00:00+00:00",
                   "commitSha":"c2",
                   "commitMsg":"optional-msg-2",
                   "result":"FAILURE",
                   "name":"optional, if null, it will be deployment for {commit_sha}",
                   "displayTitle":"optional-custom-deployment-commit-display-title-2"
               }
            ]
        }
        """#

    /// What the documentation's CircleCI job posts, with the commit's own times left out.
    static let circleCIDeployment = #"""
        {
            "id": "pipeline-812",
            "startedDate": "2026-11-02T10:58:00+0100",
            "finishedDate": "2026-11-02T11:03:00+0100",
            "environment": "STAGING",
            "result": "SUCCESS",
            "deploymentCommits": [
                {
                    "commitSha": "015E3D3B480E417AEDE5A1293BD61DE9B0FD051D",
                    "repoUrl": "https://github.com/apache/incubator-devlake.git",
                    "refName": "main"
                }
            ]
        }
        """#

    /// The v0.15 documentation's flat deployment.
    static let flatDeployment = #"""
        {
            "commit_sha":"015e3d3b480e417aede5a1293bd61de9b0fd051d",
            "repo_url":"https://github.com/apache/incubator-devlake/",
            "environment":"PRODUCTION",
            "start_time":"2020-01-01T12:00:00+00:00",
            "end_time":"2020-01-02T12:00:00+00:00"
        }
        """#

    /// The documentation's sample incident, with a description naming the cause.
    static func incident(
        type: String = "INCIDENT", status: String = "TODO", updatedDate: String = "null", resolutionDate: String = "null"
    ) -> String {
        #"""
        {
          "issueKey": "DLK-1234",
          "title": "Checkout returns 502",
          "description": "Rolled back.\nRoot cause: 9FCEB02D0AE598E95DC970B74767F19372D61AF8",
          "url": "https://tracker.example.com/DLK-1234",
          "type": "\#(type)",
          "status": "\#(status)",
          "originalStatus": "open",
          "createdDate": "2020-01-01T12:00:00+00:00",
          "updatedDate": \#(updatedDate),
          "resolutionDate": \#(resolutionDate),
          "priority": "",
          "severity": "",
          "creatorId": "user1131",
          "creatorName": "Nick name 1",
          "assigneeId": "user1132",
          "assigneeName": "Nick name 2"
        }
        """#
    }
}
