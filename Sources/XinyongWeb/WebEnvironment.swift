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

    public init(store: any PlatformStore, siteName: String, cookieSecure: Bool, passwords: Passwords,
                throttle: LoginThrottle = LoginThrottle(), validator: IdentifierValidator = IdentifierValidator(),
                sessionLifetime: TimeInterval = 8 * 3600, showsSyntheticNotice: Bool,
                today: @escaping @Sendable () -> CivilDate = { CivilDate.today() }) {
        self.store = store; self.siteName = siteName; self.cookieSecure = cookieSecure; self.passwords = passwords
        self.throttle = throttle; self.validator = validator; self.sessionLifetime = sessionLifetime
        self.showsSyntheticNotice = showsSyntheticNotice; self.today = today
    }
}
