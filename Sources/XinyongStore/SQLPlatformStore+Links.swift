import Foundation
import SQLKit
import XinyongCore

extension SQLPlatformStore {
    public func linkQueue(limit: Int) async throws -> [PendingLink] {
        let limit = min(max(limit, 1), 1000)
        struct R: Decodable {
            var id: Int64; var item_code: String; var department_code: String; var submission_id: Int64; var source_row: Int
            var subject_name: String?; var link_note: String?; var received_at: Int64
        }
        let records = try await db.raw("""
            SELECT id, item_code, department_code, submission_id, source_row, subject_name, link_note, received_at
            FROM credit_records WHERE link_status = 'pending' AND status = 'active' ORDER BY id LIMIT \(bind: limit)
            """).all(decoding: R.self).map {
            PendingLink(kind: .record, recordID: $0.id, submissionID: $0.submission_id, row: $0.source_row, itemCode: $0.item_code,
                        departmentCode: $0.department_code, name: $0.subject_name, code: nil, note: $0.link_note ?? "", receivedAt: Clock.date($0.received_at))
        }
        struct H: Decodable {
            var submission_id: Int64; var row_number: Int; var raw_sealed: String; var issues: String; var item_code: String
            var department_code: String; var received_at: Int64
        }
        let catalog = try await catalog()
        let decoder = JSONDecoder()
        let held = try await db.raw("""
            SELECT r.submission_id, r.row_number, r.raw_sealed, r.issues, s.item_code, s.department_code, s.received_at
            FROM submission_rows r JOIN submissions s ON s.id = r.submission_id
            WHERE r.outcome = 'held' AND r.resolved_at IS NULL ORDER BY r.submission_id, r.row_number LIMIT \(bind: limit)
            """).all(decoding: H.self).map { h -> PendingLink in
            let raw = try decoder.decode([String: String].self, from: Data(try vault.open(h.raw_sealed).utf8))
            let issues = try decoder.decode([RowIssue].self, from: Data(h.issues.utf8))
            let binding = catalog.item(h.item_code)?.subject
            return PendingLink(kind: .held, recordID: nil, submissionID: h.submission_id, row: h.row_number, itemCode: h.item_code,
                               departmentCode: h.department_code, name: binding.flatMap { raw[$0.name] },
                               code: binding?.code.flatMap { raw[$0] }.map { IdentifierValidator.normalize($0) },
                               note: issues.map(\.reason).joined(separator: "；"), receivedAt: Clock.date(h.received_at))
        }
        return records + held
    }

    public func linkRecord(id: Int64, subjectCode: String, actor: String) async throws -> CreditRecord {
        guard let subject = try await subject(code: IdentifierValidator.normalize(subjectCode)) else {
            throw DomainError.notFound(what: "代码为 \(subjectCode.prefix(40)) 的主体")
        }
        let now = Clock.millis()
        let dialect = database.dialect
        return try await database.transaction { db in
            try await Self.lockChangeLog(db, dialect: dialect)
            guard let r = try await db.raw("""
                SELECT \(SQLQueryString(RecordRow.columns)) FROM credit_records WHERE id = \(bind: id)
                """).first(decoding: RecordRow.self) else { throw DomainError.notFound(what: "记录 \(id)") }
            guard r.link_status == "pending" else { throw DomainError.conflict("该记录已关联主体，不在待关联队列中") }
            try await Self.keepVersion(db, record: r.id, now: now)
            let note = "信用办人工关联到主体 \(subject.code)"
            try await db.raw("""
                UPDATE credit_records SET version = version + 1, subject_id = \(bind: subject.id), link_status = 'manual',
                    link_note = \(bind: note) WHERE id = \(bind: id)
                """).run()
            try await Self.appendEvent(db, event: "record.updated", record: id, item: r.item_code, version: r.version + 1,
                                       subject: subject.id, submission: nil, actor: actor, note: note, now: now)
            var linked = r.record
            linked.version += 1
            linked.subjectID = subject.id
            return linked
        }
    }

    /// Keeps a record's current version before it changes.
    /// Copies a record's current version into its history before it is changed (in the database,
    /// so the version kept is exactly the one stored).
    static func keepVersion(_ db: any SQLDatabase, record id: Int64, now: Int64) async throws {
        try await db.raw("""
            INSERT INTO credit_record_versions (record_id, version, status, fields, sealed_fields, department_code,
                                                submission_id, source_row, received_at, replaced_at)
            SELECT id, version, status, fields, sealed_fields, department_code, submission_id, source_row, received_at, \(bind: now)
            FROM credit_records WHERE id = \(bind: id)
            """).run()
    }

