// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Lodestar",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lodestar", targets: ["lodestar"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .target(
            name: "LodestarCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                // SHA-256 of invitation tokens, one definition for both backends.
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "LodestarStore",
            dependencies: [
                "LodestarCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The same storage protocols over PostgreSQL, for teams that run several replicas on one database (issue 17).
        .target(
            name: "LodestarPostgres",
            dependencies: [
                "LodestarCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // The pool's own error type (a tripped circuit breaker means the server is unavailable: 503).
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // OpenBLAS through its CBLAS header (Debian: libopenblas-dev), for the sentence encoder's matrix products.
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "LodestarEmbeddings", dependencies: ["LodestarCore", "COpenBLAS"]),
        .target(
            name: "LodestarReport",
            dependencies: [
                "LodestarCore",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // Announcing a published report (issue 19): a Slack-compatible webhook over AsyncHTTPClient and e-mail over
        // SMTP with STARTTLS, written on SwiftNIO and NIOSSL.
        .target(
            name: "LodestarAnnounce",
            dependencies: [
                "LodestarCore",
                "LodestarReport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "LodestarResources",
            path: "Resources",
            sources: ["LodestarResources.swift"],
            resources: [.copy("templates"), .copy("static"), .copy("openapi.yaml")]
        ),
        .target(
            name: "LodestarServer",
            dependencies: [
                "LodestarCore",
                "LodestarStore",
                "LodestarReport",
                "LodestarResources",
                // The publish button at /admin/report announces the report as `report publish --announce` does.
                "LodestarAnnounce",
                .product(name: "Hummingbird", package: "hummingbird"),
                // The lead's sign-in session at /admin (SessionMiddleware over a store in the database).
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "lodestar",
            dependencies: [
                "LodestarCore",
                "LodestarStore",
                "LodestarReport",
                "LodestarServer",
                "LodestarPostgres",
                "LodestarEmbeddings",
                "LodestarAnnounce",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What the tests share: running a child process (both pipes read at once, EINTR retried), a storm of
        // signals to interrupt reads with, and the sentence model with its one banner when it is missing.
        .target(name: "LodestarTestSupport", dependencies: ["LodestarCore", "LodestarEmbeddings"], path: "Tests/LodestarTestSupport"),
        .testTarget(name: "LodestarCoreTests", dependencies: ["LodestarCore", "LodestarTestSupport"]),
        .testTarget(name: "LodestarEmbeddingsTests", dependencies: ["LodestarCore", "LodestarEmbeddings", "LodestarTestSupport"]),
        .testTarget(name: "LodestarReportTests", dependencies: ["LodestarCore", "LodestarReport"]),
        .testTarget(
            name: "LodestarStoreTests",
            dependencies: [
                "LodestarCore", "LodestarStore", "LodestarTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        // The storage tests (survey, admin, pipeline, epics, the monthly report), run on SQLite and on PostgreSQL
        // (LODESTAR_TEST_POSTGRES_URL).
        .testTarget(
            name: "LodestarPostgresTests",
            dependencies: [
                "LodestarCore", "LodestarStore", "LodestarPostgres", "LodestarReport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "LodestarCLITests", dependencies: ["lodestar", "LodestarCore", "LodestarTestSupport"]),
        // Against a local HTTP receiver and a local aiosmtpd with STARTTLS, never the internet.
        .testTarget(
            name: "LodestarAnnounceTests",
            dependencies: [
                "LodestarCore", "LodestarAnnounce", "LodestarTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "LodestarServerTests",
            dependencies: [
                "LodestarCore",
                "LodestarStore",
                "LodestarServer",
                "LodestarAnnounce",
                "LodestarTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // libFuzzer targets for the input parsers: scripts/fuzz.sh builds them with -sanitize=fuzzer; a plain build
        // gives a binary that replays saved inputs.
        .executableTarget(name: "LodestarFuzz", dependencies: ["LodestarCore"], path: "Fuzz/LodestarFuzz"),
    ]
)
