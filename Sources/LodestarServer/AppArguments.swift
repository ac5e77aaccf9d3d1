import Foundation
import LodestarAnnounce
import LodestarCore

/// What the server needs to start; the `serve` command and tests each provide it.
public protocol AppArguments: Sendable {
    var hostname: String { get }
    var port: Int { get }
    /// Answers a client may post per minute; 0 turns the limit off.
    var rateLimitPerMinute: Int { get }
    /// Seconds on a steady clock, for refilling the per-client limits: the system's uptime unless a caller (a test)
    /// gives its own.
    var rateLimitClock: @Sendable () -> Double { get }
    /// A resources folder to use instead of the one beside the binary.
    var resourcesPath: String? { get }
    /// Webhook secrets and rules.
    var pipelineSettings: PipelineSettings { get throws }
    /// The folder `report publish` writes to, served at /reports/.
    var reportsPath: String { get }
    /// The bearer token of admin endpoints (`LODESTAR_ADMIN_TOKEN`); nil closes them.
    var adminToken: String? { get }
    /// The anonymity threshold (`LODESTAR_ANONYMITY_K`) applied to everything the server shows.
    var anonymityPolicy: AnonymityPolicy { get throws }
    /// The folder of survey definitions the lead can open rounds of at /admin/rounds.
    var surveysPath: String { get }
    /// The sentence encoder for generating epics at /admin/epics, loaded on first use; nil means themes by words.
    var themeEmbedder: @Sendable () -> (any TextEmbedder)? { get }
    /// Where the publish button announces a report (`LODESTAR_SLACK_WEBHOOK_URL`, `LODESTAR_SMTP_URL`, …).
    var announceSettings: AnnounceSettings { get throws }
}

extension AppArguments {
    /// From the process environment unless a caller provides its own.
    public var pipelineSettings: PipelineSettings {
        get throws { try PipelineSettings(environment: ProcessInfo.processInfo.environment) }
    }

    public var reportsPath: String { "reports" }

    public var surveysPath: String { "surveys" }

    public var themeEmbedder: @Sendable () -> (any TextEmbedder)? { { nil } }

    public var rateLimitClock: @Sendable () -> Double { { ProcessInfo.processInfo.systemUptime } }

    public var announceSettings: AnnounceSettings {
        get throws { try AnnounceSettings(environment: ProcessInfo.processInfo.environment) }
    }

    public var adminToken: String? { ProcessInfo.processInfo.environment["LODESTAR_ADMIN_TOKEN"]?.nilIfEmpty }

    public var anonymityPolicy: AnonymityPolicy {
        get throws { try AnonymityPolicy(environment: ProcessInfo.processInfo.environment) }
    }
}

/// Limits the server applies to what it reads.
public enum ServerLimits {
    /// Largest survey answer body, form or JSON.
    public static let responseBodyBytes = 64 * 1024
    /// Default answers per client per minute.
    public static let defaultRateLimit = 20
}
