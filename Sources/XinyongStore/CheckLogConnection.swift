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
/// No write waits forever on a connection that closed (see `ConnectionWatch`): the group commit
/// would otherwise wait behind that write for good, and every later check with it. The write's
/// task prefers the connection's event loop: its closed check and the statement's send happen there
/// together, and the answer is read there without further hand-overs between threads.
final class CheckLogConnection: Sendable {
    private enum State {
        /// Free; nil before the first write, after a failed connect, and after shutdown.
        case idle(PostgresConnection?)
        case busy
        case shutDown
    }

    private let state = NIOLockedValueBox(State.idle(nil))
    private let configuration: PostgresConnection.Configuration
    private let eventLoop: any EventLoop
    /// The connection's event loop as a task executor; nil runs writes on the global executor
    /// (for the test that meets the lost statement, to see it given up).
    private let executor: EventLoopTaskExecutor?
    private let watch: ConnectionWatch
    private let logger: Logger

    init(configuration: PostgresConnection.Configuration, eventLoop: any EventLoop, logger: Logger, onItsEventLoop: Bool = true) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.executor = onItsEventLoop ? EventLoopTaskExecutor(eventLoop) : nil
        self.watch = ConnectionWatch(logger: logger)
        self.logger = logger
    }

    /// Runs `body` on the connection (opening it first if there is none or it was closed), or
    /// returns nil without running it when another caller has the connection.
    func withConnection<R: Sendable>(_ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> R) async throws -> R? {
        let taken: PostgresConnection?? = state.withLockedValue { s in
            guard case .idle(let c) = s else { return .none }
            s = .busy
            return .some(c)
        }
        guard case .some(let kept) = taken else { return nil }
        let connection: PostgresConnection
        do {
            if let kept, !kept.isClosed {
                connection = kept
            } else {
                connection = try await PostgresConnection.connect(on: eventLoop, configuration: configuration, id: 0, logger: logger)
            }
        } catch {
            release(nil)
            throw error
        }
        do {
            let result = try await watch.run(on: connection, executor: executor) { [logger] in try await body(connection, logger) }
            release(connection)
            return result
        } catch {
            // A connection that failed a write is not trusted with the next (it may be closing).
            ConnectionWatch.discard(connection)
            release(nil)
            throw error
        }
    }

    /// Hands the connection back; after shutdown, closes it instead.
    private func release(_ connection: PostgresConnection?) {
        let close: Bool = state.withLockedValue { s in
            guard case .busy = s else { return true }
            s = .idle(connection)
            return false
        }
        if close, let connection { ConnectionWatch.discard(connection) }
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
