import Testing
@testable import XinyongCore

@Suite("Catalog and row validation")
struct CatalogTests {
    let catalog = Catalog.shipped
    let validator = CatalogValidator()
    let today = CivilDate(year: 2026, month: 11, day: 22)!
    var penalty: CatalogItem { catalog.item("xzcf")! }
    var licence: CatalogItem { catalog.item("xzxk")! }

    /// A complete, valid 行政处罚 row for an enterprise.
    var penaltyRow: [String: String] {
        ["CF_XDR_MC": "厦门示例科技有限公司", "CF_XDR_LB": "法人及非法人组织", "CF_XDR_SHXYM": "91350200776049653a",
         "CF_FRDB": "王伟", "CF_WSH": "厦市监处罚〔2026〕18号", "CF_WFXW": "虚假宣传",
         "CF_SY": "当事人在网店宣传中使用“国家级”用语。", "CF_YJ": "《中华人民共和国广告法》第五十七条",
         "CF_CFLB": "警告、罚款", "CF_NR": "警告，并处罚款人民币贰万元。", "CF_NR_FK": "2.0",
         "CF_JDRQ": "2026/3/5", "CF_YXQ": "2027年3月5日", "CF_CFJG": "厦门市市场监督管理局",
         "CF_CFJGDM": "9135021359498494XQ", "CF_SJLY": "厦门市市场监督管理局", "CF_SJLYDM": "9135021359498494XQ"]
    }

