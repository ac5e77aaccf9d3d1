import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import LodestarCore

/// What a signed-in lead's session holds: no name and no address, only the form token of this session and when it
/// began. The cookie carries a random 256-bit key (hummingbird-auth's `SessionStorage`); the session itself is a row
/// of the database, so every node behind a load balancer knows it and signing out ends it everywhere.
public struct AdminSession: Codable, Sendable, Equatable {
    /// The CSRF token every form of this session carries; compared in constant time.
    public var csrf: String
    public var signedInAt: Date

    static func new(now: Date = Date()) -> AdminSession {
        AdminSession(csrf: SymmetricKey(size: .bits256).withUnsafeBytes { $0.hexEncoded }, signedInAt: now)
    }
}

/// How long a session lives without use, and the cookie that names it.
enum AdminSessionRules {
    static let cookieName = "lodestar_admin"
    /// Twelve hours idle, then signed out: each request renews it (at most once a minute, so reading pages does not
    /// mean a write per request).
    static let idleTimeout: Duration = .seconds(12 * 3600)
    static let renewAfter: Duration = .seconds(60)

    static var configuration: SessionMiddlewareConfiguration {
        SessionMiddlewareConfiguration(
            sessionCookieParameters: SessionCookieParameters(name: Self.cookieName, path: "/", secure: false, sameSite: .strict),
            keyPrefix: "",
            defaultSessionExpiration: Self.idleTimeout
        )
    }
}

/// Hummingbird's key-value store for sessions, over the database's `adminSession` table (SQLite or PostgreSQL).
struct StorageSessionDriver: PersistDriver {
    let admin: any AdminRepository
    var now: @Sendable () -> Date = Date.init

    func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        do {
            try await self.admin.saveSession(key: key, value: try Self.encode(value), expiresAt: self.expiry(expires), createOnly: true)
        } catch is AdminSessionError {
            throw PersistError.duplicate
        }
    }

    func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        var expiresAt = self.expiry(expires)
        if expires == nil {
            // hummingbird-auth updates a session without a new expiry: it keeps the one it had.
            expiresAt = try await self.admin.session(key: key, now: self.now())?.expiresAt
        }
        try await self.admin.saveSession(key: key, value: try Self.encode(value), expiresAt: expiresAt, createOnly: false)
    }

    func get<Object: Codable & Sendable>(key: String, as type: Object.Type) async throws -> Object? {
        try await self.getWithTTL(key: key, as: type)?.object
    }

    func getWithTTL<Object: Codable & Sendable>(key: String, as type: Object.Type) async throws -> (object: Object, ttl: Duration?)? {
        let now = self.now()
        guard let stored = try await self.admin.session(key: key, now: now) else { return nil }
        guard let object = try? JSONDecoder.sessions.decode(type, from: Data(stored.value.utf8)) else { throw PersistError.invalidConversion }
        return (object, stored.expiresAt.map { .seconds(max(0, $0.timeIntervalSince(now))) })
    }

    func remove(key: String) async throws {
        try await self.admin.removeSession(key: key)
    }

    private func expiry(_ duration: Duration?) -> Date? {
        duration.map { self.now().addingTimeInterval(Double($0.components.seconds)) }
    }

    private static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.sessions.encode(value), as: UTF8.self)
    }
}

extension JSONEncoder {
    fileprivate static let sessions: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}

extension JSONDecoder {
    fileprivate static let sessions: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

/// Adds `Secure` to the session cookie when the page was reached over HTTPS: a proxy that terminates TLS says so
/// with `X-Forwarded-Proto: https` (or RFC 7239's `Forwarded: proto=https`). Believing a client that claims it
/// only makes its own cookie stricter, so the header needs no trust setting.
struct SecureSessionCookieMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard Self.isHTTPS(request), response.headers[values: .setCookie].contains(where: Self.isSessionCookie) else { return response }
        let cookies = response.headers[values: .setCookie].map { Self.isSessionCookie($0) && !$0.contains("; Secure") ? $0 + "; Secure" : $0 }
        response.headers[values: .setCookie] = cookies
        return response
    }

    static func isHTTPS(_ request: Request) -> Bool {
        if request.uri.scheme?.rawValue == "https" { return true }
        if let proto = request.headers[.xForwardedProto], proto.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased() == "https" {
            return true
        }
        if let forwarded = request.headers[.forwarded]?.lowercased(), forwarded.contains("proto=https") { return true }
        return false
    }

    private static func isSessionCookie(_ header: String) -> Bool {
        header.hasPrefix(AdminSessionRules.cookieName + "=")
    }
}

extension HTTPField.Name {
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let forwarded = Self("Forwarded")!
}
