import Foundation

/// One problem with one row: the field (by name and Chinese label), its kind (for the quality
/// figures) and a reason a clerk can act on.
public struct RowIssue: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case required, format, codeList = "code_list", identifier, crossField = "cross_field", length, control
        case unknownField = "unknown_field", columns, duplicate, checkCharacter = "check_character"
        public var label: String {
            switch self {
            case .required: "必填项缺失"
            case .format: "格式错误（日期、金额等）"
            case .codeList: "不在代码表中"
            case .identifier: "证照代码无效"
            case .crossField: "字段之间不一致"
            case .length: "超过长度"
            case .control: "含不可见字符"
            case .unknownField: "未知字段"
            case .columns: "列数与表头不符"
            case .duplicate: "同一提交内重复"
            case .checkCharacter: "代码校验位不符（暂存待确认）"
            }
        }
    }
    public var field: String?
    public var label: String?
    public var reason: String
    /// Absent in rows stored before kinds were recorded.
    public var kind: Kind?
    public init(field: String?, label: String?, reason: String, kind: Kind? = nil) {
        self.field = field; self.label = label; self.reason = reason; self.kind = kind
    }
}

/// A row after validation: its canonical values (empty fields left out), the errors that reject
/// it, and the issues that hold it for the credit office's confirmation (e.g. a credit code that
/// fails only its check character, as some early pilot codes do).
public struct ValidatedRow: Sendable, Equatable {
    public var values: [String: String] = [:]
    public var errors: [RowIssue] = []
    public var held: [RowIssue] = []
    /// Why the record cannot be linked to a subject by its code (the code is invalid and was left
    /// out): the record is kept and linked by name, or waits in the credit office's link queue.
    public var linkIssue: RowIssue?
    public var isAccepted: Bool { errors.isEmpty && held.isEmpty }
}

/// Checks rows against a catalog item: every field, then the item's cross-field rules.
public struct CatalogValidator: Sendable {
    public let catalog: Catalog
    public let identifiers: IdentifierValidator

    /// Each item's field names, for the per-row unknown-field check (a set lookup, not a scan).
    private let fieldNames: [String: Set<String>]
    /// Each code list as a set.
    private let codeSets: [String: Set<String>]

    public init(catalog: Catalog = .shipped, identifiers: IdentifierValidator = IdentifierValidator()) {
        self.catalog = catalog
        self.identifiers = identifiers
        fieldNames = Dictionary(catalog.items.map { ($0.code, Set($0.fields.map(\.name))) }, uniquingKeysWith: { a, _ in a })
        codeSets = catalog.codeLists.mapValues { Set($0) }
    }

    static let separators: Set<Character> = ["；", ";", "，", ",", "、"]

