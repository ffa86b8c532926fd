import Foundation

/// An objection (异议) or a repair application (信用修复申请) about one record, with its deadlines
/// in working days and every step kept (domain-rules §3, §5). One model for both: they share the
/// routing to the department that supplied or decided the record (谁认定、谁修复), the deadlines,
/// the written replies and the query code; they differ in their outcomes and their effect on the record.
public struct RightsCase: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case objection, repair
        public var label: String { self == .objection ? "异议申诉" : "信用修复" }
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        case submitted, accepted, appealed
        case corrected, stopped, upheld          // objection outcomes
        case approved, refused, revoked          // repair outcomes (revoked: found to rest on false materials)
        case rejected, withdrawn                 // both: not accepted, withdrawn by the applicant
        public var label: String {
            switch self {
            case .submitted: "已提交，待受理"
            case .accepted: "已受理，处理中"
            case .appealed: "申诉复核中"
            case .corrected: "异议成立，已更正"
            case .stopped: "异议成立，已停止公示"
            case .upheld: "异议不成立，维持原记录"
            case .approved: "准予信用修复"
            case .refused: "不予信用修复"
            case .revoked: "信用修复已撤销（虚假材料）"
            case .rejected: "不予受理"
            case .withdrawn: "已撤回"
            }
        }
        public var isOpen: Bool { self == .submitted || self == .accepted || self == .appealed }
    }

    /// Who filed: the subject itself (signed in) or anyone with evidence (objections only).
    public struct Applicant: Sendable, Codable, Equatable {
        public var name: String
        /// Phone or e-mail, sealed at rest; shown masked.
        public var contact: String
        public var isSubject: Bool
        public var accountID: Int64?
        public init(name: String, contact: String, isSubject: Bool, accountID: Int64?) {
            self.name = name; self.contact = contact; self.isSubject = isSubject; self.accountID = accountID
        }

        /// A contact as shown and stored in the case: `138****5678`, `z***@example.com`.
        public static func mask(_ contact: String) -> String {
            if let at = contact.firstIndex(of: "@") { return String(contact.prefix(1)) + "***" + contact[at...] }
            guard contact.count > 7 else { return String(repeating: "*", count: contact.count) }
            return String(contact.prefix(3)) + "****" + String(contact.suffix(4))
        }
    }

    public struct Deadline: Sendable, Codable, Equatable {
        public var key: String
        public var label: String
        public var due: String
        /// When it was met (nil while pending).
        public var met: String?
        public init(key: String, label: String, due: String, met: String? = nil) { self.key = key; self.label = label; self.due = due; self.met = met }
    }

    public struct Step: Sendable, Codable, Equatable {
        public var status: Status
        public var on: String
        public var at: Date
        public var actor: String
        public var text: String
    }

    public struct Attachment: Sendable, Codable, Equatable {
        public var id: Int64
        public var name: String
        public var purpose: String
        public var size: Int
        public init(id: Int64, name: String, purpose: String, size: Int) { self.id = id; self.name = name; self.purpose = purpose; self.size = size }
    }

    public var id: Int64
    public var kind: Kind
    public var recordID: Int64
    public var itemCode: String
    public var subjectID: Int64?
    public var subjectName: String
    /// The department the case is routed to: the one that supplied (or decided) the record.
    public var department: String
    public var status: Status
    public var applicant: Applicant
    /// Objection: the field disputed (nil: the whole record) and what it should say.
    public var field: String?
    public var proposed: String?
    public var reason: String
    /// Repair: the commitment text signed online, and the applicant's statement of fulfilled obligations.
    public var commitment: String?
    public var rules: String
    public var deadlines: [Deadline]
    public var extensionRequested: String?
    public var reply: String?
    public var appealUntil: String?
    public var attachments: [Attachment]
    public var steps: [Step]
    public var version: Int
    public var marked: Bool
    public var filedOn: String
    /// The due date of the deadline last reported overdue to the credit office (督办), once per deadline.
    public var escalated: String?

    /// The deadline now running, if any.
    public var pending: Deadline? { status.isOpen ? deadlines.first { $0.met == nil } : nil }

    public func isOverdue(on day: CivilDate) -> Bool {
        guard let p = pending, let due = CivilDate(p.due) else { return false }
        return due < day
    }

    /// Whether `step` is possible now: the one rule for the actions and the forms offered.
    public func allows(_ step: RightsAction.Step) -> Bool {
        switch step {
        case .accept, .reject: status == .submitted
        case .requestExtension: (status == .accepted || status == .appealed) && extensionRequested == nil && !deadlines.contains { $0.key == "extended" }
        case .decideExtension: extensionRequested != nil && status.isOpen
        case .correct, .stop, .uphold: kind == .objection && status == .accepted
        case .approve, .refuse: kind == .repair && (status == .accepted || status == .appealed)
        case .appeal: kind == .repair && status == .refused && appealUntil != nil
        case .revoke: kind == .repair && status == .approved
        case .withdraw: status.isOpen
        }
    }
}

