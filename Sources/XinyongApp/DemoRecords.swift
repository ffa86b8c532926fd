import Foundation
import Logging
import XinyongCore

/// Synthetic 双公示 records for the demo population: penalties with plausible facts and legal
/// bases, licences with validity periods, from the demo departments. Deterministic per seed and
/// record number; decision dates spread over the last three years so that some records are
/// inside their publicity window and some are past it.
struct DemoRecords: Sendable {
    let data: DemoData
    /// The day the demo is "now" (decision dates fall before it).
    let today: CivilDate

    struct Authority { var department: String; var name: String; var code: String; var prefix: String }

    /// The deciding authorities: the demo departments under their full names, with valid credit codes.
    static let authorities: [Authority] = [
        ("SCJGJ", "厦门市市场监督管理局", "厦市监"), ("STHJJ", "厦门市生态环境局", "厦环"), ("JTYSJ", "厦门市交通运输局", "厦交执"),
        ("ZJJ", "厦门市住房和城乡建设局", "厦建"), ("SWJ", "国家税务总局厦门市税务局", "厦税"),
    ].enumerated().map { i, a in
        Authority(department: a.0, name: a.1, code: DemoData.uscc(prefix: "11", division: "350200", serial: 900_000_000 + i), prefix: a.2)
    }

    struct Case { var department: String; var act: String; var fact: String; var basis: String; var kinds: String; var content: String; var fine: ClosedRange<Int>? }

    /// Penalty cases by department: what happened, the article applied and what was imposed.
    static let cases: [Case] = [
        Case(department: "SCJGJ", act: "虚假宣传", fact: "当事人在其经营场所及网店宣传“销量第一”“全网最低价”，无法提供证明材料，构成虚假商业宣传",
             basis: "《中华人民共和国反不正当竞争法》第二十条第一款", kinds: "罚款", content: "责令停止违法行为，处罚款", fine: 2...20),
        Case(department: "SCJGJ", act: "未按规定明码标价", fact: "当事人销售的商品未按规定标明价格及计价单位",
             basis: "《价格违法行为行政处罚规定》第十三条", kinds: "警告", content: "警告", fine: nil),
        Case(department: "SCJGJ", act: "销售不合格产品", fact: "经抽样检验，当事人销售的电热水壶耐热性项目不合格，货值金额较小",
             basis: "《中华人民共和国产品质量法》第四十九条", kinds: "罚款；没收违法所得", content: "没收违法所得，并处罚款", fine: 1...8),
        Case(department: "SCJGJ", act: "食品经营许可证过期经营", fact: "当事人食品经营许可证有效期届满后未办理延续，继续从事食品经营活动",
             basis: "《中华人民共和国食品安全法》第一百二十二条第一款", kinds: "罚款；没收违法所得", content: "没收违法所得，并处罚款", fine: 5...10),
        Case(department: "STHJJ", act: "超标排放大气污染物", fact: "经监测，当事人锅炉废气颗粒物排放浓度超过国家排放标准",
             basis: "《中华人民共和国大气污染防治法》第九十九条第二项", kinds: "罚款", content: "责令改正，处罚款", fine: 10...100),
        Case(department: "STHJJ", act: "未批先建", fact: "当事人扩建项目环境影响评价文件未经批准即开工建设",
             basis: "《中华人民共和国环境影响评价法》第三十一条第一款", kinds: "罚款", content: "责令停止建设，处罚款", fine: 5...50),
        Case(department: "JTYSJ", act: "未取得道路运输经营许可从事经营", fact: "当事人未取得道路运输经营许可，擅自从事道路货物运输经营",
             basis: "《中华人民共和国道路运输条例》第六十三条", kinds: "罚款；没收违法所得", content: "责令停止经营，没收违法所得，并处罚款", fine: 1...10),
        Case(department: "ZJJ", act: "未取得施工许可证擅自施工", fact: "当事人建设项目未取得施工许可证即擅自施工",
             basis: "《建设工程质量管理条例》第五十七条", kinds: "罚款", content: "责令停止施工，限期改正，处罚款", fine: 3...30),
        Case(department: "ZJJ", act: "超越资质等级承揽工程", fact: "当事人超越本单位资质等级承揽工程，情节严重",
             basis: "《建设工程质量管理条例》第六十条第一款", kinds: "罚款；降低资质等级", content: "处罚款，降低资质等级", fine: 20...50),
        Case(department: "SWJ", act: "未按期办理纳税申报", fact: "当事人未按照规定的期限办理纳税申报和报送纳税资料",
             basis: "《中华人民共和国税收征收管理法》第六十二条", kinds: "罚款", content: "责令限期改正，处罚款", fine: 1...1),
    ]

