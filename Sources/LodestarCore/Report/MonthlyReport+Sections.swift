import Foundation

extension MonthlyReport.DevelopersSection {
    init(_ inputs: ReportInputs, months: [Month]) {
        let rounds = Dictionary(inputs.rounds.map { ($0.month, $0) }, uniquingKeysWith: { first, _ in first })
        let current = rounds[inputs.month]
        self.responses = current?.responses ?? 0
        self.invited = current.flatMap { $0.invited > 0 ? $0.invited : nil }
        self.participation = current.flatMap(Self.participation)
        self.responsesByMonth = months.map { rounds[$0]?.responses ?? 0 }
        self.participationByMonth = months.map { rounds[$0].flatMap(Self.participation) }
        self.withheld = !inputs.policy.allows(self.responses)
        let questions = inputs.definition?.questions.filter { $0.kind == .rating || $0.kind == .percent } ?? []
        self.ratings = self.withheld ? [] : questions.map { question in
            let means = months.map { month -> Double? in
                // A month under k shows no mean on its own, as in `survey results`.
                guard let answers = inputs.responses[month], inputs.policy.allows(answers.count) else { return nil }
                let values = answers.compactMap { $0.numbers[question.id] }
                return values.isEmpty ? nil : (Double(values.reduce(0, +)) / Double(values.count) * 100).rounded() / 100
            }
            return MonthlyReport.RatingTrend(
                question: question.id, prompt: question.prompt, unit: question.kind == .percent ? "%" : "out of \(question.scale.upperBound)",
                means: means, change: Self.relativeChange(means.dropLast().last ?? nil, means.last ?? nil)
            )
        }
        // A theme's label is made of its answers' words, so a theme fewer than k people raised is not listed.
        self.best = self.withheld ? [] : Array(inputs.best.filter { inputs.policy.allows($0.respondents) }.prefix(5))
        self.worst = self.withheld ? [] : Array(inputs.worst.filter { inputs.policy.allows($0.respondents) }.prefix(5))
        self.change = self.withheld ? [] : Array(inputs.change.filter { inputs.policy.allows($0.respondents) }.prefix(5))
    }

    static func participation(_ round: RoundSummary) -> Double? {
        round.invited > 0 ? (Double(round.responses) / Double(round.invited) * 1000).rounded() / 10 : nil
    }

    static func relativeChange(_ old: Double?, _ new: Double?) -> Double? {
        guard let old, let new, old != 0 else { return nil }
        return ((new - old) / old * 1000).rounded() / 1000
    }
}

extension MonthlyReport.ThemeTrend {
    public init(label: String, respondents: Int, previousRespondents: Int?) {
        self.label = label
        self.respondents = respondents
        self.previousRespondents = previousRespondents
        self.change = MonthlyReport.DevelopersSection.relativeChange(previousRespondents.map(Double.init), Double(respondents))
    }
}

extension MonthlyReport.Outcome {
    init(_ input: EpicOutcomeInput, tiles: [MonthlyReport.Tile], months: [Month], month: Month, nowWithheld: Bool) {
        self.epicId = input.epicId
        self.month = input.month
        self.title = input.title
        self.status = input.status
        self.owner = input.owner
        self.respondentsThen = input.respondentsThen
        // This month's count of a theme is theme information of this month: under k it is not shown.
        self.respondentsNow = nowWithheld ? nil : input.respondentsNow
        self.change = self.respondentsNow.flatMap { MonthlyReport.DevelopersSection.relativeChange(Double(input.respondentsThen), Double($0)) }
        self.metric = input.metric
        let trend = tiles.first { $0.metric == input.metric }?.trend
        self.metricThen = months.firstIndex(of: input.month).flatMap { trend?[$0] }
        self.metricNow = trend?.last ?? nil
        self.metricUnit = input.metric?.unit
    }
}

extension MonthlyReport.MethodSection {
    init(_ inputs: ReportInputs) {
        self.definitions = [
            "Period: the calendar month \(inputs.month), compared with the month before; trends cover the \(ReportInputs.trendLength) months up to it.",
            "Tiers in this report: the DORA \(inputs.benchmarks.rawValue) report's cluster table.",
            "Epic score: demand (1.5 per respondent asking for the change, 1 per respondent naming it the worst) × ratings × trend × delivery, explained with each epic.",
            "Anonymity: no group of fewer than \(inputs.policy.k) responses shows ratings, themes or quotes on its own; quotes are scrubbed of e-mail addresses, links and @handles.",
        ] + MetricDefinitions.all(rework: inputs.facts.rework).map(\.plain)
        self.sources = [
            MonthlyReport.Source(name: "survey answers", latest: inputs.latestResponseDay),
            MonthlyReport.Source(name: "pipeline events", latest: inputs.latestEvent.map(Timestamp.iso8601)),
        ]
    }
}

extension MonthlyReport.Headline {
    /// A status and one sentence from the month's data.
    init(report: MonthlyReport) {
        guard report.hasData else {
            self.status = "no data"
            self.sentence = "No survey answers or deliveries were recorded for \(report.month)."
            return
        }
        var parts: [String] = []
        let tiles = Dictionary(report.delivery.tiles.map { ($0.metric, $0) }, uniquingKeysWith: { first, _ in first })
        if let deployments = tiles[.deploymentFrequency], let change = deployments.change {
            parts.append("deployments \(MonthlyReport.signedPercent(change)) against last month")
        } else if let deployments = tiles[.deploymentFrequency], deployments.value != nil {
            parts.append("\(deployments.display) deployed")
        }
        if let restore = tiles[.timeToRestore], restore.value != nil { parts.append("median time to restore \(restore.display)") }
        if let done = report.roadmap.youSaidWeDid.first(where: { $0.status == .done && ($0.change ?? 0) < 0 }), let change = done.change {
            parts.append("\(done.title.lowercased()) is raised by \(Int((abs(change) * 100).rounded()))% fewer people since its epic was done")
        } else if let top = report.roadmap.epics.first {
            parts.append("the top request, \(top.title.lowercased()), was raised by \(top.respondents) \(top.respondents == 1 ? "person" : "people")")
        }
        if report.developers.responses > 0 {
            parts.append("\(report.developers.responses) \(report.developers.responses == 1 ? "developer" : "developers") answered the survey")
        }
        let sentence = parts.joined(separator: "; ")
        self.sentence = sentence.prefix(1).uppercased() + sentence.dropFirst() + "."
        let moved = report.delivery.tiles.filter { abs($0.change ?? 0) >= 0.05 }
        let better = moved.filter { $0.improved == true }.count
        let worse = moved.filter { $0.improved == false }.count
        self.status = better > worse ? "improving" : worse > better ? "needs attention" : "steady"
    }
}

extension MonthlyReport {
    /// A relative change as a whole signed percentage: "+48%", "-12%".
    public static func signedPercent(_ change: Double) -> String {
        let percent = Int((change * 100).rounded())
        return percent >= 0 ? "+\(percent)%" : "\(percent)%"
    }
}
