import Foundation

/// A credit check request (信用核查): the matter, the purpose and up to 1,000 subjects named by
/// code or by registered name.
public struct CheckRequest: Sendable, Equatable {
    public static let maxSubjects = 1000
    public static let maxPurpose = 200

    public enum Query: Sendable, Equatable, Hashable {
        /// A normalised code; `problem` says why it fails its check (it may still be registered:
        /// the credit office confirms some early pilot codes).
        case code(String, problem: String?)
        /// A name as the registry normalises names.
        case name(String)
    }

    public var matter: Matter
    public var purpose: String
    public var queries: [Query]
    /// Each query as the caller wrote it (trimmed; identity numbers masked), for the answers.
    public var asked: [String]

    /// Checks and normalises a request; every bad entry is named in one problem a person can act on.
    public init(matter code: String, purpose: String, subjects: [String], catalog: MeasureCatalog, today: CivilDate,
                validator: IdentifierValidator = IdentifierValidator()) throws(DomainError) {
        guard !code.isEmpty else { throw .invalid(field: "matter", reason: "请选择办理事项（matter）") }
        guard let matter = catalog.matter(code) else {
            throw .invalid(field: "matter", reason: "办理事项“\(code)”不存在；可用的事项：" + catalog.matters.map { "\($0.code)（\($0.name)）" }.joined(separator: "、"))
        }
        let purpose = purpose.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !purpose.isEmpty else { throw .invalid(field: "purpose", reason: "请写明核查用途（如：某项目招标资格审查）") }
        guard purpose.count <= Self.maxPurpose else { throw .invalid(field: "purpose", reason: "核查用途不能超过 \(Self.maxPurpose) 字") }
        guard !subjects.isEmpty else { throw .invalid(field: "subjects", reason: "请至少填写一个核查对象（统一社会信用代码或名称）") }
        guard subjects.count <= Self.maxSubjects else {
            throw .invalid(field: "subjects", reason: "一次最多核查 \(Self.maxSubjects) 个主体，本次有 \(subjects.count) 个；请分批核查")
        }
        var problems: [String] = []
        var seen: [Query: Int] = [:]
        var queries: [Query] = []
        var asked: [String] = []
        for (i, raw) in subjects.enumerated() {
            let n = i + 1
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            let query: Query
            if text.isEmpty {
                problems.append("第 \(n) 项为空"); continue
            }
            let code = IdentifierValidator.normalize(text)
            if code.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) }) {   // ASCII letters and digits
                // A valid credit code is decided on bytes; anything else gets the full reading and its reason.
                let quick = code.utf8.count == 18 ? validator.checkUSCC(code, withRegion: false) : nil
                let check = quick?.valid == true ? quick! : validator.check(code, today: today)
                query = .code(check.normalized ?? code, problem: check.valid ? nil : check.reason ?? "代码无效")
            } else {
                let name = SearchText.normalize(text)
                guard name.count >= 2, name.count <= 200 else {
                    problems.append("第 \(n) 项“\(text.prefix(20))”不是有效的代码或名称（名称应为 2–200 字）"); continue
                }
                query = .name(name)
            }
            if let first = seen[query] {
                problems.append("第 \(n) 项与第 \(first) 项重复"); continue
            }
            seen[query] = n
            queries.append(query)
            if case .code(let c, _) = query { asked.append(IdentifierValidator.masked(c)) } else { asked.append(String(text.prefix(200))) }
        }
        guard problems.isEmpty else {
            let shown = problems.prefix(20).joined(separator: "；")
            throw .invalid(field: "subjects", reason: "核查对象有误：\(shown)\(problems.count > 20 ? "；等 \(problems.count) 处" : "")。请改正后重新提交")
        }
        self.matter = matter
        self.purpose = purpose
        self.queries = queries
        self.asked = asked
    }
}

