import Crypto
import Foundation
import SQLKit
import XinyongCore

extension SQLPlatformStore {
    private static func decodeCase(_ text: String) throws -> RightsCase {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .millisecondsSince1970
        return try d.decode(RightsCase.self, from: Data(text.utf8))
    }

    private static func caseJSON(_ c: RightsCase) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .millisecondsSince1970
        return String(decoding: try e.encode(c), as: UTF8.self)
    }

    /// The stored definition: the applicant's contact only masked (the clear one is sealed in its own column).
    private func storedDefinition(_ c: RightsCase) throws -> String {
        var stored = c
        stored.applicant.contact = RightsCase.Applicant.mask(c.applicant.contact)
        return try Self.caseJSON(stored)
    }

    private static func markDue(_ c: RightsCase) -> String? {
        c.kind == .objection && c.status == .submitted && !c.marked ? c.deadlines.first { $0.key == "accept" }?.due : nil
    }

    private func appendStep(_ c: RightsCase, db: any SQLDatabase, actor: String, now: Int64) async throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .millisecondsSince1970
        let step = String(decoding: try e.encode(c.steps.last!), as: UTF8.self)
        try await db.raw("""
            INSERT INTO rights_case_steps (case_id, version, status, step, at, actor)
            VALUES (\(bind: c.id), \(bind: c.version), \(bind: c.status.rawValue), \(bind: step), \(bind: now), \(bind: actor))
            """).run()
    }

    /// Inbox entries, and for the applicant an outbox message to the sealed contact.
    private func deliver(_ notices: [Notice], case c: RightsCase, contactSealed: String, db: any SQLDatabase, now: Int64) async throws {
        for n in notices {
            var audiences = [n.audience]
            if n.audience == "applicant" {
                let contact = try vault.open(contactSealed)
                try await db.raw("""
                    INSERT INTO outbox (at, channel, address_sealed, title, body)
                    VALUES (\(bind: now), \(bind: contact.contains("@") ? "email" : "sms"), \(bind: contactSealed), \(bind: n.title), \(bind: n.body))
                    """).run()
                audiences = c.applicant.isSubject ? c.subjectID.map { ["subject:\($0)"] } ?? [] : []
            }
            for a in audiences {
                try await db.raw("""
                    INSERT INTO notifications (audience, at, title, body, link) VALUES (\(bind: a), \(bind: now), \(bind: n.title), \(bind: n.body), \(bind: n.link))
                    """).run()
            }
        }
    }

    public func createRightsCase(_ c: RightsCase, queryCodeHash: String?, files: [(purpose: String, file: StoredFile)], notices: [Notice],
                                 actor: String) async throws -> RightsCase {
        let now = Clock.millis()
        let contact = try vault.seal(c.applicant.contact)
        let sealedFiles = try files.map { f in
            (f.purpose, f.file, try vault.seal(Data(f.file.data).base64EncodedString()), Hex.encode(SHA256.hash(data: f.file.data)))
        }
        return try await database.transaction { db in
            var saved = c
            saved.version = 1
            saved.id = try await db.raw("""
                INSERT INTO rights_cases (kind, record_id, subject_id, department_code, status, is_open, marked, mark_due, query_code,
                                          contact_sealed, definition, version, created_at, updated_at)
                VALUES (\(bind: c.kind.rawValue), \(bind: c.recordID), \(bind: c.subjectID), \(bind: c.department), \(bind: c.status.rawValue),
                        \(bind: c.status.isOpen), \(bind: c.marked), \(bind: Self.markDue(c)), \(bind: queryCodeHash), \(bind: contact), '', 1,
                        \(bind: now), \(bind: now)) RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            for (purpose, file, sealed, hash) in sealedFiles {
                let id = try await db.raw("""
                    INSERT INTO rights_case_files (case_id, purpose, name, content_type, size, sha256, content_sealed, created_at)
                    VALUES (\(bind: saved.id), \(bind: purpose), \(bind: file.name), \(bind: file.contentType), \(bind: file.data.count), \(bind: hash),
                            \(bind: sealed), \(bind: now)) RETURNING id
                    """).first(decodingColumn: "id", as: Int64.self)!
                saved.attachments.append(.init(id: id, name: file.name, purpose: purpose, size: file.data.count))
            }
            try await db.raw("UPDATE rights_cases SET definition = \(bind: try self.storedDefinition(saved)) WHERE id = \(bind: saved.id)").run()
            try await self.appendStep(saved, db: db, actor: actor, now: now)
            try await self.deliver(notices.map { Self.linked($0, to: saved) }, case: saved, contactSealed: contact, db: db, now: now)
            return saved
        }
    }

    /// A notice written before the case had its number names it.
    private static func linked(_ n: Notice, to c: RightsCase) -> Notice {
        var n = n
        n.title = n.title.replacingOccurrences(of: "{id}", with: String(c.id))
        n.body = n.body.replacingOccurrences(of: "{id}", with: String(c.id))
        n.link = n.link?.replacingOccurrences(of: "{id}", with: String(c.id))
        return n
    }

    public func saveRightsCase(_ c: RightsCase, expectedVersion: Int, effect: RecordEffect?, notices: [Notice], actor: String) async throws -> RightsCase {
        let now = Clock.millis()
        let dialect = database.dialect
        let today = c.steps.last?.on ?? CivilDate.today().description
        return try await database.transaction { db in
            var saved = c
            saved.version = expectedVersion + 1
            guard let contact = try await db.raw("""
                UPDATE rights_cases SET status = \(bind: saved.status.rawValue), is_open = \(bind: saved.status.isOpen), marked = \(bind: saved.marked),
                    mark_due = \(bind: Self.markDue(saved)), department_code = \(bind: saved.department),
                    definition = \(bind: try self.storedDefinition(saved)), version = \(bind: saved.version), updated_at = \(bind: now)
                WHERE id = \(bind: c.id) AND version = \(bind: expectedVersion) RETURNING contact_sealed
                """).first(decodingColumn: "contact_sealed", as: String.self) else {
                throw DomainError.conflict("该申请已被他人处理（版本已变化），请刷新后再操作")
            }
            try await self.appendStep(saved, db: db, actor: actor, now: now)
            if let effect { try await self.apply(effect, case: saved, db: db, dialect: dialect, actor: actor, today: today, now: now) }
            try await self.deliver(notices, case: saved, contactSealed: contact, db: db, now: now)
            return saved
        }
    }

    /// What a step does to its record, with the change-log event, in the step's transaction.
    private func apply(_ effect: RecordEffect, case c: RightsCase, db: any SQLDatabase, dialect: Dialect, actor: String, today: String,
                       now: Int64) async throws {
        try await Self.lockChangeLog(db, dialect: dialect)
        let id = c.recordID
        // The mark stays while another objection about the record is still marked.
        let othersMarked = try await db.raw("""
            SELECT count(*) AS n FROM rights_cases WHERE record_id = \(bind: id) AND id <> \(bind: c.id) AND marked = \(bind: true)
            """).first(decodingColumn: "n", as: Int.self) ?? 0
        let assignments: SQLQueryString
        let note: String
        switch effect {
        case .mark:
            assignments = "disputed = \(bind: true)"
            note = "\(c.kind.label)第 \(c.id) 号：标注“异议处理中”"
        case .unmark:
            guard othersMarked == 0 else { return }
            assignments = "disputed = \(bind: false)"
            note = "\(c.kind.label)第 \(c.id) 号：\(c.status.label)，移除异议标注"
        case .stop:
            assignments = "ended_on = \(bind: today), end_reason = 'stopped', period_closed = \(bind: true), disputed = \(bind: othersMarked > 0)"
            note = "异议申诉第 \(c.id) 号：异议成立，停止公示"
        case .repair:
            assignments = "ended_on = \(bind: today), end_reason = 'repaired', period_closed = \(bind: true)"
            note = "信用修复第 \(c.id) 号：准予修复，终止公示、停止共享和使用"
        case .unrepair:
            assignments = "ended_on = NULL, end_reason = NULL, period_closed = \(bind: false)"
            note = "信用修复第 \(c.id) 号：以虚假材料取得，撤销修复、恢复公示"
        }
        guard let r = try await db.raw("""
            UPDATE credit_records SET \(assignments) WHERE id = \(bind: id) RETURNING item_code, version, subject_id
            """).first() else { throw DomainError.notFound(what: "该记录") }
        try await Self.appendEvent(db, event: effect.rawValue, record: id, item: try r.decode(column: "item_code", as: String.self),
                                   version: try r.decode(column: "version", as: Int.self), subject: try r.decode(column: "subject_id", as: Int64?.self),
                                   submission: nil, actor: actor, note: note, now: now)
    }

    public func rightsCase(id: Int64) async throws -> RightsCase? {
        try await db.raw("SELECT definition FROM rights_cases WHERE id = \(bind: id)")
            .first(decodingColumn: "definition", as: String.self).map(Self.decodeCase)
    }

    public func rightsCase(queryCodeHash: String) async throws -> RightsCase? {
        try await db.raw("SELECT definition FROM rights_cases WHERE query_code = \(bind: queryCodeHash)")
            .first(decodingColumn: "definition", as: String.self).map(Self.decodeCase)
    }

    public func rightsCases(kind: RightsCase.Kind?, department: String?, subjectID: Int64?, recordID: Int64?, open: Bool?, limit: Int) async throws -> [RightsCase] {
        var filter: SQLQueryString = "1 = 1"
        if let kind { filter += " AND kind = \(bind: kind.rawValue)" }
        if let department { filter += " AND department_code = \(bind: department)" }
        if let subjectID { filter += " AND subject_id = \(bind: subjectID)" }
        if let recordID { filter += " AND record_id = \(bind: recordID)" }
        if let open { filter += " AND is_open = \(bind: open)" }
        return try await db.raw("SELECT definition FROM rights_cases WHERE \(filter) ORDER BY id DESC LIMIT \(bind: min(max(limit, 1), 1000))")
            .all(decodingColumn: "definition", as: String.self).map(Self.decodeCase)
    }

    /// Objections whose marking deadline is today or past and that nobody accepted yet.
    public func objectionsDueForMarking(on day: CivilDate) async throws -> [RightsCase] {
        try await db.raw("""
            SELECT definition FROM rights_cases WHERE mark_due IS NOT NULL AND mark_due <= \(bind: day.description) ORDER BY id LIMIT 1000
            """).all(decodingColumn: "definition", as: String.self).map(Self.decodeCase)
    }

    public func caseFile(caseID: Int64, fileID: Int64) async throws -> StoredFile? {
        struct R: Decodable { var name: String; var content_type: String; var content_sealed: String }
        guard let r = try await db.raw("""
            SELECT name, content_type, content_sealed FROM rights_case_files WHERE id = \(bind: fileID) AND case_id = \(bind: caseID)
            """).first(decoding: R.self) else { return nil }
        return StoredFile(name: r.name, contentType: r.content_type, data: Array(Data(base64Encoded: try vault.open(r.content_sealed)) ?? Data()))
    }

    public func creditRecord(id: Int64) async throws -> CreditRecord? {
        try await db.raw("SELECT \(SQLQueryString(RecordRow.columns)) FROM credit_records WHERE id = \(bind: id)")
            .first(decoding: RecordRow.self)?.record
    }

    public func recordValues(id: Int64) async throws -> [String: String] {
        struct R: Decodable { var fields: String; var sealed_fields: String? }
        guard let r = try await db.raw("SELECT fields, sealed_fields FROM credit_records WHERE id = \(bind: id)").first(decoding: R.self) else {
            throw DomainError.notFound(what: "该记录")
        }
        var values = try JSONDecoder().decode([String: String].self, from: Data(r.fields.utf8))
        if let sealed = r.sealed_fields {
            for (k, v) in try JSONDecoder().decode([String: String].self, from: Data(sealed.utf8)) { values[k] = try vault.open(v) }
        }
        return values
    }

    public func repairBarredUntil(subjectID: Int64, barMonths: Int) async throws -> CivilDate? {
        let revoked = try await db.raw("""
            SELECT definition FROM rights_cases WHERE subject_id = \(bind: subjectID) AND kind = 'repair' AND status = 'revoked'
            """).all(decodingColumn: "definition", as: String.self).map(Self.decodeCase)
        return revoked.compactMap { c in c.steps.last { $0.status == .revoked }.flatMap { CivilDate($0.on) }?.adding(months: barMonths) }.max()
    }

    // MARK: Inbox and outbox

    public func inbox(audiences: [String], limit: Int) async throws -> [InboxEntry] {
        guard !audiences.isEmpty else { return [] }
        struct R: Decodable { var id: Int64; var at: Int64; var title: String; var body: String; var link: String?; var read_at: Int64? }
        return try await db.raw("""
            SELECT id, at, title, body, link, read_at FROM notifications WHERE audience IN (\(binds: audiences))
            ORDER BY id DESC LIMIT \(bind: min(max(limit, 1), 500))
            """).all(decoding: R.self).map {
            InboxEntry(id: $0.id, at: Clock.date($0.at), title: $0.title, body: $0.body, link: $0.link, read: $0.read_at != nil)
        }
    }

    public func unreadCount(audiences: [String]) async throws -> Int {
        guard !audiences.isEmpty else { return 0 }
        return try await count("SELECT count(*) AS n FROM notifications WHERE audience IN (\(binds: audiences)) AND read_at IS NULL")
    }

    public func markRead(audiences: [String]) async throws {
        guard !audiences.isEmpty else { return }
        try await db.raw("UPDATE notifications SET read_at = \(bind: Clock.millis()) WHERE audience IN (\(binds: audiences)) AND read_at IS NULL").run()
    }

    public func outbox(after: Int64, limit: Int) async throws -> [OutboxMessage] {
        struct R: Decodable { var id: Int64; var at: Int64; var channel: String; var address_sealed: String; var title: String; var body: String }
        return try await db.raw("""
            SELECT id, at, channel, address_sealed, title, body FROM outbox WHERE id > \(bind: after) AND sent_at IS NULL
            ORDER BY id LIMIT \(bind: min(max(limit, 1), 1000))
            """).all(decoding: R.self).map {
            OutboxMessage(id: $0.id, at: Clock.date($0.at), channel: $0.channel, address: try vault.open($0.address_sealed), title: $0.title, body: $0.body)
        }
    }

    public func markSent(outboxID: Int64) async throws -> Bool {
        !(try await db.raw("""
            UPDATE outbox SET sent_at = \(bind: Clock.millis()) WHERE id = \(bind: outboxID) AND sent_at IS NULL RETURNING id
            """).all()).isEmpty
    }

    // MARK: The end of publicity

    public func sweepPublicity(today: CivilDate, listItems: Set<String>, actor: String) async throws -> SweepResult {
        struct R: Decodable { var id: Int64; var item_code: String; var version: Int; var subject_id: Int64?; var public_until: String }
        var result = SweepResult()
        let dialect = database.dialect
        // Item by item, along the open periods' index (catalog item, end date).
        for item in try await catalog().items.map(\.code) {
            while true {
                let (n, ended, lists) = try await database.transaction { db -> (Int, Int, Int) in
                    var ended = 0, lists = 0
                    try await Self.lockChangeLog(db, dialect: dialect)
                    let rows = try await db.raw("""
                        SELECT id, item_code, version, subject_id, public_until FROM credit_records
                        WHERE item_code = \(bind: item) AND period_closed = FALSE AND public_until <= \(bind: today.description) AND status = 'active'
                        ORDER BY public_until, id LIMIT 500
                        """).all(decoding: R.self)
                    let now = Clock.millis()
                    for r in rows {
                        try await db.raw("UPDATE credit_records SET period_closed = \(bind: true) WHERE id = \(bind: r.id)").run()
                        let list = listItems.contains(r.item_code)
                        try await Self.appendEvent(db, event: "record.publicity_ended", record: r.id, item: r.item_code, version: r.version,
                                                   subject: r.subject_id, submission: nil, actor: actor,
                                                   note: list ? "列入期限届满，自 \(r.public_until) 起移出名单" : "公示期届满，自 \(r.public_until) 起停止公示",
                                                   now: now)
                        if list { lists += 1 } else { ended += 1 }
                    }
                    return (rows.count, ended, lists)
                }
                result.ended += ended
                result.listsRemoved += lists
                if n < 500 { break }
            }
        }
        return result
    }

    // MARK: The rules

    /// The credit office's rules, when it has set them.
    func storedRightsRules() async throws -> RightsRules? {
        try await db.raw("SELECT definition FROM rights_rules ORDER BY version DESC LIMIT 1")
            .first(decodingColumn: "definition", as: String.self)
            .map { try JSONDecoder().decode(RightsRules.self, from: Data($0.utf8)) }
    }

    public func rightsRules() async throws -> RightsRules {
        try await storedRightsRules() ?? .shipped
    }

    public func putRightsRules(_ rules: RightsRules, actor: String) async throws {
        let text = try Self.json(rules)
        let now = Clock.millis()
        try await database.transaction { db in
            let version = (try await db.raw("SELECT max(version) AS v FROM rights_rules").first(decodingColumn: "v", as: Int?.self) ?? nil) ?? 0
            try await db.raw("""
                INSERT INTO rights_rules (version, definition, updated_at, updated_by) VALUES (\(bind: version + 1), \(bind: text), \(bind: now), \(bind: actor))
                """).run()
        }
    }
}
