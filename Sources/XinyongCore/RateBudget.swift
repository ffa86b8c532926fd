/// A token bucket: `capacity` requests at once, refilled at `perMinute` a minute. Pure arithmetic
/// on the caller's clock (seconds), so the rule is testable without waiting.
public struct TokenBucket: Sendable, Equatable {
    public let capacity: Double
    public let perSecond: Double
    private var tokens: Double
    private var at: Double

    public init(capacity: Int, perMinute: Int, now: Double) {
        self.capacity = Double(capacity)
        perSecond = Double(perMinute) / 60
        tokens = Double(capacity)
        at = now
    }

    /// Takes one token. Returns `nil` when the request may go ahead, otherwise the whole seconds
    /// (at least 1) until the next token.
    public mutating func take(now: Double) -> Int? {
        refill(now)
        if tokens >= 1 { tokens -= 1; return nil }
        guard perSecond > 0 else { return Int.max }
        return max(1, Int(((1 - tokens) / perSecond).rounded(.up)))
    }

    /// True when the bucket would be full at `now`: it can be forgotten without changing anything.
    public func isFull(now: Double) -> Bool {
        tokens + max(0, now - at) * perSecond >= capacity
    }

    private mutating func refill(_ now: Double) {
        if now > at { tokens = min(capacity, tokens + (now - at) * perSecond) }
        at = max(at, now)
    }
}

/// The per-client budget for anonymous reading of search, subject and record pages (and their
/// API twins): how many requests a minute, and how many at once.
public struct ReadingBudget: Sendable, Equatable {
    public var perMinute: Int
    public var burst: Int
    public init(perMinute: Int, burst: Int) { self.perMinute = perMinute; self.burst = burst }
    /// `0` turns the limit off.
    public var isOff: Bool { perMinute == 0 }

    /// The paths the budget applies to: searching and reading credit information.
    public static func isBudgeted(path: String) -> Bool {
        path == "/search" || path.hasPrefix("/subjects/") || path.hasPrefix("/records/") || path == "/shuanggongshi"
            || path.hasPrefix("/lists") || path.hasPrefix("/api/v1/subjects") || path == "/api/v1/public-records"
            || path.hasPrefix("/api/v1/lists")
            // Anonymous objections, repair dates and case lookups by query code share the budget,
            // so neither filing nor guessing codes can be done in bulk.
            || path.hasPrefix("/api/v1/objections") || path.hasPrefix("/api/v1/records/") || path.hasPrefix("/track")
            // So do report verification by code and reports opened with their code.
            || path == "/verify" || path.hasPrefix("/api/v1/reports") || path.hasPrefix("/reports/")
    }
}
