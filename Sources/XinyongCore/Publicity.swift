import Foundation

extension CivilDate {
    /// The same day `n` months later; the month's last day when it has no such day (2024-01-31 + 1 month = 2024-02-29).
    public func adding(months n: Int) -> CivilDate {
        let total = year * 12 + (month - 1) + n
        let y = total / 12, m = total % 12 + 1
        var d = day
        while CivilDate(year: y, month: m, day: d) == nil { d -= 1 }
        return CivilDate(year: y, month: m, day: d)!
    }
}

/// The publicity rules: how long a record of each kind is public, as effective-dated data
/// (`publicity` in `catalog.json`), because the national rules changed in 2019, 2023 and 2026 and
/// each industry sets its own severity boundaries. Facts and sources: domain-rules §3.
public struct PublicityRules: Sendable, Codable, Equatable {
    /// Penalty publicity by severity, for decisions on or after `from` (the latest applicable set wins).
    public struct PenaltySet: Sendable, Codable, Equatable {
        public var from: String
        public var basis: String
        /// Maximum months public by severity tier (`minor`, `general`, `serious`); 0 = not published.
        public var maxMonths: [String: Int]
        /// Minimum months before repair may end publicity early (shown to subjects; used by repair later).
        public var minMonths: [String: Int]
    }

    /// Which 处罚类别 make a penalty serious or minor; everything else is general. [U]: each
    /// industry department sets its own boundaries, so this is configuration.
    public var seriousKinds: [String]
    /// A penalty is minor only when all its kinds are in this list.
    public var minorKinds: [String]
    public var penaltySets: [PenaltySet]

    public enum Severity: String, Sendable { case minor, general, serious
        public var label: String { switch self { case .minor: "轻微"; case .general: "一般"; case .serious: "严重" } }
    }

    /// The severity of a record of `item` (nil when the item has no penalty kinds): its 处罚类别
    /// values, separated by "；".
    public func severity(of values: [String: String], item: CatalogItem) -> Severity? {
        guard let field = item.publicityFields?.kinds else { return nil }
        return severity(of: (values[field] ?? "").split(separator: "；"))
    }

    public func severity(kinds: [String]) -> Severity { severity(of: kinds) }

    private func severity<Kind: StringProtocol>(of kinds: [Kind]) -> Severity {
        if kinds.contains(where: { k in seriousKinds.contains { $0 == k } }) { return .serious }
        if !kinds.isEmpty && kinds.allSatisfy({ k in minorKinds.contains { $0 == k } }) { return .minor }
        return .general
    }

    /// The latest set in force on `date` (sets whose start is not a date never apply).
    public func penaltySet(decidedOn date: CivilDate) -> PenaltySet? {
        var found: (set: PenaltySet, from: CivilDate)?
        for set in penaltySets {
            guard let from = CivilDate(set.from), from <= date else { continue }
            if found.map({ from > $0.from }) ?? true { found = (set, from) }
        }
        return found?.set
    }
}

/// When a record is public: from `from` (inclusive) until `until` (exclusive; nil = no end).
public struct PublicityWindow: Sendable, Equatable {
    public var decisionDate: CivilDate?
    public var from: CivilDate?
    public var until: CivilDate?
    /// False when the record is never published (a natural person, a shared-only item, a revoked record, a zero period).
    public var publishable: Bool
    /// How the window was set, for staff and for the subject (e.g. "一般失信：最长公示 1 年（国办发〔2025〕22号）").
    public var basis: String

    public init(decisionDate: CivilDate?, from: CivilDate?, until: CivilDate?, publishable: Bool, basis: String) {
        self.decisionDate = decisionDate; self.from = from; self.until = until; self.publishable = publishable; self.basis = basis
    }

    public func isPublic(on day: CivilDate) -> Bool {
        guard publishable, let from, from <= day else { return false }
        return until.map { day < $0 } ?? true
    }

    /// The window of a validated record under its item's rule.
    ///
    /// - `validity` (licences): from the decision date through the last valid day.
    /// - `penalty`: from the decision date for the maximum period of its severity under the rule set
    ///   in force on the decision date, or until the department's 公示截止期 when that is earlier.
    ///
    /// The period is computed for every record, published or not: it is also how long the record
    /// counts in credit checks (a natural person's penalty is never published, but it ends).
    public static func of(_ values: [String: String], item: CatalogItem, rules: PublicityRules) -> PublicityWindow {
        let p = item.publicityFields
        let decided = p?.decisionDate.flatMap { values[$0] }.flatMap { CivilDate($0) }
        var window = PublicityWindow(decisionDate: decided, from: decided, until: nil, publishable: item.openness == .public, basis: "")
        switch item.publicity {
        case "validity", "list":
            let what = item.publicity == "list" ? "列入名单期间公示" : "在有效期内公示"
            if let end = p?.validUntil.flatMap({ values[$0] }).flatMap({ CivilDate($0) }) {
                window.until = end.adding(days: 1)
                window.basis = "\(what)（至 \(end)）"
            } else {
                window.basis = item.publicity == "list" ? "\(what)（至移出名单）" : "\(what)（长期有效）"
            }
        case "none":
            window.publishable = false
            window.basis = "不在网站公示"
        case "penalty":
            guard let decided, let set = rules.penaltySet(decidedOn: decided) else {
                window.basis = "无适用的公示期限规则"
                window.publishable = false
                return window
            }
            let severity = rules.severity(of: values, item: item) ?? .general
            let months = set.maxMonths[severity.rawValue] ?? 12
            guard months > 0 else {
                window.publishable = false
                window.until = decided
                window.basis = "\(severity.label)失信行为，依\(set.basis)不予公示"
                return window
            }
            var until = decided.adding(months: months)
            window.basis = "\(severity.label)失信行为：自决定之日起最长公示 \(months) 个月（\(set.basis)）"
            if let declared = p?.declaredEnd.flatMap({ values[$0] }).flatMap({ CivilDate($0) }), declared.adding(days: 1) < until {
                until = declared.adding(days: 1)
                window.basis += "；部门报送的公示截止期为 \(declared)"
            }
            window.until = until
        default:   // "decision": from the decision date, without an end
            window.basis = "自决定之日起公示"
        }
        if let category = item.subject?.category, values[category] == "自然人" {
            window.publishable = false
            window.basis = "自然人信息不公开公示（\(window.basis)）"
        } else if item.openness != .public {
            window.publishable = false
            window.basis = "\(item.openness.label)信息，不在网站公示"
        }
        return window
    }
}

extension CatalogItem {
    /// The fields the publicity rule reads, named per item in `catalog.json`.
    public struct PublicityFields: Sendable, Codable, Equatable {
        public var decisionDate: String?
        public var validUntil: String?
        public var kinds: String?
        public var declaredEnd: String?
        public init(decisionDate: String? = nil, validUntil: String? = nil, kinds: String? = nil, declaredEnd: String? = nil) {
            self.decisionDate = decisionDate; self.validUntil = validUntil; self.kinds = kinds; self.declaredEnd = declaredEnd
        }
    }
}
