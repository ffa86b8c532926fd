import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO
import XinyongCore

/// The one PostgreSQL connection the check log writes on, kept open between writes and opened
/// again when it is found closed. The check log writes one batch at a time (group commit), so
/// one connection is enough; borrowing one from the pool for every write cost an extra hand-over
/// between threads on the way out and on the way back.
///
/// A caller that finds it in use (a second store on the same database) is told so and borrows
/// from the pool instead: one connection never carries two transactions at once.
///
/// No write waits forever on a connection that closed. PostgresNIO (1.33) loses a statement sent
/// to a connection just after it closed (its handler has left the channel; the statement's answer
/// is never given), and the group commit would then wait behind that write for good: every later
/// check with it. So each write runs in a task of its own, and a write still under way a second
/// after its connection closed is given up with an error (its task stays parked, with its batch).
/// The task prefers the connection's event loop: the statement is sent and its answer read there
/// without further hand-overs between threads.
final class CheckLogConnection: Sendable {
    private enum State {
        /// Free; nil before the first write, after a failed connect, and after shutdown.
        case idle(PostgresConnection?)
        /// In use; the write under way once it has started (nil while the connection opens).
        case busy(Write?)
        case shutDown
    }

    /// A write under way on a connection, and how to fail it: whoever comes first, its task or
    /// the watch on its connection, answers it.
    private struct Write {
        let connection: PostgresConnection
        let fail: @Sendable (any Error) -> Void
    }

    private let state = NIOLockedValueBox(State.idle(nil))
    private let configuration: PostgresConnection.Configuration
    private let eventLoop: any EventLoop
    /// The connection's event loop as a task executor; nil runs writes on the global executor
    /// (for the test that meets the lost statement, to see it given up).
    private let executor: EventLoopTaskExecutor?
    private let logger: Logger
    /// How long after its connection closed a write still under way is given up.
    static let grace: TimeAmount = .seconds(1)

    init(configuration: PostgresConnection.Configuration, eventLoop: any EventLoop, logger: Logger, onItsEventLoop: Bool = true) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.executor = onItsEventLoop ? EventLoopTaskExecutor(eventLoop) : nil
        self.logger = logger
    }

    /// Runs `body` on the connection (opening it first if there is none or it was closed), or
    /// returns nil without running it when another caller has the connection.
    func withConnection<R: Sendable>(_ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> R) async throws -> R? {
        let taken: PostgresConnection?? = state.withLockedValue { s in
            guard case .idle(let c) = s else { return .none }
            s = .busy(nil)
            return .some(c)
        }
        guard case .some(let kept) = taken else { return nil }
        let connection: PostgresConnection
        do {
            if let kept, !kept.isClosed {
                connection = kept
            } else {
                connection = try await open()
            }
        } catch {
            release(nil)
            throw error
        }
        do {
            let result = try await run(body, on: connection)
            release(connection)
            return result
        } catch {
            // A connection that failed a write is not trusted with the next (it may be closing).
            Self.discard(connection)
            release(nil)
            throw error
        }
    }

    /// A new connection, watched: once it closes, a write still under way on it a second later is
    /// given up.
    private func open() async throws -> PostgresConnection {
        let connection = try await PostgresConnection.connect(on: eventLoop, configuration: configuration, id: 0, logger: logger)
        connection.closeFuture.whenComplete { [self] _ in
            eventLoop.scheduleTask(in: Self.grace) { self.giveUp(on: connection) }
        }
        return connection
    }

    /// Runs `body` in a task of its own on the connection's event loop and waits for whichever
    /// answers first: the task, or the watch on the connection (see ``open()``).
    private func run<R: Sendable>(_ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> R,
                                  on connection: PostgresConnection) async throws -> R {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<R, any Error>) in
            let once = NIOLockedValueBox<CheckedContinuation<R, any Error>?>(continuation)
            let answer: @Sendable (Result<R, any Error>) -> Void = { result in
                once.withLockedValue { c in defer { c = nil }; return c }?.resume(with: result)
            }
            state.withLockedValue { s in
                s = .busy(Write(connection: connection, fail: { answer(.failure($0)) }))
            }
            Task(executorPreference: executor) { [logger] in
                do {
                    guard !connection.isClosed else { throw Self.lost }
                    answer(.success(try await body(connection, logger)))
                } catch {
                    answer(.failure(error))
                }
            }
        }
    }

    private static let lost = DomainError.unavailable("与数据库的连接中断，核查记录未能保存，请重试")

    /// Gives up the write under way if it is on the connection that closed.
    private func giveUp(on connection: PostgresConnection) {
        let write: Write? = state.withLockedValue { s in
            guard case .busy(let w?) = s, w.connection === connection else { return nil }
            return w
        }
        if let write {
            logger.error("A check log write was given up: its PostgreSQL connection closed and it did not finish")
            write.fail(Self.lost)
        }
    }

    /// Hands the connection back; after shutdown, closes it instead.
    private func release(_ connection: PostgresConnection?) {
        let close: Bool = state.withLockedValue { s in
            guard case .busy = s else { return true }
            s = .idle(connection)
            return false
        }
        if close, let connection { Self.discard(connection) }
    }

    /// Closes a connection, keeping it until it is closed (PostgresNIO requires it closed when freed).
    private static func discard(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// Closes the connection; a write under way finishes first and closes it when it is done.
    func shutdown() async {
        let idle: PostgresConnection? = state.withLockedValue { s in
            defer { s = .shutDown }
            if case .idle(let c) = s { return c }
            return nil
        }
        if let idle, !idle.isClosed { try? await idle.close().get() }
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
