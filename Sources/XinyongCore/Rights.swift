import Foundation

/// The rules of the subjects' rights workflows as data (`Resources/rights.json`, replaced by the
/// credit office with `PUT /api/v1/rights-rules`): the working-day deadlines of objections, and the
/// repair conditions and deadlines as sets keyed by their effective date, because the national
/// rules changed in 2019, 2023 and 2026 (domain-rules §3, §5). The publicity periods themselves are
/// the catalog's penalty sets; the office may replace them here too (`publicity`).
public struct RightsRules: Sendable, Codable, Equatable {
    public struct ObjectionRules: Sendable, Codable, Equatable {
        public var basis: String
        /// Working days from filing within which the record is marked 异议处理中 (accepted or not yet).
        public var markWorkdays: Int
        /// Working days the supplying department has to decide, from acceptance.
        public var providerWorkdays: Int
        /// Working days the credit office has to decide on its own data, from acceptance.
        public var platformWorkdays: Int
        /// Working days an approved extension adds.
        public var extensionWorkdays: Int
    }

    /// Repair conditions and deadlines for records decided on or after `from`.
    public struct RepairSet: Sendable, Codable, Equatable {
        public var from: String
        public var basis: String
        /// Catalog items that are dishonesty information and can be repaired (Order 36 art. 4).
        public var repairableItems: [String]
        /// Minimum months a list entry stays before early removal, by item.
        public var listMinMonths: [String: Int]
        /// Penalty kinds whose publicity cannot end early (SAMR Order 45 art. 14 as the default).
        public var noEarlyEndKinds: [String]
        public var acceptWorkdays: Int
        public var decideWorkdays: Int
        /// Working days after a refusal within which the subject may appeal, and the office's time to decide it.
        public var appealWorkdays: Int
        public var appealDecideWorkdays: Int
        /// Months a subject whose repair rested on false materials may not apply again.
        public var fraudBarMonths: Int
    }

    public var version: String
    public var note: String?
    public var objection: ObjectionRules
    public var repairSets: [RepairSet]
    /// The credit office's replacement of the catalog's publicity rules (nil: the catalog's).
    public var publicity: PublicityRules?

    public static let shipped: RightsRules = {
        guard let url = Bundle.module.url(forResource: "rights", withExtension: "json"),
              let data = try? Data(contentsOf: url), let rules = try? JSONDecoder().decode(RightsRules.self, from: data) else {
            fatalError("Resources/rights.json is missing or invalid")   // shipped with the binary; a build error, not input
        }
        return rules
    }()

    /// The repair set in force for a record decided on `date` (the latest set that started on or before it).
    public func repairSet(decidedOn date: CivilDate) -> RepairSet? {
        repairSets.filter { CivilDate($0.from).map { $0 <= date } ?? false }.max { $0.from < $1.from }
    }

    /// The document checked before it replaces the rules in force.
    public func validated() throws(DomainError) -> RightsRules {
        let version = version.trimmingCharacters(in: .whitespaces)
        guard !version.isEmpty, version.count <= 40 else { throw .invalid(field: "version", reason: "请填写规则版本（1–40 字）") }
        let o = objection
        for (n, field) in [(o.markWorkdays, "objection.markWorkdays"), (o.providerWorkdays, "objection.providerWorkdays"),
                           (o.platformWorkdays, "objection.platformWorkdays"), (o.extensionWorkdays, "objection.extensionWorkdays")]
        where !(0...60).contains(n) {
            throw .invalid(field: field, reason: "工作日数应在 0–60 之间")
        }
        guard !repairSets.isEmpty else { throw .invalid(field: "repairSets", reason: "至少需要一套修复规则") }
        var seen = Set<String>()
        for (i, s) in repairSets.enumerated() {
            guard CivilDate(s.from) != nil else { throw .invalid(field: "repairSets[\(i)].from", reason: "生效日期应为 YYYY-MM-DD") }
            guard seen.insert(s.from).inserted else { throw .invalid(field: "repairSets[\(i)].from", reason: "生效日期 \(s.from) 重复") }
            guard !s.basis.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw .invalid(field: "repairSets[\(i)].basis", reason: "请写明规则依据（文件名称和文号）")
            }
            for (n, f) in [(s.acceptWorkdays, "acceptWorkdays"), (s.decideWorkdays, "decideWorkdays"), (s.appealWorkdays, "appealWorkdays"),
                           (s.appealDecideWorkdays, "appealDecideWorkdays")] where !(1...60).contains(n) {
                throw .invalid(field: "repairSets[\(i)].\(f)", reason: "工作日数应在 1–60 之间")
            }
            guard (0...120).contains(s.fraudBarMonths) else { throw .invalid(field: "repairSets[\(i)].fraudBarMonths", reason: "月数应在 0–120 之间") }
        }
        if let p = publicity {
            for (i, s) in p.penaltySets.enumerated() {
                guard CivilDate(s.from) != nil else { throw .invalid(field: "publicity.penaltySets[\(i)].from", reason: "生效日期应为 YYYY-MM-DD") }
                for tier in ["minor", "general", "serious"] {
                    guard let max = s.maxMonths[tier], let min = s.minMonths[tier], (0...120).contains(max), (0...max).contains(min) else {
                        throw .invalid(field: "publicity.penaltySets[\(i)]", reason: "\(tier) 的最短、最长公示月数应为 0–120 且最短不超过最长")
                    }
                }
            }
        }
        var out = self
        out.version = version
        return out
    }
}

