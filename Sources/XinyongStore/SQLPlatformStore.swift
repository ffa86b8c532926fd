import Foundation
import SQLKit
import XinyongCore

/// The platform's storage on SQLite or PostgreSQL: one implementation of the domain's ports,
/// written once against SQLKit with bound parameters only.
public struct SQLPlatformStore: PlatformStore {
    public let database: StoreDatabase
    public let vault: IdentityVault
    var db: any SQLDatabase { database.sql }
    /// Concurrent credit checks' log entries, committed together.
    let checkLog = GroupCommit<CheckDraft, Int64>()

    public init(database: StoreDatabase, vault: IdentityVault) {
        self.database = database
        self.vault = vault
    }

    // MARK: Health

    public func ping() async throws {
        try await database.ping()
    }

    // MARK: Settings

    public func setting(_ key: String) async throws -> String? {
        try await db.raw("SELECT value FROM platform_settings WHERE key = \(bind: key)").first(decodingColumn: "value", as: String.self)
    }

    public func putSetting(_ key: String, _ value: String) async throws {
        try await database.transaction { db in
            try await db.raw("DELETE FROM platform_settings WHERE key = \(bind: key)").run()
            try await db.raw("INSERT INTO platform_settings (key, value) VALUES (\(bind: key), \(bind: value))").run()
        }
    }

    /// Records the data key's check value on a new database, and refuses a different key later:
    /// with the wrong key, identity numbers could neither be found nor read.
    public func verifyDataKey() async throws {
        if let stored = try await setting("data_key_check") {
            guard stored == vault.keyCheck else {
                throw KeyMismatch()
            }
        } else {
            try await putSetting("data_key_check", vault.keyCheck)
        }
    }

    /// True on a database that has never recorded a data key (a new one).
    public static func hasNoDataKeyCheck(_ database: StoreDatabase) async throws -> Bool {
        try await database.sql.raw("SELECT value FROM platform_settings WHERE key = 'data_key_check'").first() == nil
    }

    public struct KeyMismatch: Error, CustomStringConvertible {
        public var description: String {
            "数据密钥与数据库不匹配（data_key_check 不一致）：请使用创建该数据库时的密钥文件或 XINYONG_DATA_KEY。"
        }
    }

    // MARK: Subjects: reads

    /// The keys a normalised code may be stored under: a credit code as itself, an identity number by its keyed hash.
    func codeKeys(_ code: String) -> [String] {
        var keys = [code]
        if code.count == 15, let upgraded = IdentifierValidator.upgradeLegacyResidentID(code) {
            keys.append(vault.lookupToken(upgraded))
        } else if IdentifierValidator.looksLikeResidentID(code) {
            keys.append(vault.lookupToken(code))
        }
        return keys
    }

    public func subject(code: String) async throws -> Subject? {
        let code = IdentifierValidator.normalize(code)
        let row: SubjectRow?
        if code.count == 9 {
            row = try await db.raw("""
                SELECT \(SQLQueryString(SubjectRow.columns)) FROM subjects s WHERE s.org_code = \(bind: code) ORDER BY s.id LIMIT 1
                """).first().map(SubjectRow.init(row:))
        } else {
            row = try await db.raw("""
                SELECT \(SQLQueryString(SubjectRow.columns)) FROM subjects WHERE code_key IN (\(binds: codeKeys(code)))
                """).first().map(SubjectRow.init(row:))
        }
        guard let row else { return nil }
        return try await withFormerNames(row)
    }

    /// Former names arise only from updates, so a subject still at version 1 needs no second query.
    private func withFormerNames(_ row: SubjectRow) async throws -> Subject {
        row.subject(formerNames: row.version > 1 ? try await formerNames(row.id) : [])
    }

    public func subject(id: Int64) async throws -> Subject? {
        guard let row = try await db.raw("""
            SELECT \(SQLQueryString(SubjectRow.columns)) FROM subjects s WHERE s.id = \(bind: id)
            """).first().map(SubjectRow.init(row:)) else { return nil }
        return try await withFormerNames(row)
    }

    private func formerNames(_ id: Int64) async throws -> [FormerName] {
        try await db.raw("""
            SELECT name, until_on FROM subject_former_names WHERE subject_id = \(bind: id) ORDER BY recorded_at DESC, name
            """).all(decoding: FormerNameRow.self).map { FormerName(name: $0.name, until: $0.until_on.flatMap { CivilDate($0) }) }
    }

