import Foundation

/// The rules a catalog change must satisfy before it is stored: what the credit office may add
/// (local items, optional local fields on national items, code lists) and the consistency of
/// every definition. Reasons are in Chinese.
public enum CatalogRules {
    /// Item codes: lower-case letters, digits and `_`, 2–32 characters.
    public static func validateItemCode(_ code: String) -> String? {
        let ok = (2...32).contains(code.count) && code.allSatisfy { ($0.isASCII && $0.isLowercase) || $0.isASCIIDigit || $0 == "_" }
        return ok ? nil : "目录项代码应为 2–32 位小写字母、数字或下划线"
    }

    /// Problems with an item definition against the code lists that will exist with it.
    public static func problems(_ item: CatalogItem, codeLists: [String: [String]]) -> [String] {
        var out: [String] = []
        if let p = validateItemCode(item.code) { out.append(p) }
        if item.name.trimmingCharacters(in: .whitespaces).isEmpty { out.append("目录项缺少名称") }
        if item.fields.isEmpty { out.append("目录项至少要有一个字段") }
        var names = Set<String>()
        for f in item.fields {
            if !names.insert(f.name.uppercased()).inserted { out.append("字段 \(f.name) 重复") }
            if !(1...40).contains(f.name.count) || !f.name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
                out.append("字段名 \(f.name) 应为 1–40 位字母、数字或下划线")
            }
            if f.label.trimmingCharacters(in: .whitespaces).isEmpty { out.append("字段 \(f.name) 缺少中文名称") }
            if let m = f.maxLength, !(1...100_000).contains(m) { out.append("字段 \(f.name) 的最大长度应在 1–100000 之间") }
            if f.kind == .code, codeLists[f.codeList ?? ""] == nil {
                out.append("字段 \(f.name) 引用的代码表 \(f.codeList ?? "（未填）") 不存在")
            }
            if f.kind == .identityNumber, item.field(f.typeField ?? "") == nil {
                out.append("字段 \(f.name) 须用 typeField 指明其证件类型字段")
            }
        }
        if item.naturalKey.isEmpty { out.append("目录项须指定唯一标识字段（naturalKey）") }
        for k in item.naturalKey {
            if item.field(k)?.required != true { out.append("唯一标识字段 \(k) 必须是本目录项的必填字段") }
        }
        for r in item.rules {
            for f in (r.fields ?? []) + [r.field].compactMap({ $0 }) where item.field(f) == nil {
                out.append("规则引用了不存在的字段 \(f)")
            }
            if r.message.trimmingCharacters(in: .whitespaces).isEmpty { out.append("规则缺少提示信息") }
        }
        return out
    }

    /// Problems with local fields to be added to an existing item: new names, optional only
    /// (a local supplement may not make national data stricter).
    public static func problems(adding fields: [CatalogField], to item: CatalogItem, codeLists: [String: [String]]) -> [String] {
        var out: [String] = []
        for f in fields {
            if item.field(f.name) != nil { out.append("字段 \(f.name) 已存在于“\(item.name)”") }
            if f.required { out.append("补充字段 \(f.name) 只能是选填项，不能提高国家标准的必填要求") }
        }
        var extended = item
        extended.fields += fields
        return out + problems(extended, codeLists: codeLists).filter { p in fields.contains { p.contains($0.name) } }
    }

    public static func problems(codeList name: String, values: [String]) -> [String] {
        var out: [String] = []
        if !(2...40).contains(name.count) || !name.allSatisfy({ ($0.isASCII && $0.isLowercase) || $0.isASCIIDigit || $0 == "_" }) {
            out.append("代码表名称应为 2–40 位小写字母、数字或下划线")
        }
        if values.isEmpty { out.append("代码表至少要有一个取值") }
        if Set(values).count != values.count { out.append("代码表含重复取值") }
        if values.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.count > 100 }) {
            out.append("代码表取值不能为空，且不超过 100 个字")
        }
        return out
    }
}

/// Local changes the credit office made, laid over the shipped catalog.
public struct CatalogSupplement: Sendable, Equatable {
    public var items: [CatalogItem]
    public var fields: [String: [CatalogField]]
    public var codeLists: [String: [String]]
    /// The rights rules in force, when the credit office replaced the shipped ones (their publicity periods apply).
    public var rights: RightsRules?
    public init(items: [CatalogItem] = [], fields: [String: [CatalogField]] = [:], codeLists: [String: [String]] = [:], rights: RightsRules? = nil) {
        self.items = items; self.fields = fields; self.codeLists = codeLists; self.rights = rights
    }
}

extension Catalog {
    /// The catalog with the credit office's supplement: new code lists, new items, and local
    /// optional fields appended to existing items.
    public func applying(_ s: CatalogSupplement) -> Catalog {
        var c = self
        for (name, values) in s.codeLists {
            if let shipped = c.codeLists[name] {
                // An extensible shipped list: the local values are added after the shipped ones.
                if c.extensibleCodeLists?.contains(name) == true { c.codeLists[name] = shipped + values.filter { !shipped.contains($0) } }
            } else {
                c.codeLists[name] = values
            }
        }
        for item in s.items where c.item(item.code) == nil { c.items.append(item) }
        for i in c.items.indices {
            c.items[i].fields += (s.fields[c.items[i].code] ?? []).filter { c.items[i].field($0.name) == nil }
        }
        if !s.items.isEmpty || !s.fields.isEmpty || !s.codeLists.isEmpty { c.version += "+local" }
        return c.applying(publicity: s.rights)
    }
}
