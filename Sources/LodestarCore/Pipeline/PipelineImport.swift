import Foundation

/// The formats `lodestar ingest` reads: generic records, and saved webhook deliveries of each sender.
public struct IngestFormat: RawRepresentable, Hashable, Sendable, CaseIterable {
    public let rawValue: String

    /// A format `lodestar ingest --format` names; nil for a name it does not know.
    public init?(rawValue: String) {
        guard Self.allCases.contains(where: { $0.rawValue == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    private init(known: String) {
        self.rawValue = known
    }

    /// One generic JSON record a line.
    public static let ndjson = Self(known: "ndjson")
    /// Generic records as CSV with a header line naming the fields.
    public static let csv = Self(known: "csv")
    /// Saved GitHub webhook deliveries, one a line: `{"event": "push", "payload": {…}}`.
    public static let github = Self(known: "github")
    /// Saved GitLab webhook deliveries, one a line: `{"event": "Push Hook", "payload": {…}}`.
    public static let gitlab = Self(known: "gitlab")

    /// Every format: the four above, then one per `WebhookSources` source, whose saved deliveries are
    /// `{"headers": {…}, "payload": {…}}` a line (the headers it was sent with, as far as the source reads them).
    public static var allCases: [IngestFormat] {
        [.ndjson, .csv, .github, .gitlab] + WebhookSources.all.map { Self(known: $0.name) }
    }

    /// The webhook source whose saved deliveries this format reads, if it is one.
    public var source: (any WebhookSource.Type)? {
        WebhookSources.named(self.rawValue)
    }

    /// The format a file name suggests, NDJSON when it says nothing.
    public init(path: String) {
        self = path.lowercased().hasSuffix(".csv") ? .csv : .ndjson
    }
}

/// A record `lodestar ingest` did not import, and why.
public struct IngestRejection: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var reason: String

    public var description: String { "\(self.file):\(self.line): \(self.reason)" }
}

/// What an import did.
public struct IngestSummary: Sendable, Equatable {
    public var imported = 0
    public var rejected = 0
    /// Saved webhook deliveries of events Lodestar does not use (a `ping`, an unmerged pull request…).
    public var ignored = 0
    /// The first rejections, in order (all of them up to `PipelineImporter.rejectionsKept`).
    public var rejections: [IngestRejection] = []
}

/// Thrown by a strict import that met a bad record: nothing was imported.
public struct StrictImportFailure: Error, CustomStringConvertible {
    public var rejection: IngestRejection

    public var description: String { "\(self.rejection) (--strict: nothing was imported)" }

    public init(rejection: IngestRejection) {
        self.rejection = rejection
    }
}

/// A source of an import: a name for messages, an open handle, its format. Unchecked Sendable because of the handle:
/// an import hands it to its reading thread, and only that thread reads it.
public struct IngestSource: @unchecked Sendable {
    public var name: String
    public var handle: FileHandle
    public var format: IngestFormat

    public init(name: String, handle: FileHandle, format: IngestFormat) {
        self.name = name
        self.handle = handle
        self.format = format
    }
}

/// The bookkeeping of one import, whatever the backend writes to: which lines became events, which were skipped,
/// ignored or rejected (the first `rejectionsKept` of them named), and the progress so far.
public struct ImportTally {
    public static let rejectionsKept = 1_000

    public private(set) var summary = IngestSummary()
    let sources: [IngestSource]
    let strict: Bool
    var seen = 0
    var bytes = 0

    public init(sources: [IngestSource], strict: Bool) {
        self.sources = sources
        self.strict = strict
    }

    /// The events a batch of lines holds, in order, counted. With `strict` a bad line throws `StrictImportFailure`.
    /// `progress` is called every 20,000 lines with the lines and bytes read so far.
    public mutating func events(in batch: [DecodedLines.Line], progress: (_ lines: Int, _ bytes: Int) -> Void) throws -> [PipelineEvent] {
        var events: [PipelineEvent] = []
        for line in batch {
            self.seen += 1
            self.bytes += line.bytes
            if self.seen % 20_000 == 0 { progress(self.seen, self.bytes) }
            switch line.decoded {
            case .skip:
                break
            case .ignored:
                self.summary.ignored += 1
            case .events(let decoded):
                events.append(contentsOf: decoded)
                self.summary.imported += decoded.count
            case .reject(let reason):
                let rejection = IngestRejection(file: self.sources[line.source].name, line: line.number, reason: reason)
                if self.strict { throw StrictImportFailure(rejection: rejection) }
                self.summary.rejected += 1
                if self.summary.rejections.count < Self.rejectionsKept { self.summary.rejections.append(rejection) }
            }
        }
        return events
    }

    /// Reports the final count to `progress`.
    public func finish(progress: (_ lines: Int, _ bytes: Int) -> Void) {
        progress(self.seen, self.bytes)
    }

    /// The audit entry's detail.
    public var detail: String {
        "\(self.summary.imported) records from \(self.sources.map(\.name).joined(separator: " "))"
    }
}


/// The lines of an import's sources, read and decoded on a thread of their own and handed over in batches.
/// At most a few batches wait at a time, so memory stays flat however large the files.
public final class DecodedLines: @unchecked Sendable {
    public struct Line {
        public var source: Int
        public var number: Int
        /// The line's length with its line break, for the progress bar.
        public var bytes: Int
        public var decoded: LineDecoder.Decoded
    }

    static let batchSize = 2_048
    static let batchesWaiting = 8

    /// Guards every field below.
    private let condition = NSCondition()
    private var batches: [[Line]] = []
    private var finished = false
    private var stopped = false
    private var failure: (any Error)?
    private let done = DispatchSemaphore(value: 0)

    private struct Stopped: Error {}

    /// Starts reading `sources` in order.
    public static func start(_ sources: [IngestSource], options: WebhookOptions) -> DecodedLines {
        let lines = DecodedLines()
        let thread = Thread {
            do {
                try lines.read(sources, options: options)
                lines.finish(failure: nil)
            } catch is Stopped {
                lines.finish(failure: nil)
            } catch {
                lines.finish(failure: error)
            }
            lines.done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        return lines
    }

    private func read(_ sources: [IngestSource], options: WebhookOptions) throws {
        var batch: [Line] = []
        batch.reserveCapacity(Self.batchSize)
        for (index, source) in sources.enumerated() {
            var decoder = LineDecoder(format: source.format, options: options)
            try LineReader(handle: source.handle).forEachLine { number, text in
                batch.append(Line(source: index, number: number, bytes: text.count + 1, decoded: decoder.decode(text)))
                if batch.count == Self.batchSize {
                    try self.send(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        if !batch.isEmpty { try self.send(batch) }
    }

    private func send(_ batch: [Line]) throws {
        self.condition.lock()
        defer { self.condition.unlock() }
        while self.batches.count >= Self.batchesWaiting, !self.stopped { self.condition.wait() }
        if self.stopped { throw Stopped() }
        self.batches.append(batch)
        self.condition.broadcast()
    }

    private func finish(failure: (any Error)?) {
        self.condition.lock()
        self.finished = true
        self.failure = failure
        self.condition.broadcast()
        self.condition.unlock()
    }

    /// The next batch in order, waiting for it; nil after the last. Throws what reading a source threw.
    public func next() throws -> [Line]? {
        self.condition.lock()
        defer { self.condition.unlock() }
        while self.batches.isEmpty, !self.finished { self.condition.wait() }
        if !self.batches.isEmpty {
            self.condition.broadcast()
            return self.batches.removeFirst()
        }
        if let failure = self.failure { throw failure }
        return nil
    }

    /// Tells the reading thread to stop, and waits until it has.
    public func stop() {
        self.condition.lock()
        self.stopped = true
        self.condition.broadcast()
        self.condition.unlock()
        self.done.wait()
    }
}

/// Turns one line of a source into events, or says why it cannot.
public struct LineDecoder {
    public enum Decoded {
        /// A blank line or a CSV header.
        case skip
        /// A saved webhook delivery of an event Lodestar does not use.
        case ignored
        case events([PipelineEvent])
        case reject(String)
    }

    let format: IngestFormat
    let options: WebhookOptions
    /// A CSV file's column names, from its first line.
    var header: [String]?

    init(format: IngestFormat, options: WebhookOptions) {
        self.format = format
        self.options = options
    }

    mutating func decode(_ line: UnsafeBufferPointer<UInt8>) -> Decoded {
        if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { return .skip }
        switch self.format {
        case .ndjson:
            do {
                return Self.generic(try FlatJSON.parseObject(line))
            } catch {
                return .reject("malformed JSON: \(error.message)")
            }
        case .csv:
            return self.csv(line)
        case .github, .gitlab:
            return self.delivery(line)
        default:
            return self.sourceDelivery(line)
        }
    }

    static func generic(_ record: [String: FlatValue]) -> Decoded {
        do {
            return .events([try GenericRecord.event(from: record)])
        } catch {
            return .reject(error.description)
        }
    }

    mutating func csv(_ line: UnsafeBufferPointer<UInt8>) -> Decoded {
        guard let text = String(validating: line, as: UTF8.self) else { return .reject("not valid UTF-8") }
        let fields: [String]
        do {
            fields = try CSVLine.fields(Substring(text))
        } catch {
            return .reject(error.message)
        }
        guard let names = self.header else {
            self.header = fields.map { $0.trimmingCharacters(in: .whitespaces) }
            return .skip
        }
        guard fields.count == names.count else {
            return .reject("expected \(names.count) columns (\(names.joined(separator: ","))), found \(fields.count)")
        }
        // Empty cells are absent fields, so one file can hold every record type.
        var record: [String: FlatValue] = [:]
        for (name, value) in zip(names, fields) where !value.isEmpty { record[name] = .string(value) }
        return Self.generic(record)
    }

    /// A saved webhook delivery: `{"event": "<X-GitHub-Event or X-Gitlab-Event>", "payload": {…}}`.
    func delivery(_ line: UnsafeBufferPointer<UInt8>) -> Decoded {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
            return .reject("malformed JSON: expected an object with \"event\" and \"payload\"")
        }
        guard let payload = object["payload"] as? [String: Any], let body = try? JSONSerialization.data(withJSONObject: payload) else {
            return .reject("payload: is required and must be an object")
        }
        let event = object["event"] as? String ?? ""
        let outcome = Result { () throws(WebhookError) in
            self.format == .github
                ? try GitHubWebhook.outcome(event: event, body: body, options: self.options)
                : try GitLabWebhook.outcome(event: event, body: body, options: self.options)
        }
        switch outcome {
        case .success(.events(let events)): return .events(events)
        case .success(.ignored): return .ignored
        case .failure(let error): return .reject(error.description)
        }
    }
}

extension LineDecoder {
    /// A saved delivery of a `WebhookSources` source: `{"headers": {"X-Webhook-Id": "…"}, "payload": {…}}`.
    func sourceDelivery(_ line: UnsafeBufferPointer<UInt8>) -> Decoded {
        guard let source = self.format.source else { return .reject("\(self.format.rawValue) is not a format lodestar ingest reads") }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
            return .reject("malformed JSON: expected an object with \"headers\" and \"payload\"")
        }
        guard let payload = object["payload"] as? [String: Any], let body = try? JSONSerialization.data(withJSONObject: payload) else {
            return .reject("payload: is required and must be an object")
        }
        let headers = (object["headers"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
        switch Result(catching: { () throws(WebhookError) in try source.outcome(of: WebhookDelivery(headers: headers, body: body), options: self.options) }) {
        case .success(.events(let events)): return .events(events)
        case .success(.ignored): return .ignored
        case .failure(let error): return .reject(error.description)
        }
    }
}

/// Reads a file in large chunks and hands out its lines as byte buffers, without copying them into Strings. It reads
/// the descriptor itself so that a signal arriving mid-read (standard input from a pipe) is retried, not an error.
struct LineReader {
    let handle: FileHandle
    let chunkSize = 1 << 20

    func forEachLine(_ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var carry: [UInt8] = []
        var number = 0
        while true {
            let chunk = try FileDescriptorReader(self.handle.fileDescriptor).read(upTo: self.chunkSize)
            if chunk.isEmpty { break }
            var bytes = carry
            bytes.append(contentsOf: chunk)
            var lineStart = 0
            try bytes.withUnsafeBufferPointer { buffer in
                for index in 0..<buffer.count where buffer[index] == 10 {
                    number += 1
                    try body(number, UnsafeBufferPointer(rebasing: buffer[lineStart..<index]))
                    lineStart = index + 1
                }
            }
            carry = Array(bytes[lineStart...])
        }
        if !carry.isEmpty {
            number += 1
            try carry.withUnsafeBufferPointer { try body(number, $0) }
        }
    }
}
