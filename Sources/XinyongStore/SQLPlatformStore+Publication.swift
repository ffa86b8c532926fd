import Foundation
import SQLKit
import XinyongCore

extension SQLPlatformStore {
    /// A record is public on `today` when it is active, publishable, inside its window and its
    /// publicity was not ended early (repair, an objection upheld).
    static func publicOn(_ today: String) -> SQLQueryString {
        """
        status = 'active' AND publishable = \(bind: true) AND public_from <= \(bind: today) \
        AND (public_until IS NULL OR public_until > \(bind: today)) AND (ended_on IS NULL OR ended_on > \(bind: today))
        """
    }

    /// `LIKE` pattern for a substring, with the pattern characters escaped (`ESCAPE '\'`).
    static func containsPattern(_ text: String) -> String {
        "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// The listing's filters other than the item and the keyword, on `credit_records` unqualified.
    private static func listingFilter(_ q: PublicRecordQuery, today: String) -> SQLQueryString {
        var filter = publicOn(today) + " AND decision_date IS NOT NULL"
        if let d = q.department { filter += " AND department_code = \(bind: d)" }
        if let from = q.decidedFrom { filter += " AND decision_date >= \(bind: from.description)" }
        if let to = q.decidedTo { filter += " AND decision_date <= \(bind: to.description)" }
        return filter
    }

    /// The subjects a keyword names, when there are few enough to list their records through the
    /// subject index (the name search of the site: bigrams, or an exact code); `nil` when it names
    /// more than `limit`.
    private func subjectIDs(named keyword: String, limit: Int = 500) async throws -> [Int64]? {
        let code = IdentifierValidator.normalize(keyword)
        guard Self.looksLikeCode(code) || !SearchText.bigrams(SearchText.normalize(keyword)).isEmpty else { return [] }
        var ids: [Int64] = []
        for page in 1... {
            let found = try await searchSubjects(SubjectQuery(text: keyword, page: page, perPage: SubjectQuery.maxPerPage))
            guard found.totalExact, found.total <= limit else { return nil }
            ids += found.items.map(\.id)
            if ids.count >= found.total || found.items.isEmpty { break }
        }
        return ids
    }

    /// The record sets a listing merges, each an index range walked newest first and cut at
    /// `limit`: per item, its (department's) listing range, or with a keyword the records of the
    /// subjects it names and those whose number (决定书文号) starts with it. Each is a derived
    /// table, so both databases accept its ORDER BY and LIMIT inside a UNION.
    /// - Parameter named: the subjects the keyword names (``subjectIDs(named:limit:)``), `nil` when too many.
    private static func listingSets(_ q: PublicRecordQuery, named: [Int64]?, today: String, limit: Int) -> SQLQueryString {
        let filter = listingFilter(q, today: today)
        var wheres: [SQLQueryString] = []
        for item in Array(Set(q.items)).sorted() {
            let base: SQLQueryString = "item_code = \(bind: item) AND \(filter)"
            guard let k = q.keyword else {
                wheres.append(base)
                continue
            }
            wheres.append(base + " AND record_key >= \(bind: k) AND record_key < \(bind: k + "\u{10FFFF}")")
            if let ids = named {
                for part in ids.chunked(500) { wheres.append(base + " AND subject_id IN (\(binds: Array(part)))") }
            } else {   // a name too common for the subject route: the names the records carry, walked in date order
                wheres.append(base + " AND subject_name LIKE \(bind: containsPattern(k)) ESCAPE '\\'")
            }
        }
        return wheres.map { w -> SQLQueryString in
            """
            SELECT id, decision_date FROM (SELECT id, decision_date FROM credit_records WHERE \(w)
            ORDER BY decision_date DESC, id DESC LIMIT \(bind: limit)) r
            """
        }.joined(separator: " UNION ")
    }

    public func publicRecordPage(_ q: PublicRecordQuery, on day: CivilDate) async throws -> PublicRecordPage {
        let today = day.description
        var named: [Int64]? = []
        if let k = q.keyword { named = try await subjectIDs(named: k) }
        let ids = try await db.raw("""
            SELECT id FROM (\(Self.listingSets(q, named: named, today: today, limit: q.page * q.perPage))) listing
            ORDER BY decision_date DESC, id DESC LIMIT \(bind: q.perPage) OFFSET \(bind: (q.page - 1) * q.perPage)
            """).all().map { try $0.decode(column: "id", as: Int64.self) }
        let entries = try await publicEntries(ids: ids)
        // The total, counted up to the cap: a set cut at its limit makes the union exceed the cap.
        let cap = PublicRecordQuery.countLimit
        let n = try await count("""
            SELECT count(*) AS n FROM (\(Self.listingSets(q, named: named, today: today, limit: cap + 1))) counted
            """)
        return PublicRecordPage(items: entries, total: min(n, cap), totalExact: n <= cap, page: q.page, perPage: q.perPage)
    }

    public func publicRecord(id: Int64, on day: CivilDate) async throws -> PublicRecordEntry? {
        try await publicEntries(ids: [id], publicOn: day).first
    }

    public func countPublicRecords(items: [String], on day: CivilDate) async throws -> Int {
        guard !items.isEmpty else { return 0 }
        return try await count("""
            SELECT count(*) AS n FROM credit_records WHERE item_code IN (\(binds: items)) AND \(Self.publicOn(day.description))
            """)
    }

    /// The records with these ids, in this order, each with the code of the organisation it is
    /// linked to (natural persons' codes are never returned); with `day`, only those public then.
    private func publicEntries(ids: [Int64], publicOn day: CivilDate? = nil) async throws -> [PublicRecordEntry] {
        guard !ids.isEmpty else { return [] }
        let condition: SQLQueryString = day.map { " AND " + Self.publicOn($0.description) } ?? ""
        var byID: [Int64: PublicRecordEntry] = [:]
        for row in try await db.raw("""
            SELECT \(SQLQueryString(RecordRow.columns)),
                   (SELECT s.code_display FROM subjects s WHERE s.id = credit_records.subject_id AND s.kind <> 'natural_person') AS subject_code
            FROM credit_records WHERE id IN (\(binds: ids))\(condition)
            """).all() {
            let r = try row.decode(model: RecordRow.self)
            byID[r.id] = PublicRecordEntry(record: r.record, subjectCode: try row.decode(column: "subject_code", as: String?.self))
        }
        return ids.compactMap { byID[$0] }
    }

    public func publicMarks(subjectIDs: [Int64], items: [String], on day: CivilDate) async throws -> PublicMarks {
        guard !subjectIDs.isEmpty else { return PublicMarks() }
        let marked: SQLQueryString = items.isEmpty ? "disputed = \(bind: true)" : "(item_code IN (\(binds: items)) OR disputed = \(bind: true))"
        var marks = PublicMarks()
        for r in try await db.raw("""
            SELECT DISTINCT subject_id, item_code, disputed FROM credit_records
            WHERE subject_id IN (\(binds: subjectIDs)) AND \(marked) AND \(Self.publicOn(day.description))
            """).all() {
            let subject = try r.decode(column: "subject_id", as: Int64.self)
            let item = try r.decode(column: "item_code", as: String.self)
            if items.contains(item) { marks.items[subject, default: []].insert(item) }
            if try r.decode(column: "disputed", as: Bool.self) { marks.disputed.insert(subject) }
        }
        return marks
    }
}
