import Foundation
import Synchronization
import Logging
import XinyongCore
import XinyongLedger

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
    /// The catalog, lists and measures and department names the check service reads on every call.
    public var checkRules = CheckRules()
    /// The API keys presented lately (every API request looks its key up).
    public var apiKeys = APIKeys()
    /// Working days for the subject's statement after a list notice (`list_statement_workdays`).
    public var listStatementWorkdays = ListProcedure.defaultStatementWorkdays
    /// The credit office's own department code (`office_department`): objections about its data
    /// are decided on the platform's deadline, and it sees every case.
    public var officeDepartment = "XYB"
    /// The transparency log, when the store keeps one, and the verifier key its checkpoints are signed with.
    public var ledger: (any LedgerStore)?
    public var ledgerVerifierKey: String?
    /// Issues signed credit reports (with the log); nil without a log.
    public var reports: ReportDesk?
    /// The headless browser that prints PDFs (nil: looked up on PATH).
    public var pdfBrowser: String?

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

/// The site's headline counts (subjects, public licences and penalties, list entries), counted
/// again at most every `lifetime` (and on a new day): counting the public records of a large
/// archive reads every one of them, and the figures need not be exact to the second.
public actor HeadlineFigures {
    public struct Figures: Sendable, Equatable { public var subjects: Int; public var licences: Int; public var penalties: Int }
    private var cached: [String: (count: Int, at: ContinuousClock.Instant, day: CivilDate)] = [:]
    private let lifetime: Duration

    public init(lifetime: Duration = .seconds(300)) { self.lifetime = lifetime }

    public func current(store: any PlatformStore, today: CivilDate) async throws -> Figures {
        Figures(subjects: try await cachedCount("subjects", today: today) { try await store.countSubjects() },
                licences: try await count(items: ["xzxk"], store: store, today: today),
                penalties: try await count(items: ["xzcf"], store: store, today: today))
    }

    /// Records of these items public today.
    func count(items: [String], store: any PlatformStore, today: CivilDate) async throws -> Int {
        try await cachedCount(Self.key(items), today: today) {
            try await store.countPublicRecords(items: items, on: today)
        }
    }

    /// Counts every figure the site shows again now, so that no visitor waits for a count (on a
    /// million records the public counts take seconds). Run at start and then more often than `lifetime`.
    /// The figures shown meanwhile stay the old ones: a visitor during a refresh does not count too.
    public func refresh(store: any PlatformStore, today: CivilDate) async throws {
        _ = try await recount("subjects", today: today) { try await store.countSubjects() }
        for items in [["xzxk"], ["xzcf"]] + Column.lists.map(\.items) {
            _ = try await recount(Self.key(items), today: today) { try await store.countPublicRecords(items: items, on: today) }
        }
    }

    public var refreshInterval: Duration { lifetime * 0.8 }

    private static func key(_ items: [String]) -> String { items.sorted().joined(separator: ",") }

    private func cachedCount(_ key: String, today: CivilDate, _ count: () async throws -> Int) async throws -> Int {
        if let c = cached[key], c.day == today, ContinuousClock.now - c.at < lifetime { return c.count }
        return try await recount(key, today: today, count)
    }

    private func recount(_ key: String, today: CivilDate, _ count: () async throws -> Int) async throws -> Int {
        let n = try await count()
        cached[key] = (n, .now, today)
        return n
    }
}


/// The API keys presented lately, each read again after `lifetime`: every API request looked its
/// key up in the database, one trip to a thread and back that cost a department's system more
/// than its credit check's own reads (two wake-ups of threads on a virtual machine's idle
/// processors). A revocation through this server's console takes effect at once (`forget`); one
/// made elsewhere (the command line, another server on the same database) within `lifetime`, as
/// changes to the lists and measures do (``CheckRules``). Only keys that exist are kept, so the
/// cache holds at most as many entries as there are keys; the secret is compared on every request.
public final class APIKeys: Sendable {
    public typealias Key = (info: APIKeyInfo, secretHash: String)
    /// The keys read, and how many times one was forgotten: a read that began before a
    /// revocation is not kept after it.
    private let state = Mutex<(keys: [String: (key: Key, at: ContinuousClock.Instant)], forgotten: UInt64)>(([:], 0))
    private let lifetime: Duration

    public init(lifetime: Duration = .seconds(2)) { self.lifetime = lifetime }

    /// The unrevoked key with this prefix, or nil.
    public func key(prefix: String, store: any PlatformStore) async throws -> Key? {
        let now = ContinuousClock.now
        let (hit, forgotten) = state.withLock { ($0.keys[prefix], $0.forgotten) }
        if let hit, now - hit.at < lifetime { return hit.key }
        let key = try await store.apiKey(prefix: prefix)
        state.withLock { s in
            guard let key, s.forgotten == forgotten else { s.keys[prefix] = nil; return }
            s.keys[prefix] = (key, now)
        }
        return key
    }

    /// Forgets a key at once (after its revocation).
    public func forget(prefix: String) {
        state.withLock { s in
            s.keys[prefix] = nil
            s.forgotten &+= 1
        }
    }
}

/// What every credit check reads besides the subjects: the catalog, the four lists and the
/// department names, read at most every `lifetime` (a check read them in three queries per call,
/// a third of a single-subject check). Changes made through this server are seen at once (the
/// measure forms and API call `invalidate`); other servers on the same database see them within
/// `lifetime`.
public actor CheckRules {
    private var cached: (catalog: Catalog, measures: MeasureCatalog, departments: [String: String], checker: CreditChecker,
                         at: ContinuousClock.Instant)?
    private let lifetime: Duration

    public init(lifetime: Duration = .seconds(2)) { self.lifetime = lifetime }

    public func current(store: any PlatformStore) async throws -> (catalog: Catalog, measures: MeasureCatalog, departments: [String: String]) {
        let c = try await fresh(store: store)
        return (c.catalog, c.measures, c.departments)
    }

    /// The checker over the rules in force, built with them (its lookups by item, scope and
    /// measure were 5% of a single-subject check's processor time when built for every check).
    public func checker(store: any PlatformStore) async throws -> CreditChecker {
        try await fresh(store: store).checker
    }

    private func fresh(store: any PlatformStore) async throws -> (catalog: Catalog, measures: MeasureCatalog, departments: [String: String],
                                                                   checker: CreditChecker, at: ContinuousClock.Instant) {
        if let c = cached, ContinuousClock.now - c.at < lifetime { return c }
        async let catalog = store.catalog()
        async let measures = store.measureCatalog()
        async let departments = store.departments()
        let (cat, mea) = (try await catalog, try await measures)
        let names = Dictionary(try await departments.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let c = (catalog: cat, measures: mea, departments: names,
                 checker: CreditChecker(store: store, catalog: cat, measures: mea, departmentNames: names), at: ContinuousClock.now)
        cached = c
        return c
    }

    public func invalidate() { cached = nil }
}