/// What a person does next in a case.
public enum RightsAction: Sendable, Equatable {
    case accept(note: String)
    case reject(reason: String)
    case requestExtension(reason: String)
    case decideExtension(approve: Bool, note: String)
    /// Objection outcomes, each with the written reply. `correct` carries the corrected values.
    case correct(reply: String, values: [String: String])
    case stop(reply: String)
    case uphold(reply: String)
    /// Repair outcomes.
    case approve(reply: String)
    case refuse(reply: String)
    case appeal(reason: String)
    case revoke(reason: String)
    case withdraw(reason: String)

    public enum Step: String, Sendable, CaseIterable {
        case accept, reject, requestExtension = "request_extension", decideExtension = "decide_extension"
        case correct, stop, uphold, approve, refuse, appeal, revoke, withdraw
        public var label: String {
            switch self {
            case .accept: "受理"
            case .reject: "不予受理"
            case .requestExtension: "申请延期"
            case .decideExtension: "审批延期"
            case .correct: "更正记录"
            case .stop: "停止公示"
            case .uphold: "维持原记录"
            case .approve: "准予修复"
            case .refuse: "不予修复"
            case .appeal: "提出申诉"
            case .revoke: "撤销修复（虚假材料）"
            case .withdraw: "撤回"
            }
        }
        /// Steps only the credit office takes (the others: the routed department too).
        public var officeOnly: Bool { self == .decideExtension || self == .revoke }
        /// Steps the applicant takes.
        public var byApplicant: Bool { self == .appeal || self == .withdraw }
    }

    public var step: Step {
        switch self {
        case .accept: .accept
        case .reject: .reject
        case .requestExtension: .requestExtension
        case .decideExtension: .decideExtension
        case .correct: .correct
        case .stop: .stop
        case .uphold: .uphold
        case .approve: .approve
        case .refuse: .refuse
        case .appeal: .appeal
        case .revoke: .revoke
        case .withdraw: .withdraw
        }
    }
}

/// What a step does to the record, applied by the store in the same transaction as the step,
/// each with its change-log event.
public enum RecordEffect: String, Sendable, Equatable {
    case mark = "record.disputed"
    case unmark = "record.dispute_cleared"
    case stop = "record.publicity_stopped"
    case repair = "record.repaired"
    case unrepair = "record.repair_revoked"
}

/// The procedures: filing with its checks and deadlines, and each next step.
public enum RightsProcedure {
    static func text(_ s: String, _ field: String, _ what: String, max: Int = 5000) throws(DomainError) -> String {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !t.isEmpty else { throw .invalid(field: field, reason: "请填写\(what)") }
        guard t.count <= max else { throw .invalid(field: field, reason: "\(what)不能超过 \(max) 字") }
        return t
    }

    static func due(_ n: Int, after day: CivilDate, calendar: WorkingCalendar) throws(DomainError) -> String {
        do { return try calendar.addingWorkdays(n, to: day).description } catch {
            throw .unavailable("工作日历未覆盖 \(error.year) 年，无法计算办理期限；请信用办先设置该年节假日安排")
        }
    }

