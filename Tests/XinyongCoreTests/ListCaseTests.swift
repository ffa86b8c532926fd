import Foundation
import Testing
@testable import XinyongCore

@Suite struct ListCaseTests {
    let calendar = WorkingCalendar.shipped
    func d(_ s: String) -> CivilDate { CivilDate(s)! }
    let firm = Subject(id: 7, kind: .enterprise, code: "91350200776049653A", name: "厦门示例科技有限公司", formerNames: [], legalRepresentative: "王伟",
                       registeredCapitalYuan: nil, establishedOn: nil, industry: nil, regionCode: nil, address: nil, status: .active,
                       codeCheckFailed: false, synthetic: true, version: 1, createdAt: Date(), updatedAt: Date())
    let decision = "一、认定理由……二、认定依据：《市场监督管理严重违法失信名单管理办法》第二条。三、惩戒措施提示……四、移出条件和程序：期满自动移出，满一年可申请信用修复。五、不服本决定的，可依法申请行政复议或者提起行政诉讼。"

    func opened() throws -> ListCase {
        try ListProcedure.open(subject: firm, department: "SCJGJ", authority: "厦门市市场监督管理局", authorityCode: "9135021359498494XQ",
                               reasons: "生产销售不合格产品，受到较重行政处罚且拒不履行", basis: "《市场监督管理严重违法失信名单管理办法》第二条",
                               actor: "李文", today: d("2026-09-28"))
    }

    @Test func theStepsGoInOrderWithTheStatementPeriodInWorkingDays() throws {
        var c = try opened()
        #expect(c.status == .opened && c.steps.count == 1)
        // Nothing can be decided or published before the notice.
        #expect(throws: DomainError.self) { try ListProcedure.apply(.decide(number: "厦严失认〔2026〕1号", text: decision, validUntil: d("2027-10-09")), to: c, actor: "x", today: d("2026-09-28"), calendar: calendar) }
        #expect(throws: DomainError.self) { try ListProcedure.apply(.publish, to: c, actor: "x", today: d("2026-09-28"), calendar: calendar) }
        // Notice on 2026-09-28: five working days across the National Day holiday end on 2026-10-13 [shipped calendar].
        c = try ListProcedure.apply(.notify(notice: "拟将你单位列入严重失信主体名单……你单位有权在 5 个工作日内陈述申辩。"), to: c, actor: "李文", today: d("2026-09-28"), calendar: calendar)
        let deadline = try calendar.addingWorkdays(5, to: d("2026-09-28"))
        #expect(c.statementDeadline == deadline.description && deadline > d("2026-10-08"))
        // Within the period, no decision unless the statement was recorded.
        #expect(throws: DomainError.self) { try ListProcedure.apply(.decide(number: "N1", text: decision, validUntil: d("2027-10-09")), to: c, actor: "x", today: deadline, calendar: calendar) }
        let heard = try ListProcedure.apply(.hear(statement: "企业称已整改；经核查，拒不履行的事实成立"), to: c, actor: "李文", today: d("2026-10-09"), calendar: calendar)
        #expect(heard.status == .heard)
        // After the period without a statement, the decision may be made; it must state basis, removal and remedies.
        let after = deadline.adding(days: 1)
        #expect(throws: DomainError.self) { try ListProcedure.apply(.decide(number: "N1", text: "列入名单。", validUntil: d("2027-10-09")), to: c, actor: "x", today: after, calendar: calendar) }
        #expect(throws: DomainError.self) { try ListProcedure.apply(.decide(number: "N1", text: decision, validUntil: after.adding(months: 37)), to: c, actor: "x", today: after, calendar: calendar) }
        c = try ListProcedure.apply(.decide(number: "厦严失认〔2026〕1号", text: decision, validUntil: after.adding(months: 12)), to: c, actor: "张敏", today: after, calendar: calendar)
        #expect(c.status == .decided && c.decidedOn == after.description)
        c = try ListProcedure.apply(.publish, to: c, actor: "张敏", today: after, calendar: calendar)
        #expect(c.status == .published)
        #expect(throws: DomainError.self) { try ListProcedure.apply(.close(reason: "x"), to: c, actor: "x", today: after, calendar: calendar) }
        c = try ListProcedure.apply(.remove(reason: "经信用修复提前移出"), to: c, actor: "张敏", today: after.adding(months: 12), calendar: calendar)
        #expect(c.status == .removed && ListCaseAction.Step.allCases.allSatisfy { !c.allows($0) })
        #expect(c.steps.map(\.status) == [.opened, .notified, .decided, .published, .removed])
        #expect(c.steps.allSatisfy { !$0.actor.isEmpty && CivilDate($0.on) != nil })
    }

    @Test func thePublishedEntryIsAValidListRecord() throws {
        var c = try opened()
        c = try ListProcedure.apply(.notify(notice: "告知"), to: c, actor: "x", today: d("2026-09-28"), calendar: calendar)
        c = try ListProcedure.apply(.hear(statement: "无异议"), to: c, actor: "x", today: d("2026-09-29"), calendar: calendar)
        c = try ListProcedure.apply(.decide(number: "厦严失认〔2026〕9号", text: decision, validUntil: d("2027-09-29")), to: c, actor: "x", today: d("2026-09-29"), calendar: calendar)
        let item = Catalog.shipped.item("yzsx")!
        let row = CatalogValidator(catalog: .shipped).validate(ListProcedure.record(c), item: item, today: d("2026-09-29"))
        #expect(row.isAccepted, "\(row.errors)")
        #expect(row.values["YZ_YXQZ"] == "2027-09-29" && row.values["YZ_RDWH"] == "厦严失认〔2026〕9号")
    }

    @Test func openingNeedsReasonsBasisAndAValidAuthorityAndNeverAPerson() throws {
        func reason(reasons: String = "r", basis: String = "b", code: String = "9135021359498494XQ", kind: SubjectKind = .enterprise) -> String? {
            var subject = firm
            subject.kind = kind
            do {
                _ = try ListProcedure.open(subject: subject, department: "S", authority: "局", authorityCode: code, reasons: reasons, basis: basis,
                                           actor: "a", today: d("2026-09-28"))
                return nil
            } catch { return error.message }
        }
        #expect(reason() == nil)
        #expect(reason(reasons: " ")?.contains("事实和理由") == true)
        #expect(reason(basis: "")?.contains("认定依据") == true)
        #expect(reason(code: "9135021359498494XA")?.contains("统一社会信用代码有误") == true)
        #expect(reason(kind: .naturalPerson)?.contains("自然人") == true)
    }
}
