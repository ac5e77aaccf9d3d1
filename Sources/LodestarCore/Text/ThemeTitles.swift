import Foundation

/// Titles for themes in the respondents' own words, of the kind a lead writes on an epic ("Slow CI builds").
///
/// A title is a phrase of 2 to 6 words taken from the theme's answers: a run of words inside one clause (split at
/// sentence punctuation, commas, emoji and bare numbers) that neither starts nor ends with a stop word, a light verb
/// or a filler ("honestly"), does not end with a negation or a "-ly" adverb, and holds no word twice. Phrases match
/// by their stems, so "slow build" and "slow builds" count together, and are shown in their commonest written form.
/// A phrase's distinctiveness is `closeness-weighted share of the theme's answers × ln(lift against all answers)`,
/// where an answer weighs more the closer it sits to the theme's centre; its score is that times the mean
/// distinctiveness of its words (phrases are rare in short answers), a little more for each word past two.
///
/// Fallbacks, in order: a phrase in at least two answers; one from the most central answer; one from the closest
/// answer that has one; only when the theme's answers are single words or emoji, a single distinctive word; with no
/// words at all, the most central answer as written (emoji); "No answers" for a theme without members. Themes are
/// titled in order, each avoiding a title already taken and, where it can, the head (last) word of one; a title that
/// would still repeat another gets " (2)", " (3)"…
public enum ThemeTitles {
    static let maxWords = 6

    /// One title per theme. `members[t]` are indices into `texts`, closest to theme t's centre first, and
    /// `similarity[t][i]` is the cosine of `members[t][i]` to that centre (missing values count as 0).
    public static func titles(texts: [String], members: [[Int]], similarity: [[Float]]) -> [String] {
        var index = PhraseIndex()
        for text in texts { index.add(text) }
        index.build()
        var ranked: [[Candidate]] = []
        for (theme, positions) in members.enumerated() {
            let valid = positions.filter { texts.indices.contains($0) }
            let similarities = theme < similarity.count ? similarity[theme] : []
            let weights = positions.indices.compactMap { rank -> Float? in
                guard texts.indices.contains(positions[rank]) else { return nil }
                return 0.25 + max(0, rank < similarities.count ? similarities[rank] : 0)
            }
            ranked.append(index.candidates(members: valid, weights: weights))
        }
        var titles: [String] = []
        var usedNodes: Set<Int32> = []
        var usedHeads: Set<Int32> = []
        for (theme, candidates) in ranked.enumerated() {
            let valid = members[theme].filter { texts.indices.contains($0) }
            let fresh = candidates.filter { !usedNodes.contains($0.node) }
            let best = fresh.max { lhs, rhs in
                let left = lhs.score * (usedHeads.contains(index.nodeStem[Int(lhs.node)]) ? 0.5 : 1)
                let right = rhs.score * (usedHeads.contains(index.nodeStem[Int(rhs.node)]) ? 0.5 : 1)
                return (left, rhs.node) < (right, lhs.node)
            } ?? candidates.first
            if let best {
                usedNodes.insert(best.node)
                usedHeads.insert(index.nodeStem[Int(best.node)])
                titles.append(index.surface(of: best.node, in: valid.filter { index.holds($0, best.node) }.map { texts[$0] }))
            } else if valid.isEmpty {
                titles.append("No answers")
            } else {
                let written = valid.map { texts[$0] }.first { !$0.allSatisfy(\.isWhitespace) } ?? ""
                titles.append(Self.asWritten(written))
            }
        }
        return Self.unique(titles)
    }

    /// An answer without words (emoji only), trimmed to a few symbols.
    static func asWritten(_ text: String) -> String {
        let parts = text.split(whereSeparator: \.isWhitespace).prefix(Self.maxWords)
        let joined = parts.joined(separator: " ")
        return joined.isEmpty ? "Untitled theme" : PhraseIndex.capitalisingFirst([String(joined.prefix(40))])[0]
    }

    /// Numbers a title that another theme of the month already has.
    static func unique(_ titles: [String]) -> [String] {
        var seen: Set<String> = []
        return titles.map { title in
            var candidate = title
            var number = 2
            while seen.contains(candidate.lowercased()) {
                candidate = "\(title) (\(number))"
                number += 1
            }
            seen.insert(candidate.lowercased())
            return candidate
        }
    }
}

/// A phrase a theme could be titled by, and how well it fits.
struct Candidate {
    var node: Int32
    var score: Float
}
