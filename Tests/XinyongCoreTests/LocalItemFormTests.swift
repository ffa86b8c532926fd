import Testing
import XinyongCore

@Suite("Local catalog items typed in the console")
struct LocalItemFormTests {
    static let good = LocalItemForm(
        code: "hbxy", name: "环保信用评价", category: "信用评价结果信息", openness: "public", publicity: "validity",
        fields: """
            HB_MC，主体名称，文本，必填，200
            HB_DM, 统一社会信用代码, 统一社会信用代码, 必填
            HB_DJ，评价等级，代码，必填，hb_dj
            HB_RQ，评价日期，日期，必填
            HB_YXQ，有效期至，日期，选填
            """,
        naturalKey: "HB_DM + HB_RQ", subjectName: "hb_mc", subjectCode: "HB_DM", decisionDate: "HB_RQ", validUntil: "HB_YXQ")

    @Test func aWellTypedItemBecomesACatalogItem() throws {
        let item = try Self.good.item()
        #expect(item.code == "hbxy" && item.openness == .public && item.publicity == "validity")
        #expect(item.fields.map(\.name) == ["HB_MC", "HB_DM", "HB_DJ", "HB_RQ", "HB_YXQ"])
        #expect(item.fields[0].maxLength == 200 && item.fields[1].kind == .uscc && item.fields[2].codeList == "hb_dj")
        #expect(item.fields[4].required == false && item.naturalKey == ["HB_DM", "HB_RQ"])
        #expect(item.subject?.name == "HB_MC" && item.subject?.code == "HB_DM")
        #expect(item.publicityFields?.decisionDate == "HB_RQ" && item.publicityFields?.validUntil == "HB_YXQ")
        // The consistency rules see one problem: the code list does not exist yet.
        #expect(CatalogRules.problems(item, codeLists: [:]) == ["字段 HB_DJ 引用的代码表 hb_dj 不存在"])
        #expect(CatalogRules.problems(item, codeLists: ["hb_dj": ["A", "B"]]).isEmpty)
    }

    @Test func eachMistakeIsNamed() {
        func reason(_ change: (inout LocalItemForm) -> Void) -> String? {
            var f = Self.good
            change(&f)
            do { _ = try f.item(); return nil } catch { return error.message }
        }
        #expect(reason { $0.code = "环保" } == "目录项代码应为 2–32 位小写字母、数字或下划线")
        #expect(reason { $0.fields += "\nHB_X，备注" }?.contains("字段第 6 行") == true)
        #expect(reason { $0.fields += "\nHB_X，备注，图片，选填" }?.contains("类型应为") == true)
        #expect(reason { $0.fields += "\nHB_X，备注，代码，选填" }?.contains("要写明代码表") == true)
        #expect(reason { $0.fields += "\nHB_X，备注，文本，可选" }?.contains("必填") == true)
        #expect(reason { $0.naturalKey = "HB_ZZ" } == "唯一标识字段“HB_ZZ”不在字段中")
        #expect(reason { $0.decisionDate = "" } == "公开并公示的目录项须指明决定日期字段，公示期从该日起算")
        #expect(reason { $0.openness = "open" } == "请选择公开属性")
    }
}
