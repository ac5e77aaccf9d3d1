import Foundation
import Logging

/// A swift-log handler writing one JSON object per line (`lodestar serve --log-format json`), for log collectors:
/// `{"label":"lodestar","level":"info","message":"…","metadata":{…},"timestamp":"2026-11-23T18:40:00.123Z"}`.
///
/// Keys are sorted; the timestamp is ISO 8601 in UTC with milliseconds; metadata keeps its nesting (dictionaries
/// become objects, arrays arrays, everything else its text).
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let write: @Sendable (String) -> Void

    /// A handler giving each line, newline included, to `write`.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    /// A handler writing to standard error, as `LoggingSystem.bootstrap` wants it.
    public static func standardError(label: String, metadataProvider: Logger.MetadataProvider? = nil) -> JSONLogHandler {
        JSONLogHandler(label: label, metadataProvider: metadataProvider) { line in
            // One write per line, so that lines from concurrent requests never interleave.
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let metadata = event.metadata { merged.merge(metadata) { _, new in new } }
        self.write(Self.line(label: self.label, level: event.level, message: event.message.description, metadata: merged, date: Date()))
    }

    /// One JSON object and a newline.
    static func line(label: String, level: Logger.Level, message: String, metadata: Logger.Metadata, date: Date) -> String {
        let object: [String: Any] = [
            "timestamp": date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
            "level": level.rawValue,
            "label": label,
            "message": message,
            "metadata": metadata.mapValues(Self.json),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let value): value.description
        case .dictionary(let dictionary): dictionary.mapValues(Self.json)
        case .array(let array): array.map(Self.json)
        }
    }
}
