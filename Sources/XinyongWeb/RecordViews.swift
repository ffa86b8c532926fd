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
        var id: Int64; var itemName: String; var itemCode: String; var title: String; var facts: [Fact]; var department: String; var decisionDate: String?
        var publicUntil: String?; var basis: String; var isPublic: Bool; var revoked: Bool
        /// Marked 异议处理中; and how publicity ended early (已信用修复 2026-11-20), if it did.
        var disputed: Bool; var ended: String?
    }
    struct Section {
        var code: String; var name: String; var records: [Record]; var count: Int; var empty: Bool
        /// More than one item in the section: each record says which.
        var mixed: Bool
    }

    /// The subject page's sections (信用档案 tabs), each a group of catalog items; public items the
    /// groups do not name (local items of the credit office) fall into 其他信息.
    static let groups: [(code: String, name: String, items: [String])] = ReportScope.archiveSections.map { ($0.code, $0.name, $0.items) }

    func record(_ r: CreditRecord, today: CivilDate) -> Record? {
        guard let item = catalog.item(r.itemCode) else { return nil }
        let facts = item.displayFields.compactMap { f -> Fact? in
            guard let v = r.fields[f.name], !v.isEmpty else { return nil }
            // Amounts are in 万元; the unit is said once, in the label when the label carries it.
            return Fact(label: f.label, value: f.kind == .amount && !f.label.contains("万元") ? v + " 万元" : v)
        }
        let title = item.naturalKey.first.flatMap { r.fields[$0] } ?? item.name
        return Record(id: r.id, itemName: item.name, itemCode: item.code, title: title, facts: facts.filter { $0.value != title },
                      department: departments[r.departmentCode] ?? r.departmentCode, decisionDate: r.window.decisionDate?.description,
                      publicUntil: r.window.until.map { $0.adding(days: -1).description }, basis: r.window.basis,
                      isPublic: r.isPublic(on: today), revoked: r.status == .revoked, disputed: r.disputed,
                      ended: r.endReason.map { "\($0.label)（\(r.endedOn?.description ?? "")）" })
    }

    /// The section an item's records are shown in.
    static func group(of item: String) -> String { groups.first { $0.items.contains(item) }?.code ?? "other" }

    /// The sections in order, each with its records (newest decision first); 其他信息 only when it has any.
    func sections(_ records: [CreditRecord], today: CivilDate) -> [Section] {
        let grouped = Set(Self.groups.flatMap(\.items))
        let others = catalog.items.filter { $0.openness == .public && !grouped.contains($0.code) }.map(\.code)
        let newestFirst = records.sorted { ($0.window.decisionDate?.description ?? "") > ($1.window.decisionDate?.description ?? "") }
        return (Self.groups + [("other", "其他信息", others)]).compactMap { group in
            let rs = newestFirst.filter { group.items.contains($0.itemCode) }.compactMap { record($0, today: today) }
            if group.code == "other" && rs.isEmpty { return nil }
            return Section(code: group.code, name: group.name, records: rs, count: rs.count, empty: rs.isEmpty,
                           mixed: Set(rs.map(\.itemCode)).count > 1 || group.items.count > 1)
        }
    }

    func json(_ r: CreditRecord, today: CivilDate) -> JSONValue {
        let item = catalog.item(r.itemCode)
        var fields: [(String, JSONValue)] = []
        for f in item?.displayFields ?? [] { if let v = r.fields[f.name] { fields.append((f.name, .string(v))) } }
        return .fields([
            ("decision_date", JSONValue(r.window.decisionDate?.description)),
            ("disputed", .bool(r.disputed)),
            ("end_reason", JSONValue(r.endReason?.rawValue)),
            ("ended_on", JSONValue(r.endedOn?.description)),
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