    /// The applicant's contact: a mainland mobile number or an e-mail address.
    public static func contact(_ s: String) throws(DomainError) -> String {
        let t = s.trimmingCharacters(in: .whitespaces)
        let phone = t.count == 11 && t.hasPrefix("1") && t.allSatisfy(\.isASCII) && t.allSatisfy(\.isNumber)
        let mail = t.count <= 100 && t.split(separator: "@").count == 2 && t.contains(".") && !t.contains(" ")
        guard phone || mail else { throw .invalid(field: "contact", reason: "请填写可以联系到您的手机号码（11 位）或电子邮箱") }
        return t
    }

    /// A new objection against `record`: reason required; a field, when named, must be one of the
    /// item's; the marking deadline runs from today.
    public static func objection(record: CreditRecord, item: CatalogItem, subjectName: String, department: String, applicant: RightsCase.Applicant,
                                 field: String?, proposed: String?, reason: String, rules: RightsRules, today: CivilDate,
                                 calendar: WorkingCalendar) throws(DomainError) -> RightsCase {
        let reason = try text(reason, "reason", "异议理由（哪里有误、事实和依据）")
        let field = field.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        if let f = field, item.field(f) == nil { throw .invalid(field: "field", reason: "\(item.name)没有字段 \(f)") }
        guard record.status == .active else { throw .conflict("该记录已撤销，无需提出异议") }
        let proposed = proposed.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : String($0.prefix(500)) }
        let o = rules.objection
        let deadlines = [RightsCase.Deadline(key: "accept", label: "受理并标注“异议处理中”", due: try due(o.markWorkdays, after: today, calendar: calendar))]
        let label = field.flatMap { item.field($0)?.label }.map { "（字段：\($0)）" } ?? ""
        return RightsCase(id: 0, kind: .objection, recordID: record.id, itemCode: record.itemCode, subjectID: record.subjectID, subjectName: subjectName,
                          department: department, status: .submitted, applicant: applicant, field: field, proposed: proposed, reason: reason,
                          commitment: nil, rules: "\(rules.version)：\(o.basis)", deadlines: deadlines, extensionRequested: nil, reply: nil,
                          appealUntil: nil, attachments: [], steps: [.init(status: .submitted, on: today.description, at: Date(), actor: applicant.name,
                                                                            text: "提出异议\(label)：\(reason)")],
                          version: 1, marked: false, filedOn: today.description, escalated: nil)
    }

    /// The commitment every repair application signs (信用修复承诺书), with the subject's name filled in.
    public static func commitmentText(subject: String) -> String {
        "本单位（本人）\(subject)郑重承诺：已履行行政处罚决定（或列入决定）规定的义务，已纠正失信行为、消除不良影响；所提交的材料真实、合法、有效；"
            + "如有虚假，自愿承担信用修复被撤销、恢复公示、虚假承诺记入信用记录并在规定期限内不得再次申请信用修复等后果，并依法承担相应法律责任。"
    }

    /// A new repair application: the record must be eligible today, the commitment signed and the
    /// fulfilment of obligations stated.
    public static func repair(record: CreditRecord, item: CatalogItem, subjectName: String, department: String, applicant: RightsCase.Applicant,
                              reason: String, signed: Bool, eligibility: RepairEligibility, rules: RightsRules, today: CivilDate,
                              calendar: WorkingCalendar) throws(DomainError) -> RightsCase {
        guard eligibility.eligible else { throw .conflict("暂不能申请信用修复：" + eligibility.reasons.joined(separator: "；")) }
        let reason = try text(reason, "reason", "义务履行和失信行为纠正情况")
        guard signed else { throw .invalid(field: "commitment", reason: "请阅读并签署信用修复承诺书") }
        guard let set = record.window.decisionDate.flatMap({ rules.repairSet(decidedOn: $0) }) ?? rules.repairSets.last else {
            throw .unavailable("没有可用的信用修复规则")
        }
        let deadlines = [RightsCase.Deadline(key: "accept", label: "受理", due: try due(set.acceptWorkdays, after: today, calendar: calendar))]
        return RightsCase(id: 0, kind: .repair, recordID: record.id, itemCode: record.itemCode, subjectID: record.subjectID, subjectName: subjectName,
                          department: department, status: .submitted, applicant: applicant, field: nil, proposed: nil, reason: reason,
                          commitment: commitmentText(subject: subjectName), rules: "\(rules.version)：\(eligibility.ruleSet)", deadlines: deadlines,
                          extensionRequested: nil, reply: nil, appealUntil: nil, attachments: [],
                          steps: [.init(status: .submitted, on: today.description, at: Date(), actor: applicant.name,
                                        text: "申请信用修复，签署信用修复承诺书：\(reason)")],
                          version: 1, marked: false, filedOn: today.description, escalated: nil)
    }

    /// The case after `action` and what it does to the record, or why the action is not allowed.
    /// - Parameter office: whether the department routed to is the credit office itself (its own data).
    public static func apply(_ action: RightsAction, to c: RightsCase, actor: String, today: CivilDate, calendar: WorkingCalendar,
                             rules: RightsRules, repairSet: RightsRules.RepairSet?, office: Bool) throws(DomainError) -> (RightsCase, RecordEffect?) {
        guard c.allows(action.step) else { throw .conflict("当前状态为“\(c.status.label)”，不能\(action.step.label)") }
        var c = c
        var effect: RecordEffect?
        let day = today.description
        func meet(_ key: String) { for i in c.deadlines.indices where c.deadlines[i].key == key && c.deadlines[i].met == nil { c.deadlines[i].met = day } }
        func meetAll() { for i in c.deadlines.indices where c.deadlines[i].met == nil { c.deadlines[i].met = day } }
        func unmark() { if c.marked { c.marked = false; effect = .unmark } }
        let entry: String
        switch action {
        case .accept(let note):
            meet("accept")
            c.status = .accepted
            if c.kind == .objection {
                let n = office ? rules.objection.platformWorkdays : rules.objection.providerWorkdays
                c.deadlines.append(.init(key: "decide", label: office ? "信用办核查处理" : "信息提供单位核查处理",
                                         due: try due(n, after: today, calendar: calendar)))
                if !c.marked { c.marked = true; effect = .mark }
            } else {
                let n = repairSet?.decideWorkdays ?? 3
                c.deadlines.append(.init(key: "decide", label: "作出修复决定", due: try due(n, after: today, calendar: calendar)))
            }
            let t = note.trimmingCharacters(in: .whitespacesAndNewlines)
            entry = "受理" + (c.kind == .objection ? "，记录标注“异议处理中”" : "") + (t.isEmpty ? "" : "：\(t)")
        case .reject(let reason):
            meetAll()
            c.status = .rejected
            let r = try text(reason, "reason", "不予受理的理由")
            c.reply = r
            unmark()
            entry = "不予受理：\(r)"
        case .requestExtension(let reason):
            let r = try text(reason, "reason", "延期理由（如需检验、检测、专家评审）")
            c.extensionRequested = r
            entry = "申请延期 \(rules.objection.extensionWorkdays) 个工作日：\(r)"
        case .decideExtension(let approve, let note):
            c.extensionRequested = nil
            if approve, let i = c.deadlines.lastIndex(where: { $0.met == nil }), let base = CivilDate(c.deadlines[i].due) {
                let extra = rules.objection.extensionWorkdays
                c.deadlines[i].met = day
                c.deadlines.append(.init(key: "extended", label: c.deadlines[i].label + "（经批准延期）",
                                         due: try due(extra, after: base, calendar: calendar)))
                entry = "批准延期 \(extra) 个工作日" + (note.isEmpty ? "" : "：\(note)")
            } else {
                entry = "不批准延期" + (note.isEmpty ? "" : "：\(note)")
            }
        case .correct(let reply, _):
            meetAll(); c.status = .corrected; c.reply = try text(reply, "reply", "书面答复"); unmark()
            entry = "异议成立，更正记录（形成新版本）。答复：\(c.reply!)"
        case .stop(let reply):
            meetAll(); c.status = .stopped; c.reply = try text(reply, "reply", "书面答复"); c.marked = false; effect = .stop
            entry = "异议成立，停止公示。答复：\(c.reply!)"
        case .uphold(let reply):
            meetAll(); c.status = .upheld; c.reply = try text(reply, "reply", "书面答复"); unmark()
            entry = "异议不成立，维持原记录，移除异议标注。答复：\(c.reply!)"
        case .approve(let reply):
            meetAll(); c.status = .approved; c.reply = try text(reply, "reply", "修复决定书内容"); effect = .repair
            entry = "准予信用修复：终止公示、停止共享和使用、解除惩戒。决定：\(c.reply!)"
        case .refuse(let reply):
            let wasAppeal = c.status == .appealed
            meetAll(); c.status = .refused; c.reply = try text(reply, "reply", "不予修复的理由")
            if wasAppeal {
                c.appealUntil = nil
                entry = "申诉复核：维持不予修复决定。理由：\(c.reply!)"
            } else {
                c.appealUntil = try due(repairSet?.appealWorkdays ?? 15, after: today, calendar: calendar)
                entry = "不予信用修复。理由：\(c.reply!)（可于 \(c.appealUntil!) 前向信用办提出申诉）"
            }
        case .appeal(let reason):
            guard let until = c.appealUntil.flatMap({ CivilDate($0) }), today <= until else {
                throw .conflict("申诉期已于 \(c.appealUntil ?? "") 届满")
            }
            let r = try text(reason, "reason", "申诉理由")
            c.status = .appealed
            c.appealUntil = nil
            c.deadlines.append(.init(key: "appeal", label: "信用办申诉复核", due: try due(repairSet?.appealDecideWorkdays ?? 10, after: today, calendar: calendar)))
            entry = "对不予修复决定提出申诉：\(r)"
        case .revoke(let reason):
            c.status = .revoked
            let r = try text(reason, "reason", "撤销理由（虚假材料的事实）")
            c.reply = r
            effect = .unrepair
            entry = "查实以虚假材料取得信用修复，撤销修复、恢复公示，虚假承诺记入信用记录：\(r)"
        case .withdraw(let reason):
            meetAll(); c.status = .withdrawn; unmark()
            let r = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            entry = "申请人撤回" + (r.isEmpty ? "" : "：\(String(r.prefix(500)))")
        }
        c.steps.append(.init(status: c.status, on: day, at: Date(), actor: actor, text: entry))
        return (c, effect)
    }

    /// The false commitment as a credit-commitment record (`xycn`) of the subject, when the subject
    /// is an organisation: the authority that granted the repair recorded it.
    public static func falseCommitmentRecord(case c: RightsCase, subjectCode: String, subjectCategory: String, authority: String,
                                             authorityCode: String, today: CivilDate) -> [String: String] {
        ["CN_XDR_MC": c.subjectName, "CN_XDR_LB": subjectCategory, "CN_XDR_SHXYM": subjectCode, "CN_CNLX": "信用修复承诺",
         "CN_CNSX": "信用修复申请第 \(c.id) 号：承诺所提交材料真实有效", "CN_CNRQ": c.filedOn, "CN_LYQK": "虚假承诺：以虚假材料取得信用修复，已于 \(today) 撤销",
         "CN_JG": authority, "CN_JGDM": authorityCode, "CN_SJLY": authority, "CN_SJLYDM": authorityCode]
    }
}

