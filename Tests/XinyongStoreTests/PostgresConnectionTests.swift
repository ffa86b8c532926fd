import Foundation
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import Testing
import XinyongCore
@testable import XinyongStore
import XinyongTestSupport

/// PostgreSQL connections that close under their work: the check log's own connection (see
/// `CheckLogConnection`) and the pool's transactions (see `ConnectionWatch`).
@Suite("PostgreSQL connections")
struct PostgresConnectionTests {
    static func connection(onItsEventLoop: Bool = true) async throws -> (CheckLogConnection, url: String) {
        let url = try await TestBackend.freshDatabaseURL()
        let log = CheckLogConnection(configuration: try StoreDatabase.postgresConfiguration(url).coreConfiguration,
                                     eventLoop: MultiThreadedEventLoopGroup.singleton.next(), logger: TestBackend.logger,
                                     onItsEventLoop: onItsEventLoop)
        return (log, url)
    }

    @Sendable static func backend(_ c: PostgresConnection, _ logger: Logger) async throws -> Int32 {
        try await c.query("SELECT pg_backend_pid()", logger: logger).get().rows[0].decode(Int32.self)
    }

    /// PostgresNIO never answers a statement sent on a connection that has closed: a write that
    /// sends one is given up a second after the close, with an error, and the next write opens a
    /// new connection.
    @Test(.enabled(if: TestBackend.dialect == .postgres), arguments: [true, false])
    func aStatementLostWithItsConnectionIsGivenUp(onItsEventLoop: Bool) async throws {
        let (log, _) = try await Self.connection(onItsEventLoop: onItsEventLoop)
        let first = try #require(try await log.withConnection(Self.backend))
        let started = ContinuousClock.now
        await #expect(throws: DomainError.self) {
            _ = try await log.withConnection { c, logger in
                try await c.close().get()
                try await Task.sleep(for: .milliseconds(50))   // its handler has left the channel
                return try await c.query("SELECT 1", logger: logger).get().rows.count
            }
        }
        let waited = ContinuousClock.now - started
        let next = try #require(try await log.withConnection(Self.backend))
        await log.shutdown()
        #expect(waited >= .seconds(1) && waited < .seconds(5))
        #expect(next != first)
    }

    /// When its backend ends (a restart, an administrator's `pg_terminate_backend`) no statement
    /// waits forever: at most the one under way fails, and the next opens a new connection. Ended
    /// 40 times, each time at a different moment before the next statement, to meet the
    /// connection while it is closing (on its event loop, and elsewhere where the watch on the
    /// connection gives a lost statement up).
    @Test(.enabled(if: TestBackend.dialect == .postgres), arguments: [true, false])
    func noStatementOutlivesItsBackend(onItsEventLoop: Bool) async throws {
        let (log, url) = try await Self.connection(onItsEventLoop: onItsEventLoop)
        let admin = try await StoreDatabase.open(try DatabaseLocation(url: url), poolSize: 1, logger: TestBackend.logger)
        var answered = 0
        do {
            for n in 0..<40 {
                // Read on the connection being ended, which may still be closing from the last round.
                let pid: Int32
                do { pid = try #require(try await log.withConnection(Self.backend)) } catch { pid = try #require(try await log.withConnection(Self.backend)) }
                try await admin.sql.raw("SELECT pg_terminate_backend(\(bind: pid))").run()
                if n % 4 != 0 { try await Task.sleep(for: .microseconds(150 * n)) }
                if (try? await log.withConnection({ c, logger in try await c.query("SELECT 1", logger: logger).get() })) != nil { answered += 1 }
            }
            let last = try #require(try await log.withConnection(Self.backend))
            #expect(last > 0)
        } catch {
            await log.shutdown()
            try await admin.close()
            throw error
        }
        await log.shutdown()
        try await admin.close()
        #expect(answered > 0)
    }

    /// One caller at a time: a second caller while a statement is under way is told to look
    /// elsewhere (the store then borrows from the pool) instead of sharing the transaction.
    @Test(.enabled(if: TestBackend.dialect == .postgres))
    func oneCallerAtATime() async throws {
        let (log, _) = try await Self.connection()
        let (started, startedSignal) = AsyncStream<Void>.makeStream()
        let first = Task {
            try await log.withConnection { c, logger in
                startedSignal.yield()
                return try await c.query("SELECT pg_sleep(0.3)::text AS slept", logger: logger).get().rows.count
            }
        }
        for await _ in started { break }
        let second = try await log.withConnection { _, _ in 2 }
        let firstResult = try await first.value
        let third = try await log.withConnection { _, _ in 3 }
        await log.shutdown()
        #expect(second == nil && firstResult == 1 && third == 3)
    }

    /// A transaction whose connection is lost under it (here it ends its own backend, then sends
    /// a statement PostgresNIO never answers) is given up with an error a second later instead of
    /// waiting for good, and the pool goes on with another connection.
    @Test(.enabled(if: TestBackend.dialect == .postgres))
    func aTransactionWhoseConnectionIsLostIsGivenUp() async throws {
        let url = try await TestBackend.freshDatabaseURL()
        let database = try await StoreDatabase.open(try DatabaseLocation(url: url), poolSize: 2, logger: TestBackend.logger)
        let started = ContinuousClock.now
        await #expect(throws: DomainError.self) {
            try await database.transaction { db in
                _ = try? await db.raw("SELECT pg_terminate_backend(pg_backend_pid())").run()
                try await Task.sleep(for: .milliseconds(50))   // its handler has left the channel
                try await db.raw("SELECT 1 AS one").run()
            }
        }
        let waited = ContinuousClock.now - started
        let one = try await database.transaction { db in try await db.raw("SELECT 1 AS one").first(decodingColumn: "one", as: Int.self) }
        try await database.close()
        #expect(waited >= .seconds(1) && waited < .seconds(5))
        #expect(one == 1)
    }
}
