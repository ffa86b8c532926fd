import Foundation
import Testing
@testable import XinyongCore

@Suite("Repair eligibility, objection and repair procedures")
struct RightsTests {
    let catalog = Catalog.shipped
    let rules = RightsRules.shipped
    let calendar = WorkingCalendar.shipped
    var penalty: CatalogItem { catalog.item("xzcf")! }
    func d(_ s: String) -> CivilDate { CivilDate(s)! }

    /// A stored penalty record decided on `decided` with these 处罚类别, its window computed by the rules.
    func record(decided: String, kinds: String, id: Int64 = 1) -> CreditRecord {
        let fields = ["CF_XDR_MC": "厦门示例科技有限公司", "CF_XDR_LB": "法人及非法人组织", "CF_XDR_SHXYM": "91350200776049653A",
                      "CF_WSH": "厦市监处罚〔\(decided.prefix(4))〕\(id)号", "CF_CFLB": kinds, "CF_JDRQ": decided,
                      "CF_CFJG": "厦门市市场监督管理局", "CF_CFJGDM": "9135021359498494XQ"]
        return CreditRecord(id: id, itemCode: "xzcf", key: "k\(id)", subjectID: 7, version: 1, status: .active, fields: fields,
                            departmentCode: "SCJGJ", submissionID: 1, sourceRow: 1, receivedAt: Date(),
                            window: PublicityWindow.of(fields, item: penalty, rules: catalog.publicityRules))
    }

    func eligibility(_ r: CreditRecord, on day: String, context: RepairContext = RepairContext()) -> RepairEligibility {
        RepairRules.eligibility(of: r, item: penalty, catalog: catalog, rights: rules, on: d(day), context: context)
    }

    @Test func generalPenaltiesCanBeRepairedAfterThreeMonthsUnderEachRuleSet() {
        // Decided under Order 58 (2023-05-01 – 2026-03-31): general = min 3 months, max 1 year.
        let old = record(decided: "2026-03-05", kinds: "罚款")
        let before = eligibility(old, on: "2026-05-01")
        #expect(!before.eligible && before.earliestDate == d("2026-06-05") && before.publicityEnds == d("2027-03-05"))
        #expect(before.ruleSet.contains("第58号") && before.summary == "可于 2026-06-05 后申请信用修复")
        #expect(before.reasons.contains { $0.contains("最短公示期") })
        #expect(eligibility(old, on: "2026-06-05").eligible)
        // Decided under Order 36 (from 2026-04-01): the same 3 months for a general penalty.
        let new = record(decided: "2026-04-01", kinds: "罚款", id: 2)
        let e = eligibility(new, on: "2026-06-30")
        #expect(!e.eligible && e.earliestDate == d("2026-07-01") && e.ruleSet.contains("第36号"))
        #expect(eligibility(new, on: "2026-07-01").eligible)
    }

    @Test func seriousPenaltiesWaitOneYearUnderOrder58And36ButSixMonthsUnder2019() {
        let serious2022 = record(decided: "2022-12-01", kinds: "暂扣许可证件")
        let e2022 = eligibility(serious2022, on: "2023-01-01")
        #expect(e2022.severity == .serious && e2022.earliestDate == d("2023-06-01") && e2022.ruleSet.contains("527号"))
        let serious2023 = record(decided: "2023-05-01", kinds: "暂扣许可证件", id: 2)
        #expect(eligibility(serious2023, on: "2023-06-01").earliestDate == d("2024-05-01"))
        let serious2026 = record(decided: "2026-04-02", kinds: "暂扣许可证件", id: 3)
        let e = eligibility(serious2026, on: "2026-11-23")
        #expect(!e.eligible && e.earliestDate == d("2027-04-02") && e.publicityEnds == d("2029-04-02"))
    }