    public func resolveHeldRow(submissionID: Int64, row: Int, confirm: Bool, reason: String, actor: String,
                               catalog: Catalog) async throws -> SubmissionResult? {
        struct H: Decodable { var raw_sealed: String; var resolved_at: Int64?; var item_code: String; var department_code: String }
        guard let h = try await db.raw("""
            SELECT r.raw_sealed, r.resolved_at, s.item_code, s.department_code FROM submission_rows r JOIN submissions s ON s.id = r.submission_id
            WHERE r.submission_id = \(bind: submissionID) AND r.row_number = \(bind: row) AND r.outcome = 'held'
            """).first(decoding: H.self) else { throw DomainError.notFound(what: "待确认的行") }
        guard h.resolved_at == nil else { throw DomainError.conflict("该行已处理") }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count >= 2 else { throw DomainError.invalid(field: "reason", reason: "请写明确认或退回的理由（如核实过的登记信息来源）") }
        var result: SubmissionResult? = nil
        if confirm {
            guard let item = catalog.item(h.item_code) else { throw DomainError.notFound(what: "目录项 \(h.item_code)") }
            let raw = try JSONDecoder().decode([String: String].self, from: Data(try vault.open(h.raw_sealed).utf8))
            let validator = CatalogValidator(catalog: catalog)
            let today = CivilDate.today()
            let first = validator.validate(raw, item: item, today: today)
            let confirmed = Set(first.held.compactMap { $0.field.flatMap { first.values[$0] } })
            let rows = [IntakeRow(number: row, raw: raw, result: validator.validate(raw, item: item, today: today, confirmedCodes: confirmed))]
            let r = try await applySubmission(SubmissionDraft(item: item, department: h.department_code, channel: .api,
                                                              actor: actor, rows: rows, catalog: catalog, confirmedCodes: confirmed))
            guard r.created + r.updated + r.unchanged == 1 else {
                throw DomainError.invalid(field: "row", reason: "确认后该行仍未通过校验：\((r.rejected + r.held).map(\.issue.reason).joined(separator: "；"))")
            }
            result = r
        }
        let resolution = confirm ? "已确认（提交 \(result!.id)）：\(reason)" : "已退回：\(reason)"
        try await db.raw("""
            UPDATE submission_rows SET resolved_at = \(bind: Clock.millis()), resolved_by = \(bind: actor), resolution = \(bind: resolution)
            WHERE submission_id = \(bind: submissionID) AND row_number = \(bind: row)
            """).run()
        return result
    }

    public func suspectCodes(limit: Int) async throws -> SuspectCodes {
        let limit = min(max(limit, 1), 1000)
        // One code, several names: records linked to a subject carry a name that is neither its
        // registered name nor a former name (compared in normalised form).
        struct A: Decodable { var subject_id: Int64; var subject_name: String; var n: Int }
        let pairs = try await db.raw("""
            SELECT r.subject_id, r.subject_name, COUNT(*) AS n FROM credit_records r JOIN subjects s ON s.id = r.subject_id
            WHERE r.subject_name IS NOT NULL AND r.subject_name <> s.name AND s.kind <> 'natural_person'
            GROUP BY r.subject_id, r.subject_name ORDER BY r.subject_id LIMIT \(bind: limit * 20)
            """).all(decoding: A.self)
        var byCode: [Int64: [(String, Int)]] = [:]
        for p in pairs { byCode[p.subject_id, default: []].append((p.subject_name, p.n)) }
        var codes: [SuspectCodes.CodeWithNames] = []
        for (id, names) in byCode.sorted(by: { $0.key < $1.key }) {
            guard let s = try await subject(id: id) else { continue }
            let known = Set(([s.name] + s.formerNames.map(\.name)).map(SearchText.normalize))
            let other = names.filter { !known.contains(SearchText.normalize($0.0)) }
            guard !other.isEmpty else { continue }
            codes.append(.init(subjectID: id, code: s.code, registeredName: s.name, otherNames: other.map(\.0).sorted(),
                               records: other.reduce(0) { $0 + $1.1 }))
            if codes.count >= limit { break }
        }
        // One name, several codes: the same name carried by records of different subjects.
        struct B: Decodable { var subject_name: String; var n: Int; var k: Int }
        let names = try await db.raw("""
            SELECT r.subject_name, COUNT(*) AS n, COUNT(DISTINCT r.subject_id) AS k FROM credit_records r JOIN subjects s ON s.id = r.subject_id
            WHERE r.subject_name IS NOT NULL AND s.kind <> 'natural_person'
            GROUP BY r.subject_name HAVING COUNT(DISTINCT r.subject_id) > 1 ORDER BY r.subject_name LIMIT \(bind: limit)
            """).all(decoding: B.self)
        // Their codes, in one statement.
        var codesByName: [String: [String]] = [:]
        if !names.isEmpty {
            struct C: Decodable { var subject_name: String; var code_display: String }
            for c in try await db.raw("""
                SELECT DISTINCT r.subject_name, s.code_display FROM credit_records r JOIN subjects s ON s.id = r.subject_id
                WHERE r.subject_name IN (\(binds: names.map(\.subject_name))) ORDER BY r.subject_name, s.code_display
                """).all(decoding: C.self) { codesByName[c.subject_name, default: []].append(c.code_display) }
        }
        let several = names.map { SuspectCodes.NameWithCodes(name: $0.subject_name, codes: codesByName[$0.subject_name] ?? [], records: $0.n) }
        return SuspectCodes(codesWithSeveralNames: codes, namesWithSeveralCodes: several)
    }
}
