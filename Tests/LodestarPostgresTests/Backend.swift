import Foundation
import LodestarCore
import LodestarPostgres
import LodestarStore
import PostgresNIO
import Testing

/// The storage backends every store test runs on, so no behaviour exists on one side only.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { self.rawValue }

    /// Runs `body` with a fresh, empty store of this backend and throws it away afterwards. On PostgreSQL that is a
    /// new database on the server `LODESTAR_TEST_POSTGRES_URL` names, dropped at the end.
    func withStore(_ body: (TestStore) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let database = try AppDatabase.inMemory()
            try await body(
                TestStore(
                    rounds: RoundSQLiteRepository(database: database),
                    invites: InviteSQLiteRepository(database: database),
                    responses: ResponseSQLiteRepository(database: database),
                    admin: AdminSQLiteRepository(database: database),
                    peerResponses: ResponseSQLiteRepository(database: database)
                )
            )
        case .postgres:
            try await TestServer.withFreshDatabase { url in
                let node = try await LodestarPostgres.PostgresDatabase.connect(url: url, logger: TestServer.logger, leaseTimeout: TestServer.leaseTimeout)
                // A second pool on the same database stands for a second server process.
                let peer = try await LodestarPostgres.PostgresDatabase.connect(url: url, logger: TestServer.logger, leaseTimeout: TestServer.leaseTimeout)
                do {
                    try await body(
                        TestStore(
                            rounds: RoundPostgresRepository(database: node),
                            invites: InvitePostgresRepository(database: node),
                            responses: ResponsePostgresRepository(database: node),
                            admin: AdminPostgresRepository(database: node),
                            peerResponses: ResponsePostgresRepository(database: peer)
                        )
                    )
                } catch {
                    await node.close()
                    await peer.close()
                    throw error
                }
                await node.close()
                await peer.close()
            }
        }
    }
}

/// One backend's repositories over one fresh database.
struct TestStore: Sendable {
    var rounds: any RoundRepository
    var invites: any InviteRepository
    var responses: any ResponseRepository
    var admin: any AdminRepository
    /// Responses through another connection pool (another node) on PostgreSQL; the same database on SQLite.
    var peerResponses: any ResponseRepository
}

/// The PostgreSQL server the tests use, and fresh databases on it.
enum TestServer {
    /// Why a PostgreSQL test cannot run: it fails rather than skipping, so a green run always means both backends.
    struct NotConfigured: Error, CustomStringConvertible {
        var description: String {
            "LODESTAR_TEST_POSTGRES_URL is not set: start a throwaway server with "
                + "`export LODESTAR_TEST_POSTGRES_URL=$(scripts/postgres.sh start)` and run the tests again"
        }
    }

    /// How long a test's request waits for a connection: a whole suite starting at once on two busy cores can keep a
    /// connection waiting longer than a server's 10 s, which is not what these tests are about.
    static let leaseTimeout: Duration = .seconds(90)

    /// Warnings and errors only: a connect and a migration per test would drown the test output.
    static let logger: Logger = {
        var logger = Logger(label: "lodestar.postgres.test")
        logger.logLevel = .warning
        return logger
    }()

    /// The URL of the test server's `lodestar` database, from the environment.
    static func url() throws -> PostgresURL {
        guard let text = ProcessInfo.processInfo.environment["LODESTAR_TEST_POSTGRES_URL"], !text.isEmpty else {
            throw NotConfigured()
        }
        return try PostgresURL.parse(text)
    }

    /// The URL text of another database on the test server.
    static func urlText(database: String, password: String? = nil, port: Int? = nil) throws -> String {
        let url = try Self.url()
        let secret = (password ?? url.password).map { ":\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } ?? ""
        return "postgres://\(url.user)\(secret)@\(url.host):\(port ?? url.port)/\(database)?sslmode=\(url.sslMode.rawValue)"
    }

    /// How many test databases may exist at once. Swift Testing starts every test together: some sixty databases
    /// created and migrated at one time on a small, shared machine ran past the connect deadline (10 seconds) the
    /// backend keeps for users, and the tests failed for want of CPU rather than for a bug.
    static let databases = TestSlots(4)

    /// Runs `body` with the URL of a new, empty database, dropped afterwards whatever happens. Waits for one of
    /// `databases`' slots first.
    static func withFreshDatabase(_ body: (String) async throws -> Void) async throws {
        await Self.databases.take()
        let name = "lodestar_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        do {
            try await Self.execute("CREATE DATABASE \(name)")
            do {
                try await body(try Self.urlText(database: name))
            } catch {
                await Self.drop(name)
                throw error
            }
            await Self.drop(name)
        } catch let error as PSQLError {
            await Self.databases.give()
            // PSQLError's description hides the server's message; a failing test should show it.
            throw ServerSaid(detail: String(reflecting: error))
        } catch {
            await Self.databases.give()
            throw error
        }
        await Self.databases.give()
    }

    /// Drops a test database, trying again for a while: `WITH (FORCE)` cannot end the autovacuum worker that may be
    /// cleaning it at that moment ("must be a member of the role whose process is being terminated"). A database
    /// left behind is harmless, since the whole test server is thrown away, so a drop never fails a test.
    static func drop(_ name: String) async {
        for attempt in 0..<20 {
            do {
                try await Self.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
                return
            } catch {
                try? await Task.sleep(for: .milliseconds(100 * (attempt + 1)))
            }
        }
    }

    /// A PostgreSQL error with the server's own message, for test failures that can be read.
    struct ServerSaid: Error, CustomStringConvertible {
        let detail: String
        var description: String { self.detail }
    }

    /// Runs one statement on the test server's own database (`CREATE DATABASE` and the like).
    static func execute(_ sql: String, database: String? = nil) async throws {
        let url = try Self.url()
        let configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: database ?? url.database, tls: .disable
        )
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Logger(label: "test"))
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test"))
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    /// The integers one query returns, one a row, on the named database.
    static func integers(_ sql: String, database: String) async throws -> [Int] {
        let url = try Self.url()
        let configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: database, tls: .disable
        )
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Logger(label: "test"))
        let values: [Int]
        do {
            values = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test")).collect().map { try $0.decode(Int.self) }
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
        return values
    }
}

/// A fixed number of slots that async tests wait for in turn (a counting semaphore).
actor TestSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) {
        self.free = count
    }

    /// Takes a slot, waiting until one is given back when none is free.
    func take() async {
        if self.free > 0 {
            self.free -= 1
            return
        }
        await withCheckedContinuation { self.waiting.append($0) }
    }

    /// Gives a slot back, to the longest waiter if there is one.
    func give() {
        if self.waiting.isEmpty {
            self.free += 1
        } else {
            self.waiting.removeFirst().resume()
        }
    }
}
