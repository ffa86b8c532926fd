import Foundation
import XinyongCore

/// The workbooks intake hands to departments.
public enum Workbooks {
    /// An item's Excel template: a 填报 sheet with the Chinese labels (required ones marked `*`
    /// and in red), columns formatted as text so codes and identity numbers keep every digit,
    /// drop-down lists for code fields, and a 填写说明 sheet explaining each field and rule.
    public static func template(_ item: CatalogItem, catalog: Catalog) throws -> Data {
        try XLSXWriter.workbook([entrySheet(item, catalog: catalog, rows: []), instructions(item, catalog: catalog)])
    }

    /// The rows a submission rejected, in the template with 原行号 and 错误原因 in front: fix in
    /// place and upload again (the two extra columns are ignored on upload).
    public static func rejectedRows(_ summary: SubmissionSummary, item: CatalogItem, catalog: Catalog) throws -> Data {
        let table = FileIntake.rejectedRows(summary, item: item)
        var sheet = entrySheet(item, catalog: catalog, rows: table.rows.map { $0.map { XLSXWriter.Cell.text($0) } })
        sheet.columns.insert(contentsOf: [XLSXWriter.Column(FileIntake.rowHeader, width: 8),
                                          XLSXWriter.Column(FileIntake.reasonHeader, width: 60, emphasized: true)], at: 0)
        return try XLSXWriter.workbook([sheet, instructions(item, catalog: catalog)])
    }

    static func entrySheet(_ item: CatalogItem, catalog: Catalog, rows: [[XLSXWriter.Cell]]) -> XLSXWriter.Sheet {
        let columns = zip(item.fields, FileIntake.headers(item)).map { field, title in
            XLSXWriter.Column(title, width: max(12, min(40, Double(title.count) * 2.2)),
                              choices: field.kind == .code && field.multiple != true ? catalog.codeLists[field.codeList ?? ""] : nil,
                              emphasized: field.required)
        }
        return XLSXWriter.Sheet(name: "填报", columns: columns, rows: rows, preparedRows: 1000)
    }

    static func instructions(_ item: CatalogItem, catalog: Catalog) -> XLSXWriter.Sheet {
        var rows: [[XLSXWriter.Cell]] = item.fields.map { f in
            [.text(f.label), .text(f.name), .text(f.fillingHint(codeLists: catalog.codeLists))]
        }
        rows.append([])
        rows.append([.text("跨字段规则"), .text(""), .text("")])
        rows += item.rules.map { [.text(""), .text(""), .text($0.message)] }
        rows.append([])
        rows.append([.text("说明"), .text(""), .text("列的顺序可以调整，表头须为中文列名（带不带 * 均可）或字段名。同一“\(item.naturalKey.compactMap { item.field($0)?.label }.joined(separator: "＋"))”再次报送视为同一条记录：内容相同不重复入库，内容变化保留历史版本。")])
        return XLSXWriter.Sheet(name: "填写说明", columns: [XLSXWriter.Column("列名", width: 30), XLSXWriter.Column("字段名", width: 16),
                                                          XLSXWriter.Column("填写要求", width: 90)], rows: rows, wrapText: true)
    }
}
