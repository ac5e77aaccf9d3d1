import Hummingbird

/// Who may read an operator endpoint such as `GET /metrics`.
///
/// With `LODESTAR_ADMIN_TOKEN` set, the caller must send it as `Authorization: Bearer <token>` (401 without it,
/// 403 when wrong; compared in constant time by `WebhookSignature.tokenMatches`). Without a token, only a caller on
/// the loopback interface is let in. A lead signed in at `/admin` is let in by the session cookie: the server binds 127.0.0.1 by default, and one bound wider needs the token.
struct AdminAccess: Sendable {
    let adminToken: String?

    func check(_ request: Request, context: AppRequestContext) throws(APIError) {
        // A lead signed in at /admin (the session cookie is SameSite=Strict, so another site cannot borrow it).
        if context.sessions.session != nil { return }
        guard let adminToken else {
            guard Self.isLoopback(context.remoteAddress?.ipAddress) else {
                throw APIError(.forbidden, "only readable from this host unless the server has LODESTAR_ADMIN_TOKEN set")
            }
            return
        }
        try Self.requireBearer(request, token: adminToken)
    }

    /// The admin token as `Authorization: Bearer <token>`: 401 without one, 403 when it is wrong.
    static func requireBearer(_ request: Request, token adminToken: String) throws(APIError) {
        guard let given = WebhookSignature.bearerToken(request.headers[.authorization]) else {
            throw APIError(
                .unauthorized, "send the admin token as Authorization: Bearer <token>", field: "Authorization", headers: [.wwwAuthenticate: "Bearer"]
            )
        }
        guard WebhookSignature.tokenMatches(given, secret: adminToken) else {
            throw APIError(.forbidden, "wrong admin token", field: "Authorization")
        }
    }

    /// Whether the request carries the admin token as `Authorization: Bearer <token>`: for endpoints anyone may read
    /// that show the lead a little more (compared in constant time; no token set means no one is the lead here).
    static func holdsBearer(_ request: Request, token adminToken: String?) -> Bool {
        guard let adminToken, let given = WebhookSignature.bearerToken(request.headers[.authorization]) else { return false }
        return WebhookSignature.tokenMatches(given, secret: adminToken)
    }

    /// 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses.
    static func isLoopback(_ address: String?) -> Bool {
        guard let address else { return false }
        let v4 = address.hasPrefix("::ffff:") ? String(address.dropFirst(7)) : address
        return v4.hasPrefix("127.") || address == "::1"
    }
}
