import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import XinyongCore

/// A small pool of SQLite connections to one file, exposed as an `SQLDatabase`.
///
/// sqlite-kit has no pool of its own that hands out `SQLDatabase`s, and each connection needs
/// its pragmas: foreign keys, and WAL journal mode on the file.
///
/// Writers never wait inside SQLite: SQLiteNIO runs statements on NIO's thread pool (as many
/// threads as cores), and a writer sleeping in SQLite's busy handler holds one of those threads.
/// With two cores, two such waiters blocked the transaction they waited for, which then could
/// not run its next statement: the server stalled for the whole busy timeout and failed with
/// "database is locked" (seen under concurrent credit checks). So `busy_timeout` is 0, write
/// transactions queue at an async gate (`exclusive`), and a statement that still meets a lock
/// (an autocommit write while a transaction commits) is retried after an async sleep.
final class SQLitePool: Sendable {
    private let state: State
    let eventLoop: any EventLoop
    let logger: Logger

    private actor State {
        var idle: [SQLiteConnection] = []
        var all: [SQLiteConnection] = []
        var waiters: [CheckedContinuation<SQLiteConnection, any Error>] = []
        var closed = false
        let storage: SQLiteConnection.Storage
        let size: Int
        let memoryMapBytes: Int
        let logger: Logger

        init(storage: SQLiteConnection.Storage, size: Int, memoryMapBytes: Int, logger: Logger) {
            self.storage = storage
            self.size = size
            self.memoryMapBytes = memoryMapBytes
            self.logger = logger
        }

        func open() async throws -> SQLiteConnection {
            let c = try await SQLiteConnection.open(storage: storage, logger: logger)
            for pragma in ["PRAGMA busy_timeout = 0", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = FULL",
                           "PRAGMA cache_size = -32768", "PRAGMA temp_store = MEMORY",
                           // See `StoreDatabase.open` for when a memory map helps and when it hurts.
                           "PRAGMA mmap_size = \(memoryMapBytes)"] {
                _ = try await c.query(pragma)
            }
            return c
        }

        func checkout() async throws -> SQLiteConnection {
            if closed { throw SQLitePoolClosed() }
            if let c = idle.popLast() { return c }
            if all.count < size {
                let c = try await open()
                all.append(c)
                return c
            }
            return try await withCheckedThrowingContinuation { waiters.append($0) }
        }

        func checkin(_ c: SQLiteConnection) {
            if !waiters.isEmpty {
                waiters.removeFirst().resume(returning: c)
            } else {
                idle.append(c)
            }
        }

        func close() async {
            closed = true
            for w in waiters { w.resume(throwing: SQLitePoolClosed()) }
            waiters = []
            for c in all { try? await c.close() }
            all = []
            idle = []
        }
    }

    init(path: String, size: Int, memoryMapBytes: Int, logger: Logger) async throws {
        self.logger = logger
        self.eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        let storage: SQLiteConnection.Storage = path == ":memory:" ? .memory : .file(path: path)
        self.state = State(storage: storage, size: path == ":memory:" ? 1 : max(size, 1), memoryMapBytes: max(0, memoryMapBytes), logger: logger)
        if path != ":memory:" {
            try await withConnection { c in _ = try await c.query("PRAGMA journal_mode = WAL") }
        }
    }

    func withConnection<R: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> R) async throws -> R {
        let c = try await state.checkout()
        do {
            let r = try await body(c)
            await state.checkin(c)
            return r
        } catch {
            await state.checkin(c)
            throw error
        }
    }

    func close() async { await state.close() }

    private let gate = WriteGate()

    /// Runs `body` while no other write transaction of this pool runs; waiting is asynchronous and
    /// ends after ``lockDeadline`` with a "busy, try again" error (503), as SQLite's own busy
    /// timeout did, rather than holding a request behind a long import indefinitely.
    func exclusive<R: Sendable>(_ body: @Sendable () async throws -> R) async throws -> R {
        try await gate.enter(timeout: Self.lockDeadline)
        do {
            let r = try await body()
            await gate.leave()
            return r
        } catch {
            await gate.leave()
            throw error
        }
    }

    /// Whether `error` says the database is locked by another writer (SQLiteNIO's, or the C API's
    /// through `SQLiteWriter`).
    static func isLocked(_ error: any Error) -> Bool {
        if let e = error as? SQLiteError { return [.busy, .busyInRecovery, .busyInSnapshot, .busyTimeout, .locked].contains(e.reason) }
        return (error as? SQLiteCError)?.isBusy == true
    }

    /// How long a statement keeps retrying a locked database before the error is passed on.
    static let lockDeadline: Duration = .seconds(10)

    /// Runs `body`, again after a short async sleep while SQLite answers that the database is
    /// locked (safe only for a statement outside a transaction, or for `BEGIN`).
    static func retryingWhileLocked<R: Sendable>(_ body: () async throws -> R) async throws -> R {
        let deadline = ContinuousClock.now + lockDeadline
        var pause: Duration = .microseconds(200)
        while true {
            do {
                return try await body()
            } catch where isLocked(error) && ContinuousClock.now < deadline {
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(10))
            }
        }
    }
}

/// A FIFO lock for async callers: `enter` suspends (never blocks a thread) until the previous
/// holder leaves, or fails once `timeout` has passed.
private actor WriteGate {
    private var held = false
    private var waiters: [(id: UInt64, waiter: CheckedContinuation<Void, any Error>)] = []
    private var nextID: UInt64 = 0

    func enter(timeout: Duration) async throws {
        if !held { held = true; return }
        let id = nextID
        nextID += 1
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            waiters.append((id, waiter))
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                await self?.expire(id)
            }
        }
    }

    private func expire(_ id: UInt64) {
        guard let i = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: i).waiter.resume(throwing: DomainError.unavailable("数据库正忙（另一项写入尚未完成），请稍后重试"))
    }

    func leave() {
        if waiters.isEmpty { held = false } else { waiters.removeFirst().waiter.resume() }
    }
}

