import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LodestarServer
import Logging
import Testing

/// `--log-format json` lines, and what a request log line carries.
struct StructuredLoggingTests {
    /// Lines a handler wrote, kept for the test to read.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []

        func append(_ line: String) { self.lock.withLock { self.lines.append(line) } }
        var all: [String] { self.lock.withLock { self.lines } }

        /// Each line decoded as a JSON object.
        func objects() throws -> [[String: Any]] {
            try self.all.map { line in
                #expect(line.hasSuffix("\n"))
                #expect(line.dropLast().firstIndex(of: "\n") == nil)
                return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            }
        }
    }

    static func logger(into lines: Lines, level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: "lodestar") { label in JSONLogHandler(label: label) { lines.append($0) } }
        logger.logLevel = level
        return logger
    }

    @Test func theJSONHandlerWritesOneObjectPerLineWithEveryField() throws {
        let lines = Lines()
        let logger = Self.logger(into: lines)
        logger.info("round opened", metadata: ["month": "2026-11", "counts": ["answers": "3"], "ids": [.stringConvertible(7)]])
        let object = try #require(try lines.objects().first)
        #expect(object["label"] as? String == "lodestar")
        #expect(object["level"] as? String == "info")
        #expect(object["message"] as? String == "round opened")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["month"] as? String == "2026-11")
        #expect((metadata["counts"] as? [String: String]) == ["answers": "3"])
        #expect((metadata["ids"] as? [String]) == ["7"])
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(timestamp.hasSuffix("Z"))
        let date = try #require(try? Date(timestamp, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        #expect(abs(date.timeIntervalSinceNow) < 60)
    }

    @Test func theJSONHandlerEscapesQuotesAndNewlines() throws {
        let lines = Lines()
        Self.logger(into: lines).warning("a \"quoted\"\nmessage")
        let object = try #require(try lines.objects().first)
        #expect(object["message"] as? String == "a \"quoted\"\nmessage")
        #expect(object["level"] as? String == "warning")
    }

    @Test func aRequestLogCarriesMethodRouteStatusAndDurationButNoTokenOrAddress() async throws {
        let app = try await TestApp()
        let lines = Lines()
        let application = try await buildApplication(app.arguments, database: app.database, logger: Self.logger(into: lines))
        try await application.test(.router) { client async throws in
            let headers: HTTPFields = [.authorization: "Bearer admin-token", .cookie: "lodestar_csrf=cookie-value"]
            _ = try await client.execute(uri: "/api/v1/epics/42?token=invite-secret", method: .patch, headers: headers)
        }
        let request = try #require(try lines.objects().first { $0["message"] as? String == "request" })
        let metadata = try #require(request["metadata"] as? [String: Any])
        #expect(metadata["method"] as? String == "PATCH")
        #expect(metadata["route"] as? String == "/api/v1/epics/{id}")
        #expect(metadata["status"] as? String == "415")
        #expect((metadata["duration_ms"] as? String).flatMap(Double.init) != nil)
        let text = lines.all.joined()
        for secret in ["invite-secret", "admin-token", "cookie-value", "/api/v1/epics/42", "127.0.0.1"] {
            #expect(!text.contains(secret))
        }
    }
}
