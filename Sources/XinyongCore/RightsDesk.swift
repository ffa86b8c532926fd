import Foundation

/// The rights workflows over the store: filing objections and repair applications, each next
/// step with its effect on the record (a corrected version through intake, the mark, the end of
/// publicity, the false-commitment record) and the notices to the people concerned. The HTTP
/// layer decides who may act; this decides what happens.
public struct RightsDesk: Sendable {
    public var store: any PlatformStore
    public var catalog: Catalog
    public var rules: RightsRules
    public var calendar: WorkingCalendar
    public var today: CivilDate
    /// The credit office's own department code: objections about its data are decided on the platform's deadline.
    public var officeDepartment: String

    public init(store: any PlatformStore, catalog: Catalog, rules: RightsRules, calendar: WorkingCalendar, today: CivilDate, officeDepartment: String) {
        self.store = store; self.catalog = catalog; self.rules = rules; self.calendar = calendar; self.today = today
        self.officeDepartment = officeDepartment
    }

    /// Loads what the desk needs from the store (the catalog too, unless the caller holds it).
    public static func load(store: any PlatformStore, today: CivilDate, officeDepartment: String, catalog known: Catalog? = nil) async throws -> RightsDesk {
        async let rules = store.rightsRules()
        async let calendar = store.workingCalendar()
        let catalog: Catalog
        if let known { catalog = known } else { catalog = try await store.catalog() }
        return RightsDesk(store: store, catalog: catalog, rules: try await rules, calendar: try await calendar, today: today,
                          officeDepartment: officeDepartment)
    }

    func item(_ r: CreditRecord) throws(DomainError) -> CatalogItem {
        guard let item = catalog.item(r.itemCode) else { throw .notFound(what: "目录项 \(r.itemCode)") }
        return item
    }

    func subjectName(_ r: CreditRecord, item: CatalogItem) -> String {
        item.subject.flatMap { r.fields[$0.name] } ?? "（未关联主体）"
    }

    public func eligibility(of r: CreditRecord) async throws -> RepairEligibility {
        let item = try item(r)
        var context = RepairContext()
        // Only a record that can be repaired at all needs its applications and the subject's bar read.
        if let s = r.subjectID, let set = r.window.decisionDate.flatMap(rules.repairSet(decidedOn:)), set.repairableItems.contains(r.itemCode) {
            context.openApplication = !(try await store.rightsCases(kind: .repair, department: nil, subjectID: nil, recordID: r.id, open: true, limit: 1).isEmpty)
            context.barredUntil = try await store.repairBarredUntil(subjectID: s, barMonths: set.fraudBarMonths)
        }
        return RepairRules.eligibility(of: r, item: item, catalog: catalog, rights: rules, on: today, context: context)
    }

    public func fileObjection(record r: CreditRecord, applicant: RightsCase.Applicant, field: String?, proposed: String?, reason: String,
                              files: [(purpose: String, file: StoredFile)], queryCodeHash: String?, actor: String) async throws -> RightsCase {
        let item = try item(r)
        if try await store.rightsCases(kind: .objection, department: nil, subjectID: nil, recordID: r.id, open: true, limit: 1000)
            .contains(where: { $0.applicant.contact == RightsCase.Applicant.mask(applicant.contact) && $0.applicant.name == applicant.name }) {
            throw DomainError.conflict("您对该记录的异议正在处理中，请凭查询码跟踪进度，无需重复提交")
        }
        let c = try RightsProcedure.objection(record: r, item: item, subjectName: subjectName(r, item: item), department: r.departmentCode,
                                              applicant: applicant, field: field, proposed: proposed, reason: reason, rules: rules, today: today,
                                              calendar: calendar)
        let due = c.deadlines.first?.due ?? ""
        return try await store.createRightsCase(c, queryCodeHash: queryCodeHash, files: files, notices: [
            Notice(audience: "department:\(r.departmentCode)", title: "新的异议申诉（第 {id} 号）待受理",
                   body: "\(c.subjectName)的\(item.name)记录被提出异议，请于 \(due) 前受理；受理后该记录标注“异议处理中”。", link: "/console/rights/{id}"),
            Notice(audience: "office", title: "新的异议申诉（第 {id} 号）", body: "\(c.subjectName)的\(item.name)记录，受理期限 \(due)。", link: "/console/rights/{id}"),
            Notice(audience: "applicant", title: "已收到您的异议申诉（第 {id} 号）",
                   body: "我们将于 \(due) 前受理并在该记录上标注“异议处理中”，处理结果将书面答复您。", link: nil),
        ], actor: actor)
    }