    @Test func shippedItemsFollowTheNationalFieldLists() {
        #expect(licence.fields.count == 28 && penalty.fields.count == 30)
        #expect(penalty.naturalKey == ["CF_WSH", "CF_CFJGDM"])
        #expect(licence.naturalKey == ["XK_WSH", "XK_XKJGDM"])
        #expect(penalty.field("CF_NR_FK")?.label == "罚款金额（万元）")
        for item in catalog.items {
            for rule in item.rules {
                for f in (rule.fields ?? []) + [rule.field].compactMap({ $0 }) { #expect(item.field(f) != nil, "\(item.code): \(f)") }
            }
            for field in item.fields where field.kind == .code { #expect(catalog.codeLists[field.codeList ?? ""] != nil) }
        }
    }

    @Test func headersMatchByNameOrChineseLabel() {
        #expect(penalty.field(forHeader: "cf_wsh")?.name == "CF_WSH")
        #expect(penalty.field(forHeader: " 行政处罚决定书文号*")?.name == "CF_WSH")
        #expect(penalty.field(forHeader: "罚款金额(万元)")?.name == "CF_NR_FK")   // half-width brackets
        #expect(penalty.field(forHeader: "不存在的列") == nil)
    }

    @Test func aCompleteRowIsAcceptedInCanonicalForm() {
        let r = validator.validate(penaltyRow, item: penalty, today: today)
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.isAccepted)
        #expect(r.values["CF_XDR_SHXYM"] == "91350200776049653A")
        #expect(r.values["CF_JDRQ"] == "2026-03-05" && r.values["CF_YXQ"] == "2027-03-05")
        #expect(r.values["CF_CFLB"] == "警告；罚款")
        #expect(r.values["CF_NR_FK"] == "2")
    }

    /// 处罚类别 takes several values, separated by 、 among others, and one listed value contains 、.
    @Test func aListedValueContainingASeparatorStaysWhole() {
        for (written, stored) in [("法律、行政法规规定的其他行政处罚", "法律、行政法规规定的其他行政处罚"),
                                  ("罚款；法律、行政法规规定的其他行政处罚", "罚款；法律、行政法规规定的其他行政处罚"),
                                  ("法律、行政法规规定的其他行政处罚、警告", "法律、行政法规规定的其他行政处罚；警告"),
                                  ("警告 ， 罚款;", "警告；罚款")] {
            var row = penaltyRow
            row["CF_CFLB"] = written
            let r = validator.validate(row, item: penalty, today: today)
            #expect(r.errors.isEmpty, "\(written): \(r.errors)")
            #expect(r.values["CF_CFLB"] == stored)
        }
        var row = penaltyRow
        row["CF_CFLB"] = "法律、罚款"
        #expect(validator.validate(row, item: penalty, today: today).errors.contains { $0.reason.contains("“法律”不在代码表中") })
    }

    @Test func eachFieldErrorNamesTheFieldAndWhy() {
        var row = penaltyRow
        row["CF_WSH"] = nil
        row["CF_JDRQ"] = "2026-02-30"
        row["CF_CFLB"] = "罚金"
        row["CF_NR_FK"] = "2万元"
        let r = validator.validate(row, item: penalty, today: today)
        #expect(r.errors.contains(RowIssue(field: "CF_WSH", label: "行政处罚决定书文号", reason: "行政处罚决定书文号为必填项", kind: .required)))
        #expect(r.errors.contains { $0.field == "CF_JDRQ" && $0.reason.contains("不是存在的日期") && $0.kind == .format })
        #expect(r.errors.contains { $0.field == "CF_CFLB" && $0.reason.contains("“罚金”不在代码表中") && $0.kind == .codeList })
        #expect(r.errors.contains { $0.field == "CF_NR_FK" && $0.reason.contains("请只填数字") && $0.kind == .format })
    }

    @Test func crossFieldRules() {
        var future = penaltyRow; future["CF_JDRQ"] = "2026-12-01"; future["CF_YXQ"] = "2027-12-01"
        #expect(validator.validate(future, item: penalty, today: today).errors.map(\.reason) == ["处罚决定日期不能晚于今天"])
        var order = penaltyRow; order["CF_GSJZQ"] = "2026-03-05"
        #expect(validator.validate(order, item: penalty, today: today).errors.map(\.reason) == ["公示截止期应晚于处罚决定日期"])
        var noFine = penaltyRow; noFine["CF_NR_FK"] = nil
        #expect(validator.validate(noFine, item: penalty, today: today).errors.map(\.field) == ["CF_NR_FK"])
        var shop = penaltyRow; shop["CF_XDR_LB"] = "个体工商户"
        #expect(validator.validate(shop, item: penalty, today: today).errors.first?.reason.contains("应以 92 开头") == true)
        var wrongKind = penaltyRow; wrongKind["CF_XDR_SHXYM"] = "92350203MA2XXXXX0X"
        #expect(!validator.validate(wrongKind, item: penalty, today: today).isAccepted)
    }

    @Test func naturalPersons() {
        var person = penaltyRow
        person["CF_XDR_LB"] = "自然人"
        person["CF_XDR_MC"] = "张三"
        person["CF_FRDB"] = nil
        let missing = validator.validate(person, item: penalty, today: today)
        #expect(Set(missing.errors.map(\.field)) == ["CF_XDR_SHXYM", "CF_XDR_ZJLX", "CF_XDR_ZJHM"])   // USCC must go, ID must come
        person["CF_XDR_SHXYM"] = nil
        person["CF_XDR_ZJLX"] = "身份证"
        person["CF_XDR_ZJHM"] = "110105194912310021"
        #expect(validator.validate(person, item: penalty, today: today).errors.first?.reason.contains("应为 X，实际为 1") == true)
        person["CF_XDR_ZJHM"] = "11010519491231002x"
        let ok = validator.validate(person, item: penalty, today: today)
        #expect(ok.isAccepted && ok.values["CF_XDR_ZJHM"] == "11010519491231002X")
        person["CF_XDR_ZJLX"] = "其他-军官证"
        person["CF_XDR_ZJHM"] = "军字第123号"
        #expect(validator.validate(person, item: penalty, today: today).isAccepted)
    }

    @Test func pilotCodesAreHeldNotLostOrAccepted() {
        var row = penaltyRow
        row["CF_XDR_SHXYM"] = "91350203M0001QAY9B"
        let r = validator.validate(row, item: penalty, today: today)
        #expect(r.errors.isEmpty && !r.isAccepted)
        #expect(r.held.first?.reason.contains("待信用办确认") == true)
        #expect(r.values["CF_XDR_SHXYM"] == "91350203M0001QAY9B")
    }

    @Test func hostileTextIsRefused() {
        var row = penaltyRow
        row["CF_SY"] = "事实\u{0}"
        row["CF_WFXW"] = String(repeating: "长", count: 501)
        row["未知列"] = "x"
        let r = validator.validate(row, item: penalty, today: today)
        #expect(r.errors.contains { $0.field == "CF_SY" && $0.reason.contains("控制字符") })
        #expect(r.errors.contains { $0.field == "CF_WFXW" && $0.reason.contains("不能超过 500 个字") })
        #expect(r.errors.contains { $0.field == "未知列" })
    }

    @Test func licenceValidity() {
        let row = ["XK_XDR_MC": "厦门示例科技有限公司", "XK_XDR_LB": "法人及非法人组织", "XK_XDR_SHXYM": "91350200776049653A",
                   "XK_FRDB": "王伟", "XK_XKWS": "食品经营许可决定书", "XK_WSH": "JY13502030001", "XK_XKLB": "普通",
                   "XK_NR": "食品销售经营者", "XK_JDRQ": "2026-01-05", "XK_YXQZ": "2026-01-05", "XK_YXQZI": "2025/12/31",
                   "XK_XKJG": "厦门市市场监督管理局", "XK_XKJGDM": "9135021359498494XQ", "XK_ZT": "有效",
                   "XK_LYDW": "厦门市市场监督管理局", "XK_LYDWDM": "9135021359498494XQ"]
        #expect(validator.validate(row, item: licence, today: today).errors.map(\.reason) == ["有效期自不能晚于有效期至"])
        var longTerm = row; longTerm["XK_YXQZI"] = "2099/12/31"
        #expect(validator.validate(longTerm, item: licence, today: today).isAccepted)
    }
}

@Suite("Catalog supplement rules")
struct CatalogSupplementTests {
    let catalog = Catalog.shipped

