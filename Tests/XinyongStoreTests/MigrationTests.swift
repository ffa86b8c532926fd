import Foundation
import SQLKit
import Testing
import XinyongApp
import XinyongCore
import XinyongStore
import XinyongTestSupport

@Suite("Migrations")
struct MigrationTests {
    func openEmpty() async throws -> StoreDatabase {
        try await StoreDatabase.open(try DatabaseLocation(url: try await TestBackend.freshDatabaseURL()), logger: TestBackend.logger)
    }

    @Test func emptyDatabaseIsBehindThenCurrent() async throws {
        let db = try await openEmpty()
        let m = Migrator(database: db)
        #expect(try await m.check() == .behind(pending: Migrations.all.map(\.id)))
        await #expect(throws: Migrator.SchemaError.self) { try await m.requireUpToDate() }
        #expect(try await m.migrate(logger: TestBackend.logger) == Migrations.all.map(\.id))
        #expect(try await m.check() == .upToDate)
        #expect(try await m.migrate(logger: TestBackend.logger).isEmpty)
        try await db.close()
    }

    @Test func newerDatabaseIsRefused() async throws {
        let db = try await openEmpty()
        try await Migrator(database: db).migrate(logger: TestBackend.logger)
        try await db.sql.raw("INSERT INTO schema_migrations (id, checksum, applied_at) VALUES ('9999-from-the-future', 'x', 0)").run()
        await #expect(throws: Migrator.SchemaError.self) { _ = try await Migrator(database: db).check() }
        try await db.close()
    }

    @Test func editedMigrationIsRefused() async throws {
        let db = try await openEmpty()
        try await Migrator(database: db).migrate(logger: TestBackend.logger)
        try await db.sql.raw("UPDATE schema_migrations SET checksum = 'edited'").run()
        await #expect(throws: Migrator.SchemaError.self) { _ = try await Migrator(database: db).check() }
        try await db.close()
    }

