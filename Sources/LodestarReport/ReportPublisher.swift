import Foundation
import LodestarCore

/// The formats a report is published in.
public enum ReportFormat: String, CaseIterable, Sendable {
    case html
    case md
    case json

    public var fileName: String {
        switch self {
        case .html: "index.html"
        case .md: "report.md"
        case .json: "report.json"
        }
    }
}

/// Writes a month's report into `OUT/YYYY-MM/`: first into a hidden folder beside it, then renamed into place, so
/// a reader never sees half a report and a failed write leaves the previous one as it was.
public enum ReportPublisher {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The report's files as bytes, by format. The same report always gives the same bytes.
    public static func render(_ report: MonthlyReport, formats: [ReportFormat]) throws -> [ReportFormat: Data] {
        var files: [ReportFormat: Data] = [:]
        for format in formats {
            switch format {
            case .html: files[format] = Data(report.html().utf8)
            case .md: files[format] = Data(report.markdown().utf8)
            case .json: files[format] = try JSONEncoder.stable.encode(report) + Data("\n".utf8)
            }
        }
        return files
    }

    /// Publishes and returns the folder written.
    @discardableResult
    public static func publish(_ report: MonthlyReport, formats: [ReportFormat], to output: URL) throws -> URL {
        let files = try Self.render(report, formats: formats)
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "\(output.path): cannot create the folder (\(Self.reason(error)))")
        }
        let target = output.appendingPathComponent(report.month.description, isDirectory: true)
        let staging = output.appendingPathComponent(".\(report.month)-\(UUID().uuidString)", isDirectory: true)
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
            for (format, data) in files.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try data.write(to: staging.appendingPathComponent(format.fileName), options: .atomic)
            }
        } catch {
            try? manager.removeItem(at: staging)
            throw Failure(description: "\(output.path): cannot write the report there (\(Self.reason(error))); nothing was changed")
        }
        // Swap the new folder in; the old one is moved aside first and removed only once the new one is in place.
        let previous = output.appendingPathComponent(".\(report.month)-old-\(UUID().uuidString)", isDirectory: true)
        let hadPrevious = manager.fileExists(atPath: target.path)
        do {
            if hadPrevious { try manager.moveItem(at: target, to: previous) }
            try manager.moveItem(at: staging, to: target)
        } catch {
            if hadPrevious, !manager.fileExists(atPath: target.path) { try? manager.moveItem(at: previous, to: target) }
            try? manager.removeItem(at: staging)
            throw Failure(description: "\(target.path): cannot put the report in place (\(Self.reason(error))); nothing was changed")
        }
        if hadPrevious { try? manager.removeItem(at: previous) }
        return target
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, let text = String(validatingCString: strerror(Int32(underlying.code))) {
            return text
        }
        return nsError.localizedDescription
    }

    /// Every published month in `output`, newest first.
    public static func publishedMonths(in output: URL) -> [Month] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
        return names.compactMap { name in
            guard let month = try? Month(parsing: name), FileManager.default.fileExists(atPath: output.appendingPathComponent(name).appendingPathComponent(ReportFormat.html.fileName).path) else { return nil }
            return month
        }.sorted(by: >)
    }

    /// The month's published `report.json` read back (what readers were shown), or nil when there is none or it
    /// cannot be read.
    public static func savedReport(_ month: Month, in output: URL) -> MonthlyReport? {
        let file = output.appendingPathComponent(month.description).appendingPathComponent(ReportFormat.json.fileName)
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(MonthlyReport.self, from: data)
    }
}
