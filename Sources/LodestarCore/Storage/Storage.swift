import Foundation

/// Where Lodestar keeps its data: one value per backend (SQLite or PostgreSQL), holding the repositories, which
/// only store. `Services` builds the use cases over it.
public protocol Storage: Sendable {
    var rounds: any RoundRepository { get }
    var invites: any InviteRepository { get }
    var responses: any ResponseRepository { get }
    var pipeline: any PipelineRepository { get }
    var epics: any EpicStorage { get }
    var admin: any AdminRepository { get }
    /// Whole-database reading and writing, for `lodestar db copy`.
    var copying: any DatabaseCopying { get }
    /// Where the data is, for messages: a file path, or a URL without its password.
    var location: String { get }
    /// Imports files of pipeline records (`lodestar ingest`) in one transaction, recorded in the audit log as
    /// `actor`'s: bad records are skipped and reported, or with `strict` the first one stores nothing at all.
    /// `progress` is called now and then with the lines and bytes read so far.
    func importPipeline(
        _ sources: [IngestSource], strict: Bool, actor: String, options: WebhookOptions, progress: @escaping @Sendable (Int, Int) -> Void
    ) async throws -> IngestSummary
        /// Checks the backend answers (the health check); throws when it does not.
    func ping() async throws
    /// Ends the backend's connections; nothing may be used afterwards.
    func close() async
}

/// The use cases over one storage, built once by the composition root (the server's `buildApplication`, each
/// command's `--db`) and handed to whatever needs them.
public struct Services: Sendable {
    public let storage: any Storage
    public let epics: EpicService
    public let reports: ReportService
    public let pipeline: PipelineService
    /// The public "You said → we did" page and feed.
    public let changes: ChangesService

    public init(storage: any Storage) {
        self.storage = storage
        self.epics = EpicService(storage: storage.epics, rounds: storage.rounds, responses: storage.responses)
        self.reports = ReportService(rounds: storage.rounds, responses: storage.responses, epicStorage: storage.epics, pipeline: storage.pipeline)
        self.pipeline = PipelineService(repository: storage.pipeline)
        self.changes = ChangesService(rounds: storage.rounds, epics: storage.epics, admin: storage.admin)
    }

    /// The survey use cases; `now` sets the clock answers are dated by (the demo backdates them).
    public func survey(now: @escaping @Sendable () -> Date = Date.init) -> SurveyService {
        SurveyService(rounds: self.storage.rounds, invites: self.storage.invites, responses: self.storage.responses, now: now)
    }
}

/// A storage failure that says nothing about the request: the database is restarting or out of reach. The server
/// answers it with 503 and the request can be sent again; nothing of it was written.
public protocol StorageUnavailableError: Error, CustomStringConvertible {
    /// Whether this error is of that kind (a backend's error type may have other cases too).
    var isUnavailable: Bool { get }
}
