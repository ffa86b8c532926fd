import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLiteNIO
import VaporCSQLite

/// Reads of a SQLite file through SQLite's C API, on read-only connections of their own: for the
/// bulk readers that take hundreds of thousands of rows (the ledger audit, and the sequencer's
/// read-ahead outside its transaction), and for the two reads of every credit check, whose
/// statements stay prepared (SQLiteNIO parses every statement anew: 6% of a check's CPU).
///
/// Through SQLiteNIO and SQLKit every row became an array of tagged values, every text a Swift
/// `String` checked as UTF-8, and every column was then looked up by name: on the audit of the
/// 892,923-event log that was 40% of the processor time, against 12% for SQLite's own work. Here a
/// row is read in place by column position, and the caller copies only what it keeps.
///
/// Statements run on NIO's thread pool (as SQLiteNIO's do), never on the concurrency pool that does
/// the caller's hashing. Binds are parameters, never text. Each scan is one statement, so one read
/// transaction: a scan in batches sees each batch as of its own start, as the pooled reads do.
final class SQLiteScanner: Sendable {
    private let path: String
    private let memoryMapBytes: Int
    /// Connections between scans; after `close`, none are kept.
    private let idle = NIOLockedValueBox<(connections: [SQLiteCConnection], closed: Bool)>(([], false))

    init(path: String, memoryMapBytes: Int) {
        self.path = path
        self.memoryMapBytes = memoryMapBytes
    }

    /// Closes the idle connections; a scan still running closes its own when it ends.
    func close() { idle.withLockedValue { $0 = ([], true) } }

    /// Runs `sql` (a constant of the store, or one with a number of `?` built from a count: never
    /// built from input) with parameters `binds` (`?1`, `?2`, …) and maps every row with `row`. A
    /// connection whose scan failed is closed, not reused.
    func rows<T: Sendable>(_ sql: String, _ binds: [SQLiteValue], _ row: @escaping @Sendable (inout ScanRow) throws -> T) async throws -> [T] {
        try await withConnection { c in try c.query(sql, binds, row) }
    }

    /// Runs `body`'s statements (through ``SQLiteCConnection/query(_:_:_:)``) in one read
    /// transaction, in one trip to the thread pool: reads that depend on each other (a credit
    /// check's subjects, then their records) see one state of the file and cost one wake-up of a
    /// pool thread instead of one per statement.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteCConnection) throws -> T) async throws -> T {
        try await withConnection { c in
            try c.execute("BEGIN")   // on a failure the connection is closed, which ends its transaction
            let out = try body(c)
            try c.execute("COMMIT")
            return out
        }
    }

    private func withConnection<T: Sendable>(_ body: @escaping @Sendable (SQLiteCConnection) throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive {
            let c = try self.idle.withLockedValue { $0.connections.popLast() }
                ?? SQLiteCConnection(path: self.path, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                                     pragmas: ["PRAGMA mmap_size = \(self.memoryMapBytes)", "PRAGMA cache_size = -32768"])
            let out = try body(c)
            self.idle.withLockedValue { if !$0.closed { $0.connections.append(c) } }
            return out
        }
    }
}

/// Opens `path` through the C API with `flags` and runs `pragmas` on the new connection.
func openSQLite(_ path: String, flags: Int32, pragmas: [String]) throws -> OpaquePointer {
    var h: OpaquePointer?
    let rc = sqlite_nio_sqlite3_open_v2(path, &h, flags, nil)
    guard rc == SQLITE_OK, let h else {
        let message = h.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "code \(rc)"
        if let h { sqlite_nio_sqlite3_close_v2(h) }
        throw SQLiteCError(code: rc, message: "无法打开 SQLite 数据库：\(message)")
    }
    for pragma in pragmas {
        let rc = sqlite_nio_sqlite3_exec(h, pragma, nil, nil, nil)
        guard rc == SQLITE_OK else {
            let e = SQLiteCError(code: rc, message: String(cString: sqlite_nio_sqlite3_errmsg(h)))
            sqlite_nio_sqlite3_close_v2(h)
            throw e
        }
    }
    return h
}

/// A failure reported by SQLite's C API (the scanner's and the writer's own connections).
struct SQLiteCError: Error, CustomStringConvertible {
    var code: Int32
    var message: String
    var description: String { message }
    /// Another connection holds the lock (the caller may wait and try again).
    var isBusy: Bool { code & 0xff == SQLITE_BUSY || code & 0xff == SQLITE_LOCKED }
}

/// The current row of a scan, read by column position (0-based). Valid only inside the callback.
struct ScanRow {
    let statement: OpaquePointer
    /// Short texts seen in earlier rows of the scan (event kinds, catalog items: a few dozen values
    /// over a million rows, each a heap `String` otherwise).
    private var known: [(bytes: [UInt8], text: String)] = []

    init(statement: OpaquePointer) { self.statement = statement }

    /// Steps `statement` (its parameters bound) to the end, mapping every row with `body`.
    static func all<T>(_ statement: OpaquePointer, _ body: (inout ScanRow) throws -> T, failed: () -> SQLiteCError) throws -> [T] {
        var out: [T] = []
        var row = ScanRow(statement: statement)
        while true {
            switch sqlite_nio_sqlite3_step(statement) {
            case SQLITE_ROW: out.append(try body(&row))
            case SQLITE_DONE: return out
            default: throw failed()
            }
        }
    }

    func isNull(_ i: Int32) -> Bool { sqlite_nio_sqlite3_column_type(statement, i) == SQLITE_NULL }

    /// The column's value as SQLiteNIO represents it (for SQLKit's rows).
    func data(_ i: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, i) {
        case SQLITE_INTEGER: .integer(Int(int64(i)))
        case SQLITE_FLOAT: .float(sqlite_nio_sqlite3_column_double(statement, i))
        case SQLITE_TEXT: .text(string(i))
        case SQLITE_BLOB: .blob(ByteBuffer(bytes: rawBytes(i)))
        default: .null
        }
    }

    func int64(_ i: Int32) -> Int64 { sqlite_nio_sqlite3_column_int64(statement, i) }

    /// The column's text or blob bytes, in place: valid until the scan moves to the next row (empty
    /// for NULL). Texts as stored, without conversion.
    func rawBytes(_ i: Int32) -> UnsafeRawBufferPointer {
        let p = sqlite_nio_sqlite3_column_blob(statement, i)
        return UnsafeRawBufferPointer(start: p, count: p == nil ? 0 : Int(sqlite_nio_sqlite3_column_bytes(statement, i)))
    }

    func bytes(_ i: Int32) -> [UInt8] { Array(rawBytes(i)) }

    /// The column's text (empty for NULL).
    func string(_ i: Int32) -> String { String(decoding: rawBytes(i), as: UTF8.self) }

    /// The column's text, or nil for NULL.
    func optionalString(_ i: Int32) -> String? { isNull(i) ? nil : string(i) }

    /// The column's text, shared with an earlier row's when the bytes are the same (for columns of
    /// few distinct values).
    mutating func knownString(_ i: Int32) -> String {
        let b = rawBytes(i)
        for e in known where e.bytes.count == b.count {
            if b.isEmpty || e.bytes.withUnsafeBytes({ memcmp($0.baseAddress!, b.baseAddress!, b.count) == 0 }) { return e.text }
        }
        let s = String(decoding: b, as: UTF8.self)
        if known.count < 256 { known.append((Array(b), s)) }
        return s
    }
}
