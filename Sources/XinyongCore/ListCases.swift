import Foundation

/// A determination of the serious-dishonesty list in the platform (国办发〔2020〕49号 points 6–8,
/// domain-rules §6.1): case opened → notice to the subject with reasons, basis and rights (告知) →
/// the subject's statement or objection within its period (陈述申辩) → decision document
/// (reasons, basis, measures, removal conditions, remedies) → publication (a record of the
/// `yzsx` item, so the website, checks and measures use it like any other) → removal at expiry
/// (the record's period ends by itself), by repair or when the basis is revoked. Every step is
/// dated, attributed and kept.
public struct ListCase: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case opened, notified, heard, decided, published, removed, closed
        public var label: String {
            switch self {
            case .opened: "已立案"
            case .notified: "已告知，陈述申辩期内"
            case .heard: "已陈述申辩"
            case .decided: "已作出认定决定"
            case .published: "已列入名单并公示"
            case .removed: "已移出名单"
            case .closed: "已终止（不予认定）"
            }
        }
    }

    public struct Step: Sendable, Codable, Equatable {
        public var status: Status
        public var on: String
        public var actor: String
        public var text: String
    }

    public var id: Int64
    public var subjectID: Int64
    public var subjectName: String
    public var subjectCode: String
    public var subjectCategory: String
    public var legalRepresentative: String?
    public var department: String
    /// The deciding authority as the decision names it, with its credit code.
    public var authority: String
    public var authorityCode: String
    public var reasons: String
    public var basis: String
    public var status: Status
    public var statementDeadline: String?
    public var decisionNumber: String?
    public var decidedOn: String?
    public var validUntil: String?
    public var steps: [Step]
    public var version: Int

    /// Whether the procedure allows `step` now: the one rule for both the actions and the forms offered.
    public func allows(_ step: ListCaseAction.Step) -> Bool {
        switch step {
        case .notify: status == .opened
        case .hear: status == .notified
        case .decide: status == .notified || status == .heard
        case .publish: status == .decided
        case .remove: status == .published
        case .close: [.opened, .notified, .heard].contains(status)
        }
    }
}

/// What a person does next in a case.
public enum ListCaseAction: Sendable, Equatable {
    /// 告知: the notice's text (reasons, basis, the subject's rights and how to use them).
    case notify(notice: String)
    /// 陈述申辩: what the subject said, and the department's answer.
    case hear(statement: String)
    /// 决定: the decision document's number and text (measures, removal conditions, remedies) and the end of listing.
    case decide(number: String, text: String, validUntil: CivilDate)
    case publish
    case remove(reason: String)
    case close(reason: String)

    public enum Step: String, Sendable, CaseIterable {
        case notify, hear, decide, publish, remove, close
        var label: String {
            switch self {
            case .notify: "发出告知"
            case .hear: "记录陈述申辩"
            case .decide: "作出决定"
            case .publish: "公示"
            case .remove: "移出名单"
            case .close: "终止"
            }
        }
    }

    public var step: Step {
        switch self {
        case .notify: .notify
        case .hear: .hear
        case .decide: .decide
        case .publish: .publish
        case .remove: .remove
        case .close: .close
        }
    }
}

public enum ListProcedure {
    /// Working days the subject has for its statement after the notice. [U]: set by each field's
    /// rules; configurable (`list_statement_workdays`).
    public static let defaultStatementWorkdays = 5
    /// Longest listing the 2025 plan allows for serious information (domain-rules §3.3).
    public static let maxListingMonths = 36

