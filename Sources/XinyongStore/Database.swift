import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit
import XinyongCore

/// Which database the platform runs on, parsed from `XINYONG_DATABASE_URL` / `--database`.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// Parses `sqlite:///abs/path`, `sqlite://relative/path`, `sqlite::memory:`, or `postgres://…`/`postgresql://…`:
    /// over TCP `postgres://user:pw@host:port/db`, or through the server's Unix socket on the same machine
    /// as libpq writes it, `postgres://user@/db?host=/run/postgresql` (the socket's directory; the port,
    /// 5432 unless given as `?port=` or after the `@`, names the socket file).
    public init(url: String) throws(LocationError) {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            let c = URLComponents(string: url)
            let socket = if let c { try Self.socketPath(c) } else { String?.none }
            guard let c, c.user != nil, !(c.host ?? "").isEmpty || socket != nil else {
                throw LocationError(message: "无法解析 PostgreSQL 地址（应为 postgres://用户:密码@主机:端口/数据库，或经本机套接字 postgres://用户@/数据库?host=/套接字目录）")
            }
            self = .postgres(url: url)
        } else if url == "sqlite::memory:" || url == "sqlite://:memory:" {
            self = .sqlite(path: ":memory:")
        } else if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw LocationError(message: "SQLite 地址缺少文件路径（应为 sqlite:///绝对路径 或 sqlite://相对路径）") }
            self = .sqlite(path: path)
        } else {
            throw LocationError(message: "不支持的数据库地址：应以 sqlite:// 或 postgres:// 开头")
        }
    }

    /// The path of the server's Unix socket when a PostgreSQL URL names its directory (`?host=/dir`,
    /// libpq's form): the file `.s.PGSQL.<port>` there, the port given after the `@` or as `?port=`, else 5432.
    static func socketPath(_ c: URLComponents) throws(LocationError) -> String? {
        guard let dir = c.queryItems?.last(where: { $0.name == "host" })?.value, dir.hasPrefix("/") else { return nil }
        var port = c.port ?? 5432
        if let given = c.queryItems?.last(where: { $0.name == "port" })?.value {
            guard let n = Int(given), (1...65535).contains(n) else { throw LocationError(message: "PostgreSQL 地址中的端口 port=\(given) 不是 1–65535 的数字") }
            port = n
        }
        return "\(dir)/.s.PGSQL.\(port)"
    }

    public struct LocationError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The URL with any password replaced, safe to log.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite://\(path)"
        case .postgres(let url):
            guard var c = URLComponents(string: url) else { return "postgres://***" }
            if c.password != nil { c.password = "***" }
            return c.string ?? "postgres://***"
        }
    }
}

/// The two SQL dialects. Code that must differ between them switches on this, and only in
/// clearly marked places (migrations, transaction start, error classification, bulk limits).
public enum Dialect: String, Sendable, CaseIterable {
    case sqlite, postgres
}

/// An open database: the `SQLDatabase` every repository method uses, and its dialect.
public final class StoreDatabase: Sendable {
    public let sql: any SQLDatabase
    public let dialect: Dialect
    /// Bulk reads of a SQLite file through the C API (nil on PostgreSQL and in memory).
    let scanner: SQLiteScanner?
    /// Small durable writes of a SQLite file through the C API (nil on PostgreSQL and in memory).
    private let writer: SQLiteWriter?
    /// The PostgreSQL pool itself, and the logger for its queries, for statements run through
    /// PostgresNIO without SQLKit (see ``withPostgresConnection(_:)``; nil on SQLite).
    private let postgresPool: UnsafeTransfer<EventLoopGroupConnectionPool<PostgresConnectionSource>>?
    private let postgresLogger: Logger
    /// The PostgreSQL connection the check log writes on (nil on SQLite).
    private let checkLog: CheckLogConnection?
    /// The pool's event loops as task executors, by loop (empty on SQLite).
    private let loopExecutors: [ObjectIdentifier: EventLoopTaskExecutor]
    /// Gives up a transaction whose pooled connection closed under it (see `ConnectionWatch`).
    private let poolWatch: ConnectionWatch
    private let closeAction: @Sendable () async throws -> Void

    init(sql: any SQLDatabase, dialect: Dialect, scanner: SQLiteScanner? = nil, writer: SQLiteWriter? = nil,
         postgres: EventLoopGroupConnectionPool<PostgresConnectionSource>? = nil, checkLog: CheckLogConnection? = nil,
         logger: Logger? = nil, close: @escaping @Sendable () async throws -> Void) {
        self.sql = sql
        self.dialect = dialect
        self.scanner = scanner
        self.writer = writer
        self.postgresPool = postgres.map(UnsafeTransfer.init)
        self.postgresLogger = logger ?? Logger(label: "xinyong.postgres")
        self.checkLog = checkLog
        var executors: [ObjectIdentifier: EventLoopTaskExecutor] = [:]
        for loop in postgres?.eventLoopGroup.makeIterator() ?? EventLoopIterator([]) {
            executors[ObjectIdentifier(loop)] = EventLoopTaskExecutor(loop)
        }
        self.loopExecutors = executors
        self.poolWatch = ConnectionWatch(logger: self.postgresLogger)
        self.closeAction = close
    }

