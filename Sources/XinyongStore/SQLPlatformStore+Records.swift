import Foundation
import SQLKit
import XinyongCore

private struct RecordRow: Decodable {
    var id: Int64
    var item_code: String
    var record_key: String
    var subject_id: Int64?
    var version: Int
    var status: String
    var fields: String
    var sealed_fields: String?
    var department_code: String
    var submission_id: Int64
    var source_row: Int
    var received_at: Int64

    static let columns = "id, item_code, record_key, subject_id, version, status, fields, sealed_fields, department_code, submission_id, source_row, received_at"

    var record: CreditRecord {
        CreditRecord(id: id, itemCode: item_code, key: record_key, subjectID: subject_id, version: version,
                     status: CreditRecord.Status(rawValue: status) ?? .active,
                     fields: (try? JSONDecoder().decode([String: String].self, from: Data(fields.utf8))) ?? [:],
                     departmentCode: department_code, submissionID: submission_id, sourceRow: source_row,
                     receivedAt: Clock.date(received_at))
    }
}

extension SQLPlatformStore {
    /// Identity numbers (证件号码 fields) never rest in clear: `fields` holds their keyed hash, which
    /// is deterministic so a resubmission still compares equal, and `sealed` holds AES-GCM copies
    /// for authorised reading.
    func protect(_ values: [String: String], item: CatalogItem) throws -> (fields: [String: String], sealed: [String: String]) {
        var fields = values
        var sealed: [String: String] = [:]
        for f in item.fields where f.kind == .identityNumber {
            guard let v = values[f.name] else { continue }
            fields[f.name] = vault.lookupToken(v)
            sealed[f.name] = try vault.seal(v)
        }
        return (fields, sealed)
    }

    /// Serialises writers of the change log so that sequence order is commit order (a reader that
    /// has seen seq N never later finds a smaller one committed). SQLite has a single writer already;
    /// PostgreSQL takes a transaction-scoped advisory lock. Dialect difference.
    static func lockChangeLog(_ db: any SQLDatabase, dialect: Dialect) async throws {
        if dialect == .postgres { try await db.raw("SELECT pg_advisory_xact_lock(72610001)").run() }
    }

    static func appendEvent(_ db: any SQLDatabase, event: String, record: Int64, item: String, version: Int, subject: Int64?,
                            submission: Int64?, actor: String, note: String?, now: Int64) async throws {
        try await db.raw("""
            INSERT INTO change_log (at, event, item_code, record_id, version, subject_id, submission_id, actor, note)
            VALUES (\(bind: now), \(bind: event), \(bind: item), \(bind: record), \(bind: version), \(bind: subject),
                    \(bind: submission), \(bind: actor), \(bind: note))
            """).run()
    }

    public func applySubmission(_ d: SubmissionDraft) async throws -> SubmissionResult {
        try await applySubmission(d, next: { nil })
    }

