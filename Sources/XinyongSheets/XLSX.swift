import Foundation
import XinyongCore
import ZIPFoundation

/// Reads the first worksheet of an .xlsx workbook as records (the same shape the CSV reader
/// gives), refusing files that are not workbooks or that would blow up on decompression.
public final class XLSXReader {
    public struct Limits: Sendable {
        /// Uncompressed bytes of the worksheet part (the sheet is scanned as a stream; this bounds the work).
        public var maxSheetBytes: Int64
        /// Uncompressed bytes of the shared-string table, which is held in memory.
        public var maxSharedStringBytes: Int
        public var maxSharedStrings: Int
        /// No entry may expand more than this many times its compressed size (zip bombs reach thousands).
        public var maxCompressionRatio: Int64
        public init(maxSheetBytes: Int64 = 1 << 30, maxSharedStringBytes: Int = 64 << 20, maxSharedStrings: Int = 2_000_000,
                    maxCompressionRatio: Int64 = 200) {
            self.maxSheetBytes = maxSheetBytes
            self.maxSharedStringBytes = maxSharedStringBytes
            self.maxSharedStrings = maxSharedStrings
            self.maxCompressionRatio = maxCompressionRatio
        }
    }

    private let archive: Archive
    private let limits: Limits
    private let sheetPath: String
    private var shared: [String] = []

    /// A workbook held in memory (an upload).
    public convenience init(data: Data, limits: Limits = Limits()) throws(XLSXFailure) {
        try Self.checkMagic(data.prefix(8))
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch { throw Self.notAWorkbook }
        try self.init(archive: archive, limits: limits)
    }

    /// A workbook on disk (`xinyong import`).
    public convenience init(url: URL, limits: Limits = Limits()) throws(XLSXFailure) {
        let head = (try? FileHandle(forReadingFrom: url).read(upToCount: 8)) ?? nil
        try Self.checkMagic(head ?? Data())
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch { throw Self.notAWorkbook }
        try self.init(archive: archive, limits: limits)
    }

    private init(archive: Archive, limits: Limits) throws(XLSXFailure) {
        self.archive = archive
        self.limits = limits
        sheetPath = try Self.firstSheetPath(archive, limits: limits)
        if let entry = archive["xl/sharedStrings.xml"] {
            var scanner = SheetScanner(mode: .sharedStrings, maxStrings: limits.maxSharedStrings, maxStringBytes: limits.maxSharedStringBytes)
            // The table is text held in memory: bound its expansion by the string limit (plus markup).
            try Self.stream(entry, in: archive, limit: Int64(limits.maxSharedStringBytes) * 4 + (1 << 20), ratio: limits.maxCompressionRatio) { chunk throws(XLSXFailure) in
                _ = try scanner.feed(chunk, shared: [])
            }
            try scanner.finish()
            shared = scanner.strings
        }
    }

    static let notAWorkbook = XLSXFailure("文件不是有效的 Excel 工作簿（.xlsx）：无法按 ZIP 格式打开。请在 Excel 中“另存为”Excel 工作簿（.xlsx）或 CSV 后重新上传")

