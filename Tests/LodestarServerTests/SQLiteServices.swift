import Foundation
import Hummingbird
import LodestarCore
import LodestarServer
import LodestarStore
import Logging

// The server over a test's SQLite database, as `serve` builds it over the one `--db` names.
extension AppDatabase {
    var services: Services { Services(storage: SQLiteStorage(self, location: ":memory:")) }

    func monthlyReport(month: Month, policy: AnonymityPolicy) async throws -> MonthlyReport {
        try await self.services.reports.monthlyReport(month: month, policy: policy)
    }
}

extension EpicService {
    init(database: AppDatabase) {
        self = database.services.epics
    }
}

func buildApplication(
    _ arguments: some AppArguments, database: AppDatabase, logger: Logger = Logger(label: "lodestar")
) async throws -> some ApplicationProtocol {
    try await buildApplication(arguments, storage: SQLiteStorage(database, location: ":memory:"), logger: logger)
}

func buildRouter(_ arguments: some AppArguments, database: AppDatabase) async throws -> Router<AppRequestContext> {
    try await buildRouter(arguments, services: database.services)
}
