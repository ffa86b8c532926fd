import XinyongCore

/// Why an .xlsx file was refused, in Chinese a clerk can act on.
public struct XLSXFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// An incremental scanner for the two SpreadsheetML parts intake reads: a worksheet
/// (`<row>`/`<c>`/`<v>`/`<is>`) and the shared-string table (`<si>`/`<t>`). It is fed decompressed
/// bytes in chunks of any size, keeps only the unfinished tag or text between calls, and refuses
/// oversized cells or tags, so memory stays bounded whatever the sheet's size. It understands the
/// XML that Excel, WPS, LibreOffice and common libraries write (namespace prefixes, entities,
/// CDATA, comments, `_xHHHH_` escapes); anything else in the sheet is skipped.
///
/// A scanner of our own rather than Foundation's `XMLParser`: that one needs the whole part in
/// memory (or a blocking stream) and costs a Swift dictionary per element, which is the
/// difference between a bounded stream and a 1 GB buffer for a 1,000,000-row sheet.
struct SheetScanner {
    enum Mode { case worksheet, sharedStrings }

    let mode: Mode
    let maxCellBytes: Int
    let maxColumns: Int
    private(set) var strings: [String] = []
    let maxStrings: Int
    let maxStringBytes: Int
    private var stringBytes = 0

    private var pending: [UInt8] = []
    // Where we are in the element tree (only what matters).
    private var rowNumber = 0
    private var nextRow = 1
    private var cells: [String] = []
    private var cellColumn = 0
    private var nextColumn = 0
    private var cellType: String = "n"
    private var inValue = false        // <v> or a <t> of the current cell's <is> or of the current <si>
    private var inCell = false
    private var inRow = false
    private var inString = false       // <si> (shared strings) or <is> (inline)
    private var phonetic = 0           // depth inside <rPh> (phonetic runs are not part of the text)
    private var text: [UInt8] = []
    private var value: [UInt8] = []

    init(mode: Mode, maxCellBytes: Int = 32_767 * 4, maxColumns: Int = 16_384, maxStrings: Int = 2_000_000,
         maxStringBytes: Int = 64 << 20) {
        self.mode = mode
        self.maxCellBytes = maxCellBytes
        self.maxColumns = maxColumns
        self.maxStrings = maxStrings
        self.maxStringBytes = maxStringBytes
    }

