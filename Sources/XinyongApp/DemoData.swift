import Foundation
import Logging
import XinyongCore
import XinyongStore

/// A deterministic, realistic, synthetic population for demos and benchmarks: valid codes whose
/// division codes exist, plausible names, registration attributes and a small share of natural
/// persons. Every subject is flagged `synthetic`, and the site says so.
public struct DemoData: Sendable {
    public let seed: UInt64
    /// The demo's prefecture: 厦门市 and its districts (GB/T 2260).
    static let cityName = "厦门"
    static let districts: [(code: String, name: String)] = [
        ("350203", "思明区"), ("350205", "海沧区"), ("350206", "湖里区"), ("350211", "集美区"), ("350212", "同安区"), ("350213", "翔安区"),
    ]

    public init(seed: UInt64) { self.seed = seed }

    public static let departments: [Department] = [
        .init(code: "SCJGJ", name: "市场监督管理局"), .init(code: "SWJ", name: "税务局"),
        .init(code: "ZJJ", name: "住房和城乡建设局"), .init(code: "FY", name: "中级人民法院"),
        .init(code: "STHJJ", name: "生态环境局"), .init(code: "JTYSJ", name: "交通运输局"),
        .init(code: "RSJ", name: "人力资源和社会保障局"), .init(code: "XYB", name: "社会信用体系建设领导小组办公室"),
    ]

    static let firstChars = Array("鑫华恒宏金永瑞盛泰德嘉兴隆昌汇创达丰源博新海信荣安顺祥福康明佳正腾辉宇天睿卓远润中航晟")
    static let secondChars = Array("源达通泰盛隆发祥辉科鸿瑞宇航誉合润邦诚信安和丰联恒顺昊亿晨星辰远峰锦凯")
    static let industries: [(word: String, category: String)] = [
        ("科技", "信息传输、软件和信息技术服务业"), ("信息技术", "信息传输、软件和信息技术服务业"), ("网络科技", "信息传输、软件和信息技术服务业"),
        ("贸易", "批发和零售业"), ("商贸", "批发和零售业"), ("进出口", "批发和零售业"), ("电子商务", "批发和零售业"),
        ("建筑工程", "建筑业"), ("建设", "建筑业"), ("装饰工程", "建筑业"), ("市政工程", "建筑业"),
        ("物流", "交通运输、仓储和邮政业"), ("供应链管理", "交通运输、仓储和邮政业"), ("运输", "交通运输、仓储和邮政业"),
        ("餐饮管理", "住宿和餐饮业"), ("酒店管理", "住宿和餐饮业"), ("食品", "制造业"), ("机械设备", "制造业"),
        ("电子", "制造业"), ("新材料", "制造业"), ("服饰", "制造业"), ("医药", "制造业"), ("环保科技", "水利、环境和公共设施管理业"),
        ("物业管理", "房地产业"), ("房地产开发", "房地产业"), ("投资管理", "租赁和商务服务业"), ("企业管理咨询", "租赁和商务服务业"),
        ("文化传媒", "文化、体育和娱乐业"), ("教育咨询", "教育"), ("健康管理", "卫生和社会工作"), ("农业发展", "农、林、牧、渔业"),
        ("水产", "农、林、牧、渔业"), ("能源", "电力、热力、燃气及水生产和供应业"), ("人力资源", "租赁和商务服务业"),
    ]
    static let shopTrades = ["餐饮店", "小吃店", "便利店", "五金店", "服装店", "美发店", "水果店", "茶叶店", "汽车维修部", "日用品商行", "烟酒商行", "电器维修部"]
    static let associations = ["行业协会", "商会", "促进会", "研究会", "志愿者协会", "民办学校", "基金会"]
    static let institutions = ["市政工程服务中心", "公共资源交易中心", "职业技术学校", "人民医院", "疾病预防控制中心", "档案馆", "不动产登记中心", "社会保险服务中心"]
    static let organs = ["发展和改革委员会", "财政局", "商务局", "教育局", "民政局", "司法局", "自然资源和规划局", "农业农村局", "文化和旅游局", "卫生健康委员会"]
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余叶程苏吕魏卢")
    static let givenChars = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华玲平刚桂兰文辉建志红霞斌宇浩凯鹏丹婷晨欣悦")
    static let streets = ["湖滨南路", "嘉禾路", "厦禾路", "莲前东路", "仙岳路", "集美大道", "同安大道", "翔安南路", "海沧大道", "枋湖路", "吕岭路", "环岛路"]

