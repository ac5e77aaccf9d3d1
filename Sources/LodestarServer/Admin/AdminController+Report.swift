import Foundation
import Hummingbird
import HummingbirdAuth
import LodestarAnnounce
import LodestarCore
import LodestarReport

/// `/admin/delivery`, `/admin/report` and `/admin/audit`: the four keys, publishing and announcing, the audit log.
extension AdminController {
    // MARK: - Delivery

    @Sendable func delivery(request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = self.signedIn(context) else { return Self.toSignIn }
        let parameters = request.uri.queryParameters
        let by = parameters.get("by").map { String($0) } ?? "service"
        guard let grouping = MetricsGrouping(rawValue: by), [.service, .team, .month].contains(grouping) else {
            let page = AdminDeliveryPage(csrf: session.csrf, by: "service", error: "by: must be service, team or month")
            return self.templates.page("admin-delivery", page, status: .badRequest)
        }
        let query = MetricsQuery(
            from: parameters.get("from").map { String($0) }, to: parameters.get("to").map { String($0) }, grouping: grouping, rework: self.rework
        )
        let monthly = MetricsQuery(from: parameters.get("from").map { String($0) }, to: parameters.get("to").map { String($0) }, grouping: .month, rework: self.rework)
        let columns = try await self.services.storage.pipeline.deliveryColumns()
        let outcome = await HeavyWork.run { Result { () throws(FieldError) in (try query.report(columns: columns), try monthly.report(columns: columns)) } }
        switch outcome {
        case .failure(let error):
            return self.templates.page("admin-delivery", AdminDeliveryPage(csrf: session.csrf, by: by, error: error.description), status: .badRequest)
        case .success(let (report, byMonth)):
            return self.templates.page("admin-delivery", AdminDeliveryPage(csrf: session.csrf, by: by, report: report, byMonth: byMonth))
        }
    }

    // MARK: - Report

    @Sendable func report(request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = self.signedIn(context) else { return Self.toSignIn }
        return self.reportPage(session, notice: request.uri.queryParameters.get("done").map { String($0) }, error: nil, status: .ok)
    }

    func reportPage(_ session: AdminSession, notice: String?, error: String?, status: HTTPResponse.Status) -> Response {
        let published = ReportPublisher.publishedMonths(in: self.reportsFolder)
        let current = Month(containing: self.now())
        let page = AdminReportPage(
            csrf: session.csrf, notice: notice, error: error, published: published, months: (0..<12).map { current.adding(months: -$0) },
            canAnnounce: !self.announcer.settings.isEmpty
        )
        return self.templates.page("admin-report", page, status: status)
    }

    @Sendable func publish(request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context, refused: self.reportRefusal) { session, form in
            let month = try AdminForm.month(form)
            guard month <= Month(containing: self.now()) else { throw AdminFormError("month: \(month) has not started yet, so there is nothing to report") }
            let report = try await self.services.reports.monthlyReport(month: month, policy: self.policy, rework: self.rework)
            let folder = try await HeavyWork.run { Result { try ReportPublisher.publish(report, formats: ReportFormat.allCases, to: self.reportsFolder) } }.get()
            try await self.services.storage.admin.recordAudit(actor: Self.actor, action: "report.publish", detail: "\(month) → \(folder.path) (html, md, json)")
            var notice = "Published \(month): \(report.headline.sentence)"
            if form["announce"] == "yes" { notice += " " + (try await self.announced(report)) }
            return Self.done("/admin/report", notice)
        }
    }

    /// Announces a month published earlier again, for a channel that failed at publish time.
    @Sendable func announce(request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context, refused: self.reportRefusal) { session, form in
            let month = try AdminForm.month(form)
            guard ReportPublisher.publishedMonths(in: self.reportsFolder).contains(month) else {
                throw AdminFormError("month: \(month) has not been published; publish it first")
            }
            // What readers were shown: the published JSON, else the month as stored now.
            let report: MonthlyReport
            if let saved = ReportPublisher.savedReport(month, in: self.reportsFolder) {
                report = saved
            } else {
                report = try await self.services.reports.monthlyReport(month: month, policy: self.policy, rework: self.rework)
            }
            return Self.done("/admin/report", try await self.announced(report))
        }
    }

    /// Announces `report` and says how each channel went; a failure never undoes the publish before it.
    func announced(_ report: MonthlyReport) async throws -> String {
        guard !self.announcer.settings.isEmpty else {
            return "Not announced: no channel is configured (LODESTAR_SLACK_WEBHOOK_URL, LODESTAR_SMTP_URL)."
        }
        let outcomes = await self.announcer.announce(report)
        try await self.services.storage.admin.recordAudit(
            actor: Self.actor, action: "report.announce", detail: AnnouncementOutcome.auditDetail(outcomes, month: report.month)
        )
        let failed = outcomes.contains(where: \.failed)
        return "Announcement: " + outcomes.map(\.description).joined(separator: "; ") + (failed ? ". Retry with Announce again below." : ".")
    }

    // MARK: - Audit log

    @Sendable func audit(request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = self.signedIn(context) else { return Self.toSignIn }
        let parameters = request.uri.queryParameters
        var query = AuditQuery(action: parameters.get("action").map { String($0) }?.nilIfEmpty)
        var page = AdminAuditPage(csrf: session.csrf, action: query.action ?? "")
        if let text = parameters.get("month").map({ String($0) })?.nilIfEmpty {
            guard let month = try? Month(parsing: text) else {
                page.error = "month: must be YYYY-MM"
                return self.templates.page("admin-audit", page, status: .badRequest)
            }
            query.month = month
            page.month = month.description
        }
        page.entries = query.filter(try await self.services.storage.admin.auditLog()).prefix(1000).map(AdminAuditPage.Entry.init)
        return self.templates.page("admin-audit", page)
    }
}
