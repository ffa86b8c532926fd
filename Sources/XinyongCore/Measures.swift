import Foundation

/// The four lists (四张清单) as data: the scopes of exemplary trustworthy subjects and of serious
/// dishonesty (which records put a subject on which list), and the incentive and punishment
/// measures with their legal basis, the matters they apply to and what triggers them. The shipped
/// lists come from `Resources/measures.json`; the credit office adds local measures in the console.
/// Facts: domain-rules §2 and §6.
public struct MeasureCatalog: Sendable, Codable, Equatable {
    public var version: String
    /// Where the shipped lists come from and what is unconfirmed, for the credit office.
    public var note: String?
    public var matters: [Matter]
    public var scopes: [ListScope]
    public var measures: [Measure]

    public init(version: String, note: String? = nil, matters: [Matter], scopes: [ListScope], measures: [Measure]) {
        self.version = version; self.note = note; self.matters = matters; self.scopes = scopes; self.measures = measures
    }

    public static let shipped: MeasureCatalog = {
        guard let url = Bundle.module.url(forResource: "measures", withExtension: "json"),
              let data = try? Data(contentsOf: url),
              let catalog = try? JSONDecoder().decode(MeasureCatalog.self, from: data) else {
            return MeasureCatalog(version: "missing", matters: [], scopes: [], measures: [])
        }
        return catalog
    }()

    public func matter(_ code: String) -> Matter? { matters.first { $0.code == code } }
    public func scope(_ code: String) -> ListScope? { scopes.first { $0.code == code } }
    public func measure(_ code: String) -> Measure? { measures.first { $0.code == code } }

    /// The shipped lists with the credit office's measures. A local measure with a shipped
    /// measure's code replaces it (this is how the office ends a shipped measure: a version with a
    /// 失效日期, still with its basis); the others are added.
    public func applying(local: [Measure]) -> MeasureCatalog {
        var out = self
        let byCode = Dictionary(local.map { ($0.code, $0) }, uniquingKeysWith: { $1 })
        out.measures = measures.map { byCode[$0.code] ?? $0 }
        let shippedCodes = Set(measures.map(\.code))
        out.measures += local.filter { !shippedCodes.contains($0.code) }
        return out
    }

    /// The catalog items any scope or measure reads: the only records a check needs to load.
    public var triggerItems: Set<String> {
        var items = Set(scopes.flatMap { $0.conditions.map(\.item) })
        for m in measures { items.formUnion(m.records.map(\.item)) }
        return items
    }
}

/// A matter (办理事项 / 应用场景) in which departments check credit: 行政许可, 政府采购, …
public struct Matter: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public init(code: String, name: String) { self.code = code; self.name = name }
}

/// The law, regulation or policy document (and article) a measure or list rests on.
public struct LegalBasis: Sendable, Codable, Equatable, CustomStringConvertible {
    public var document: String
    public var article: String?
    public init(document: String, article: String? = nil) { self.document = document; self.article = article }
    public var description: String { article.map { "\(document)\($0)" } ?? document }
}

/// Which records match: of a catalog item, optionally only of some penalty severities and with
/// some field values (e.g. 评价结果 A).
public struct RecordCondition: Sendable, Codable, Equatable {
    public var item: String
    /// Severity tiers (`minor`, `general`, `serious` of the publicity rules); nil = any.
    public var severities: [String]?
    /// Each named field must hold one of its values; nil = no field condition.
    public var fields: [String: [String]]?
    public init(item: String, severities: [String]? = nil, fields: [String: [String]]? = nil) {
        self.item = item; self.severities = severities; self.fields = fields
    }

    public func matches(_ record: TriggerRecord) -> Bool {
        guard record.itemCode == item else { return false }
        if let severities, !(record.severity.map { severities.contains($0.rawValue) } ?? false) { return false }
        if let fields {
            for (name, values) in fields where !values.contains(record.fields[name] ?? "") { return false }
        }
        return true
    }
}

/// One scope of the lists: the 守信激励对象 (red), 严重失信主体 (black) or 重点关注 (watch, such as
/// the 经营异常名录) that records of some kinds make a subject a member of.
public struct ListScope: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case red, black, watch
        public var label: String {
            switch self {
            case .red: "守信激励对象"
            case .black: "严重失信主体"
            case .watch: "重点关注对象"
            }
        }
    }
    public var code: String
    public var name: String
    public var kind: Kind
    public var conditions: [RecordCondition]
    public var basis: [LegalBasis]
    /// Who determines membership (e.g. 人民法院, 市场监管部门).
    public var determinedBy: String
    /// How and when a member leaves the list (shown with every entry).
    public var removal: String
}

