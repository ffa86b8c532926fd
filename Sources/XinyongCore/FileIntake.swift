import Foundation

/// Turns the records of a tabular file (CSV now; xlsx later) into validated intake rows: the first
/// record is the header, matched to the item's fields by name or Chinese label in any order.
/// A header the platform cannot use refuses the whole file; a bad row is only that row's problem.
public struct FileIntake: Sendable {
    public let item: CatalogItem
    public let validator: CatalogValidator
    public let today: CivilDate
    public private(set) var columns: [String]?
    public private(set) var rows: [IntakeRow] = []

    public init(item: CatalogItem, validator: CatalogValidator, today: CivilDate) {
        self.item = item
        self.validator = validator
        self.today = today
    }

    public mutating func add(_ records: [CSVReader.Record]) throws(DomainError) {
        for record in records {
            guard let columns else {
                columns = try Self.mapHeader(record.fields, item: item)
                continue
            }
            rows.append(row(record, columns: columns))
        }
    }

    /// Takes the rows validated so far, for chunked application.
    public mutating func drain() -> [IntakeRow] {
        defer { rows.removeAll(keepingCapacity: true) }
        return rows
    }

    /// Ends the file: an empty file or one with only a header is refused.
    public func finish() throws(DomainError) -> [IntakeRow] {
        guard columns != nil else { throw .invalid(field: "file", reason: "文件为空：第一行应为表头（字段名或中文列名）") }
        guard !rows.isEmpty else { throw .invalid(field: "file", reason: "文件只有表头，没有数据行") }
        return rows
    }

    static func mapHeader(_ header: [String], item: CatalogItem) throws(DomainError) -> [String] {
        var names: [String] = []
        var unknown: [String] = []
        var seen = Set<String>()
        for (i, h) in header.enumerated() {
            let text = h.trimmingCharacters(in: .whitespaces)
            guard let f = item.field(forHeader: text) else {
                unknown.append(text.isEmpty ? "第 \(i + 1) 列（空表头）" : "“\(text)”")
                names.append("")
                continue
            }
            guard seen.insert(f.name).inserted else {
                throw .invalid(field: "header", reason: "表头中“\(f.label)”出现了两次")
            }
            names.append(f.name)
        }
        if !unknown.isEmpty {
            throw .invalid(field: "header", reason: "表头中的 \(unknown.joined(separator: "、")) 不是“\(item.name)”的字段；请使用下载的模板（列的顺序可以调整）")
        }
        let missing = item.fields.filter { $0.required && !seen.contains($0.name) }.map(\.label)
        if !missing.isEmpty {
            throw .invalid(field: "header", reason: "缺少必填列：\(missing.joined(separator: "、"))")
        }
        return names
    }

    func row(_ record: CSVReader.Record, columns: [String]) -> IntakeRow {
        var raw: [String: String] = [:]
        for (i, value) in record.fields.enumerated() where i < columns.count { raw[columns[i]] = value }
        let extra = record.fields.dropFirst(columns.count).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        var result = validator.validate(raw, item: item, today: today)
        if !extra.isEmpty {
            result.errors.insert(RowIssue(field: nil, label: nil,
                                          reason: "这一行有 \(record.fields.count) 列，多于表头的 \(columns.count) 列（可能含有未加引号的逗号）"), at: 0)
        }
        return IntakeRow(number: record.line, raw: raw, result: result)
    }

    /// The CSV template for an item: a UTF-8 BOM (so Excel reads Chinese correctly) and the
    /// Chinese labels, required ones marked with `*`.
    public static func csvTemplate(_ item: CatalogItem) -> String {
        "\u{FEFF}" + item.fields.map { f in
            let label = f.label + (f.required ? "*" : "")
            return label.contains(",") || label.contains("\"") ? "\"" + label.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : label
        }.joined(separator: ",") + "\r\n"
    }
}
