import Foundation
import SQLKit
import XinyongCore

extension SQLPlatformStore {
    private struct LocalRow: Decodable { var kind: String; var key: String; var definition: String }

    public func catalogSupplement() async throws -> CatalogSupplement {
        let rows = try await db.raw("SELECT kind, key, definition FROM catalog_local ORDER BY kind, key").all(decoding: LocalRow.self)
        let decoder = JSONDecoder()
        var s = CatalogSupplement()
        for r in rows {
            let data = Data(r.definition.utf8)
            switch r.kind {
            case "item": s.items.append(try decoder.decode(CatalogItem.self, from: data))
            case "fields": s.fields[r.key] = try decoder.decode([CatalogField].self, from: data)
            case "code_list": s.codeLists[r.key] = try decoder.decode([String].self, from: data)
            default: continue
            }
        }
        s.rights = try await storedRightsRules()
        return s
    }

    public func putLocalItem(_ item: CatalogItem, actor: String) async throws {
        let catalog = try await self.catalog()
        if Catalog.shipped.item(item.code) != nil {
            throw DomainError.conflict("“\(item.code)”是国家基础目录项，不能替换；如需补充字段，请使用添加字段")
        }
        let problems = CatalogRules.problems(item, codeLists: catalog.codeLists)
        guard problems.isEmpty else { throw DomainError.invalid(field: "item", reason: problems.joined(separator: "；")) }
        try await putLocal(kind: "item", key: item.code, definition: try Self.json(item), actor: actor)
    }

    public func addLocalFields(_ fields: [CatalogField], to itemCode: String, actor: String) async throws {
        let catalog = try await self.catalog()
        guard let item = catalog.item(itemCode) else { throw DomainError.notFound(what: "目录项 \(itemCode)") }
        guard !fields.isEmpty else { throw DomainError.invalid(field: "fields", reason: "请至少提供一个字段") }
        let problems = CatalogRules.problems(adding: fields, to: item, codeLists: catalog.codeLists)
        guard problems.isEmpty else { throw DomainError.invalid(field: "fields", reason: problems.joined(separator: "；")) }
        let existing = try await catalogSupplement().fields[itemCode] ?? []
        try await putLocal(kind: "fields", key: itemCode, definition: try Self.json(existing + fields), actor: actor)
    }

    public func putCodeList(_ name: String, values: [String], actor: String) async throws {
        if Catalog.shipped.codeLists[name] != nil, Catalog.shipped.extensibleCodeLists?.contains(name) != true {
            throw DomainError.conflict("“\(name)”是国家标准代码表，不能替换")
        }
        let problems = CatalogRules.problems(codeList: name, values: values)
        guard problems.isEmpty else { throw DomainError.invalid(field: "values", reason: problems.joined(separator: "；")) }
        try await putLocal(kind: "code_list", key: name, definition: try Self.json(values), actor: actor)
    }

    static func json(_ value: some Encodable) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }

    /// Inserts or replaces one local definition, keeping the replaced one as a version.
    private func putLocal(kind: String, key: String, definition: String, actor: String) async throws {
        let now = Clock.millis()
        try await database.transaction { db in
            struct Current: Decodable { var version: Int; var definition: String }
            if let current = try await db.raw("""
                SELECT version, definition FROM catalog_local WHERE kind = \(bind: kind) AND key = \(bind: key)
                """).first(decoding: Current.self) {
                try await db.raw("""
                    INSERT INTO catalog_local_versions (kind, key, version, definition, replaced_at, replaced_by)
                    VALUES (\(bind: kind), \(bind: key), \(bind: current.version), \(bind: current.definition), \(bind: now), \(bind: actor))
                    """).run()
                try await db.raw("""
                    UPDATE catalog_local SET version = version + 1, definition = \(bind: definition), updated_at = \(bind: now),
                        updated_by = \(bind: actor) WHERE kind = \(bind: kind) AND key = \(bind: key)
                    """).run()
            } else {
                try await db.raw("""
                    INSERT INTO catalog_local (kind, key, version, definition, updated_at, updated_by)
                    VALUES (\(bind: kind), \(bind: key), 1, \(bind: definition), \(bind: now), \(bind: actor))
                    """).run()
            }
        }
    }

    /// How many replaced versions of a local definition are kept, for audits and tests.
    public func catalogLocalVersions(kind: String, key: String) async throws -> Int {
        try await db.raw("SELECT count(*) AS n FROM catalog_local_versions WHERE kind = \(bind: kind) AND key = \(bind: key)")
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }
}