/// An incentive or punishment measure (守信激励措施 / 失信惩戒措施).
public struct Measure: Sendable, Codable, Equatable {
    public enum Direction: String, Sendable, Codable, CaseIterable {
        case incentive, punishment
        public var label: String { self == .incentive ? "守信激励" : "失信惩戒" }
    }
    /// The national grouping of measures (domain-rules §2.1).
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Measures that reduce rights or add obligations, applied by public bodies under law.
        case statutory
        /// Management measures of public bodies within their duties (e.g. closer supervision).
        case management
        /// Measures market and social bodies apply on their own initiative.
        case social
        public var label: String {
            switch self {
            case .statutory: "依法依规减损权益或增加义务的措施"
            case .management: "公共管理机构在职责范围内采取的管理措施"
            case .social: "市场主体和社会组织自主采取的措施"
            }
        }
    }

    public var code: String
    public var name: String
    public var direction: Direction
    public var kind: Kind
    public var basis: [LegalBasis]
    /// Who implements it (e.g. 财政部门、采购人).
    public var departments: [String]
    public var matters: [String]
    /// Membership of any of these list scopes triggers the measure…
    public var lists: [String]
    /// …as does any in-force record matching one of these conditions.
    public var records: [RecordCondition]
    /// Membership of any of these scopes keeps the measure from applying (no incentive for a
    /// subject on a black list).
    public var exclusions: [String]?
    /// What the department must do (不予准入, 列为重点监管对象, 依法限制, 优先办理…).
    public var action: String
    public var validFrom: String
    public var validUntil: String?
    /// False for the shipped lists; true for the credit office's local measures.
    public var local: Bool?
    public var note: String?

    public init(code: String, name: String, direction: Direction, kind: Kind, basis: [LegalBasis], departments: [String], matters: [String],
                lists: [String], records: [RecordCondition], exclusions: [String]? = nil, action: String, validFrom: String,
                validUntil: String? = nil, local: Bool? = nil, note: String? = nil) {
        self.code = code; self.name = name; self.direction = direction; self.kind = kind; self.basis = basis; self.departments = departments
        self.matters = matters; self.lists = lists; self.records = records; self.exclusions = exclusions; self.action = action
        self.validFrom = validFrom; self.validUntil = validUntil; self.local = local; self.note = note
    }

    /// Whether the measure is in force on `day`.
    public func isValid(on day: CivilDate) -> Bool {
        guard let from = CivilDate(validFrom), from <= day else { return false }
        return validUntil.flatMap { CivilDate($0) }.map { day <= $0 } ?? true
    }

    public var basisText: String { basis.map(\.description).joined(separator: "；") }

    /// Checks a measure before it is saved: a measure without a legal basis, a trigger, a matter
    /// or an action cannot be saved, and everything it names must exist.
    public func validated(against catalog: MeasureCatalog, items: Catalog) throws(DomainError) -> Measure {
        var m = self
        m.code = code.trimmingCharacters(in: .whitespaces)
        m.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        m.action = action.trimmingCharacters(in: .whitespacesAndNewlines)
        guard m.code.range(of: "^[A-Za-z][A-Za-z0-9_-]{1,31}$", options: .regularExpression) != nil else {
            throw .invalid(field: "code", reason: "措施编码应为 2–32 位字母、数字、下划线或连字符，以字母开头")
        }
        guard !m.name.isEmpty, m.name.count <= 100 else { throw .invalid(field: "name", reason: "请填写措施名称（不超过 100 字）") }
        m.basis = basis.map { LegalBasis(document: $0.document.trimmingCharacters(in: .whitespacesAndNewlines),
                                         article: $0.article.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }) }
            .filter { !$0.document.isEmpty }
        guard !m.basis.isEmpty else {
            throw .invalid(field: "basis", reason: "每项措施都必须写明法律、法规或党中央、国务院政策文件依据（文件名称和条款），没有依据的措施不能保存")
        }
        guard !m.action.isEmpty else { throw .invalid(field: "action", reason: "请写明部门应采取的措施（如：依法限制参加政府采购活动）") }
        var seen = Set<String>()
        m.matters = matters.filter { !$0.isEmpty && seen.insert($0).inserted }
        guard !m.matters.isEmpty else { throw .invalid(field: "matters", reason: "请至少选择一个适用的办理事项") }
        for code in m.matters where catalog.matter(code) == nil { throw .invalid(field: "matters", reason: "办理事项“\(code)”不存在") }
        guard !lists.isEmpty || !records.isEmpty else {
            throw .invalid(field: "lists", reason: "请至少选择一个触发条件（名单或信息类别）")
        }
        for code in lists + (exclusions ?? []) where catalog.scope(code) == nil {
            throw .invalid(field: "lists", reason: "名单“\(code)”不存在")
        }
        for c in records {
            guard let item = items.item(c.item) else { throw .invalid(field: "records", reason: "信息类别“\(c.item)”不在目录中") }
            for s in c.severities ?? [] where PublicityRules.Severity(rawValue: s) == nil {
                throw .invalid(field: "records", reason: "失信程度“\(s)”无法识别：应为 minor（轻微）、general（一般）或 serious（严重）")
            }
            if c.severities != nil, item.publicityFields?.kinds == nil {
                throw .invalid(field: "records", reason: "“\(item.name)”没有处罚类别，不能按失信程度触发")
            }
            for name in (c.fields ?? [:]).keys where item.field(name) == nil {
                throw .invalid(field: "records", reason: "“\(item.name)”没有字段 \(name)")
            }
        }
        guard let from = CivilDate(validFrom) else { throw .invalid(field: "valid_from", reason: "请填写生效日期（YYYY-MM-DD）") }
        if let until = validUntil, !until.isEmpty {
            guard let end = CivilDate(until) else { throw .invalid(field: "valid_until", reason: "失效日期应为 YYYY-MM-DD") }
            guard from <= end else { throw .invalid(field: "valid_until", reason: "失效日期不能早于生效日期") }
        } else {
            m.validUntil = nil
        }
        m.departments = departments.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return m
    }
}

