import Foundation

/// The public credit information catalog as data: items (行政许可, 行政处罚, …) with their
/// fields, natural key, openness and cross-field rules. Shipped items come from
/// `Resources/catalog.json`; the credit office's local items use the same Codable shape.
public struct Catalog: Sendable, Codable, Equatable {
    public var version: String
    public var codeLists: [String: [String]]
    public var items: [CatalogItem]
    /// How long records are public (penalty periods by severity and rule set).
    public var publicity: PublicityRules?
    /// Shipped code lists whose values are not confirmed national standard ([U]): the credit
    /// office may add local values to them.
    public var extensibleCodeLists: [String]?

    public var publicityRules: PublicityRules { publicity ?? PublicityRules(seriousKinds: [], minorKinds: [], penaltySets: []) }

    public static let shipped: Catalog = {
        guard let url = Bundle.module.url(forResource: "catalog", withExtension: "json"),
              let data = try? Data(contentsOf: url),
              let catalog = try? JSONDecoder().decode(Catalog.self, from: data) else {
            return Catalog(version: "missing", codeLists: [:], items: [])
        }
        return catalog
    }()

    public func item(_ code: String) -> CatalogItem? { items.first { $0.code == code } }
}

/// 公开 / 政务共享 / 授权查询.
public enum Openness: String, Sendable, Codable, CaseIterable {
    case `public`, shared, authorized
    public var label: String {
        switch self {
        case .public: "公开"
        case .shared: "政务共享"
        case .authorized: "授权查询"
        }
    }
}

public struct CatalogItem: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var category: String
    public var openness: Openness
    /// How the publicity window is determined (e.g. `validity` for a licence: from decision to validity end).
    public var publicity: String
    public var fields: [CatalogField]
    /// The fields that identify a record: a resubmission with the same key is the same record.
    public var naturalKey: [String]
    public var rules: [CatalogRule]
    /// Which fields name the record's subject, for linking records to the registry.
    public var subject: SubjectBinding?
    /// The fields the publicity rule reads.
    public var publicityFields: PublicityFields?
    /// The fields a public record page shows, in order (identity numbers are never among them).
    public var display: [String]?
    /// What the credit office should know about the item (e.g. an unconfirmed openness, marked [U]).
    public var note: String?

    /// How many optional fields a record fills, of how many the item has (completeness).
    public func optionalFilled(_ values: [String: String]) -> (filled: Int, total: Int) {
        var filled = 0, total = 0
        for f in fields where !f.required {
            total += 1
            if let v = values[f.name], !v.isEmpty { filled += 1 }
        }
        return (filled, total)
    }

    /// The fields shown publicly: `display`, or every field but identity numbers and their types.
    public var displayFields: [CatalogField] {
        let names = display ?? fields.map(\.name)
        return names.compactMap { field($0) }.filter { $0.kind != .identityNumber && $0.codeList != "zjlx" }
    }

    public struct SubjectBinding: Sendable, Codable, Equatable {
        public var name: String
        /// The 行政相对人类别 field (法人及非法人组织 / 自然人 / 个体工商户).
        public var category: String?
        /// The credit-code field.
        public var code: String?
        public var idType: String?
        public var idNumber: String?
        public init(name: String, category: String? = nil, code: String? = nil, idType: String? = nil, idNumber: String? = nil) {
            self.name = name; self.category = category; self.code = code; self.idType = idType; self.idNumber = idNumber
        }
    }

    public init(code: String, name: String, category: String, openness: Openness, publicity: String,
                fields: [CatalogField], naturalKey: [String], rules: [CatalogRule], subject: SubjectBinding? = nil) {
        self.code = code; self.name = name; self.category = category; self.openness = openness
        self.publicity = publicity; self.fields = fields; self.naturalKey = naturalKey; self.rules = rules; self.subject = subject
    }

    public func field(_ name: String) -> CatalogField? { fields.first { $0.name == name } }

    /// The field a file column header names: by field name (XK_WSH, any case) or Chinese label.
    public func field(forHeader header: String) -> CatalogField? {
        let h = header.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces)
        let plain = h.replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "（必填）", with: "")
            .replacingOccurrences(of: "(必填)", with: "").trimmingCharacters(in: .whitespaces)
        return fields.first {
            $0.name.caseInsensitiveCompare(plain) == .orderedSame || $0.label.precomposedStringWithCompatibilityMapping == plain
        }
    }
}