    /// Subject number `i` of the population (0-based): the same for the same seed, on every machine.
    public func subject(_ i: Int) -> SubjectDraft {
        var r = SplitMix(seed ^ (UInt64(i) &* 0x9E37_79B9_7F4A_7C15))
        let district = Self.districts[r.int(Self.districts.count)]
        let roll = r.int(1000)
        let kind: SubjectKind = switch roll {
        case 0..<690: .enterprise
        case 690..<900: .individualBusiness
        case 900..<935: .socialOrganization
        case 935..<960: .publicInstitution
        case 960..<975: .governmentOrgan
        case 975..<990: .otherOrganization
        default: .naturalPerson
        }
        let person = "\(Self.surnames[r.int(Self.surnames.count)])\(Self.givenChars[r.int(Self.givenChars.count)])" +
            (r.int(3) == 0 ? "" : String(Self.givenChars[r.int(Self.givenChars.count)]))
        let word = "\(Self.firstChars[r.int(Self.firstChars.count)])\(Self.secondChars[r.int(Self.secondChars.count)])"
        let industry = Self.industries[r.int(Self.industries.count)]
        let established = CivilDate(year: 1995 + r.int(31), month: 1 + r.int(12), day: 1 + r.int(28))!
        let statusRoll = r.int(100)
        let status: SubjectStatus = statusRoll < 90 ? .active : statusRoll < 95 ? .deregistered : statusRoll < 98 ? .revoked : .movedOut
        let address = "福建省\(Self.cityName)市\(district.name)\(Self.streets[r.int(Self.streets.count)])\(1 + r.int(999))号"
        var draft = SubjectDraft(kind: kind, code: "", name: "", legalRepresentative: person,
                                 registeredCapitalYuan: Int64(10 + r.int(4990)) * 10_000, establishedOn: established,
                                 industry: industry.category, regionCode: district.code, address: address, status: status,
                                 synthetic: true)
        let prefix: String
        switch kind {
        case .enterprise:
            let suffix = r.int(10) == 0 ? "股份有限公司" : "有限公司"
            draft.name = "\(Self.cityName)\(word)\(industry.word)\(suffix)"
            prefix = "91"
        case .individualBusiness:
            draft.name = "\(district.name)\(person.prefix(1))记\(Self.shopTrades[r.int(Self.shopTrades.count)])"
            draft.registeredCapitalYuan = Int64(1 + r.int(50)) * 10_000
            draft.industry = "批发和零售业"
            prefix = "92"
        case .socialOrganization:
            let a = Self.associations[r.int(Self.associations.count)]
            draft.name = "\(Self.cityName)市\(word)\(industry.word)\(a)"
            draft.registeredCapitalYuan = nil
            prefix = a == "基金会" ? "53" : a == "民办学校" ? "52" : "51"
        case .publicInstitution:
            draft.name = "\(Self.cityName)市\(district.name)\(Self.institutions[r.int(Self.institutions.count)])"
            draft.registeredCapitalYuan = nil
            prefix = "12"
        case .governmentOrgan:
            draft.name = "\(Self.cityName)市\(district.name)\(Self.organs[r.int(Self.organs.count)])"
            draft.registeredCapitalYuan = nil
            draft.industry = "公共管理、社会保障和社会组织"
            prefix = "11"
        case .otherOrganization:
            draft.name = "\(Self.cityName)市\(district.name)\(word)\(["农民专业合作社", "种植专业合作社", "养殖专业合作社"][r.int(3)])"
            draft.industry = "农、林、牧、渔业"
            prefix = "93"
        case .naturalPerson:
            draft.name = person
            draft.legalRepresentative = nil
            draft.registeredCapitalYuan = nil
            draft.establishedOn = nil
            draft.industry = nil
            draft.address = nil
            // (birth date, sequence) is a bijection of i, so identity numbers never collide
            // (a random birth date collided once in about 650,000 subjects).
            let birth = CivilDate(year: 1950, month: 1, day: 1)!.adding(days: (i / 1000) % 20_000)
            let seq = String(String(1000 + i % 1000).dropFirst())
            let first17 = district.code + String(birth.description.filter(\.isNumber)) + seq
            draft.code = first17 + String(IdentifierValidator.residentIDCheckCharacter(first17)!)
            return draft
        }
        draft.code = Self.uscc(prefix: prefix, division: district.code, serial: i)
        return draft
    }

