import Foundation

/// The public "You said → we did" page and its Atom feed: the epics a lead moved on, the latest change first, each
/// under the anonymity rule of the month it came from. Nothing here names or counts a group under k.
public struct Changes: Sendable, Equatable {
    public var anonymityK: Int
    /// The latest month with epics, against which "now" is counted; nil before any epics were generated.
    public var latestMonth: Month?
    public var entries: [Entry]
    /// The feed's `atom:id`, `urn:uuid:…`, made once per database and kept in its settings.
    public var feedId: String

    /// One moved epic.
    public struct Entry: Sendable, Equatable {
        public var epicId: Int64
        /// The month whose answers raised it.
        public var month: Month
        public var status: EpicStatus
        /// When the status last changed; nil for an epic moved before Lodestar kept the time.
        public var changedAt: Date?
        /// The title; nil when its month had fewer than k responses (`withheld` says so).
        public var title: String?
        /// The lead's note on a dropped epic (why it was dropped); nil otherwise or when withheld.
        public var note: String?
        /// The theme's respondents in `month`; nil when withheld.
        public var respondentsThen: Int?
        /// The month "now" stands for: the latest month with epics, when it is later than `month`.
        public var nowMonth: Month?
        /// The theme's respondents in `nowMonth` (0 when nobody raised it); nil when withheld or there is no later month.
        public var respondentsNow: Int?
        /// Why the title, note and counts are not shown, when they are not.
        public var withheld: String?
        /// Why the count now is not shown, when `nowMonth` had fewer than k responses.
        public var nowWithheld: String?
        /// The Atom entry's id, `urn:uuid:…`: the same for the same epic in the same status, new when the status changes.
        public var entryId: String

        /// The entry's `atom:updated`: the status change, or the start of its month when the time is not known.
        public var updated: Date { self.changedAt ?? self.month.start }
    }

    /// The feed's `atom:updated`: its latest entry's, or 1970-01-01 for an empty feed (a fixed time, so an unchanged
    /// feed reads the same).
    public var updated: Date {
        self.entries.map(\.updated).max() ?? Date(timeIntervalSince1970: 0)
    }
}

extension EpicStatus {
    /// How the public page names the status: "Planned", "In progress", "Done", "Dropped".
    public var displayName: String {
        switch self {
        case .proposed: "Proposed"
        case .planned: "Planned"
        case .inProgress: "In progress"
        case .done: "Done"
        case .dropped: "Dropped"
        }
    }
}