    @Test func minorPenaltiesAreShortUnder2026RulesAndRepairableAtOnce() {
        // A warning decided after 2026-04-01 is published for at most 3 months and repairable at once.
        let minor = record(decided: "2026-10-10", kinds: "警告")
        #expect(minor.window.until == d("2027-01-10"))
        let e = eligibility(minor, on: "2026-10-10")
        #expect(e.eligible && e.earliestDate == d("2026-10-10") && e.severity == .minor)
        // The same warning decided in 2025 was public for a year, repairable after three months.
        let old = record(decided: "2025-10-10", kinds: "警告", id: 2)
        #expect(old.window.until == d("2026-10-10"))
        #expect(eligibility(old, on: "2025-12-01").earliestDate == d("2026-01-10"))
        // Past its period, nothing to repair.
        let over = eligibility(old, on: "2026-10-10")
        #expect(!over.eligible && over.reasons.first!.contains("届满"))
    }

    @Test func somePenaltyKindsCannotEndEarly() {
        let revoked = record(decided: "2026-05-01", kinds: "罚款；吊销许可证件")
        let e = eligibility(revoked, on: "2027-06-01")
        #expect(!e.eligible && e.earliestDate == nil && e.reasons.first!.contains("吊销许可证件") && e.reasons.first!.contains("2029-05-01"))
    }

    @Test func theFraudBarAndAnOpenApplicationBlock() {
        let r = record(decided: "2026-04-01", kinds: "罚款")
        let barred = eligibility(r, on: "2026-08-01", context: RepairContext(barredUntil: d("2027-01-01")))
        #expect(!barred.eligible && barred.earliestDate == d("2027-01-01") && barred.reasons.contains { $0.contains("虚假材料") })
        let open = eligibility(r, on: "2026-08-01", context: RepairContext(openApplication: true))
        #expect(!open.eligible && open.reasons == ["已有处理中的修复申请"])
        var repaired = r
        repaired.endReason = .repaired; repaired.endedOn = d("2026-08-02")
        #expect(!eligibility(repaired, on: "2026-08-03").eligible)
        #expect(!repaired.isPublic(on: d("2026-08-02")) && repaired.isPublic(on: d("2026-08-01")))
    }

    @Test func licencesAndCourtListsAreNotRepairedHere() {
        let licence = CreditRecord(id: 9, itemCode: "xzxk", key: "x", subjectID: 7, version: 1, status: .active, fields: ["XK_JDRQ": "2026-01-01"],
                                   departmentCode: "SCJGJ", submissionID: 1, sourceRow: 1, receivedAt: Date(),
                                   window: PublicityWindow(decisionDate: d("2026-01-01"), from: d("2026-01-01"), until: nil, publishable: true, basis: ""))
        let e = RepairRules.eligibility(of: licence, item: catalog.item("xzxk")!, catalog: catalog, rights: rules, on: d("2026-11-23"))
        #expect(!e.eligible && e.reasons.first!.contains("不属于失信信息"))
        var debtor = licence
        debtor.itemCode = "sxbzxr"
        let c = RepairRules.eligibility(of: debtor, item: catalog.item("sxbzxr")!, catalog: catalog, rights: rules, on: d("2026-11-23"))
        #expect(!c.eligible && c.reasons.first!.contains("人民法院"))
    }

    @Test func rulesFromTheCreditOfficeReplaceThePeriods() throws {
        var local = rules
        local.version = "本地-1"
        var p = catalog.publicityRules
        p.penaltySets[p.penaltySets.count - 1].minMonths["general"] = 6
        local.publicity = p
        let changed = catalog.applying(publicity: try local.validated())
        #expect(changed.version.hasSuffix("+rules-本地-1"))
        let r = record(decided: "2026-05-01", kinds: "罚款")
        #expect(RepairRules.eligibility(of: r, item: penalty, catalog: changed, rights: local, on: d("2026-08-01")).earliestDate == d("2026-11-01"))
        var bad = local
        bad.repairSets[0].basis = " "
        #expect(throws: DomainError.self) { try bad.validated() }
        bad = local
        bad.publicity!.penaltySets[0].minMonths["serious"] = 99
        #expect(throws: DomainError.self) { try bad.validated() }
    }

    // MARK: Procedures

    let applicant = RightsCase.Applicant(name: "王伟", contact: "13800138000", isSubject: true, accountID: 3)

