import Foundation
import Logging
import SQLKit
import XinyongApp
import XinyongCore
import XinyongStore

/// The database the suite runs against: SQLite by default; PostgreSQL when the test command
/// sets `XINYONG_TEST_POSTGRES_URL` (it starts a throwaway server on loopback). Every test gets
/// a fresh, migrated database of its own.
public enum TestBackend {
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["XINYONG_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var dialect: Dialect { postgresURL == nil ? .sqlite : .postgres }

    public static let logger: Logger = {
        var l = Logger(label: "xinyong.test")
        l.logLevel = .warning
        return l
    }()

    /// A random 32-byte data key, base64.
    public static func dataKey() -> String {
        var rng = SystemRandomNumberGenerator()
        return Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }).base64EncodedString()
    }

    /// A new empty database on the current backend, as a `database_url`.
    public static func freshDatabaseURL() async throws -> String {
        if let pg = postgresURL {
            precondition(pg.contains("127.0.0.1") || pg.contains("localhost"), "tests only run against a local PostgreSQL")
            let name = "xt_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let admin = try await StoreDatabase.open(try DatabaseLocation(url: pg), poolSize: 1, logger: logger)
            try await admin.sql.raw("CREATE DATABASE \(ident: name)").run()
            try await admin.close()
            var c = URLComponents(string: pg)!
            c.path = "/" + name
            return c.string!
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xinyong-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return "sqlite://" + dir.appendingPathComponent("test.sqlite").path
    }

    /// A configuration for tests: fast bcrypt, no demo data, a fresh database and key.
    public static func config(databaseURL: String, extra: [String: String] = [:]) throws -> AppConfig {
        var flags = ["database_url": databaseURL, "data_key": dataKey(), "bcrypt_cost": "4", "demo_subjects": "0",
                     "cookie_secure": "false", "admin_password": "test-admin-password", "site_name": "信用测试",
                     // The HTTP tests call pages in quick succession from one client; the limit has its own test.
                     "public_rate_per_minute": "0",
                     // Tests read the figures right after changing the data.
                     "figures_cache_seconds": "0"]
        for (k, v) in extra { flags[k] = v }
        return try AppConfig.load(flags: flags, environment: [:])
    }

    /// Runs `body` with a freshly migrated platform, closing it afterwards.
    public static func withPlatform<T>(extra: [String: String] = [:], _ body: (Platform) async throws -> T) async throws -> T {
        let config = try config(databaseURL: try await freshDatabaseURL(), extra: extra)
        let platform = try await Platform.open(config, schema: .migrateAll, logger: logger)
        do {
            let r = try await body(platform)
            await platform.close()
            return r
        } catch {
            await platform.close()
            throw error
        }
    }
}

/// Published and generated identifiers used across the suites.
public enum Fixtures {
    /// Real, published credit codes whose check characters hold (domain-rules §9.1).
    public static let validUSCCs = ["91350200776049653A", "9135021359498494XQ"]
    /// An early pilot code in real use that fails its check character (domain-rules §9.1).
    public static let pilotUSCC = "91350203M0001QAY9B"
    /// The GB 11643 example identity number (北京市朝阳区, 1949-12-31, female).
    public static let residentID = "11010519491231002X"
}