public struct CatalogField: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case text, date, amount, code, uscc, orgCode = "org_code"
        /// A document number for a natural person or legal representative, checked by its 证件类型.
        case identityNumber = "identity_number"
    }

    public var name: String
    public var label: String
    public var kind: Kind
    public var required: Bool
    public var maxLength: Int?
    /// For `code` fields: the code list's name in ``Catalog/codeLists``.
    public var codeList: String?
    /// For `code` fields: several values separated by ；; , 、 (e.g. a penalty with several kinds).
    public var multiple: Bool?
    /// For `identity_number` fields: the field holding its 证件类型.
    public var typeField: String?

    public init(name: String, label: String, kind: Kind, required: Bool, maxLength: Int? = nil, codeList: String? = nil,
                multiple: Bool? = nil, typeField: String? = nil) {
        self.name = name; self.label = label; self.kind = kind; self.required = required; self.maxLength = maxLength
        self.codeList = codeList; self.multiple = multiple; self.typeField = typeField
    }
}

/// Cross-field rules, as data.
public struct CatalogRule: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// `fields` are required when `field` equals one of `values`.
        case requiredWhen = "required_when"
        /// `fields` must be empty when `field` equals one of `values`.
        case emptyWhen = "empty_when"
        /// `fields` are required when the multi-valued `field` contains one of `values`.
        case requiredWhenContains = "required_when_contains"
        /// The date in `field` is not after today.
        case notFuture = "not_future"
        /// The dates in `fields[0]` ≤ `fields[1]` (or `<` when `strict`).
        case dateOrder = "date_order"
        /// When `field` equals one of `values`, the credit code in `fields[0]` starts with `prefix`
        /// (or, with `negate`, does not).
        case codePrefixWhen = "code_prefix_when"
    }

    public var kind: Kind
    public var field: String?
    public var values: [String]?
    public var fields: [String]?
    public var strict: Bool?
    public var prefix: String?
    public var negate: Bool?
    /// The Chinese message shown when the rule fails.
    public var message: String

    public init(kind: Kind, field: String? = nil, values: [String]? = nil, fields: [String]? = nil, strict: Bool? = nil,
                prefix: String? = nil, negate: Bool? = nil, message: String) {
        self.kind = kind; self.field = field; self.values = values; self.fields = fields; self.strict = strict
        self.prefix = prefix; self.negate = negate; self.message = message
    }
}

extension CatalogField {
    /// What a clerk must write in this field, in Chinese: the template's instructions and the
    /// published quality rules both read it from here.
    public func fillingHint(codeLists: [String: [String]]) -> String {
        var parts: [String] = [required ? "必填" : "选填"]
        switch kind {
        case .text: parts.append("文本")
        case .date: parts.append("日期，可写 2024-01-05、2024/1/5、2024年1月5日、20240105，或 Excel 日期单元格")
        case .amount: parts.append("金额（万元），写数字，可带小数（如 0.5 表示 5000 元）；不写单位和千分位以外的符号")
        case .code:
            let list = codeLists[codeList ?? ""] ?? []
            parts.append("从代码表中选择：\(list.joined(separator: "、"))")
            if multiple == true { parts.append("可填多个，用“；”分隔") }
            if codeList == "zjlx" { parts.append("其他证件写“其他-证件名称”") }
        case .uscc: parts.append("18 位统一社会信用代码，按 GB 32100 校验")
        case .orgCode: parts.append("9 位组织机构代码，按 GB 11714 校验")
        case .identityNumber: parts.append("证件号码；证件类型为身份证时按 GB 11643 校验（18 位，末位可为 X）")
        }
        if let maxLength { parts.append("不超过 \(maxLength) 个字") }
        return parts.joined(separator: "；")
    }
}
