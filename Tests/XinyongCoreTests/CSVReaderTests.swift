import Foundation
import Testing
@testable import XinyongCore

@Suite("Streaming CSV reader")
struct CSVReaderTests {
    static let text = "名称,代码,违法事实\r\n厦门某某科技有限公司,91350200776049653A,\"多行\n事实，含逗号和\"\"引号\"\"\"\n\n末行,,无换行结尾"
    static let expected = [
        CSVReader.Record(line: 1, fields: ["名称", "代码", "违法事实"]),
        CSVReader.Record(line: 2, fields: ["厦门某某科技有限公司", "91350200776049653A", "多行\n事实，含逗号和\"引号\""]),
        CSVReader.Record(line: 5, fields: ["末行", "", "无换行结尾"]),
    ]

    func read(_ bytes: [UInt8], encoding: CSVReader.Encoding? = nil, chunk: Int = 1 << 16, maxField: Int = 1 << 20) throws -> ([CSVReader.Record], CSVReader.Encoding?) {
        var r = CSVReader(encoding: encoding, maxFieldBytes: maxField)
        var out: [CSVReader.Record] = []
        var i = 0
        while i < bytes.count {
            out += try r.feed(bytes[i..<min(i + chunk, bytes.count)])
            i += chunk
        }
        out += try r.finish()
        return (out, r.encoding)
    }

    @Test func utf8WithQuotesNewlinesAndCRLF() throws {
        let (rows, enc) = try read(Array(Self.text.utf8))
        #expect(rows == Self.expected)
        #expect(enc == .utf8)
    }

    @Test func byteOrderMarkIsDropped() throws {
        let (rows, _) = try read([0xEF, 0xBB, 0xBF] + Array(Self.text.utf8))
        #expect(rows.first?.fields.first == "名称")
    }

    @Test func gb18030IsDetectedAndDeclared() throws {
        let gb = Array(Self.text.data(using: CSVReader.gb18030)!)
        #expect(String(validating: gb, as: UTF8.self) == nil)   // really not UTF-8
        let (detected, enc) = try read(gb)
        #expect(detected == Self.expected && enc == .gb18030)
        #expect(try read(gb, encoding: .gb18030).0 == Self.expected)
        // Large enough to be detected from the first 64 KiB while streaming.
        let big = Array((String(repeating: "厦门某某科技有限公司,91350200776049653A,事实\n", count: 3000)).data(using: CSVReader.gb18030)!)
        let (rows, bigEnc) = try read(big, chunk: 4096)
        #expect(bigEnc == .gb18030 && rows.count == 3000 && rows[2999].fields[0] == "厦门某某科技有限公司")
    }

    @Test func anyChunkingGivesTheSameRecords() throws {
        for chunk in [1, 2, 3, 7, 64] {
            #expect(try read(Array(Self.text.utf8), chunk: chunk).0 == Self.expected, "chunk \(chunk)")
            #expect(try read(Array(Self.text.data(using: CSVReader.gb18030)!), encoding: .gb18030, chunk: chunk).0 == Self.expected)
        }
    }

    @Test func gbBytesDeclaredAsUTF8AreRefusedWithAHint() {
        let gb = Array("名称\n厦门\n".data(using: CSVReader.gb18030)!)
        #expect(throws: CSVReader.Failure.self) { try read(gb, encoding: .utf8) }
        do { _ = try read(gb, encoding: .utf8) } catch let e as CSVReader.Failure { #expect(e.reason.contains("encoding=gb18030")) } catch {}
    }

    @Test func refusals() {
        func failure(_ s: String, maxField: Int = 1 << 20) -> CSVReader.Failure? {
            do { _ = try read(Array(s.utf8), maxField: maxField); return nil } catch { return error as? CSVReader.Failure }
        }
        #expect(failure("a,b\n\"open,c\nd,e\n")?.line == 2)
        #expect(failure("a,b\n\"open,c\nd,e\n")?.reason.contains("引号没有闭合") == true)
        #expect(failure("a,\"b\"x,c\n")?.reason.contains("结束引号后还有字符") == true)
        #expect(failure("a,b\nc\u{0}d,e\n")?.line == 2)
        #expect(failure("a," + String(repeating: "x", count: 101) + "\n", maxField: 100)?.reason.contains("第 2 列超过 100 字节") == true)
        #expect(failure("") == nil)
    }

    @Test func anEmptyFileHasNoRecords() throws {
        #expect(try read([]).0.isEmpty)
        #expect(try read(Array("\n\n".utf8)).0.isEmpty)
    }
}
