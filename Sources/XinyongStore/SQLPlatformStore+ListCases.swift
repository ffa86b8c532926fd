import Foundation
import SQLKit
import XinyongCore

extension SQLPlatformStore {
    private func definition(_ c: ListCase) throws -> String { try Self.json(c) }

    private func appendStep(_ c: ListCase, db: any SQLDatabase, actor: String, now: Int64) async throws {
        let step = try Self.json(c.steps.last!)
        try await db.raw("""
            INSERT INTO list_case_steps (case_id, version, status, step, at, actor)
            VALUES (\(bind: c.id), \(bind: c.version), \(bind: c.status.rawValue), \(bind: step), \(bind: now), \(bind: actor))
            """).run()
    }

    public func createListCase(_ c: ListCase, actor: String) async throws -> ListCase {
        let now = Clock.millis()
        return try await database.transaction { db in
            var saved = c
            saved.version = 1
            saved.id = try await db.raw("""
                INSERT INTO list_cases (subject_id, department_code, status, definition, version, created_at, updated_at)
                VALUES (\(bind: c.subjectID), \(bind: c.department), \(bind: c.status.rawValue), '', 1, \(bind: now), \(bind: now)) RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            try await db.raw("UPDATE list_cases SET definition = \(bind: try self.definition(saved)) WHERE id = \(bind: saved.id)").run()
            try await self.appendStep(saved, db: db, actor: actor, now: now)
            return saved
        }
    }

    public func saveListCase(_ c: ListCase, expectedVersion: Int, actor: String) async throws -> ListCase {
        let now = Clock.millis()
        return try await database.transaction { db in
            var saved = c
            saved.version = expectedVersion + 1
            let updated = try await db.raw("""
                UPDATE list_cases SET status = \(bind: saved.status.rawValue), definition = \(bind: try self.definition(saved)), version = \(bind: saved.version),
                    updated_at = \(bind: now)
                WHERE id = \(bind: c.id) AND version = \(bind: expectedVersion) RETURNING id
                """).all()
            guard !updated.isEmpty else { throw DomainError.conflict("案件已被他人处理（版本已变化），请刷新后再操作") }
            try await self.appendStep(saved, db: db, actor: actor, now: now)
            return saved
        }
    }

    public func listCase(id: Int64) async throws -> ListCase? {
        guard let text = try await db.raw("SELECT definition FROM list_cases WHERE id = \(bind: id)").first(decodingColumn: "definition", as: String.self)
        else { return nil }
        return try JSONDecoder().decode(ListCase.self, from: Data(text.utf8))
    }

    public func listCases(department: String?, status: ListCase.Status?, limit: Int) async throws -> [ListCase] {
        var filter: SQLQueryString = "1 = 1"
        if let department { filter += " AND department_code = \(bind: department)" }
        if let status { filter += " AND status = \(bind: status.rawValue)" }
        let decoder = JSONDecoder()
        return try await db.raw("SELECT definition FROM list_cases WHERE \(filter) ORDER BY id DESC LIMIT \(bind: limit)")
            .all(decodingColumn: "definition", as: String.self).map { try decoder.decode(ListCase.self, from: Data($0.utf8)) }
    }

    public func endingRecords(item: String, from: CivilDate, to: CivilDate, limit: Int) async throws -> [CreditRecord] {
        try await db.raw("""
            SELECT \(SQLQueryString(RecordRow.columns)) FROM credit_records
            WHERE item_code = \(bind: item) AND period_closed = FALSE AND status = 'active' AND ended_on IS NULL
              AND public_until >= \(bind: from.description) AND public_until <= \(bind: to.description)
            ORDER BY public_until, id LIMIT \(bind: limit)
            """).all(decoding: RecordRow.self).map(\.record)
    }

    public func openRecords(item: String, decidedBy: CivilDate, limit: Int) async throws -> [CreditRecord] {
        try await db.raw("""
            SELECT \(SQLQueryString(RecordRow.columns)) FROM credit_records
            WHERE item_code = \(bind: item) AND status = 'active' AND ended_on IS NULL AND public_until IS NULL
              AND decision_date <= \(bind: decidedBy.description)
            ORDER BY decision_date, id LIMIT \(bind: limit)
            """).all(decoding: RecordRow.self).map(\.record)
    }
}
