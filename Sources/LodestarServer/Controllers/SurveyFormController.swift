import Foundation
import Hummingbird
import LodestarCore
import Logging

/// The survey as an HTML form: `GET /survey` shows it, `POST /survey` stores the answer. Works without JavaScript.
struct SurveyFormController: Sendable {
    let service: SurveyService
    let templates: Templates
    let csrf: CSRFProtection
    let rateLimiter: RateLimiter
    let metrics: ServerMetrics

    /// The cookie that remembers, per browser, the open-mode months already answered.
    static let answeredCookie = "lodestar_answered"

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("survey", use: self.show)
        group.post("survey", use: self.submit)
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        let token = request.uri.queryParameters.get("token")?.nilIfEmpty
        var month: Month?
        if let text = request.uri.queryParameters.get("month") {
            do {
                month = try Month(parsing: String(text))
            } catch {
                return self.templates.message("Not a month", error.description, status: .badRequest)
            }
        }
        let admission: SurveyService.Admission
        do {
            admission = try await self.service.admission(month: month, token: token)
        } catch let error as SurveyError {
            return self.refusal(error)
        }
        if admission.round.mode == .open, Self.answeredMonths(request).contains(admission.round.month.description) {
            return self.refusal(.alreadyAnswered(admission.round.month), status: .ok)
        }
        let csrfToken = self.existingCSRF(request) ?? self.csrf.issue()
        var response = self.templates.page("survey", SurveyFormPage(admission: admission, csrf: csrfToken, token: token))
        response.setCookie(Self.csrfCookie(csrfToken))
        return response
    }

    @Sendable func submit(request: Request, context: AppRequestContext) async throws -> Response {
        guard request.mediaType == "application/x-www-form-urlencoded" else {
            return self.templates.message("Unsupported form", "The survey form must be sent as application/x-www-form-urlencoded.", status: .unsupportedMediaType)
        }
        let form: [String: String]
        do {
            form = try FormData.parse(try await request.bodyText(limit: ServerLimits.responseBodyBytes))
        } catch let error as BodyTooLarge {
            return self.templates.message("Answer too long", "The form is larger than \(error.limit / 1024) KiB; shorten your answers.", status: .contentTooLarge)
        } catch is BodyNotUTF8 {
            return self.templates.message("Unreadable form", "The form was not valid UTF-8 text.", status: .badRequest)
        } catch let error as FormData.Malformed {
            return self.templates.message("Unreadable form", "The field \(error.field) is not valid UTF-8 text.", status: .badRequest)
        }
        guard self.csrf.verify(field: form[CSRFProtection.fieldName], cookie: request.cookies[CSRFProtection.cookieName]?.value) else {
            return self.templates.message(
                "Form expired", "This form has expired or did not come from this site. Reload the survey and answer again.", status: .forbidden)
        }
        guard self.rateLimiter.allow(context.clientKey) else {
            var response = self.templates.message("Too many answers", "Too many answers from this address; wait a minute.", status: .tooManyRequests)
            response.headers[.retryAfter] = "60"
            return response
        }
        let submission: Submission
        do {
            submission = try Self.submission(from: form)
        } catch {
            return self.templates.message("Not a month", error.description, status: .badRequest)
        }
        let admission: SurveyService.Admission
        do {
            admission = try await self.service.admission(month: submission.month, token: submission.token)
        } catch let error as SurveyError {
            return self.refusal(error)
        }
        let month = admission.round.month.description
        let answered = Self.answeredMonths(request)
        if admission.round.mode == .open, answered.contains(month) {
            return self.refusal(.alreadyAnswered(admission.round.month))
        }
        do {
            let id = try await self.service.submit(submission, admission: admission)
            self.metrics.responseStored(via: .form)
            context.logger.debug("response stored", metadata: ["month": "\(month)", "id": "\(id)"])
        } catch SurveyError.invalid(let issues) {
            let page = SurveyFormPage(admission: admission, csrf: form[CSRFProtection.fieldName] ?? "", token: submission.token, values: form, issues: issues)
            return self.templates.page("survey", page, status: .badRequest)
        } catch let error as SurveyError {
            return self.refusal(error)
        }
        var response = self.templates.page("thanks", key: month) { ThanksPage(pageTitle: "Thank you", month: month) }
        if admission.round.mode == .open {
            response.setCookie(
                Cookie(
                    name: Self.answeredCookie, value: (answered + [month]).suffix(12).joined(separator: "."),
                    maxAge: 400 * 24 * 3600, path: "/", httpOnly: true, sameSite: .lax
                )
            )
        }
        return response
    }

    // MARK: - Helpers

    static func submission(from form: [String: String]) throws(MonthError) -> Submission {
        var answers: [String: String] = [:]
        var ratings: [String: Submission.RawValue] = [:]
        for (name, value) in form {
            if name.hasPrefix("answers.") { answers[String(name.dropFirst(8))] = value }
            if name.hasPrefix("ratings.") { ratings[String(name.dropFirst(8))] = .text(value) }
        }
        var month: Month?
        if let text = form["month"]?.nilIfEmpty { month = try Month(parsing: text) }
        return Submission(
            month: month,
            team: form["team"],
            token: form["token"]?.nilIfEmpty,
            answers: answers,
            ratings: ratings
        )
    }

    private func refusal(_ error: SurveyError, status: HTTPResponse.Status? = nil) -> Response {
        let (title, text): (String, String) =
            switch error {
            case .noOpenRound: ("No survey open", "There is no survey open right now. Thank you for looking!")
            case .roundNotOpened(let month): ("No survey for \(month)", "No survey was opened for \(month).")
            case .roundClosed(let month): ("Survey closed", "The \(month) survey is closed. Thank you for looking!")
            case .alreadyAnswered(let month): ("Already answered", "This browser has answered the \(month) survey already. Thank you!")
            case .tokenRequired: ("Invitation needed", "This survey is by invitation: open the link from your invitation.")
            case .tokenInvalid: ("Invitation not valid", "This invitation link is not valid for an open survey.")
            case .tokenUsed: ("Invitation used", "This invitation has been used already: each one counts once.")
            default: ("Not possible", error.description)
            }
        return self.templates.message(title, text, status: status ?? APIError(error).status, link: "/")
    }

    private func existingCSRF(_ request: Request) -> String? {
        guard let value = request.cookies[CSRFProtection.cookieName]?.value, self.csrf.verify(field: value, cookie: value) else { return nil }
        return value
    }

    static func csrfCookie(_ value: String) -> Cookie {
        Cookie(name: CSRFProtection.cookieName, value: value, path: "/survey", httpOnly: true, sameSite: .strict)
    }

    static func answeredMonths(_ request: Request) -> [String] {
        request.cookies[Self.answeredCookie]?.value.split(separator: ".").map(String.init) ?? []
    }
}

struct ThanksPage {
    let pageTitle: String
    let month: String
}
