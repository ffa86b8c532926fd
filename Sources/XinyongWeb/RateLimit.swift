import Foundation
import Hummingbird
import XinyongCore

/// Per-client token buckets for anonymous reading. Memory is bounded: when the table grows past
/// `maxClients`, buckets that have refilled are forgotten, and if that is not enough the table starts over.
public actor ReadingLimiter {
    public let budget: ReadingBudget
    private var buckets: [String: TokenBucket] = [:]
    private let maxClients: Int
    private let clock: @Sendable () -> Double

    public init(budget: ReadingBudget, maxClients: Int = 100_000,
                clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.budget = budget; self.maxClients = maxClients; self.clock = clock
    }

    /// `nil` when `client` may go ahead, else the seconds to wait.
    func retryAfter(client: String) -> Int? {
        let now = clock()
        var bucket = buckets[client] ?? TokenBucket(capacity: budget.burst, perMinute: budget.perMinute, now: now)
        let wait = bucket.take(now: now)
        buckets[client] = bucket
        if buckets.count > maxClients {
            buckets = buckets.filter { !$0.value.isFull(now: now) }
            if buckets.count > maxClients { buckets.removeAll() }
        }
        return wait
    }
}

/// Names the client: behind a reverse proxy listed in the trusted proxies, the last address the
/// proxy appended to `X-Forwarded-For`; otherwise the peer. Runs first, so that the sign-in
/// throttle, the reading budget and the audit log all see the same client.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustedProxies: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let peer = context.clientAddress, trustedProxies.contains(peer),
           let forwarded = request.headers[.init("X-Forwarded-For")!],
           let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty {
            context.clientAddress = last
        }
        return try await next(request, context)
    }
}

/// Applies the reading budget to anonymous callers of the budgeted paths. Signed-in staff and API
/// keys are accountable (their reads of non-public data are logged) and are not limited here.
struct ReadingLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: ReadingLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.principal == nil, ReadingBudget.isBudgeted(path: request.uri.path) else {
            return try await next(request, context)
        }
        if let wait = await limiter.retryAfter(client: context.clientAddress ?? "unknown") {
            let minutes = wait >= 60 ? "约 \(wait / 60) 分钟" : "\(wait) 秒"
            throw DomainError.tooManyRequests(
                retryAfter: wait,
                message: "您的查询过于频繁（每分钟不超过 \(limiter.budget.perMinute) 次），请 \(minutes)后再试。如需批量核查信用信息，请联系信用办开通接口。")
        }
        return try await next(request, context)
    }
}
