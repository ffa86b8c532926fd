import Foundation
import SQLKit
import XinyongCore

extension SQLPlatformStore {
    /// A record is public on `today` when it is active, publishable and inside its window.
    static func publicOn(_ today: String) -> SQLQueryString {
        """
        status = 'active' AND publishable = \(bind: true) AND public_from <= \(bind: today) \
        AND (public_until IS NULL OR public_until > \(bind: today))
        """
    }

    /// `LIKE` pattern for a substring, with the pattern characters escaped (`ESCAPE '\'`).
    static func containsPattern(_ text: String) -> String {
        "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// The listing's filters other than the item, on `credit_records` unqualified.
    private static func listingFilter(_ q: PublicRecordQuery, today: String) -> SQLQueryString {
        var filter = publicOn(today) + " AND decision_date IS NOT NULL"
        if let d = q.department { filter += " AND department_code = \(bind: d)" }
        if let from = q.decidedFrom { filter += " AND decision_date >= \(bind: from.description)" }
        if let to = q.decidedTo { filter += " AND decision_date <= \(bind: to.description)" }
        if let k = q.keyword {
            let pattern = containsPattern(k)
            filter += " AND (subject_name LIKE \(bind: pattern) ESCAPE '\\' OR record_key LIKE \(bind: pattern) ESCAPE '\\')"
        }
        return filter
    }

    public func publicRecordPage(_ q: PublicRecordQuery, on day: CivilDate) async throws -> PublicRecordPage {
        let filter = Self.listingFilter(q, today: day.description)
        let items = Array(Set(q.items)).sorted()
        // Each item is one range of the (item_code, decision_date, id) index, walked newest first
        // and cut at the deepest row this page needs; the ranges are merged, never the whole match
        // set sorted. Each range is a derived table so both databases accept its ORDER BY/LIMIT.
        let reach = q.page * q.perPage
        let ranges = items.enumerated().map { i, item -> SQLQueryString in
            """
            SELECT id, decision_date FROM (SELECT id, decision_date FROM credit_records WHERE item_code = \(bind: item) AND \(filter)
            ORDER BY decision_date DESC, id DESC LIMIT \(bind: reach)) r\(unsafeRaw: String(i))
            """
        }
        let ids = try await db.raw("""
            SELECT id FROM (\(ranges.joined(separator: " UNION ALL "))) listing
            ORDER BY decision_date DESC, id DESC LIMIT \(bind: q.perPage) OFFSET \(bind: (q.page - 1) * q.perPage)
            """).all().map { try $0.decode(column: "id", as: Int64.self) }
        let entries = try await publicEntries(ids: ids)
        // Totals up to the cap, one bounded count per item.
        var total = 0
        var exact = true
        for item in items {
            let n = try await count("""
                SELECT count(*) AS n FROM (SELECT 1 AS x FROM credit_records WHERE item_code = \(bind: item) AND \(filter)
                LIMIT \(bind: PublicRecordQuery.countLimit + 1)) t
                """)
            total += n
            if n > PublicRecordQuery.countLimit { exact = false }
        }
        if total > PublicRecordQuery.countLimit { total = PublicRecordQuery.countLimit; exact = false }
        return PublicRecordPage(items: entries, total: total, totalExact: exact, page: q.page, perPage: q.perPage)
    }

    public func publicRecord(id: Int64, on day: CivilDate) async throws -> PublicRecordEntry? {
        let found = try await db.raw("""
            SELECT id FROM credit_records WHERE id = \(bind: id) AND \(Self.publicOn(day.description))
            """).all()
        guard !found.isEmpty else { return nil }
        return try await publicEntries(ids: [id]).first
    }

    public func countPublicRecords(items: [String], on day: CivilDate) async throws -> Int {
        guard !items.isEmpty else { return 0 }
        return try await count("""
            SELECT count(*) AS n FROM credit_records WHERE item_code IN (\(binds: items)) AND \(Self.publicOn(day.description))
            """)
    }

    /// The records with these ids, in this order, each with the code of the organisation it is
    /// linked to (natural persons' codes are never returned).
    private func publicEntries(ids: [Int64]) async throws -> [PublicRecordEntry] {
        guard !ids.isEmpty else { return [] }
        var byID: [Int64: PublicRecordEntry] = [:]
        for row in try await db.raw("""
            SELECT \(SQLQueryString(RecordRow.columns)),
                   (SELECT s.code_display FROM subjects s WHERE s.id = credit_records.subject_id AND s.kind <> 'natural_person') AS subject_code
            FROM credit_records WHERE id IN (\(binds: ids))
            """).all() {
            let r = try row.decode(model: RecordRow.self)
            byID[r.id] = PublicRecordEntry(record: r.record, subjectCode: try row.decode(column: "subject_code", as: String?.self))
        }
        return ids.compactMap { byID[$0] }
    }
}
