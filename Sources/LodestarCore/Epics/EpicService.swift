import Foundation

/// The epic use cases: generating a month's themes and epics, showing them under the anonymity rule, the lead's
/// edits and merges. Every rule lives here; `EpicStorage` only keeps what this decides, one transaction at a time.
public struct EpicService: Sendable {
    let storage: any EpicStorage
    let rounds: any RoundRepository
    let responses: any ResponseRepository

    public init(storage: any EpicStorage, rounds: any RoundRepository, responses: any ResponseRepository) {
        self.storage = storage
        self.rounds = rounds
        self.responses = responses
    }

    /// Finds the month's themes and stores the `top` highest-scoring needs as `proposed` epics, replacing what an
    /// earlier run stored for the month. Refuses (`EpicError.curated`) when the lead has changed one of those
    /// epics, unless `force`. A month without answers stores nothing. With an `embedder`, answers are grouped by
    /// meaning as well as by words. The planning runs outside any transaction, so answers keep arriving meanwhile.
    public func generate(
        month: Month, top: Int, delivery: DeliverySignals, force: Bool, actor: String, embedder: (any TextEmbedder)? = nil
    ) async throws -> GeneratedEpics {
        guard let round = try await self.rounds.round(for: month) else { return GeneratedEpics(responses: 0, themes: 0, epics: 0) }
        let responses = try await self.responses.responses(for: month)
        guard !responses.isEmpty else { return GeneratedEpics(responses: 0, themes: 0, epics: 0) }
        let curated = try await self.storage.curatedEpics(month: month)
        guard curated.isEmpty || force else { throw EpicError.curated(month, curated) }

        let meaning = embedder.map { PrecomputedMeaning(texts: EpicPlanner.texts(of: responses), embedder: $0) }
        let planned = EpicPlanner.plan(
            EpicPlanner.Input(
                month: month, definition: round.definition, responses: responses,
                earlier: try await self.storage.earlierThemes(before: month), delivery: delivery, embedder: meaning
            )
        )
        let previous = try await self.storage.liveEpicsByIdentity(month: month.adding(months: -1))
        var epics: [EpicMonthPlan.PlannedEpic] = []
        for (index, theme) in planned.enumerated() where theme.kind == .need && epics.count < top {
            epics.append(
                EpicMonthPlan.PlannedEpic(
                    theme: index, rank: epics.count + 1, title: Self.title(theme.label), previousId: theme.identity.flatMap { previous[$0] }
                )
            )
        }
        let detail = "\(month): \(epics.count) epics from \(planned.count) themes over \(responses.count) responses"
            + (force && !curated.isEmpty ? " (replaced curated epics)" : "")
        try await self.storage.replaceMonth(
            EpicMonthPlan(month: month, themes: planned, epics: epics), replacing: force ? curated : [], actor: actor, detail: detail
        )
        return GeneratedEpics(responses: responses.count, themes: planned.count, epics: epics.count)
    }

    /// The month's epics by rank and its strengths, under the anonymity rule.
    public func list(month: Month, policy: AnonymityPolicy) async throws -> MonthEpics {
        Self.monthEpics(month: month, records: try await self.storage.monthRecords(month: month), policy: policy)
    }

    /// The latest month that has epics, if any.
    public func latestMonth() async throws -> Month? {
        try await self.storage.latestMonth()
    }

    /// Applies the lead's change to a live epic; any change marks it curated.
    public func update(id: Int64, change: EpicChange, actor: String, policy: AnonymityPolicy) async throws -> Epic {
        do {
            try change.validate()
        } catch {
            throw EpicError.invalid(error)
        }
        var fields: [EpicField] = []
        if let status = change.status { fields.append(.status(status)) }
        if let owner = change.owner { fields.append(.owner(owner.trimmed.nilIfEmpty)) }
        if let title = change.title { fields.append(.title(title.trimmed)) }
        if let note = change.note { fields.append(.note(note.trimmed.nilIfEmpty)) }
        if let target = try? change.parsedTarget() {
            if case .rating(let question)? = target { try await self.checkRating(question, epic: id) }
            fields.append(.target(target))
        }
        let month = try await self.storage.apply(fields, to: id, actor: actor, detail: "#\(id) \(change.summary)")
        return try await self.shown(id, month: month, policy: policy)
    }