/// A message to the people concerned by a status change: shown in their inbox on the console or
/// their own pages; for the applicant also put in the outbox for a mail or SMS gateway, addressed
/// to the contact the case keeps sealed.
public struct Notice: Sendable, Equatable {
    /// `subject:<id>`, `department:<code>`, `office`, or `applicant` (the case's applicant: the
    /// outbox, and the subject's inbox when the subject filed).
    public var audience: String
    public var title: String
    public var body: String
    public var link: String?
    public init(audience: String, title: String, body: String, link: String?) {
        self.audience = audience; self.title = title; self.body = body; self.link = link
    }
}

public struct InboxEntry: Sendable, Equatable {
    public var id: Int64
    public var at: Date
    public var title: String
    public var body: String
    public var link: String?
    public var read: Bool
    public init(id: Int64, at: Date, title: String, body: String, link: String?, read: Bool) {
        self.id = id; self.at = at; self.title = title; self.body = body; self.link = link; self.read = read
    }
}

public struct OutboxMessage: Sendable, Equatable, Encodable {
    public var id: Int64
    public var at: Date
    public var channel: String
    public var address: String
    public var title: String
    public var body: String
    public init(id: Int64, at: Date, channel: String, address: String, title: String, body: String) {
        self.id = id; self.at = at; self.channel = channel; self.address = address; self.title = title; self.body = body
    }
}