/// One subject's answer in a check, as returned and as kept in the check log.
public struct CheckAnswer: Sendable, Codable, Equatable {
    public struct SubjectInfo: Sendable, Codable, Equatable {
        public var code: String
        public var name: String
        public var kind: String
        public var status: String
    }
    public struct ListEntry: Sendable, Codable, Equatable {
        public var scope: String
        public var name: String
        public var kind: String
        public var recordId: Int64
        public var since: String?
        public var until: String?
        public var basis: String
        public var removal: String
        enum CodingKeys: String, CodingKey { case scope, name, kind, recordId = "record_id", since, until, basis, removal }
    }
    public struct RecordEntry: Sendable, Codable, Equatable {
        public var id: Int64
        public var item: String
        public var itemName: String
        /// The record's document number or other identifying text (决定书文号, 案号…).
        public var document: String?
        public var summary: String?
        public var decidedOn: String?
        public var until: String?
        public var department: String
        public var severity: String?
        /// The record is marked 异议处理中 (an objection is being handled).
        public var disputed: Bool? = nil
        enum CodingKeys: String, CodingKey {
            case id, item, itemName = "item_name", document, summary, decidedOn = "decided_on", until, department, severity, disputed
        }
    }
    public struct MeasureEntry: Sendable, Codable, Equatable {
        public var code: String
        public var name: String
        public var direction: String
        public var kind: String
        public var action: String
        public var basis: String
        public var triggeredBy: [String]
        public var recordIds: [Int64]
        enum CodingKeys: String, CodingKey {
            case code, name, direction, kind, action, basis, triggeredBy = "triggered_by", recordIds = "record_ids"
        }
    }

    public var position: Int
    /// What was asked, with identity numbers masked.
    public var query: String
    public var found: Bool
    public var subjectId: Int64?
    public var subject: SubjectInfo?
    public var lists: [ListEntry]
    public var records: [RecordEntry]
    public var measures: [MeasureEntry]
    /// The answer in one sentence ("截至 … 未发现…", "名称对应多个主体…").
    public var conclusion: String

    enum CodingKeys: String, CodingKey {
        case position, query, found, subjectId = "subject_id", subject, lists, records, measures, conclusion
    }

    public init(position: Int, query: String, found: Bool, subjectId: Int64?, subject: SubjectInfo?, lists: [ListEntry], records: [RecordEntry],
                measures: [MeasureEntry], conclusion: String) {
        self.position = position; self.query = query; self.found = found; self.subjectId = subjectId; self.subject = subject
        self.lists = lists; self.records = records; self.measures = measures; self.conclusion = conclusion
    }

    public var hasHits: Bool { !lists.isEmpty || !measures.isEmpty }

    /// The answer as JSON text (keys sorted, absent values null): written once, kept in the check
    /// log and sent in the response (the generic encoder took a fifth of a 1,000-subject check).
    public var json: [UInt8] {
        var w = JSONText.Writer(capacity: 512)
        w.open()
        w.string("conclusion", conclusion)
        w.bool("found", found)
        w.openArray("lists")
        for l in lists {
            w.open()
            w.string("basis", l.basis); w.string("kind", l.kind); w.string("name", l.name); w.int("record_id", l.recordId)
            w.string("removal", l.removal); w.string("scope", l.scope); w.string("since", l.since); w.string("until", l.until)
            w.close()
        }
        w.closeArray()
        w.openArray("measures")
        for m in measures {
            w.open()
            w.string("action", m.action); w.string("basis", m.basis); w.string("code", m.code); w.string("direction", m.direction)
            w.string("kind", m.kind); w.string("name", m.name); w.ints("record_ids", m.recordIds); w.strings("triggered_by", m.triggeredBy)
            w.close()
        }
        w.closeArray()
        w.int("position", Int64(position))
        w.string("query", query)
        w.openArray("records")
        for r in records {
            w.open()
            w.string("decided_on", r.decidedOn); w.string("department", r.department); w.bool("disputed", r.disputed == true); w.string("document", r.document); w.int("id", r.id)
            w.string("item", r.item); w.string("item_name", r.itemName); w.string("severity", r.severity); w.string("summary", r.summary)
            w.string("until", r.until)
            w.close()
        }
        w.closeArray()
        if let s = subject {
            w.open("subject")
            w.string("code", s.code); w.string("kind", s.kind); w.string("name", s.name); w.string("status", s.status)
            w.close()
        } else {
            w.raw("subject", Array("null".utf8))
        }
        w.int("subject_id", subjectId)
        w.close()
        return w.bytes
    }
}

