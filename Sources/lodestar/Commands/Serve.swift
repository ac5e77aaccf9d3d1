import ArgumentParser
import Foundation
import Hummingbird
import LodestarServer
import Logging
import LodestarCore
import Synchronization

/// Server options shared by `serve` and `demo`.
struct ServerOptions: ParsableArguments {
    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on.")
    var port = 8080

    @Option(name: .long, help: "Answers per client address per minute; 0 turns the limit off (default: $LODESTAR_RATE_LIMIT or 20).")
    var rateLimit: Int?

    @Option(name: .long, help: "Folder of templates and static files (default: the one beside the binary).")
    var resources: String?

    @Option(name: .long, help: "Folder of published reports, served at /reports/.")
    var reports = "reports"

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: Logger.Level = .info

    @Option(name: .long, help: "Log format on stderr: text, or json (one JSON object per line).")
    var logFormat: LogFormat = .text

    /// How epics generated at /admin/epics find themes, as `epics generate` does.
    @OptionGroup var semantic: SemanticOptions

    func validate() throws {
        guard (0...65535).contains(self.port) else { throw ValidationError("--port must be 0 to 65535") }
        guard self.resolvedRateLimit >= 0 else { throw ValidationError("--rate-limit must be 0 or more") }
        // Anyone who can reach a non-loopback address could curate epics; only the admin token keeps them out.
        if !Self.isLoopback(self.host), ProcessInfo.processInfo.environment["LODESTAR_ADMIN_TOKEN"]?.nilIfEmpty == nil {
            throw ValidationError("--host \(self.host) is reachable from other machines: set LODESTAR_ADMIN_TOKEN first, or listen on 127.0.0.1")
        }
    }

    /// 127.0.0.0/8, ::1 and localhost: addresses only this machine reaches.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.split(separator: ".").first == "127" && host.split(separator: ".").count == 4
    }

    var resolvedRateLimit: Int {
        self.rateLimit ?? ProcessInfo.processInfo.environment["LODESTAR_RATE_LIMIT"].flatMap(Int.init) ?? ServerLimits.defaultRateLimit
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// How `serve` writes its logs to stderr.
enum LogFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json
}

/// What `serve` and `demo` hand to the composition root.
struct ServeArguments: AppArguments {
    let hostname: String
    let port: Int
    let databasePath: String
    let rateLimitPerMinute: Int
    let resourcesPath: String?
    let reportsPath: String
    let surveysPath: String
    let logFormat: LogFormat
    let themeEmbedder: @Sendable () -> (any TextEmbedder)?

    init(server: ServerOptions, databasePath: String, surveysPath: String) {
        self.hostname = server.host
        self.port = server.port
        self.databasePath = databasePath
        self.rateLimitPerMinute = server.resolvedRateLimit
        self.resourcesPath = server.resources
        self.reportsPath = server.reports
        self.surveysPath = surveysPath
        self.logFormat = server.logFormat
        let semantic = server.semantic
        let loaded = LoadOnce<(any TextEmbedder)?>()
        // The model loads on the first generate at /admin/epics, not at start-up, and once.
        self.themeEmbedder = { loaded.value { try? semantic.encoder() } }
    }

    /// Builds and runs the server until SIGINT or SIGTERM; prints `banner` once it is built, so a start-up error
    /// is never preceded by a promise to listen.
    func run(logLevel: Logger.Level, banner: String) async throws {
        // Once per process, before the first logger: `serve` and `demo` each run one server.
        if self.logFormat == .json {
            LoggingSystem.bootstrap { label in JSONLogHandler.standardError(label: label) }
        }
        var logger = Logger(label: "lodestar")
        logger.logLevel = logLevel
        let storage = try await StorageOpener.open(self.databasePath, logger: logger)
        do {
            let app = try await buildApplication(self, storage: storage, logger: logger)
            print(banner)
            // Written now even when stdout is a file or a pipe (a service manager's log), not when the buffer fills.
            fflush(nil)
            try await app.runService()
        } catch {
            await storage.close()
            throw error
        }
        await storage.close()
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the survey form, the API and the reports over HTTP.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var server: ServerOptions

    @Option(name: .long, help: "Folder of survey definitions, for opening rounds at /admin/rounds.")
    var surveys = "surveys"

    func run() async throws {
        let arguments = ServeArguments(server: self.server, databasePath: self.database.location, surveysPath: self.surveys)
        let banner = "Lodestar listening on http://\(self.server.host):\(self.server.port)/ (database \(StorageOpener.shown(self.database.location)))"
        try await arguments.run(logLevel: self.server.logLevel, banner: banner)
    }
}

/// A value made on first use and kept, for the sentence model of the server's epic generation.
final class LoadOnce<Value: Sendable>: Sendable {
    private let stored = Mutex<Value?>(nil)

    func value(_ make: () -> Value) -> Value {
        self.stored.withLock { stored in
            if let stored { return stored }
            let value = make()
            stored = .some(value)
            return value
        }
    }
}