    /// Folds `from` into `into`: their answers become one theme, rescored; `from` leaves the list.
    public func merge(into target: Int64, from source: Int64, actor: String, policy: AnonymityPolicy) async throws -> Epic {
        guard target != source else { throw EpicError.sameEpic(target) }
        let kept = try await self.liveEpic(target)
        let folded = try await self.liveEpic(source)
        guard kept.month == folded.month else { throw EpicError.differentMonths(target, kept.month, source, folded.month) }
        let month = kept.month
        let records = try await self.storage.monthRecords(month: month)
        guard let old = records.themes.first(where: { $0.id == kept.themeId }),
            let absorbed = records.themes.first(where: { $0.id == folded.themeId })
        else { throw EpicError.notFound(target) }

        // The source's answers join the target's theme after its own, in their order.
        var answers = records.answers.filter { $0.themeId == old.id }.map { EpicPlanner.AnswerRef(responseId: $0.responseId, question: $0.question) }
        var seen = Set(answers)
        for answer in records.answers where answer.themeId == absorbed.id {
            let reference = EpicPlanner.AnswerRef(responseId: answer.responseId, question: answer.question)
            if seen.insert(reference).inserted { answers.append(reference) }
        }
        // The merged theme keeps the stronger delivery boost of the two, and the target's trend.
        var keeping = old.breakdown
        if absorbed.breakdown.deliveryFactor > old.breakdown.deliveryFactor {
            keeping.deliveryMetric = absorbed.breakdown.deliveryMetric
            keeping.deliveryChange = absorbed.breakdown.deliveryChange
        }
        let round = try await self.rounds.round(for: month)
        let breakdown = EpicPlanner.rescore(
            answers: answers, responses: try await self.responses.responses(for: month), definition: round?.definition, keeping: keeping
        )
        let merge = EpicMerge(
            target: target, source: source, targetTheme: old.id, sourceTheme: absorbed.id, breakdown: breakdown,
            keywords: Self.combined(old.keywords, absorbed.keywords), mentions: answers.count,
            ranks: Self.ranks(of: records, after: (target, breakdown), leaving: source)
        )
        try await self.storage.commitMerge(merge, actor: actor, detail: "#\(source) into #\(target) (\(month))")
        return try await self.shown(target, month: month, policy: policy)
    }

    // MARK: - Rules

    /// A label as a first title: "slow ci pipelines" → "Slow ci pipelines".
    static func title(_ label: String) -> String {
        let title = label.prefix(1).uppercased() + label.dropFirst()
        return title.isEmpty ? "Untitled theme" : String(title.prefix(EpicChange.titleLimit))
    }

    /// Two keyword lists as one: weights of shared terms added, strongest first, as long as the first.
    static func combined(_ left: [Themes.Keyword], _ right: [Themes.Keyword]) -> [Themes.Keyword] {
        var weights: [String: Double] = [:]
        for keyword in left + right { weights[keyword.term, default: 0] += keyword.weight }
        return weights.map { Themes.Keyword(term: $0.key, weight: $0.value) }
            .sorted { ($0.weight, $1.term) > ($1.weight, $0.term) }
            .prefix(left.count).map { $0 }
    }

