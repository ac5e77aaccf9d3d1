import LodestarCore

/// A plain `local@domain` address (RFC 5321's Mailbox, ASCII only: Lodestar does not ask for SMTPUTF8). Checked once
/// when read, so nothing that reaches a header or an SMTP command can carry a space, an angle bracket or a line break.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    public let text: String

    /// `address` as given, or nil when it is not a `local@domain` address Lodestar can send to.
    public init?(_ address: String) {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, address.utf8.count <= 254, Self.isLocalPart(parts[0]), Self.isDomain(parts[1]) else { return nil }
        self.text = address
    }

    public var description: String { self.text }

    /// The part after the `@`, for the Message-ID.
    public var domain: String { String(self.text.split(separator: "@")[1]) }

    /// Dot-separated runs of RFC 5322's atext.
    static func isLocalPart(_ local: Substring) -> Bool {
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~")
        guard !local.isEmpty, local.utf8.count <= 64 else { return false }
        return local.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { atom in
            !atom.isEmpty && atom.allSatisfy { atext.contains($0) }
        }
    }

    /// A host name of letters, digits and hyphens with at least one dot (`example.com`), or `localhost`.
    static func isDomain(_ domain: Substring) -> Bool {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 || domain.lowercased() == "localhost" else { return false }
        return labels.allSatisfy(Self.isLabel)
    }

    static func isLabel(_ label: Substring) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        return (1...63).contains(label.count) && label.allSatisfy { allowed.contains($0) } && label.first != "-" && label.last != "-"
    }
}
