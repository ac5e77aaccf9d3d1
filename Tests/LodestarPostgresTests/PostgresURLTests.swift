import LodestarPostgres
import Testing

/// Reading `--db postgres://…` values: no server needed.
struct PostgresURLTests {
    @Test func readsEveryPartOfAURL() throws {
        let url = try PostgresURL.parse("postgres://lead:secret@db.example.com:6543/lodestar?sslmode=require")
        #expect(url == PostgresURL(user: "lead", password: "secret", host: "db.example.com", port: 6543, database: "lodestar", sslMode: .require))
    }

    @Test func acceptsThePostgresqlScheme() throws {
        #expect(try PostgresURL.parse("postgresql://lead:secret@db/lodestar").host == "db")
    }

    @Test func usesPort5432AndPreferWhenTheURLNamesNeither() throws {
        let url = try PostgresURL.parse("postgres://lead@db/lodestar")
        #expect(url.port == 5432 && url.sslMode == .prefer && url.password == nil)
    }

    @Test func decodesAPercentEncodedUserAndPassword() throws {
        let url = try PostgresURL.parse("postgres://team%2Blead:p%40ss%3Aw%2Fd%25@db/lodestar")
        #expect(url.user == "team+lead" && url.password == "p@ss:w/d%")
    }

    @Test(arguments: PostgresURL.SSLMode.allCases)
    func readsEverySSLModeAsLibpqSpellsIt(_ mode: PostgresURL.SSLMode) throws {
        #expect(try PostgresURL.parse("postgres://lead@db/lodestar?sslmode=\(mode.rawValue)").sslMode == mode)
    }

    @Test func refusesAnUnknownSSLModeByName() throws {
        #expect(throws: PostgresStoreError.badURL(reason: "unknown sslmode 'always' (one of disable, prefer, require, verify-ca, verify-full)")) {
            try PostgresURL.parse("postgres://lead@db/lodestar?sslmode=always")
        }
    }

    @Test func refusesAnUnknownParameterByName() throws {
        #expect(throws: PostgresStoreError.badURL(reason: "unknown parameter 'connect_timeout' (only sslmode is understood)")) {
            try PostgresURL.parse("postgres://lead@db/lodestar?connect_timeout=3")
        }
    }

    @Test func refusesAURLWithoutDatabase() throws {
        #expect(throws: PostgresStoreError.badURL(reason: "it names no database (postgres://lead@db:5432/DATABASE)")) {
            try PostgresURL.parse("postgres://lead:secret@db")
        }
    }

    @Test func refusesAURLWithoutUser() throws {
        #expect(throws: PostgresStoreError.badURL(reason: "it names no user (postgres://USER:PASSWORD@db/DATABASE)")) {
            try PostgresURL.parse("postgres://db/lodestar")
        }
    }

    @Test func refusesAnotherScheme() throws {
        #expect(throws: PostgresStoreError.badURL(reason: "it must start with postgres:// or postgresql://")) {
            try PostgresURL.parse("mysql://lead:secret@db/lodestar")
        }
    }

    @Test func refusesAPortOutOfRange() throws {
        #expect(throws: PostgresStoreError.self) { try PostgresURL.parse("postgres://lead@db:70000/lodestar") }
    }

    @Test func neverShowsThePasswordWhenPrinted() throws {
        let url = try PostgresURL.parse("postgres://lead:hunter2@db/lodestar")
        #expect(url.redacted == "postgres://lead:***@db:5432/lodestar?sslmode=prefer")
        #expect(!"\(url)".contains("hunter2"))
    }

    @Test func tellsAPostgresURLFromASQLitePath() {
        #expect(PostgresURL.isPostgres("postgresql://x@y/z") && !PostgresURL.isPostgres("./lodestar.sqlite"))
    }
}