    struct Licence { var department: String; var document: String; var kind: String; var certificate: String; var content: String; var years: Int }
    static let licences: [Licence] = [
        Licence(department: "SCJGJ", document: "食品经营许可决定书", kind: "普通", certificate: "食品经营许可证", content: "预包装食品销售（含冷藏冷冻食品）、热食类食品制售", years: 5),
        Licence(department: "STHJJ", document: "排污许可决定书", kind: "普通", certificate: "排污许可证", content: "锅炉废气、生产废水排放", years: 5),
        Licence(department: "JTYSJ", document: "道路运输经营许可决定书", kind: "普通", certificate: "道路运输经营许可证", content: "道路普通货物运输", years: 4),
        Licence(department: "ZJJ", document: "建筑业企业资质许可决定书", kind: "认可", certificate: "建筑业企业资质证书", content: "建筑工程施工总承包三级", years: 5),
    ]

    /// Subjects that can carry demo records: organisations and individual businesses (not persons).
    func subject(for n: Int, population: Int) -> SubjectDraft {
        var i = (n &* 7_919) % max(population, 1)
        var s = data.subject(i)
        while s.kind == .naturalPerson { i = (i + 1) % max(population, 1); s = data.subject(i) }
        return s
    }

    static func category(_ s: SubjectDraft) -> String { s.kind == .individualBusiness ? "个体工商户" : "法人及非法人组织" }

    /// Penalty number `n` (0-based) as a file row would carry it, by field name.
    func penalty(_ n: Int, population: Int) -> [String: String] {
        var r = SplitMix(data.seed ^ 0xCF ^ (UInt64(n) &* 0x2545_F491_4F6C_DD1D))
        let s = subject(for: n, population: population)
        let c = Self.cases[r.int(Self.cases.count)]
        let a = Self.authorities.first { $0.department == c.department }!
        let decided = today.adding(days: -(1 + r.int(3 * 365)))
        var row: [String: String] = [
            "CF_XDR_MC": s.name, "CF_XDR_LB": Self.category(s), "CF_XDR_SHXYM": s.code,
            "CF_WSH": "\(a.prefix)罚〔\(decided.year)〕\(10_000 + n)号", "CF_WFXW": c.act, "CF_SY": c.fact, "CF_YJ": c.basis,
            "CF_CFLB": c.kinds, "CF_NR": c.content, "CF_JDRQ": decided.description,
            "CF_YXQ": decided.adding(months: 12).description, "CF_CFJG": a.name, "CF_CFJGDM": a.code,
            "CF_SJLY": a.name, "CF_SJLYDM": a.code,
        ]
        if s.kind != .individualBusiness { row["CF_FRDB"] = s.legalRepresentative ?? "王伟" }
        if let fine = c.fine { row["CF_NR_FK"] = "\(fine.lowerBound + r.int(fine.count))" + (r.int(2) == 0 ? ".5" : "") }
        if c.kinds.contains("没收违法所得") { row["CF_NR_WFFF"] = "0.\(1 + r.int(9))" }
        if c.kinds.contains("降低资质等级") { row["CF_NR_ZKDX"] = "建筑业企业资质证书 D3502\(100_000 + n)" }
        return row
    }

