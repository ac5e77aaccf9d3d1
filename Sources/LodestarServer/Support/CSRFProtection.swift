import Crypto
import Foundation
import LodestarCore

/// Double-submit CSRF tokens signed with a server key.
///
/// The form carries the same token as a SameSite cookie; a token is accepted only when both match and its
/// signature is the server's, so a page on another site can neither read nor forge one.
struct CSRFProtection: Sendable {
    static let cookieName = "lodestar_csrf"
    static let fieldName = "csrf"
    private let key: SymmetricKey

    init(keyHex: String) {
        self.key = SymmetricKey(data: [UInt8](hexEncoded: keyHex) ?? Array(keyHex.utf8))
    }

    /// A new random key, hex-encoded, for the settings table.
    static func newKeyHex() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { $0.hexEncoded }
    }

    func issue() -> String {
        let nonce = SymmetricKey(size: .bits128).withUnsafeBytes { $0.hexEncoded }
        return "\(nonce).\(self.signature(nonce))"
    }

    /// True when the form's token equals the cookie's and carries a valid signature; compared in constant time.
    func verify(field: String?, cookie: String?) -> Bool {
        guard let field, let cookie, Self.constantTimeEqual(field, cookie) else { return false }
        let parts = field.split(separator: ".", maxSplits: 1)
        guard parts.count == 2 else { return false }
        return Self.constantTimeEqual(self.signature(String(parts[0])), String(parts[1]))
    }

    private func signature(_ nonce: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(nonce.utf8), using: self.key).hexEncoded
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let a = Array(a.utf8)
        let b = Array(b.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