    /// A valid credit code whose organisation-code body is a bijection of `serial`, so codes never collide.
    static func uscc(prefix: String, division: String, serial: Int) -> String {
        let modulus: UInt64 = 852_891_037_441   // 31^8
        var n = (UInt64(serial) &* 387_420_489 &+ 12_345_678_901) % modulus   // 3^18, coprime to 31
        var body: [Character] = []
        let alphabet = IdentifierValidator.usccAlphabet
        for _ in 0..<8 {
            body.append(alphabet[Int(n % 31)])
            n /= 31
        }
        // A GB 11714 check character is 0–9 or X, always inside the credit-code alphabet.
        let org = String(body)
        let check = IdentifierValidator.orgCodeCheckCharacter(org)!
        let first17 = prefix + division + org + String(check)
        return first17 + String(IdentifierValidator.usccCheckCharacter(first17)!)
    }

    /// Generates `count` subjects and loads them in batches, with the demo departments.
    public func load(into store: SQLPlatformStore, subjects count: Int, batch: Int = 10_000, logger: Logger) async throws {
        for d in Self.departments { try await store.upsertDepartment(d) }
        let validator = IdentifierValidator()
        let today = CivilDate(year: 2026, month: 1, day: 1)!
        let start = Date()
        var i = try await store.countSubjects()
        let end = i + count
        while i < end {
            let upper = min(i + batch, end)
            var valid: [ValidSubject] = []
            valid.reserveCapacity(upper - i)
            for n in i..<upper {
                valid.append(try SubjectRules.validate(subject(n), validator: validator, today: today))
            }
            try await store.bulkInsert(valid, actor: "demo")
            i = upper
            if i % 100_000 == 0 || i == end {
                logger.info("演示数据载入进度", metadata: ["loaded": .stringConvertible(i), "seconds": .stringConvertible(Int(Date().timeIntervalSince(start)))])
            }
        }
        try await store.refreshGramStatistics()
        try await store.putSetting("demo_dataset", "synthetic;seed=\(seed);subjects=\(end)")
    }
}

/// SplitMix64: a tiny, fast, well-distributed PRNG for reproducible synthetic data (not for secrets).
struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

extension DemoData {
    /// A few published articles so that the demo site's 政策与公告 is not empty; each says it is a demo.
    static func articles(today: CivilDate) throws -> [ArticleDraft] {
        [
            try ArticleDraft(column: .notice, title: "（演示）关于做好行政许可和行政处罚信息报送工作的通知", body: """
                各有关部门：

                为做好“双公示”工作，请各部门按照以下要求报送：
                - 行政许可、行政处罚决定作出之日起 **7 个工作日内**报送；
                - 使用[数据质量规则](/quality-rules)中的字段标准，按模板填报；
                - 未通过校验的行，请按提示修改后重新上传。

                本文为演示数据，不是真实通知。
                """, status: .published, publishedOn: today.adding(days: -3)),
            try ArticleDraft(column: .policy, title: "（演示）失信行为纠正后的信用信息修复管理办法（试行）要点", body: """
                # 适用范围
                失信主体纠正失信行为、履行法定义务后，可以申请信用修复。

                # 公示期限
                1. 轻微失信信息原则上不公示；
                2. 一般失信信息最短公示期 3 个月、最长 1 年；
                3. 严重失信信息最短公示期 1 年、最长 3 年。

                > 具体以国家发展改革委发布的正式文本为准。本文为演示数据。
                """, status: .published, publishedOn: today.adding(days: -30)),
            try ArticleDraft(column: .cases, title: "（演示）某餐饮企业主动整改后完成信用修复", body: """
                某餐饮企业因食品安全问题受到行政处罚后，及时缴纳罚款、完成整改，并在最短公示期满后提交信用修复承诺书，经作出处罚的部门审核后停止公示。

                本文为演示数据，所述企业为虚构。
                """, status: .published, publishedOn: today.adding(days: -10)),
        ]
    }
}