    public func countSubjects() async throws -> Int {
        try await db.raw("SELECT count(*) AS n FROM subjects").first(decodingColumn: "n", as: Int.self) ?? 0
    }

    // MARK: Subjects: search

    /// Does the query read as an identifier rather than a name?
    static func looksLikeCode(_ text: String) -> Bool {
        let ascii = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        return ascii && [9, 15, 18].contains(text.count) && text.contains(where: \.isNumber)
    }

    public func searchSubjects(_ query: SubjectQuery) async throws -> Page<Subject> {
        let codeForm = IdentifierValidator.normalize(query.text)
        if Self.looksLikeCode(codeForm) {
            var items: [Subject] = []
            if let s = try await subject(code: codeForm), !s.kind.isNaturalPerson || query.kinds.contains(.naturalPerson),
               query.kinds.isEmpty || query.kinds.contains(s.kind), query.statuses.isEmpty || query.statuses.contains(s.status) {
                items = [s]
            }
            return Page(items: query.page == 1 ? items : [], total: items.count, page: query.page, perPage: query.perPage)
        }
        return try await searchNames(query)
    }

    /// Name search over the bigram index. Results come in three bands — exact name, names that
    /// start with the text, names that contain it — so ranking never sorts the whole match set:
    /// the first two bands are index ranges on `name_key`, the third is walked in index order.
    private func searchNames(_ query: SubjectQuery) async throws -> Page<Subject> {
        let key = SearchText.normalize(query.text)
        let grams = SearchText.bigrams(key)
        guard !grams.isEmpty else {
            throw DomainError.invalid(field: "q", reason: "请输入至少 2 个字的名称或完整的代码")
        }
        let upper = key + "\u{10FFFF}"
        // Natural persons are never in the name index: they are found by identity number only.
        let kinds = (query.kinds.isEmpty ? Set(SubjectKind.allCases) : query.kinds).subtracting([.naturalPerson])
        guard !kinds.isEmpty else { return Page(items: [], total: 0, page: query.page, perPage: query.perPage) }
        let allOrganisations = kinds.count == SubjectKind.allCases.count - 1
        var kindFilter: SQLQueryString = allOrganisations
            ? "s.kind <> 'natural_person'" : "s.kind IN (\(binds: kinds.map(\.rawValue).sorted()))"
        if !query.statuses.isEmpty { kindFilter += " AND s.status IN (\(binds: query.statuses.map(\.rawValue).sorted()))" }
        let needsVerify = key.count > 2
        let likePattern = Self.containsPattern(key)
        // Every bigram entry carries its name key (migration 0022): candidates are verified as read.
        let verify: SQLQueryString = needsVerify ? "AND g.name_key LIKE \(bind: likePattern) ESCAPE '\\'" : ""
        let driving = try await rarestGram(grams)

        // The matches in their bands, as ids, each band read once and only to the limit (a place
        // name such as 湖里区 begins a hundred thousand names): the exact name and the names that
        // start with the text in one range of `name_key`, every match (the total) from the bigram
        // index; with no kind or status filter, from that index alone.
        let limit = query.countLimit + 1
        var exact: [Int64] = [], prefix: [Int64] = []
        for r in try await db.raw("""
            SELECT s.id, s.name_key FROM subjects s
            WHERE s.name_key >= \(bind: key) AND s.name_key < \(bind: upper) AND \(kindFilter)
            ORDER BY s.name_key, s.id LIMIT \(bind: limit)
            """).all() {
            let id = try r.decode(column: "id", as: Int64.self)
            if try r.decode(column: "name_key", as: String.self) == key { exact.append(id) } else { prefix.append(id) }
        }
        // Natural persons are never in the name index: only a kind or status chosen by the user needs
        // the subject, read in the narrow index (migration 0021). SQLite's planner prefers the
        // table's own key for a lookup by id and must be told; PostgreSQL weighs the index itself.
        // Dialect difference.
        let narrow: SQLQueryString = database.dialect == .sqlite ? " INDEXED BY subjects_name_check" : ""
        let matches: SQLQueryString = allOrganisations && query.statuses.isEmpty
            ? """
              SELECT g.subject_id AS id FROM subject_name_grams g
              WHERE g.gram = \(bind: driving) \(verify) ORDER BY g.subject_id LIMIT \(bind: limit)
              """
            : """
              SELECT g.subject_id AS id FROM subject_name_grams g JOIN subjects s\(narrow) ON s.id = g.subject_id
              WHERE g.gram = \(bind: driving) \(verify) AND \(kindFilter) ORDER BY g.subject_id LIMIT \(bind: limit)
              """
        let all = try await db.raw(matches).all().map { try $0.decode(column: "id", as: Int64.self) }
        let total = min(all.count, query.countLimit)
        let starting = Set(exact).union(prefix)
        // Ranked: exact names by id, then names that start with the text by name, then the rest by
        // id; cut at the counted total, so that paging never runs past what the total promises.
        let ranked = (exact + prefix + all.lazy.filter { !starting.contains($0) }).prefix(total)
        let shown = Array(ranked.dropFirst(query.offset).prefix(query.perPage))
        var items: [Int64: SubjectRow] = [:]
        if !shown.isEmpty {
            for r in try await db.raw("SELECT \(SQLQueryString(SubjectRow.columns)) FROM subjects WHERE id IN (\(binds: shown))").all() {
                let row = try SubjectRow(row: r)
                items[row.id] = row
            }
        }
        return Page(items: shown.compactMap { items[$0]?.subject() }, total: total, totalExact: all.count <= query.countLimit,
                    page: query.page, perPage: query.perPage)
    }

