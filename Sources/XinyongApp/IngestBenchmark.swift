import Foundation
import Logging
import XinyongCore

/// `xinyong bench-ingest`: a 行政处罚 CSV of synthetic, valid records for the demo population
/// imported end to end (parse, validate, link, upsert, publicity, change log), then imported
/// again unchanged; on SQLite, `sqlite3 .import` of the same file into a bare table in the same run.
public struct IngestBenchmark: Sendable {
    public let rows: Int
    public let seed: UInt64
    public init(rows: Int, seed: UInt64) { self.rows = rows; self.seed = seed }

    /// Writes the CSV (Chinese template headers, UTF-8) in a stream, unless it exists already.
    public func csvFile(directory: String, population: Int) throws -> String {
        let path = "\(directory)/bench-xzcf-\(rows).csv"
        if FileManager.default.fileExists(atPath: path) { return path }
        let item = Catalog.shipped.item("xzcf")!
        let records = DemoRecords(data: DemoData(seed: seed), today: CivilDate(year: 2026, month: 11, day: 1)!)
        let tmp = path + ".part"
        FileManager.default.createFile(atPath: tmp, contents: nil)
        guard let out = FileHandle(forWritingAtPath: tmp) else { throw DomainError.invalid(field: "file", reason: "无法写入 \(tmp)") }
        var buffer = FileIntake.csvLine(FileIntake.headers(item))
        for n in 0..<rows {
            let row = records.penalty(n, population: population)
            buffer += FileIntake.csvLine(item.fields.map { row[$0.name] ?? "" })
            if buffer.utf8.count > 1 << 20 { try out.write(contentsOf: Data(buffer.utf8)); buffer = "" }
        }
        try out.write(contentsOf: Data(buffer.utf8))
        try out.close()
        try FileManager.default.moveItem(atPath: tmp, toPath: path)
        return path
    }

    /// Peak resident memory of this process so far, in MB.
    public static func peakMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    public struct Run: Sendable { public var seconds: Double; public var result: SubmissionResult }

    public func importOnce(_ platform: Platform, file: String) async throws -> Run {
        let start = ContinuousClock.now
        let result = try await platform.importFile(file, itemCode: "xzcf", department: "SCJGJ", encoding: .utf8)
        let d = ContinuousClock.now - start
        return Run(seconds: Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18, result: result)
    }

    /// Reading and validating the file alone (no database): the intake's CPU ceiling.
    public func parseOnly(file: String, catalog: Catalog) async throws -> Double {
        let item = catalog.item("xzcf")!
        let source = try FileRowSource(path: file, item: item, catalog: catalog, encoding: .utf8, chunkRows: 5000)
        let start = ContinuousClock.now
        var n = 0
        while let rows = try await source.next() { n += rows.count }
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// `sqlite3 .import` of the file into a bare table of a new database, timed by wall clock.
    public static func sqliteImport(file: String) throws -> Double? {
        guard let sqlite3 = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        let db = NSTemporaryDirectory() + "xinyong-bare-\(getpid()).sqlite"
        defer { try? FileManager.default.removeItem(atPath: db) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: sqlite3)
        p.arguments = [db, ".mode csv", ".import \(file) bare"]
        p.standardOutput = FileHandle.nullDevice
        let start = ContinuousClock.now
        try p.run()
        p.waitUntilExit()
        let d = ContinuousClock.now - start
        guard p.terminationStatus == 0 else { return nil }
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