    /// Licence number `n` (0-based).
    func licence(_ n: Int, population: Int) -> [String: String] {
        var r = SplitMix(data.seed ^ 0x1C ^ (UInt64(n) &* 0x9E37_79B9_7F4A_7C15))
        let s = subject(for: n &+ 104_729, population: population)
        let l = Self.licences[r.int(Self.licences.count)]
        let a = Self.authorities.first { $0.department == l.department }!
        let decided = today.adding(days: -(1 + r.int(6 * 365)))
        let from = decided
        let until = from.adding(months: 12 * l.years).adding(days: -1)
        var row: [String: String] = [
            "XK_XDR_MC": s.name, "XK_XDR_LB": Self.category(s), "XK_XDR_SHXYM": s.code,
            "XK_XKWS": l.document, "XK_WSH": "\(a.prefix)许〔\(decided.year)〕\(20_000 + n)号", "XK_XKLB": l.kind,
            "XK_XKZS": l.certificate, "XK_XKBH": "JY3\(502_000_000 + n)", "XK_NR": l.content, "XK_JDRQ": decided.description,
            "XK_YXQZ": from.description, "XK_YXQZI": until.description, "XK_XKJG": a.name, "XK_XKJGDM": a.code,
            "XK_ZT": until < today ? "无效" : "有效", "XK_LYDW": a.name, "XK_LYDWDM": a.code,
        ]
        if s.kind != .individualBusiness { row["XK_FRDB"] = s.legalRepresentative ?? "王伟" }
        return row
    }
}

extension DemoData {
    /// Loads synthetic penalties and licences through the intake path (validation, linking,
    /// publicity windows, change log): one submission per department and item, applied in chunks,
    /// so volumes of tens of millions stay in bounded memory. Returns the submissions' results.
    public func loadRecords(into store: any PlatformStore, penalties: Int, licences: Int, population: Int,
                            today: CivilDate = CivilDate.today(), chunk: Int = 5000, logger: Logger) async throws -> [SubmissionResult] {
        let catalog = try await store.catalog()
        for d in Self.departments { try await store.upsertDepartment(d) }
        let records = DemoRecords(data: self, today: today)
        let validator = CatalogValidator(catalog: catalog)
        var results: [SubmissionResult] = []
        for (code, count) in [("xzcf", penalties), ("xzxk", licences)] where count > 0 {
            guard let item = catalog.item(code) else { continue }
            for authority in DemoRecords.authorities {
                // Record n belongs to the department its case or licence kind names; each department
                // walks the whole range and keeps its own, so the split is deterministic.
                let source = DemoRowSource(records: records, item: item, department: authority.department, count: count,
                                           population: population, validator: validator, today: today, chunk: chunk)
                guard let first = try await source.next() else { continue }
                let result = try await store.applySubmission(
                    SubmissionDraft(item: item, department: authority.department, channel: .demo, actor: "demo", rows: first, catalog: catalog),
                    next: { try await source.next() })
                logger.info("演示记录已载入", metadata: ["item": .string(code), "department": .string(authority.department),
                                                    "created": .stringConvertible(result.created), "rejected": .stringConvertible(result.rejectedRows)])
                results.append(result)
            }
        }
        return results
    }
}

/// Generates one department's demo rows in chunks, validated as a file's rows would be.
actor DemoRowSource {
    let records: DemoRecords
    let item: CatalogItem
    let department: String
    let count: Int
    let population: Int
    let validator: CatalogValidator
    let today: CivilDate
    let chunk: Int
    private var n = 0

    init(records: DemoRecords, item: CatalogItem, department: String, count: Int, population: Int, validator: CatalogValidator,
         today: CivilDate, chunk: Int) {
        self.records = records; self.item = item; self.department = department; self.count = count; self.population = population
        self.validator = validator; self.today = today; self.chunk = chunk
    }

    func next() -> [IntakeRow]? {
        var rows: [IntakeRow] = []
        while n < count && rows.count < chunk {
            let raw = item.code == "xzcf" ? records.penalty(n, population: population) : records.licence(n, population: population)
            let owner = item.code == "xzcf" ? raw["CF_CFJGDM"] : raw["XK_XKJGDM"]
            if owner == DemoRecords.authorities.first(where: { $0.department == department })?.code {
                rows.append(IntakeRow(number: n + 2, raw: raw, result: validator.validate(raw, item: item, today: today)))
            }
            n += 1
        }
        return rows.isEmpty ? nil : rows
    }
}
