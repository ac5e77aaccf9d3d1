import Foundation
import Hummingbird
import LodestarCore
import LodestarResources
import LodestarStore
import Logging
import ServiceLifecycle

/// Builds the server: every dependency is created here and handed to the controllers.
/// - Parameters:
///   - arguments: where to listen and what to open.
///   - database: an already opened database (tests pass an in-memory one); nil opens `arguments.databasePath`.
public func buildApplication(
    _ arguments: some AppArguments,
    database: AppDatabase? = nil,
    logger: Logger = Logger(label: "lodestar")
) async throws -> some ApplicationProtocol {
    let database = try database ?? AppDatabase.open(path: arguments.databasePath)
    let router = try await buildRouter(arguments, database: database)
    let checkpoints = try WALCheckpoints(taking: database).map { CheckpointService(checkpoints: $0, logger: logger) }

    return Application(
        router: router,
        configuration: .init(address: .hostname(arguments.hostname, port: arguments.port), serverName: "Lodestar"),
        services: checkpoints.map { [$0] } ?? [],
        logger: logger
    )
}

/// Every route of the server over `database`. Apart from `buildApplication` so that tests can list the routes
/// (`Router.routes`) and compare them with `openapi.yaml`.
public func buildRouter(_ arguments: some AppArguments, database: AppDatabase) async throws -> Router<AppRequestContext> {
    let resources = try LodestarResources.directory(override: arguments.resourcesPath)
    let templates = try await Templates.load(from: resources)
    let csrf = CSRFProtection(keyHex: try await database.setting("csrfKey", orInsert: CSRFProtection.newKeyHex))
    let service = database.surveyService()
    let rateLimiter = RateLimiter(perMinute: arguments.rateLimitPerMinute)
    let metrics = ServerMetrics()

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: RequestLoggingMiddleware())
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
    PrometheusController(metrics: metrics, access: AdminAccess(adminToken: arguments.adminToken)).addRoutes(to: router.group())
    HomeController(service: service, database: database, templates: templates).addRoutes(to: router.group())
    try OpenAPIController.load(from: resources).addRoutes(to: router.group())
    SurveyFormController(service: service, templates: templates, csrf: csrf, rateLimiter: rateLimiter, metrics: metrics).addRoutes(to: router.group())
    ResponsesController(service: service, rateLimiter: rateLimiter, metrics: metrics).addRoutes(to: router.group("api/v1"))
    let pipeline = PipelineSQLiteRepository(database: database)
    let settings = try arguments.pipelineSettings
    try settings.webhooks.validate()
    WebhooksController(pipeline: pipeline, settings: settings, metrics: metrics).addRoutes(to: router)
    PipelineController(pipeline: pipeline, settings: settings, metrics: metrics).addRoutes(to: router.group("api/v1"))
    EpicsController(epics: EpicSQLiteRepository(database: database), adminToken: arguments.adminToken, policy: try arguments.anonymityPolicy)
        .addRoutes(to: router.group("api/v1"))
    ReportsController(
        database: database, folder: URL(fileURLWithPath: arguments.reportsPath, isDirectory: true), policy: try arguments.anonymityPolicy,
        rework: settings.rework, templates: templates
    ).addRoutes(to: router.group("reports"))
    return router
}