/// A check as the log keeps it: who, which department, which matter and purpose, when, what was returned.
public struct CheckRecordSummary: Sendable, Equatable {
    public var id: Int64
    public var at: Date
    public var actor: String
    public var actorName: String
    public var departmentCode: String?
    public var matter: String
    public var purpose: String
    public var channel: String
    public var subjects: Int
    public var found: Int
    public var withHits: Int
    public init(id: Int64, at: Date, actor: String, actorName: String, departmentCode: String?, matter: String, purpose: String, channel: String,
                subjects: Int, found: Int, withHits: Int) {
        self.id = id; self.at = at; self.actor = actor; self.actorName = actorName; self.departmentCode = departmentCode; self.matter = matter
        self.purpose = purpose; self.channel = channel; self.subjects = subjects; self.found = found; self.withHits = withHits
    }
}

public struct CheckRecord: Sendable, Equatable {
    public var summary: CheckRecordSummary
    public var answers: [CheckAnswer]
    public var feedback: [CheckFeedback]
    public init(summary: CheckRecordSummary, answers: [CheckAnswer], feedback: [CheckFeedback]) {
        self.summary = summary; self.answers = answers; self.feedback = feedback
    }
}

/// What the department did about one measure for one subject of a check (反馈).
public struct CheckFeedback: Sendable, Equatable, Codable {
    public var position: Int
    public var measure: String
    public var applied: Bool
    /// What was done (e.g. 资格审查不予通过) or why not.
    public var note: String
    public var at: Date?
    public var actor: String?
    public init(position: Int, measure: String, applied: Bool, note: String, at: Date? = nil, actor: String? = nil) {
        self.position = position; self.measure = measure; self.applied = applied; self.note = note; self.at = at; self.actor = actor
    }

    /// Checks feedback against what the check returned: only measures returned for that subject.
    public static func validated(_ items: [CheckFeedback], against answers: [CheckAnswer]) throws(DomainError) -> [CheckFeedback] {
        guard !items.isEmpty else { throw .invalid(field: "items", reason: "请至少反馈一项措施的实施情况") }
        guard items.count <= 10_000 else { throw .invalid(field: "items", reason: "一次反馈不能超过 10000 项") }
        var out: [CheckFeedback] = []
        var seen = Set<String>()
        let byPosition = Dictionary(answers.map { ($0.position, $0) }, uniquingKeysWith: { a, _ in a })
        for (i, f) in items.enumerated() {
            let n = i + 1
            guard let answer = byPosition[f.position] else {
                throw .invalid(field: "items[\(i)].position", reason: "第 \(n) 项：本次核查没有第 \(f.position) 个核查对象")
            }
            guard answer.measures.contains(where: { $0.code == f.measure }) else {
                throw .invalid(field: "items[\(i)].measure", reason: "第 \(n) 项：本次核查未对第 \(f.position) 个核查对象返回措施“\(f.measure)”")
            }
            guard seen.insert("\(f.position)/\(f.measure)").inserted else {
                throw .invalid(field: "items[\(i)]", reason: "第 \(n) 项重复反馈了同一对象的同一措施")
            }
            let note = f.note.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !note.isEmpty, note.count <= 500 else {
                throw .invalid(field: "items[\(i)].note", reason: "第 \(n) 项：请说明采取了什么措施或未采取的原因（不超过 500 字）")
            }
            out.append(CheckFeedback(position: f.position, measure: f.measure, applied: f.applied, note: note))
        }
        return out
    }
}

