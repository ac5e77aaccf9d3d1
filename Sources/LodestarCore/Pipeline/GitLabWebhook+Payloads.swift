import Foundation

/// GitLab's webhook bodies, as far as Lodestar reads them.
extension GitLabWebhook {
    // MARK: - Payloads (keys are GitLab's snake_case, converted by the decoder)

    /// A time as GitLab writes it (`2026-11-02 10:15:00 UTC`), as ISO 8601 text, or as epoch seconds.
    struct FlexibleDate: Decodable {
        let date: Date

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) {
                guard let date = Timestamp.epoch(number) else {
                    throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(number) is not a time")
                }
                self.date = date
            } else if let text = try? container.decode(String.self) {
                guard let date = Timestamp.parse(Self.zoneAsOffset(text)) else {
                    throw DecodingError.dataCorruptedError(
                        in: container, debugDescription: "'\(text)' is not a time (ISO 8601, YYYY-MM-DD hh:mm:ss UTC or epoch seconds)"
                    )
                }
                self.date = date
            } else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be a time (text or epoch seconds)")
            }
        }

        /// `Timestamp` reads `Z` and numeric offsets but not a zone name: GitLab's trailing ` UTC` becomes `Z`.
        private static func zoneAsOffset(_ text: String) -> String {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard trimmed.uppercased().hasSuffix("UTC") else { return trimmed }
            return trimmed.dropLast(3).trimmingCharacters(in: .whitespaces) + "Z"
        }
    }

    /// An id GitLab sends as a number and other senders may send as text.
    struct FlexibleID: Decodable {
        let text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) {
                self.text = String(number)
            } else {
                self.text = try container.decode(String.self)
            }
        }
    }

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
        var project: Project?

        enum CodingKeys: String, CodingKey {
            case status, statusChangedAt, environment, sha, deployable, project
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
