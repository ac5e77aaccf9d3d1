import Foundation

/// The answer of `lodestar deployments` and `GET /api/v1/deployments`: each production deployment of a period with
/// the changes it shipped, why it counts as failed, what recovered it and whether it is rework. Read from the
/// `DeliveryFacts` the metrics count, so a figure and its explanation never disagree.
public struct DeploymentListing: Sendable, Equatable, Codable {
    public var from: String
    public var to: String
    /// The service asked for; nil lists every service.
    public var service: String?
    /// The rework rule's hours the listing was made with.
    public var reworkHours: Double
    /// Production deployments of any result, in order of finishing (then of id).
    public var deployments: [Deployment]

    /// One production deployment and what the metrics make of it.
    public struct Deployment: Sendable, Equatable, Codable {
        public var id: String
        public var service: String
        public var environment: String
        /// ISO 8601, UTC, whole seconds.
        public var finishedAt: String
        public var result: DeploymentResult
        /// The changes at their first production deployment, longest lead time first; empty for a failed attempt
        /// (it ships nothing: its changes go out with the next successful one).
        public var changes: [Change]
        /// Whether it counts in the change failure rate.
        public var failed: Bool
        /// Why it counts as failed: its own result first, then each incident linked to it by opening time.
        public var failedBecause: [FailureReason]
        /// For a failed deployment, the deployment that recovered it; failed-deployment recovery time runs to it.
        public var recoveredBy: Recovery?
        /// Whether it counts as rework: it recovered a failed deployment within the rework hours.
        public var rework: Bool
        /// The failed deployment it reworked (the latest, when it recovered several).
        public var reworkOf: String?
    }

    /// A change shipped by a deployment and its lead time; a negative lead time is clock skew, left out of the
    /// lead-time figures (counted in `skippedClockSkew`).
    public struct Change: Sendable, Equatable, Codable {
        public var sha: String
        public var leadTimeHours: Double
    }

    /// One reason a deployment counts as failed.
    public struct FailureReason: Sendable, Equatable, Codable {
        /// `result` (the deployment failed or was rolled back), or how an incident was linked: `rootCause`,
        /// `window` or `project`.
        public var reason: String
        /// The incident's id, for an incident's reason.
        public var incident: String?
        /// The commit the incident names, for `rootCause`.
        public var rootCause: String?
        /// The project the incident was filed under, for `project`.
        public var project: String?
        /// Hours from the deployment's end to the incident's opening, for `window` and `project`.
        public var hoursBefore: Double?
    }

    /// The deployment that recovered a failed one, and how long after it finished.
    public struct Recovery: Sendable, Equatable, Codable {
        public var deploymentId: String
        public var finishedAt: String
        public var hours: Double
    }
}

/// A request for the deployments listing as the CLI and the API take it: an optional service and the period as
/// in `MetricsQuery` (days or months, both ends included; default the last 90 days).
public struct DeploymentsQuery: Sendable, Equatable {
    public var service: String?
    public var from: String?
    public var to: String?
    public var rework: ReworkRule

    public init(service: String? = nil, from: String? = nil, to: String? = nil, rework: ReworkRule = .standard) {
        self.service = service
        self.from = from
        self.to = to
        self.rework = rework
    }

    /// The listing over `columns`; a bad option is an error naming it (`from`, `to`, `service`).
    public func listing(columns: DeliveryColumns, now: Date = Date()) throws(FieldError) -> DeploymentListing {
        let period = try MetricsQuery(from: self.from, to: self.to).period(now: now)
        if let service = self.service, service.trimmingCharacters(in: .whitespaces).isEmpty {
            throw FieldError(field: "service", message: "must not be empty")
        }
        return DeploymentListing(facts: DeliveryFacts(columns: columns, rework: self.rework), period: period, service: self.service)
    }
}