    /// The query bigram with the fewest names, by the bigram statistics (a bigram they do not
    /// know is newer than the last refresh, hence rare), to drive the search.
    private func rarestGram(_ grams: [String]) async throws -> String {
        guard grams.count > 1 else { return grams[0] }
        struct Stat: Decodable { var gram: String; var n: Int64 }
        let stats = try await db.raw("""
            SELECT gram, n FROM subject_name_gram_stats WHERE gram IN (\(binds: grams))
            """).all(decoding: Stat.self)
        let known = Dictionary(stats.map { ($0.gram, $0.n) }, uniquingKeysWith: { a, _ in a })
        return grams.min { (known[$0] ?? 0) < (known[$1] ?? 0) }!
    }

    /// Recomputes the bigram statistics from the name index (seconds for millions of names).
    public func refreshGramStatistics() async throws {
        try await database.transaction { db in
            try await db.raw("DELETE FROM subject_name_gram_stats").run()
            try await db.raw("""
                INSERT INTO subject_name_gram_stats (gram, n) SELECT gram, count(*) FROM subject_name_grams GROUP BY gram
                """).run()
        }
        try await putSetting("gram_stats_refreshed_at", String(Clock.millis()))
    }

    /// When the bigram statistics were last refreshed, if ever.
    public func gramStatisticsRefreshedAt() async throws -> Date? {
        try await setting("gram_stats_refreshed_at").flatMap(Int64.init).map(Clock.date)
    }

    func count(_ sql: SQLQueryString) async throws -> Int {
        try await db.raw(sql).first(decodingColumn: "n", as: Int.self) ?? 0
    }

    // MARK: Subjects: writes

    struct Stored {
        var codeKey: String
        var display: String
        var sealed: String?
    }

    func storedCode(_ s: ValidSubject) throws -> Stored {
        if s.kind.isNaturalPerson {
            return Stored(codeKey: vault.lookupToken(s.code), display: IdentifierValidator.maskResidentID(s.code),
                          sealed: try vault.seal(s.code))
        }
        return Stored(codeKey: s.code, display: s.code, sealed: nil)
    }

    public func createSubject(_ s: ValidSubject, actor: String) async throws -> Subject {
        let stored = try storedCode(s)
        let now = Clock.millis()
        let id: Int64
        do {
            let dialect = database.dialect
            id = try await database.transaction { db in
                try await Self.insertSubject(db, s, stored: stored, actor: actor, now: now, dialect: dialect)
            }
        } catch where StoreErrors.isUniqueViolation(error) {
            throw DomainError.conflict("代码 \(stored.display) 已登记，不能重复创建；如需修改请使用更新")
        }
        return try await subject(id: id)!
    }

