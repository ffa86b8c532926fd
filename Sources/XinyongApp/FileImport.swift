import Foundation
import Logging
import XinyongCore
import XinyongSheets
import XinyongStore

/// Reads a CSV or .xlsx file for `xinyong import` on a thread of its own: parsing and validation
/// run on one core while the store writes on another. At most `depth` chunks wait between them,
/// so memory stays bounded whatever the file's size. A file that cannot be read ends the stream
/// with the reason, and the store's transaction (which has applied nothing durable yet) rolls back.
final class FileRowSource: Sendable {
    private let stream: AsyncThrowingStream<[IntakeRow], any Error>
    private let state: State
    private let slots: DispatchSemaphore

    private actor State {
        var iterator: AsyncThrowingStream<[IntakeRow], any Error>.AsyncIterator
        init(_ i: AsyncThrowingStream<[IntakeRow], any Error>.AsyncIterator) { iterator = i }
        func next() async throws -> [IntakeRow]? {
            var i = iterator
            defer { iterator = i }
            return try await i.next(isolation: self)
        }
    }

    private final class Flag: @unchecked Sendable {   // set once by the consumer side, read by the producer thread
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    init(path: String, item: CatalogItem, catalog: Catalog, encoding: CSVReader.Encoding?, chunkRows: Int, depth: Int = 2) throws {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw DomainError.invalid(field: "file", reason: "无法打开文件 \(path)")
        }
        let isXLSX = path.lowercased().hasSuffix(".xlsx")
        let slots = DispatchSemaphore(value: depth)
        let stopped = Flag()
        let (stream, continuation) = AsyncThrowingStream<[IntakeRow], any Error>.makeStream()
        continuation.onTermination = { _ in stopped.set(); slots.signal() }
        self.stream = stream
        self.slots = slots
        state = State(stream.makeAsyncIterator())
        let today = CivilDate.today()
        let thread = Thread {
            var intake = FileIntake(item: item, validator: CatalogValidator(catalog: catalog), today: today)
            var delivered = 0
            struct Stop: Error {}
            func deliver(all: Bool) throws {
                while intake.rows.count >= chunkRows || (all && !intake.rows.isEmpty) {
                    slots.wait()
                    if stopped.isSet { throw Stop() }
                    let rows = intake.drain()
                    delivered += rows.count
                    continuation.yield(rows)
                }
            }
            do {
                if isXLSX {
                    try XLSXReader(url: URL(fileURLWithPath: path)).forEachBatch { records in
                        try intake.add(records)
                        try deliver(all: false)
                    }
                } else {
                    guard let handle = FileHandle(forReadingAtPath: path) else { throw DomainError.invalid(field: "file", reason: "无法打开文件 \(path)") }
                    defer { try? handle.close() }
                    var reader = CSVReader(encoding: encoding)
                    while true {
                        let data = try handle.read(upToCount: 1 << 20) ?? Data()
                        if data.isEmpty { break }
                        try intake.add(try reader.feed(data))
                        try deliver(all: false)
                    }
                    try intake.add(try reader.finish())
                }
                if delivered + intake.rows.count == 0 { _ = try intake.finish() }   // empty or header-only: refused
                try deliver(all: true)
                continuation.finish()
            } catch is Stop {
                continuation.finish()
            } catch let e as CSVReader.Failure {
                continuation.finish(throwing: DomainError.invalid(field: "file", reason: "文件无法读取，未导入任何记录：\(e.description)"))
            } catch let e as XLSXFailure {
                continuation.finish(throwing: DomainError.invalid(field: "file", reason: "文件无法读取，未导入任何记录：\(e.reason)"))
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.name = "xinyong-import-reader"
        thread.start()
    }

    /// The next chunk of rows, or `nil` at the end.
    func next() async throws -> [IntakeRow]? {
        let rows = try await state.next()
        if rows != nil { slots.signal() }
        return rows
    }
}

extension Platform {
    /// `xinyong import`: one submission from a CSV or .xlsx file, applied in one transaction in chunks.
    public func importFile(_ path: String, itemCode: String, department: String, encoding: CSVReader.Encoding?,
                           actor: String = "cli", chunkRows: Int = 2000) async throws -> SubmissionResult {
        let catalog = try await store.catalog()
        guard let item = catalog.item(itemCode) else {
            throw DomainError.invalid(field: "item", reason: "目录项 \(itemCode) 不存在；可用：\(catalog.items.map(\.code).joined(separator: ", "))")
        }
        guard try await store.departments().contains(where: { $0.code == department }) else {
            throw DomainError.invalid(field: "department", reason: "部门 \(department) 不存在")
        }
        let source = try FileRowSource(path: path, item: item, catalog: catalog, encoding: encoding, chunkRows: chunkRows)
        let first = try await source.next() ?? []   // the header is checked before any transaction starts
        return try await store.applySubmission(
            SubmissionDraft(item: item, department: department, channel: path.lowercased().hasSuffix(".xlsx") ? .xlsx : .cli,
                            actor: actor, rows: first, catalog: catalog),
            next: { try await source.next() })
    }
}
