import ArgumentParser
import Foundation
import LodestarCore
import LodestarStore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension Survey {
    struct Answer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Answer the survey: prompts in a terminal, or takes every answer as flags.",
            discussion: """
                In a terminal, each question not given by a flag is asked in turn. Piped or with --no-input, only the
                flags count. Answers go to the local database, or to a server with --server URL.
                """
        )

        @OptionGroup var database: DatabaseOptions

        @Option(name: .long, help: "Month as YYYY-MM (default: the token's month, else the open round).")
        var month: String?

        @Option(name: .long, help: "Answer to the 'best' question.")
        var best: String?

        @Option(name: .long, help: "Answer to the 'worst' question.")
        var worst: String?

        @Option(name: .long, help: "Answer to the 'change' question.")
        var change: String?

        @Option(name: .long, help: "Answer to any text or choice question, as ID=TEXT (repeatable).")
        var answer: [String] = []

        @Option(name: .long, help: "A rating as NAME=VALUE, e.g. satisfaction=4 (repeatable).")
        var rating: [String] = []

        @Option(name: .long, help: "Your team.")
        var team: String?

        @Option(name: .long, help: "Invitation token.")
        var token: String?

        @Option(name: .long, help: "Send to a Lodestar server instead of the local database, e.g. http://127.0.0.1:8080.")
        var server: String?

        @Flag(name: .long, help: "Never prompt, even in a terminal.")
        var noInput = false

        func validate() throws {
            _ = try self.submission()
        }

        /// The answers given by flags.
        func submission() throws -> Submission {
            var month: Month?
            if let text = self.month {
                do { month = try Month(parsing: text) } catch { throw ValidationError("--month: \(error.description)") }
            }
            var answers: [String: String] = [:]
            for (id, text) in [("best", self.best), ("worst", self.worst), ("change", self.change)] where text != nil {
                answers[id] = text
            }
            for pair in self.answer {
                let (id, text) = try Self.split(pair, flag: "--answer")
                answers[id] = text
            }
            var ratings: [String: Submission.RawValue] = [:]
            for pair in self.rating {
                let (id, text) = try Self.split(pair, flag: "--rating")
                ratings[id] = .text(text)
            }
            return Submission(month: month, team: self.team, token: self.token, answers: answers, ratings: ratings)
        }

        static func split(_ pair: String, flag: String) throws -> (String, String) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("\(flag) '\(pair)': expected NAME=VALUE") }
            return (String(parts[0]), String(parts[1]))
        }

        var interactive: Bool { !self.noInput && isatty(STDIN_FILENO) == 1 }

        func run() async throws {
            var submission = try self.submission()
            if let server {
                let client = try SurveyClient(baseURL: server)
                if self.interactive {
                    let definition = try await client.definition(month: submission.month, token: submission.token)
                    submission = self.prompter.complete(submission, for: definition)
                }
                let id = try await client.submit(submission)
                print("Thank you: your answer is stored (response \(id)).")
                return
            }
            let (id, admission) = try await self.database.withServices { services in
                let service = services.survey()
                let admission = try await service.admission(month: submission.month, token: submission.token)
                if self.interactive {
                    submission = self.prompter.complete(submission, for: admission.round.definition)
                }
                return (try await service.submit(submission, admission: admission), admission)
            }
            print("Thank you: your answer to the \(admission.round.month) survey is stored (response \(id)).")
        }

        var prompter: AnswerPrompter {
            AnswerPrompter(readLine: { Swift.readLine(strippingNewline: true) }, write: { text in
                FileHandle.standardOutput.write(Data(text.utf8))
            })
        }
    }
}

/// Talks to a Lodestar server's JSON API.
struct SurveyClient {
    let baseURL: URL

    init(baseURL: String) throws {
        guard let url = URL(string: baseURL), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw ValidationError("--server '\(baseURL)' is not an http(s) URL")
        }
        self.baseURL = url
    }

    private struct CurrentSurvey: Decodable {
        let definition: SurveyDefinition
    }

    func definition(month: Month?, token: String?) async throws -> SurveyDefinition {
        var components = URLComponents(url: self.baseURL.appendingPathComponent("api/v1/survey"), resolvingAgainstBaseURL: false)!
        components.queryItems = [month.map { URLQueryItem(name: "month", value: $0.description) }, token.map { URLQueryItem(name: "token", value: $0) }]
            .compactMap { $0 }
        let (data, response) = try await self.send(URLRequest(url: components.url!))
        try Self.check(response, data)
        return try JSONDecoder().decode(CurrentSurvey.self, from: data).definition
    }

    func submit(_ submission: Submission) async throws -> Int64 {
        var body: [String: Any] = ["answers": submission.answers]
        body["ratings"] = submission.ratings.mapValues { value -> Any in
            switch value {
            case .number(let number): number
            case .text(let text): Int(text).map { $0 as Any } ?? text
            case .other(let text): text
            }
        }
        if let month = submission.month { body["month"] = month.description }
        if let team = submission.team { body["team"] = team }
        if let token = submission.token { body["token"] = token }
        var request = URLRequest(url: self.baseURL.appendingPathComponent("api/v1/responses"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (data, response) = try await self.send(request)
        try Self.check(response, data)
        struct Created: Decodable { let id: Int64 }
        return try JSONDecoder().decode(Created.self, from: data).id
    }

    private func send(_ request: URLRequest) async throws -> (Data, URLResponse) {
        do {
            return try await URLSession.shared.data(for: request)
        } catch {
            throw CLIError("cannot reach \(self.baseURL.absoluteString): \(error.localizedDescription)")
        }
    }

    /// Turns a 4xx/5xx answer into one line naming the server's reason.
    private static func check(_ response: URLResponse, _ data: Data) throws {
        guard let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) else { return }
        struct Failure: Decodable {
            struct Detail: Decodable { let message: String }
            let error: Detail
        }
        let message = (try? JSONDecoder().decode(Failure.self, from: data).error.message) ?? String(decoding: data.prefix(200), as: UTF8.self)
        throw CLIError("the server refused the answer (HTTP \(http.statusCode)): \(message)")
    }
}
