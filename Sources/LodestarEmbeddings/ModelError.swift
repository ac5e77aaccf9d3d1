/// A model folder that cannot be used: missing, incomplete or corrupt. Names the file and what is wrong with it.
public struct ModelError: Error, Equatable, CustomStringConvertible {
    /// The file at fault (its path), or the folder when no file is to blame.
    public var file: String
    public var reason: String

    public init(file: String, _ reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(self.file): \(self.reason)" }
}
