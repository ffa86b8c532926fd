import Foundation
import PostgresKit
import PostgresNIO
import SQLKit
import Testing
@testable import XinyongStore
import XinyongTestSupport

/// Database URLs: TCP and, as libpq writes it, PostgreSQL's Unix socket on the same machine.
@Suite("Database location")
struct DatabaseLocationTests {
    @Test func postgresOverItsUnixSocketAsLibpqWritesIt() throws {
        let url = "postgres://xinyong:s3cret@/credit?host=/run/postgresql"
        #expect(try DatabaseLocation(url: url) == .postgres(url: url))
        let c = try StoreDatabase.postgresConfiguration(url)
        #expect(c.coreConfiguration.unixSocketPath == "/run/postgresql/.s.PGSQL.5432")
        #expect(c.coreConfiguration.host == nil)
        #expect(c.coreConfiguration.username == "xinyong" && c.coreConfiguration.password == "s3cret")
        #expect(c.coreConfiguration.database == "credit")
        // The port names the socket file, as a parameter or after the @.
        #expect(try StoreDatabase.postgresConfiguration("postgres://xinyong@/credit?host=/tmp/pg&port=5433").coreConfiguration.unixSocketPath
                == "/tmp/pg/.s.PGSQL.5433")
        #expect(try StoreDatabase.postgresConfiguration("postgresql://xinyong@:5434/credit?host=/tmp/pg").coreConfiguration.unixSocketPath
                == "/tmp/pg/.s.PGSQL.5434")
        // The password never reaches the log.
        #expect(!(try DatabaseLocation(url: url)).description.contains("s3cret"))
    }

    @Test func postgresOverTCPIsUnchanged() throws {
        let c = try StoreDatabase.postgresConfiguration("postgres://xinyong@db.example:6543/credit?sslmode=disable")
        #expect(c.coreConfiguration.host == "db.example" && c.coreConfiguration.port == 6543)
        #expect(c.coreConfiguration.unixSocketPath == nil && c.coreConfiguration.database == "credit")
    }

    @Test func addressesWithoutAServerAreRefusedWithAMessage() {
        for url in ["postgres://xinyong@/credit", "postgres:///credit?host=/run/postgresql", "postgres://xinyong@/credit?host=run/postgresql",
                    "postgres://xinyong@/credit?host=/run/postgresql&port=54x2", "postgres://xinyong@/credit?host=/run/postgresql&port=0",
                    "mysql://x@y/z"] {
            #expect(throws: DatabaseLocation.LocationError.self, "\(url)") { try DatabaseLocation(url: url) }
        }
    }

    static let socketDirectory = ProcessInfo.processInfo.environment["XINYONG_TEST_POSTGRES_SOCKET_DIR"].flatMap { $0.isEmpty ? nil : $0 }

    /// On the PostgreSQL test run, which starts its server with a socket directory: the platform's
    /// database opened through the socket, migrated and read.
    @Test(.enabled(if: TestBackend.postgresURL != nil && socketDirectory != nil, "needs the test command's PostgreSQL and its socket directory"))
    func opensThroughTheSocketOfTheTestServer() async throws {
        let dir = try #require(Self.socketDirectory)
        let tcp = try #require(URLComponents(string: try await TestBackend.freshDatabaseURL()))
        let port = try #require(tcp.port)
        let url = "postgres://postgres@/\(tcp.path.dropFirst())?host=\(dir)&port=\(port)"
        let db = try await StoreDatabase.open(try DatabaseLocation(url: url), poolSize: 1, logger: TestBackend.logger)
        try await Migrator(database: db).migrate(logger: TestBackend.logger)
        #expect(try await Migrator(database: db).check() == .upToDate)
        #expect(try await db.sql.raw("SELECT current_database() AS name").first(decodingColumn: "name", as: String.self) == String(tcp.path.dropFirst()))
        try await db.close()
    }
}