/// An in-force record of a subject as a check reads it.
public struct TriggerRecord: Sendable, Equatable {
    public var recordID: Int64
    public var itemCode: String
    public var fields: [String: String]
    public var departmentCode: String
    public var decisionDate: CivilDate?
    /// The first day the record no longer counts (nil: no end).
    public var until: CivilDate?
    public var severity: PublicityRules.Severity?
    /// Marked 异议处理中: the check answer says so next to the record.
    public var disputed: Bool
    public init(recordID: Int64, itemCode: String, fields: [String: String], departmentCode: String, decisionDate: CivilDate?,
                until: CivilDate?, severity: PublicityRules.Severity?, disputed: Bool = false) {
        self.recordID = recordID; self.itemCode = itemCode; self.fields = fields; self.departmentCode = departmentCode
        self.decisionDate = decisionDate; self.until = until; self.severity = severity; self.disputed = disputed
    }

    /// Whether the record counts on `day`: decided by then and its period not over.
    public func isInForce(on day: CivilDate) -> Bool {
        if let decisionDate, day < decisionDate { return false }
        return until.map { day < $0 } ?? true
    }
}

/// What a check finds for one subject in one matter on one day.
public struct CheckFindings: Sendable, Equatable {
    public struct Membership: Sendable, Equatable {
        public var scope: String
        public var recordID: Int64
    }
    public struct Applied: Sendable, Equatable {
        public var measure: String
        /// The scopes and records that triggered it.
        public var scopes: [String]
        public var recordIDs: [Int64]
    }
    public var memberships: [Membership]
    /// The records behind the memberships and measures, newest decision first.
    public var records: [TriggerRecord]
    public var measures: [Applied]
    public var isClear: Bool { memberships.isEmpty && records.isEmpty && measures.isEmpty }
}

/// The joint rewards and punishments rule (联合奖惩): which measures the law provides for a
/// subject's in-force records in a matter, and nothing beyond them. Pure.
public enum CheckEngine {
    public static func findings(records all: [TriggerRecord], matter: String, on day: CivilDate, catalog: MeasureCatalog) -> CheckFindings {
        let records = all.filter { $0.isInForce(on: day) }
        var memberships: [CheckFindings.Membership] = []
        var memberOf: [String: [Int64]] = [:]
        for scope in catalog.scopes {
            for r in records where scope.conditions.contains(where: { $0.matches(r) }) {
                memberships.append(.init(scope: scope.code, recordID: r.recordID))
                memberOf[scope.code, default: []].append(r.recordID)
            }
        }
        var applied: [CheckFindings.Applied] = []
        var used = Set(memberships.map(\.recordID))
        for m in catalog.measures where m.matters.contains(matter) && m.isValid(on: day) {
            if (m.exclusions ?? []).contains(where: { memberOf[$0] != nil }) { continue }
            let scopes = m.lists.filter { memberOf[$0] != nil }
            var ids = scopes.flatMap { memberOf[$0]! }
            ids += records.filter { r in m.records.contains { $0.matches(r) } }.map(\.recordID)
            guard !ids.isEmpty else { continue }
            var seen = Set<Int64>()
            ids = ids.filter { seen.insert($0).inserted }
            used.formUnion(ids)
            applied.append(.init(measure: m.code, scopes: scopes, recordIDs: ids))
        }
        let relevant = records.filter { used.contains($0.recordID) }
            .sorted { ($0.decisionDate ?? CivilDate(daysSinceEpoch: 0), $0.recordID) > ($1.decisionDate ?? CivilDate(daysSinceEpoch: 0), $1.recordID) }
        return CheckFindings(memberships: memberships, records: relevant, measures: applied)
    }
}
