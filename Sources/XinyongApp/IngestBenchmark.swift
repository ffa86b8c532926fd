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
        let records = DemoRecords(data: DemoData(seed: seed), today: CivilDate(year: 2026, month: 11, day: 1)!)
        let tmp = path + ".part"
        _ = try records.writeCSV(item: "xzcf", rows: 0..<rows, department: nil, population: population, to: tmp)
        try FileManager.default.moveItem(atPath: tmp, toPath: path)
        return path
    }

    /// Peak resident memory of this process since the last ``resetPeak()`` (Linux `VmHWM`), in MB;
    /// elsewhere the peak since the process started.
    public static func peakMB() -> Double {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kb = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) {
            return kb / 1024
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// The process's own memory now (Linux `RssAnon`: heap and stacks, not the database file's pages
    /// SQLite reads through its memory map, which `VmHWM` counts), in MB; nil elsewhere.
    public static func anonymousMB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") }),
              let kb = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return nil }
        return kb / 1024
    }

    /// Runs `body` while sampling ``anonymousMB()`` every 20 ms; returns its result and the highest sample.
    public static func sampleAnonymousPeak<R: Sendable>(_ body: () async throws -> R) async throws -> (result: R, peakMB: Double?) {
        let sampler = Task.detached { () -> Double? in
            var peak: Double? = nil
            while !Task.isCancelled {
                if let now = anonymousMB() { peak = max(peak ?? 0, now) }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return peak
        }
        do {
            let r = try await body()
            sampler.cancel()
            let peak = await sampler.value
            return (r, [peak, anonymousMB()].compactMap { $0 }.max())
        } catch {
            sampler.cancel()
            throw error
        }
    }

    /// Starts a new peak-memory measurement (Linux: writing 5 to `/proc/self/clear_refs` resets
    /// `VmHWM` to the current resident size), so each run reports its own peak.
    public static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
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

    static let sqlite3 = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs the `sqlite3` shell with `arguments` (and `input` on its standard input); its standard
    /// output and the wall-clock seconds, or `nil` when there is no shell or it failed.
    static func shell(_ arguments: [String], input: String? = nil) throws -> (output: String, seconds: Double)? {
        guard let sqlite3 else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: sqlite3)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        let inPipe = Pipe()
        if input != nil { p.standardInput = inPipe }
        let start = ContinuousClock.now
        try p.run()
        if let input {
            try inPipe.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try inPipe.fileHandleForWriting.close()
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let d = ContinuousClock.now - start
        guard p.terminationStatus == 0 else { return nil }
        return (String(decoding: output, as: UTF8.self), Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    /// `sqlite3 .import` of the file into a bare table of a new database, timed by wall clock.
    public static func sqliteImport(file: String) throws -> Double? {
        let db = NSTemporaryDirectory() + "xinyong-bare-\(getpid()).sqlite"
        defer { try? FileManager.default.removeItem(atPath: db) }
        return try shell([db, ".mode csv", ".import \(file) bare"])?.seconds
    }

    /// The storage floor: the records an import wrote (already parsed, validated and encoded),
    /// copied by SQLite alone into a new database with the same `credit_records` and `change_log`
    /// tables and indexes, with their change-log events, in one transaction (WAL, synchronous FULL,
    /// the same page cache), timed by wall clock. No intake on this schema can be faster.
    public static func sqliteFloor(database: String) throws -> (seconds: Double, rows: Int)? {
        guard let ddl = try shell([database, """
            SELECT sql || ';' FROM sqlite_master WHERE tbl_name IN ('credit_records', 'change_log') AND sql IS NOT NULL ORDER BY type DESC
            """])?.output, let counted = try shell([database, "SELECT count(*) FROM credit_records"]),
              let rows = Int(counted.output.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        let db = NSTemporaryDirectory() + "xinyong-floor-\(getpid()).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) } }
        guard try shell([db], input: "PRAGMA journal_mode = WAL;\n" + ddl) != nil else { return nil }
        let copy = """
            PRAGMA synchronous = FULL; PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY;
            ATTACH '\(database)' AS w;
            BEGIN;
            INSERT INTO credit_records SELECT * FROM w.credit_records ORDER BY id;
            INSERT INTO change_log (at, event, item_code, record_id, version, subject_id, submission_id, actor)
              SELECT received_at, 'record.created', item_code, id, 1, subject_id, submission_id, 'floor' FROM credit_records ORDER BY id;
            COMMIT;
            """
        guard let run = try shell([db], input: copy) else { return nil }
        return (run.seconds, rows)
    }
}
