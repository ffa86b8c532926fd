import Foundation

/// A local catalog item (市级补充目录) as the credit office types it in the console: the item's
/// attributes, and its fields one per line as `字段名，中文名，类型，必填或选填[，代码表][，最大长度]`.
/// Parsing says which line is wrong and why; the item's consistency is then checked by
/// ``CatalogRules`` like any item from the API.
public struct LocalItemForm: Sendable, Equatable {
    public var code: String
    public var name: String
    public var category: String
    public var openness: String
    public var publicity: String
    public var fields: String
    public var naturalKey: String
    public var subjectName: String
    public var subjectCode: String
    public var decisionDate: String
    public var validUntil: String

    public init(code: String = "", name: String = "", category: String = "", openness: String = "public", publicity: String = "validity",
                fields: String = "", naturalKey: String = "", subjectName: String = "", subjectCode: String = "",
                decisionDate: String = "", validUntil: String = "") {
        self.code = code; self.name = name; self.category = category; self.openness = openness; self.publicity = publicity
        self.fields = fields; self.naturalKey = naturalKey; self.subjectName = subjectName; self.subjectCode = subjectCode
        self.decisionDate = decisionDate; self.validUntil = validUntil
    }

    /// The field kinds by their Chinese names (or their own names).
    static let kinds: [String: CatalogField.Kind] = [
        "文本": .text, "日期": .date, "金额": .amount, "代码": .code, "代码表": .code, "统一社会信用代码": .uscc, "组织机构代码": .orgCode,
        "text": .text, "date": .date, "amount": .amount, "code": .code, "uscc": .uscc, "org_code": .orgCode,
    ]
    public static let publicityRules = ["validity", "list", "decision", "none"]

    /// The item, or the first problem with what was typed.
    public func item() throws(DomainError) -> CatalogItem {
        let code = code.trimmingCharacters(in: .whitespaces).lowercased()
        if let p = CatalogRules.validateItemCode(code) { throw .invalid(field: "code", reason: p) }
        let name = name.trimmingCharacters(in: .whitespaces)
        guard (2...40).contains(name.count) else { throw .invalid(field: "name", reason: "目录项名称应为 2–40 个字") }
        let category = category.trimmingCharacters(in: .whitespaces)
        guard (2...40).contains(category.count) else { throw .invalid(field: "category", reason: "信息类别应为 2–40 个字，如“行政管理信息”") }
        guard let openness = Openness(rawValue: openness) else { throw .invalid(field: "openness", reason: "请选择公开属性") }
        guard Self.publicityRules.contains(publicity) else { throw .invalid(field: "publicity", reason: "请选择公示规则") }
        var parsed: [CatalogField] = []
        for (i, raw) in fields.split(whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let parts = line.split(whereSeparator: { $0 == "," || $0 == "，" }).map { $0.trimmingCharacters(in: .whitespaces) }
            func bad(_ why: String) -> DomainError { .invalid(field: "fields", reason: "字段第 \(i + 1) 行“\(line.prefix(40))”：\(why)") }
            guard parts.count >= 4 else { throw bad("应为“字段名，中文名，类型，必填或选填”，可再加代码表和最大长度") }
            guard let kind = Self.kinds[parts[2]] else { throw bad("类型应为 文本、日期、金额、代码、统一社会信用代码 或 组织机构代码") }
            guard ["必填", "选填"].contains(parts[3]) else { throw bad("第四项应为“必填”或“选填”") }
            var codeList: String?
            var maxLength: Int?
            for extra in parts.dropFirst(4) where !extra.isEmpty {
                if let n = Int(extra) { maxLength = n } else { codeList = extra }
            }
            if kind == .code && codeList == nil { throw bad("代码类型的字段要写明代码表名称") }
            parsed.append(CatalogField(name: parts[0].uppercased(), label: parts[1], kind: kind, required: parts[3] == "必填",
                                       maxLength: maxLength, codeList: codeList))
        }
        func fieldName(_ s: String, _ what: String, field: String) throws(DomainError) -> String? {
            let n = s.trimmingCharacters(in: .whitespaces).uppercased()
            if n.isEmpty { return nil }
            guard parsed.contains(where: { $0.name == n }) else { throw .invalid(field: field, reason: "\(what)“\(n)”不在字段中") }
            return n
        }
        var key: [String] = []
        for k in naturalKey.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "+" || $0 == " " }) {
            if let n = try fieldName(String(k), "唯一标识字段", field: "natural_key") { key.append(n) }
        }
        var item = CatalogItem(code: code, name: name, category: category, openness: openness, publicity: publicity,
                               fields: parsed, naturalKey: key, rules: [])
        if let subject = try fieldName(subjectName, "主体名称字段", field: "subject_name") {
            item.subject = .init(name: subject, code: try fieldName(subjectCode, "主体代码字段", field: "subject_code"))
        }
        let decided = try fieldName(decisionDate, "决定日期字段", field: "decision_date")
        let until = try fieldName(validUntil, "有效期至字段", field: "valid_until")
        if decided != nil || until != nil { item.publicityFields = .init(decisionDate: decided, validUntil: until) }
        if publicity != "none" && openness == .public && decided == nil {
            throw .invalid(field: "decision_date", reason: "公开并公示的目录项须指明决定日期字段，公示期从该日起算")
        }
        return item
    }
}
