import Foundation
import Logging
import XinyongCore
import XinyongStore

/// Reads a CSV file in chunks for `xinyong import`: parsing and validation happen as the store
/// asks for more rows, so memory stays bounded whatever the file's size.
actor CSVFileSource {
    private let handle: FileHandle
    private var reader: CSVReader
    private var intake: FileIntake
    private let chunkRows: Int
    private var done = false
    private var delivered = 0

    init(path: String, item: CatalogItem, catalog: Catalog, encoding: CSVReader.Encoding?, chunkRows: Int) throws {
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw DomainError.invalid(field: "file", reason: "无法打开文件 \(path)")
        }
        handle = h
        reader = CSVReader(encoding: encoding)
        intake = FileIntake(item: item, validator: CatalogValidator(catalog: catalog), today: CivilDate.today())
        self.chunkRows = chunkRows
    }

    /// The next rows, or `nil` at the end. Throws (refusing the whole file) on unreadable input.
    func next() throws -> [IntakeRow]? {
        guard !done else { return nil }
        do {
            while intake.rows.count < chunkRows {
                let data = try handle.read(upToCount: 1 << 20) ?? Data()
                if data.isEmpty {
                    try intake.add(try reader.finish())
                    done = true
                    try handle.close()
                    if delivered + intake.rows.count == 0 { _ = try intake.finish() }   // empty or header-only: refused
                    break
                }
                try intake.add(try reader.feed(data))
            }
        } catch let e as CSVReader.Failure {
            throw DomainError.invalid(field: "file", reason: "文件无法读取，未导入任何记录：\(e.description)")
        }
        let rows = intake.drain()
        delivered += rows.count
        return rows.isEmpty && done ? nil : rows
    }
}

extension Platform {
    /// `xinyong import`: one submission from a CSV file, applied in one transaction in chunks.
    public func importFile(_ path: String, itemCode: String, department: String, encoding: CSVReader.Encoding?,
                           actor: String = "cli", chunkRows: Int = 5000) async throws -> SubmissionResult {
        let catalog = try await store.catalog()
        guard let item = catalog.item(itemCode) else {
            throw DomainError.invalid(field: "item", reason: "目录项 \(itemCode) 不存在；可用：\(catalog.items.map(\.code).joined(separator: ", "))")
        }
        guard try await store.departments().contains(where: { $0.code == department }) else {
            throw DomainError.invalid(field: "department", reason: "部门 \(department) 不存在")
        }
        let source = try CSVFileSource(path: path, item: item, catalog: catalog, encoding: encoding, chunkRows: chunkRows)
        let first = try await source.next() ?? []   // the header is checked before any transaction starts
        return try await store.applySubmission(
            SubmissionDraft(item: item, department: department, channel: .cli, actor: actor, rows: first),
            next: { try await source.next() })
    }
}
