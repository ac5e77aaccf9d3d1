import Foundation
import LodestarCore
import LodestarStore

// The use cases over a test's SQLite database, as the composition root builds them.
extension AppDatabase {
    var services: Services { Services(storage: SQLiteStorage(self, location: ":memory:")) }

    func seedDemoPipeline(end: Date) async throws -> Int {
        try await DemoSeeder(services: self.services).seedPipeline(end: end)
    }
}
