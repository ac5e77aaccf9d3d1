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
