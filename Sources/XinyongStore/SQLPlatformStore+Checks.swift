import Foundation
import SQLKit
import XinyongCore

extension SQLPlatformStore {
    // MARK: Finding subjects in bulk

    /// What a check shows of a subject, read by column: a check does not need the registration details.
    private static let checkColumnList = "id, kind, code_display, name, status"
    private static let checkColumns = SQLQueryString(checkColumnList)

    /// `?k, ?k+1, …` for `n` parameters numbered from `k` (n ≥ 1).
    static func placeholders(_ n: Int, from k: Int = 1) -> String { (k..<k + n).map { "?\($0)" }.joined(separator: ", ") }

    /// The same columns, in that order, read by position.
    private static func checkSubject(_ r: ScanRow) -> Subject {
        Subject(id: r.int64(0), kind: SubjectKind(rawValue: r.string(1)) ?? .otherOrganization, code: r.string(2), name: r.string(3),
                status: SubjectStatus(rawValue: r.string(4)) ?? .active,
                createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))
    }

    private static func checkSubject(_ row: any SQLRow) throws -> Subject {
        Subject(id: try row.decode(column: "id", as: Int64.self),
                kind: SubjectKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .otherOrganization,
                code: try row.decode(column: "code_display", as: String.self), name: try row.decode(column: "name", as: String.self),
                status: SubjectStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .active,
                createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))
    }

    public func subjectsForCheck(codes: [String]) async throws -> [String: Subject] {
        var out: [String: Subject] = [:]
        let orgCodes = codes.filter { $0.count == 9 }
        var byKey: [String: String] = [:]
        for code in codes where code.count != 9 {
            for key in codeKeys(code) { byKey[key] = code }
        }
        for part in Array(byKey.keys).chunked(500) {
            if let scanner = database.scanner {   // SQLite: the statement prepared once (see SQLiteScanner)
                for (key, subject) in try await scanner.rows(
                    "SELECT \(Self.checkColumnList), code_key FROM subjects WHERE code_key IN (\(Self.placeholders(part.count)))",
                    part.map(SQLiteValue.text), { r in (r.string(5), Self.checkSubject(r)) }) {
                    if let code = byKey[key] { out[code] = subject }
                }
                continue
            }
            for row in try await db.raw("""
                SELECT \(Self.checkColumns), code_key FROM subjects WHERE code_key IN (\(binds: Array(part)))
                """).all() {
                let key = try row.decode(column: "code_key", as: String.self)
                if let code = byKey[key] { out[code] = try Self.checkSubject(row) }
            }
        }
        for part in orgCodes.chunked(500) {
            for row in try await db.raw("""
                SELECT \(Self.checkColumns), org_code FROM subjects WHERE org_code IN (\(binds: Array(part))) ORDER BY id
                """).all() {
                let code = try row.decode(column: "org_code", as: String.self)
                if out[code] == nil { out[code] = try Self.checkSubject(row) }
            }
        }
        return out
    }

    public func subjectsForCheck(names: [String]) async throws -> [String: [Subject]] {
        var out: [String: [Subject]] = [:]
        for part in names.chunked(500) {
            for row in try await db.raw("""
                SELECT \(Self.checkColumns), name_key FROM subjects WHERE name_key IN (\(binds: Array(part))) ORDER BY id
                """).all() {
                let key = try row.decode(column: "name_key", as: String.self)
                out[key, default: []].append(try Self.checkSubject(row))
            }
        }
        return out
    }

    public func triggerRecords(subjectIDs: [Int64], items: [String], on day: CivilDate) async throws -> [Int64: [TriggerRecord]] {
        var out: [Int64: [TriggerRecord]] = [:]
        guard !items.isEmpty else { return out }
        let decoder = JSONDecoder()
        let today = day.description
        for part in subjectIDs.chunked(500) {
            if let scanner = database.scanner {   // SQLite: the statement prepared once (see SQLiteScanner)
                let n = part.count
                let rows = try await scanner.rows("""
                    SELECT id, item_code, subject_id, fields, department_code, decision_date, public_until, disputed FROM credit_records
                    WHERE subject_id IN (\(Self.placeholders(n))) AND item_code IN (\(Self.placeholders(items.count, from: n + 1)))
                      AND status = 'active' AND (public_until IS NULL OR public_until > ?\(n + items.count + 1))
                      AND (ended_on IS NULL OR ended_on > ?\(n + items.count + 1))
                    """, part.map(SQLiteValue.int) + items.map(SQLiteValue.text) + [.text(today)], { r in
                    (subject: r.int64(2), id: r.int64(0), item: r.string(1), fields: r.string(3), department: r.string(4),
                     decided: r.optionalString(5), until: r.optionalString(6), disputed: r.int64(7) != 0)
                })
                for r in rows {
                    let fields = try JSONText.flatObject(r.fields) ?? decoder.decode([String: String].self, from: Data(r.fields.utf8))
                    out[r.subject, default: []].append(TriggerRecord(
                        recordID: r.id, itemCode: r.item, fields: fields, departmentCode: r.department,
                        decisionDate: r.decided.flatMap { CivilDate($0) }, until: r.until.flatMap { CivilDate($0) }, severity: nil,
                        disputed: r.disputed))
                }
                continue
            }
            for row in try await db.raw("""
                SELECT id, item_code, subject_id, fields, department_code, decision_date, public_until, disputed FROM credit_records
                WHERE subject_id IN (\(binds: Array(part))) AND item_code IN (\(binds: items)) AND status = 'active'
                  AND (public_until IS NULL OR public_until > \(bind: today)) AND (ended_on IS NULL OR ended_on > \(bind: today))
                """).all() {
                let subject = try row.decode(column: "subject_id", as: Int64.self)
                let text = try row.decode(column: "fields", as: String.self)
                let fields = try JSONText.flatObject(text) ?? decoder.decode([String: String].self, from: Data(text.utf8))
                let decided = try row.decode(column: "decision_date", as: String?.self).flatMap { CivilDate($0) }
                let until = try row.decode(column: "public_until", as: String?.self).flatMap { CivilDate($0) }
                out[subject, default: []].append(TriggerRecord(
                    recordID: try row.decode(column: "id", as: Int64.self), itemCode: try row.decode(column: "item_code", as: String.self),
                    fields: fields, departmentCode: try row.decode(column: "department_code", as: String.self), decisionDate: decided,
                    until: until, severity: nil, disputed: try row.decode(column: "disputed", as: Bool.self)))
            }
        }
        return out
    }

    // MARK: The check log

    /// Keeps a check durably before it is answered. Checks arriving together are committed in one
    /// transaction (group commit): each still waits for its own commit, but concurrent checks
    /// share one disk flush instead of queueing for one each.
    public func saveCheck(_ d: CheckDraft) async throws -> Int64 {
        try await checkLog.submit(d) { drafts in try await self.writeChecks(drafts) }
    }

    private func writeChecks(_ drafts: [CheckDraft]) async throws -> [Int64] {
        if database.writesDirectly {   // SQLite: one trip to the thread pool, statements prepared once (see SQLiteWriter)
            return try await database.writeDirectly { c in
                try drafts.map { d in
                    let id = try c.insert("""
                        INSERT INTO checks (at, actor, actor_name, department_code, matter, purpose, channel, subjects, found, with_hits)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                        """, [.int(Clock.millis(d.at)), .text(d.actor), .text(d.actorName), SQLiteValue(d.departmentCode), .text(d.matter),
                              .text(d.purpose), .text(d.channel), .int(Int64(d.answers.count)), .int(Int64(d.answers.filter(\.found).count)),
                              .int(Int64(d.answers.filter(\.hasHits).count))])
                    for (a, json) in zip(d.answers, d.encoded) {
                        try c.insert("INSERT INTO check_answers (check_id, position, subject_id, answer) VALUES (?1, ?2, ?3, ?4)",
                                     [.int(id), .int(Int64(a.position)), SQLiteValue(a.subjectId), .utf8(json)])
                        for m in a.measures {
                            try c.insert("INSERT INTO check_hits (check_id, position, measure, subject_id) VALUES (?1, ?2, ?3, ?4)",
                                         [.int(id), .int(Int64(a.position)), .text(m.code), .int(a.subjectId ?? 0)])
                        }
                    }
                    return id
                }
            }
        }
        return try await database.transaction { db in
            var ids: [Int64] = []
            for d in drafts {
                let id = try await db.raw("""
                    INSERT INTO checks (at, actor, actor_name, department_code, matter, purpose, channel, subjects, found, with_hits)
                    VALUES (\(bind: Clock.millis(d.at)), \(bind: d.actor), \(bind: d.actorName), \(bind: d.departmentCode), \(bind: d.matter),
                            \(bind: d.purpose), \(bind: d.channel), \(bind: d.answers.count), \(bind: d.answers.filter(\.found).count),
                            \(bind: d.answers.filter(\.hasHits).count))
                    RETURNING id
                    """).first(decodingColumn: "id", as: Int64.self)!
                for part in Array(zip(d.answers, d.encoded)).chunked(300) {
                    let insert = db.insert(into: "check_answers").columns("check_id", "position", "subject_id", "answer")
                    for (a, json) in part {
                        _ = insert.values([SQLBind(id), SQLBind(a.position), SQLBind(a.subjectId), SQLBind(String(decoding: json, as: UTF8.self))])
                    }
                    try await insert.run()
                }
                let hits = d.answers.flatMap { a in a.measures.map { (a.position, $0.code, a.subjectId ?? 0) } }
                for part in hits.chunked(300) {
                    let insert = db.insert(into: "check_hits").columns("check_id", "position", "measure", "subject_id")
                    for (p, m, s) in part { _ = insert.values([SQLBind(id), SQLBind(p), SQLBind(m), SQLBind(s)]) }
                    try await insert.run()
                }
                ids.append(id)
            }
            return ids
        }
    }

    private struct CheckRow: Decodable {
        var id: Int64; var at: Int64; var actor: String; var actor_name: String; var department_code: String?; var matter: String
        var purpose: String; var channel: String; var subjects: Int; var found: Int; var with_hits: Int
        var summary: CheckRecordSummary {
            CheckRecordSummary(id: id, at: Clock.date(at), actor: actor, actorName: actor_name, departmentCode: department_code, matter: matter,
                               purpose: purpose, channel: channel, subjects: subjects, found: found, withHits: with_hits)
        }
        static let columns: SQLQueryString = "id, at, actor, actor_name, department_code, matter, purpose, channel, subjects, found, with_hits"
    }

    public func check(id: Int64) async throws -> CheckRecord? {
        guard let row = try await db.raw("SELECT \(CheckRow.columns) FROM checks WHERE id = \(bind: id)").first(decoding: CheckRow.self) else {
            return nil
        }
        let decoder = JSONDecoder()
        let answers = try await db.raw("SELECT answer FROM check_answers WHERE check_id = \(bind: id) ORDER BY position")
            .all(decodingColumn: "answer", as: String.self)
            .map { try decoder.decode(CheckAnswer.self, from: Data($0.utf8)) }
        struct FeedbackRow: Decodable { var position: Int; var measure: String; var applied: Bool; var note: String; var at: Int64; var actor: String }
        let feedback = try await db.raw("""
            SELECT position, measure, applied, note, at, actor FROM check_feedback
            WHERE check_id = \(bind: id) AND superseded = \(bind: false) ORDER BY position, measure
            """).all(decoding: FeedbackRow.self).map {
                CheckFeedback(position: $0.position, measure: $0.measure, applied: $0.applied, note: $0.note, at: Clock.date($0.at), actor: $0.actor)
            }
        return CheckRecord(summary: row.summary, answers: answers, feedback: feedback)
    }

    public func checks(department: String?, before: Int64?, limit: Int) async throws -> [CheckRecordSummary] {
        var filter: SQLQueryString = "1 = 1"
        if let department { filter += " AND department_code = \(bind: department)" }
        if let before { filter += " AND id < \(bind: before)" }
        return try await db.raw("SELECT \(CheckRow.columns) FROM checks WHERE \(filter) ORDER BY id DESC LIMIT \(bind: limit)")
            .all(decoding: CheckRow.self).map(\.summary)
    }

    public func saveFeedback(checkID: Int64, _ items: [CheckFeedback], actor: String) async throws {
        let now = Clock.millis()
        try await database.transaction { db in
            for f in items {
                try await db.raw("""
                    UPDATE check_feedback SET superseded = \(bind: true)
                    WHERE check_id = \(bind: checkID) AND position = \(bind: f.position) AND measure = \(bind: f.measure) AND superseded = \(bind: false)
                    """).run()
            }
            for part in items.chunked(300) {
                let insert = db.insert(into: "check_feedback").columns("check_id", "position", "measure", "applied", "note", "at", "actor", "superseded")
                for f in part {
                    _ = insert.values([SQLBind(checkID), SQLBind(f.position), SQLBind(f.measure), SQLBind(f.applied), SQLBind(f.note), SQLBind(now),
                                       SQLBind(actor), SQLBind(false)])
                }
                try await insert.run()
            }
        }
    }

    public func checkStatistics(from: Date, to: Date) async throws -> [CheckStatistic] {
        let a = Clock.millis(from), b = Clock.millis(to)
        struct Totals: Decodable { var department_code: String?; var checks: Int; var subjects: Int; var hits: Int }
        struct ByMeasure: Decodable { var department_code: String?; var measure: String; var checks: Int; var hits: Int; var applied: Int; var not_applied: Int }
        let totals = try await db.raw("""
            SELECT department_code, count(*) AS checks, COALESCE(sum(subjects), 0) AS subjects, COALESCE(sum(with_hits), 0) AS hits
            FROM checks WHERE at >= \(bind: a) AND at < \(bind: b) GROUP BY department_code
            """).all(decoding: Totals.self)
        let measures = try await db.raw("""
            SELECT c.department_code, h.measure, count(DISTINCT c.id) AS checks, count(*) AS hits,
                   count(CASE WHEN f.applied = \(bind: true) THEN 1 END) AS applied,
                   count(CASE WHEN f.applied = \(bind: false) THEN 1 END) AS not_applied
            FROM checks c JOIN check_hits h ON h.check_id = c.id
            LEFT JOIN check_feedback f ON f.check_id = h.check_id AND f.position = h.position AND f.measure = h.measure AND f.superseded = \(bind: false)
            WHERE c.at >= \(bind: a) AND c.at < \(bind: b)
            GROUP BY c.department_code, h.measure
            """).all(decoding: ByMeasure.self)
        return totals.map { CheckStatistic(departmentCode: $0.department_code, measure: nil, checks: $0.checks, subjects: $0.subjects, hits: $0.hits,
                                           applied: 0, notApplied: 0) }
            + measures.map { CheckStatistic(departmentCode: $0.department_code, measure: $0.measure, checks: $0.checks, subjects: 0, hits: $0.hits,
                                            applied: $0.applied, notApplied: $0.not_applied) }
    }

    // MARK: Local measures

    public func localMeasures() async throws -> [Measure] {
        let decoder = JSONDecoder()
        return try await db.raw("SELECT definition FROM measures_local ORDER BY code").all(decodingColumn: "definition", as: String.self)
            .map { try decoder.decode(Measure.self, from: Data($0.utf8)) }
    }

    public func putLocalMeasure(_ measure: Measure, actor: String) async throws {
        var local = measure
        local.local = true
        let m = local
        let definition = try Self.json(m)
        let now = Clock.millis()
        try await database.transaction { db in
            let current = try await db.raw("SELECT version FROM measures_local WHERE code = \(bind: m.code)").first(decodingColumn: "version", as: Int.self)
            if let current {
                try await db.raw("""
                    INSERT INTO measure_versions (code, version, definition, replaced_at, replaced_by)
                    SELECT code, version, definition, \(bind: now), \(bind: actor) FROM measures_local WHERE code = \(bind: m.code)
                    """).run()
                try await db.raw("""
                    UPDATE measures_local SET version = \(bind: current + 1), definition = \(bind: definition), updated_at = \(bind: now),
                        updated_by = \(bind: actor) WHERE code = \(bind: m.code)
                    """).run()
            } else {
                try await db.raw("""
                    INSERT INTO measures_local (code, version, definition, updated_at, updated_by)
                    VALUES (\(bind: m.code), 1, \(bind: definition), \(bind: now), \(bind: actor))
                    """).run()
            }
        }
    }
}

/// Group commit: items submitted while a write is under way are written together by the next
/// write, in submission order; each caller gets its own result once its write has committed.
/// A failed write fails every item in it (they were one transaction: none of them was kept).
actor GroupCommit<Item: Sendable, Result: Sendable> {
    private var pending: [(item: Item, waiter: CheckedContinuation<Result, any Error>)] = []
    private var writing = false
    /// At most this many items per write.
    private let limit: Int

    init(limit: Int = 64) { self.limit = limit }

    func submit(_ item: Item, write: @escaping @Sendable ([Item]) async throws -> [Result]) async throws -> Result {
        try await withCheckedThrowingContinuation { waiter in
            pending.append((item, waiter))
            if !writing {
                writing = true
                Task { await self.drain(write) }
            }
        }
    }

    private func drain(_ write: @escaping @Sendable ([Item]) async throws -> [Result]) async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(limit))
            pending.removeFirst(batch.count)
            do {
                let results = try await write(batch.map(\.item))
                for (entry, result) in zip(batch, results) { entry.waiter.resume(returning: result) }
            } catch {
                for entry in batch { entry.waiter.resume(throwing: error) }
            }
        }
        writing = false
    }
}
