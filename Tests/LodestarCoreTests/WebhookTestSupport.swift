import Foundation

@testable import LodestarCore

/// What the webhook parser tests share: reading times and picking events of one kind out of an outcome.
protocol WebhookTesting {}

/// A test expected events and got something else.
struct UnexpectedOutcome: Error {
    var outcome: WebhookOutcome
}

extension WebhookTesting {
    func date(_ text: String) -> Date {
        Timestamp.parse(text) ?? .distantPast
    }

    func events(_ outcome: WebhookOutcome) throws -> [PipelineEvent] {
        guard case .events(let events) = outcome else { throw UnexpectedOutcome(outcome: outcome) }
        return events
    }

    func changes(_ outcome: WebhookOutcome) throws -> [ChangeEvent] {
        try self.events(outcome).compactMap { if case .change(let change) = $0 { change } else { nil } }
    }

    func deployments(_ outcome: WebhookOutcome) throws -> [DeploymentEvent] {
        try self.events(outcome).compactMap { if case .deployment(let deployment) = $0 { deployment } else { nil } }
    }

    func incidents(_ outcome: WebhookOutcome) throws -> [IncidentEvent] {
        try self.events(outcome).compactMap { if case .incident(let incident) = $0 { incident } else { nil } }
    }
}
