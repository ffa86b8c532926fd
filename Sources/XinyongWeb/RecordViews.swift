import Foundation
import XinyongCore

/// Credit records as people read them: per catalog item, the item's display fields with their
/// Chinese labels (identity numbers never among them), the source department and the window.
struct RecordViews {
    let catalog: Catalog
    let departments: [String: String]

    init(catalog: Catalog, departments: [Department]) {
        self.catalog = catalog
        self.departments = Dictionary(departments.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    struct Fact { var label: String; var value: String }
    struct Record {
        var id: Int64; var title: String; var facts: [Fact]; var department: String; var decisionDate: String?
        var publicUntil: String?; var basis: String; var isPublic: Bool; var revoked: Bool
    }
    struct Section { var code: String; var name: String; var records: [Record]; var count: Int; var empty: Bool }

    func record(_ r: CreditRecord, today: CivilDate) -> Record? {
        guard let item = catalog.item(r.itemCode) else { return nil }
        let facts = item.displayFields.compactMap { f -> Fact? in
            guard let v = r.fields[f.name], !v.isEmpty else { return nil }
            // Amounts are in 万元; the unit is said once, in the label when the label carries it.
            return Fact(label: f.label, value: f.kind == .amount && !f.label.contains("万元") ? v + " 万元" : v)
        }
        let title = item.naturalKey.first.flatMap { r.fields[$0] } ?? item.name
        return Record(id: r.id, title: title, facts: facts.filter { $0.value != title },
                      department: departments[r.departmentCode] ?? r.departmentCode, decisionDate: r.window.decisionDate?.description,
                      publicUntil: r.window.until.map { $0.adding(days: -1).description }, basis: r.window.basis,
                      isPublic: r.isPublic(on: today), revoked: r.status == .revoked)
    }

    /// One section per public catalog item, in catalog order, each with its records.
    func sections(_ records: [CreditRecord], today: CivilDate) -> [Section] {
        catalog.items.filter { $0.openness == .public }.map { item in
            let rs = records.filter { $0.itemCode == item.code }.compactMap { record($0, today: today) }
            return Section(code: item.code, name: item.name, records: rs, count: rs.count, empty: rs.isEmpty)
        }
    }

    func json(_ r: CreditRecord, today: CivilDate) -> JSONValue {
        let item = catalog.item(r.itemCode)
        var fields: [(String, JSONValue)] = []
        for f in item?.displayFields ?? [] { if let v = r.fields[f.name] { fields.append((f.name, .string(v))) } }
        return .fields([
            ("decision_date", JSONValue(r.window.decisionDate?.description)),
            ("department", .string(r.departmentCode)),
            ("department_name", JSONValue(departments[r.departmentCode])),
            ("fields", .fields(fields.sorted { $0.0 < $1.0 })),
            ("id", .int(Int(r.id))),
            ("item", .string(r.itemCode)),
            ("item_name", JSONValue(item?.name)),
            ("public", .bool(r.isPublic(on: today))),
            ("public_from", JSONValue(r.window.from?.description)),
            ("public_until", JSONValue(r.window.until.map { $0.adding(days: -1).description })),
            ("publicity_basis", .string(r.window.basis)),
            ("status", .string(r.status.rawValue)),
            ("version", .int(r.version)),
        ])
    }
}
