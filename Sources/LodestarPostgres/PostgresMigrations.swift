import Foundation
import Logging
import PostgresNIO

/// Brings a database's schema up to this binary's version, once, however many nodes start at the same moment.
///
/// Applied versions are rows of `lodestar_schema`. Everything runs in one transaction holding a transaction-level
/// advisory lock, so a second node waits for the first and then finds nothing left to do; a failed migration leaves
/// the database as it was.
enum PostgresMigrations {
    /// One version of the schema.
    struct Migration: Sendable {
        var version: Int
        var name: String
        var statements: [String]
    }

    /// Every version, oldest first. Version 7 is SQLite's v1 to v7 in their final shape, so the two backends share
    /// version numbers from here on: a v8 on one side is a v8 on the other.
    static let all: [Migration] = [
        Migration(
            version: 7,
            name: "survey, pipeline, epics, commit history (SQLite v1 to v7)",
            statements: PostgresSchema.survey + PostgresSchema.pipeline + PostgresSchema.commitHistory + PostgresSchema.epics
        ),
        Migration(version: 8, name: "epic status time", statements: PostgresSchema.epicStatusTime),
        Migration(version: 9, name: "admin sessions and epic targets", statements: PostgresSchema.adminSessions),
    ]

    /// The newest version this binary knows.
    static var latestVersion: Int { Self.all.last!.version }

    /// The advisory lock key every Lodestar node takes while it migrates ("Lodestar" in ASCII, as a bigint).
    static let lockKey: Int64 = 0x4C6F_6465_7374_6172

    /// Migrates the database on `connection`, or throws `.notLodestar` / `.schemaTooNew` and changes nothing.
    static func migrate(_ connection: PostgresConnection, url: PostgresURL, logger: Logger) async throws {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
            let known = try await connection.query("SELECT to_regclass('lodestar_schema') IS NOT NULL", logger: logger)
                .collect().first?.decode(Bool.self) ?? false
            if !known {
                let tables = try await connection.query(
                    "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1",
                    logger: logger
                ).collect().map { try $0.decode(String.self) }
                guard tables.isEmpty else {
                    throw PostgresStoreError.notLodestar(host: url.hostAndPort, database: url.database, tables: tables)
                }
                try await connection.query(
                    """
                    CREATE TABLE lodestar_schema (
                        version integer PRIMARY KEY,
                        name text NOT NULL,
                        appliedAt timestamptz NOT NULL DEFAULT now()
                    )
                    """,
                    logger: logger
                )
            }
            let current = try await connection.query("SELECT coalesce(max(version), 0) FROM lodestar_schema", logger: logger)
                .collect().first?.decode(Int.self) ?? 0
            guard current <= Self.latestVersion else {
                throw PostgresStoreError.schemaTooNew(
                    host: url.hostAndPort, database: url.database, found: current, supported: Self.latestVersion
                )
            }
            for migration in Self.all where migration.version > current {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO lodestar_schema (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger
                )
                logger.info("postgres migrated", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            }
        }
    }
}