    private static func checkMagic(_ head: Data) throws(XLSXFailure) {
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw XLSXFailure("这是旧版 Excel 97-2003 文件（.xls），平台只接收 .xlsx 或 CSV：请在 Excel 中“另存为”Excel 工作簿（.xlsx）后重新上传")
        }
        guard head.starts(with: [0x50, 0x4B, 0x03, 0x04]) else { throw notAWorkbook }
    }

    /// Calls `body` with the decompressed bytes of an entry, chunk by chunk, refusing it once it
    /// expands beyond `limit` bytes or `ratio` times its compressed size (a zip bomb stops there,
    /// long before memory or time run out).
    private static func stream(_ entry: Entry, in archive: Archive, limit: Int64, ratio: Int64,
                               _ body: (Data) throws(XLSXFailure) -> Void) throws(XLSXFailure) {
        let cap = min(limit, max(Int64(entry.compressedSize), 4096) * ratio)
        if Int64(entry.uncompressedSize) > cap { throw bomb(entry) }
        var total: Int64 = 0
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 16) { chunk in
                total += Int64(chunk.count)
                if total > cap { throw bomb(entry) }
                try body(chunk)
            }
        } catch let f as XLSXFailure {
            throw f
        } catch {
            throw XLSXFailure("工作簿中的 \(entry.path) 已损坏（\(error)），未导入任何记录")
        }
    }

    private static func bomb(_ entry: Entry) -> XLSXFailure {
        XLSXFailure("工作簿中的 \(entry.path) 解压后过大（压缩比异常，可能是恶意构造的文件），未导入任何记录")
    }

    /// The first worksheet in workbook order, through the workbook's relationships.
    private static func firstSheetPath(_ archive: Archive, limits: Limits) throws(XLSXFailure) -> String {
        func small(_ path: String) throws(XLSXFailure) -> String? {
            guard let e = archive[path] else { return nil }
            var data = Data()
            try stream(e, in: archive, limit: 8 << 20, ratio: limits.maxCompressionRatio) { data.append($0) }
            return String(decoding: data, as: UTF8.self)
        }
        guard let workbook = try small("xl/workbook.xml") else {
            throw XLSXFailure("文件是 ZIP 压缩包，但不是 Excel 工作簿（缺少 xl/workbook.xml）")
        }
        if let sheetTag = firstMatch(#"<(?:\w+:)?sheet\s[^>]*>"#, in: workbook),
           let rid = firstMatch(#"(?<=\br:id=")[^"]+|(?<=:id=")[^"]+"#, in: sheetTag),
           let rels = try small("xl/_rels/workbook.xml.rels") {
            for rel in matches(#"<(?:\w+:)?Relationship\s[^>]*>"#, in: rels)
            where firstMatch(#"(?<=\bId=")[^"]+"#, in: rel) == rid {
                if let target = firstMatch(#"(?<=\bTarget=")[^"]+"#, in: rel) {
                    let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
                    if archive[path] != nil { return path }
                }
            }
        }
        if archive["xl/worksheets/sheet1.xml"] != nil { return "xl/worksheets/sheet1.xml" }
        throw XLSXFailure("工作簿中没有工作表")
    }

    private static func matches(_ pattern: String, in text: String) -> [String] {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }

    private static func firstMatch(_ pattern: String, in text: String) -> String? { matches(pattern, in: text).first }

    /// Scans the first worksheet, handing its non-empty rows to `body` in batches as they are
    /// decompressed. Throwing from `body` stops the scan.
    public func forEachBatch(_ body: ([CSVReader.Record]) throws -> Void) throws {
        guard let entry = archive[sheetPath] else { throw XLSXFailure("工作簿中没有工作表") }
        var scanner = SheetScanner(mode: .worksheet)
        var failure: (any Error)?
        let shared = shared
        do {
            try Self.stream(entry, in: archive, limit: limits.maxSheetBytes, ratio: limits.maxCompressionRatio) { chunk throws(XLSXFailure) in
                let records = try scanner.feed(chunk, shared: shared)
                guard !records.isEmpty else { return }
                do { try body(records) } catch { failure = error; throw XLSXFailure("") }
            }
        } catch {
            if let failure { throw failure }
            throw error
        }
        try scanner.finish()
    }

    /// The whole first worksheet's rows (for small files and tests).
    public func records() throws -> [CSVReader.Record] {
        var all: [CSVReader.Record] = []
        try forEachBatch { all += $0 }
        return all
    }
}

/// Writes simple .xlsx workbooks: templates, rejected rows, exports. Every cell is either text
/// (stored inline and formatted as text, so Excel never turns a credit code or identity number into
/// a number) or a number.
public enum XLSXWriter {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
    }

    public struct Column: Sendable {
        public var title: String
        public var width: Double
        /// A drop-down list of allowed values (Excel data validation), e.g. a code list.
        public var choices: [String]?
        /// A header in red (a required field, a reason column).
        public var emphasized: Bool
        public init(_ title: String, width: Double = 16, choices: [String]? = nil, emphasized: Bool = false) {
            self.title = title; self.width = width; self.choices = choices; self.emphasized = emphasized
        }
    }

    public struct Sheet: Sendable {
        public var name: String
        public var columns: [Column]
        public var rows: [[Cell]]
        /// Rows given a text format and validation in advance (a template's empty rows).
        public var preparedRows: Int
        /// Long text cells wrapped (an instructions sheet).
        public var wrapText: Bool
        public init(name: String, columns: [Column], rows: [[Cell]], preparedRows: Int = 0, wrapText: Bool = false) {
            self.name = name; self.columns = columns; self.rows = rows; self.preparedRows = preparedRows; self.wrapText = wrapText
        }
    }

    public static func workbook(_ sheets: [Sheet]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        let xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        try add("[Content_Types].xml", xml + """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            \(sheets.indices.map { #"<Override PartName="/xl/worksheets/sheet\#($0 + 1).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"# }.joined())\
            </Types>
            """)
        try add("_rels/.rels", xml + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(rel)/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """)
        try add("xl/workbook.xml", xml + """
            <workbook xmlns="\(main)" xmlns:r="\(rel)"><sheets>\
            \(sheets.enumerated().map { #"<sheet name="\#(escape(String($1.name.prefix(31))))" sheetId="\#($0 + 1)" r:id="rId\#($0 + 1)"/>"# }.joined())\
            </sheets></workbook>
            """)
        try add("xl/_rels/workbook.xml.rels", xml + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            \(sheets.indices.map { #"<Relationship Id="rId\#($0 + 1)" Type="\#(rel)/worksheet" Target="worksheets/sheet\#($0 + 1).xml"/>"# }.joined())\
            <Relationship Id="rId\(sheets.count + 1)" Type="\(rel)/styles" Target="styles.xml"/></Relationships>
            """)
        // Styles: 0 default, 1 header, 2 text-formatted cell, 3 emphasised (required) header, 4 wrapped text.
        try add("xl/styles.xml", xml + """
            <styleSheet xmlns="\(main)">\
            <fonts count="3"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font>\
            <font><b/><sz val="11"/><color rgb="FFC00000"/><name val="等线"/></font></fonts>\
            <fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
            <fill><patternFill patternType="solid"><fgColor rgb="FFE8EEF7"/><bgColor indexed="64"/></patternFill></fill></fills>\
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
            <xf numFmtId="49" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyNumberFormat="1"/>\
            <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
            <xf numFmtId="49" fontId="2" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyNumberFormat="1"/>\
            <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>\
            </cellXfs><cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>
            """)
        for (index, sheet) in sheets.enumerated() { try add("xl/worksheets/sheet\(index + 1).xml", worksheet(sheet)) }
        guard let data = archive.data else { throw XLSXFailure("生成 Excel 文件失败") }
        return data
    }

    static func worksheet(_ sheet: Sheet) -> String {
        var out = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        out += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        out += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        out += "<cols>" + sheet.columns.enumerated().map { i, c in
            #"<col min="\#(i + 1)" max="\#(i + 1)" width="\#(c.width)" style="2" customWidth="1"/>"#
        }.joined() + "</cols><sheetData>"
        out += #"<row r="1">"# + sheet.columns.enumerated().map { i, c in
            #"<c r="\#(ref(i, 1))" s="\#(c.emphasized ? 3 : 1)" t="inlineStr"><is><t>\#(escape(c.title))</t></is></c>"#
        }.joined() + "</row>"
        let wrap = sheet.wrapText
        for (r, row) in sheet.rows.enumerated() {
            out += #"<row r="\#(r + 2)">"#
            for (i, cell) in row.enumerated() {
                switch cell {
                case .text(let s) where s.isEmpty: continue
                case .text(let s):
                    out += #"<c r="\#(ref(i, r + 2))" s="\#(wrap ? 4 : 2)" t="inlineStr"><is><t xml:space="preserve">\#(escape(s))</t></is></c>"#
                case .number(let d):
                    let text = d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
                    out += #"<c r="\#(ref(i, r + 2))"><v>\#(text)</v></c>"#
                }
            }
            out += "</row>"
        }
        out += "</sheetData>"
        let lastRow = max(sheet.rows.count + 1, sheet.preparedRows + 1)
        let validations = sheet.columns.enumerated().compactMap { i, c -> String? in
            guard let choices = c.choices, !choices.isEmpty else { return nil }
            let list = choices.joined(separator: ",")
            guard list.count <= 250, !list.contains("\"") else { return nil }   // Excel's limit for an inline list
            return #"<dataValidation type="list" allowBlank="1" showErrorMessage="1" errorTitle="不在代码表中" error="请从下拉列表中选择" sqref="\#(ref(i, 2)):\#(ref(i, lastRow))"><formula1>"\#(escape(list))"</formula1></dataValidation>"#
        }
        if !validations.isEmpty { out += #"<dataValidations count="\#(validations.count)">"# + validations.joined() + "</dataValidations>" }
        out += "</worksheet>"
        return out
    }

    /// `A1`-style reference of a 0-based column and 1-based row.
    static func ref(_ column: Int, _ row: Int) -> String {
        var n = column + 1
        var letters = ""
        while n > 0 {
            let r = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + r))) + letters
            n = (n - 1) / 26
        }
        return letters + String(row)
    }

    /// XML text: markup characters escaped, characters XML 1.0 cannot carry written as `_xHHHH_`,
    /// and a literal `_xHHHH_` the user wrote protected as `_x005F_xHHHH_` so it reads back as written.
    static func escape(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars)
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for (i, u) in scalars.enumerated() {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n": out.unicodeScalars.append(u)
            case "_" where i + 6 < scalars.count && scalars[i + 1] == "x" && scalars[i + 6] == "_"
                && scalars[(i + 2)...(i + 5)].allSatisfy({ $0.properties.isASCIIHexDigit }):
                out += "_x005F_"
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { out += String(format: "_x%04X_", u.value) }
                else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}
