import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit
import SQLiteNIO
import VaporCSQLite

/// The write transactions of a SQLite file, on one connection through SQLite's C API with its
/// statements prepared once. ``transaction(_:)`` runs a whole transaction in one trip to NIO's
/// thread pool, for the writes that requests wait for — the credit-check log, durable before the
/// answer, and the transparency log's appends, which hold the write lock the check log needs.
/// ``session(logger:eventLoop:_:)`` runs every other write transaction, its statements through
/// SQLKit one trip each (``SQLiteWriterDatabase``), where a bulk step can still take one trip
/// for many rows (an import's new records).
///
/// Through SQLKit and SQLiteNIO a check's log took six trips (BEGIN, three inserts, COMMIT), each
/// a wake-up of a pool thread and of the waiting task, and each statement was parsed anew. Under
/// single checks at two connections that was half of a check's latency: p50 2.5 against 1.2 ms
/// with the log left out, p99 9–13 against 3–5 ms.
///
/// The transaction is taken with `BEGIN IMMEDIATE` inside the pool's write gate, so it queues
/// behind the pool's own write transactions without holding a thread; a lock held from outside the
/// gate (another process, an autocommit write) is waited out with async sleeps, as the pool does.
/// Binds are parameters, never text.
final class SQLiteWriter: Sendable {
    private let path: String
    private let memoryMapBytes: Int
    /// One connection, used by one transaction at a time (the write gate); nil once closed.
    private let connection = NIOLockedValueBox<(connection: SQLiteCConnection?, closed: Bool)>((nil, false))

    init(path: String, memoryMapBytes: Int) {
        self.path = path
        self.memoryMapBytes = memoryMapBytes
    }

    func close() { connection.withLockedValue { $0 = (nil, true) } }

    /// The connection, opened on first use (on a pool thread). As the pool's connections
    /// (`SQLitePool.open`); the file is in WAL mode already.
    private func open() throws -> SQLiteCConnection {
        try connection.withLockedValue { state -> SQLiteCConnection in
            if state.closed { throw SQLitePoolClosed() }
            if let c = state.connection { return c }
            let c = try SQLiteCConnection(path: self.path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                                          pragmas: ["PRAGMA busy_timeout = 0", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = FULL",
                                                    "PRAGMA cache_size = -32768", "PRAGMA temp_store = MEMORY",
                                                    "PRAGMA mmap_size = \(self.memoryMapBytes)"])
            state.connection = c
            return c
        }
    }

    /// Rolls back after a failure; a connection still inside a transaction (its rollback failed)
    /// is not reused.
    private func abandon(_ c: SQLiteCConnection) {
        try? c.execute("ROLLBACK")
        if !c.isAutocommit { connection.withLockedValue { if $0.connection === c { $0.connection = nil } } }
    }

    /// Runs `body` in one write transaction on the thread pool and commits it. The caller holds
    /// the pool's write gate. Any error rolls the transaction back and is passed on; a busy
    /// database at `BEGIN` is retried until the pool's lock deadline.
    func transaction<R: Sendable>(_ body: @escaping @Sendable (SQLiteCConnection) throws -> R) async throws -> R {
        try await SQLitePool.retryingWhileLocked {
            try await NIOThreadPool.singleton.runIfActive {
                let c = try self.open()
                try c.execute("BEGIN IMMEDIATE")   // busy: nothing begun, retried after an async sleep
                do {
                    let r = try body(c)
                    try c.execute("COMMIT")
                    return r
                } catch {
                    self.abandon(c)
                    throw error
                }
            }
        }
    }

    /// Runs `body` in one write transaction whose statements come through SQLKit
    /// (``SQLiteWriterDatabase``: one trip to the thread pool each, prepared once per text), and
    /// commits it: every write transaction of a SQLite file (`StoreDatabase.transaction`). The
    /// caller holds the pool's write gate; `BEGIN` is retried while another process holds the lock.
    func session<R: Sendable>(logger: Logger, eventLoop: any EventLoop,
                              _ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let c = try await SQLitePool.retryingWhileLocked {
            try await NIOThreadPool.singleton.runIfActive {
                let c = try self.open()
                try c.execute("BEGIN IMMEDIATE")
                return c
            }
        }
        do {
            let r = try await body(SQLiteWriterDatabase(connection: c, logger: logger, eventLoop: eventLoop))
            try await NIOThreadPool.singleton.runIfActive { try c.execute("COMMIT") }
            return r
        } catch {
            try? await NIOThreadPool.singleton.runIfActive { self.abandon(c) }
            throw error
        }
    }
}

