import Foundation
import SQLKit
import Testing
import XinyongApp
import XinyongStore
import XinyongTestSupport

/// Settings: their order of precedence, their checks, and the SQLite memory map reaching the
/// connections (none unless asked for).
@Suite("Configuration")
struct ConfigTests {
    @Test func flagsBeatTheEnvironmentWhichBeatsTheFileWhichBeatsDefaults() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("xinyong-config-\(UUID().uuidString).json")
        try Data(#"{"port": 9001, "site_name": "信用清水", "db_pool_size": 3}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let c = try AppConfig.load(flags: ["port": "9003"], environment: ["XINYONG_PORT": "9002", "XINYONG_DB_POOL_SIZE": "5"], configFile: file.path)
        #expect(c.port == 9003 && c.dbPoolSize == 5 && c.siteName == "信用清水" && c.host == "127.0.0.1")
    }

    @Test func theMemoryMapIsUnsetUnlessGivenAndChecked() throws {
        #expect(try AppConfig.load(flags: [:], environment: [:]).sqliteMmapMB == nil)
        #expect(try AppConfig.load(flags: [:], environment: ["XINYONG_SQLITE_MMAP_MB": "256"]).sqliteMmapMB == 256)
        #expect(try AppConfig.load(flags: [:], environment: ["XINYONG_SQLITE_MMAP_MB": "0"]).sqliteMmapMB == 0)
        for bad in ["-1", "65537", "1GB"] {
            let error = #expect(throws: AppConfig.ConfigError.self) {
                _ = try AppConfig.load(flags: [:], environment: ["XINYONG_SQLITE_MMAP_MB": bad])
            }
            #expect(error?.description.contains("sqlite_mmap_mb") == true && error?.description.contains("XINYONG_SQLITE_MMAP_MB") == true)
        }
    }

    /// The server's connections read without a memory map; a configured one reaches every connection.
    @Test(.enabled(if: TestBackend.dialect == .sqlite, "a SQLite setting"))
    func theMemoryMapReachesTheConnections() async throws {
        struct Row: Decodable { var mmap_size: Int64 }
        for (setting, bytes) in [(nil, Int64(0)), ("64", Int64(64 << 20))] as [(String?, Int64)] {
            let extra = setting.map { ["sqlite_mmap_mb": $0] } ?? [:]
            try await TestBackend.withPlatform(extra: extra) { p in
                let sizes = try await withThrowingTaskGroup(of: Int64.self) { group in
                    // Several at once, so that more than one pooled connection answers.
                    for _ in 0..<4 {
                        group.addTask { try await p.database.sql.raw("PRAGMA mmap_size").first(decoding: Row.self)?.mmap_size ?? -1 }
                    }
                    return try await group.reduce(into: [Int64]()) { $0.append($1) }
                }
                #expect(sizes.count == 4 && sizes.allSatisfy { $0 == bytes }, "\(setting ?? "unset"): \(sizes)")
            }
        }
    }
}
