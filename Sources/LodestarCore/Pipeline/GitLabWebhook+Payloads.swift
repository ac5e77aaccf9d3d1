import Foundation

/// GitLab's webhook bodies, as far as Lodestar reads them.
extension GitLabWebhook {
    // MARK: - Payloads (keys are GitLab's snake_case, converted by the decoder)

    struct Label: Decodable {
        var title: String?
    }

    struct Envelope: Decodable {
        var objectKind: String?
        var eventName: String?
    }

    struct Project: Decodable {
        var id: FlexibleID?
        var name: String?
        var pathWithNamespace: String?
    }

    struct Repository: Decodable {
        var name: String?
    }

    struct PushHook: Decodable {
        var before: String?
        var after: String?
        var totalCommitsCount: Int?
        var commits: [Commit]?
        var project: Project?
        var repository: Repository?

        struct Commit: Decodable {
            var id: String?
            var timestamp: FlexibleDate?
        }
    }

    struct MergeRequestHook: Decodable {
        var objectAttributes: Attributes?
        var project: Project?
        var repository: Repository?

        struct Attributes: Decodable {
            var action: String?
            var state: String?
            var mergeCommitSHA: String?
            var lastCommit: Commit?
            var createdAt: FlexibleDate?
            var updatedAt: FlexibleDate?
            var mergedAt: FlexibleDate?

            // The snake_case conversion gives `mergeCommitSha`; the property keeps Swift's SHA spelling.
            enum CodingKeys: String, CodingKey {
                case action, state, lastCommit, createdAt, updatedAt, mergedAt
                case mergeCommitSHA = "mergeCommitSha"
            }
        }

        struct Commit: Decodable {
            var id: String?
        }
    }

    struct DeploymentHook: Decodable {
        var status: String?
        var statusChangedAt: FlexibleDate?
        var deploymentID: FlexibleID?
        var environment: String?
        var sha: String?
        var shortSHA: String?
        var commitURL: String?
        var deployable: Deployable?
        /// The job that deployed.
        var deployableID: FlexibleID?
        var project: Project?

        enum CodingKeys: String, CodingKey {
            case status, statusChangedAt, environment, sha, deployable, project
            case deployableID = "deployableId"
            case deploymentID = "deploymentId"
            case shortSHA = "shortSha"
            case commitURL = "commitUrl"
        }

        /// Not in GitLab's own payload; read when a sender adds the job's times.
        struct Deployable: Decodable {
            var startedAt: FlexibleDate?
            var finishedAt: FlexibleDate?
        }
    }

    struct PipelineHook: Decodable {
        var objectAttributes: Attributes?
        var builds: [Build]?
        var project: Project?

        struct Attributes: Decodable {
            var id: FlexibleID?
            var name: String?
            var ref: String?
            var sha: String?
            var status: String?
            var createdAt: FlexibleDate?
            var finishedAt: FlexibleDate?
            var duration: Double?
        }

        struct Build: Decodable {
            var id: FlexibleID?
            var name: String?
            var stage: String?
            var status: String?
            var finishedAt: FlexibleDate?
            var environment: Environment?
        }

        struct Environment: Decodable {
            var name: String?
        }
    }

    struct IssueHook: Decodable {
        var objectAttributes: Attributes?
        var labels: [Label]?
        var project: Project?
        var repository: Repository?

        struct Attributes: Decodable {
            var iid: FlexibleID?
            var title: String?
            var description: String?
            var action: String?
            var state: String?
            var issueType: String?
            var type: String?
            var labels: [Label]?
            var createdAt: FlexibleDate?
            var updatedAt: FlexibleDate?
            var closedAt: FlexibleDate?
        }
    }
}
