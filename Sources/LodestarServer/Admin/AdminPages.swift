import Foundation
import LodestarCore
import LodestarReport

// What each /admin template shows. Mustache escapes every `{{value}}`; only the report's own SVG charts are
// inserted unescaped (`{{{svg}}}`), and they are built by LodestarReport from numbers, never from answers.

struct AdminSignInPage {
    let pageTitle = "Sign in"
    let error: String?
    let csrf: String
    /// False when the server has no LODESTAR_ADMIN_TOKEN: there is nothing to sign in with.
    let configured: Bool
}

/// The navigation every signed-in page shows, with the sign-out form.
protocol AdminPage {
    var csrf: String { get }
}

struct AdminRoundsPage: AdminPage {
    struct Row {
        let month: String
        let survey: String
        let mode: String
        let status: String
        let isOpen: Bool
        let participation: String
        let teams: [Choice]
        let hasTeams: Bool

        init(summary: RoundSummary, teams: [String]) {
            self.month = summary.month.description
            self.survey = summary.survey
            self.mode = summary.mode.rawValue
            self.status = summary.status.rawValue
            self.isOpen = summary.status == .open
            self.participation = summary.invited > 0 ? "\(summary.responses) of \(summary.invited) invited" : "\(summary.responses) (open round)"
            self.teams = teams.map(Choice.init)
            self.hasTeams = !teams.isEmpty
        }
    }

    struct Choice {
        let id: String
    }

    struct Link {
        let url: String
    }

    let pageTitle = "Rounds"
    let csrf: String
    let notice: String?
    let error: String?
    let rounds: [Row]
    let definitions: [Choice]
    let hasDefinitions: Bool
    let surveysFolder: String
    let thisMonth: String
    let links: [Link]
    let hasLinks: Bool
    let linksText: String

    init(
        csrf: String, notice: String?, error: String?, rounds: [Row], definitions: [String], surveysFolder: String, thisMonth: String, links: [Link]
    ) {
        self.csrf = csrf
        self.notice = notice
        self.error = error
        self.rounds = rounds
        self.definitions = definitions.map(Choice.init)
        self.hasDefinitions = !definitions.isEmpty
        self.surveysFolder = surveysFolder
        self.thisMonth = thisMonth
        self.links = links
        self.hasLinks = !links.isEmpty
        self.linksText = links.map(\.url).joined(separator: "\n")
    }
}

/// A month's results under the anonymity rule, overall or by team.
struct AdminTablePage: AdminPage {
    struct MonthChoice {
        let month: String
        let selected: Bool
    }

    struct Group {
        struct Rating {
            let prompt: String
            let mean: String?
            let answered: Int
            let buckets: [Bucket]
        }

        struct Bucket {
            let label: String
            let count: Int
        }

        struct Answers {
            let prompt: String
            let count: Int
            let texts: [String]
        }

        let name: String
        let responses: Int
        let withheld: Bool
        let ratings: [Rating]
        let answers: [Answers]
    }

    let pageTitle: String
    let csrf: String
    var error: String?
    var months: [MonthChoice]
    var month: String?
    var summary: String?
    var groups: [Group] = []
    var anonymityK: Int?
    var byTeam = false

    init(csrf: String, section: String, error: String? = nil, months: [Month], month: Month? = nil) {
        self.pageTitle = section
        self.csrf = csrf
        self.error = error
        self.months = months.reversed().map { MonthChoice(month: $0.description, selected: $0 == month) }
        self.month = month?.description
    }

    mutating func show(_ results: SurveyResults) {
        self.summary = results.participationLine
        self.anonymityK = results.anonymityK
        self.groups = results.groups.map { group in
            Group(
                name: group.name, responses: group.responses, withheld: group.withheld,
                ratings: group.ratings.map { rating in
                    Group.Rating(
                        prompt: rating.prompt, mean: rating.mean.map { String(format: "%.2f", $0) }, answered: rating.answered,
                        buckets: rating.distribution.map { Group.Bucket(label: $0.label, count: $0.count) }
                    )
                },
                answers: group.answers.map { Group.Answers(prompt: $0.prompt, count: $0.texts.count, texts: $0.texts) }
            )
        }
    }
}

struct AdminEpicsPage: AdminPage {
    struct Confirm {
        let month: String
        let curated: [String]
    }

    struct Card {
        struct Status {
            let value: String
            let selected: Bool
        }

        let id: Int64
        let rank: Int
        let title: String
        let score: String
        let respondents: Int
        let mentions: Int
        let teams: String
        let statuses: [Status]
        let statusName: String
        let owner: String
        let note: String
        let reasons: [String]
        let quotes: [String]
        let hasQuotes: Bool
        let quotesWithheld: String?
        let others: [Choice]
        let hasOthers: Bool
        let targets: [Target]
    }

    /// One choice of what an epic should move: the automatic link, a metric, or a survey rating.
    struct Target {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Choice {
        let id: Int64
        let label: String
    }

    let pageTitle = "Epics"
    let csrf: String
    let months: [AdminTablePage.MonthChoice]
    let month: String
    let responses: Int
    let anonymityK: Int
    let cards: [Card]
    let hasEpics: Bool
    let notice: String?
    let error: String?
    let confirm: Confirm?

    init(csrf: String, months: [Month], error: String) {
        self.init(csrf: csrf, months: months, month: nil, epics: nil, ratings: [], notice: nil, error: error, confirm: nil)
    }