/// What the publicity sweep did.
public struct SweepResult: Sendable, Equatable {
    public var ended: Int
    public var listsRemoved: Int
    public var marked: Int
    /// Cases newly past a deadline, reported to the credit office.
    public var escalated: Int
    public init(ended: Int = 0, listsRemoved: Int = 0, marked: Int = 0, escalated: Int = 0) {
        self.ended = ended; self.listsRemoved = listsRemoved; self.marked = marked; self.escalated = escalated
    }
}

public struct StoredFile: Sendable, Equatable {
    public var name: String
    public var contentType: String
    public var data: [UInt8]
    public init(name: String, contentType: String, data: [UInt8]) { self.name = name; self.contentType = contentType; self.data = data }
}

/// Objections, repairs, their files, the inbox and outbox, and the publicity sweep.
public protocol RightsStore: Sendable {
    /// Stores a new case (with its query code's hash when it has one) and applies `effect`.
    func createRightsCase(_ c: RightsCase, queryCodeHash: String?, files: [(purpose: String, file: StoredFile)], notices: [Notice],
                          actor: String) async throws -> RightsCase
    /// Saves the case after one step (refusing a stale version), applies `effect` to its record with
    /// its change-log event, and queues the notices, in one transaction.
    func saveRightsCase(_ c: RightsCase, expectedVersion: Int, effect: RecordEffect?, notices: [Notice], actor: String) async throws -> RightsCase
    func rightsCase(id: Int64) async throws -> RightsCase?
    func rightsCase(queryCodeHash: String) async throws -> RightsCase?
    /// Newest first, filtered by kind, routed department, subject, record and open or not when given.
    func rightsCases(kind: RightsCase.Kind?, department: String?, subjectID: Int64?, recordID: Int64?, open: Bool?, limit: Int) async throws -> [RightsCase]
    /// Objections whose marking deadline is `day` or past and that nobody accepted yet.
    func objectionsDueForMarking(on day: CivilDate) async throws -> [RightsCase]
    func caseFile(caseID: Int64, fileID: Int64) async throws -> StoredFile?
    /// A record by id, whatever its state (for staff, the subject itself and the procedures).
    func creditRecord(id: Int64) async throws -> CreditRecord?
    /// The record's current values with identity numbers in clear (for a correction through intake).
    func recordValues(id: Int64) async throws -> [String: String]
    /// The day until which the subject may not apply for repair (a revoked repair), if any.
    func repairBarredUntil(subjectID: Int64, barMonths: Int) async throws -> CivilDate?
    func inbox(audiences: [String], limit: Int) async throws -> [InboxEntry]
    func unreadCount(audiences: [String]) async throws -> Int
    func markRead(audiences: [String]) async throws
    func outbox(after: Int64, limit: Int) async throws -> [OutboxMessage]
    func markSent(outboxID: Int64) async throws -> Bool
    /// Ends publicity of every record whose period has passed (once, with a change-log event), and
    /// marks every record whose objection was not accepted by its marking deadline.
    func sweepPublicity(today: CivilDate, listItems: Set<String>, actor: String) async throws -> SweepResult
    func rightsRules() async throws -> RightsRules
    func putRightsRules(_ rules: RightsRules, actor: String) async throws
}