    func objection(filed: String) throws -> RightsCase {
        try RightsProcedure.objection(record: record(decided: "2026-05-01", kinds: "罚款"), item: penalty, subjectName: "厦门示例科技有限公司",
                                      department: "SCJGJ", applicant: applicant, field: "CF_NR_FK", proposed: "0.2", reason: "罚款金额应为 0.2 万元",
                                      rules: rules, today: d(filed), calendar: calendar)
    }

    @Test func objectionDeadlinesCountWorkingDaysAcrossHolidaysAndAdjustedWeekends() throws {
        // Filed on Wednesday 2026-09-30: the next working day is Thursday 2026-10-08 (holidays 10-01 – 10-07 in the shipped calendar).
        var c = try objection(filed: "2026-09-30")
        #expect(c.deadlines == [.init(key: "accept", label: "受理并标注“异议处理中”", due: "2026-10-08")])
        #expect(c.isOverdue(on: d("2026-10-09")) && !c.isOverdue(on: d("2026-10-08")))
        // Accepted on 2026-10-09: the provider's 5 working days include the adjusted Saturday 2026-10-10.
        var effect: RecordEffect?
        (c, effect) = try RightsProcedure.apply(.accept(note: ""), to: c, actor: "李文", today: d("2026-10-09"), calendar: calendar, rules: rules,
                                                repairSet: nil, office: false)
        #expect(effect == .mark && c.marked && c.status == .accepted)
        #expect(c.pending?.key == "decide" && c.pending?.due == "2026-10-15")
        // The credit office's own data: 5 working days too by default, but its own rule.
        var office = rules
        office.objection.platformWorkdays = 2
        let (o, _) = try RightsProcedure.apply(.accept(note: ""), to: try objection(filed: "2026-09-30"), actor: "x", today: d("2026-10-09"),
                                               calendar: calendar, rules: office, repairSet: nil, office: true)
        #expect(o.pending?.due == "2026-10-12" && o.pending?.label == "信用办核查处理")
        // An extension needs approval, and adds 3 working days to the running deadline.
        (c, _) = try RightsProcedure.apply(.requestExtension(reason: "需要检验检测"), to: c, actor: "李文", today: d("2026-10-12"), calendar: calendar,
                                           rules: rules, repairSet: nil, office: false)
        #expect(c.pending?.due == "2026-10-15" && c.extensionRequested != nil && !c.allows(.requestExtension))
        (c, _) = try RightsProcedure.apply(.decideExtension(approve: true, note: ""), to: c, actor: "张敏", today: d("2026-10-13"), calendar: calendar,
                                           rules: rules, repairSet: nil, office: false)
        #expect(c.pending?.key == "extended" && c.pending?.due == "2026-10-20")
        // Upheld: the mark is removed, with a written reply.
        #expect(throws: DomainError.self) { try RightsProcedure.apply(.uphold(reply: " "), to: c, actor: "x", today: d("2026-10-14"), calendar: calendar, rules: rules, repairSet: nil, office: false) }
        (c, effect) = try RightsProcedure.apply(.uphold(reply: "经核查，罚款金额与处罚决定书一致。"), to: c, actor: "李文", today: d("2026-10-14"),
                                                calendar: calendar, rules: rules, repairSet: nil, office: false)
        #expect(effect == .unmark && !c.marked && c.status == .upheld && c.pending == nil && c.reply != nil)
        #expect(c.steps.map(\.status) == [.submitted, .accepted, .accepted, .accepted, .upheld])
    }