    public func fileRepair(record r: CreditRecord, applicant: RightsCase.Applicant, reason: String, signed: Bool,
                           files: [(purpose: String, file: StoredFile)], queryCodeHash: String?, actor: String) async throws -> RightsCase {
        let item = try item(r)
        guard files.contains(where: { $0.purpose == "履行证明" }) else {
            throw DomainError.invalid(field: "proof", reason: "请上传已履行法定义务的证明材料（如罚款缴纳凭证）")
        }
        let e = try await eligibility(of: r)
        let c = try RightsProcedure.repair(record: r, item: item, subjectName: subjectName(r, item: item), department: r.departmentCode,
                                           applicant: applicant, reason: reason, signed: signed, eligibility: e, rules: rules, today: today,
                                           calendar: calendar)
        let due = c.deadlines.first?.due ?? ""
        return try await store.createRightsCase(c, queryCodeHash: queryCodeHash, files: files, notices: [
            Notice(audience: "department:\(r.departmentCode)", title: "新的信用修复申请（第 {id} 号）待受理",
                   body: "\(c.subjectName)申请修复\(item.name)记录（谁认定、谁修复），请于 \(due) 前受理。", link: "/console/rights/{id}"),
            Notice(audience: "applicant", title: "已收到您的信用修复申请（第 {id} 号）", body: "认定部门将于 \(due) 前受理，办理进度可凭查询码查看。", link: nil),
        ], actor: actor)
    }

    /// The next step in a case, with its effect and notices.
    public func act(_ action: RightsAction, on c: RightsCase, actorName: String, actor: String) async throws -> RightsCase {
        guard let r = try await store.creditRecord(id: c.recordID) else { throw DomainError.notFound(what: "该记录") }
        let item = try item(r)
        let set = r.window.decisionDate.flatMap(rules.repairSet(decidedOn:)) ?? rules.repairSets.last
        let (next, effect) = try RightsProcedure.apply(action, to: c, actor: actorName, today: today, calendar: calendar, rules: rules,
                                                       repairSet: set, office: c.department == officeDepartment)
        if case .correct(_, let values) = action { try await correct(r, item: item, with: values, case: c, actor: actor) }
        var notices = [Notice(audience: "applicant", title: "您的\(c.kind.label)（第 \(c.id) 号）：\(next.status.label)",
                              body: next.steps.last?.text ?? "", link: nil)]
        switch action.step {
        case .accept, .reject, .requestExtension: notices.append(Notice(audience: "office", title: "\(c.kind.label)第 \(c.id) 号：\(action.step.label)",
                                                                        body: next.steps.last?.text ?? "", link: "/console/rights/\(c.id)"))
        default: notices.append(Notice(audience: "department:\(c.department)", title: "\(c.kind.label)第 \(c.id) 号：\(next.status.label)",
                                       body: next.steps.last?.text ?? "", link: "/console/rights/\(c.id)"))
        }
        if action.step == .requestExtension || action.step == .appeal { notices.removeAll { $0.audience == "applicant" } }
        if action.step == .appeal {
            notices.append(Notice(audience: "office", title: "信用修复第 \(c.id) 号：申请人提出申诉", body: next.steps.last?.text ?? "",
                                  link: "/console/rights/\(c.id)"))
        }
        let saved = try await store.saveRightsCase(next, expectedVersion: c.version, effect: effect, notices: notices, actor: actor)
        if case .revoke = action { try await recordFalseCommitment(saved, record: r, item: item, actor: actor) }
        return saved
    }

    /// An objection upheld in part: a new version of the record with the corrected values, through intake.
    private func correct(_ r: CreditRecord, item: CatalogItem, with changes: [String: String], case c: RightsCase, actor: String) async throws {
        let changes = changes.filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
        guard !changes.isEmpty else { throw DomainError.invalid(field: "values", reason: "请填写更正后的字段值") }
        for name in changes.keys {
            guard let f = item.field(name) else { throw DomainError.invalid(field: "values", reason: "\(item.name)没有字段 \(name)") }
            if item.naturalKey.contains(name) {
                throw DomainError.invalid(field: "values", reason: "“\(f.label)”是记录的唯一标识，不能更正；请由报送部门撤销该记录后重新报送")
            }
            if f.kind == .identityNumber { throw DomainError.invalid(field: "values", reason: "证件号码的更正请由报送部门重新报送") }
        }
        var values = try await store.recordValues(id: r.id)
        for (k, v) in changes { values[k] = v.trimmingCharacters(in: .whitespaces) }
        let validated = CatalogValidator(catalog: catalog).validate(values, item: item, today: today)
        let result = try await store.applySubmission(SubmissionDraft(
            item: item, department: r.departmentCode, channel: .api, actor: "\(actor) 异议申诉 \(c.id) 更正",
            rows: [IntakeRow(number: 1, raw: values, result: validated)], catalog: catalog))
        if let problem = result.rejected.first ?? result.held.first {
            throw DomainError.invalid(field: "values", reason: "更正后的记录未通过校验：" + problem.issue.reason)
        }
        guard result.updated == 1 else { throw DomainError.invalid(field: "values", reason: "更正后的内容与原记录相同") }
    }