    /// The month's live epics ranked by score (then respondents, then id) once `target` has its new breakdown and
    /// `source` has left the list.
    static func ranks(of records: EpicMonthRecords, after target: (id: Int64, breakdown: ScoreBreakdown), leaving source: Int64) -> [Int64: Int] {
        let themes = Dictionary(uniqueKeysWithValues: records.themes.map { ($0.id, $0) })
        let scored = records.epics.filter { $0.id != source }.map { epic -> (id: Int64, score: Double, respondents: Int) in
            if epic.id == target.id { return (epic.id, target.breakdown.score, target.breakdown.respondents) }
            let theme = themes[epic.themeId]
            return (epic.id, theme?.score ?? 0, theme?.respondents ?? 0)
        }
        let ordered = scored.sorted { ($0.score, $0.respondents, -$0.id) > ($1.score, $1.respondents, -$1.id) }
        return Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($0.element.id, $0.offset + 1) })
    }

    /// A month's epics and strengths from what is stored, with quotes and teams under the anonymity rule.
    static func monthEpics(month: Month, records: EpicMonthRecords, policy: AnonymityPolicy) -> MonthEpics {
        let themes = Dictionary(uniqueKeysWithValues: records.themes.map { ($0.id, $0) })
        var answers: [Int64: [ThemeEvidence.Answer]] = [:]
        for answer in records.answers {
            answers[answer.themeId, default: []].append(ThemeEvidence.Answer(responseId: answer.responseId, team: answer.team, text: answer.text))
        }
        let evidence = answers.mapValues { ThemeEvidence(answers: $0, teamSizes: records.teamSizes, policy: policy) }
        func history(_ theme: StoredTheme) -> ThemeHistory {
            let counts = records.respondentsByMonth[theme.id] ?? []
            let months = Set(counts.map(\.month))
            var running = 0
            var cursor = month
            while months.contains(cursor) {
                running += 1
                cursor = cursor.adding(months: -1)
            }
            let sinceDone = records.lastDone[theme.id].map {
                ThemeHistory.SinceDone(epicId: $0.epicId, month: $0.month, respondentsThen: $0.respondents, respondentsNow: theme.respondents)
            }
            return ThemeHistory(monthsRunning: running, respondentsByMonth: counts, sinceDone: sinceDone)
        }
        let epics = records.epics.compactMap { epic -> Epic? in
            guard let theme = themes[epic.themeId] else { return nil }
            let shown = evidence[theme.id] ?? ThemeEvidence(answers: [], teamSizes: records.teamSizes, policy: policy)
            return Epic(
                id: epic.id, month: month, rank: epic.rank, title: epic.title, label: theme.label, keywords: theme.keywords.prefix(6).map(\.term),
                score: theme.score, breakdown: theme.breakdown, respondents: theme.respondents, mentions: theme.mentions, teams: shown.teams,
                quotes: shown.quotes, quotesWithheld: shown.withheld, status: epic.status, owner: epic.owner, note: epic.note,
                previousId: epic.previousId, history: history(theme), target: epic.target
            )
        }
        let strengths = records.themes.filter { $0.kind == .strength }
            .sorted { ($0.respondents, $1.id) > ($1.respondents, $0.id) }
            .map { Strength(label: $0.label, respondents: $0.respondents, quotes: evidence[$0.id]?.quotes ?? [], history: history($0)) }
        return MonthEpics(
            month: month, responses: records.teamSizes.values.reduce(0, +), anonymityK: policy.k, epics: epics, strengths: strengths
        )
    }

    // MARK: - Reading

    /// An epic that exists and has not been merged away.
    /// A rating target must be a scored question of the round the epic's answers came from.
    private func checkRating(_ question: String, epic id: Int64) async throws {
        let month = try await self.liveEpic(id).month
        let scored = try await self.rounds.round(for: month)?.definition.scoredQuestions.map(\.id) ?? []
        guard scored.contains(question) else { throw EpicError.unknownRating(question, month, scored) }
    }

    private func liveEpic(_ id: Int64) async throws -> StoredEpic {
        guard let epic = try await self.storage.epic(id: id) else { throw EpicError.notFound(id) }
        if let into = epic.mergedInto { throw EpicError.merged(id, into: into) }
        return epic
    }

    private func shown(_ id: Int64, month: Month, policy: AnonymityPolicy) async throws -> Epic {
        guard let epic = try await self.list(month: month, policy: policy).epics.first(where: { $0.id == id }) else {
            throw EpicError.notFound(id)
        }
        return epic
    }
}
