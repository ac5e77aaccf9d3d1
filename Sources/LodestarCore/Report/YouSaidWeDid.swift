import Foundation

/// "You said → we did": what became of the epics a lead moved on. One rule for the monthly report's section and the
/// public `/changes` page and its feed.
public enum YouSaidWeDid {
    /// Whether what a month's answers made may be shown: an epic's title is built from its month's answers and its
    /// respondents are of them, so it shows only when that month had at least k responses (a month without a round
    /// has none).
    public static func shows(_ month: Month, rounds: [RoundSummary], policy: AnonymityPolicy) -> Bool {
        policy.allows(rounds.first { $0.month == month }?.responses ?? 0)
    }

    /// Each moved epic with its theme's respondents in its own month and in `month` (0 when nobody raised the theme
    /// then), from `themes`, which must hold `month`'s.
    public static func outcomes(_ moved: [(epic: StoredEpic, theme: StoredTheme)], now themes: [StoredTheme], month: Month) -> [EpicOutcomeInput] {
        moved.map { epic, theme in
            EpicOutcomeInput(
                epicId: epic.id, month: epic.month, title: epic.title, status: epic.status, owner: epic.owner,
                respondentsThen: theme.respondents, respondentsNow: Self.respondents(of: theme, in: month, themes: themes),
                // The lead's target overrides the automatic link; a rating target has no delivery figure here.
                metric: epic.target.map(\.metric) ?? theme.breakdown.deliveryMetric
            )
        }
    }

    /// The largest respondent count of `theme`'s identity and kind among `themes` of `month`, 0 when none.
    static func respondents(of theme: StoredTheme, in month: Month, themes: [StoredTheme]) -> Int {
        themes.filter { $0.month == month && $0.identity == theme.identity && $0.kind == theme.kind }.map(\.respondents).max() ?? 0
    }
}
