import Foundation
import LodestarCore
import Testing

/// The lead's web sessions (`/admin`), the same on SQLite and on PostgreSQL: every node reads what another wrote.
struct AdminSessionStorageTests {
    static let key = "k3y-of-a-session-that-is-long-enough"

    @Test(arguments: Backend.allCases)
    func keepsASessionUntilItExpires(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let expiry = Date(timeIntervalSince1970: 1_800_000_000)
            try await store.admin.saveSession(key: Self.key, value: #"{"csrf":"a"}"#, expiresAt: expiry, createOnly: true)
            let live = try await store.admin.session(key: Self.key, now: expiry.addingTimeInterval(-60))
            #expect(live?.value == #"{"csrf":"a"}"#)
            #expect(abs((live?.expiresAt ?? .distantPast).timeIntervalSince(expiry)) < 0.001)
            #expect(try await store.admin.session(key: Self.key, now: expiry.addingTimeInterval(1)) == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func refusesToCreateAKeyTwiceButReplacesOnSave(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let expiry = Date().addingTimeInterval(3600)
            try await store.admin.saveSession(key: Self.key, value: "1", expiresAt: expiry, createOnly: true)
            await #expect(throws: AdminSessionError.self) {
                try await store.admin.saveSession(key: Self.key, value: "2", expiresAt: expiry, createOnly: true)
            }
            try await store.admin.saveSession(key: Self.key, value: "3", expiresAt: expiry, createOnly: false)
            #expect(try await store.admin.session(key: Self.key, now: Date())?.value == "3")
        }
    }

    @Test(arguments: Backend.allCases)
    func removingASessionEndsIt(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            try await store.admin.saveSession(key: Self.key, value: "1", expiresAt: Date().addingTimeInterval(3600), createOnly: true)
            try await store.admin.removeSession(key: Self.key)
            try await store.admin.removeSession(key: Self.key)
            #expect(try await store.admin.session(key: Self.key, now: Date()) == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func expiredSessionsAreDeletedWhenAnotherIsSaved(_ backend: Backend) async throws {
        try await backend.withStore { store async throws in
            try await store.admin.saveSession(key: Self.key, value: "old", expiresAt: Date().addingTimeInterval(-10), createOnly: true)
            try await store.admin.saveSession(key: Self.key + "-2", value: "new", expiresAt: Date().addingTimeInterval(3600), createOnly: true)
            // Read as if it were earlier: the expired row is gone, not merely hidden.
            #expect(try await store.admin.session(key: Self.key, now: .distantPast) == nil)
        }
    }
}
