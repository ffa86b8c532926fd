import Foundation
import SQLKit
import XinyongCore

struct RecordRow: Decodable {
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
    var decision_date: String?
    var public_from: String?
    var public_until: String?
    var publishable: Bool
    var publicity_basis: String?
    var link_status: String?
    var link_note: String?
    var disputed: Bool
    var end_reason: String?
    var ended_on: String?

    static let columns = """
        id, item_code, record_key, subject_id, version, status, fields, sealed_fields, department_code, submission_id, source_row, \
        received_at, decision_date, public_from, public_until, publishable, publicity_basis, link_status, link_note, disputed, end_reason, ended_on
        """

    var record: CreditRecord {
        CreditRecord(id: id, itemCode: item_code, key: record_key, subjectID: subject_id, version: version,
                     status: CreditRecord.Status(rawValue: status) ?? .active,
                     fields: JSONText.flatObject(fields) ?? (try? JSONDecoder().decode([String: String].self, from: Data(fields.utf8))) ?? [:],
                     departmentCode: department_code, submissionID: submission_id, sourceRow: source_row,
                     receivedAt: Clock.date(received_at),
                     window: PublicityWindow(decisionDate: decision_date.flatMap { CivilDate($0) }, from: public_from.flatMap { CivilDate($0) },
                                             until: public_until.flatMap { CivilDate($0) }, publishable: publishable,
                                             basis: publicity_basis ?? ""),
                     disputed: disputed, endReason: end_reason.flatMap(CreditRecord.EndReason.init(rawValue:)),
                     endedOn: ended_on.flatMap { CivilDate($0) })
    }
}

