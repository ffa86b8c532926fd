import Foundation
import Testing
@testable import XinyongCore

@Suite("Subject rules")
struct SubjectRulesTests {
    let validator = IdentifierValidator()
    let today = CivilDate(year: 2026, month: 11, day: 22)!

    @Test func organisationKindIsImpliedByTheCode() throws {
        let v = try SubjectRules.validate(SubjectDraft(code: "91350200776049653a", name: " 厦门某某科技有限公司 "), validator: validator, today: today)
        #expect(v.kind == .enterprise)
        #expect(v.code == "91350200776049653A")
        #expect(v.orgCode == "776049653")
        #expect(v.name == "厦门某某科技有限公司")
        #expect(v.regionCode == "350200")
    }

    @Test func personNeedsAResidentID() throws {
        #expect(throws: DomainError.invalid(field: "code", reason: "自然人的代码应为公民身份号码")) {
            try SubjectRules.validate(SubjectDraft(kind: .naturalPerson, code: "91350200776049653A", name: "张三"),
                                      validator: validator, today: today)
        }
        let v = try SubjectRules.validate(SubjectDraft(code: "11010519491231002X", name: "张三"), validator: validator, today: today)
        #expect(v.kind == .naturalPerson)
    }

    @Test func pilotCodeNeedsExplicitConfirmation() throws {
        #expect(throws: DomainError.self) {
            try SubjectRules.validate(SubjectDraft(code: "91350203M0001QAY9B", name: "厦门试点公司"), validator: validator, today: today)
        }
        let v = try SubjectRules.validate(SubjectDraft(code: "91350203M0001QAY9B", name: "厦门试点公司", confirmCodeCheckFailure: true),
                                          validator: validator, today: today)
        #expect(v.codeCheckFailed)
    }

    @Test func confirmationDoesNotCoverOtherFaults() {
        #expect(throws: DomainError.self) {
            try SubjectRules.validate(SubjectDraft(code: "9135020077604965", name: "短代码公司", confirmCodeCheckFailure: true),
                                      validator: validator, today: today)
        }
    }

    @Test func fieldRules() {
        #expect(throws: DomainError.invalid(field: "name", reason: "名称至少 2 个字")) {
            try SubjectRules.validate(SubjectDraft(code: "91350200776049653A", name: "厦"), validator: validator, today: today)
        }
        #expect(throws: DomainError.invalid(field: "established_on", reason: "成立日期 2027-01-01 晚于今天")) {
            try SubjectRules.validate(SubjectDraft(code: "91350200776049653A", name: "厦门公司", establishedOn: CivilDate("2027-01-01")),
                                      validator: validator, today: today)
        }
    }

    @Test func searchTextNormalisesBracketsAndWidth() {
        #expect(SearchText.normalize("厦门（集美）科技 有限公司") == "厦门(集美)科技有限公司")
        #expect(SearchText.normalize("ａｂｃ公司") == "ABC公司")
        #expect(SearchText.bigrams("科技科技") == ["科技", "技科"])
        #expect(SearchText.bigrams("科").isEmpty)
    }

    @Test func queryClampsPaging() {
        let q = SubjectQuery(text: "科技", page: 0, perPage: 1000)
        #expect(q.page == 1 && q.perPage == 100)
        #expect(SubjectQuery(text: "科技", page: 100_000).page == SubjectQuery.maxPage)
    }
}