    init(
        csrf: String, months: [Month], month: Month?, epics: MonthEpics?, ratings: [Question], notice: String?, error: String?, confirm: Confirm?
    ) {
        self.csrf = csrf
        self.months = months.reversed().map { AdminTablePage.MonthChoice(month: $0.description, selected: $0 == month) }
        self.month = month?.description ?? ""
        self.responses = epics?.responses ?? 0
        self.anonymityK = epics?.anonymityK ?? 0
        let all = epics?.epics ?? []
        self.cards = all.map { epic in
            let others = all.filter { $0.id != epic.id }.map { Choice(id: $0.id, label: "#\($0.id) \($0.title)") }
            let automatic = "automatic: " + (epic.breakdown.deliveryMetric?.name ?? "none")
            let choices: [(String, String)] = [("", automatic)]
                + DeliveryMetric.allCases.map { (EpicTarget.metric($0).description, $0.name) }
                + ratings.map { (EpicTarget.rating($0.id).description, "rating: \($0.prompt)") }
            let targets = choices.map { Target(value: $0.0, label: $0.1, selected: $0.0 == (epic.target?.description ?? "")) }
            return Card(
                id: epic.id, rank: epic.rank, title: epic.title, score: MonthEpics.number(epic.score), respondents: epic.respondents,
                mentions: epic.mentions, teams: epic.teams.map { "\($0.team) \($0.respondents)" }.joined(separator: ", "),
                statuses: EpicStatus.allCases.map { Card.Status(value: $0.rawValue, selected: $0 == epic.status) },
                statusName: epic.status.rawValue, owner: epic.owner ?? "", note: epic.note ?? "", reasons: epic.breakdown.reasons,
                quotes: epic.quotes, hasQuotes: !epic.quotes.isEmpty, quotesWithheld: epic.quotesWithheld, others: others, hasOthers: !others.isEmpty,
                targets: targets
            )
        }
        self.hasEpics = !all.isEmpty
        self.notice = notice
        self.error = error
        self.confirm = confirm
    }
}

struct AdminDeliveryPage: AdminPage {
    struct Grouping {
        let value: String
        let selected: Bool
    }

    struct Chart {
        let svg: String
    }

    struct Row {
        let cells: [String]
    }

    let pageTitle = "Delivery"
    let csrf: String
    let groupings: [Grouping]
    var error: String?
    var heading: String?
    var columns: [String] = []
    var rows: [Row] = []
    var charts: [Chart] = []

    init(csrf: String, by: String, error: String? = nil, report: MetricsReport? = nil, byMonth: MetricsReport? = nil) {
        self.csrf = csrf
        self.groupings = ["service", "team", "month"].map { Grouping(value: $0, selected: $0 == by) }
        self.error = error
        guard let report else { return }
        self.heading = report.heading
        let table = report.table()
        self.columns = table.columns
        self.rows = table.rows.map(Row.init)
        guard let byMonth else { return }
        let months = byMonth.groups.compactMap { $0.key["month"] }
        func series(_ name: String, _ unit: String, _ value: (GroupMetrics) -> Double?) -> Chart {
            Chart(
                svg: SVGChart.line(
                    title: "\(name) by month", description: "\(name) (\(unit)) by month", xLabels: months,
                    series: [ChartSeries(name: name, values: byMonth.groups.map(value))], yAxisLabel: unit, unit: unit
                )
            )
        }
        self.charts = [
            series("Deployment frequency", "per week", { $0.deploymentsPerWeek }),
            series("Lead time for changes", "hours, median", { $0.leadTimeHours.median }),
            series("Change failure rate", "%", { $0.changeFailureRate.map { $0 * 100 } }),
            series("Time to restore service", "hours, median", { $0.timeToRestoreHours.median }),
        ]
    }
}

struct AdminReportPage: AdminPage {
    struct Published {
        let month: String
        let name: String
        init(month: Month) {
            self.month = month.description
            self.name = month.longName
        }
    }

    struct Choice {
        let month: String
        let name: String
        init(month: Month) {
            self.month = month.description
            self.name = month.longName
        }
    }

    let pageTitle = "Report"
    let csrf: String
    let notice: String?
    let error: String?
    let published: [Published]
    let months: [Choice]
    let hasPublished: Bool
    /// Whether a chat webhook or e-mail is configured, so the page offers to announce.
    let canAnnounce: Bool

    init(csrf: String, notice: String?, error: String?, published: [Month], months: [Month], canAnnounce: Bool) {
        self.canAnnounce = canAnnounce
        self.csrf = csrf
        self.notice = notice
        self.error = error
        self.published = published.map(Published.init)
        self.months = months.map(Choice.init)
        self.hasPublished = !published.isEmpty
    }
}

struct AdminAuditPage: AdminPage {
    struct Entry {
        let at: String
        let actor: String
        let action: String
        let detail: String

        init(_ entry: AuditEntry) {
            self.at = Self.format.string(from: entry.at)
            self.actor = entry.actor
            self.action = entry.action
            self.detail = entry.detail
        }

        nonisolated(unsafe) private static let format: ISO8601DateFormatter = ISO8601DateFormatter()
    }

    let pageTitle = "Audit log"
    let csrf: String
    var action: String
    var month: String = ""
    var error: String?
    var entries: [Entry] = [] {
        didSet { self.hasEntries = !self.entries.isEmpty }
    }
    var hasEntries = false
}