    /// - Parameter row: raw values by field name (an intake channel maps headers to names first).
    /// - Parameter confirmedCodes: credit codes the credit office confirmed although they fail their
    ///   check character (early pilot codes); they are accepted instead of held.
    /// - Parameter keysKnown: the caller built `row` from the item's own field names (a file's
    ///   header was mapped already), so the unknown-field check is skipped.
    public func validate(_ row: [String: String], item: CatalogItem, today: CivilDate, confirmedCodes: Set<String> = [],
                         keysKnown: Bool = false) -> ValidatedRow {
        var out = ValidatedRow()
        out.values.reserveCapacity(item.fields.count)
        if !keysKnown {
            let names = fieldNames[item.code].flatMap { $0.count == item.fields.count ? $0 : nil } ?? Set(item.fields.map(\.name))
            if !row.keys.allSatisfy(names.contains) {
                for key in row.keys.sorted() where !names.contains(key) {
                    out.errors.append(RowIssue(field: key, label: nil, reason: "“\(item.name)”没有字段 \(key)", kind: .unknownField))
                }
            }
        }
        for field in item.fields {
            let value = row[field.name] ?? ""
            let raw = value.trimmingWhitespaceScalars
            func fail(_ reason: String, _ kind: RowIssue.Kind) {
                out.errors.append(RowIssue(field: field.name, label: field.label, reason: reason, kind: kind))
            }
            if raw.isEmpty {
                if field.required { fail("\(field.label)为必填项", .required) }
                continue
            }
            // Control characters are single bytes in UTF-8.
            if raw.utf8.contains(where: { $0 < 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) {
                fail("\(field.label)含有不可见的控制字符，请删除后重新填写", .control)
                continue
            }
            if let max = field.maxLength, raw.utf8.count > max, raw.count > max {   // bytes ≥ characters: count only when it may matter
                fail("\(field.label)不能超过 \(max) 个字（现有 \(raw.count) 个）", .length)
                continue
            }
            switch canonical(raw, field: field, row: row, today: today) {
            case .value(let v): out.values[field.name] = v
            case .invalid(let reason) where field.name == item.subject?.code:
                // The subject's own code: the record is still a record; it is linked by name instead.
                out.linkIssue = RowIssue(field: field.name, label: field.label, reason: reason + "；已按名称匹配主体或转信用办人工关联",
                                         kind: .identifier)
            case .invalid(let reason): fail(reason, Self.kind(of: field))
            case .held(let v, _) where confirmedCodes.contains(v):
                out.values[field.name] = v
            case .held(let v, let reason):
                out.values[field.name] = v
                out.held.append(RowIssue(field: field.name, label: field.label, reason: reason, kind: .checkCharacter))
            }
        }
        for rule in item.rules { check(rule, item: item, values: out.values, today: today, into: &out) }
        return out
    }

    enum Outcome { case value(String), invalid(String), held(String, String) }

    /// The values of a field that takes several (`警告、罚款`, `警告；罚款`), split at any of the
    /// ``separators`` except inside a listed value that contains one (`法律、行政法规规定的其他行政处罚`
    /// is one value of 处罚类别): at each part the longest run of parts that is a listed value is taken whole.
    static func codeParts(_ raw: String, members: Set<String>) -> [String] {
        var pieces: [String] = []
        var between: [Character] = []
        var current = ""
        for c in raw {
            if separators.contains(c) {
                pieces.append(current)
                between.append(c)
                current = ""
            } else {
                current.append(c)
            }
        }
        pieces.append(current)
        var out: [String] = []
        var i = 0
        while i < pieces.count {
            var end = i
            var value = pieces[i].trimmingWhitespaceScalars
            var run = pieces[i]
            for j in i + 1 ..< max(i + 1, pieces.count) {
                run += String(between[j - 1]) + pieces[j]
                let candidate = run.trimmingWhitespaceScalars
                if members.contains(candidate) { end = j; value = candidate }
            }
            if !value.isEmpty { out.append(value) }
            i = end + 1
        }
        return out
    }

    static func kind(of field: CatalogField) -> RowIssue.Kind {
        switch field.kind {
        case .text, .date, .amount: .format
        case .code: .codeList
        case .uscc, .orgCode, .identityNumber: .identifier
        }
    }

    private func canonical(_ raw: String, field: CatalogField, row: [String: String], today: CivilDate) -> Outcome {
        switch field.kind {
        case .text:
            return .value(raw)
        case .date:
            switch FieldValues.date(raw) {
            case .value(let d): return .value(d.description)
            case .invalid(let r): return .invalid("\(field.label)：\(r)")
            }
        case .amount:
            switch FieldValues.amount(raw) {
            case .value(let a): return .value(a)
            case .invalid(let r): return .invalid("\(field.label)：\(r)")
            }
        case .code:
            let list = catalog.codeLists[field.codeList ?? ""] ?? []
            let members = codeSets[field.codeList ?? ""] ?? Set(list)
            let parts = members.contains(raw) ? [raw]   // the common case: one value as listed
                : field.multiple == true ? Self.codeParts(raw, members: members)
                : [raw.precomposedStringWithCompatibilityMapping]
            for p in parts where !members.contains(p) && !(field.codeList == "zjlx" && p.hasPrefix("其他-") && p.count > 3) {
                let extra = field.codeList == "zjlx" ? "，或以“其他-”开头注明" : ""
                return .invalid("\(field.label)“\(p)”不在代码表中，应为：\(list.joined(separator: "；"))\(extra)")
            }
            return .value(parts.joined(separator: "；"))
        case .uscc:
            let c = identifiers.checkUSCC(raw, withRegion: false)
            if c.valid { return .value(c.normalized!) }
            if c.reason?.contains("校验位") == true, let n = c.normalized, n.count == 18 {
                return .held(n, "\(field.label)：\(c.reason!)。早期试点赋码可能如此，已暂存待信用办确认")
            }
            return .invalid("\(field.label)：\(c.reason ?? "统一社会信用代码无效")")
        case .orgCode:
            let c = identifiers.checkOrgCode(raw)
            return c.valid ? .value(c.normalized!) : .invalid("\(field.label)：\(c.reason ?? "组织机构代码无效")")
        case .identityNumber:
            let type = (row[field.typeField ?? ""] ?? "").trimmingWhitespaceScalars
            guard type == "身份证" else { return .value(raw) }
            let c = identifiers.checkResidentID(raw, today: today)
            return c.valid ? .value(c.normalized!) : .invalid("\(field.label)：\(c.reason ?? "公民身份号码无效")")
        }
    }

    private func check(_ rule: CatalogRule, item: CatalogItem, values: [String: String], today: CivilDate, into out: inout ValidatedRow) {
        func issue(_ field: String?) {
            out.errors.append(RowIssue(field: field, label: field.flatMap { item.field($0)?.label }, reason: rule.message,
                                       kind: rule.kind == .requiredWhen || rule.kind == .requiredWhenContains ? .required : .crossField))
        }
        let fields = rule.fields ?? []
        let subject = rule.field.flatMap { values[$0] }
        func matches() -> Bool { subject.map { (rule.values ?? []).contains($0) } ?? false }
        switch rule.kind {
        case .requiredWhen:
            guard matches() else { return }
            for f in fields where values[f] == nil && !out.errors.contains(where: { $0.field == f }) && out.linkIssue?.field != f { issue(f) }
        case .emptyWhen:
            guard matches() else { return }
            for f in fields where values[f] != nil { issue(f) }
        case .requiredWhenContains:
            guard let s = subject else { return }
            // Stored values are joined by "；" (U+FF1B, bytes EF BC 9B): without an EF byte there is one.
            let wanted = rule.values ?? []
            let present = s.utf8.contains(0xEF) ? s.split(separator: "；").contains { wanted.contains(String($0)) } : wanted.contains(s)
            guard present else { return }
            for f in fields where values[f] == nil && !out.errors.contains(where: { $0.field == f }) && out.linkIssue?.field != f { issue(f) }
        case .notFuture:
            if let v = subject, let d = CivilDate(v), d > today { issue(rule.field) }
        case .dateOrder:
            guard fields.count == 2, let a = values[fields[0]].flatMap({ CivilDate($0) }),
                  let b = values[fields[1]].flatMap({ CivilDate($0) }) else { return }
            if rule.strict == true ? !(a < b) : b < a { issue(fields[1]) }
        case .codePrefixWhen:
            guard matches(), let f = fields.first, let code = values[f], let prefix = rule.prefix else { return }
            if code.hasPrefix(prefix) == (rule.negate == true) { issue(f) }
        }
    }
}
