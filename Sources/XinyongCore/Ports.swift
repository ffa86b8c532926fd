import Foundation

/// The subject registry's storage port. Implemented by `XinyongStore` for SQLite and PostgreSQL.
public protocol SubjectStore: Sendable {
    /// The subject whose USCC, organisation code or identity number is `code` (already normalised).
    func subject(code: String) async throws -> Subject?
    func subject(id: Int64) async throws -> Subject?
    /// Name search (any substring of two or more characters; exact and prefix matches first) or exact code.
    func searchSubjects(_ query: SubjectQuery) async throws -> Page<Subject>
    /// Registers a subject. Throws ``DomainError/conflict(_:)`` when the code is taken.
    func createSubject(_ subject: ValidSubject, actor: String) async throws -> Subject
    /// Replaces a subject's registration attributes; a changed name goes to the former names.
    func updateSubject(code: String, with subject: ValidSubject, expectedVersion: Int?, actor: String) async throws -> Subject
    func countSubjects() async throws -> Int
}

/// Accounts, sessions, API keys and departments.
public protocol AccountStore: Sendable {
    func countAccounts() async throws -> Int
    func createAccount(_ draft: AccountDraft, passwordHash: String) async throws -> Account
    /// The account and its password hash, for sign-in.
    func credentials(username: String) async throws -> (account: Account, passwordHash: String)?
    func setPassword(accountID: Int64, passwordHash: String) async throws
    func setDisabled(accountID: Int64, disabled: Bool) async throws

    func createSession(tokenHash: String, accountID: Int64, csrfToken: String, expiresAt: Date) async throws
    func session(tokenHash: String, now: Date) async throws -> SessionRecord?
    func deleteSession(tokenHash: String) async throws

    func createAPIKey(prefix: String, secretHash: String, name: String, role: Role, departmentCode: String?) async throws -> APIKeyInfo
    /// The key with this public prefix and its secret hash, if it exists and is not revoked.
    func apiKey(prefix: String) async throws -> (info: APIKeyInfo, secretHash: String)?
    func revokeAPIKey(prefix: String) async throws -> Bool

    func departments() async throws -> [Department]
    func upsertDepartment(_ department: Department) async throws

    /// Every account, by department then user name.
    func accounts() async throws -> [Account]
    func account(id: Int64) async throws -> Account?
    /// Every API key, revoked ones included, newest first.
    func apiKeys() async throws -> [APIKeyInfo]
}

/// The record of who looked at non-public data, kept so the subject can see who looked.
public protocol AccessLog: Sendable {
    /// One access that showed several subjects' data (a list, a search): one line per subject, kept
    /// together (one write).
    func recordAccess(actor: String, action: String, entries: [(subjectID: Int64?, detail: String)]) async throws
}

extension AccessLog {
    public func recordAccess(actor: String, action: String, subjectID: Int64?, detail: String) async throws {
        try await recordAccess(actor: actor, action: action, entries: [(subjectID, detail)])
    }
}

/// Calendar years the credit office added or corrected, kept over the shipped calendar.
public protocol CalendarStore: Sendable {
    func calendarYears() async throws -> [CalendarYear]
    /// Adds or replaces a year; a replaced year's previous entries are kept as a version.
    func putCalendarYear(_ year: CalendarYear, actor: String) async throws
}

public struct CalendarYear: Sendable, Equatable {
    public var year: Int
    /// The State Council notice the entries come from (e.g. 国办发明电〔2026〕12号).
    public var source: String
    public var entries: [WorkingCalendar.Entry]
    public init(year: Int, source: String, entries: [WorkingCalendar.Entry]) {
        self.year = year; self.source = source; self.entries = entries
    }
}

extension WorkingCalendar {
    /// The calendar with the credit office's years laid over it.
    public func applying(_ years: [CalendarYear]) -> WorkingCalendar {
        years.reduce(self) { $0.replacing(year: $1.year, with: $1.entries) }
    }
}

extension CalendarStore {
    /// The shipped calendar with the credit office's years laid over it.
    public func workingCalendar(base: WorkingCalendar = .shipped) async throws -> WorkingCalendar {
        base.applying(try await calendarYears())
    }
}

/// The credit office's supplement to the shipped catalog (市级补充目录). Changes take effect
/// without a restart; every replaced definition is kept as a version.
public protocol CatalogStore: Sendable {
    func catalogSupplement() async throws -> CatalogSupplement
    /// Adds or replaces a local item (never a shipped one).
    func putLocalItem(_ item: CatalogItem, actor: String) async throws
    /// Appends optional local fields to an item, shipped or local.
    func addLocalFields(_ fields: [CatalogField], to itemCode: String, actor: String) async throws
    /// Adds or replaces a local code list (never a shipped one).
    func putCodeList(_ name: String, values: [String], actor: String) async throws
}

extension CatalogStore {
    /// The catalog in force: the shipped one with the credit office's supplement.
    public func catalog(base: Catalog = .shipped) async throws -> Catalog {
        base.applying(try await catalogSupplement())
    }
}

/// The sums behind the quality figures.
public protocol QualityStore: Sendable {
    /// Submissions received, records first delivered and rejected rows' problems between `from`
    /// and `to` (Beijing dates, inclusive), of one department and item or all.
    func qualityInput(from: CivilDate, to: CivilDate, department: String?, item: String?) async throws -> QualityInput
}

/// A cheap check that storage is reachable, for `/healthz`.
public protocol HealthProbe: Sendable {
    func ping() async throws
}

/// Everything the web layer needs from storage.
/// One state-changing action by a person or a system, as the audit log keeps it.
public struct AuditEntry: Sendable, Equatable {
    public var id: Int64
    public var at: Date
    /// Who: the account's or API key's audit label.
    public var actor: String
    /// The account's or key's name at the time.
    public var actorName: String
    public var role: String
    public var departmentCode: String?
    /// What, in words (e.g. 上传报送文件), and on what (the request path, identity numbers masked).
    public var action: String
    public var target: String
    /// The HTTP status of the answer (or 0 for the command line).
    public var status: Int
    /// From where: the client address.
    public var address: String?

    public init(id: Int64 = 0, at: Date, actor: String, actorName: String, role: String, departmentCode: String?, action: String, target: String,
                status: Int, address: String?) {
        self.id = id; self.at = at; self.actor = actor; self.actorName = actorName; self.role = role; self.departmentCode = departmentCode
        self.action = action; self.target = target; self.status = status; self.address = address
    }
}

public protocol AuditLog: Sendable {
    func recordAudit(_ entry: AuditEntry) async throws
    /// Newest first, older than `before` (an entry id) when given; only a department's when given.
    func auditEntries(department: String?, before: Int64?, limit: Int) async throws -> [AuditEntry]
}

public typealias PlatformStore = SubjectStore & AccountStore & AccessLog & CalendarStore & CatalogStore & RecordStore & QualityStore
    & LinkStore & PublicationStore & ArticleStore & AuditLog & CheckStore & ListCaseStore & RightsStore & HealthProbe