    @Test func serverRefusesAPartlyMigratedDatabase() async throws {
        let url = try await TestBackend.freshDatabaseURL()
        let db = try await StoreDatabase.open(try DatabaseLocation(url: url), logger: TestBackend.logger)
        let partial = Migrator(database: db, migrations: Array(Migrations.all.prefix(1)))
        try await partial.migrate(logger: TestBackend.logger)
        try await db.close()
        // An older database (some migrations applied, not all) is never auto-migrated by `serve`.
        let error = await #expect(throws: Migrator.SchemaError.self) {
            let p = try await Platform.open(try TestBackend.config(databaseURL: url), schema: .migrateIfEmpty, logger: TestBackend.logger)
            await p.close()
        }
        #expect(error?.description.contains("xinyong migrate") == true)
    }

    /// 0022 copies each subject's name key into its bigram entries; name search then finds the
    /// subjects registered before it, by any part of their names.
    @Test func nameGramsCarryTheNameAfterMigrating() async throws {
        let db = try await openEmpty()
        let before = Array(Migrations.all.prefix { $0.id != "0022-name-grams-carry-the-name" })
        #expect(before.count < Migrations.all.count)
        try await Migrator(database: db, migrations: before).migrate(logger: TestBackend.logger)
        let names = [(Int64(1), "厦门甲乙科技有限公司"), (2, "集美区丙丁食品店")]
        for (id, name) in names {
            try await db.sql.raw("""
                INSERT INTO subjects (id, kind, code_key, code_display, name, name_key, status, code_check_failed, synthetic,
                                      version, created_at, updated_at, created_by, updated_by)
                VALUES (\(bind: id), 'enterprise', \(bind: "C\(id)"), \(bind: "C\(id)"), \(bind: name), \(bind: name), 'active',
                        \(bind: false), \(bind: false), 1, 0, 0, 'test', 'test')
                """).run()
            for g in SearchText.bigrams(name) {
                try await db.sql.raw("INSERT INTO subject_name_grams (gram, subject_id) VALUES (\(bind: g), \(bind: id))").run()
            }
        }
        try await Migrator(database: db).migrate(logger: TestBackend.logger)
        struct Gram: Decodable { var subject_id: Int64; var name_key: String }
        let grams = try await db.sql.raw("SELECT subject_id, name_key FROM subject_name_grams").all(decoding: Gram.self)
        #expect(grams.count == names.map { SearchText.bigrams($0.1).count }.reduce(0, +))
        #expect(grams.allSatisfy { g in names.first { $0.0 == g.subject_id }?.1 == g.name_key })
        try await db.close()
    }

    /// 0019 rebuilds the SQLite leaf table keyed by its index: logged leaves survive byte for byte,
    /// and the index is the table's own key (no second index beside the rowid).
    @Test func leavesKeepTheirDataWhenKeyedByIndex() async throws {
        let db = try await openEmpty()
        let before = Array(Migrations.all.prefix { $0.id != "0019-leaves-keyed-by-index" })
        #expect(before.count < Migrations.all.count)
        try await Migrator(database: db, migrations: before).migrate(logger: TestBackend.logger)
        let leaves: [(Int64, Int64, String)] = [(0, 1, #"{"seq":1,"x":"甲"}"#), (1, -1, #"{"seq":-1}"#), (2, 2, #"{"seq":2,"q":"\"\\"}"#)]
        for (idx, seq, data) in leaves {
            try await db.sql.raw("INSERT INTO ledger_leaves (idx, seq, data) VALUES (\(bind: idx), \(bind: seq), \(bind: data))").run()
        }
        try await Migrator(database: db).migrate(logger: TestBackend.logger)
        struct Row: Decodable, Equatable { var idx: Int64; var seq: Int64; var data: String }
        let after = try await db.sql.raw("SELECT idx, seq, data FROM ledger_leaves ORDER BY idx").all(decoding: Row.self)
        #expect(after == leaves.map { Row(idx: $0.0, seq: $0.1, data: $0.2) })
        if db.dialect == .sqlite {
            struct Index: Decodable { var name: String; var unique: Int }
            let indexes = try await db.sql.raw("SELECT name, \"unique\" FROM pragma_index_list('ledger_leaves')").all(decoding: Index.self)
            #expect(indexes.count == 1)   // seq's UNIQUE only
            struct Key: Decodable { var pk: Int; var type: String }
            let key = try await db.sql.raw("SELECT pk, type FROM pragma_table_info('ledger_leaves') WHERE name = 'idx'").all(decoding: Key.self)
            #expect(key.first?.pk == 1 && key.first?.type == "INTEGER")
        }
        // The leaf numbering still refuses a duplicate index.
        await #expect(throws: (any Error).self) {
            try await db.sql.raw("INSERT INTO ledger_leaves (idx, seq, data) VALUES (1, 9, 'x')").run()
        }
        try await db.close()
    }

    @Test func checksumsFollowTheExpandedStatements() {
        for m in Migrations.all {
            #expect(m.checksum(for: .sqlite) == m.checksum(for: .sqlite))
            // Checksums differ exactly when the expanded statements do.
            #expect((m.checksum(for: .sqlite) == m.checksum(for: .postgres)) == (m.statements(for: .sqlite) == m.statements(for: .postgres)))
            #expect(m.statements(for: .postgres).allSatisfy { !$0.contains("{") })
        }
    }

    /// Migrates an empty SQLite and an empty PostgreSQL database and compares tables and columns.
    @Test(.enabled(if: TestBackend.postgresURL != nil, "needs the test command's PostgreSQL"))
    func sqliteAndPostgresSchemasMatch() async throws {
        struct Col: Decodable, Hashable { var table_name: String; var column_name: String }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xinyong-parity-\(UUID().uuidString)")
        let lite = try await StoreDatabase.open(.sqlite(path: dir.appendingPathComponent("p.sqlite").path), logger: TestBackend.logger)
        let pg = try await openEmpty()
        try await Migrator(database: lite).migrate(logger: TestBackend.logger)
        try await Migrator(database: pg).migrate(logger: TestBackend.logger)
        let liteCols = try await lite.sql.raw("""
            SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m, pragma_table_info(m.name) p
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
            """).all(decoding: Col.self)
        let pgCols = try await pg.sql.raw("""
            SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns
            WHERE table_schema = 'public'
            """).all(decoding: Col.self)
        #expect(liteCols.count > 40)
        #expect(Set(liteCols) == Set(pgCols))
        struct Idx: Decodable, Hashable { var name: String }
        let liteIdx = try await lite.sql.raw("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all(decoding: Idx.self)
        let pgIdx = try await pg.sql.raw("""
            SELECT indexname::text AS name FROM pg_indexes
            WHERE schemaname = 'public' AND indexname NOT IN (SELECT conname FROM pg_constraint)
            """).all(decoding: Idx.self)
        #expect(Set(liteIdx) == Set(pgIdx))
        try await lite.close()
        try await pg.close()
    }
}