struct SQLitePoolClosed: Error, CustomStringConvertible {
    var description: String { "SQLite 连接池已关闭" }
}

/// What the two SQLite adapters below share: SQLite's dialect, no query logging, and the
/// future-based `execute` through the async one.
protocol SQLiteAsyncDatabase: SQLDatabase {}

extension SQLiteAsyncDatabase {
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { try await self.execute(sql: query, onRow) }
        return promise.futureResult
    }
}

/// The pool as an `SQLDatabase`: each statement borrows a connection; `withSession` pins one.
/// Query logging is off: bind values (names, identity numbers) must never reach the logs.
struct SQLitePoolDatabase: SQLiteAsyncDatabase {
    let pool: SQLitePool
    var logger: Logger { pool.logger }
    var eventLoop: any EventLoop { pool.eventLoop }
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await SQLitePool.retryingWhileLocked {
            try await pool.withConnection { c in
                try await SQLiteConnectionDatabase(connection: c, logger: pool.logger).execute(sql: query, onRow)
            }
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let box = try await pool.withConnection { c in
            UnsafeTransfer(try await closure(SQLiteConnectionDatabase(connection: c, logger: pool.logger)))
        }
        return box.value
    }
}

/// SQLKit on one SQLite connection, as SQLiteKit's own adapter (`SQLiteDatabase.sql()`) does it,
/// but converting the common value types directly: SQLiteKit's encoder and decoder try a dynamic
/// protocol cast per value, and an optional column goes through a nested `Decoder`, which was 10% of
/// the transparency log's sequencing. Other types take SQLiteKit's own encoder and decoder, so
/// every value converts exactly as before. Query logging is off (see `SQLitePoolDatabase`).
struct SQLiteConnectionDatabase: SQLiteAsyncDatabase {
    let connection: SQLiteConnection
    let logger: Logger
    var eventLoop: any EventLoop { connection.eventLoop }
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        let (sql, binds) = serialize(query)
        try await connection.query(sql, try binds.map(Self.encode)) { onRow(SQLiteValuesRow(row: $0)) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    static func encode(_ value: any Encodable & Sendable) throws -> SQLiteData {
        switch value {
        case let v as Int64: .integer(Int(v))
        case let v as Int: .integer(v)
        case let v as String: .text(v)
        default: try SQLiteDataEncoder().encode(value)
        }
    }
}

/// What a row of SQLite values offers SQLKit: its columns by name.
protocol SQLiteDataRow: Sendable {
    var columnNames: [String] { get }
    func value(_ column: String) -> SQLiteData?
}

extension SQLiteRow: SQLiteDataRow {
    var columnNames: [String] { columns.map(\.name) }
    func value(_ column: String) -> SQLiteData? { self.column(column) }
}

/// A row read through `SQLiteConnectionDatabase` or `SQLiteWriterDatabase` (see there).
struct SQLiteValuesRow<Row: SQLiteDataRow>: SQLRow {
    let row: Row

    var allColumns: [String] { row.columnNames }
    func contains(column: String) -> Bool { row.value(column) != nil }
    func decodeNil(column: String) throws -> Bool { (row.value(column) ?? .null) == .null }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let data = row.value(column) else { throw SQLiteColumnMissing(column: column) }
        typealias K = SQLiteValueTypes
        // Compared by identity with types looked up once (`String?.self` here would look the
        // optional's metadata up on every call).
        switch ObjectIdentifier(D.self) {
        // (D is the very type converted to, so the bit casts are identities.)
        case K.string: return unsafeBitCast(try K.value(data, column, as: String.self), to: D.self)
        case K.int64: return unsafeBitCast(try K.value(data, column, as: Int64.self), to: D.self)
        case K.int: return unsafeBitCast(try K.value(data, column, as: Int.self), to: D.self)
        case K.optionalString: return unsafeBitCast(data == .null ? nil : try K.value(data, column, as: String.self), to: D.self)
        case K.optionalInt64: return unsafeBitCast(data == .null ? nil : try K.value(data, column, as: Int64.self), to: D.self)
        case K.optionalInt: return unsafeBitCast(data == .null ? nil : try K.value(data, column, as: Int.self), to: D.self)
        default: return try SQLiteDataDecoder().decode(D.self, from: data)
        }
    }
}

/// The value types `SQLiteValuesRow` converts directly.
private enum SQLiteValueTypes {
    /// One direct conversion. (Not nested in `decode`: a helper inside that generic function
    /// instantiated an optional's type metadata, under a lock, on every value: 7% of the audit.)
    @inline(__always) static func value<T: SQLiteDataConvertible>(_ data: SQLiteData, _ column: String, as: T.Type) throws -> T {
        guard let v = T(sqliteData: data) else {
            throw DecodingError.typeMismatch(T.self, .init(codingPath: [], debugDescription: "列 \(column) 的值不是 \(T.self)"))
        }
        return v
    }

    static let string = ObjectIdentifier(String.self), int64 = ObjectIdentifier(Int64.self), int = ObjectIdentifier(Int.self)
    static let optionalString = ObjectIdentifier(String?.self), optionalInt64 = ObjectIdentifier(Int64?.self)
    static let optionalInt = ObjectIdentifier(Int?.self)
}

struct SQLiteColumnMissing: Error, CustomStringConvertible {
    var column: String
    var description: String { "查询结果中没有列 \(column)" }
}

/// Carries a non-Sendable generic result out of the pinned-connection closure; the value is
/// produced and consumed by the same task.
struct UnsafeTransfer<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