    public func applySubmission(_ d: SubmissionDraft, next: @escaping @Sendable () async throws -> [IntakeRow]?) async throws -> SubmissionResult {
        let now = Clock.millis()
        let dialect = database.dialect
        let item = d.item
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let validator = IdentifierValidator()
        return try await database.transaction { db in
            try await Self.lockChangeLog(db, dialect: dialect)
            guard let submission = try await db.raw("""
                INSERT INTO submissions (item_code, department_code, channel, actor, received_at, total_rows,
                                         created, updated, unchanged, rejected, held)
                VALUES (\(bind: item.code), \(bind: d.department), \(bind: d.channel.rawValue), \(bind: d.actor), \(bind: now),
                        0, 0, 0, 0, 0, 0)
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self) else {
                throw DomainError.unavailable("保存提交失败：数据库未返回编号")
            }
            var result = SubmissionResult(id: submission)
            var seen: [String: Int] = [:]
            var chunk: [IntakeRow]? = d.rows
            while let rows = chunk {
            for row in rows {
                result.totalRows += 1
                var problems = row.result.errors
                var outcome = problems.isEmpty ? (row.result.held.isEmpty ? "accepted" : "held") : "rejected"
                let protected = try self.protect(row.result.values, item: item)
                let key = RecordKeys.key(protected.fields, item: item)   // never an identity number in clear
                if outcome == "accepted", let key {
                    if let first = seen[key] {
                        problems = [RowIssue(field: nil, label: nil, reason: "与本次提交第 \(first) 行的唯一标识（\(item.naturalKey.joined(separator: "、"))）相同，请合并为一行")]
                        outcome = "rejected"
                    } else {
                        seen[key] = row.number
                    }
                }
                if outcome != "accepted" {
                    let issues = outcome == "held" ? row.result.held : problems
                    try await db.raw("""
                        INSERT INTO submission_rows (submission_id, row_number, outcome, raw_sealed, issues)
                        VALUES (\(bind: submission), \(bind: row.number), \(bind: outcome),
                                \(bind: try self.vault.seal(String(decoding: try encoder.encode(row.raw), as: UTF8.self))),
                                \(bind: String(decoding: try encoder.encode(issues), as: UTF8.self)))
                        """).run()
                    let problemList = issues.map { SubmissionResult.Problem(row: row.number, issue: $0) }
                    if outcome == "held" {
                        result.heldRows += 1
                        if result.heldRows <= SubmissionResult.reportLimit { result.held += problemList }
                    } else {
                        result.rejectedRows += 1
                        if result.rejectedRows <= SubmissionResult.reportLimit { result.rejected += problemList }
                    }
                    continue
                }
                guard let key else { continue }
                let fields = String(decoding: try encoder.encode(protected.fields), as: UTF8.self)
                let sealedFields = protected.sealed.isEmpty ? nil : String(decoding: try encoder.encode(protected.sealed), as: UTF8.self)
                let existing = try await db.raw("""
                    SELECT \(SQLQueryString(RecordRow.columns)) FROM credit_records
                    WHERE item_code = \(bind: item.code) AND record_key = \(bind: key)
                    """).first(decoding: RecordRow.self)
                if let existing {
                    if existing.fields == fields && existing.status == "active" {
                        result.unchanged += 1
                        continue
                    }
                    try await db.raw("""
                        INSERT INTO credit_record_versions (record_id, version, status, fields, sealed_fields, department_code,
                                                            submission_id, source_row, received_at, replaced_at)
                        VALUES (\(bind: existing.id), \(bind: existing.version), \(bind: existing.status), \(bind: existing.fields),
                                \(bind: existing.sealed_fields), \(bind: existing.department_code), \(bind: existing.submission_id), \(bind: existing.source_row),
                                \(bind: existing.received_at), \(bind: now))
                        """).run()
                    let subject = try await self.linkSubject(db, values: row.result.values, item: item, channel: d.channel,
                                                             actor: d.actor, now: now, validator: validator) ?? existing.subject_id
                    try await db.raw("""
                        UPDATE credit_records SET version = version + 1, status = 'active', fields = \(bind: fields),
                            sealed_fields = \(bind: sealedFields),
                            subject_id = \(bind: subject), department_code = \(bind: d.department), submission_id = \(bind: submission),
                            source_row = \(bind: row.number), received_at = \(bind: now)
                        WHERE id = \(bind: existing.id)
                        """).run()
                    try await Self.appendEvent(db, event: "record.updated", record: existing.id, item: item.code,
                                               version: existing.version + 1, subject: subject, submission: submission,
                                               actor: d.actor, note: nil, now: now)
                    result.updated += 1
                } else {
                    let subject = try await self.linkSubject(db, values: row.result.values, item: item, channel: d.channel,
                                                             actor: d.actor, now: now, validator: validator)
                    guard let id = try await db.raw("""
                        INSERT INTO credit_records (item_code, record_key, subject_id, version, status, fields, sealed_fields,
                                                    department_code, submission_id, source_row, received_at)
                        VALUES (\(bind: item.code), \(bind: key), \(bind: subject), 1, 'active', \(bind: fields), \(bind: sealedFields),
                                \(bind: d.department),
                                \(bind: submission), \(bind: row.number), \(bind: now))
                        RETURNING id
                        """).first(decodingColumn: "id", as: Int64.self) else {
                        throw DomainError.unavailable("保存记录失败：数据库未返回编号")
                    }
                    try await Self.appendEvent(db, event: "record.created", record: id, item: item.code, version: 1,
                                               subject: subject, submission: submission, actor: d.actor, note: nil, now: now)
                    result.created += 1
                }
            }
            chunk = try await next()
            }
            try await db.raw("""
                UPDATE submissions SET total_rows = \(bind: result.totalRows), created = \(bind: result.created),
                    updated = \(bind: result.updated), unchanged = \(bind: result.unchanged),
                    rejected = \(bind: result.rejectedRows), held = \(bind: result.heldRows)
                WHERE id = \(bind: submission)
                """).run()
            return result
        }
    }

    /// Finds the record's subject by credit code or identity number, registering it when the code
    /// is valid and new. Returns `nil` when the record names no usable code (the pending queue's case).
    func linkSubject(_ db: any SQLDatabase, values: [String: String], item: CatalogItem, channel: SubmissionChannel,
                     actor: String, now: Int64, validator: IdentifierValidator) async throws -> Int64? {
        guard let b = item.subject, let name = values[b.name] else { return nil }
        let category = b.category.flatMap { values[$0] }
        var draft: SubjectDraft
        if category == "自然人" {
            guard b.idType.flatMap({ values[$0] }) == "身份证", let number = b.idNumber.flatMap({ values[$0] }) else { return nil }
            draft = SubjectDraft(kind: .naturalPerson, code: number, name: name)
        } else {
            guard let code = b.code.flatMap({ values[$0] }) else { return nil }
            draft = SubjectDraft(kind: category == "个体工商户" ? .individualBusiness : nil, code: code, name: name)
        }
        draft.synthetic = channel == .demo
        guard let valid = try? SubjectRules.validate(draft, validator: validator, today: CivilDate.today()) else { return nil }
        let stored = try storedCode(valid)
        if let id = try await db.raw("SELECT id FROM subjects WHERE code_key = \(bind: stored.codeKey)")
            .first(decodingColumn: "id", as: Int64.self) {
            return id
        }
        return try await Self.insertSubject(db, valid, stored: stored, actor: actor, now: now, dialect: database.dialect)
    }

    public func revokeRecord(item: CatalogItem, keyValues: [String: String], reason: String, actor: String) async throws -> CreditRecord {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count >= 2 else { throw DomainError.invalid(field: "reason", reason: "撤销须写明理由") }
        guard let key = RecordKeys.key(try protect(keyValues, item: item).fields, item: item) else {
            throw DomainError.invalid(field: "key", reason: "请提供唯一标识字段：\(item.naturalKey.joined(separator: "、"))")
        }
        let itemCode = item.code
        let now = Clock.millis()
        let dialect = database.dialect
        return try await database.transaction { db in
            try await Self.lockChangeLog(db, dialect: dialect)
            guard let r = try await db.raw("""
                SELECT \(SQLQueryString(RecordRow.columns)) FROM credit_records WHERE item_code = \(bind: itemCode) AND record_key = \(bind: key)
                """).first(decoding: RecordRow.self) else {
                throw DomainError.notFound(what: "该记录")
            }
            guard r.status == "active" else { throw DomainError.conflict("该记录已撤销") }
            try await db.raw("""
                INSERT INTO credit_record_versions (record_id, version, status, fields, sealed_fields, department_code,
                                                    submission_id, source_row, received_at, replaced_at)
                VALUES (\(bind: r.id), \(bind: r.version), \(bind: r.status), \(bind: r.fields), \(bind: r.sealed_fields),
                        \(bind: r.department_code),
                        \(bind: r.submission_id), \(bind: r.source_row), \(bind: r.received_at), \(bind: now))
                """).run()
            try await db.raw("UPDATE credit_records SET version = version + 1, status = 'revoked' WHERE id = \(bind: r.id)").run()
            try await Self.appendEvent(db, event: "record.revoked", record: r.id, item: itemCode, version: r.version + 1,
                                       subject: r.subject_id, submission: nil, actor: actor, note: reason, now: now)
            var revoked = r.record
            revoked.version += 1
            revoked.status = .revoked
            return revoked
        }
    }

    public func submission(id: Int64) async throws -> SubmissionSummary? {
        struct S: Decodable {
            var id: Int64; var item_code: String; var department_code: String; var channel: String; var received_at: Int64
            var total_rows: Int; var created: Int; var updated: Int; var unchanged: Int; var rejected: Int; var held: Int
        }
        struct R: Decodable { var row_number: Int; var outcome: String; var raw_sealed: String; var issues: String }
        guard let s = try await db.raw("""
            SELECT id, item_code, department_code, channel, received_at, total_rows, created, updated, unchanged, rejected, held
            FROM submissions WHERE id = \(bind: id)
            """).first(decoding: S.self) else { return nil }
        let decoder = JSONDecoder()
        let rows = try await db.raw("""
            SELECT row_number, outcome, raw_sealed, issues FROM submission_rows WHERE submission_id = \(bind: id) ORDER BY row_number
            """).all(decoding: R.self).map { r in
            SubmissionSummary.KeptRow(row: r.row_number, outcome: r.outcome,
                                      raw: try decoder.decode([String: String].self, from: Data(try vault.open(r.raw_sealed).utf8)),
                                      issues: try decoder.decode([RowIssue].self, from: Data(r.issues.utf8)))
        }
        return SubmissionSummary(id: s.id, itemCode: s.item_code, departmentCode: s.department_code, channel: s.channel,
                                 receivedAt: Clock.date(s.received_at), totalRows: s.total_rows, created: s.created,
                                 updated: s.updated, unchanged: s.unchanged, rejected: s.rejected, held: s.held, rows: rows)
    }

    public func record(itemCode: String, key: String) async throws -> CreditRecord? {
        try await db.raw("""
            SELECT \(SQLQueryString(RecordRow.columns)) FROM credit_records WHERE item_code = \(bind: itemCode) AND record_key = \(bind: key)
            """).first(decoding: RecordRow.self)?.record
    }

    public func records(subjectID: Int64) async throws -> [CreditRecord] {
        try await db.raw("""
            SELECT \(SQLQueryString(RecordRow.columns)) FROM credit_records WHERE subject_id = \(bind: subjectID) ORDER BY id
            """).all(decoding: RecordRow.self).map(\.record)
    }

    public func changeLog(after seq: Int64, limit: Int) async throws -> [ChangeEvent] {
        struct Row: Decodable {
            var seq: Int64; var event: String; var item_code: String; var record_id: Int64; var version: Int
            var subject_id: Int64?; var submission_id: Int64?; var note: String?
        }
        return try await db.raw("""
            SELECT seq, event, item_code, record_id, version, subject_id, submission_id, note FROM change_log
            WHERE seq > \(bind: seq) ORDER BY seq LIMIT \(bind: min(max(limit, 1), 10_000))
            """).all(decoding: Row.self).map {
            ChangeEvent(seq: $0.seq, event: $0.event, itemCode: $0.item_code, recordID: $0.record_id, version: $0.version,
                        subjectID: $0.subject_id, submissionID: $0.submission_id, note: $0.note)
        }
    }
}
