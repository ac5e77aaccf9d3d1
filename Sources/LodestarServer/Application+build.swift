import Foundation
import Hummingbird
import HummingbirdAuth
import LodestarAnnounce
import LodestarCore
import LodestarResources
import LodestarStore
import Logging
import ServiceLifecycle

/// Builds the server: every dependency is created here and handed to the controllers.
/// - Parameters:
///   - arguments: where to listen.
///   - storage: the opened backend (the command line opens `--db`; tests pass an in-memory SQLite one).
public func buildApplication(
    _ arguments: some AppArguments,
    storage: any Storage,
    logger: Logger = Logger(label: "lodestar")
) async throws -> some ApplicationProtocol {
    let router = try await buildRouter(arguments, services: Services(storage: storage))
    // SQLite's write-ahead log is checkpointed beside the server; PostgreSQL looks after its own.
    let checkpoints = try (storage as? SQLiteStorage).flatMap { try WALCheckpoints(taking: $0.database) }
        .map { CheckpointService(checkpoints: $0, logger: logger) }

    return Application(
        router: router,
        configuration: .init(address: .hostname(arguments.hostname, port: arguments.port), serverName: "Lodestar"),
        services: checkpoints.map { [$0] } ?? [],
        logger: logger
    )
}

/// Every route of the server over `services`. Apart from `buildApplication` so that tests can list the routes
/// (`Router.routes`) and compare them with `openapi.yaml`.
public func buildRouter(_ arguments: some AppArguments, services: Services) async throws -> Router<AppRequestContext> {
    let resources = try LodestarResources.directory(override: arguments.resourcesPath)
    let templates = try await Templates.load(from: resources)
    let csrf = CSRFProtection(keyHex: try await services.storage.admin.setting("csrfKey", orInsert: CSRFProtection.newKeyHex))
    let service = services.survey()
    let rateLimiter = RateLimiter(perMinute: arguments.rateLimitPerMinute, clock: arguments.rateLimitClock)
    let metrics = ServerMetrics()

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: RequestLoggingMiddleware())
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
    router.add(middleware: StorageUnavailableMiddleware())
    let routeMethods = RouteMethods()
    router.add(middleware: MethodNotAllowedMiddleware(routes: routeMethods))
    // The lead's session: read from its cookie when one is sent (other requests never touch the store).
    router.add(middleware: SecureSessionCookieMiddleware())
    router.add(
        middleware: SessionMiddleware<AppRequestContext>(storage: StorageSessionDriver(admin: services.storage.admin), configuration: AdminSessionRules.configuration)
    )
    PrometheusController(metrics: metrics, access: AdminAccess(adminToken: arguments.adminToken)).addRoutes(to: router.group())
    HomeController(service: service, storage: services.storage, templates: templates).addRoutes(to: router.group())
    try OpenAPIController.load(from: resources).addRoutes(to: router.group())
    SurveyFormController(service: service, templates: templates, csrf: csrf, rateLimiter: rateLimiter, metrics: metrics).addRoutes(to: router.group())
    ResponsesController(service: service, rateLimiter: rateLimiter, metrics: metrics).addRoutes(to: router.group("api/v1"))
    let pipeline = services.storage.pipeline
    let settings = try arguments.pipelineSettings
    try settings.webhooks.validate()
    WebhooksController(pipeline: pipeline, settings: settings, metrics: metrics).addRoutes(to: router)
    PipelineController(pipeline: pipeline, settings: settings, metrics: metrics).addRoutes(to: router.group("api/v1"))
    EpicsController(epics: services.epics, adminToken: arguments.adminToken, policy: try arguments.anonymityPolicy)
        .addRoutes(to: router.group("api/v1"))
    AuditController(admin: services.storage.admin, access: AdminAccess(adminToken: arguments.adminToken)).addRoutes(to: router.group("api/v1"))
    ReportsController(
        reports: services.reports, folder: URL(fileURLWithPath: arguments.reportsPath, isDirectory: true), policy: try arguments.anonymityPolicy,
        rework: settings.rework, templates: templates, access: AdminAccess(adminToken: arguments.adminToken)
    ).addRoutes(to: router.group("reports"))
    ChangesController(changes: services.changes, policy: try arguments.anonymityPolicy, templates: templates).addRoutes(to: router.group())
    AdminController(
        services: services, templates: templates, csrf: csrf, adminToken: arguments.adminToken, signInFailures: RateLimiter(perMinute: 5, refillPerMinute: 0.2, clock: arguments.rateLimitClock),
        policy: try arguments.anonymityPolicy, rework: settings.rework, reportsFolder: URL(fileURLWithPath: arguments.reportsPath, isDirectory: true),
        surveysFolder: URL(fileURLWithPath: arguments.surveysPath, isDirectory: true), embedder: arguments.themeEmbedder,
        announcer: Announcer(settings: try arguments.announceSettings)
    ).addRoutes(to: router.group("admin"))
    routeMethods.set(router.routes.map { ($0.path.description, $0.method) })
    return router
}
