/// A survey YAML file that cannot be used, with the place and field at fault.
public struct SurveyDefinitionError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var field: String
    public var message: String

    public init(file: String, line: Int, field: String, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// `file:line: field: message`, the form compilers use, so editors can jump to it.
    public var description: String {
        self.field.isEmpty ? "\(self.file):\(self.line): \(self.message)" : "\(self.file):\(self.line): \(self.field): \(self.message)"
    }
}
