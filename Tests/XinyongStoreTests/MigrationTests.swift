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
