import Foundation
import GRDB
import LodestarCore
import Testing

@testable import LodestarStore

/// `v8 epic status time` on a database that already has moved epics: each takes the time of its latest audit entry
/// that set a status.
struct EpicStatusTimeMigrationTests {
    @Test func anEpicMovedBeforeV8TakesTheTimeOfItsLatestStatusEntry() throws {
        let queue = try DatabaseQueue()
        try AppDatabase.migrator.migrate(queue, upTo: "v7 second parent guard")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO theme (id, month, kind, identity, label, keywords, respondents, mentions, score, breakdown)
                    VALUES (1, '2026-10', 'need', 1, 'ci', '[]', 6, 6, 9, '{}'), (2, '2026-10', 'need', 2, 'k8s', '[]', 5, 5, 5, '{}'),
                        (3, '2026-10', 'need', 3, 'docs', '[]', 4, 4, 4, '{}');
                    INSERT INTO epic (id, month, rank, themeId, title, status) VALUES (1, '2026-10', 1, 1, 'CI', 'done'),
                        (12, '2026-10', 2, 2, 'Kubernetes', 'planned'), (13, '2026-10', 3, 3, 'Docs', 'proposed');
                    INSERT INTO auditLog (at, actor, action, detail) VALUES
                        ('2026-11-02 10:00:00.000', 'lead', 'epic.update', '#1 status=planned'),
                        ('2026-11-05 09:30:00.000', 'lead', 'epic.update', '#1 status=done, owner=ana'),
                        ('2026-11-06 08:00:00.000', 'lead', 'epic.update', '#1 owner=bo'),
                        ('2026-11-07 08:00:00.000', 'lead', 'epic.update', '#13 status=proposed');
                    """
            )
        }
        try AppDatabase.migrator.migrate(queue)
        let times = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, statusChangedAt FROM epic ORDER BY id").map { ($0["id"] as Int64, $0["statusChangedAt"] as String?) }
        }
        #expect(times.map(\.0) == [1, 12, 13])
        #expect(times[0].1 == "2026-11-05 09:30:00.000", "the latest entry that set a status, not the owner change after it, nor #12's")
        #expect(times[1].1 == nil && times[2].1 == nil)
    }
}