    /// Runs one statement on PostgreSQL through PostgresNIO and returns its rows, for the caller to
    /// read by column position (`PostgresRow.decode(_:)` with a tuple of `PostgresDecodable` types).
    /// For the hot paths only: SQLKit reads each value by column name through `Decodable`, building
    /// a coding path per value, which was a fifth of a PostgreSQL check batch's server time.
    /// Dialect difference: only when ``dialect`` is `.postgres`.
    ///
    /// `serial` plans the statement without parallel workers (set for it alone, on its connection,
    /// and reset after it): for a read of many index lookups that PostgreSQL would otherwise spread
    /// over workers, whose start costs more than they save. A check batch's read of 1,000
    /// subjects and their records took 31–35 ms with two workers and 12 ms without, on 2 cores;
    /// the two extra round trips cost far less.
    func postgresRows(_ query: PostgresQuery, serial: Bool = false) async throws -> [PostgresRow] {
        try await withPostgresConnection { c, logger in
            guard serial else { return try await c.query(query, logger: logger).get().rows }
            _ = try await c.query("SET max_parallel_workers_per_gather = 0", logger: logger).get()
            // Not waited for: the connection runs it before anything its next borrower sends.
            defer { _ = c.query("RESET max_parallel_workers_per_gather", logger: logger) }
            return try await c.query(query, logger: logger).get().rows
        }
    }

    /// Runs a statement PostgresNIO prepares once on each connection (by the statement type's name)
    /// and returns its rows as the statement decodes them: PostgreSQL parses and plans it once per
    /// connection instead of at every call, which for a single-subject check was most of the
    /// server's work on it. For fixed statements run very often, with few rows (they are decoded
    /// on the event loop, see ``withPostgresConnection(_:)``); only on PostgreSQL.
    func postgresRows<Statement: PostgresPreparedStatement>(prepared statement: Statement) async throws -> [Statement.Row] {
        try await withPostgresConnection { connection, logger in
            var rows: [Statement.Row] = []
            for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
            return rows
        }
    }

    /// Lends `body` one connection of the PostgreSQL pool (and the logger for its queries), for
    /// prepared statements and transactions through PostgresNIO. Only on PostgreSQL.
    ///
    /// `body` runs on one of the pool's event loops (under that loop's task executor) with that
    /// loop's connection, so only the way there and back crosses threads. It also keeps the
    /// connection's statements from being lost: the pool hands out open connections only, and the
    /// first statement is sent from the loop, which runs its queued work in order, before a close
    /// that comes later can take the connection's handler away (see `CheckLogConnection`).
    /// The single-check read, 16 steady clients, eight alternating pairs: p50 0.41–0.54 against
    /// 0.52–0.63 ms, p99 1.49–3.10 against 1.75–4.80 ms. Keep `body` short: decoding many rows there
    /// would hold the loop's other connections (``postgresRows(_:serial:)`` returns its rows to be
    /// decoded by the caller).
    func withPostgresConnection<R>(_ body: (PostgresConnection, Logger) async throws -> R) async throws -> R {
        guard let pool = postgresPool?.value else { throw DomainError.unavailable("该数据库不是 PostgreSQL") }
        let logger = postgresLogger
        let loop = pool.eventLoopGroup.next()
        return try await withTaskExecutorPreference(loopExecutors[ObjectIdentifier(loop)]) {
            let connection = try await pool.requestConnection(logger: logger, on: loop).get()
            defer { pool.releaseConnection(connection, logger: logger) }
            return try await body(connection, logger)
        }
    }

    /// Lends `body` the connection the check log writes on (see `CheckLogConnection`), or one of
    /// the pool when that one is in use. Only on PostgreSQL.
    func withCheckLogConnection<R: Sendable>(_ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> R) async throws -> R {
        if let checkLog, let result = try await checkLog.withConnection(body) { return result }
        return try await withPostgresConnection(body)
    }

    /// The PostgreSQL backend process the check log writes through (for tests that end it).
    func checkLogBackendID() async throws -> Int32 {
        try await withCheckLogConnection { c, logger in
            try await c.query("SELECT pg_backend_pid()", logger: logger).get().rows[0].decode(Int32.self)
        }
    }

    /// Whether ``writeDirectly(_:)`` is available (a SQLite file).
    var writesDirectly: Bool { writer != nil && sql is SQLitePoolDatabase }

    /// Runs `body` in one write transaction through SQLite's C API, in one trip to the thread pool,
    /// queued behind the pool's other write transactions (see `SQLiteWriter`). Only when
    /// ``writesDirectly``; elsewhere the caller uses ``transaction(_:)``. Dialect difference.
    func writeDirectly<R: Sendable>(_ body: @escaping @Sendable (SQLiteCConnection) throws -> R) async throws -> R {
        guard let writer, let pool = (sql as? SQLitePoolDatabase)?.pool else {
            throw DomainError.unavailable("该数据库不支持直接写入")
        }
        return try await pool.exclusive { try await writer.transaction(body) }
    }

