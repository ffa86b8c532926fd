import Foundation

/// A streaming CSV reader (RFC 4180 plus what Excel and WPS really write) for department files:
/// UTF-8 with or without BOM, or GB18030/GBK, detected or declared. Feed it chunks of any size;
/// it returns complete records with the line each starts on, and throws a Chinese, line-numbered
/// error for input it must refuse. Memory stays bounded by the field-size limit.
public struct CSVReader: Sendable {
    public enum Encoding: String, Sendable, CaseIterable {
        case utf8 = "utf-8"
        case gb18030
    }

    public struct Record: Sendable, Equatable {
        /// The line (1-based) the record starts on.
        public var line: Int
        public var fields: [String]
        public init(line: Int, fields: [String]) { self.line = line; self.fields = fields }
    }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "第 \(line) 行：\(reason)" }
    }

    public let maxFieldBytes: Int
    public let maxColumns: Int
    public private(set) var encoding: Encoding?

    private var pending: [UInt8] = []        // undecoded bytes (GB18030: up to the next newline)
    private var field: [UInt8] = []
    private var fields: [String] = []
    private var state = State.fieldStart
    private var line = 1
    private var recordLine = 1
    private var quoteLine = 1
    private var sawBOMCheck = false
    private var detectionBuffer: [UInt8] = []

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// - Parameter encoding: the declared encoding, or `nil` to detect it (a UTF-8 BOM, else UTF-8
    ///   if the first 64 KiB are valid UTF-8, else GB18030).
    public init(encoding: Encoding? = nil, maxFieldBytes: Int = 1 << 20, maxColumns: Int = 1000) {
        self.encoding = encoding
        self.maxFieldBytes = maxFieldBytes
        self.maxColumns = maxColumns
    }

    /// The Foundation encoding for GB18030 (kCFStringEncodingGB_18030_2000), a superset of GBK.
    public static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    public mutating func feed(_ bytes: some Collection<UInt8>) throws(Failure) -> [Record] {
        var out: [Record] = []
        if encoding == nil {
            detectionBuffer += bytes
            guard detectionBuffer.count >= 65_536 else { return [] }
            try detect(final: false)
            let buffered = detectionBuffer
            detectionBuffer = []
            try route(buffered, into: &out)
            return out
        }
        try route(bytes, into: &out)
        return out
    }

    /// Ends the input: returns the last record and checks that no quote is left open.
    public mutating func finish() throws(Failure) -> [Record] {
        var out: [Record] = []
        if encoding == nil {
            try detect(final: true)
            let buffered = detectionBuffer
            detectionBuffer = []
            try route(buffered, into: &out)
        }
        if encoding == .gb18030, !pending.isEmpty {
            let rest = pending
            pending = []
            try parse(try decodeGB(rest), into: &out)
        }
        switch state {
        case .quoted:
            throw Failure(line: quoteLine, reason: "引号没有闭合（从这一行开始的带引号字段直到文件结尾都没有结束引号）")
        case .fieldStart where fields.isEmpty && field.isEmpty:
            break
        default:
            try endRecord(into: &out)
        }
        return out
    }

    private mutating func detect(final: Bool) throws(Failure) {
        let head = detectionBuffer
        if head.starts(with: [0xEF, 0xBB, 0xBF]) {
            encoding = .utf8
            return
        }
        // Judge only complete lines, so a chunk cut inside a character is not mistaken for GB18030.
        let cut = final ? head.count : (head.lastIndex(of: 0x0A).map { $0 + 1 } ?? head.count)
        encoding = String(validating: head[..<cut], as: UTF8.self) != nil ? .utf8 : .gb18030
    }

    private mutating func route(_ bytes: some Collection<UInt8>, into out: inout [Record]) throws(Failure) {
        var input = Array(bytes)
        if !sawBOMCheck {
            sawBOMCheck = true
            if encoding == .utf8, input.starts(with: [0xEF, 0xBB, 0xBF]) { input.removeFirst(3) }
        }
        switch encoding {
        case .gb18030:
            // 0x0A is never part of a multi-byte GB18030 character: decode up to the last newline.
            pending += input
            guard let last = pending.lastIndex(of: 0x0A) else {
                if pending.count > maxFieldBytes * 2 {
                    throw Failure(line: line, reason: "一行超过 \(maxFieldBytes * 2) 字节，文件可能不是 CSV")
                }
                return
            }
            let chunk = Array(pending[...last])
            pending.removeSubrange(...last)
            try parse(try decodeGB(chunk), into: &out)
        default:
            try parse(input, into: &out)
        }
    }

    private func decodeGB(_ bytes: [UInt8]) throws(Failure) -> [UInt8] {
        guard let s = String(data: Data(bytes), encoding: Self.gb18030) else {
            throw Failure(line: line, reason: "无法按 GB18030/GBK 解码，请确认文件编码（可另存为 UTF-8 后重新上传）")
        }
        return Array(s.utf8)
    }

    /// The byte-level state machine over UTF-8. Delimiters are ASCII and never occur inside
    /// multi-byte UTF-8 characters, so parsing bytes is safe; fields are validated as UTF-8 at their end.
    private mutating func parse(_ bytes: [UInt8], into out: inout [Record]) throws(Failure) {
        for b in bytes {
            if b == 0 { throw Failure(line: line, reason: "含有 NUL 字节，文件可能已损坏或不是文本格式的 CSV") }
            switch state {
            case .fieldStart:
                switch b {
                case UInt8(ascii: "\""): state = .quoted; quoteLine = line
                case UInt8(ascii: ","): try endField()
                case 0x0A: line += 1; try endRecord(into: &out); recordLine = line
                case 0x0D: break
                default: try append(b); state = .unquoted
                }
            case .unquoted:
                switch b {
                case UInt8(ascii: ","): try endField(); state = .fieldStart
                case 0x0A: line += 1; try endRecord(into: &out); recordLine = line; state = .fieldStart
                case 0x0D: break
                default: try append(b)
                }
            case .quoted:
                if b == UInt8(ascii: "\"") { state = .quoteInQuoted } else {
                    if b == 0x0A { line += 1 }
                    try append(b)
                }
            case .quoteInQuoted:
                switch b {
                case UInt8(ascii: "\""): try append(b); state = .quoted
                case UInt8(ascii: ","): try endField(); state = .fieldStart
                case 0x0A: line += 1; try endRecord(into: &out); recordLine = line; state = .fieldStart
                case 0x0D: break
                default:
                    throw Failure(line: line, reason: "引号使用有误：带引号的字段在结束引号后还有字符（字段内的引号应写成两个双引号 \"\"）")
                }
            }
        }
    }

    private mutating func append(_ b: UInt8) throws(Failure) {
        guard field.count < maxFieldBytes else {
            throw Failure(line: line, reason: "第 \(fields.count + 1) 列超过 \(maxFieldBytes) 字节，请检查引号是否配对或内容是否过长")
        }
        field.append(b)
    }

    private mutating func endField() throws(Failure) {
        guard let s = String(validating: field, as: UTF8.self) else {
            throw Failure(line: line, reason: "第 \(fields.count + 1) 列不是有效的 UTF-8 文本；如果文件是 GBK/GB18030 编码，请声明 encoding=gb18030")
        }
        fields.append(s)
        field.removeAll(keepingCapacity: true)
        guard fields.count <= maxColumns else { throw Failure(line: line, reason: "超过 \(maxColumns) 列") }
    }

    private mutating func endRecord(into out: inout [Record]) throws(Failure) {
        try endField()
        let record = fields
        fields.removeAll(keepingCapacity: true)
        if record.count == 1 && record[0].isEmpty { return }   // blank line
        out.append(Record(line: recordLine, fields: record))
    }
}