    /// A new case, checked: reasons and basis are required, the authority's code must be valid.
    public static func open(subject: Subject, department: String, authority: String, authorityCode: String, reasons: String, basis: String,
                            actor: String, today: CivilDate, validator: IdentifierValidator = IdentifierValidator()) throws(DomainError) -> ListCase {
        guard subject.kind != .naturalPerson else {
            throw .invalid(field: "subject", reason: "本平台只认定法人和非法人组织的严重失信主体名单；自然人的认定由有关部门依法办理")
        }
        let reasons = reasons.trimmingCharacters(in: .whitespacesAndNewlines), basis = basis.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reasons.isEmpty else { throw .invalid(field: "reasons", reason: "请写明拟列入的事实和理由") }
        guard !basis.isEmpty else { throw .invalid(field: "basis", reason: "请写明认定依据（法律、法规或党中央、国务院政策文件及条款）") }
        let authority = authority.trimmingCharacters(in: .whitespaces)
        guard !authority.isEmpty else { throw .invalid(field: "authority", reason: "请填写作出认定的机关名称") }
        let code = validator.checkUSCC(IdentifierValidator.normalize(authorityCode))
        guard code.valid, let normalized = code.normalized else {
            throw .invalid(field: "authority_code", reason: "认定机关统一社会信用代码有误：\(code.reason ?? "无法识别")")
        }
        return ListCase(id: 0, subjectID: subject.id, subjectName: subject.name, subjectCode: subject.code,
                        subjectCategory: subject.kind == .individualBusiness ? "个体工商户" : "法人及非法人组织",
                        legalRepresentative: subject.legalRepresentative, department: department, authority: authority, authorityCode: normalized,
                        reasons: reasons, basis: basis, status: .opened, statementDeadline: nil, decisionNumber: nil, decidedOn: nil, validUntil: nil,
                        steps: [.init(status: .opened, on: today.description, actor: actor, text: "立案：\(reasons)")], version: 1)
    }

    /// The case after `action`, or why the action is not allowed now.
    public static func apply(_ action: ListCaseAction, to c: ListCase, actor: String, today: CivilDate, calendar: WorkingCalendar,
                             statementWorkdays: Int = defaultStatementWorkdays) throws(DomainError) -> ListCase {
        var c = c
        func text(_ s: String, _ field: String, _ what: String) throws(DomainError) -> String {
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !t.isEmpty else { throw .invalid(field: field, reason: "请填写\(what)") }
            guard t.count <= 5000 else { throw .invalid(field: field, reason: "\(what)不能超过 5000 字") }
            return t
        }
        guard c.allows(action.step) else { throw .conflict("案件当前状态为“\(c.status.label)”，不能\(action.step.label)") }
        let entry: String
        switch action {
        case .notify(let notice):
            let n = try text(notice, "notice", "告知内容（事实、理由、依据和陈述申辩的权利）")
            let deadline: CivilDate
            do { deadline = try calendar.addingWorkdays(statementWorkdays, to: today) } catch {
                throw .invalid(field: "notice", reason: "工作日历未覆盖 \(error.year) 年，无法计算陈述申辩期限；请信用办先设置该年节假日安排")
            }
            c.statementDeadline = deadline.description
            c.status = .notified
            entry = "告知（陈述申辩期至 \(deadline)，\(statementWorkdays) 个工作日）：\(n)"
        case .hear(let statement):
            c.status = .heard
            entry = "陈述申辩及处理：" + (try text(statement, "statement", "陈述申辩内容及处理意见"))
        case .decide(let number, let document, let until):
            if c.status == .notified, let deadline = c.statementDeadline.flatMap({ CivilDate($0) }), today <= deadline {
                throw .conflict("陈述申辩期至 \(deadline) 届满；期满前未收到陈述申辩的，期满后才能作出决定（已收到的请先记录）")
            }
            let num = try text(number, "number", "认定决定书文号")
            let doc = try text(document, "document", "决定书内容（理由、依据、惩戒措施提示、移出条件和程序、救济途径）")
            for (word, what) in [("依据", "认定依据"), ("移出", "移出条件和程序"), ("复议", "救济途径（行政复议或诉讼）")] where !doc.contains(word) {
                throw .invalid(field: "document", reason: "决定书须写明\(what)（未找到“\(word)”）")
            }
            guard until > today else { throw .invalid(field: "valid_until", reason: "列入期限应晚于今天") }
            guard until <= today.adding(months: maxListingMonths) else {
                throw .invalid(field: "valid_until", reason: "严重失信信息最长公示 \(maxListingMonths / 12) 年（国办发〔2025〕22号），列入期限不能晚于 \(today.adding(months: maxListingMonths))")
            }
            c.decisionNumber = num; c.decidedOn = today.description; c.validUntil = until.description
            c.status = .decided
            entry = "认定决定 \(num)（列入至 \(until)）：\(doc)"
        case .publish:
            c.status = .published
            entry = "列入严重失信主体名单并公示"
        case .remove(let reason):
            c.status = .removed
            entry = "提前移出名单：" + (try text(reason, "reason", "移出原因（信用修复、认定依据被撤销等）"))
        case .close(let reason):
            c.status = .closed
            entry = "终止，不予认定：" + (try text(reason, "reason", "终止原因"))
        }
        c.steps.append(.init(status: c.status, on: today.description, actor: actor, text: entry))
        return c
    }

