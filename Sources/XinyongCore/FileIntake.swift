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
            if reservedHeaders.contains(text) {   // a downloaded rejected-rows file, fixed and sent back
                names.append("")
                continue
            }
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
        raw.reserveCapacity(columns.count)
        for (i, value) in record.fields.enumerated() where i < columns.count && !columns[i].isEmpty {
            raw[columns[i]] = value.utf8.first == UInt8(ascii: "'") && value.dropFirst().first.map { Self.formulaStarts.contains($0) } == true
                ? String(value.dropFirst()) : value
        }
        let extra = record.fields.dropFirst(columns.count).filter { !$0.trimmingWhitespaceScalars.isEmpty }
        var result = validator.validate(raw, item: item, today: today, keysKnown: true)
        if !extra.isEmpty {
            result.errors.insert(RowIssue(field: nil, label: nil,
                                          reason: "这一行有 \(record.fields.count) 列，多于表头的 \(columns.count) 列（可能含有未加引号的逗号）",
                                          kind: .columns), at: 0)
        }
        return IntakeRow(number: record.line, raw: raw, result: result)
    }

    /// Columns a rejected-rows file adds in front of the template's; ignored when it comes back.
    public static let reservedHeaders: Set<String> = [rowHeader, reasonHeader]
    public static let rowHeader = "原行号"
    static let formulaStarts: Set<Character> = ["=", "+", "@"]
    public static let reasonHeader = "错误原因"

    /// The template's column titles: the Chinese labels, required ones marked with `*`.
    public static func headers(_ item: CatalogItem) -> [String] {
        item.fields.map { $0.label + ($0.required ? "*" : "") }
    }

    /// The CSV template for an item: a UTF-8 BOM (so Excel reads Chinese correctly) and the headers.
    public static func csvTemplate(_ item: CatalogItem) -> String {
        "\u{FEFF}" + csvLine(headers(item))
    }

    /// The rows a submission rejected, as the template with the original row number and the
    /// reasons in front: fix them in place and upload the file again.
    public static func rejectedRows(_ summary: SubmissionSummary, item: CatalogItem) -> (headers: [String], rows: [[String]]) {
        let rows = summary.rows.filter { $0.outcome == "rejected" }.map { r in
            [String(r.row), r.issues.map(\.reason).joined(separator: "；")] + item.fields.map { r.raw[$0.name] ?? "" }
        }
        return ([rowHeader, reasonHeader] + headers(item), rows)
    }

    public static func csvRejectedRows(_ summary: SubmissionSummary, item: CatalogItem) -> String {
        let table = rejectedRows(summary, item: item)
        return "\u{FEFF}" + csvLine(table.headers) + table.rows.map(csvLine).joined()
    }

    /// One CSV record (RFC 4180, CRLF), quoting what needs it. A value Excel would run as a formula
    /// (`=`, `+`, `@` first) gets a leading `'`, which intake removes again when the file comes back.
    public static func csvLine(_ values: [String]) -> String {
        values.map { value in
            let v = value.first.map { formulaStarts.contains($0) } == true ? "'" + value : value
            return v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
        }.joined(separator: ",") + "\r\n"
    }
}