    /// Scans more bytes; returns the rows completed in them (worksheet mode).
    mutating func feed(_ bytes: some Collection<UInt8>, shared: [String]) throws(XLSXFailure) -> [CSVReader.Record] {
        var buffer = pending
        pending = []
        buffer.append(contentsOf: bytes)
        var out: [CSVReader.Record] = []
        var i = 0
        let n = buffer.count
        try buffer.withUnsafeBufferPointer { (buf) throws(XLSXFailure) in
            while i < n {
                if buf[i] != UInt8(ascii: "<") {
                    // Text up to the next tag.
                    var j = i
                    while j < n && buf[j] != UInt8(ascii: "<") { j += 1 }
                    if inValue && phonetic == 0 {
                        text.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<j]))
                        if text.count > maxCellBytes { throw XLSXFailure(overlong) }
                    }
                    i = j
                    continue
                }
                // A tag, comment, CDATA section or processing instruction: wait until it is complete.
                guard let end = Self.tagEnd(buf, from: i, count: n) else {
                    if n - i > 1 << 20 { throw XLSXFailure("文件中有超过 1 MB 的 XML 标记，文件可能已损坏") }
                    break
                }
                try tag(UnsafeBufferPointer(rebasing: buf[i..<end]), shared: shared, out: &out)
                i = end
            }
        }
        pending = i == n ? [] : Array(buffer[i...])
        return out
    }

    /// Ends the part: an unfinished element means a truncated file.
    func finish() throws(XLSXFailure) {
        if inRow || inCell || inString || pending.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) {
            throw XLSXFailure("工作表内容不完整（文件可能被截断），未导入任何记录")
        }
    }

    private var overlong: String { "有单元格超过 Excel 的上限 32767 个字，文件可能已损坏或不是填报文件" }

    /// The index just past the tag starting at `i`, or `nil` when it is not complete yet.
    private static func tagEnd(_ b: UnsafeBufferPointer<UInt8>, from i: Int, count n: Int) -> Int? {
        func find(_ pattern: [UInt8], from start: Int) -> Int? {
            var k = start
            while k + pattern.count <= n {
                if b[k] == pattern[0] {
                    var ok = true
                    for p in 1..<pattern.count where b[k + p] != pattern[p] { ok = false; break }
                    if ok { return k + pattern.count }
                }
                k += 1
            }
            return nil
        }
        if i + 3 < n && b[i + 1] == UInt8(ascii: "!") && b[i + 2] == UInt8(ascii: "-") && b[i + 3] == UInt8(ascii: "-") {
            return find(Array("-->".utf8), from: i + 4)
        }
        if i + 8 < n && b[i + 1] == UInt8(ascii: "!") && b[i + 2] == UInt8(ascii: "[") {
            return find(Array("]]>".utf8), from: i + 3)
        }
        if i + 1 >= n { return nil }
        // An ordinary tag ends at the first '>' outside quotes.
        var quote: UInt8 = 0
        var k = i + 1
        while k < n {
            let c = b[k]
            if quote != 0 { if c == quote { quote = 0 } }
            else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { quote = c }
            else if c == UInt8(ascii: ">") { return k + 1 }
            k += 1
        }
        return nil
    }

    private mutating func tag(_ t: UnsafeBufferPointer<UInt8>, shared: [String], out: inout [CSVReader.Record]) throws(XLSXFailure) {
        let second = t.count > 1 ? t[1] : 0
        if second == UInt8(ascii: "?") { return }
        if second == UInt8(ascii: "!") {
            // CDATA is text; comments and declarations are not.
            if t.count >= 12, t[2] == UInt8(ascii: "["), inValue, phonetic == 0 {
                text.append(contentsOf: UnsafeBufferPointer(rebasing: t[9..<(t.count - 3)]))
                if text.count > maxCellBytes { throw XLSXFailure(overlong) }
            }
            return
        }
        let closing = second == UInt8(ascii: "/")
        let selfClosing = t.count >= 2 && t[t.count - 2] == UInt8(ascii: "/")
        // The local name: after '<' or '</', up to whitespace, '/' or '>', without a namespace prefix.
        var s = closing ? 2 : 1
        var e = s
        while e < t.count, !Self.isNameEnd(t[e]) { if t[e] == UInt8(ascii: ":") { s = e + 1 }; e += 1 }
        let name = Self.localName(t, s, e)
        if closing { try close(name, shared: shared, out: &out); return }
        try open(name, tag: t, nameEnd: e, out: &out)
        if selfClosing { try close(name, shared: shared, out: &out) }
    }

    private static func isNameEnd(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == UInt8(ascii: "/") || c == UInt8(ascii: ">")
    }

    private enum Name { case row, c, v, t, si, is_, rPh, other }

    private static func localName(_ t: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Name {
        switch e - s {
        case 1:
            switch t[s] {
            case UInt8(ascii: "c"): return .c
            case UInt8(ascii: "v"): return .v
            case UInt8(ascii: "t"): return .t
            default: return .other
            }
        case 2:
            if t[s] == UInt8(ascii: "s") && t[s + 1] == UInt8(ascii: "i") { return .si }
            if t[s] == UInt8(ascii: "i") && t[s + 1] == UInt8(ascii: "s") { return .is_ }
            return .other
        case 3:
            if t[s] == UInt8(ascii: "r") && t[s + 1] == UInt8(ascii: "o") && t[s + 2] == UInt8(ascii: "w") { return .row }
            if t[s] == UInt8(ascii: "r") && t[s + 1] == UInt8(ascii: "P") && t[s + 2] == UInt8(ascii: "h") { return .rPh }
            return .other
        default: return .other
        }
    }

    /// The value of attribute `name` in a start tag.
    private static func attribute(_ t: UnsafeBufferPointer<UInt8>, from start: Int, _ name: StaticString) -> [UInt8]? {
        let want = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        var k = start
        let n = t.count
        while k < n {
            while k < n, t[k] == 0x20 || t[k] == 0x09 || t[k] == 0x0A || t[k] == 0x0D { k += 1 }
            var ns = k
            var ne = k
            while ne < n, t[ne] != UInt8(ascii: "="), !isNameEnd(t[ne]) { if t[ne] == UInt8(ascii: ":") { ns = ne + 1 }; ne += 1 }
            guard ne < n, t[ne] == UInt8(ascii: "=") else { return nil }
            var q = ne + 1
            while q < n, t[q] == 0x20 { q += 1 }
            guard q < n, t[q] == UInt8(ascii: "\"") || t[q] == UInt8(ascii: "'") else { return nil }
            let quote = t[q]
            var ve = q + 1
            while ve < n, t[ve] != quote { ve += 1 }
            if ne - ns == want.count, zip(t[ns..<ne], want).allSatisfy({ $0 == $1 }) {
                return Array(t[(q + 1)..<ve])
            }
            k = ve + 1
        }
        return nil
    }

    private mutating func open(_ name: Name, tag t: UnsafeBufferPointer<UInt8>, nameEnd: Int, out: inout [CSVReader.Record]) throws(XLSXFailure) {
        switch (mode, name) {
        case (.worksheet, .row):
            inRow = true
            cells.removeAll(keepingCapacity: true)
            nextColumn = 0
            if let r = Self.attribute(t, from: nameEnd, "r"), let number = Int(String(decoding: r, as: UTF8.self)), number >= nextRow {
                rowNumber = number
            } else {
                rowNumber = nextRow
            }
            nextRow = rowNumber + 1
        case (.worksheet, .c):
            guard inRow else { return }
            inCell = true
            value.removeAll(keepingCapacity: true)
            cellType = Self.attribute(t, from: nameEnd, "t").map { String(decoding: $0, as: UTF8.self) } ?? "n"
            if let r = Self.attribute(t, from: nameEnd, "r"), let column = Self.column(r) {
                guard column >= nextColumn else { throw XLSXFailure("第 \(rowNumber) 行的单元格顺序错乱，文件可能已损坏") }
                cellColumn = column
            } else {
                cellColumn = nextColumn
            }
            guard cellColumn < maxColumns else { throw XLSXFailure("第 \(rowNumber) 行超过 \(maxColumns) 列") }
            nextColumn = cellColumn + 1
        case (.worksheet, .v):
            if inCell { inValue = true; text.removeAll(keepingCapacity: true) }
        case (.worksheet, .is_):
            if inCell { inString = true; text.removeAll(keepingCapacity: true) }
        case (_, .t):
            if inString && phonetic == 0 { inValue = true }
        case (.sharedStrings, .si):
            inString = true
            text.removeAll(keepingCapacity: true)
        case (_, .rPh):
            phonetic += 1
        default:
            break
        }
    }

    private mutating func close(_ name: Name, shared: [String], out: inout [CSVReader.Record]) throws(XLSXFailure) {
        switch (mode, name) {
        case (.worksheet, .v):
            if inValue { value = text; inValue = false }
        case (_, .t):
            if inString && phonetic == 0 { inValue = false }
        case (.worksheet, .is_):
            if inCell { value = text; inString = false }
        case (.worksheet, .c):
            guard inCell else { return }
            inCell = false
            let v = try cellText(shared: shared)
            guard !v.isEmpty else { return }
            if cells.count < cellColumn { cells.append(contentsOf: repeatElement("", count: cellColumn - cells.count)) }
            cells.append(v)
        case (.worksheet, .row):
            guard inRow else { return }
            inRow = false
            // Rows Excel keeps only for their formatting carry no values and are not records.
            if cells.contains(where: { !$0.isEmpty }) { out.append(CSVReader.Record(line: rowNumber, fields: cells)) }
        case (.sharedStrings, .si):
            inString = false
            guard strings.count < maxStrings else { throw XLSXFailure("共享字符串表超过 \(maxStrings) 项，文件可能是恶意构造的") }
            stringBytes += text.count
            guard stringBytes <= maxStringBytes else { throw XLSXFailure("共享字符串表超过 \(maxStringBytes >> 20) MB，文件可能是恶意构造的") }
            strings.append(Self.decode(text))
        case (_, .rPh):
            phonetic = max(0, phonetic - 1)
        default:
            break
        }
    }

    private func cellText(shared: [String]) throws(XLSXFailure) -> String {
        switch cellType {
        case "s":
            guard let index = Int(String(decoding: value, as: UTF8.self)), shared.indices.contains(index) else {
                if value.isEmpty { return "" }
                throw XLSXFailure("第 \(rowNumber) 行的单元格引用了不存在的共享字符串，文件可能已损坏")
            }
            return shared[index]
        case "b":
            return value == [UInt8(ascii: "1")] ? "是" : value.isEmpty ? "" : "否"
        case "e":
            return ""   // #N/A and the like: an empty cell, which validation reports if it was required
        default:
            return Self.decode(value)
        }
    }

    /// The 0-based column of a cell reference such as `AB12`.
    static func column(_ ref: [UInt8]) -> Int? {
        var col = 0
        var letters = 0
        for c in ref {
            guard c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") else { break }
            col = col * 26 + Int(c - UInt8(ascii: "A") + 1)
            letters += 1
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : col - 1
    }

    /// XML text to a string: entities, character references and OOXML's `_xHHHH_` escapes.
    static func decode(_ bytes: [UInt8]) -> String {
        guard bytes.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "_") || $0 == 0x0D }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        func append(scalar v: UInt32) {
            if let u = Unicode.Scalar(v) { out.append(contentsOf: Array(String(Character(u)).utf8)) }
        }
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "&"), let semi = bytes[i...].prefix(12).firstIndex(of: UInt8(ascii: ";")) {
                let entity = String(decoding: bytes[(i + 1)..<semi], as: UTF8.self)
                switch entity {
                case "lt": out.append(UInt8(ascii: "<"))
                case "gt": out.append(UInt8(ascii: ">"))
                case "amp": out.append(UInt8(ascii: "&"))
                case "quot": out.append(UInt8(ascii: "\""))
                case "apos": out.append(UInt8(ascii: "'"))
                default:
                    if entity.hasPrefix("#x"), let v = UInt32(entity.dropFirst(2), radix: 16) { append(scalar: v) }
                    else if entity.hasPrefix("#"), let v = UInt32(entity.dropFirst()) { append(scalar: v) }
                    else { out.append(contentsOf: bytes[i...semi]) }
                }
                i = semi + 1
                continue
            }
            if c == UInt8(ascii: "_"), i + 6 < bytes.count, bytes[i + 1] == UInt8(ascii: "x"), bytes[i + 6] == UInt8(ascii: "_"),
               let v = UInt32(String(decoding: bytes[(i + 2)..<(i + 6)], as: UTF8.self), radix: 16) {
                append(scalar: v)
                i += 7
                continue
            }
            if c == 0x0D {   // XML line-end normalisation: CRLF and CR become LF
                out.append(0x0A)
                if i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
