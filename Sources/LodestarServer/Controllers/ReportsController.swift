import Foundation
import Hummingbird
import LodestarCore
import LodestarReport
import LodestarStore

/// `/reports/`: the published reports, an index of them, and `?live=1` for the lead to see a month's report from the
/// data as it is now without publishing it (the admin token, or loopback when none is set, as for `/metrics`).
struct ReportsController: Sendable {
    let reports: ReportService
    let folder: URL
    let policy: AnonymityPolicy
    let rework: ReworkRule
    let templates: Templates
    /// Who may see a report computed live: it recomputes the whole month, and shows what is not published yet.
    let access: AdminAccess
    /// The clock, for refusing months that have not started.
    var now: @Sendable () -> Date = Date.init

    /// Reports carry their stylesheet inline; they run no script and load nothing.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("", use: self.index)
        group.get("{month}", use: self.report)
        group.get("{month}/{file}", use: self.file)
    }

    @Sendable func index(request: Request, context: AppRequestContext) async throws -> Response {
        let months = ReportPublisher.publishedMonths(in: self.folder)
        var page = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        page += "<title>Platform reports</title>\n<style>body{font:16px/1.5 system-ui,sans-serif;max-width:720px;margin:0 auto;padding:24px}</style>\n</head>\n<body>\n<main>\n<h1>Platform reports</h1>\n"
        if months.isEmpty {
            page += "<p>No report has been published yet: run <code>lodestar report publish --month YYYY-MM</code>.</p>\n"
        } else {
            page += "<ul>\n" + months.map { "<li><a href=\"/reports/\($0)/\">\($0.longName)</a></li>\n" }.joined() + "</ul>\n"
        }
        page += "</main>\n</body>\n</html>\n"
        return Self.response(Data(page.utf8), type: "text/html; charset=utf-8")
    }

    @Sendable func report(request: Request, context: AppRequestContext) async throws -> Response {
        let month = try self.month(context)
        if request.uri.queryParameters.get("live") == "1" {
            try self.access.check(request, context: context)
            guard month <= Month(containing: self.now()) else {
                return self.notFound("\(month) has not started yet, so there is nothing to report.")
            }
            let report = try await self.reports.monthlyReport(month: month, policy: self.policy, rework: self.rework)
            return Self.response(await HeavyWork.run { Data(report.html().utf8) }, type: "text/html; charset=utf-8")
        }
        return try self.published(month, .html)
    }

    @Sendable func file(request: Request, context: AppRequestContext) async throws -> Response {
        let month = try self.month(context)
        guard let name = context.parameters.get("file"), let format = ReportFormat.allCases.first(where: { $0.fileName == name }) else {
            return self.notFound("A report folder holds index.html, report.md and report.json only.")
        }
        return try self.published(month, format)
    }

    private func month(_ context: AppRequestContext) throws -> Month {
        guard let text = context.parameters.get("month"), let month = try? Month(parsing: text) else {
            throw APIError(.badRequest, "the month must be YYYY-MM", field: "month")
        }
        return month
    }

    /// A published file, read from the folder; the month was parsed, so the path cannot leave the folder.
    private func published(_ month: Month, _ format: ReportFormat) throws -> Response {
        let path = self.folder.appendingPathComponent(month.description).appendingPathComponent(format.fileName)
        guard let data = FileManager.default.contents(atPath: path.path) else {
            return self.notFound("The \(month) report has not been published: run `lodestar report publish --month \(month)`, or (as the lead) see it live at /reports/\(month)/?live=1.")
        }
        let type = switch format {
        case .html: "text/html; charset=utf-8"
        case .md: "text/markdown; charset=utf-8"
        case .json: "application/json; charset=utf-8"
        }
        return Self.response(data, type: type)
    }

    private func notFound(_ message: String) -> Response {
        self.templates.message("Report not found", message, status: .notFound, link: "/reports/")
    }

    static func response(_ data: Data, type: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "no-cache", .contentSecurityPolicy: Self.contentSecurityPolicy],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
