import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO
import XinyongCore

/// Gives up work on a PostgreSQL connection that closed under it. PostgresNIO (1.33) never answers
/// a statement sent to a connection just after it closed: its handler has left the channel, and the
/// statement's answer is dropped (upstream's fix, vapor/postgres-nio#487, was reverted in #501).
/// Work run through ``run(on:executor:_:)`` runs in a task of its own; once its connection closes,
/// whatever of it is still under way a second later is answered with an error instead (its task
/// stays parked, with what it holds), and logged.
final class ConnectionWatch: Sendable {
    /// Work under way, by connection: how to fail each, by a number of its own.
    private struct Watched {
        let connection: PostgresConnection
        var running: [Int: @Sendable (any Error) -> Void] = [:]
    }

    private let watched = NIOLockedValueBox<(next: Int, byConnection: [ObjectIdentifier: Watched])>((0, [:]))
    private let logger: Logger
    /// How long after its connection closed work still under way is given up.
    static let grace: TimeAmount = .seconds(1)
    static let lost = DomainError.unavailable("与数据库的连接中断，操作未能完成，请重试")

    init(logger: Logger) { self.logger = logger }

    /// Runs `body` in a task of its own (preferring `executor`, if any) and waits for whichever
    /// answers first: the task, or the watch on `connection`.
    func run<R: Sendable>(on connection: PostgresConnection, executor: (any TaskExecutor)?,
                          _ body: @escaping @Sendable () async throws -> R) async throws -> R {
        let key = ObjectIdentifier(connection)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<R, any Error>) in
            let once = NIOLockedValueBox<CheckedContinuation<R, any Error>?>(continuation)
            let answer: @Sendable (Result<R, any Error>) -> Void = { result in
                once.withLockedValue { c in defer { c = nil }; return c }?.resume(with: result)
            }
            let (number, isNew) = watched.withLockedValue { w in
                w.next += 1
                let isNew = w.byConnection[key] == nil
                if isNew { w.byConnection[key] = Watched(connection: connection) }
                w.byConnection[key]!.running[w.next] = { answer(.failure($0)) }
                return (w.next, isNew)
            }
            if isNew {
                connection.closeFuture.whenComplete { [self] _ in
                    connection.eventLoop.scheduleTask(in: Self.grace) { self.giveUp(key) }
                }
            }
            Task(executorPreference: executor) { [watched] in
                let result: Result<R, any Error>
                do {
                    guard !connection.isClosed else { throw Self.lost }
                    result = .success(try await body())
                } catch {
                    result = .failure(error)
                }
                watched.withLockedValue { w in _ = w.byConnection[key]?.running.removeValue(forKey: number) }
                answer(result)
            }
        }
    }

    /// Fails what is still under way on a connection that closed, and forgets the connection.
    private func giveUp(_ key: ObjectIdentifier) {
        let running = watched.withLockedValue { w in w.byConnection.removeValue(forKey: key)?.running.values.map { $0 } ?? [] }
        guard !running.isEmpty else { return }
        logger.error("PostgreSQL work given up: its connection closed and it did not finish", metadata: ["count": "\(running.count)"])
        for fail in running { fail(Self.lost) }
    }

    /// Closes a connection, keeping it until it is closed (PostgresNIO requires it closed when freed).
    static func discard(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }
}

/// An event loop as a task executor: a task that prefers it runs its jobs on the loop's thread.
final class EventLoopTaskExecutor: TaskExecutor {
    private let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
