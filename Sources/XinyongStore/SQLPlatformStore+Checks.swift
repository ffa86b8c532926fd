import Foundation
import SQLKit
import PostgresKit
import XinyongCore

extension SQLPlatformStore {
    // MARK: Finding subjects in bulk

    /// What a check shows of a subject, read by column: a check does not need the registration details.
    private static let checkColumnList = "id, kind, code_display, name, status"
    private static let checkColumns = SQLQueryString(checkColumnList)

    /// `?k, ?k+1, …` for `n` parameters numbered from `k` (n ≥ 1).
    static func placeholders(_ n: Int, from k: Int = 1) -> String { (k..<k + n).map { "?\($0)" }.joined(separator: ", ") }

    /// A subject as a check shows it, from the columns of ``checkColumnList``.
    private static func checkSubject(id: Int64, kind: String, code: String, name: String, status: String) -> Subject {
        Subject(id: id, kind: SubjectKind(rawValue: kind) ?? .otherOrganization, code: code, name: name,
                status: SubjectStatus(rawValue: status) ?? .active,
                createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))
    }

    /// The same columns, in that order, read by position.
    private static func checkSubject(_ r: ScanRow) -> Subject {
        checkSubject(id: r.int64(0), kind: r.string(1), code: r.string(2), name: r.string(3), status: r.string(4))
    }

    private static func checkSubject(_ row: any SQLRow) throws -> Subject {
        checkSubject(id: try row.decode(column: "id", as: Int64.self), kind: try row.decode(column: "kind", as: String.self),
                     code: try row.decode(column: "code_display", as: String.self), name: try row.decode(column: "name", as: String.self),
                     status: try row.decode(column: "status", as: String.self))
    }

    /// A record of a trigger item as a check reads it, from the columns of ``triggerColumns``.
    private static let triggerColumns = "id, item_code, subject_id, fields, department_code, decision_date, public_until, disputed"

    private static func triggerRecord(id: Int64, item: String, fields text: String, department: String, decided: String?, until: String?,
                                      disputed: Bool, decoder: JSONDecoder) throws -> TriggerRecord {
        let fields = try JSONText.flatObject(text) ?? decoder.decode([String: String].self, from: Data(text.utf8))
        return TriggerRecord(recordID: id, itemCode: item, fields: fields, departmentCode: department,
                             decisionDate: decided.flatMap { CivilDate($0) }, until: until.flatMap { CivilDate($0) }, severity: nil,
                             disputed: disputed)
    }

    public func checkFacts(codes: [String], names: [String], items: [String], on day: CivilDate) async throws -> CheckFacts {
        let orgCodes = codes.filter { $0.count == 9 }
        // lookup key (the code, or an identity number's token) → the code asked
        let byKey = Dictionary(codes.filter { $0.count != 9 }.flatMap { code in codeKeys(code).map { ($0, code) } },
                               uniquingKeysWith: { _, last in last })
        let keys = Array(byKey.keys)
        let today = day.description
        if let scanner = database.scanner {   // SQLite: one trip to the thread pool, statements kept prepared (see SQLiteScanner)
            return try await scanner.read { c in
                var facts = CheckFacts()
                for part in keys.chunked(500) {
                    for (key, subject) in try c.query("SELECT \(Self.checkColumnList), code_key FROM subjects WHERE code_key IN (\(Self.placeholders(part.count)))",
                                                      part.map(SQLiteValue.text), { r in (r.string(5), Self.checkSubject(r)) }) {
                        if let code = byKey[key] { facts.byCode[code] = subject }
                    }
                }
                for part in orgCodes.chunked(500) {
                    for (code, subject) in try c.query("SELECT \(Self.checkColumnList), org_code FROM subjects WHERE org_code IN (\(Self.placeholders(part.count))) ORDER BY id",
                                                       part.map(SQLiteValue.text), { r in (r.string(5), Self.checkSubject(r)) })
                    where facts.byCode[code] == nil {
                        facts.byCode[code] = subject
                    }
                }
                for part in names.chunked(500) {
                    for (name, subject) in try c.query("SELECT \(Self.checkColumnList), name_key FROM subjects WHERE name_key IN (\(Self.placeholders(part.count))) ORDER BY id",
                                                       part.map(SQLiteValue.text), { r in (r.string(5), Self.checkSubject(r)) }) {
                        facts.byName[name, default: []].append(subject)
                    }
                }
                guard !items.isEmpty else { return facts }
                let decoder = JSONDecoder()
                for part in facts.identified.chunked(500) {
                    let n = part.count
                    for (subject, record) in try c.query("""
                        SELECT \(Self.triggerColumns) FROM credit_records
                        WHERE subject_id IN (\(Self.placeholders(n))) AND item_code IN (\(Self.placeholders(items.count, from: n + 1)))
                          AND status = 'active' AND (public_until IS NULL OR public_until > ?\(n + items.count + 1))
                          AND (ended_on IS NULL OR ended_on > ?\(n + items.count + 1))
                        """, part.map(SQLiteValue.int) + items.map(SQLiteValue.text) + [.text(today)], { r in
                        (r.int64(2), try Self.triggerRecord(id: r.int64(0), item: r.string(1), fields: r.string(3), department: r.string(4),
                                                            decided: r.optionalString(5), until: r.optionalString(6), disputed: r.int64(7) != 0,
                                                            decoder: decoder))
                    }) {
                        facts.records[subject, default: []].append(record)
                    }
                }
                return facts
            }
        }
        if database.dialect == .postgres { return try await postgresCheckFacts(byKey: byKey, orgCodes: orgCodes, names: names, items: items, today: today) }
        // SQLite in memory: the same statements through SQLKit.
        var facts = CheckFacts()
        for part in keys.chunked(500) {
            for row in try await db.raw("SELECT \(Self.checkColumns), code_key FROM subjects WHERE code_key IN (\(binds: Array(part)))").all() {
                if let code = byKey[try row.decode(column: "code_key", as: String.self)] { facts.byCode[code] = try Self.checkSubject(row) }
            }
        }
        for part in orgCodes.chunked(500) {
            for row in try await db.raw("SELECT \(Self.checkColumns), org_code FROM subjects WHERE org_code IN (\(binds: Array(part))) ORDER BY id").all() {
                let code = try row.decode(column: "org_code", as: String.self)
                if facts.byCode[code] == nil { facts.byCode[code] = try Self.checkSubject(row) }
            }
        }
        for part in names.chunked(500) {
            for row in try await db.raw("SELECT \(Self.checkColumns), name_key FROM subjects WHERE name_key IN (\(binds: Array(part))) ORDER BY id").all() {
                facts.byName[try row.decode(column: "name_key", as: String.self), default: []].append(try Self.checkSubject(row))
            }
        }
        guard !items.isEmpty else { return facts }
        let decoder = JSONDecoder()
        for part in facts.identified.chunked(500) {
            for row in try await db.raw("""
                SELECT \(SQLQueryString(Self.triggerColumns)) FROM credit_records
                WHERE subject_id IN (\(binds: Array(part))) AND item_code IN (\(binds: items)) AND status = 'active'
                  AND (public_until IS NULL OR public_until > \(bind: today)) AND (ended_on IS NULL OR ended_on > \(bind: today))
                """).all() {
                facts.records[try row.decode(column: "subject_id", as: Int64.self), default: []].append(try Self.triggerRecord(
                    id: try row.decode(column: "id", as: Int64.self), item: try row.decode(column: "item_code", as: String.self),
                    fields: try row.decode(column: "fields", as: String.self), department: try row.decode(column: "department_code", as: String.self),
                    decided: try row.decode(column: "decision_date", as: String?.self), until: try row.decode(column: "public_until", as: String?.self),
                    disputed: try row.decode(column: "disputed", as: Bool.self), decoder: decoder))
            }
        }
        return facts
    }

    /// PostgreSQL: one statement finds the subjects by code key, organisation code and name (only
    /// the ways asked for: a single check's statement has one branch, prepared once per connection),
    /// each with its in-force records of `items` (a left join: a subject without any comes
    /// once, with nulls), read by column position. Rows come by way of finding, then subject id, so
    /// the organisation code's first subject by id wins as on SQLite; a subject found two ways brings
    /// its records twice, and each is kept once. Records of a subject not identified (a name shared
    /// by several) are dropped, as ``CheckFacts/records`` holds only the identified. Planned without
    /// parallel workers beyond 100 subjects (on the 1M-subject demo database PostgreSQL started two
    /// from about 150, never below 100, where the two extra round trips would not pay).
    private func postgresCheckFacts(byKey: [String: String], orgCodes: [String], names: [String], items: [String],
                                    today: String) async throws -> CheckFacts {
        let rows: [CheckFactRow]
        if orgCodes.isEmpty, names.isEmpty, byKey.count == 1, let key = byKey.keys.first {   // a single check by code
            rows = try await database.postgresRows(prepared: CheckFactsByCode(key: key, items: items, today: today))
        } else {
            // Only the ways asked for, each a branch.
            var binds = PostgresBindings()
            func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
                binds.append(value)
                return "$\(binds.count)"
            }
            let ways = [("code_key", Array(byKey.keys)), ("org_code", orgCodes), ("name_key", names)].enumerated().compactMap { way, asked in
                asked.1.isEmpty ? nil : (column: asked.0, way: way, condition: "\(asked.0) = ANY(\(bind(asked.1)))")
            }
            guard !ways.isEmpty else { return CheckFacts() }
            let sql = Self.checkFactsSQL(ways, items: bind(items), today: bind(today))
            rows = try await database.postgresRows(PostgresQuery(unsafeSQL: sql, binds: binds), serial: byKey.count + orgCodes.count + names.count > 100)
                .map { try $0.decode(CheckFactRow.self) }
        }
        var facts = CheckFacts()
        var records: [Int64: [TriggerRecord]] = [:]
        var seen = Set<Int64>()
        var last: (way: Int, id: Int64)?
        let decoder = JSONDecoder()
        for row in rows {
            let (id, kind, code, name, status, asked, way, recordID, item, fields, department, decided, until, disputed) = row
            if last?.way != way || last?.id != id {
                last = (way, id)
                let subject = Self.checkSubject(id: id, kind: kind, code: code, name: name, status: status)
                switch way {
                case 0: if let code = byKey[asked] { facts.byCode[code] = subject }
                case 1: if facts.byCode[asked] == nil { facts.byCode[asked] = subject }
                default: facts.byName[asked, default: []].append(subject)
                }
            }
            if let recordID, let item, let fields, let department, seen.insert(recordID).inserted {
                records[id, default: []].append(try Self.triggerRecord(id: recordID, item: item, fields: fields, department: department,
                                                                       decided: decided, until: until, disputed: disputed ?? false, decoder: decoder))
            }
        }
        for id in facts.identified { facts.records[id] = records[id] }
        return facts
    }

    /// One row of a check's read on PostgreSQL: a subject, what it was asked for by and which way
    /// (0 code key, 1 organisation code, 2 name), and one of its in-force records or nulls.
    typealias CheckFactRow = (Int64, String, String, String, String, String, Int, Int64?, String?, String?, String?, String?, String?, Bool?)

    /// The read of ``postgresCheckFacts``: one branch per way asked (subjects whose `column` meets
    /// `condition`), each subject left-joined to its in-force records of the items in `items` on the
    /// day `today` (parameters).
    static func checkFactsSQL(_ ways: [(column: String, way: Int, condition: String)], items: String, today: String) -> String {
        let branches = ways.map { w in "SELECT \(checkColumnList), \(w.column) AS asked, \(w.way) AS way FROM subjects WHERE \(w.condition)" }
        return """
            WITH s AS (\(branches.joined(separator: " UNION ALL ")))
            SELECT s.id, s.kind, s.code_display, s.name, s.status, s.asked, s.way,
                   r.id, r.item_code, r.fields, r.department_code, r.decision_date, r.public_until, r.disputed
            FROM s LEFT JOIN credit_records r
              ON r.subject_id = s.id AND r.item_code = ANY(\(items)) AND r.status = 'active'
             AND (r.public_until IS NULL OR r.public_until > \(today)) AND (r.ended_on IS NULL OR r.ended_on > \(today))
            ORDER BY s.way, s.id
            """
    }

    /// The read of a single check by code, prepared once per connection. With `code_key = $1`, not
    /// `= ANY($1)`, PostgreSQL keeps one generic plan for it after its first few runs; with an array
    /// it planned every call again (0.33–0.39 ms of its time per check, against 0.06 ms to run it).
    struct CheckFactsByCode: PostgresPreparedStatement {
        static let sql = checkFactsSQL([("code_key", 0, "code_key = $1")], items: "$2", today: "$3")
        static let bindingDataTypes: [PostgresDataType] = [.text, .textArray, .text]
        typealias Row = CheckFactRow
        var key: String
        var items: [String]
        var today: String

        func makeBindings() throws -> PostgresBindings {
            var binds = PostgresBindings(capacity: 3)
            binds.append(key)
            binds.append(items)
            binds.append(today)
            return binds
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
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
        if database.dialect == .postgres {
            // One prepared statement per check (the check, then its answers and hits through unnest):
            // one round trip, parsed and planned once per connection; a lone check needs no transaction.
            return try await database.withCheckLogConnection { c, logger in
                if drafts.count == 1 { return [try await Self.insertCheck(drafts[0], on: c, logger: logger)] }
                return try await c.withTransaction(logger: logger) { c in
                    var ids: [Int64] = []
                    for d in drafts { ids.append(try await Self.insertCheck(d, on: c, logger: logger)) }
                    return ids
                }
            }
        }
        return try await database.transaction { db in   // SQLite in memory
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

    /// A check with its answers and hits in one PostgreSQL statement, prepared once per connection.
    /// A subject id of 0 stands for none (ids start at 1): the array binds carry no nulls.
    struct InsertCheck: PostgresPreparedStatement {
        static let sql = """
            WITH c AS (
                INSERT INTO checks (at, actor, actor_name, department_code, matter, purpose, channel, subjects, found, with_hits)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                RETURNING id
            ), answers AS (
                INSERT INTO check_answers (check_id, position, subject_id, answer)
                SELECT c.id, x.position, NULLIF(x.subject, 0), x.answer FROM c, unnest($11, $12, $13) AS x(position, subject, answer)
            ), hits AS (
                INSERT INTO check_hits (check_id, position, measure, subject_id)
                SELECT c.id, y.position, y.measure, y.subject FROM c, unnest($14, $15, $16) AS y(position, measure, subject)
            )
            SELECT id FROM c
            """
        static let bindingDataTypes: [PostgresDataType] = [.int8, .text, .text, .text, .text, .text, .text, .int8, .int8, .int8,
                                                            .int8Array, .int8Array, .textArray, .int8Array, .textArray, .int8Array]
        typealias Row = Int64
        var draft: CheckDraft

        func makeBindings() throws -> PostgresBindings {
            let d = draft
            var binds = PostgresBindings(capacity: 16)
            binds.append(Clock.millis(d.at)); binds.append(d.actor); binds.append(d.actorName); binds.append(d.departmentCode)
            binds.append(d.matter); binds.append(d.purpose); binds.append(d.channel)
            binds.append(Int64(d.answers.count)); binds.append(Int64(d.answers.filter(\.found).count))
            binds.append(Int64(d.answers.filter(\.hasHits).count))
            binds.append(d.answers.map { Int64($0.position) }); binds.append(d.answers.map { $0.subjectId ?? 0 })
            binds.append(d.encoded.map { String(decoding: $0, as: UTF8.self) })
            let hits = d.answers.flatMap { a in a.measures.map { (position: Int64(a.position), measure: $0.code, subject: a.subjectId ?? 0) } }
            binds.append(hits.map(\.position)); binds.append(hits.map(\.measure)); binds.append(hits.map(\.subject))
            return binds
        }

        func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
    }

    private static func insertCheck(_ d: CheckDraft, on c: PostgresConnection, logger: Logger) async throws -> Int64 {
        var id: Int64?
        for try await row in try await c.execute(InsertCheck(draft: d), logger: logger) { id = row }
        guard let id else { throw DomainError.unavailable("核查记录未能写入") }
        return id
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
///
/// The caller that finds no write under way writes itself (with whatever has queued), and hands
/// the next write to the first caller still waiting: an uncontended item costs no task and no
/// hand-over between threads beyond its own trip to the database.
actor GroupCommit<Item: Sendable, Result: Sendable> {
    private enum Turn: Sendable { case written(Result), write }
    /// Items waiting for a write; the head's waiter is nil while its own caller writes it.
    private var pending: [(item: Item, waiter: CheckedContinuation<Turn, any Error>?)] = []
    private var writing = false
    /// At most this many items per write.
    private let limit: Int

    init(limit: Int = 64) { self.limit = limit }

    func submit(_ item: Item, write: @Sendable ([Item]) async throws -> [Result]) async throws -> Result {
        if writing {
            let turn = try await withCheckedThrowingContinuation { pending.append((item, $0)) }
            if case .written(let result) = turn { return result }
            // Our turn to write: our item is at the head of `pending`, its waiter cleared.
        } else {
            writing = true
            pending.insert((item, nil), at: 0)
        }
        let batch = pending.prefix(limit)
        pending.removeFirst(batch.count)
        defer { handOver() }
        do {
            let results = try await write(batch.map(\.item))
            for (entry, result) in zip(batch, results).dropFirst() { entry.waiter?.resume(returning: .written(result)) }
            return results[0]
        } catch {
            for entry in batch.dropFirst() { entry.waiter?.resume(throwing: error) }
            throw error
        }
    }

    /// The next write goes to the first caller waiting, or none is under way.
    private func handOver() {
        guard !pending.isEmpty, let next = pending[0].waiter else {
            writing = false
            return
        }
        pending[0].waiter = nil
        next.resume(returning: .write)
    }
}