    /// Inserts a subject (and its name bigrams) inside the caller's transaction; returns its id.
    static func insertSubject(_ db: any SQLDatabase, _ s: ValidSubject, stored: Stored, actor: String, now: Int64,
                              dialect: Dialect) async throws -> Int64 {
        let row = try await db.raw("""
            INSERT INTO subjects (kind, code_key, code_display, code_sealed, org_code, name, name_key,
                legal_representative, registered_capital_yuan, established_on, industry, region_code, address,
                status, code_check_failed, synthetic, version, created_at, updated_at, created_by, updated_by)
            VALUES (\(bind: s.kind.rawValue), \(bind: stored.codeKey), \(bind: stored.display), \(bind: stored.sealed),
                \(bind: s.orgCode), \(bind: s.name), \(bind: s.nameKey), \(bind: s.legalRepresentative),
                \(bind: s.registeredCapitalYuan), \(bind: s.establishedOn?.description), \(bind: s.industry),
                \(bind: s.regionCode), \(bind: s.address), \(bind: s.status.rawValue), \(bind: s.codeCheckFailed),
                \(bind: s.synthetic), 1, \(bind: now), \(bind: now), \(bind: actor), \(bind: actor))
            RETURNING id
            """).first(decodingColumn: "id", as: Int64.self)
        guard let id = row else { throw DomainError.unavailable("登记主体失败：数据库未返回编号") }
        if !s.kind.isNaturalPerson {
            try await insertGrams(db, [(id, s.nameKey)], dialect: dialect)
        }
        return id
    }

    public func updateSubject(code: String, with s: ValidSubject, expectedVersion: Int?, actor: String) async throws -> Subject {
        guard let current = try await subject(code: code) else {
            throw DomainError.notFound(what: "主体 \(code)")
        }
        guard current.kind.isNaturalPerson == s.kind.isNaturalPerson else {
            throw DomainError.invalid(field: "kind", reason: "不能在自然人和组织之间变更主体类型")
        }
        if let v = expectedVersion, v != current.version {
            throw DomainError.conflict("主体已被他人修改（当前版本 \(current.version)，提交的版本 \(v)），请刷新后重试")
        }
        let now = Clock.millis()
        let today = CivilDate.today()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let snapshot = String(decoding: try encoder.encode(current), as: UTF8.self)
        let dialect = database.dialect
        try await database.transaction { db in
            let changed = try await db.raw("""
                UPDATE subjects SET kind = \(bind: s.kind.rawValue), name = \(bind: s.name), name_key = \(bind: s.nameKey),
                    legal_representative = \(bind: s.legalRepresentative), registered_capital_yuan = \(bind: s.registeredCapitalYuan),
                    established_on = \(bind: s.establishedOn?.description), industry = \(bind: s.industry),
                    region_code = \(bind: s.regionCode), address = \(bind: s.address), status = \(bind: s.status.rawValue),
                    code_check_failed = \(bind: s.codeCheckFailed), synthetic = \(bind: s.synthetic),
                    version = version + 1, updated_at = \(bind: now), updated_by = \(bind: actor)
                WHERE id = \(bind: current.id) AND version = \(bind: current.version)
                RETURNING version
                """).all()
            guard changed.count == 1 else {
                throw DomainError.conflict("主体已被他人修改，请刷新后重试")
            }
            try await db.raw("""
                INSERT INTO subject_versions (subject_id, version, snapshot, changed_at, changed_by)
                VALUES (\(bind: current.id), \(bind: current.version), \(bind: snapshot), \(bind: now), \(bind: actor))
                """).run()
            if current.name != s.name {
                try await db.raw("DELETE FROM subject_former_names WHERE subject_id = \(bind: current.id) AND name = \(bind: current.name)").run()
                try await db.raw("""
                    INSERT INTO subject_former_names (subject_id, name, until_on, recorded_at)
                    VALUES (\(bind: current.id), \(bind: current.name), \(bind: today.description), \(bind: now))
                    """).run()
                try await db.raw("DELETE FROM subject_former_names WHERE subject_id = \(bind: current.id) AND name = \(bind: s.name)").run()
                if !s.kind.isNaturalPerson {
                    try await db.raw("DELETE FROM subject_name_grams WHERE subject_id = \(bind: current.id)").run()
                    try await Self.insertGrams(db, [(current.id, s.nameKey)], dialect: dialect)
                }
            }
        }
        return try await subject(id: current.id)!
    }