/// Per department and measure: checks made, subjects hit, feedback given and measures applied.
public struct CheckStatistic: Sendable, Equatable {
    public var departmentCode: String?
    public var measure: String?
    public var checks: Int
    public var subjects: Int
    public var hits: Int
    public var applied: Int
    public var notApplied: Int
    public init(departmentCode: String?, measure: String?, checks: Int, subjects: Int, hits: Int, applied: Int, notApplied: Int) {
        self.departmentCode = departmentCode; self.measure = measure; self.checks = checks; self.subjects = subjects; self.hits = hits
        self.applied = applied; self.notApplied = notApplied
    }
}

/// A check about to be kept: the log entry with every answer.
public struct CheckDraft: Sendable {
    public var actor: String
    public var actorName: String
    public var departmentCode: String?
    public var matter: String
    public var purpose: String
    public var channel: String
    public var at: Date
    public var answers: [CheckAnswer]
    /// Each answer as JSON text (``CheckAnswer/json``), written once for the log and the response.
    public var encoded: [[UInt8]]
    public init(actor: String, actorName: String, departmentCode: String?, matter: String, purpose: String, channel: String, at: Date,
                answers: [CheckAnswer]) {
        self.actor = actor; self.actorName = actorName; self.departmentCode = departmentCode; self.matter = matter; self.purpose = purpose
        self.channel = channel; self.at = at; self.answers = answers; self.encoded = answers.map(\.json)
    }
}

/// What a check reads: the subjects asked for, and the in-force records of those it identified.
public struct CheckFacts: Sendable, Equatable {
    /// Subjects by normalised code (credit code, identity number or organisation code), keyed by the code asked.
    public var byCode: [String: Subject] = [:]
    /// Subjects by normalised registered name, keyed by the name asked (several when names are shared).
    public var byName: [String: [Subject]] = [:]
    /// The active records of the trigger items of the identified subjects whose period has not
    /// ended on the day of the check, by subject id (the severity is left for the engine, which has the rules).
    public var records: [Int64: [TriggerRecord]] = [:]

    public init(byCode: [String: Subject] = [:], byName: [String: [Subject]] = [:], records: [Int64: [TriggerRecord]] = [:]) {
        self.byCode = byCode; self.byName = byName; self.records = records
    }

    /// The subjects a check identified, whose records it reads: every one found by code, and by
    /// name where the name is one subject's only. Sorted.
    public var identified: [Int64] {
        Array(Set(byCode.values.map(\.id) + byName.values.compactMap { $0.count == 1 ? $0[0].id : nil })).sorted()
    }
}

/// The check service's storage: finding subjects and their in-force records in bulk, keeping checks and feedback, the local measures.
public protocol CheckStore: Sendable {
    /// The subjects asked for by normalised code and by normalised name, and the active records of
    /// `items` of those identified (``CheckFacts/identified``) in force on `day`. A SQLite file
    /// answers from one read transaction in one trip to its thread pool.
    func checkFacts(codes: [String], names: [String], items: [String], on day: CivilDate) async throws -> CheckFacts
    /// Keeps the check with every answer, durably, and returns its id.
    func saveCheck(_ draft: CheckDraft) async throws -> Int64
    func check(id: Int64) async throws -> CheckRecord?
    /// Newest first; only a department's when given.
    func checks(department: String?, before: Int64?, limit: Int) async throws -> [CheckRecordSummary]
    /// Records feedback; a later answer about the same subject and measure replaces the earlier one (both are kept).
    func saveFeedback(checkID: Int64, _ items: [CheckFeedback], actor: String) async throws
    /// Figures per department and measure for checks made between the two instants.
    func checkStatistics(from: Date, to: Date) async throws -> [CheckStatistic]

    func localMeasures() async throws -> [Measure]
    /// Adds or replaces a local measure (every replaced definition is kept as a version).
    func putLocalMeasure(_ measure: Measure, actor: String) async throws
}

extension CheckStore {
    /// The lists and measures in force: the shipped ones with the credit office's.
    public func measureCatalog(base: MeasureCatalog = .shipped) async throws -> MeasureCatalog {
        base.applying(local: try await localMeasures())
    }
}

