import Foundation

/// A PostgreSQL connection URL as libpq spells it: `postgres://user:pass@host:5432/name?sslmode=require`
/// (also `postgresql://`). Only what Lodestar uses is accepted; anything else is refused by name, so a typo never
/// silently falls back to a default.
public struct PostgresURL: Sendable, Equatable {
    /// How the connection uses TLS, with libpq's names.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS when the server offers it, without checking its certificate; plain otherwise (libpq's default).
        case prefer
        /// TLS always, without checking the server's certificate.
        case require
        /// TLS always, with the certificate checked against the trusted roots but not the host name.
        case verifyCA = "verify-ca"
        /// TLS always, with the certificate and the host name checked.
        case verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode

    public init(user: String, password: String?, host: String, port: Int = 5432, database: String, sslMode: SSLMode = .prefer) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = sslMode
    }

    /// Whether a `--db` value names a PostgreSQL database rather than a SQLite file.
    public static func isPostgres(_ value: String) -> Bool {
        value.hasPrefix("postgres://") || value.hasPrefix("postgresql://")
    }

    /// Reads a URL, or throws `PostgresStoreError.badURL` naming what is wrong (never the password).
    public static func parse(_ text: String) throws -> PostgresURL {
        guard Self.isPostgres(text) else {
            throw PostgresStoreError.badURL(reason: "it must start with postgres:// or postgresql://")
        }
        guard let components = URLComponents(string: text) else {
            throw PostgresStoreError.badURL(reason: "it is not a well-formed URL")
        }
        guard let host = components.host, !host.isEmpty else { throw PostgresStoreError.badURL(reason: "it names no host") }
        guard let user = components.percentEncodedUser?.removingPercentEncoding, !user.isEmpty else {
            throw PostgresStoreError.badURL(reason: "it names no user (postgres://USER:PASSWORD@\(host)/DATABASE)")
        }
        let password: String?
        if let encoded = components.percentEncodedPassword {
            guard let decoded = encoded.removingPercentEncoding else {
                throw PostgresStoreError.badURL(reason: "the password's percent-encoding is broken")
            }
            password = decoded
        } else {
            password = nil
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw PostgresStoreError.badURL(reason: "port \(port) is out of range") }
        var path = components.percentEncodedPath
        if path.hasPrefix("/") { path.removeFirst() }
        guard let database = path.removingPercentEncoding, !database.isEmpty, !database.contains("/") else {
            throw PostgresStoreError.badURL(reason: "it names no database (postgres://\(user)@\(host):\(port)/DATABASE)")
        }
        var sslMode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw PostgresStoreError.badURL(reason: "unknown parameter '\(item.name)' (only sslmode is understood)")
            }
            guard let value = item.value, let mode = SSLMode(rawValue: value) else {
                let known = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw PostgresStoreError.badURL(reason: "unknown sslmode '\(item.value ?? "")' (one of \(known))")
            }
            sslMode = mode
        }
        return PostgresURL(user: user, password: password, host: host, port: port, database: database, sslMode: sslMode)
    }

    /// The URL with the password left out, for messages and logs.
    public var redacted: String {
        let hostPart = self.host.contains(":") ? "[\(self.host)]" : self.host
        let secret = self.password == nil ? "" : ":***"
        return "postgres://\(self.user)\(secret)@\(hostPart):\(self.port)/\(self.database)?sslmode=\(self.sslMode.rawValue)"
    }

    /// Host and port, as errors name the server.
    public var hostAndPort: String {
        let hostPart = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "\(hostPart):\(self.port)"
    }
}

extension PostgresURL: CustomStringConvertible {
    /// The redacted form, so printing a URL can never leak its password.
    public var description: String { self.redacted }
}