    /// Adds the bigrams of each name to the name index, in statements sized for both databases' bind limits.
    static func insertGrams(_ db: any SQLDatabase, _ names: [(Int64, String)], dialect: Dialect) async throws {
        var rows: [[any SQLExpression]] = []
        for (id, key) in names {
            for g in SearchText.bigrams(key) { rows.append([SQLBind(g), SQLBind(id), SQLBind(key)]) }
        }
        for chunk in rows.chunked(5000) {
            var insert = db.insert(into: "subject_name_grams").columns("gram", "subject_id", "name_key")
            for row in chunk { insert = insert.values(row) }
            try await insert.run()
        }
    }

    // MARK: Bulk load (demo data, benchmarks)

    /// Loads many subjects fast: multi-row inserts in one transaction per call, with ids assigned here.
    public func bulkInsert(_ subjects: [ValidSubject], actor: String) async throws {
        let now = Clock.millis()
        let dialect = database.dialect
        try await database.transaction { db in
            let maxID = try await db.raw("SELECT coalesce(max(id), 0) AS n FROM subjects").first(decodingColumn: "n", as: Int64.self) ?? 0
            var names: [(Int64, String)] = []
            var rows: [[any SQLExpression]] = []
            for (i, s) in subjects.enumerated() {
                let id = maxID + Int64(i) + 1
                let stored = try storedCode(s)
                if !s.kind.isNaturalPerson { names.append((id, s.nameKey)) }
                let values: [any Encodable & Sendable] = [
                    id, s.kind.rawValue, stored.codeKey, stored.display, stored.sealed, s.orgCode, s.name, s.nameKey, s.legalRepresentative,
                    s.registeredCapitalYuan, s.establishedOn?.description, s.industry, s.regionCode, s.address,
                    s.status.rawValue, s.codeCheckFailed, s.synthetic, 1, now, now, actor, actor,
                ]
                rows.append(values.map { SQLBind($0) })
            }
            for chunk in rows.chunked(400) {
                var insert = db.insert(into: "subjects")
                    .columns("id", "kind", "code_key", "code_display", "code_sealed", "org_code", "name", "name_key", "legal_representative",
                             "registered_capital_yuan", "established_on", "industry", "region_code", "address", "status",
                             "code_check_failed", "synthetic", "version", "created_at", "updated_at", "created_by", "updated_by")
                for row in chunk { insert = insert.values(row) }
                try await insert.run()
            }
            try await Self.insertGrams(db, names, dialect: dialect)
            if dialect == .postgres {   // dialect difference: explicit ids do not advance an identity sequence
                try await db.raw("SELECT setval(pg_get_serial_sequence('subjects', 'id'), (SELECT max(id) FROM subjects))").run()
            }
        }
    }

    // MARK: Access log

    public func recordAccess(actor: String, action: String, entries: [(subjectID: Int64?, detail: String)]) async throws {
        let at = Clock.millis()
        @Sendable func insert(_ db: any SQLDatabase, _ part: ArraySlice<(subjectID: Int64?, detail: String)>) async throws {
            let rows: [SQLQueryString] = part.map { "(\(bind: at), \(bind: actor), \(bind: action), \(bind: $0.subjectID), \(bind: $0.detail))" }
            try await db.raw("INSERT INTO access_log (at, actor, action, subject_id, detail) VALUES \(rows.joined(separator: ", "))").run()
        }
        let parts = entries.chunked(200)
        // One statement is atomic by itself (the common case: one line); several share a transaction.
        if parts.count == 1 { return try await insert(db, parts[0]) }
        try await database.transaction { db in
            for part in parts { try await insert(db, part) }
        }
    }

    public struct AccessEntry: Decodable, Sendable {
        public var at: Int64
        public var actor: String
        public var action: String
        public var subject_id: Int64?
        public var detail: String
    }

    public func accessLog(subjectID: Int64) async throws -> [AccessEntry] {
        try await db.raw("""
            SELECT at, actor, action, subject_id, detail FROM access_log WHERE subject_id = \(bind: subjectID) ORDER BY at, id
            """).all(decoding: AccessEntry.self)
    }
}