/// The check service: resolves the subjects and reads their in-force records in one read, applies
/// the measures of the matter, keeps the check and returns it.
public struct CreditChecker: Sendable {
    public var store: any CheckStore
    public var catalog: Catalog
    public var measures: MeasureCatalog
    public var departmentNames: [String: String]

    /// Lookups done for every answer, prepared once.
    private let items: [String: CatalogItem]
    private let scopes: [String: ListScope]
    private let measureByCode: [String: Measure]
    /// The items whose records a check loads (``MeasureCatalog/triggerItems``), sorted.
    private let triggerItems: [String]
    /// Per item: the field naming the record's document, and the fields its summary shows.
    private let shown: [String: (document: String?, summary: [String])]

    public init(store: any CheckStore, catalog: Catalog, measures: MeasureCatalog, departmentNames: [String: String]) {
        self.store = store; self.catalog = catalog; self.measures = measures; self.departmentNames = departmentNames
        items = Dictionary(catalog.items.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        scopes = Dictionary(measures.scopes.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        measureByCode = Dictionary(measures.measures.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        triggerItems = measures.triggerItems.sorted()
        var shown: [String: (document: String?, summary: [String])] = [:]
        for item in catalog.items {
            // The document number is the first key field that is not the subject's own code or
            // name; the summary is what the public page shows first, without the key and the dates.
            let document = item.naturalKey.first { $0 != item.subject?.code && $0 != item.subject?.name }
            let skip = [item.publicityFields?.decisionDate, item.publicityFields?.validUntil, document]
            shown[item.code] = (document, Array((item.display ?? []).filter { f in !skip.contains(f) && item.field(f)?.kind != .date }.prefix(3)))
        }
        self.shown = shown
    }

    public struct Caller: Sendable {
        public var actor: String
        public var actorName: String
        public var departmentCode: String?
        public var channel: String
        public init(actor: String, actorName: String, departmentCode: String?, channel: String) {
            self.actor = actor; self.actorName = actorName; self.departmentCode = departmentCode; self.channel = channel
        }
    }

    /// A check as run and kept: its id, the log entry and every answer (also as JSON text).
    public struct Outcome: Sendable {
        public var id: Int64
        public var summary: CheckRecordSummary
        public var draft: CheckDraft
        /// How long the check waited for its reads (subjects and records) and for its log to be kept.
        public var reading: Duration
        public var logging: Duration
    }

    /// Runs the check and keeps it; throws `invalid` for a code that is neither valid nor registered.
    public func run(_ request: CheckRequest, by caller: Caller, at now: Date = Date()) async throws -> Outcome {
        let today = CivilDate.today(now: now)
        var codes: [String] = [], names: [String] = []
        for q in request.queries {
            switch q {
            case .code(let c, _): codes.append(c)
            case .name(let n): names.append(n)
            }
        }
        let clock = ContinuousClock()
        let readStart = clock.now
        let facts = try await store.checkFacts(codes: codes, names: names, items: triggerItems, on: today)
        let reading = clock.now - readStart
        let (codeHits, nameHits, records) = (facts.byCode, facts.byName, facts.records)

        var bad: [String] = []
        for (i, q) in request.queries.enumerated() {
            if case .code(let c, let problem?) = q, codeHits[c] == nil { bad.append("第 \(i + 1) 项 \(IdentifierValidator.masked(c))：\(problem)") }
        }
        if !bad.isEmpty {
            throw DomainError.invalid(field: "subjects", reason: "代码有误且未在本平台登记：" + bad.prefix(20).joined(separator: "；") + "。请核对后重新提交")
        }

        let found: [Subject?] = request.queries.map { q in
            switch q {
            case .code(let c, _): codeHits[c]
            case .name(let n): nameHits[n].flatMap { $0.count == 1 ? $0[0] : nil }
            }
        }
        let stamp = Self.stamp(now)

        var answers: [CheckAnswer] = []
        answers.reserveCapacity(request.queries.count)
        for (i, q) in request.queries.enumerated() {
            let asked = request.asked[i]
            guard let subject = found[i] else {
                var conclusion = "截至 \(stamp)，本平台未找到该主体，无相关信用记录"
                if case .name(let n) = q, let several = nameHits[n], several.count > 1 {
                    conclusion = "名称对应 \(several.count) 个主体，无法确定核查对象；请改用统一社会信用代码核查"
                }
                answers.append(CheckAnswer(position: i + 1, query: asked, found: false, subjectId: nil, subject: nil, lists: [], records: [],
                                           measures: [], conclusion: conclusion))
                continue
            }
            let triggers = (records[subject.id] ?? []).compactMap(withSeverity)
            let findings = CheckEngine.findings(records: triggers, matter: request.matter.code, on: today, catalog: measures)
            answers.append(answer(position: i + 1, query: asked, subject: subject, findings: findings, stamp: stamp))
        }
        let draft = CheckDraft(actor: caller.actor, actorName: caller.actorName, departmentCode: caller.departmentCode,
                               matter: request.matter.code, purpose: request.purpose, channel: caller.channel, at: now, answers: answers)
        let logStart = clock.now
        let id = try await store.saveCheck(draft)
        let logging = clock.now - logStart
        let summary = CheckRecordSummary(id: id, at: now, actor: caller.actor, actorName: caller.actorName, departmentCode: caller.departmentCode,
                                         matter: request.matter.code, purpose: request.purpose, channel: caller.channel,
                                         subjects: answers.count, found: answers.filter(\.found).count, withHits: answers.filter(\.hasHits).count)
        return Outcome(id: id, summary: summary, draft: draft, reading: reading, logging: logging)
    }

    /// A record with its severity when its item has penalty kinds (nil for an item no longer in the catalog).
    func withSeverity(_ r: TriggerRecord) -> TriggerRecord? {
        guard let item = items[r.itemCode] else { return nil }
        var r = r
        r.severity = catalog.publicityRules.severity(of: r.fields, item: item)
        return r
    }

    func answer(position: Int, query: String, subject s: Subject, findings: CheckFindings, stamp: String) -> CheckAnswer {
        let info = CheckAnswer.SubjectInfo(code: s.code, name: s.name, kind: s.kind.label, status: s.status.label)
        let byID = Dictionary(findings.records.map { ($0.recordID, $0) }, uniquingKeysWith: { a, _ in a })
        let lists: [CheckAnswer.ListEntry] = findings.memberships.compactMap { m in
            guard let scope = scopes[m.scope], let r = byID[m.recordID] else { return nil }
            return .init(scope: scope.code, name: scope.name, kind: scope.kind.rawValue, recordId: r.recordID, since: r.decisionDate?.description,
                         until: r.until.map { $0.adding(days: -1).description }, basis: scope.basis.map(\.description).joined(separator: "；"),
                         removal: scope.removal)
        }
        let records: [CheckAnswer.RecordEntry] = findings.records.map { r in
            let item = items[r.itemCode]
            let fields = shown[r.itemCode]
            let document = fields?.document.flatMap { r.fields[$0] }
            let summary = (fields?.summary ?? []).compactMap { r.fields[$0] }.filter { !$0.isEmpty }.joined(separator: "；")
            return .init(id: r.recordID, item: r.itemCode, itemName: item?.name ?? r.itemCode, document: document,
                         summary: summary.isEmpty ? nil : String(summary.prefix(300)), decidedOn: r.decisionDate?.description,
                         until: r.until.map { $0.adding(days: -1).description }, department: departmentNames[r.departmentCode] ?? r.departmentCode,
                         severity: r.severity?.label, disputed: r.disputed)
        }
        let applied: [CheckAnswer.MeasureEntry] = findings.measures.compactMap { a in
            guard let m = measureByCode[a.measure] else { return nil }
            var because = a.scopes.compactMap { scopes[$0]?.name }
            let recordItems = a.recordIDs.compactMap { byID[$0] }.filter { r in m.records.contains { $0.matches(r) } }
            for r in recordItems {
                let label = (items[r.itemCode]?.name ?? r.itemCode) + (r.severity.map { "（\($0.label)）" } ?? "")
                if !because.contains(label) { because.append(label) }
            }
            return .init(code: m.code, name: m.name, direction: m.direction.rawValue, kind: m.kind.rawValue, action: m.action, basis: m.basisText,
                         triggeredBy: because, recordIds: a.recordIDs)
        }
        let conclusion: String
        if lists.isEmpty && applied.isEmpty {
            conclusion = "截至 \(stamp)，未发现该主体在本事项中适用联合奖惩措施的信用记录"
        } else {
            let p = applied.filter { $0.direction == "punishment" }.count, inc = applied.count - p
            conclusion = "截至 \(stamp)，" + [lists.isEmpty ? nil : "在 \(Set(lists.map(\.scope)).count) 个名单中",
                                              p > 0 ? "适用 \(p) 项失信惩戒措施" : nil, inc > 0 ? "适用 \(inc) 项守信激励措施" : nil]
                .compactMap { $0 }.joined(separator: "，")
        }
        return CheckAnswer(position: position, query: query, found: true, subjectId: s.id, subject: info, lists: lists, records: records,
                           measures: applied, conclusion: conclusion)
    }

    /// Beijing time to the second, as the answers state it.
    public static func stamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970) + 8 * 3600
        let day = CivilDate(daysSinceEpoch: Int(floor(Double(seconds) / 86400)))
        let s = ((seconds % 86400) + 86400) % 86400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }   // not String(format:): 2% of a single check
        return "\(day) \(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))（北京时间）"
    }
}

