import Crypto
import Foundation

/// One-time invitation tokens: 128 random bits, written in lowercase base 32 without padding. Both backends keep only
/// a token's SHA-256, from here, so a database copied from one to the other keeps its tokens working.
public enum InviteToken {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
    public static let length = 26

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<Self.length).map { _ in Self.alphabet[Int(generator.next(upperBound: UInt8(32)))] })
    }

    /// Cheap shape check, so junk never reaches the database.
    public static func isWellFormed(_ token: String) -> Bool {
        token.count == Self.length && token.allSatisfy { Self.alphabet.contains($0) }
    }

    /// What is stored of a token: its SHA-256 in lowercase hex.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexEncoded
    }
}
