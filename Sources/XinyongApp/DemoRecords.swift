import Foundation
import Logging
import XinyongCore

/// Synthetic 双公示 records for the demo population: penalties with plausible facts and legal
/// bases, licences with validity periods, from the demo departments. Deterministic per seed and
/// record number; decision dates spread over the last three years so that some records are
/// inside their publicity window and some are past it.
public struct DemoRecords: Sendable {
    let data: DemoData
    /// The day the demo is "now" (decision dates fall before it).
    let today: CivilDate

    public init(data: DemoData, today: CivilDate) { self.data = data; self.today = today }

    struct Authority { var department: String; var name: String; var code: String; var prefix: String }

    /// The deciding authorities: the demo departments under their full names, with valid credit codes.
    static let authorities: [Authority] = [
        ("SCJGJ", "厦门市市场监督管理局", "厦市监"), ("STHJJ", "厦门市生态环境局", "厦环"), ("JTYSJ", "厦门市交通运输局", "厦交执"),
        ("ZJJ", "厦门市住房和城乡建设局", "厦建"), ("SWJ", "国家税务总局厦门市税务局", "厦税"),
        ("FY", "厦门市中级人民法院", "（2026）闽02执"), ("XYB", "厦门市社会信用体系建设领导小组办公室", "厦信"),
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

    /// Rows of the other public catalog items: (department, prefix, values) for record `n`.
    static let otherItems: [String] = ["jyyc", "yzsx", "sxbzxr", "xypj", "ryxx", "xzjc", "xycn"]

    func other(_ code: String, _ n: Int, population: Int) -> [String: String] {
        let k = Self.otherItems.firstIndex(of: code)! + 1
        var r = SplitMix(data.seed ^ (UInt64(k) &* 0x1000_0000_0001) ^ (UInt64(n) &* 0xD6E8_FEB8_6659_FD93))
        let s = subject(for: n &+ 7_777 &* k, population: population)
        func authority(_ d: String) -> Authority { Self.authorities.first { $0.department == d }! }
        let day = today.adding(days: -(1 + r.int(3 * 365)))
        func base(_ p: String, _ a: Authority) -> [String: String] {
            var row = ["\(p)_XDR_MC": s.name, "\(p)_XDR_LB": Self.category(s), "\(p)_XDR_SHXYM": s.code,
                       "\(p)_JG": a.name, "\(p)_JGDM": a.code, "\(p)_SJLY": a.name, "\(p)_SJLYDM": a.code]
            if s.kind != .individualBusiness { row["\(p)_FRDB"] = s.legalRepresentative ?? "王伟" }
            return row
        }
        switch code {
        case "jyyc":
            var row = base("YC", authority("SCJGJ"))
            row["YC_LRYY"] = ["未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告", "通过登记的住所或者经营场所无法联系",
                              "公示企业信息隐瞒真实情况、弄虚作假"][r.int(3)]
            row["YC_LRRQ"] = day.description
            if r.int(3) == 0 {
                let out = day.adding(days: 30 + r.int(300))
                if out < today { row["YC_YCRQ"] = out.description; row["YC_YCYY"] = "补报了未报年份的年度报告并公示" }
            }
            return row
        case "yzsx":
            var row = base("YZ", authority(["SCJGJ", "STHJJ"][r.int(2)]))
            row["YZ_RDWH"] = "厦严失认〔\(day.year)〕\(300 + n)号"
            row["YZ_LRYY"] = row["YZ_JGDM"] == authority("STHJJ").code ? "通过暗管偷排含重金属废水，受到较重行政处罚" : "因生产销售不合格产品受到较重行政处罚，且拒不履行"
            row["YZ_RDYJ"] = row["YZ_JGDM"] == authority("STHJJ").code ? "《环境信息依法披露制度改革方案》及生态环境领域严重失信名单管理规定" : "《市场监督管理严重违法失信名单管理办法》第二条"
            row["YZ_RDRQ"] = day.description
            row["YZ_YXQZ"] = day.adding(months: 36).description
            return row
        case "sxbzxr":
            var row = base("SX", authority("FY"))
            row["SX_AH"] = "（\(day.year)）闽02执\(1000 + n)号"
            row["SX_YJWH"] = "（\(day.year - 1)）闽0203民初\(5000 + n)号"
            row["SX_SXQX"] = "有履行能力而拒不履行生效法律文书确定义务"
            row["SX_YW"] = "支付货款\(10 + r.int(90)) 万元及利息"
            row["SX_LXQK"] = "全部未履行"
            row["SX_FBRQ"] = day.description
            return row
        case "xypj":
            var row = base("PJ", authority("SWJ"))
            row["PJ_PJLB"] = "纳税信用等级"
            row["PJ_PJJG"] = "A"
            row["PJ_PJND"] = String(day.year - 1)
            row["PJ_PJRQ"] = day.description
            row["PJ_YXQZ"] = CivilDate(year: day.year + 1, month: 3, day: 31)!.description
            return row
        case "ryxx":
            var row = base("RY", authority("SCJGJ"))
            row["RY_RYMC"] = ["守合同重信用企业", "诚信经营示范单位", "消费者满意单位"][r.int(3)]
            row["RY_WH"] = "厦市监〔\(day.year)〕\(100 + n)号"
            row["RY_SYRQ"] = day.description
            row["RY_YXQZ"] = day.adding(months: 24).description
            return row
        case "xzjc":
            var row = base("JC", authority("SCJGJ"))
            row["JC_WSH"] = "厦市监查〔\(day.year)〕\(2000 + n)号"
            row["JC_XWMC"] = "“双随机、一公开”监督抽查"
            row["JC_NR"] = ["未发现问题", "发现问题已责令改正", "通过登记的住所（经营场所）无法联系"][r.int(3)]
            row["JC_JDRQ"] = day.description
            row["JC_YXQZ"] = day.adding(months: 12).description
            return row
        default:   // xycn
            var row = base("CN", authority("XYB"))
            row["CN_CNLX"] = ["告知承诺", "主动型承诺", "信用修复承诺"][r.int(3)]
            row["CN_CNSX"] = "依法诚信经营，所提交材料真实有效，如有违反自愿承担相应责任（事项 \(n)）"
            row["CN_CNRQ"] = day.description
            row["CN_YXQZ"] = day.adding(months: 12).description
            row["CN_LYQK"] = "履约中"
            return row
        }
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

extension DemoRecords {
    /// Record `n` of any demo item, as a file row would carry it, by field name.
    func row(_ item: String, _ n: Int, population: Int) -> [String: String] {
        switch item {
        case "xzcf": penalty(n, population: population)
        case "xzxk": licence(n, population: population)
        default: other(item, n, population: population)
        }
    }

    /// The demo department whose authority decided a row.
    static func department(of raw: [String: String]) -> String? {
        let code = raw["CF_CFJGDM"] ?? raw["XK_XKJGDM"] ?? raw.first { $0.key.hasSuffix("_JGDM") }?.value
        return authorities.first { $0.code == code }?.department
    }

    /// The items the demo can write rows for.
    public static var items: [String] { ["xzcf", "xzxk"] + otherItems }

    /// Writes demo rows `range` of `item` (only those `department` decided, when given) as a CSV file
    /// with the template's Chinese headers, as a department would deliver it: UTF-8 with a BOM, or
    /// GB18030. Streams, so millions of rows stay in bounded memory. Returns the rows written.
    public func writeCSV(item code: String, rows range: Range<Int>, department: String?, population: Int,
                         gb18030: Bool = false, to path: String) throws -> Int {
        guard let item = Catalog.shipped.item(code), Self.items.contains(code) else {
            throw DomainError.invalid(field: "item", reason: "演示数据不含目录项 \(code)，可选：\(Self.items.joined(separator: "、"))")
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let out = FileHandle(forWritingAtPath: path) else { throw DomainError.invalid(field: "file", reason: "无法写入 \(path)") }
        defer { try? out.close() }
        func encoded(_ s: String) -> Data {
            gb18030 ? (s.data(using: CSVReader.gb18030) ?? Data()) : Data(s.utf8)
        }
        var buffer = (gb18030 ? "" : "\u{FEFF}") + FileIntake.csvLine(FileIntake.headers(item))
        var written = 0
        for n in range {
            let row = self.row(code, n, population: population)
            if let department, Self.department(of: row) != department { continue }
            buffer += FileIntake.csvLine(item.fields.map { row[$0.name] ?? "" })
            written += 1
            if buffer.utf8.count > 1 << 20 { try out.write(contentsOf: encoded(buffer)); buffer = "" }
        }
        try out.write(contentsOf: encoded(buffer))
        return written
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
        let others = DemoRecords.otherItems.map { ($0, max(1, penalties / 10)) }
        for (code, count) in [("xzcf", penalties), ("xzxk", licences)] + (penalties > 0 ? others : []) where count > 0 {
            guard let item = catalog.item(code) else { continue }
            for authority in DemoRecords.authorities {
                // Record n belongs to the department its case or licence kind names; each department
                // walks the whole range and keeps its own, so the split is deterministic.
                let source = DemoRowSource(records: records, item: item, department: authority.department, count: count,
                                           population: population, validator: validator, today: today, chunk: chunk)
                guard let first = await source.next() else { continue }
                let result = try await store.applySubmission(
                    SubmissionDraft(item: item, department: authority.department, channel: .demo, actor: "demo", rows: first, catalog: catalog),
                    next: { await source.next() })
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
            let raw = records.row(item.code, n, population: population)
            if DemoRecords.department(of: raw) == department {
                rows.append(IntakeRow(number: n + 2, raw: raw, result: validator.validate(raw, item: item, today: today)))
            }
            n += 1
        }
        return rows.isEmpty ? nil : rows
    }
}
