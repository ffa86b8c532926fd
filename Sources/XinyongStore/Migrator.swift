import Foundation
import Logging
import SQLKit

/// Applies and checks the schema history in `schema_migrations (id, checksum, applied_at)`.
public struct Migrator: Sendable {
    public let database: StoreDatabase
    public let migrations: [Migration]

    public init(database: StoreDatabase, migrations: [Migration] = Migrations.all) {
        self.database = database
        self.migrations = migrations
    }

    public enum State: Sendable, Equatable {
        case upToDate
        /// The database lacks these migrations: run `xinyong migrate`.
        case behind(pending: [String])
    }

    public struct SchemaError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    private struct AppliedRow: Decodable { var id: String; var checksum: String }

    private func ensureTable() async throws {
        try await database.sql.raw("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                id TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)
            """).run()
    }

    private func applied() async throws -> [AppliedRow] {
        try await database.sql.raw("SELECT id, checksum FROM schema_migrations ORDER BY id").all(decoding: AppliedRow.self)
    }

    /// Compares the database's history with this build's. Throws when the database is newer than
    /// this build or a shipped migration was changed; returns the pending ones otherwise.
    public func check() async throws -> State {
        try await ensureTable()
        let done = try await applied()
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.id, $0) })
        for row in done {
            guard let m = known[row.id] else {
                throw SchemaError(description: "数据库结构比本程序新：迁移 \(row.id) 不为本版本所知。请升级 xinyong 后再启动。")
            }
            guard m.checksum(for: database.dialect) == row.checksum else {
                throw SchemaError(description: "迁移 \(row.id) 的校验和与本程序不一致：已发布的迁移不得修改。")
            }
        }
        let doneIDs = Set(done.map(\.id))
        let pending = migrations.map(\.id).filter { !doneIDs.contains($0) }
        return pending.isEmpty ? .upToDate : .behind(pending: pending)
    }

    /// Applies every pending migration, each in its own transaction. Returns the ids applied.
    @discardableResult
    public func migrate(logger: Logger) async throws -> [String] {
        guard case .behind(let pending) = try await check() else { return [] }
        let dialect = database.dialect
        for id in pending {
            let m = migrations.first { $0.id == id }!
            try await database.transaction { db in
                for statement in m.statements(for: dialect) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.raw("""
                    INSERT INTO schema_migrations (id, checksum, applied_at)
                    VALUES (\(bind: m.id), \(bind: m.checksum(for: dialect)), \(bind: Clock.millis()))
                    """).run()
            }
            logger.info("已应用迁移", metadata: ["migration": .string(id)])
        }
        return pending
    }

    /// Throws unless the schema is exactly the one this build knows: the server's start check.
    public func requireUpToDate() async throws {
        if case .behind(let pending) = try await check() {
            throw SchemaError(description: "数据库结构较旧，缺少迁移：\(pending.joined(separator: ", "))。请先运行 `xinyong migrate`。")
        }
    }
}

enum Clock {
    static func millis(_ date: Date = Date()) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
