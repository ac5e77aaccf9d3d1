import Foundation
import Logging
import PostgresNIO
import Synchronization

/// A Lodestar database on a PostgreSQL server: a connection pool that is running, logged in, and migrated.
///
/// `connect(url:logger:)` checks everything a user can get wrong before anything else happens, so the CLI can print
/// one line and stop; `close()` ends the pool. The repositories (`RoundPostgresRepository` and the others) take
/// one of these. Every request error comes out as a `PostgresStoreError`, or as the other layer's own error (a
/// `SurveyError`) when a rule refused the request.
public final class PostgresDatabase: Sendable {
    /// Where the database is, without its password.
    public let url: PostgresURL
    let client: PostgresClient
    let logger: Logger
    /// The task that runs the pool; cancelling it closes every connection.
    private let runner: Task<Void, Never>
    /// How long a request waits for a connection before it fails as unavailable.
    let leaseTimeout: Duration

    /// How long a connection attempt may take before the server counts as unreachable.
    public static let connectTimeout: Duration = .seconds(5)

    private init(url: PostgresURL, client: PostgresClient, logger: Logger, leaseTimeout: Duration) {
        self.url = url
        self.client = client
        self.logger = logger
        self.leaseTimeout = leaseTimeout
        self.runner = Task { await client.run() }
    }

