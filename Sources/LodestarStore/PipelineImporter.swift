import Foundation
import GRDB
import LodestarCore

/// The formats `lodestar ingest` reads.
public enum IngestFormat: String, Sendable, CaseIterable {
    /// One generic JSON record a line.
    case ndjson
    /// Generic records as CSV with a header line naming the fields.
    case csv

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
    /// The first rejections, in order (all of them up to `PipelineImporter.rejectionsKept`).
    public var rejections: [IngestRejection] = []
}

/// Thrown by a strict import that met a bad record: nothing was imported.
public struct StrictImportFailure: Error, CustomStringConvertible {
    public var rejection: IngestRejection

    public var description: String { "\(self.rejection) (--strict: nothing was imported)" }
}

/// Streams files of generic records into the database in one transaction, a line at a time, so memory stays flat.
public struct PipelineImporter {
    public static let rejectionsKept = 1_000
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// A source: a name for messages, an open handle, its format.
    public struct Source {
        public var name: String
        public var handle: FileHandle
        public var format: IngestFormat

        public init(name: String, handle: FileHandle, format: IngestFormat) {
            self.name = name
            self.handle = handle
            self.format = format
        }
    }

    /// Imports every source in one transaction, recorded in the audit log as `actor`'s. Bad records are skipped and
    /// reported; with `strict` the first one rolls everything back. `progress` is called now and then with the lines
    /// and bytes read so far.
    public func run(
        _ sources: [Source], strict: Bool, actor: String, progress: (_ lines: Int, _ bytes: Int) -> Void = { _, _ in }
    ) throws -> IngestSummary {
        var summary = IngestSummary()
        try self.database.writer.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                let writer = try PipelineWriter(db: db)
                var seen = 0
                var bytes = 0
                for source in sources {
                    var header: [String]?
                    try LineReader(handle: source.handle).forEachLine { number, line in
                        seen += 1
                        bytes += line.count + 1
                        if seen % 20_000 == 0 { progress(seen, bytes) }
                        let reject = { (reason: String) throws in
                            let rejection = IngestRejection(file: source.name, line: number, reason: reason)
                            if strict { throw StrictImportFailure(rejection: rejection) }
                            summary.rejected += 1
                            if summary.rejections.count < Self.rejectionsKept { summary.rejections.append(rejection) }
                        }
                        if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { return }
                        let record: [String: FlatValue]
                        switch source.format {
                        case .ndjson:
                            do {
                                record = try FlatJSON.parseObject(line)
                            } catch let error as FlatJSON.Malformed {
                                try reject("malformed JSON: \(error.message)")
                                return
                            }
                        case .csv:
                            guard let text = String(validating: line, as: UTF8.self) else {
                                try reject("not valid UTF-8")
                                return
                            }
                            let fields: [String]
                            do {
                                fields = try CSVLine.fields(Substring(text))
                            } catch let error as CSVLine.Malformed {
                                try reject(error.message)
                                return
                            }
                            guard let names = header else {
                                header = fields.map { $0.trimmingCharacters(in: .whitespaces) }
                                return
                            }
                            guard fields.count == names.count else {
                                try reject("expected \(names.count) columns (\(names.joined(separator: ","))), found \(fields.count)")
                                return
                            }
                            // Empty cells are absent fields, so one file can hold every record type.
                            var cells: [String: FlatValue] = [:]
                            for (name, value) in zip(names, fields) where !value.isEmpty { cells[name] = .string(value) }
                            record = cells
                        }
                        do {
                            try writer.write(try GenericRecord.event(from: record))
                            summary.imported += 1
                        } catch let error as RecordFieldError {
                            try reject(error.description)
                        }
                    }
                }
                progress(seen, bytes)
                let names = sources.map(\.name).joined(separator: " ")
                try AuditRecord.append(db, actor: actor, action: "pipeline.import", detail: "\(summary.imported) records from \(names)")
                return .commit
            }
        }
        return summary
    }
}

/// Reads a file in large chunks and hands out its lines as byte buffers, without copying them into Strings.
struct LineReader {
    let handle: FileHandle
    let chunkSize = 1 << 20

    func forEachLine(_ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var carry: [UInt8] = []
        var number = 0
        while true {
            let chunk = try self.handle.read(upToCount: self.chunkSize) ?? Data()
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
