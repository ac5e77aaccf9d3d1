import Foundation
import LodestarCore

/// Where mail goes: `LODESTAR_SMTP_URL`, `smtp://[user:password@]host[:port][?starttls=off]`. The connection is
/// upgraded with STARTTLS before anything else is said, and a server that does not offer it gets neither the
/// credentials nor the mail. `starttls=off` is accepted for a relay on this machine only (loopback), where nothing
/// crosses a network.
public struct SMTPServer: Sendable, Equatable {
    public static let variable = "LODESTAR_SMTP_URL"
    /// The submission port (RFC 6409), which is where STARTTLS and AUTH are offered.
    public static let defaultPort = 587

    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    /// False only for `?starttls=off` on loopback.
    public var requireStartTLS: Bool
    /// A PEM file of certificates to trust besides the system's (`LODESTAR_SMTP_CA_FILE`), for a private CA.
    public var caFile: String?

    public init(
        host: String, port: Int = Self.defaultPort, username: String? = nil, password: String? = nil, requireStartTLS: Bool = true,
        caFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.requireStartTLS = requireStartTLS
        self.caFile = caFile
    }

    /// Reads the URL; every problem names `LODESTAR_SMTP_URL` and never repeats the password.
    public init(url text: String, caFile: String? = nil) throws(FieldError) {
        let field = Self.variable
        guard let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased() else {
            throw FieldError(field: field, message: "not a URL; expected smtp://[user:password@]host[:port]")
        }
        guard scheme == "smtp" else {
            let hint = scheme == "smtps" ? " (implicit TLS on port 465 is not supported: use smtp:// on port 587, which STARTTLS secures)" : ""
            throw FieldError(field: field, message: "the scheme must be smtp, not \(scheme)\(hint)")
        }
        guard let host = parts.host.map(Self.unbracketed), !host.isEmpty else {
            throw FieldError(field: field, message: "names no host; expected smtp://[user:password@]host[:port]")
        }
        if let port = parts.port, !(1...65535).contains(port) {
            throw FieldError(field: field, message: "the port must be 1 to 65535, not \(port)")
        }
        guard parts.path.isEmpty || parts.path == "/", parts.fragment == nil else {
            throw FieldError(field: field, message: "takes no path; expected smtp://[user:password@]host[:port]")
        }
        var requireStartTLS = true
        for item in parts.queryItems ?? [] {
            guard item.name == "starttls" else {
                throw FieldError(field: field, message: "unknown option '\(item.name)'; the only one is starttls=off (loopback only)")
            }
            guard item.value == "off" || item.value == "required" else {
                throw FieldError(field: field, message: "starttls must be off (loopback only) or required, not '\(item.value ?? "")'")
            }
            requireStartTLS = item.value == "required"
        }
        if !requireStartTLS, !Self.isLoopback(host) {
            throw FieldError(
                field: field, message: "starttls=off is accepted for a server on this machine only (localhost, 127.0.0.1, ::1), not \(host)")
        }
        let username = parts.user?.removingPercentEncoding
        let password = parts.password?.removingPercentEncoding
        if (username?.isEmpty ?? true) != (password?.isEmpty ?? true) {
            throw FieldError(field: field, message: "give both a user and a password (smtp://user:password@host), or neither")
        }
        self.init(
            host: host, port: parts.port ?? Self.defaultPort, username: username?.nilIfEmpty, password: password?.nilIfEmpty,
            requireStartTLS: requireStartTLS, caFile: caFile
        )
    }

    /// The server as it may be printed or logged: the password is left out.
    public var shown: String {
        let user = self.username.map { "\($0)@" } ?? ""
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "smtp://\(user)\(host):\(self.port)"
    }

    static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    /// Whether `host` is this machine: `localhost`, 127.0.0.0/8 or ::1.
    public static func isLoopback(_ host: String) -> Bool {
        let host = Self.unbracketed(host).lowercased()
        if host == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// Whether `host` is an IP address rather than a name: TLS then checks the certificate against the address,
    /// since an address cannot be sent as the server name (SNI).
    static func isIPAddress(_ host: String) -> Bool {
        let host = Self.unbracketed(host)
        if host.contains(":") { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { UInt8($0) != nil }
    }
}