    /// Connects to the database the URL names, checks that the login works and that the database is Lodestar's (or
    /// empty), and brings its schema up to date. Throws a `PostgresStoreError` naming the problem and the host.
    /// - Parameters:
    ///   - maximumConnections: the pool's size on this process.
    ///   - leaseTimeout: how long a request waits for a connection before failing with `.unavailable`.
    public static func connect(
        url text: String,
        logger: Logger = Logger(label: "lodestar.postgres"),
        maximumConnections: Int = 20,
        leaseTimeout: Duration = .seconds(10)
    ) async throws -> PostgresDatabase {
        let url = try PostgresURL.parse(text)
        let tls = try PostgresTLS(url.sslMode)
        try await Self.probe(url, tls: tls, logger: logger)

        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: tls.client
        )
        configuration.options.connectTimeout = Self.connectTimeout
        configuration.options.maximumConnections = maximumConnections
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let database = PostgresDatabase(url: url, client: client, logger: logger, leaseTimeout: leaseTimeout)
        do {
            try await database.withConnection { connection in
                try await PostgresMigrations.migrate(connection, url: url, logger: logger)
            }
        } catch {
            await database.close()
            throw error
        }
        logger.info("postgres connected", metadata: ["url": "\(url.redacted)"])
        return database
    }

    /// Closes every connection. Requests made after this fail with `.unavailable`.
    public func close() async {
        self.runner.cancel()
        await self.runner.value
    }

    // MARK: - Requests

    /// Runs `body` on one pooled connection. Fails with `.unavailable` when no connection comes within the lease
    /// timeout (the server is down or restarting) or the connection is lost on the way.
    ///
    /// A request that gives up stays queued in the pool rather than being cancelled: when a connection comes, it is
    /// released without running `body`. Whichever of the connection and the timer comes first decides, once, so
    /// nothing is ever written after the caller was told the database is unavailable. (Checked by hand: with the
    /// server stopped, requests fail after the lease timeout; once it is back, the next request succeeds.)
    func withConnection<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        let host = self.url.hostAndPort
        let client = self.client
        let timeout = self.leaseTimeout
        do {
            return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
                let lease = Lease(continuation)
                let timer = Task {
                    try? await Task.sleep(for: timeout)
                    if lease.abandon() {
                        lease.finish(.failure(PostgresStoreError.unavailable(host: host, reason: "no connection within \(timeout)")))
                    }
                }
                Task {
                    let result: Swift.Result<Result, any Error>
                    do {
                        result = .success(try await client.withConnection { connection in
                            guard lease.claim() else { throw CancellationError() }
                            return try await body(connection)
                        })
                    } catch {
                        result = .failure(error)
                    }
                    timer.cancel()
                    lease.finish(result)
                }
            }
        } catch {
            throw PostgresStoreError.translating(error, host: host)
        }
    }

    /// Runs `body` in one transaction: it commits when `body` returns and rolls back when it throws, and the error
    /// `body` threw comes out as it was.
    func withTransaction<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        let logger = self.logger
        return try await self.withConnection { connection in
            try await connection.withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }

    /// One request's race between its connection and the lease timer: whichever comes first decides, once.
    private final class Lease<Value: Sendable>: Sendable {
        private enum State { case waiting, leased, abandoned }
        private let state = Mutex(State.waiting)
        private let continuation: Mutex<CheckedContinuation<Value, any Error>?>

        init(_ continuation: CheckedContinuation<Value, any Error>) {
            self.continuation = Mutex(continuation)
        }

        /// The connection came: the request runs, unless the timer gave up on it first.
        func claim() -> Bool {
            self.state.withLock { state in
                guard state == .waiting else { return false }
                state = .leased
                return true
            }
        }

        /// The timer went off: the request is given up, unless it has its connection already.
        func abandon() -> Bool {
            self.state.withLock { state in
                guard state == .waiting else { return false }
                state = .abandoned
                return true
            }
        }

        /// Answers the caller; only the first answer counts.
        func finish(_ result: Result<Value, any Error>) {
            self.continuation.withLock { continuation in
                continuation?.resume(with: result)
                continuation = nil
            }
        }
    }

    // MARK: - Connecting

    /// One plain connection before the pool, because the pool retries a failed login for a minute where a user wants
    /// one line now.
    private static func probe(_ url: PostgresURL, tls: PostgresTLS, logger: Logger) async throws {
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: tls.connection
        )
        configuration.options.connectTimeout = .seconds(Int64(Self.connectTimeout.components.seconds))
        let host = url.hostAndPort
        let settings = configuration
        do {
            try await Self.withDeadline(Self.connectTimeout * 2, host: host) {
                let connection = try await PostgresConnection.connect(configuration: settings, id: 0, logger: logger)
                do {
                    try await connection.query("SELECT 1", logger: logger)
                } catch {
                    try? await connection.close()
                    throw error
                }
                try await connection.close()
            }
        } catch let error as PSQLError {
            throw Self.connectError(error, url: url)
        }
    }

    /// What a failed first connection means to a user.
    static func connectError(_ error: PSQLError, url: PostgresURL) -> PostgresStoreError {
        let host = url.hostAndPort
        switch error.code {
        case .server:
            switch error.serverInfo?[.sqlState] {
            case SQLState.invalidPassword, SQLState.invalidAuthorization: return .loginFailed(host: host, user: url.user)
            case SQLState.invalidCatalogName: return .noSuchDatabase(host: host, database: url.database)
            default: return .unreachable(host: host, reason: error.serverInfo?[.message] ?? "the server refused the connection")
            }
        case .sslUnsupported:
            return .unreachable(host: host, reason: "the server does not offer TLS (sslmode=\(url.sslMode.rawValue))")
        case .authMechanismRequiresPassword:
            return .loginFailed(host: host, user: url.user)
        case .connectionError:
            return .unreachable(host: host, reason: Self.reason(error.underlying))
        default:
            return .unreachable(host: host, reason: "\(error.code)")
        }
    }

    /// A short reason for a failed TCP connection.
    private static func reason(_ underlying: (any Error)?) -> String {
        guard let underlying else { return "the connection failed" }
        if let channel = underlying as? ChannelError, case .connectTimeout = channel {
            return "no answer within \(Self.connectTimeout)"
        }
        let text = String(describing: underlying)
        if text.localizedCaseInsensitiveContains("refused") { return "connection refused" }
        if text.localizedCaseInsensitiveContains("timeout") || text.localizedCaseInsensitiveContains("timed out") {
            return "no answer within \(Self.connectTimeout)"
        }
        if text.localizedCaseInsensitiveContains("resolve") || text.localizedCaseInsensitiveContains("dns") {
            return "the host name does not resolve"
        }
        return text
    }

    /// Runs `body`, or fails as unreachable when it takes longer than `limit` (a server that accepts the TCP
    /// connection and then says nothing).
    private static func withDeadline(_ limit: Duration, host: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await body()
                return true
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return false
            }
            let finished = try await group.next() ?? false
            group.cancelAll()
            guard finished else { throw PostgresStoreError.unreachable(host: host, reason: "no answer within \(limit)") }
        }
    }
}