    /// The list record a published case puts in the archive (the `yzsx` item's fields).
    public static func record(_ c: ListCase) -> [String: String] {
        var r: [String: String] = [
            "YZ_XDR_MC": c.subjectName, "YZ_XDR_LB": c.subjectCategory, "YZ_XDR_SHXYM": c.subjectCode, "YZ_RDWH": c.decisionNumber ?? "",
            "YZ_LRYY": String(c.reasons.prefix(500)), "YZ_RDYJ": String(c.basis.prefix(500)), "YZ_RDRQ": c.decidedOn ?? "", "YZ_YXQZ": c.validUntil ?? "",
            "YZ_JG": c.authority, "YZ_JGDM": c.authorityCode, "YZ_SJLY": c.authority, "YZ_SJLYDM": c.authorityCode,
        ]
        if let lr = c.legalRepresentative, c.subjectCategory != "个体工商户" { r["YZ_FRDB"] = lr }
        return r
    }
}

/// Something the credit office must look at before a date: a case whose statement period has run
/// out, a list entry about to end, a business-anomaly entry close to its three years (when the
/// subject goes on the serious list, 企业信息公示暂行条例 art. 17).
public struct ListWarning: Sendable, Equatable {
    public enum Kind: String, Sendable { case statementOver, expiring, anomalyThreeYears }
    public var kind: Kind
    public var due: String
    public var subjectName: String
    public var subjectCode: String?
    public var text: String
    public var caseID: Int64?
    public var recordID: Int64?
    public init(kind: Kind, due: String, subjectName: String, subjectCode: String?, text: String, caseID: Int64? = nil, recordID: Int64? = nil) {
        self.kind = kind; self.due = due; self.subjectName = subjectName; self.subjectCode = subjectCode; self.text = text
        self.caseID = caseID; self.recordID = recordID
    }
}

/// Cases and the list entries the warnings come from.
public protocol ListCaseStore: Sendable {
    func createListCase(_ c: ListCase, actor: String) async throws -> ListCase
    /// Saves the case after one action (appending its step); refuses a stale version.
    func saveListCase(_ c: ListCase, expectedVersion: Int, actor: String) async throws -> ListCase
    func listCase(id: Int64) async throws -> ListCase?
    /// Newest first; only a department's, and only in one status, when given.
    func listCases(department: String?, status: ListCase.Status?, limit: Int) async throws -> [ListCase]
    /// Active records of `item` whose period ends between the two days (the first day they no longer count), not ended early by repair.
    func endingRecords(item: String, from: CivilDate, to: CivilDate, limit: Int) async throws -> [CreditRecord]
    /// Active records of `item` without an end, decided on or before `decidedBy`, not ended early by repair.
    func openRecords(item: String, decidedBy: CivilDate, limit: Int) async throws -> [CreditRecord]
}
