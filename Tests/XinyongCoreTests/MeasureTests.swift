import Foundation
import Testing
@testable import XinyongCore

@Suite struct MeasureTests {
    let measures = MeasureCatalog.shipped
    let catalog = Catalog.shipped
    let today = CivilDate("2026-11-20")!
    func d(_ s: String) -> CivilDate { CivilDate(s)! }

    func record(_ id: Int64, _ item: String, decided: String = "2026-01-10", until: String? = nil, severity: PublicityRules.Severity? = nil,
                fields: [String: String] = [:]) -> TriggerRecord {
        TriggerRecord(recordID: id, itemCode: item, fields: fields, departmentCode: "SCJGJ", decisionDate: d(decided),
                      until: until.map(d), severity: severity)
    }

    func applied(_ records: [TriggerRecord], _ matter: String, on day: CivilDate? = nil, catalog: MeasureCatalog? = nil) -> [String] {
        CheckEngine.findings(records: records, matter: matter, on: day ?? today, catalog: catalog ?? measures).measures.map(\.measure).sorted()
    }

    @Test func everyShippedMeasureHasABasisAndNamesOnlyWhatExists() throws {
        #expect(measures.version != "missing")
        #expect(measures.measures.count >= 14)
        #expect(Set(measures.measures.map(\.code)).count == measures.measures.count)
        for m in measures.measures {
            let valid = try m.validated(against: measures, items: catalog)
            #expect(!valid.basis.isEmpty && !valid.action.isEmpty, "\(m.code)")
        }
        for s in measures.scopes {
            #expect(!s.basis.isEmpty && !s.removal.isEmpty, "\(s.code)")
            for c in s.conditions { #expect(catalog.item(c.item) != nil, "\(s.code)") }
        }
        // Both directions and the three national kinds are represented.
        #expect(Set(measures.measures.map(\.direction)) == Set(Measure.Direction.allCases))
        #expect(Set(measures.measures.map(\.kind)) == Set(Measure.Kind.allCases))
        for code in ["xzxk", "zfcg", "zbtb", "czzj", "pypx", "gzly", "scza", "ggzy"] { #expect(measures.matter(code) != nil, "\(code)") }
    }

    @Test func aMeasureWithoutBasisTriggerOrMatterCannotBeSaved() throws {
        let good = Measure(code: "L01", name: "限制申请本市人才补贴", direction: .punishment, kind: .management,
                           basis: [LegalBasis(document: "《某市人才补贴办法》", article: "第十二条")], departments: ["人社局"], matters: ["czzj"],
                           lists: ["yzsx"], records: [], action: "不予受理补贴申请", validFrom: "2026-01-01")
        #expect(try good.validated(against: measures, items: catalog).code == "L01")
        var noBasis = good; noBasis.basis = [LegalBasis(document: "  ")]
        #expect(throws: DomainError.self) { try noBasis.validated(against: measures, items: catalog) }
        do { _ = try noBasis.validated(against: measures, items: catalog) } catch {
            #expect(error.message.contains("没有依据的措施不能保存"))
        }
        var noTrigger = good; noTrigger.lists = []
        #expect(throws: DomainError.self) { try noTrigger.validated(against: measures, items: catalog) }
        var badMatter = good; badMatter.matters = ["nope"]
        #expect(throws: DomainError.self) { try badMatter.validated(against: measures, items: catalog) }
        var badList = good; badList.lists = ["nope"]
        #expect(throws: DomainError.self) { try badList.validated(against: measures, items: catalog) }
        var badSeverity = good; badSeverity.records = [RecordCondition(item: "xzcf", severities: ["较重"])]
        #expect(throws: DomainError.self) { try badSeverity.validated(against: measures, items: catalog) }
        var severityOnList = good; severityOnList.records = [RecordCondition(item: "jyyc", severities: ["serious"])]
        #expect(throws: DomainError.self) { try severityOnList.validated(against: measures, items: catalog) }
        var backwards = good; backwards.validUntil = "2025-12-31"
        #expect(throws: DomainError.self) { try backwards.validated(against: measures, items: catalog) }
    }

    @Test func measuresApplyOnlyOnMatchingTriggerAndMatter() {
        let black = [record(1, "yzsx", until: "2029-01-10")]
        // Procurement: the black-list subject is barred, with the law as basis.
        #expect(applied(black, "zfcg") == ["CJ01"])
        let f = CheckEngine.findings(records: black, matter: "zfcg", on: today, catalog: measures)
        #expect(f.memberships.map(\.scope) == ["yzsx"])
        #expect(measures.measure("CJ01")!.basisText.contains("政府采购法"))
        // The business-anomaly list does not bar from procurement, but it does raise supervision.
        let anomaly = [record(2, "jyyc")]
        #expect(applied(anomaly, "zfcg").isEmpty)
        #expect(applied(anomaly, "jdjc") == ["CJ13"])
        #expect(applied(anomaly, "xzxk") == ["CJ12"])
        // Severity is respected: a general penalty makes a subject a key review object but does not
        // exclude 告知承诺 (serious only); a minor one triggers nothing.
        #expect(applied([record(3, "xzcf", until: "2027-01-10", severity: .general)], "xzxk") == ["CJ12"])
        #expect(applied([record(3, "xzcf", until: "2029-01-10", severity: .serious)], "xzxk") == ["CJ11", "CJ12"])
        #expect(applied([record(3, "xzcf", until: "2026-12-10", severity: .minor)], "xzxk").isEmpty)
        // A matter no measure names gets nothing.
        #expect(applied(black, "nope").isEmpty)
    }

    @Test func incentivesNeverReachABlackListedSubject() {
        let taxA = record(5, "xypj", until: "2027-04-01", fields: ["PJ_PJLB": "纳税信用等级", "PJ_PJJG": "A"])
        #expect(applied([taxA], "xzxk") == ["JL01"])
        let f = CheckEngine.findings(records: [taxA], matter: "xzxk", on: today, catalog: measures)
        #expect(f.memberships.map(\.scope) == ["nsxy_a"])
        // A B-level taxpayer is on no red list.
        let taxB = record(6, "xypj", until: "2027-04-01", fields: ["PJ_PJLB": "纳税信用等级", "PJ_PJJG": "B"])
        #expect(applied([taxB], "xzxk").isEmpty)
        // Red and black at once: the punishment applies, the incentive does not.
        #expect(applied([taxA, record(7, "sxbzxr")], "xzxk") == ["CJ11"])
    }

    @Test func removalAndExpiryEndTheMeasuresAtOnce() {
        let entry = record(1, "yzsx", decided: "2023-11-20", until: "2026-11-20")
        #expect(applied([entry], "zfcg", on: d("2026-11-19")) == ["CJ01"])
        #expect(applied([entry], "zfcg", on: d("2026-11-20")).isEmpty)
        // Not yet decided on the day asked: not in force.
        #expect(applied([record(1, "yzsx", decided: "2026-12-01")], "zfcg").isEmpty)
        // A measure past its validity stops applying.
        var ended = measures
        let i = ended.measures.firstIndex { $0.code == "CJ01" }!
        ended.measures[i].validUntil = "2026-06-30"
        #expect(applied([record(1, "yzsx")], "zfcg", catalog: ended).isEmpty)
        // A local version of a shipped measure replaces it; a local measure is added.
        let local = Measure(code: "L01", name: "限制申请本市人才补贴", direction: .punishment, kind: .management,
                            basis: [LegalBasis(document: "《某市人才补贴办法》")], departments: [], matters: ["czzj"], lists: ["sxbzxr"],
                            records: [], action: "不予受理", validFrom: "2026-01-01", local: true)
        let merged = measures.applying(local: [ended.measures[i], local])
        #expect(merged.measure("CJ01")?.validUntil == "2026-06-30")
        #expect(merged.measures.count == measures.measures.count + 1)
        #expect(applied([record(9, "sxbzxr")], "czzj", catalog: merged) == ["CJ05", "L01"])
    }

    @Test func checkRequestsAreCheckedWithReasonsForEveryBadEntry() throws {
        let ok = try CheckRequest(matter: "zfcg", purpose: "某项目招标资格审查", subjects: ["91350200776049653A", " 厦门示例科技有限公司 "],
                                  catalog: measures, today: today)
        #expect(ok.queries == [.code("91350200776049653A", problem: nil), .name("厦门示例科技有限公司")])
        #expect(ok.asked == ["91350200776049653A", "厦门示例科技有限公司"])
        func reason(matter: String = "zfcg", purpose: String = "招标", _ subjects: [String]) -> String? {
            do { _ = try CheckRequest(matter: matter, purpose: purpose, subjects: subjects, catalog: measures, today: today); return nil }
            catch { return error.message }
        }
        #expect(reason(matter: "nope", ["91350200776049653A"])?.contains("办理事项“nope”不存在") == true)
        #expect(reason(purpose: " ", ["91350200776049653A"])?.contains("核查用途") == true)
        #expect(reason([])?.contains("至少") == true)
        #expect(reason(Array(repeating: "x", count: 1001))?.contains("最多核查 1000 个") == true)
        // The same code written twice (spaces, lower case) is a duplicate, named by position.
        #expect(reason(["91350200776049653A", "9135 0200 7760 4965 3a"])?.contains("第 2 项与第 1 项重复") == true)
        #expect(reason(["91350200776049653A", "张"])?.contains("第 2 项“张”不是有效的代码或名称") == true)
        // A code failing its check is kept with its problem: the service refuses it unless it is registered.
        let bad = try CheckRequest(matter: "zfcg", purpose: "招标", subjects: ["91350200776049653B"], catalog: measures, today: today)
        if case .code(_, let problem) = bad.queries[0] { #expect(problem != nil) } else { Issue.record("not a code") }
        // Identity numbers are masked in what the answer repeats.
        let person = try CheckRequest(matter: "gzly", purpose: "录用", subjects: ["11010519491231002X"], catalog: measures, today: today)
        #expect(person.asked == ["110105********002X"])
    }

    @Test func feedbackIsOnlyForMeasuresTheCheckReturned() throws {
        let answer = CheckAnswer(position: 1, query: "x", found: true, subjectId: 1, subject: nil, lists: [], records: [],
                                 measures: [.init(code: "CJ01", name: "n", direction: "punishment", kind: "statutory", action: "a", basis: "b",
                                                  triggeredBy: [], recordIds: [1])], conclusion: "")
        let ok = try CheckFeedback.validated([CheckFeedback(position: 1, measure: "CJ01", applied: true, note: " 资格审查不予通过 ")], against: [answer])
        #expect(ok.first?.note == "资格审查不予通过")
        #expect(throws: DomainError.self) { try CheckFeedback.validated([CheckFeedback(position: 1, measure: "CJ02", applied: true, note: "x")], against: [answer]) }
        #expect(throws: DomainError.self) { try CheckFeedback.validated([CheckFeedback(position: 2, measure: "CJ01", applied: true, note: "x")], against: [answer]) }
        #expect(throws: DomainError.self) { try CheckFeedback.validated([CheckFeedback(position: 1, measure: "CJ01", applied: false, note: "")], against: [answer]) }
        #expect(throws: DomainError.self) {
            try CheckFeedback.validated([CheckFeedback(position: 1, measure: "CJ01", applied: true, note: "x"),
                                         CheckFeedback(position: 1, measure: "CJ01", applied: false, note: "y")], against: [answer])
        }
    }

    @Test func stampsAreBeijingTime() {
        #expect(CreditChecker.stamp(Date(timeIntervalSince1970: 1_763_800_000)) == "2025-11-22 16:26:40（北京时间）")
        #expect(CreditChecker.stamp(Date(timeIntervalSince1970: 1_763_741_109)) == "2025-11-22 00:05:09（北京时间）")   // padded, past midnight in Beijing
    }
}

@Suite struct FlatObjectTests {
    @Test func readsWhatTheEncoderWritesAndRefusesTheRest() throws {
        let samples: [[String: String]] = [[:], ["a": "b"], ["CF_WSH": "厦市监罚〔2026〕1号", "q": "say \"hi\"\\n", "ctl": "\u{1}\t\r\n\u{8}\u{C}", "emoji": "😀/x"]]
        for map in samples {
            let text = String(decoding: try JSONEncoder().encode(map), as: UTF8.self)
            #expect(JSONText.flatObject(text) == map, "\(text)")
            #expect(JSONText.flatObject(JSONText.sortedObject(map)) == map)
        }
        #expect(JSONText.flatObject(#" { "a" : "\u00e9\ud83d\ude00" } "#) == ["a": "é😀"])
        for bad in ["", "[]", #"{"a":1}"#, #"{"a":"b""#, #"{"a":"b",}"#, #"{"a":"b"} x"#, #"{"a":"\x"}"#, #"{"a":"\ud83d"}"#, "{\"a\":\"\u{1}\"}"] {
            #expect(JSONText.flatObject(bad) == nil, "\(bad)")
        }
    }

    @Test func aCheckReadsRecordsOnlyOfTheSubjectsItIdentified() {
        func subject(_ id: Int64) -> Subject {
            Subject(id: id, kind: .enterprise, code: "S\(id)", name: "公司\(id)", status: .active,
                    createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))
        }
        // By code: each found subject; by name: only a name that is one subject's (a shared name identifies nobody).
        let facts = CheckFacts(byCode: ["A": subject(3), "B": subject(1), "C": subject(3)],
                               byName: ["独有": [subject(7)], "同名": [subject(8), subject(9)]])
        #expect(facts.identified == [1, 3, 7])
        #expect(CheckFacts().identified.isEmpty)
    }
}
