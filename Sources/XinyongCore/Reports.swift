import Foundation

/// The kinds of credit report the platform issues.
public enum ReportKind: String, Sendable, Codable, CaseIterable {
    /// 法人和非法人组织公共信用信息报告: the public records inside their publicity windows.
    case publicInfo = "public"
    /// 专项信用报告 (信用代证, 发改财金〔2025〕565号): penalties (simple-procedure ones included),
    /// administrative coercion, the serious-dishonesty list and criminal judgments, for a span and
    /// sections the subject chooses, saying "no record" where there is none.
    case special
    /// The subject's own full report, non-public records included; only for the subject.
    case full

    public var title: String {
        switch self {
        case .publicInfo: "公共信用信息报告"
        case .special: "专项信用报告（替代有无违法违规记录证明）"
        case .full: "信用主体完整信用报告（仅供本主体使用）"
        }
    }

    public var label: String {
        switch self {
        case .publicInfo: "公共信用信息报告"
        case .special: "专项信用报告"
        case .full: "完整信用报告"
        }
    }
}

/// Which records a report holds, and in which sections.
public enum ReportScope {
    public struct Section: Sendable, Equatable {
        public var code: String
        public var name: String
        public var items: [String]
        public init(code: String, name: String, items: [String]) { self.code = code; self.name = name; self.items = items }
    }

    /// The archive's sections (信用档案 and the public and full reports), each a group of catalog items.
    public static let archiveSections: [Section] = [
        Section(code: "xzxk", name: "行政许可", items: ["xzxk"]),
        Section(code: "xzcf", name: "行政处罚", items: ["xzcf"]),
        Section(code: "acts", name: "其他行政行为", items: ["xzqz", "xzjc", "xzqr", "xzzs", "xzjf", "xzcj", "xzbc"]),
        Section(code: "red", name: "守信激励", items: ["ryxx", "xzjl"]),
        Section(code: "yzsx", name: "严重失信主体名单", items: ["yzsx"]),
        Section(code: "jyyc", name: "经营异常名录", items: ["jyyc"]),
        Section(code: "judicial", name: "司法信息", items: ["sfcp", "sxbzxr"]),
        Section(code: "xycn", name: "信用承诺", items: ["xycn"]),
        Section(code: "xypj", name: "信用评价", items: ["xypj"]),
    ]

    /// The special report's minimum content (发改财金〔2025〕565号); the subject may choose fewer.
    public static let specialSections: [Section] = [
        Section(code: "xzcf", name: "行政处罚（含简易程序）", items: ["xzcf"]),
        Section(code: "xzqz", name: "行政强制", items: ["xzqz"]),
        Section(code: "yzsx", name: "严重失信主体名单", items: ["yzsx"]),
        Section(code: "xsfz", name: "刑事裁判（犯罪记录）", items: ["sfcp"]),
    ]

    /// A judgment is criminal when its case number is a criminal one (（2024）京0101刑初123号).
    public static func isCriminal(_ r: CreditRecord) -> Bool {
        r.itemCode != "sfcp" || (r.fields["SF_AH"] ?? "").contains("刑")
    }

    /// Whether a record still counts for its subject: active, not repaired or stopped, and (when it
    /// has a publicity period) inside it — the same states the log's ending events record.
    public static func inEffect(_ r: CreditRecord, on day: CivilDate) -> Bool {
        guard r.status == .active, r.endedOn == nil else { return false }
        return r.window.until.map { day < $0 } ?? true
    }

    /// Whether `r` belongs in section `s` of a report of `kind` issued on `day` (`span` for special reports).
    public static func includes(_ r: CreditRecord, in s: Section, kind: ReportKind, on day: CivilDate, span: ClosedRange<CivilDate>?) -> Bool {
        guard s.items.contains(r.itemCode) else { return false }
        switch kind {
        case .publicInfo: return r.isPublic(on: day)
        case .full: return r.status == .active && r.endReason == nil
        case .special:
            guard inEffect(r, on: day), s.code != "xsfz" || isCriminal(r) else { return false }
            guard let span else { return true }
            return r.window.decisionDate.map { span.contains($0) } ?? false
        }
    }

    /// The sections of a report: the special report's chosen ones (all when none are chosen).
    public static func sections(kind: ReportKind, chosen: [String] = []) -> [Section] {
        switch kind {
        case .special: chosen.isEmpty ? specialSections : specialSections.filter { chosen.contains($0.code) }
        case .publicInfo, .full: archiveSections
        }
    }
}