extension Catalog {
    /// The catalog with the credit office's publicity rules, when it replaced them; the version
    /// names the rules so that stored windows are recomputed.
    public func applying(publicity rules: RightsRules?) -> Catalog {
        guard let p = rules?.publicity, p != publicityRules, let v = rules?.version else { return self }
        var c = self
        c.publicity = p
        c.version += "+rules-\(v)"
        return c
    }
}

/// Whether a record can be repaired on a day, and why not (domain-rules §3).
public struct RepairEligibility: Sendable, Equatable, Encodable {
    public var eligible: Bool
    /// The first day an application is possible (nil when it never is before the period ends).
    public var earliestDate: CivilDate?
    /// The day publicity ends by itself (the first day it is no longer public).
    public var publicityEnds: CivilDate?
    public var ruleSet: String
    public var severity: PublicityRules.Severity?
    /// Why the record cannot be repaired now (empty when it can).
    public var reasons: [String]
    /// What an application must show.
    public var conditions: [String]

    /// The sentence shown with the record ("可于 2027-03-05 后申请信用修复").
    public var summary: String {
        if eligible { return "可申请信用修复" }
        if let d = earliestDate { return "可于 \(d) 后申请信用修复" }
        return reasons.first ?? "不可申请信用修复"
    }

    enum CodingKeys: String, CodingKey {
        case eligible, earliestDate = "earliest_date", publicityEnds = "publicity_ends", ruleSet = "rule_set", severity, reasons, conditions, summary
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(eligible, forKey: .eligible)
        try c.encode(earliestDate?.description, forKey: .earliestDate)
        try c.encode(publicityEnds?.description, forKey: .publicityEnds)
        try c.encode(ruleSet, forKey: .ruleSet)
        try c.encode(severity?.label, forKey: .severity)
        try c.encode(reasons, forKey: .reasons)
        try c.encode(conditions, forKey: .conditions)
        try c.encode(summary, forKey: .summary)
    }
}

/// What the eligibility engine needs to know besides the record.
public struct RepairContext: Sendable, Equatable {
    /// An application for this record is being handled.
    public var openApplication: Bool
    /// The subject may not apply before this day (a repair that rested on false materials).
    public var barredUntil: CivilDate?
    public init(openApplication: Bool = false, barredUntil: CivilDate? = nil) {
        self.openApplication = openApplication; self.barredUntil = barredUntil
    }
}