/// How a record was linked to its subject: by `code`, by `name`, by hand (`manual`), or `pending`.
struct Link { var id: Int64?; var status: String; var note: String? }

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
            // Natural keys seen in this submission, as 64-bit FNV-1a hashes with their first row: a
            // million-row file costs tens of megabytes here, not the keys themselves.
            var seen: [UInt64: Int] = [:]
            var chunk: [IntakeRow]? = d.rows
            var analyzeAt = 20_000
            while let rows = chunk {
                try await self.applyChunk(db, rows, draft: d, submission: submission, now: now, seen: &seen, result: &result)
                // PostgreSQL plans the per-chunk key lookups from table statistics, which a large load
                // inside one transaction makes stale (an empty table's plan: a sequential scan per
                // chunk). ANALYZE inside the transaction sees its own rows. Dialect difference.
                if dialect == .postgres, result.totalRows >= analyzeAt {
                    try await db.raw("ANALYZE credit_records").run()
                    analyzeAt *= 4
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

    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// One chunk of a submission, with set-wise statements: one lookup of existing records and one
    /// of subjects per chunk, multi-row inserts for new records, events and kept rows. Updates and
    /// newly registered subjects go row by row (they are the rare case in steady reporting).
    private func applyChunk(_ db: any SQLDatabase, _ rows: [IntakeRow], draft d: SubmissionDraft, submission: Int64, now: Int64,
                            seen: inout [UInt64: Int], result: inout SubmissionResult) async throws {
        let item = d.item
        let today = CivilDate.today()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        struct Accepted {
            var row: IntakeRow; var key: String; var fields: String; var sealed: String?; var window: PublicityWindow
            var optional: (filled: Int, total: Int)
            var name: String?
        }
        var accepted: [Accepted] = []
        let sortedNames = item.fields.map(\.name).sorted()
        var kept: [[any SQLExpression]] = []
        for row in rows {
            result.totalRows += 1
            var problems = row.result.errors
            var outcome = problems.isEmpty ? (row.result.held.isEmpty ? "accepted" : "held") : "rejected"
            let protected = try protect(row.result.values, item: item)
            let key = RecordKeys.key(protected.fields, item: item)   // never an identity number in clear
            if outcome == "accepted" && key == nil {
                problems = [RowIssue(field: nil, label: nil, reason: "缺少唯一标识字段：\(item.naturalKey.compactMap { item.field($0)?.label }.joined(separator: "、"))",
                                     kind: .required)]
                outcome = "rejected"
            }
            if outcome == "accepted", let key {
                let hash = Self.fnv1a(key)
                if let first = seen[hash] {
                    problems = [RowIssue(field: nil, label: nil, reason: "与本次提交第 \(first) 行的唯一标识（\(item.naturalKey.joined(separator: "、"))）相同，请合并为一行", kind: .duplicate)]
                    outcome = "rejected"
                } else {
                    seen[hash] = row.number
                }
            }
            guard outcome == "accepted", let key else {
                let issues = outcome == "held" ? row.result.held : problems
                kept.append([SQLBind(submission), SQLBind(row.number), SQLBind(outcome),
                             SQLBind(try vault.seal(String(decoding: try encoder.encode(row.raw), as: UTF8.self))),
                             SQLBind(String(decoding: try encoder.encode(issues), as: UTF8.self))])
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
            accepted.append(Accepted(row: row, key: key, fields: JSONText.sortedObject(protected.fields, sortedKeys: sortedNames),
                                     sealed: protected.sealed.isEmpty ? nil : JSONText.sortedObject(protected.sealed, sortedKeys: sortedNames),
                                     window: PublicityWindow.of(row.result.values, item: item, rules: d.publicity),
                                     optional: item.optionalFilled(row.result.values),
                                     name: item.subject.flatMap { row.result.values[$0.name] }))
        }
        for part in kept.chunked(500) {
            let insert = db.insert(into: "submission_rows").columns("submission_id", "row_number", "outcome", "raw_sealed", "issues")
            for r in part { _ = insert.values(r) }
            try await insert.run()
        }
        guard !accepted.isEmpty else { return }

        // Existing records, in one statement per 500 keys: only what the comparison and an update need.
        struct Existing { var id: Int64; var version: Int; var status: String; var fields: String; var subjectID: Int64?
                          var linkStatus: String?; var linkNote: String? }
        var existing: [String: Existing] = [:]
        for part in accepted.map(\.key).chunked(500) {
            for r in try await db.raw("""
                SELECT id, record_key, version, status, fields, subject_id, link_status, link_note FROM credit_records
                WHERE item_code = \(bind: item.code) AND record_key IN (\(binds: Array(part)))
                """).all() {
                existing[try r.decode(column: "record_key", as: String.self)] = Existing(
                    id: try r.decode(column: "id", as: Int64.self), version: try r.decode(column: "version", as: Int.self),
                    status: try r.decode(column: "status", as: String.self), fields: try r.decode(column: "fields", as: String.self),
                    subjectID: try r.decode(column: "subject_id", as: Int64?.self),
                    linkStatus: try r.decode(column: "link_status", as: String?.self), linkNote: try r.decode(column: "link_note", as: String?.self))
            }
        }
        // Subjects, likewise, by the key the registry stores (the code, or a person's identity-number
        // token); only codes not registered yet are validated as subjects and registered one by one.
        var keys: [Int: String] = [:]
        for (i, a) in accepted.enumerated() { if let k = linkKey(a.row.result.values, item: item) { keys[i] = k } }
        var subjectIDs: [String: Int64] = [:]
        for part in Array(Set(keys.values)).chunked(500) {
            for s in try await db.raw("SELECT id, code_key FROM subjects WHERE code_key IN (\(binds: Array(part)))").all() {
                subjectIDs[try s.decode(column: "code_key", as: String.self)] = try s.decode(column: "id", as: Int64.self)
            }
        }
        // Records without a usable code are matched by their normalised exact name when exactly one
        // registered organisation bears it; otherwise they wait in the credit office's link queue.
        var byName: [String: [Int64]] = [:]
        let unkeyed = accepted.indices.filter { keys[$0] == nil && accepted[$0].name != nil }
        for part in Array(Set(unkeyed.map { SearchText.normalize(accepted[$0].name!) })).chunked(500) {
            struct S: Decodable { var id: Int64; var name_key: String }
            for s in try await db.raw("""
                SELECT id, name_key FROM subjects WHERE name_key IN (\(binds: Array(part))) AND kind <> 'natural_person'
                """).all(decoding: S.self) {
                byName[s.name_key, default: []].append(s.id)
            }
        }
        let validator = IdentifierValidator()
        func link(_ i: Int) async throws -> Link {
            let a = accepted[i]
            guard let key = keys[i] else {
                let why = a.row.result.linkIssue?.reason ?? "未填写可用的统一社会信用代码或身份证号码"
                guard let name = a.name else { return Link(id: nil, status: "pending", note: why) }
                let matches = byName[SearchText.normalize(name)] ?? []
                if matches.count == 1 { return Link(id: matches[0], status: "name", note: "\(why)；按名称“\(name)”匹配到唯一主体") }
                return Link(id: nil, status: "pending",
                            note: matches.isEmpty ? "\(why)；名称“\(name)”未匹配到主体" : "\(why)；名称“\(name)”匹配到 \(matches.count) 个主体")
            }
            if let id = subjectIDs[key] { return Link(id: id, status: "code", note: nil) }
            guard let v = subjectDraft(a.row.result.values, item: item, channel: d.channel, validator: validator, today: today,
                                       confirmed: d.confirmedCodes) else {
                return Link(id: nil, status: "pending", note: "代码无法登记为主体")
            }
            let stored = try storedCode(v)
            if let id = subjectIDs[stored.codeKey] { return Link(id: id, status: "code", note: nil) }
            let id = try await Self.insertSubject(db, v, stored: stored, actor: d.actor, now: now, dialect: database.dialect)
            subjectIDs[stored.codeKey] = id
            subjectIDs[key] = id
            return Link(id: id, status: "code", note: nil)
        }

        var fresh: [(Accepted, Link)] = []
        for (i, a) in accepted.enumerated() {
            guard let old = existing[a.key] else {
                fresh.append((a, try await link(i)))
                continue
            }
            if old.fields == a.fields && old.status == "active" {
                result.unchanged += 1
                continue
            }
            try await Self.keepVersion(db, record: old.id, now: now)
            var l = try await link(i)
            if l.id == nil, let kept = old.subjectID { l = Link(id: kept, status: old.linkStatus ?? "code", note: old.linkNote) }
            let subjectID = l.id
            try await db.raw("""
                UPDATE credit_records SET version = version + 1, status = 'active', fields = \(bind: a.fields),
                    sealed_fields = \(bind: a.sealed), subject_id = \(bind: subjectID), department_code = \(bind: d.department),
                    submission_id = \(bind: submission), source_row = \(bind: a.row.number), received_at = \(bind: now),
                    \(Self.windowAssignments(a.window, rules: d.rulesVersion)),
                    \(Self.completenessAssignments(item.optionalFilled(a.row.result.values))),
                    link_status = \(bind: l.status), link_note = \(bind: l.note), subject_name = \(bind: a.name)
                WHERE id = \(bind: old.id)
                """).run()
            try await Self.appendEvent(db, event: "record.updated", record: old.id, item: item.code, version: old.version + 1,
                                       subject: subjectID, submission: submission, actor: d.actor, note: nil, now: now)
            result.updated += 1
        }
        guard !fresh.isEmpty else { return }
        if let direct = db as? SQLiteWriterDatabase {   // SQLite: the chunk in one trip, row by row, statements prepared once
            let rows = fresh.map { (a, l) -> (record: [SQLiteValue], subject: SQLiteValue) in
                let w = a.window
                let subject = SQLiteValue(l.id)
                return ([.text(item.code), .text(a.key), subject, .int(1), .text("active"), .text(a.fields),
                         SQLiteValue(a.sealed), .text(d.department), .int(submission), .int(Int64(a.row.number)), .int(now),
                         SQLiteValue(w.decisionDate?.description), SQLiteValue(w.from?.description), SQLiteValue(w.until?.description),
                         .int(w.publishable ? 1 : 0), SQLiteValue(w.basis), SQLiteValue(d.rulesVersion), .int(now),
                         .int(Int64(a.optional.filled)), .int(Int64(a.optional.total)), .text(l.status), SQLiteValue(l.note),
                         SQLiteValue(a.name)], subject)
            }
            let actor = d.actor, itemCode = item.code
            try await direct.direct { c in
                for r in rows {
                    let id = try c.insert(Self.insertFreshRecord, r.record)
                    try c.insert("""
                        INSERT INTO change_log (at, event, item_code, record_id, version, subject_id, submission_id, actor, note)
                        VALUES (?1, 'record.created', ?2, ?3, 1, ?4, ?5, ?6, NULL)
                        """, [.int(now), .text(itemCode), .int(id), r.subject, .int(submission), .text(actor)])
                }
            }
            result.created += fresh.count
            return
        }
        for part in fresh.chunked(300) {
            let insert = db.insert(into: "credit_records").columns(Self.freshRecordColumns)
            for (a, l) in part {
                let w = a.window
                _ = insert.values([SQLBind(item.code), SQLBind(a.key), SQLBind(l.id), SQLBind(1), SQLBind("active"), SQLBind(a.fields),
                                   SQLBind(a.sealed), SQLBind(d.department), SQLBind(submission), SQLBind(a.row.number), SQLBind(now),
                                   SQLBind(w.decisionDate?.description), SQLBind(w.from?.description), SQLBind(w.until?.description),
                                   SQLBind(w.publishable), SQLBind(w.basis), SQLBind(d.rulesVersion), SQLBind(now),
                                   SQLBind(a.optional.filled), SQLBind(a.optional.total), SQLBind(l.status), SQLBind(l.note),
                                   SQLBind(a.name)])
            }
            // The events, one per new record in row order, written from the rows just inserted: the
            // new ids of this part are exactly this submission's records within the returned range
            // (older records touched by it keep their older, smaller ids).
            let ids = try await insert.returning("id").all().map { try $0.decode(column: "id", as: Int64.self) }
            guard ids.count == part.count, let lo = ids.min(), let hi = ids.max() else {
                throw DomainError.unavailable("保存记录失败：数据库返回的编号数与记录数不符")
            }
            try await db.raw("""
                INSERT INTO change_log (at, event, item_code, record_id, version, subject_id, submission_id, actor, note)
                SELECT \(bind: now), 'record.created', item_code, id, 1, subject_id, submission_id, \(bind: d.actor), NULL
                FROM credit_records WHERE submission_id = \(bind: submission) AND id BETWEEN \(bind: lo) AND \(bind: hi) AND version = 1
                ORDER BY id
                """).run()
            result.created += part.count
        }
    }

    /// The columns of a new record, in the order both insert paths bind them.
    static let freshRecordColumns = ["item_code", "record_key", "subject_id", "version", "status", "fields", "sealed_fields",
                                     "department_code", "submission_id", "source_row", "received_at", "decision_date", "public_from",
                                     "public_until", "publishable", "publicity_basis", "window_rules", "first_received_at",
                                     "optional_filled", "optional_total", "link_status", "link_note", "subject_name"]
    static let insertFreshRecord = "INSERT INTO credit_records (\(freshRecordColumns.joined(separator: ", "))) VALUES (\(placeholders(freshRecordColumns.count, from: 1)))"

    /// The registry key of the subject a record names (its credit code, or a person's identity-number
    /// token), without validating it as a subject.
    func linkKey(_ values: [String: String], item: CatalogItem) -> String? {
        guard let b = item.subject, values[b.name] != nil else { return nil }
        if b.category.flatMap({ values[$0] }) == "自然人" {
            guard b.idType.flatMap({ values[$0] }) == "身份证", let number = b.idNumber.flatMap({ values[$0] }) else { return nil }
            return vault.lookupToken(number)
        }
        return b.code.flatMap { values[$0] }
    }

    /// The subject a record names, as a registry draft, if its code can be used.
    func subjectDraft(_ values: [String: String], item: CatalogItem, channel: SubmissionChannel, validator: IdentifierValidator,
                      today: CivilDate, confirmed: Set<String> = []) -> ValidSubject? {
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
        draft.confirmCodeCheckFailure = confirmed.contains(draft.code) ? true : nil
        return try? SubjectRules.validate(draft, validator: validator, today: today)
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
            try await Self.keepVersion(db, record: r.id, now: now)
            try await db.raw("UPDATE credit_records SET version = version + 1, status = 'revoked' WHERE id = \(bind: r.id)").run()
            try await Self.appendEvent(db, event: "record.revoked", record: r.id, item: itemCode, version: r.version + 1,
                                       subject: r.subject_id, submission: nil, actor: actor, note: reason, now: now)
            var revoked = r.record
            revoked.version += 1
            revoked.status = .revoked
            return revoked
        }
    }

    private struct SubmissionRow: Decodable {
        static let columns = "id, item_code, department_code, channel, received_at, total_rows, created, updated, unchanged, rejected, held"
        var id: Int64; var item_code: String; var department_code: String; var channel: String; var received_at: Int64
        var total_rows: Int; var created: Int; var updated: Int; var unchanged: Int; var rejected: Int; var held: Int
        func summary(rows: [SubmissionSummary.KeptRow]) -> SubmissionSummary {
            SubmissionSummary(id: id, itemCode: item_code, departmentCode: department_code, channel: channel,
                              receivedAt: Clock.date(received_at), totalRows: total_rows, created: created,
                              updated: updated, unchanged: unchanged, rejected: rejected, held: held, rows: rows)
        }
    }

    public func submission(id: Int64) async throws -> SubmissionSummary? {
        struct R: Decodable { var row_number: Int; var outcome: String; var raw_sealed: String; var issues: String }
        guard let s = try await db.raw("""
            SELECT \(SQLQueryString(SubmissionRow.columns)) FROM submissions WHERE id = \(bind: id)
            """).first(decoding: SubmissionRow.self) else { return nil }
        let decoder = JSONDecoder()
        let rows = try await db.raw("""
            SELECT row_number, outcome, raw_sealed, issues FROM submission_rows WHERE submission_id = \(bind: id) ORDER BY row_number
            """).all(decoding: R.self).map { r in
            SubmissionSummary.KeptRow(row: r.row_number, outcome: r.outcome,
                                      raw: try decoder.decode([String: String].self, from: Data(try vault.open(r.raw_sealed).utf8)),
                                      issues: try decoder.decode([RowIssue].self, from: Data(r.issues.utf8)))
        }
        return s.summary(rows: rows)
    }

    public func recentSubmissions(department: String?, limit: Int) async throws -> [SubmissionSummary] {
        let limit = min(max(limit, 1), 500)
        let rows: [SubmissionRow]
        if let department {
            rows = try await db.raw("""
                SELECT \(SQLQueryString(SubmissionRow.columns)) FROM submissions WHERE department_code = \(bind: department)
                ORDER BY id DESC LIMIT \(bind: limit)
                """).all(decoding: SubmissionRow.self)
        } else {
            rows = try await db.raw("""
                SELECT \(SQLQueryString(SubmissionRow.columns)) FROM submissions ORDER BY id DESC LIMIT \(bind: limit)
                """).all(decoding: SubmissionRow.self)
        }
        return rows.map { $0.summary(rows: []) }
    }

    /// `col = value, …` for a record's publicity window.
    /// A record's window set anew (a new version, or the catalog's rules changed). A period the sweep
    /// had closed opens again when the new window ends after today (or never), so that the sweep
    /// closes it — and logs its end — again when it ends; one ended early (repair, stopped) stays closed.
    static func windowAssignments(_ w: PublicityWindow, rules: String, today: CivilDate = .today()) -> SQLQueryString {
        let until = w.until?.description
        let stillEnded = !opensAgain(w, today: today)
        return """
        decision_date = \(bind: w.decisionDate?.description), public_from = \(bind: w.from?.description), \
        public_until = \(bind: until), publishable = \(bind: w.publishable), publicity_basis = \(bind: w.basis), \
        window_rules = \(bind: rules), \
        period_closed = CASE WHEN ended_on IS NOT NULL OR \(bind: stillEnded) THEN period_closed ELSE \(bind: false) END
        """
    }

    /// Whether a window set anew opens a period the sweep had closed: it ends after today, or never.
    static func opensAgain(_ w: PublicityWindow, today: CivilDate) -> Bool {
        w.until.map { $0 > today } ?? true
    }

    static func completenessAssignments(_ c: (filled: Int, total: Int)) -> SQLQueryString {
        "optional_filled = \(bind: c.filled), optional_total = \(bind: c.total)"
    }

    public func publicRecords(subjectID: Int64, on day: CivilDate) async throws -> [CreditRecord] {
        let today = day.description
        return try await db.raw("""
            SELECT \(SQLQueryString(RecordRow.columns)) FROM credit_records
            WHERE subject_id = \(bind: subjectID) AND \(Self.publicOn(today))
            ORDER BY decision_date DESC, id DESC
            """).all(decoding: RecordRow.self).map(\.record)
    }

    /// Applies the catalog's publicity rules to records written under other rules. A record whose
    /// period the sweep had ended (and logged) and whose new window ends after `today` is public
    /// again: that is logged (`record.publicity_restored`), as the ending was.
    public func refreshPublicityWindows(catalog: Catalog, batch: Int = 1000, today: CivilDate) async throws -> Int {
        // Records are written with the rules in force, so once a catalog version has been applied
        // to every record there is nothing to scan for at the next start.
        let applied = "publicity_windows_applied"
        if try await setting(applied) == catalog.version { return 0 }
        struct R: Decodable {
            var id: Int64; var item_code: String; var fields: String; var sealed_fields: String?
            var version: Int; var subject_id: Int64?; var status: String; var period_closed: Bool; var ended_on: String?
        }
        let dialect = database.dialect
        var total = 0
        var after: Int64 = 0
        while true {
            let rows = try await db.raw("""
                SELECT id, item_code, fields, sealed_fields, version, subject_id, status, period_closed, ended_on FROM credit_records
                WHERE id > \(bind: after) AND (window_rules IS NULL OR window_rules <> \(bind: catalog.version) OR optional_total IS NULL)
                ORDER BY id LIMIT \(bind: max(1, batch))
                """).all(decoding: R.self)
            guard let last = rows.last else {
                try await putSetting(applied, catalog.version)
                return total
            }
            after = last.id
            try await database.transaction { db in
                try await Self.lockChangeLog(db, dialect: dialect)
                let now = Clock.millis()
                for r in rows {
                    guard let item = catalog.item(r.item_code) else { continue }
                    var values = try JSONDecoder().decode([String: String].self, from: Data(r.fields.utf8))
                    if let sealed = r.sealed_fields {   // the rule never reads identity numbers, but keep values whole
                        for (k, v) in try JSONDecoder().decode([String: String].self, from: Data(sealed.utf8)) { values[k] = try self.vault.open(v) }
                    }
                    let w = PublicityWindow.of(values, item: item, rules: catalog.publicityRules)
                    try await db.raw("""
                        UPDATE credit_records SET \(Self.windowAssignments(w, rules: catalog.version, today: today)),
                            \(Self.completenessAssignments(item.optionalFilled(values))) WHERE id = \(bind: r.id)
                        """).run()
                    if r.period_closed && r.ended_on == nil && r.status == "active" && Self.opensAgain(w, today: today) {
                        try await Self.appendEvent(db, event: "record.publicity_restored", record: r.id, item: r.item_code, version: r.version,
                                                   subject: r.subject_id, submission: nil, actor: "system:rules",
                                                   note: "公示期限规则变更（\(catalog.version)），自 \(today) 起恢复公示"
                                                       + (w.until.map { "，至 \($0.adding(days: -1)) 止" } ?? "，不设截止日期"),
                                                   now: now)
                    }
                }
            }
            total += rows.count
        }
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