    /// The false commitment of a revoked repair as a credit-commitment record of an organisation.
    private func recordFalseCommitment(_ c: RightsCase, record r: CreditRecord, item: CatalogItem, actor: String) async throws {
        guard let sid = r.subjectID, let subject = try await store.subject(id: sid), !subject.kind.isNaturalPerson,
              let xycn = catalog.item("xycn") else { return }
        // The authority that decided the record (决定机关 and its code), which also granted the repair.
        guard let codeField = item.fields.first(where: { $0.kind == .uscc && $0.name.hasSuffix("JGDM") }),
              let code = r.fields[codeField.name],
              let authority = r.fields[String(codeField.name.dropLast(2))] else { return }
        let raw = RightsProcedure.falseCommitmentRecord(case: c, subjectCode: subject.code,
                                                        subjectCategory: subject.kind == .individualBusiness ? "个体工商户" : "法人及非法人组织",
                                                        authority: authority, authorityCode: code, today: today)
        let validated = CatalogValidator(catalog: catalog).validate(raw, item: xycn, today: today)
        _ = try await store.applySubmission(SubmissionDraft(item: xycn, department: r.departmentCode, channel: .api,
                                                            actor: "\(actor) 信用修复 \(c.id) 撤销", rows: [IntakeRow(number: 1, raw: raw, result: validated)],
                                                            catalog: catalog))
    }

    /// The scheduled work: ends publicity of records past their period and list entries past
    /// their term (once each, with events), and marks every objection not accepted by its marking deadline.
    public func sweep() async throws -> SweepResult {
        let lists = Set(catalog.items.filter { $0.publicity == "list" }.map(\.code))
        var result = try await store.sweepPublicity(today: today, listItems: lists, actor: "system:sweep")
        for c in try await store.objectionsDueForMarking(on: today) {
            var marked = c
            marked.marked = true
            marked.steps.append(.init(status: c.status, on: today.description, at: Date(), actor: "系统",
                                      text: "标注期限（\(c.deadlines.first?.due ?? "")）已到，系统自动标注“异议处理中”，待受理"))
            _ = try await store.saveRightsCase(marked, expectedVersion: c.version, effect: .mark, notices: [
                Notice(audience: "office", title: "异议申诉第 \(c.id) 号逾期未受理", body: "已自动标注“异议处理中”，请督办 \(c.department) 尽快受理。",
                       link: "/console/rights/\(c.id)"),
            ], actor: "system:sweep")
            result.marked += 1
        }
        // Every open case past its running deadline is reported to the credit office once per deadline (督办).
        for c in try await store.rightsCases(kind: nil, department: nil, subjectID: nil, recordID: nil, open: true, limit: 1000)
        where c.isOverdue(on: today) && c.escalated != c.pending?.due {
            var e = c
            let p = c.pending!
            e.escalated = p.due
            e.steps.append(.init(status: c.status, on: today.description, at: Date(), actor: "系统",
                                 text: "“\(p.label)”期限 \(p.due) 已过，提请信用办督办"))
            _ = try await store.saveRightsCase(e, expectedVersion: c.version, effect: nil, notices: [
                Notice(audience: "office", title: "\(c.kind.label)第 \(c.id) 号逾期：\(p.label)", body: "期限 \(p.due)，承办部门 \(c.department)。",
                       link: "/console/rights/\(c.id)"),
                Notice(audience: "department:\(c.department)", title: "\(c.kind.label)第 \(c.id) 号已逾期", body: "“\(p.label)”期限 \(p.due) 已过，信用办督办中，请尽快办理。",
                       link: "/console/rights/\(c.id)"),
            ], actor: "system:sweep")
            result.escalated += 1
        }
        return result
    }
}
