import Foundation
import LodestarPostgres
import Testing

/// What `PostgresDatabase.connect` tells a user when something is wrong, and how it migrates. Needs the test server.
struct PostgresConnectTests {
    /// The error `connect` threw, or a failure when it connected.
    func connectError(_ url: String) async throws -> PostgresStoreError {
        do {
            let database = try await LodestarPostgres.PostgresDatabase.connect(url: url, logger: TestServer.logger, leaseTimeout: TestServer.leaseTimeout)
            await database.close()
        } catch let error as PostgresStoreError {
            return error
        }
        Issue.record("connected to \(url)")
        throw CancellationError()
    }

    @Test func namesAWrongURLWithoutItsPassword() async throws {
        let error = try await self.connectError("postgres://lead:hunter2@db.example.com/lodestar?sslmode=sometimes")
        #expect(error.description.hasPrefix("not a usable PostgreSQL URL: unknown sslmode 'sometimes'"))
        #expect(!error.description.contains("hunter2"))
    }

    @Test func namesTheHostThatRefusedTheConnection() async throws {
        _ = try TestServer.url()
        let error = try await self.connectError("postgres://lead:hunter2@127.0.0.1:1/lodestar?sslmode=disable")
        #expect(error == .unreachable(host: "127.0.0.1:1", reason: "connection refused"))
        #expect(error.description == "cannot reach PostgreSQL at 127.0.0.1:1: connection refused")
    }

    @Test func saysTheLoginFailedWithoutShowingThePassword() async throws {
        let url = try TestServer.url()
        let error = try await self.connectError(try TestServer.urlText(database: url.database, password: "wrong-hunter2"))
        #expect(error == .loginFailed(host: url.hostAndPort, user: url.user))
        #expect(!error.description.contains("wrong-hunter2") && !error.description.contains(url.password ?? "\u{0}"))
    }

    @Test func namesADatabaseThatDoesNotExist() async throws {
        let url = try TestServer.url()
        let error = try await self.connectError(try TestServer.urlText(database: "lodestar_no_such_database"))
        #expect(error == .noSuchDatabase(host: url.hostAndPort, database: "lodestar_no_such_database"))
        #expect(!error.description.contains(url.password ?? "\u{0}"))
    }

    @Test func refusesADatabaseThatHoldsOtherTables() async throws {
        try await TestServer.withFreshDatabase { text async throws in
            let url = try PostgresURL.parse(text)
            try await TestServer.execute("CREATE TABLE invoices (id int)", database: url.database)
            let error = try await self.connectError(text)
            #expect(error == .notLodestar(host: url.hostAndPort, database: url.database, tables: ["invoices"]))
            #expect(try await TestServer.integers("SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public'", database: url.database) == [1])
        }
    }

    @Test func refusesASchemaNewerThanThisBinary() async throws {
        try await TestServer.withFreshDatabase { text async throws in
            let url = try PostgresURL.parse(text)
            await (try await LodestarPostgres.PostgresDatabase.connect(url: text, logger: TestServer.logger, leaseTimeout: TestServer.leaseTimeout)).close()
            try await TestServer.execute("INSERT INTO lodestar_schema (version, name) VALUES (99, 'from the future')", database: url.database)
            let error = try await self.connectError(text)
            #expect(error == .schemaTooNew(host: url.hostAndPort, database: url.database, found: 99, supported: 9))
            #expect(error.description.contains("version 99") && error.description.contains("version 9"))
        }
    }

    @Test func migratesOnceWhenTwoNodesConnectAtOnce() async throws {
        try await TestServer.withFreshDatabase { text async throws in
            let url = try PostgresURL.parse(text)
            async let first = LodestarPostgres.PostgresDatabase.connect(url: text, logger: TestServer.logger, leaseTimeout: TestServer.leaseTimeout)
            async let second = LodestarPostgres.PostgresDatabase.connect(url: text, logger: TestServer.logger, leaseTimeout: TestServer.leaseTimeout)
            let nodes = try await [first, second]
            for node in nodes { await node.close() }
            #expect(try await TestServer.integers("SELECT version FROM lodestar_schema ORDER BY version", database: url.database) == [7, 8, 9])
        }
    }

    @Test func reconnectsToAMigratedDatabaseWithoutChangingIt() async throws {
        try await TestServer.withFreshDatabase { text async throws in
            let url = try PostgresURL.parse(text)
            await (try await LodestarPostgres.PostgresDatabase.connect(url: text, logger: TestServer.logger, leaseTimeout: TestServer.leaseTimeout)).close()
            await (try await LodestarPostgres.PostgresDatabase.connect(url: text, logger: TestServer.logger, leaseTimeout: TestServer.leaseTimeout)).close()
            #expect(try await TestServer.integers("SELECT version FROM lodestar_schema ORDER BY version", database: url.database) == [7, 8, 9])
        }
    }

    @Test func failsRequestsAsUnavailableOnceClosed() async throws {
        try await TestServer.withFreshDatabase { text async throws in
            let database = try await LodestarPostgres.PostgresDatabase.connect(url: text, logger: TestServer.logger, leaseTimeout: TestServer.leaseTimeout)
            await database.close()
            await #expect(throws: PostgresStoreError.self) { try await AdminPostgresRepository(database: database).hasRounds() }
        }
    }
}