extension CheckRequest {
    /// Headers an uploaded or pasted list may start with (they are not subjects).
    static let headers: Set<String> = ["统一社会信用代码", "代码", "名称", "主体名称", "单位名称", "企业名称", "投标人", "投标人名称", "供应商",
                                       "供应商名称", "核查对象", "统一社会信用代码或名称", "名称或代码"]

    /// The subjects of an uploaded list: the first cell of each row, a header row left out.
    public static func subjects(fromRows rows: [[String]]) -> [String] {
        var out = rows.compactMap { $0.first?.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        if let first = out.first, headers.contains(first) { out.removeFirst() }
        return out
    }

    /// The subjects of a pasted list: one per line (or separated by commas or semicolons); a
    /// pasted spreadsheet row keeps its first cell.
    public static func subjects(fromText text: String) -> [String] {
        let separators = CharacterSet(charactersIn: "\n\r,，;；")
        return subjects(fromRows: text.components(separatedBy: separators).map { [$0.components(separatedBy: "\t").first ?? $0] })
    }
}

/// A check as a report file (CSV, UTF-8 with BOM so Excel reads it): one line per subject and
/// measure, with the basis and the action, and what the department answered.
public enum CheckReport {
    public static func csv(_ check: CheckRecord, matterName: String) -> String {
        let s = check.summary
        var out = "\u{FEFF}" + FileIntake.csvLine(["核查编号", String(s.id), "办理事项", matterName, "核查用途", s.purpose, "核查时间", CreditChecker.stamp(s.at)])
        out += FileIntake.csvLine(["序号", "核查对象", "主体名称", "代码", "所在名单", "措施编码", "措施", "类别", "应采取的措施", "依据", "触发原因", "核查结论", "反馈"])
        for a in check.answers {
            let lists = a.lists.map { "\($0.name)（\($0.since ?? "")起）" }.joined(separator: "；")
            let base = [String(a.position), a.query, a.subject?.name ?? "", a.subject?.code ?? "", lists]
            guard !a.measures.isEmpty else {
                out += FileIntake.csvLine(base + ["", "", "", "", "", "", a.conclusion, ""])
                continue
            }
            for m in a.measures {
                let fb = check.feedback.first { $0.position == a.position && $0.measure == m.code }
                    .map { ($0.applied ? "已实施：" : "未实施：") + $0.note } ?? ""
                out += FileIntake.csvLine(base + [m.code, m.name, m.direction == "incentive" ? "守信激励" : "失信惩戒", m.action, m.basis,
                                                  m.triggeredBy.joined(separator: "；"), a.conclusion, fb])
            }
        }
        return out
    }
}