    static func localItem(code: String = "local_honours", codeList: String = "honour_level") -> CatalogItem {
        CatalogItem(code: code, name: "市级表彰荣誉", category: "荣誉信息", openness: .public, publicity: "validity",
                    fields: [
                        .init(name: "RY_MC", label: "荣誉名称", kind: .text, required: true, maxLength: 200),
                        .init(name: "RY_SHXYM", label: "统一社会信用代码", kind: .uscc, required: true),
                        .init(name: "RY_JB", label: "荣誉级别", kind: .code, required: true, codeList: codeList),
                        .init(name: "RY_RQ", label: "授予日期", kind: .date, required: true),
                    ],
                    naturalKey: ["RY_MC", "RY_SHXYM"],
                    rules: [.init(kind: .notFuture, field: "RY_RQ", message: "授予日期不能晚于今天")])
    }

    @Test func aConsistentLocalItemHasNoProblems() {
        #expect(CatalogRules.problems(Self.localItem(), codeLists: ["honour_level": ["市级", "区级"]]).isEmpty)
        for item in catalog.items { #expect(CatalogRules.problems(item, codeLists: catalog.codeLists).isEmpty, "\(item.code)") }
    }

    @Test func inconsistentDefinitionsAreExplained() {
        var bad = Self.localItem(code: "Bad-Code", codeList: "missing")
        bad.naturalKey = ["RY_MC", "NOPE"]
        bad.fields.append(bad.fields[0])
        bad.rules.append(.init(kind: .dateOrder, fields: ["RY_RQ", "GHOST"], message: "x"))
        let p = CatalogRules.problems(bad, codeLists: [:])
        #expect(p.contains("目录项代码应为 2–32 位小写字母、数字或下划线"))
        #expect(p.contains("字段 RY_MC 重复"))
        #expect(p.contains("字段 RY_JB 引用的代码表 missing 不存在"))
        #expect(p.contains("唯一标识字段 NOPE 必须是本目录项的必填字段"))
        #expect(p.contains("规则引用了不存在的字段 GHOST"))
    }

    @Test func localFieldsAreOptionalAndNew() {
        let penalty = catalog.item("xzcf")!
        let ok = CatalogField(name: "CF_LOCAL_AJBH", label: "案件编号", kind: .text, required: false, maxLength: 64)
        #expect(CatalogRules.problems(adding: [ok], to: penalty, codeLists: catalog.codeLists).isEmpty)
        var required = ok; required.required = true
        #expect(CatalogRules.problems(adding: [required], to: penalty, codeLists: catalog.codeLists).first?.contains("只能是选填项") == true)
        let clash = CatalogField(name: "CF_WSH", label: "文号", kind: .text, required: false)
        #expect(CatalogRules.problems(adding: [clash], to: penalty, codeLists: catalog.codeLists).first?.contains("已存在") == true)
    }

    @Test func theSupplementExtendsTheCatalogAndTheValidatorUsesIt() {
        let local = CatalogField(name: "CF_LOCAL_AJBH", label: "案件编号", kind: .text, required: false, maxLength: 5)
        let merged = catalog.applying(CatalogSupplement(items: [Self.localItem()], fields: ["xzcf": [local]],
                                                        codeLists: ["honour_level": ["市级", "区级"]]))
        #expect(merged.version == catalog.version + "+local")
        #expect(merged.item("local_honours") != nil)
        #expect(merged.item("xzcf")?.field(forHeader: "案件编号")?.name == "CF_LOCAL_AJBH")
        let v = CatalogValidator(catalog: merged)
        let r = v.validate(["RY_MC": "厦门市守合同重信用企业", "RY_SHXYM": "91350200776049653A", "RY_JB": "省级", "RY_RQ": "2026-05-01"],
                           item: merged.item("local_honours")!, today: CivilDate(year: 2026, month: 11, day: 22)!)
        #expect(r.errors.map(\.field) == ["RY_JB"])
    }
}