    /// Opens the database. For SQLite, creates the file's folder if needed; `memoryMapMB` is how
    /// much of the file SQLite reads through a memory map (0: none, each page read with `pread` into
    /// the connection's own cache). A server wants none: after every write (a check log, an access
    /// line) each other connection's next read unmaps the whole map, and the unmapping stops every
    /// processor of the process to flush its address cache; under single credit checks this was a
    /// fifth of the server's time, and p99 twice as high. A bulk reader running alone (the ledger
    /// audit: 6.8 against 7.7 s) is faster with it.
    public static func open(_ location: DatabaseLocation, poolSize: Int = 8, memoryMapMB: Int = 0, logger: Logger) async throws -> StoreDatabase {
        switch location {
        case .sqlite(let path):
            if path != ":memory:" {
                let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            }
            let pool = try await SQLitePool(path: path, size: poolSize, memoryMapBytes: memoryMapMB << 20, logger: logger)
            let scanner = path == ":memory:" ? nil : SQLiteScanner(path: path, memoryMapBytes: memoryMapMB << 20)
            let writer = path == ":memory:" ? nil : SQLiteWriter(path: path, memoryMapBytes: memoryMapMB << 20)
            return StoreDatabase(sql: SQLitePoolDatabase(pool: pool), dialect: .sqlite, scanner: scanner, writer: writer, close: {
                scanner?.close()
                writer?.close()
                await pool.close()
            })
        case .postgres(let url):
            var config = try Self.postgresConfiguration(url)
            config.coreConfiguration.options.connectTimeout = .seconds(5)
            let group = MultiThreadedEventLoopGroup.singleton
            let perLoop = max(1, poolSize / max(1, System.coreCount))
            let pool = EventLoopGroupConnectionPool(source: PostgresConnectionSource(sqlConfiguration: config),
                                                    maxConnectionsPerEventLoop: perLoop, requestTimeout: .seconds(10),
                                                    pruneInterval: nil, logger: logger, on: group)
            let db = pool.database(logger: logger).sql(queryLogLevel: nil)   // never log bind values
            let owned = UnsafeTransfer(pool)   // the pool is internally synchronised
            let checkLog = CheckLogConnection(configuration: config.coreConfiguration, eventLoop: group.next(), logger: logger)
            return StoreDatabase(sql: db, dialect: .postgres, postgres: pool, checkLog: checkLog, logger: logger, close: {
                await checkLog.shutdown()
                try await owned.value.shutdownAsync()
            })
        }
    }

    public func close() async throws { try await closeAction() }

    /// A PostgreSQL URL as PostgresKit reads it, or, naming a socket directory (`?host=/dir`), a
    /// connection through the Unix socket there: on one machine a round trip costs both sides less
    /// than over TCP's loopback.
    static func postgresConfiguration(_ url: String) throws -> SQLPostgresConfiguration {
        guard let c = URLComponents(string: url), let path = try DatabaseLocation.socketPath(c), let user = c.user else {
            return try SQLPostgresConfiguration(url: url)
        }
        let name = c.path.split(separator: "/").first.map(String.init)
        return SQLPostgresConfiguration(unixDomainSocketPath: path, username: user, password: c.password, database: name)
    }

    /// Succeeds when the database answers a trivial query.
    public func ping() async throws { try await sql.raw("SELECT 1 AS one").run() }

    /// Runs `body` in one transaction on one connection. SQLite takes the write lock up front
    /// (`BEGIN IMMEDIATE`) so that concurrent writers wait instead of failing on lock upgrade.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if let pool = (sql as? SQLitePoolDatabase)?.pool {
            // One write transaction at a time, queued without holding a thread (see SQLitePool); a
            // file's on the writer's connection, its statements kept prepared (see SQLiteWriter).
            if let writer {
                return try await pool.exclusive { try await writer.session(logger: pool.logger, eventLoop: pool.eventLoop, body) }
            }
            return try await pool.exclusive {
                try await self.sql.withSession { s in try await Self.run(body, in: s, begin: "BEGIN IMMEDIATE", retrying: true) }
            }
        }
        // PostgreSQL: on a connection of the pool, watched. A statement sent just after the
        // connection closed would never be answered, and the transaction would wait for good.
        guard let pool = postgresPool?.value else { throw DomainError.unavailable("数据库未打开") }
        let logger = postgresLogger
        let connection = try await pool.requestConnection(logger: logger).get()
        defer { pool.releaseConnection(connection, logger: logger) }
        return try await poolWatch.run(on: connection, executor: nil) {
            try await Self.run(body, in: connection.sql(queryLogLevel: nil), begin: "BEGIN", retrying: false)   // never log bind values
        }
    }

    private static func run<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T, in s: any SQLDatabase,
                                         begin: SQLQueryString, retrying: Bool) async throws -> T {
        if retrying {
            try await SQLitePool.retryingWhileLocked { try await s.raw(begin).run() }
        } else {
            try await s.raw(begin).run()
        }
        do {
            let r = try await body(s)
            try await s.raw("COMMIT").run()
            return r
        } catch {
            try? await s.raw("ROLLBACK").run()
            throw error
        }
    }
}
