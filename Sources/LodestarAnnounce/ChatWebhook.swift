import AsyncHTTPClient
import Foundation
import NIOCore

/// Posts `{"text": …}` to a Slack incoming webhook; Mattermost's incoming webhooks take the same JSON.
public struct ChatWebhook: Sendable {
    public let url: URL
    public let timeout: Duration

    public init(url: URL, timeout: Duration) {
        self.url = url
        self.timeout = timeout
    }

    /// A failed post: the status or the connection problem, and a short excerpt of what the server answered. The
    /// webhook's URL is its secret, so only its host is ever named.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The host the webhook is at, the only part of its URL that may be shown.
    public var shownHost: String { self.url.host ?? "the webhook" }

    /// Posts `text`; throws `Failure` unless the server answers 2xx.
    public func post(_ text: String) async throws(Failure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let body = (try? encoder.encode(["text": text])) ?? Data()
        var request = HTTPClientRequest(url: self.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "User-Agent", value: "Lodestar")
        request.body = .bytes(ByteBuffer(bytes: body))
        // Redirects are not followed: a webhook answers where it is, and a redirect would carry the body elsewhere.
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout.connect = self.timeAmount
        configuration.timeout.read = self.timeAmount
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let outcome: Result<(status: UInt, excerpt: String), Failure>
        do {
            let response = try await client.execute(request, timeout: self.timeAmount)
            let answer = try await response.body.collect(upTo: 64 * 1024)
            outcome = .success((response.status.code, Self.excerpt(String(buffer: answer))))
        } catch {
            outcome = .failure(Failure(description: "could not post to \(self.shownHost): \(Self.reason(error))"))
        }
        try? await client.shutdown()
        let (status, excerpt) = try outcome.get()
        guard (200..<300).contains(status) else {
            throw Failure(description: "\(self.shownHost) answered \(status)" + (excerpt.isEmpty ? "" : ": \(excerpt)"))
        }
    }

    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = self.timeout.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// The first 200 characters of an answer, on one line.
    static func excerpt(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "no answer within the timeout"
            case .remoteConnectionClosed: return "the server closed the connection"
            default: return String(describing: error)
            }
        }
        return String(describing: error)
    }
}
