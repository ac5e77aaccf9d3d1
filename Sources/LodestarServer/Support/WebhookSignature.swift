import Crypto
import Foundation
import LodestarCore

/// Checks of the shared secrets pipeline senders prove themselves with. Every comparison takes the same time
/// whatever the input, so a caller cannot guess a secret byte by byte.
enum WebhookSignature {
    /// GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`, or the older
    /// `X-Hub-Signature: sha1=<hex HMAC-SHA1>`. The SHA-256 header wins when both are sent.
    static func verifyGitHub(body: some DataProtocol, sha256 header256: String?, sha1 header1: String?, secret: String) -> Bool {
        let key = SymmetricKey(data: Data(secret.utf8))
        if let header256 {
            guard header256.hasPrefix("sha256="), let given = [UInt8](hexEncoded: header256.dropFirst(7)) else { return false }
            return HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: body, using: key)
        }
        if let header1 {
            guard header1.hasPrefix("sha1="), let given = [UInt8](hexEncoded: header1.dropFirst(5)) else { return false }
            return HMAC<Insecure.SHA1>.isValidAuthenticationCode(given, authenticating: body, using: key)
        }
        return false
    }

    /// Whether a delivery proves itself the way its source authenticates.
    static func verify(_ authentication: WebhookAuthentication, delivery: WebhookDelivery, secret: String) -> Bool {
        switch authentication {
        case .hmacSHA256(let header, let prefix, let several):
            return Self.verifyHMACSHA256(body: delivery.body, header: delivery.header(header), prefix: prefix, several: several, secret: secret)
        case .bearer:
            return Self.tokenMatches(Self.bearerToken(delivery.header("Authorization")), secret: secret)
        case .basicPassword:
            return Self.tokenMatches(Self.basicPassword(delivery.header("Authorization")), secret: secret)
        case .header(let name):
            return Self.tokenMatches(delivery.header(name), secret: secret)
        case .pathToken:
            return Self.tokenMatches(delivery.pathToken, secret: secret)
        case .anyOf(let ways):
            // Every way is tried, so the time taken does not say which one matched.
            return ways.map { Self.verify($0, delivery: delivery, secret: secret) }.contains(true)
        }
    }

    /// What a refused delivery lacked, for the 401's message and field.
    static func proof(_ authentication: WebhookAuthentication) -> String {
        switch authentication {
        case .hmacSHA256(let header, _, _): header
        case .bearer, .basicPassword: "Authorization"
        case .header(let name): name
        case .pathToken: "token"
        case .anyOf(let ways): ways.map(Self.proof).joined(separator: " or ")
        }
    }

    /// The password of an `Authorization: Basic <base64 user:password>` header.
    static func basicPassword(_ header: String?) -> String? {
        guard let header, header.count > 6, header.prefix(6).lowercased() == "basic ",
            let decoded = Data(base64Encoded: header.dropFirst(6).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        return String(text[text.index(after: colon)...])
    }

    /// `<prefix><hex HMAC-SHA256 of the body>` in one header (PagerDuty's `v1=…`, CircleCI's); with `several`, a
    /// comma-separated list of them, any one matching (a secret being rotated signs with both).
    static func verifyHMACSHA256(body: some DataProtocol, header: String?, prefix: String, several: Bool, secret: String) -> Bool {
        guard let header else { return false }
        let key = SymmetricKey(data: Data(secret.utf8))
        let signatures = several ? header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : [header]
        var matched = false
        // Every signature is checked, matching or not, so the time taken says nothing of which one matched.
        for signature in signatures where signature.hasPrefix(prefix) {
            guard let given = [UInt8](hexEncoded: signature.dropFirst(prefix.count)) else { continue }
            if HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: body, using: key) { matched = true }
        }
        return matched
    }

    /// GitLab's `X-Gitlab-Token` and bearer tokens: equal to the secret, compared through their digests.
    static func tokenMatches(_ given: String?, secret: String) -> Bool {
        guard let given else { return false }
        let left = SHA256.hash(data: Data(given.utf8))
        let right = SHA256.hash(data: Data(secret.utf8))
        // Digest equality in swift-crypto is constant-time.
        return left == right
    }

    /// The token of an `Authorization: Bearer <token>` header.
    static func bearerToken(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        return header.dropFirst(7).trimmingCharacters(in: .whitespaces)
    }
}
