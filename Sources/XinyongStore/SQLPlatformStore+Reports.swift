import Foundation
import SQLKit
import XinyongCore
import XinyongLedger

extension SQLPlatformStore: ReportStore {
    public func recordEvidence(recordIDs: [Int64]) async throws -> [Int64: RecordEvidence] {
        struct Row: Decodable { var record_id: Int64; var version: Int; var idx: Int64; var data: String; var fields: String? }
        var out: [Int64: RecordEvidence] = [:]
        for part in Array(Set(recordIDs)).sorted().chunked(500) {
            // Every logged event of these records in log order; the last one per record wins.
            let rows = try await db.raw("""
                SELECT c.record_id, c.version, l.idx, l.data, COALESCE(v.fields, r.fields) AS fields
                FROM change_log c
                JOIN ledger_leaves l ON l.seq = c.seq
                LEFT JOIN credit_record_versions v ON v.record_id = c.record_id AND v.version = c.version
                LEFT JOIN credit_records r ON r.id = c.record_id AND r.version = c.version
                WHERE c.record_id IN (\(binds: Array(part))) ORDER BY l.idx
                """).all(decoding: Row.self)
            for r in rows {
                out[r.record_id] = RecordEvidence(recordID: r.record_id, version: r.version, leafIndex: UInt64(r.idx), leaf: Array(r.data.utf8),
                                                  fields: r.fields ?? "", salt: vault.ledgerSalt(recordID: r.record_id))
            }
        }
        return out
    }

    public func ledgerSubjectKey(subjectID: Int64) -> [UInt8] { vault.ledgerSubjectKey(subjectID: subjectID) }

    public func issueReport(subjectID: Int64, kind: ReportKind, issuedAt: Date, validUntil: CivilDate, requestedBy: String,
                            build: @escaping @Sendable (_ id: Int64, _ code: String) throws -> (number: String, body: [UInt8])) async throws -> IssuedReport {
        // Two short writes with the signing between them, not one transaction around it: holding
        // SQLite's write lock while the report is encoded and signed made concurrent reports wait
        // (p95 at 4 clients 63 ms -> 113 ms). A row whose build failed keeps no body and is never shown.
        for _ in 0..<5 {
            let code = ReportCodes.verificationCode()
            guard let id = try await db.raw("""
                INSERT INTO credit_reports (code, subject_id, kind, issued_at, valid_until, requested_by)
                VALUES (\(bind: code), \(bind: subjectID), \(bind: kind.rawValue), \(bind: Clock.millis(issuedAt)), \(bind: validUntil.description), \(bind: requestedBy))
                ON CONFLICT (code) DO NOTHING RETURNING id
                """).first(decodingColumn: "id", as: Int64.self) else { continue }
            let (number, body) = try build(id, code)
            try await db.raw("""
                UPDATE credit_reports SET number = \(bind: number), body = \(bind: String(decoding: body, as: UTF8.self)) WHERE id = \(bind: id)
                """).run()
            return IssuedReport(id: id, number: number, code: code, subjectID: subjectID, kind: kind, issuedAt: issuedAt, validUntil: validUntil,
                                requestedBy: requestedBy, body: body)
        }
        throw DomainError.conflict("无法生成唯一的报告验证码，请重试")
    }

    public func ledgerPending() async throws -> Bool {
        struct Row: Decodable { var changes: Int64?; var logged: Int64?; var checks: Int64?; var checked: Int64? }
        let r = try await db.raw("""
            SELECT (SELECT max(seq) FROM change_log) AS changes, (SELECT max(seq) FROM ledger_leaves WHERE seq > 0) AS logged,
                   (SELECT max(id) FROM checks) AS checks, (SELECT min(seq) FROM ledger_leaves WHERE seq < 0) AS checked
            """).first(decoding: Row.self)
        guard let r else { return false }
        return (r.changes ?? 0) > (r.logged ?? 0) || (r.checks ?? 0) > -(r.checked ?? 0)
    }

    public func issuedReport(number: String?, code: String?) async throws -> IssuedReport? {
        struct Row: Decodable {
            var id: Int64; var number: String; var code: String; var subject_id: Int64; var kind: String; var issued_at: Int64
            var valid_until: String; var requested_by: String; var body: String
        }
        let filter: SQLQueryString
        if let number { filter = "number = \(bind: number)" } else if let code { filter = "code = \(bind: code)" } else { return nil }
        guard let r = try await db.raw("""
            SELECT id, number, code, subject_id, kind, issued_at, valid_until, requested_by, body FROM credit_reports
            WHERE \(filter) AND body IS NOT NULL
            """).first(decoding: Row.self), let kind = ReportKind(rawValue: r.kind), let until = CivilDate(r.valid_until) else { return nil }
        return IssuedReport(id: r.id, number: r.number, code: r.code, subjectID: r.subject_id, kind: kind, issuedAt: Clock.date(r.issued_at),
                            validUntil: until, requestedBy: r.requested_by, body: Array(r.body.utf8))
    }

    public func issuedReports(subjectID: Int64, limit: Int) async throws -> [IssuedReport] {
        struct Row: Decodable {
            var id: Int64; var number: String; var code: String; var kind: String; var issued_at: Int64; var valid_until: String; var requested_by: String
        }
        return try await db.raw("""
            SELECT id, number, code, kind, issued_at, valid_until, requested_by FROM credit_reports
            WHERE subject_id = \(bind: subjectID) AND body IS NOT NULL ORDER BY id DESC LIMIT \(bind: limit)
            """).all(decoding: Row.self).compactMap { r in
            guard let kind = ReportKind(rawValue: r.kind), let until = CivilDate(r.valid_until) else { return nil }
            return IssuedReport(id: r.id, number: r.number, code: r.code, subjectID: subjectID, kind: kind, issuedAt: Clock.date(r.issued_at),
                                validUntil: until, requestedBy: r.requested_by, body: [])
        }
    }
}
