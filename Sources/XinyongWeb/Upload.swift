import Foundation
import XinyongCore
import XinyongSheets

/// One uploaded file on its way to intake, for the API and the upload page alike: bounded in
/// bytes and rows, CSV read as a stream, .xlsx through the bounded reader. Any failure to read
/// refuses the whole file with a reason; nothing has been applied by then.
struct Upload {
    static let maxFileBytes = 64 << 20
    static let maxFileRows = 100_000

    static let tooLarge = DomainError.invalid(field: "file", reason: "文件超过 \(maxFileBytes >> 20) MB；更大的文件请分批上传或由信用办用 xinyong import 导入")
    static let tooManyRows = DomainError.invalid(field: "file", reason: "文件超过 \(maxFileRows) 行；请分批上传或由信用办用 xinyong import 导入")

    private var intake: FileIntake
    private var bytes = 0

    init(item: CatalogItem, catalog: Catalog, today: CivilDate) {
        intake = FileIntake(item: item, validator: CatalogValidator(catalog: catalog), today: today)
    }

    static func encoding(named charset: String) throws -> CSVReader.Encoding {
        switch charset.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")).lowercased() {
        case "utf-8", "utf8": return .utf8
        case "gb18030", "gbk", "gb2312": return .gb18030
        case let other: throw DomainError.invalid(field: "charset", reason: "不支持的编码 \(other.prefix(20))：请使用 UTF-8 或 GB18030/GBK")
        }
    }

    mutating func readCSV(_ chunk: some Collection<UInt8>, reader: inout CSVReader) throws {
        bytes += chunk.count
        guard bytes <= Self.maxFileBytes else { throw Self.tooLarge }
        do { try add(try reader.feed(chunk)) } catch let e as CSVReader.Failure { throw Self.unreadable(e.description) }
    }

    mutating func endCSV(reader: inout CSVReader) throws {
        do { try add(try reader.finish()) } catch let e as CSVReader.Failure { throw Self.unreadable(e.description) }
    }

    mutating func readXLSX(_ data: Data) throws {
        guard data.count <= Self.maxFileBytes else { throw Self.tooLarge }
        do {
            // The sheet may expand up to 1 GB only in a stream; the row limit stops long before.
            try XLSXReader(data: data).forEachBatch { try add($0) }
        } catch let e as XLSXFailure {
            throw Self.unreadable(e.reason)
        }
    }

    private mutating func add(_ records: [CSVReader.Record]) throws {
        try intake.add(records)
        guard intake.rows.count <= Self.maxFileRows else { throw Self.tooManyRows }
    }

    func finish() throws -> [IntakeRow] { try intake.finish() }

    /// Whether an uploaded file is to be read as a workbook: a ZIP (.xlsx), an old binary .xls
    /// (which the reader then refuses with its reason), or named .xlsx; anything else is CSV.
    static func isWorkbook(_ bytes: some Collection<UInt8>, filename: String) -> Bool {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) || filename.lowercased().hasSuffix(".xlsx")
    }

    static func unreadable(_ reason: String) -> DomainError {
        .invalid(field: "file", reason: "文件无法读取，未导入任何记录：\(reason)")
    }
}