/// SQLKit on the writer's connection inside ``SQLiteWriter/session(logger:eventLoop:_:)``. Through
/// SQLiteNIO every statement was parsed anew and every value converted twice; a bulk import's
/// multi-row inserts (the same text chunk after chunk) were parsed 3,000 times per million rows.
/// Here a text is prepared once and kept (``SQLiteCConnection``), values are bound directly, and
/// rows come back as SQLite's values read by the same row type the pool's connections use.
struct SQLiteWriterDatabase: SQLiteAsyncDatabase {
    let connection: SQLiteCConnection
    let logger: Logger
    let eventLoop: any EventLoop

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        let (sql, binds) = serialize(query)
        let values = try binds.map { SQLiteValue(try SQLiteConnectionDatabase.encode($0)) }
        let c = connection
        for row in try await NIOThreadPool.singleton.runIfActive({ try c.rows(sql, values) }) { onRow(SQLiteValuesRow(row: row)) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    /// Runs `body` on the transaction's connection in one trip to the thread pool: for statements
    /// repeated row by row in bulk (an import's new records), prepared once, without SQLKit.
    func direct<R: Sendable>(_ body: @escaping @Sendable (SQLiteCConnection) throws -> R) async throws -> R {
        let c = connection
        return try await NIOThreadPool.singleton.runIfActive { try body(c) }
    }
}

/// A row read through ``SQLiteCConnection/rows(_:_:)``: SQLite's values with their column names
/// (shared by the rows of one statement).
struct SQLiteCRow: SQLiteDataRow {
    final class Columns: Sendable {
        let names: [String]
        private let index: [String: Int]
        init(names: [String]) {
            self.names = names
            // The first column of a name wins, as SQLiteNIO's rows do.
            index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
        func position(_ name: String) -> Int? { index[name] }
    }
    let columns: Columns
    let values: [SQLiteData]
    var columnNames: [String] { columns.names }
    func value(_ column: String) -> SQLiteData? { columns.position(column).map { values[$0] } }
}

/// A value bound to a statement parameter.
enum SQLiteValue {
    case int(Int64)
    case text(String)
    /// UTF-8 text already encoded (bound without a `String`).
    case utf8([UInt8])
    case blob([UInt8])
    case double(Double)
    case null

    init(_ v: String?) { self = v.map(SQLiteValue.text) ?? .null }
    init(_ v: Int64?) { self = v.map(SQLiteValue.int) ?? .null }

    /// A value as SQLiteNIO's encoder gives it (see `SQLiteConnectionDatabase.encode`).
    init(_ data: SQLiteData) {
        switch data {
        case .integer(let i): self = .int(Int64(i))
        case .float(let d): self = .double(d)
        case .text(let t): self = .text(t)
        case .blob(let b): self = .blob(Array(b.readableBytesView))
        case .null: self = .null
        }
    }
}

/// One connection through SQLite's C API (the writer's, or a scanner's read-only one), with the
/// statements it ran kept prepared by SQL text; used by one thread at a time.
final class SQLiteCConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    private var statements: [String: (statement: OpaquePointer, used: UInt64)] = [:]

    init(path: String, flags: Int32, pragmas: [String]) throws {
        handle = try openSQLite(path, flags: flags, pragmas: pragmas)
    }

    deinit {
        for s in statements.values { sqlite_nio_sqlite3_finalize(s.statement) }
        for s in retired { sqlite_nio_sqlite3_finalize(s) }
        sqlite_nio_sqlite3_close_v2(handle)
    }

    /// The connection's last failure (with SQLite's extended code, e.g. which constraint failed).
    private func error(_ rc: Int32) -> SQLiteCError {
        let extended = sqlite_nio_sqlite3_extended_errcode(handle)
        return SQLiteCError(code: extended & 0xff == rc & 0xff ? extended : rc, message: String(cString: sqlite_nio_sqlite3_errmsg(handle)))
    }

    /// Whether no transaction is open on the connection.
    var isAutocommit: Bool { sqlite_nio_sqlite3_get_autocommit(handle) != 0 }

