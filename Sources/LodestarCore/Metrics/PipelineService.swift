import Foundation

/// The pipeline use cases that more than one caller needs: what the month's delivery metrics say to the epics.
public struct PipelineService: Sendable {
    public let repository: any PipelineRepository

    public init(repository: any PipelineRepository) {
        self.repository = repository
    }

    /// How the month's delivery metrics moved against the month before; nothing without pipeline data.
    public func deliverySignals(month: Month) async throws -> DeliverySignals {
        Self.deliverySignals(month: month, columns: try await self.repository.deliveryColumns())
    }

    /// The same from columns already loaded, for callers that signal several months.
    public static func deliverySignals(month: Month, columns: DeliveryColumns) -> DeliverySignals {
        let query = MetricsQuery(from: month.description, to: month.description)
        guard let report = try? query.report(columns: columns) else { return DeliverySignals() }
        return DeliverySignals(report: report)
    }
}
