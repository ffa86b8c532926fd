import Foundation
import SQLKit
import XinyongCore

extension SQLPlatformStore {
    /// Beijing days as epoch-millisecond bounds, and an epoch-millisecond column as a Beijing day
    /// number: integer arithmetic, the same in both dialects.
    static let beijingOffset: Int64 = 8 * 3_600_000
    static func dayStart(_ d: CivilDate) -> Int64 { Int64(d.daysSinceEpoch) * 86_400_000 - beijingOffset }
    /// `column` is always a literal column name of this file, never input.
    private static func beijingDay(_ column: StaticString) -> SQLQueryString { "((\(unsafeRaw: column.description) + \(unsafeRaw: String(beijingOffset))) / 86400000)" }

    public func qualityInput(from: CivilDate, to: CivilDate, department: String?, item: String?) async throws -> QualityInput {
        let lo = Self.dayStart(from), hi = Self.dayStart(to.adding(days: 1))
        func scope(_ prefix: StaticString) -> SQLQueryString {   // a literal table prefix ("" or "s.")
            var q: SQLQueryString = ""
            if let department { q = q + " AND \(unsafeRaw: prefix.description)department_code = \(bind: department)" }
            if let item { q = q + " AND \(unsafeRaw: prefix.description)item_code = \(bind: item)" }
            return q
        }
        struct S: Decodable {
            var department_code: String; var item_code: String; var day: Int; var n: Int; var total_rows: Int; var created: Int
            var updated: Int; var unchanged: Int; var rejected: Int; var held: Int
        }
        let submissions = try await db.raw("""
            SELECT department_code, item_code, \(Self.beijingDay("received_at")) AS day, COUNT(*) AS n, SUM(total_rows) AS total_rows,
                   SUM(created) AS created, SUM(updated) AS updated, SUM(unchanged) AS unchanged, SUM(rejected) AS rejected, SUM(held) AS held
            FROM submissions WHERE received_at >= \(bind: lo) AND received_at < \(bind: hi)\(scope(""))
            GROUP BY department_code, item_code, \(Self.beijingDay("received_at"))
            """).all(decoding: S.self).map {
            QualityInput.SubmissionDay(department: $0.department_code, item: $0.item_code, day: CivilDate(daysSinceEpoch: $0.day),
                                       submissions: $0.n, rows: $0.total_rows, created: $0.created, updated: $0.updated,
                                       unchanged: $0.unchanged, rejected: $0.rejected, held: $0.held)
        }
        struct R: Decodable {
            var department_code: String; var item_code: String; var decision_date: String?; var day: Int; var n: Int
            var filled: Int?; var total: Int?
        }
        let records = try await db.raw("""
            SELECT department_code, item_code, decision_date, \(Self.beijingDay("first_received_at")) AS day, COUNT(*) AS n,
                   SUM(optional_filled) AS filled, SUM(optional_total) AS total
            FROM credit_records WHERE first_received_at >= \(bind: lo) AND first_received_at < \(bind: hi)\(scope(""))
            GROUP BY department_code, item_code, decision_date, \(Self.beijingDay("first_received_at"))
            """).all(decoding: R.self).map {
            QualityInput.RecordDay(department: $0.department_code, item: $0.item_code, decisionDate: $0.decision_date.flatMap { CivilDate($0) },
                                   receivedDay: CivilDate(daysSinceEpoch: $0.day), records: $0.n, optionalFilled: $0.filled ?? 0,
                                   optionalTotal: $0.total ?? 0)
        }
        // Rejected rows' problems, read in pages (each row's issues are a small JSON array).
        struct I: Decodable { var submission_id: Int64; var row_number: Int; var department_code: String; var item_code: String; var issues: String }
        struct Key: Hashable { var department: String; var item: String; var kind: RowIssue.Kind?; var field: String? }
        var counts: [Key: (label: String?, rows: Int)] = [:]
        var after: (Int64, Int) = (0, 0)
        let decoder = JSONDecoder()
        while true {
            let page = try await db.raw("""
                SELECT r.submission_id, r.row_number, s.department_code, s.item_code, r.issues
                FROM submission_rows r JOIN submissions s ON s.id = r.submission_id
                WHERE r.outcome = 'rejected' AND s.received_at >= \(bind: lo) AND s.received_at < \(bind: hi)\(scope("s."))
                  AND (r.submission_id > \(bind: after.0) OR (r.submission_id = \(bind: after.0) AND r.row_number > \(bind: after.1)))
                ORDER BY r.submission_id, r.row_number LIMIT 5000
                """).all(decoding: I.self)
            guard let last = page.last else { break }
            after = (last.submission_id, last.row_number)
            for row in page {
                var seen = Set<Key>()
                for issue in (try? decoder.decode([RowIssue].self, from: Data(row.issues.utf8))) ?? [] {
                    let key = Key(department: row.department_code, item: row.item_code, kind: issue.kind, field: issue.field)
                    guard seen.insert(key).inserted else { continue }
                    counts[key, default: (issue.label, 0)].rows += 1
                }
            }
        }
        let issues = counts.map {
            QualityInput.IssueCount(department: $0.key.department, item: $0.key.item, kind: $0.key.kind, field: $0.key.field,
                                    label: $0.value.label, rows: $0.value.rows)
        }
        return QualityInput(submissions: submissions, records: records, issues: issues)
    }
}