public enum RepairRules {
    /// Decides whether `record` can be repaired on `day` under the rule set in force for its
    /// decision date: the minimum period, penalty kinds that cannot end early, the fraud bar, an
    /// application already open, and records that are not dishonesty information or no longer public.
    public static func eligibility(of record: CreditRecord, item: CatalogItem, catalog: Catalog, rights: RightsRules, on day: CivilDate,
                                   context: RepairContext = RepairContext()) -> RepairEligibility {
        let publicity = catalog.publicityRules
        let decided = record.window.decisionDate
        let ends = record.endedOn ?? record.window.until
        var e = RepairEligibility(eligible: false, earliestDate: nil, publicityEnds: ends, ruleSet: "", severity: nil, reasons: [], conditions: [])
        guard let decided, let set = rights.repairSet(decidedOn: decided) else {
            e.ruleSet = "无"
            e.reasons = [decided == nil ? "记录没有决定日期，无法确定适用的修复规则" : "决定日期 \(decided!) 早于所有修复规则的生效日期"]
            return e
        }
        e.ruleSet = "\(set.from) \(set.basis)"
        guard set.repairableItems.contains(item.code) else {
            e.reasons = [item.code == "sxbzxr" ? "失信被执行人信息由人民法院依法屏蔽、删除，不适用信用修复；履行义务后请向执行法院申请"
                                                : "\(item.name)不属于失信信息，无需信用修复"]
            return e
        }
        if record.status == .revoked { e.reasons.append("该记录已撤销，不再公示和使用") }
        switch record.endReason {
        case .repaired?: e.reasons.append("该记录已于 \(record.endedOn?.description ?? "") 完成信用修复")
        case .stopped?: e.reasons.append("该记录已于 \(record.endedOn?.description ?? "") 停止公示")
        case nil: break
        }
        if let until = record.window.until, until <= day { e.reasons.append("公示期已于 \(until) 届满，已自动停止公示，无需申请修复") }
        guard e.reasons.isEmpty else { return e }

        var earliest = decided
        switch item.publicity {
        case "penalty":
            let severity = publicity.severity(of: record.fields, item: item) ?? .general
            e.severity = severity
            guard let ps = publicity.penaltySet(decidedOn: decided) else {
                e.reasons.append("没有适用于 \(decided) 的公示期限规则")
                return e
            }
            if ps.from != set.from || ps.basis != set.basis { e.ruleSet += "；公示期限：\(ps.from) \(ps.basis)" }
            let kinds = (item.publicityFields?.kinds.flatMap { record.fields[$0] } ?? "").split(separator: "；").map(String.init)
            if let fixed = kinds.first(where: set.noEarlyEndKinds.contains) {
                e.reasons.append("处罚类别含“\(fixed)”，公示不能提前终止" + (ends.map { "，将于 \($0) 起自动停止公示" } ?? ""))
                return e
            }
            let months = ps.minMonths[severity.rawValue] ?? 3
            earliest = decided.adding(months: months)
            e.conditions = [months == 0 ? "\(severity.label)失信行为：履行行政处罚决定规定的义务后即可申请" :
                                "\(severity.label)失信行为：自处罚决定之日起最短公示 \(months) 个月",
                            "已履行行政处罚决定规定的义务（提交缴纳罚款凭证等履行证明）", "已纠正失信行为、消除不良影响", "签署信用修复承诺书"]
        default:
            let months = set.listMinMonths[item.code] ?? 0
            earliest = decided.adding(months: months)
            e.conditions = [months == 0 ? "已纠正列入事由（如补报年报、更正住所）后即可申请移出" : "自列入之日起满 \(months) 个月",
                            "已履行相关义务、纠正失信行为（提交证明材料）", "签署信用修复承诺书"]
        }
        if let bar = context.barredUntil, bar > earliest {
            earliest = bar
            if bar > day { e.reasons.append("曾以虚假材料申请信用修复，\(bar) 前不得再次申请") }
        }
        if earliest > day, !e.reasons.contains(where: { $0.hasPrefix("曾以虚假材料") }) {
            e.reasons.append("未满最短公示期，\(earliest) 起可申请")
        }
        if let ends, earliest >= ends {
            let barred = e.reasons.filter { $0.hasPrefix("曾以虚假材料") }
            e.reasons = barred + [barred.isEmpty ? "最短公示期届满前公示即将结束，将于 \(ends) 起自动停止公示，无需申请修复"
                                                  : "该记录将于 \(ends) 起自动停止公示"]
            return e
        }
        e.earliestDate = earliest
        if context.openApplication { e.reasons.append("已有处理中的修复申请") }
        e.eligible = e.reasons.isEmpty
        return e
    }
}

/// The 信用修复告知书 served with a penalty or a list decision (两书同达, 国办发〔2025〕22号): when
/// the information is published, until when, from when and how the subject may apply for repair.
public enum RepairNotice {
    public static func text(record r: CreditRecord, catalog: Catalog, eligibility e: RepairEligibility, siteName: String) -> String {
        let item = catalog.item(r.itemCode)
        let name = item?.subject.flatMap { r.fields[$0.name] } ?? "当事人"
        let document = item?.naturalKey.first.flatMap { r.fields[$0] } ?? ""
        let ends = e.publicityEnds.map { "公示至 \($0.adding(days: -1))（\(r.window.basis)）" } ?? "公示期限：\(r.window.basis)"
        var lines = ["信用修复告知书", "", "\(name)：",
                     "依据\(e.ruleSet.isEmpty ? "信用修复有关规定" : e.ruleSet)，本机关作出的\(item?.name ?? "决定")（\(document)）将在“信用中国”及\(siteName)公示，\(ends)。"]
        if let earliest = e.earliestDate {
            lines.append("你（单位）在履行相关义务、纠正失信行为后，可于 \(earliest) 后申请信用修复。申请条件：")
            lines += e.conditions.map { "  · \($0)" }
            lines.append("申请渠道：登录\(siteName)“信用修复”栏目或“信用中国”网站在线申请，也可向本机关申请。信用修复不收取任何费用。")
            lines.append("修复后，上述信息终止公示、停止共享和使用，并解除相关惩戒措施。")
        } else {
            lines.append("该信息暂不适用信用修复：" + e.reasons.joined(separator: "；") + "。")
        }
        lines.append("如认为上述信息有误，可向本机关或\(siteName)提出异议申诉。")
        return lines.joined(separator: "\n") + "\n"
    }
}
