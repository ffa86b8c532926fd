import Foundation
import Testing
import XinyongCore
import ZIPFoundation
@testable import XinyongSheets

/// A workbook assembled part by part, the way other producers (WPS, LibreOffice, openpyxl) write them.
func handmadeWorkbook(sheet: String, sharedStrings: String? = nil, sheetTarget: String = "worksheets/sheet1.xml",
                      compress: CompressionMethod = .deflate) throws -> Data {
    let archive = try Archive(accessMode: .create)
    func add(_ path: String, _ text: String) throws {
        let data = Data(text.utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: compress) { p, n in
            data.subdata(in: Int(p)..<(Int(p) + n))
        }
    }
    try add("xl/workbook.xml", #"<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="数据" sheetId="7" r:id="rIdA"/></x:sheets></x:workbook>"#)
    try add("xl/_rels/workbook.xml.rels", #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdA" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="\#(sheetTarget)"/></Relationships>"#)
    try add("xl/" + sheetTarget, sheet)
    if let sharedStrings { try add("xl/sharedStrings.xml", sharedStrings) }
    return archive.data!
}

@Suite struct XLSXTests {
    @Test func writtenWorkbookReadsBackCellForCell() throws {
        let tricky = ["普通文本", "含,逗号\"引号\"", "A&B <c> 'd'", "多行\n第二行", "91350100M000100Y43", "410105199001011234",
                      "literal _x0041_ stays", "控制\u{1}字符", "  前后空格  ", "𠀀扩展B区"]
        let sheet = XLSXWriter.Sheet(name: "填报", columns: tricky.indices.map { XLSXWriter.Column("列\($0)") },
                                     rows: [tricky.map { .text($0) }, [.text("x"), .number(45296), .number(12.5)]])
        let data = try XLSXWriter.workbook([sheet, XLSXWriter.Sheet(name: "说明", columns: [.init("a")], rows: [])])
        let records = try XLSXReader(data: data).records()
        #expect(records.count == 3)
        #expect(records[0].line == 1 && records[0].fields == tricky.indices.map { "列\($0)" })
        #expect(records[1].line == 2 && records[1].fields == tricky)
        #expect(records[2].fields == ["x", "45296", "12.5"])
    }

    @Test func sharedStringsRichTextPrefixesAndSparseCells() throws {
        let shared = #"""
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">
            <si><t>行政相对人名称</t></si>
            <si><r><rPr><b/></rPr><t>处罚</t></r><r><t xml:space="preserve"> 决定书</t></r><rPh sb="0" eb="1"><t>ショ</t></rPh></si>
            <si><t><![CDATA[a<b]]>&amp;c&#x4E2D;&#25991;_x000D_</t></si>
            </sst>
            """#
        let sheet = #"""
            <?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
            <x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="s"><x:v>1</x:v></x:c></x:row>
            <x:row r="2" spans="1:3"/>
            <!-- a comment <c r="A9"><v>9</v></c> -->
            <x:row r="3"><x:c r="B3" t="inlineStr"><x:is><x:t>内联</x:t></x:is></x:c><x:c r="C3" t="s"><x:v>2</x:v></x:c><x:c r="D3" s="4"/></x:row>
            <x:row><x:c t="b"><x:v>1</x:v></x:c><x:c t="str"><x:f>A1&amp;"x"</x:f><x:v>公式结果</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c></x:row>
            </x:sheetData></x:worksheet>
            """#
        let records = try XLSXReader(data: try handmadeWorkbook(sheet: sheet, sharedStrings: shared, sheetTarget: "worksheets/data.xml")).records()
        #expect(records == [
            CSVReader.Record(line: 1, fields: ["行政相对人名称", "", "处罚 决定书"]),
            CSVReader.Record(line: 3, fields: ["", "内联", "a<b&c中文\r"]),
            CSVReader.Record(line: 4, fields: ["是", "公式结果"]),
        ])
    }

    @Test func scannerAcceptsAnyChunking() throws {
        let sheet = #"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>甲&amp;乙</t></is></c><c r="B1"><v>42</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[丙]]></t></is></c></row></sheetData></worksheet>"#
        let bytes = Array(sheet.utf8)
        for size in [1, 2, 3, 7, 64] {
            var scanner = SheetScanner(mode: .worksheet)
            var got: [CSVReader.Record] = []
            var i = 0
            while i < bytes.count {
                got += try scanner.feed(bytes[i..<min(i + size, bytes.count)], shared: [])
                i += size
            }
            try scanner.finish()
            #expect(got == [CSVReader.Record(line: 1, fields: ["甲&乙", "42"]), CSVReader.Record(line: 2, fields: ["丙"])], "chunk size \(size)")
        }
    }

    @Test func refusesWhatIsNotAWorkbook() throws {
        #expect(throws: XLSXReader.notAWorkbook) { try XLSXReader(data: Data("行政相对人名称,处罚决定书文号\n".utf8)) }
        #expect(throws: XLSXReader.notAWorkbook) { try XLSXReader(data: Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3])) }
        let xls = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 512))
        let e = #expect(throws: XLSXFailure.self) { try XLSXReader(data: xls) }
        #expect(e?.reason.contains(".xls") == true)
        // A zip that is not a workbook.
        let archive = try Archive(accessMode: .create)
        let text = Data("hello".utf8)
        try archive.addEntry(with: "readme.txt", type: .file, uncompressedSize: Int64(text.count)) { (_: Int64, _: Int) -> Data in text }
        let e2 = #expect(throws: XLSXFailure.self) { try XLSXReader(data: archive.data!) }
        #expect(e2?.reason.contains("不是 Excel 工作簿") == true)
    }

    @Test func refusesAZipBombEarly() throws {
        // 30 MB of one repeated row compresses several hundred times: refused by ratio before it is expanded.
        let row = #"<row><c t="inlineStr"><is><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></is></c></row>"#
        let archive = try Archive(accessMode: .create)
        let head = Data("<worksheet><sheetData>".utf8)
        let body = Data(String(repeating: row, count: 1 << 12).utf8)
        let total = Int64(head.count) + Int64(body.count) * 100
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: total, compressionMethod: .deflate,
                             bufferSize: body.count) { (position: Int64, size: Int) -> Data in
            position == 0 ? head + body.prefix(size - head.count) : body.prefix(size)
        }
        try archive.addEntry(with: "xl/workbook.xml", type: .file, uncompressedSize: Int64(10)) { (_: Int64, _: Int) -> Data in Data("<workbook/>".utf8.prefix(10)) }
        let data = archive.data!
        #expect(data.count < 2 << 20)
        let started = Date()
        let e = #expect(throws: XLSXFailure.self) { try XLSXReader(data: data).records() }
        #expect(e?.reason.contains("解压后过大") == true)
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func refusesHugeSharedStringTables() throws {
        let many = "<sst>" + String(repeating: "<si><t>x</t></si>", count: 2_001) + "</sst>"
        let limits = XLSXReader.Limits(maxSharedStrings: 2_000)
        let e = #expect(throws: XLSXFailure.self) {
            try XLSXReader(data: try handmadeWorkbook(sheet: "<worksheet/>", sharedStrings: many), limits: limits)
        }
        #expect(e?.reason.contains("共享字符串表超过") == true)
        let bad = #"<worksheet><sheetData><row><c t="s"><v>5</v></c></row></sheetData></worksheet>"#
        let e2 = #expect(throws: XLSXFailure.self) { try XLSXReader(data: try handmadeWorkbook(sheet: bad, sharedStrings: "<sst/>")).records() }
        #expect(e2?.reason.contains("不存在的共享字符串") == true)
    }

    @Test func refusesTruncatedAndOverlongCells() throws {
        let truncated = #"<worksheet><sheetData><row><c t="inlineStr"><is><t>半截"#
        #expect(throws: XLSXFailure.self) { try XLSXReader(data: try handmadeWorkbook(sheet: truncated)).records() }
        let long = #"<worksheet><sheetData><row><c t="inlineStr"><is><t>"# + String(repeating: "长", count: 50_000) + "</t></is></c></row></sheetData></worksheet>"
        let e = #expect(throws: XLSXFailure.self) { try XLSXReader(data: try handmadeWorkbook(sheet: long)).records() }
        #expect(e?.reason.contains("32767") == true)
    }

    @Test func cellReferences() {
        #expect(XLSXWriter.ref(0, 1) == "A1")
        #expect(XLSXWriter.ref(25, 2) == "Z2")
        #expect(XLSXWriter.ref(26, 3) == "AA3")
        #expect(XLSXWriter.ref(16_383, 1) == "XFD1")
        #expect(SheetScanner.column(Array("XFD1".utf8)) == 16_383)
        #expect(SheetScanner.column(Array("AA3".utf8)) == 26)
    }
}
