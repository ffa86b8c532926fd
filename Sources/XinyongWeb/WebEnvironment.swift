import Foundation
import Logging
import XinyongCore

/// What the web layer needs, passed in by the composition root. No globals.
public struct WebEnvironment: Sendable {
    public var store: any PlatformStore
    public var siteName: String
    public var cookieSecure: Bool
    public var passwords: Passwords
    public var throttle: LoginThrottle
    public var validator: IdentifierValidator
    public var sessionLifetime: TimeInterval
    /// True when the database holds the synthetic demo data set; the site then says so on every page.
    public var showsSyntheticNotice: Bool
    public var today: @Sendable () -> CivilDate
    public var figures: HeadlineFigures
    /// The anonymous reading budget; `nil` when switched off.
    public var reading: ReadingLimiter?
    public var trustedProxies: Set<String>

    public init(store: any PlatformStore, siteName: String, cookieSecure: Bool, passwords: Passwords,
                throttle: LoginThrottle = LoginThrottle(), validator: IdentifierValidator = IdentifierValidator(),
                sessionLifetime: TimeInterval = 8 * 3600, showsSyntheticNotice: Bool,
                today: @escaping @Sendable () -> CivilDate = { CivilDate.today() },
                figures: HeadlineFigures = HeadlineFigures(), reading: ReadingLimiter? = nil, trustedProxies: Set<String> = []) {
        self.store = store; self.siteName = siteName; self.cookieSecure = cookieSecure; self.passwords = passwords
        self.throttle = throttle; self.validator = validator; self.sessionLifetime = sessionLifetime
        self.showsSyntheticNotice = showsSyntheticNotice; self.today = today; self.figures = figures
        self.reading = reading; self.trustedProxies = trustedProxies
    }
}

/// The home page's headline counts, counted again at most every `lifetime` (and on a new day):
/// counting the public records of a large archive reads every one of them, and the figures need
/// not be exact to the second.
public actor HeadlineFigures {
    public struct Figures: Sendable, Equatable { public var subjects: Int; public var licences: Int; public var penalties: Int }
    private var cached: (figures: Figures, at: ContinuousClock.Instant, day: CivilDate)?
    private let lifetime: Duration

    public init(lifetime: Duration = .seconds(300)) { self.lifetime = lifetime }

    func current(store: any PlatformStore, today: CivilDate) async throws -> Figures {
        if let c = cached, c.day == today, ContinuousClock.now - c.at < lifetime { return c.figures }
        let figures = Figures(subjects: try await store.countSubjects(),
                              licences: try await store.countPublicRecords(items: ["xzxk"], on: today),
                              penalties: try await store.countPublicRecords(items: ["xzcf"], on: today))
        cached = (figures, .now, today)
        return figures
    }
}