    @Test func eachObjectionOutcomeHasItsEffect() throws {
        func accepted() throws -> RightsCase {
            try RightsProcedure.apply(.accept(note: ""), to: try objection(filed: "2026-11-23"), actor: "x", today: d("2026-11-23"), calendar: calendar,
                                      rules: rules, repairSet: nil, office: false).0
        }
        let outcomes: [(RightsAction, RightsCase.Status, RecordEffect?)] = [
            (.correct(reply: "已更正", values: ["CF_NR_FK": "0.2"]), .corrected, .unmark),
            (.stop(reply: "已超过公示期限，停止公示"), .stopped, .stop),
            (.uphold(reply: "维持"), .upheld, .unmark),
            (.withdraw(reason: "误报"), .withdrawn, .unmark),
        ]
        for (action, status, effect) in outcomes {
            let (c, e) = try RightsProcedure.apply(action, to: try accepted(), actor: "x", today: d("2026-11-24"), calendar: calendar, rules: rules,
                                                   repairSet: nil, office: false)
            #expect(c.status == status && e == effect && !c.marked && !c.status.isOpen)
        }
        // Not accepted: closed with reasons, never marked.
        let (r, e) = try RightsProcedure.apply(.reject(reason: "未提供任何证据"), to: try objection(filed: "2026-11-23"), actor: "x", today: d("2026-11-23"),
                                               calendar: calendar, rules: rules, repairSet: nil, office: false)
        #expect(r.status == .rejected && e == nil && r.reply == "未提供任何证据")
        // A repair outcome is not offered on an objection.
        #expect(throws: DomainError.self) { try RightsProcedure.apply(.approve(reply: "x"), to: try accepted(), actor: "x", today: d("2026-11-24"), calendar: calendar, rules: rules, repairSet: nil, office: false) }
    }

    @Test func aRepairIsAcceptedDecidedAppealedAndRevokedForFraud() throws {
        let r = record(decided: "2026-04-01", kinds: "罚款")
        let set = rules.repairSet(decidedOn: d("2026-04-01"))!
        let notYet = eligibility(r, on: "2026-06-01")
        #expect(throws: DomainError.self) {
            try RightsProcedure.repair(record: r, item: penalty, subjectName: "厦门示例科技有限公司", department: "SCJGJ", applicant: applicant,
                                       reason: "已缴纳罚款", signed: true, eligibility: notYet, rules: rules, today: d("2026-06-01"), calendar: calendar)
        }
        let ok = eligibility(r, on: "2026-11-23")
        #expect(throws: DomainError.self) {   // the commitment must be signed
            try RightsProcedure.repair(record: r, item: penalty, subjectName: "厦门示例科技有限公司", department: "SCJGJ", applicant: applicant,
                                       reason: "已缴纳罚款", signed: false, eligibility: ok, rules: rules, today: d("2026-11-23"), calendar: calendar)
        }
        var c = try RightsProcedure.repair(record: r, item: penalty, subjectName: "厦门示例科技有限公司", department: "SCJGJ", applicant: applicant,
                                           reason: "已于 2026-04-10 缴纳罚款", signed: true, eligibility: ok, rules: rules, today: d("2026-11-23"), calendar: calendar)
        #expect(c.commitment!.contains("厦门示例科技有限公司") && c.pending?.due == "2026-11-25")
        func step(_ a: RightsAction, _ day: String) throws -> RecordEffect? {
            let (n, e) = try RightsProcedure.apply(a, to: c, actor: "x", today: d(day), calendar: calendar, rules: rules, repairSet: set, office: false)
            c = n
            return e
        }
        _ = try step(.accept(note: ""), "2026-11-24")
        #expect(c.pending?.key == "decide" && c.pending?.due == "2026-11-27")   // 3 working days under the 2025 plan
        #expect(try step(.refuse(reply: "罚款缴纳凭证不清晰"), "2026-11-25") == nil)
        #expect(c.status == .refused && c.appealUntil == "2026-12-16")
        _ = try step(.appeal(reason: "已补充清晰的缴款凭证"), "2026-11-26")
        #expect(c.status == .appealed && c.pending?.key == "appeal" && c.pending?.due == "2026-12-10")
        #expect(try step(.approve(reply: "准予修复"), "2026-11-27") == .repair)
        #expect(c.status == .approved && !c.allows(.appeal))
        #expect(try step(.revoke(reason: "缴款凭证系伪造"), "2026-12-01") == .unrepair)
        #expect(c.status == .revoked)
    }

    @Test func contactsAreMasked() {
        #expect(RightsCase.Applicant.mask("13800138000") == "138****8000")
        #expect(RightsCase.Applicant.mask("zhang@example.com") == "z***@example.com")
        #expect(throws: DomainError.self) { try RightsProcedure.contact("12345") }
        #expect((try? RightsProcedure.contact(" 13800138000 ")) == "13800138000")
    }
}