    /// Runs a statement without parameters or results (transaction control, pragmas).
    func execute(_ sql: String) throws {
        let rc = sqlite_nio_sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc) }
    }

    /// Runs `sql` (a constant of the store) with `binds` (`?1`, `?2`, …) and returns the rowid of
    /// the row it inserted.
    @discardableResult
    func insert(_ sql: String, _ binds: [SQLiteValue]) throws -> Int64 {
        _ = try query(sql, binds) { _ in () }
        return sqlite_nio_sqlite3_last_insert_rowid(handle)
    }

    /// Runs `sql` (each text is prepared once and kept, see ``statement(_:)``) with `binds` and
    /// maps every row it returns with `row` (read by column position).
    func query<T>(_ sql: String, _ binds: [SQLiteValue], _ row: (inout ScanRow) throws -> T) throws -> [T] {
        try run(sql, binds) { s in try ScanRow.all(s, row, failed: { error(sqlite_nio_sqlite3_extended_errcode(handle)) }) }
    }

    /// Runs `sql` with `binds` and returns every row with its column names (for SQLKit).
    func rows(_ sql: String, _ binds: [SQLiteValue]) throws -> [SQLiteCRow] {
        try run(sql, binds) { s in
            let n = sqlite_nio_sqlite3_column_count(s)
            guard n > 0 else {
                _ = try ScanRow.all(s, { _ in () }, failed: { error(sqlite_nio_sqlite3_extended_errcode(handle)) })
                return []
            }
            let columns = SQLiteCRow.Columns(names: (0..<n).map { String(cString: sqlite_nio_sqlite3_column_name(s, $0)) })
            return try ScanRow.all(s, { r in SQLiteCRow(columns: columns, values: (0..<n).map { r.data($0) }) },
                                   failed: { error(sqlite_nio_sqlite3_extended_errcode(handle)) })
        }
    }

    /// Prepares (or reuses) `sql`, binds `binds` (`?1`, `?2`, …) and runs `body` on the statement,
    /// which is reset afterwards.
    private func run<T>(_ sql: String, _ binds: [SQLiteValue], _ body: (OpaquePointer) throws -> T) throws -> T {
        let s = try statement(sql)
        defer {
            sqlite_nio_sqlite3_reset(s)
            sqlite_nio_sqlite3_clear_bindings(s)
            for r in retired { sqlite_nio_sqlite3_finalize(r) }
            retired.removeAll()
        }
        for (i, v) in binds.enumerated() {
            let n = Int32(i + 1)
            let rc: Int32
            switch v {
            case .int(let x): rc = sqlite_nio_sqlite3_bind_int64(s, n, x)
            case .double(let x): rc = sqlite_nio_sqlite3_bind_double(s, n, x)
            case .null: rc = sqlite_nio_sqlite3_bind_null(s, n)
            case .text(let t):
                var t = t
                rc = t.withUTF8 { Self.bindText(s, n, $0) }
            case .utf8(let bytes):
                rc = bytes.withUnsafeBufferPointer { Self.bindText(s, n, $0) }
            case .blob(let bytes):
                rc = bytes.withUnsafeBytes { sqlite_nio_sqlite3_bind_blob(s, n, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count), Self.transient) }
            }
            guard rc == SQLITE_OK else { throw error(rc) }
        }
        return try body(s)
    }

    /// The prepared statement for `sql`. The most recently used texts are kept (SQLKit's texts
    /// repeat: the store's statements, and multi-row inserts and `IN` lists of a few counts); the
    /// least recently used one is finalized when a new text needs the room.
    private func statement(_ sql: String) throws -> OpaquePointer {
        clock &+= 1
        if let kept = statements[sql] {
            statements[sql] = (kept.statement, clock)
            return kept.statement
        }
        var s: OpaquePointer?
        let rc = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &s, nil)
        guard rc == SQLITE_OK, let s else { throw error(rc) }
        if statements.count >= Self.keptStatements, let oldest = statements.min(by: { $0.value.used < $1.value.used }) {
            statements[oldest.key] = nil
            retired.append(oldest.value.statement)   // finalized once the statement now running is reset
        }
        statements[sql] = (s, clock)
        return s
    }

    private static let keptStatements = 128
    private var clock: UInt64 = 0
    /// Statements let go of, finalized after the statement running now.
    private var retired: [OpaquePointer] = []

    /// Binds UTF-8 bytes as text (an empty text is not NULL).
    private static func bindText(_ s: OpaquePointer, _ n: Int32, _ b: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard b.count > 0 else { return sqlite_nio_sqlite3_bind_text(s, n, "", 0, transient) }
        return b.withMemoryRebound(to: CChar.self) { sqlite_nio_sqlite3_bind_text(s, n, $0.baseAddress, Int32($0.count), transient) }
    }

    /// SQLite copies the bound bytes (the Swift buffer lives only for the call).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
