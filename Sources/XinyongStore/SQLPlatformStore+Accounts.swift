import Foundation
import SQLKit
import XinyongCore

private struct AccountRow: Decodable {
    var id: Int64
    var username: String
    var display_name: String
    var password_hash: String
    var role: String
    var department_code: String?
    var subject_id: Int64?
    var disabled: Bool
    var created_at: Int64

    static let columns = "a.id, a.username, a.display_name, a.password_hash, a.role, a.department_code, a.subject_id, a.disabled, a.created_at"

    var account: Account {
        Account(id: id, username: username, displayName: display_name, role: Role(rawValue: role) ?? .subjectUser,
                departmentCode: department_code, subjectID: subject_id, disabled: disabled, createdAt: Clock.date(created_at))
    }
}

private struct APIKeyRow: Decodable {
    var id: Int64
    var prefix: String
    var secret_hash: String
    var name: String
    var role: String
    var department_code: String?
    var created_at: Int64
    var revoked_at: Int64?

    var info: APIKeyInfo {
        APIKeyInfo(id: id, prefix: prefix, name: name, role: Role(rawValue: role) ?? .apiClient, departmentCode: department_code,
                   createdAt: Clock.date(created_at), revokedAt: revoked_at.map(Clock.date))
    }
}

extension SQLPlatformStore {
    public func countAccounts() async throws -> Int {
        try await db.raw("SELECT count(*) AS n FROM accounts").first(decodingColumn: "n", as: Int.self) ?? 0
    }

    private func requireDepartment(_ code: String?, for role: Role) async throws {
        if role.needsDepartment && code == nil {
            throw DomainError.invalid(field: "department", reason: "\(role.label)必须属于一个部门")
        }
        if let code, try await db.raw("SELECT code FROM departments WHERE code = \(bind: code)").first() == nil {
            throw DomainError.invalid(field: "department", reason: "部门 \(code) 不存在")
        }
    }

    public func createAccount(_ d: AccountDraft, passwordHash: String) async throws -> Account {
        try await requireDepartment(d.departmentCode, for: d.role)
        if d.role == .subjectUser && d.subjectID == nil {
            throw DomainError.invalid(field: "subject", reason: "信用主体用户必须绑定一个主体")
        }
        let now = Clock.millis()
        do {
            let id = try await db.raw("""
                INSERT INTO accounts (username, display_name, password_hash, role, department_code, subject_id, disabled,
                                      created_at, password_changed_at)
                VALUES (\(bind: d.username), \(bind: d.displayName), \(bind: passwordHash), \(bind: d.role.rawValue),
                        \(bind: d.departmentCode), \(bind: d.subjectID), \(bind: false), \(bind: now), \(bind: now))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            return Account(id: id, username: d.username, displayName: d.displayName, role: d.role, departmentCode: d.departmentCode,
                           subjectID: d.subjectID, disabled: false, createdAt: Clock.date(now))
        } catch where StoreErrors.isUniqueViolation(error) {
            throw DomainError.conflict("用户名 \(d.username) 已存在")
        }
    }

    public func credentials(username: String) async throws -> (account: Account, passwordHash: String)? {
        guard let row = try await db.raw("""
            SELECT \(SQLQueryString(AccountRow.columns)) FROM accounts a WHERE a.username = \(bind: username)
            """).first(decoding: AccountRow.self) else { return nil }
        return (row.account, row.password_hash)
    }

    public func setPassword(accountID: Int64, passwordHash: String) async throws {
        try await database.transaction { db in
            try await db.raw("""
                UPDATE accounts SET password_hash = \(bind: passwordHash), password_changed_at = \(bind: Clock.millis())
                WHERE id = \(bind: accountID)
                """).run()
            try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: accountID)").run()   // sign out everywhere
        }
    }

    public func setDisabled(accountID: Int64, disabled: Bool) async throws {
        try await database.transaction { db in
            try await db.raw("UPDATE accounts SET disabled = \(bind: disabled) WHERE id = \(bind: accountID)").run()
            if disabled { try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: accountID)").run() }
        }
    }

    public func createSession(tokenHash: String, accountID: Int64, csrfToken: String, expiresAt: Date) async throws {
        let now = Clock.millis()
        try await db.raw("""
            INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, expires_at)
            VALUES (\(bind: tokenHash), \(bind: accountID), \(bind: csrfToken), \(bind: now), \(bind: Clock.millis(expiresAt)))
            """).run()
        try await db.raw("DELETE FROM sessions WHERE expires_at < \(bind: now)").run()
    }

    public func session(tokenHash: String, now: Date) async throws -> SessionRecord? {
        struct Row: Decodable { var csrf_token: String; var expires_at: Int64; var account_id: Int64 }
        guard let s = try await db.raw("""
            SELECT csrf_token, expires_at, account_id FROM sessions WHERE token_hash = \(bind: tokenHash)
            """).first(decoding: Row.self), s.expires_at > Clock.millis(now) else { return nil }
        guard let a = try await db.raw("""
            SELECT \(SQLQueryString(AccountRow.columns)) FROM accounts a WHERE a.id = \(bind: s.account_id)
            """).first(decoding: AccountRow.self), !a.disabled else { return nil }
        return SessionRecord(account: a.account, csrfToken: s.csrf_token, expiresAt: Clock.date(s.expires_at))
    }

    public func deleteSession(tokenHash: String) async throws {
        try await db.raw("DELETE FROM sessions WHERE token_hash = \(bind: tokenHash)").run()
    }

    public func createAPIKey(prefix: String, secretHash: String, name: String, role: Role, departmentCode: String?) async throws -> APIKeyInfo {
        try await requireDepartment(departmentCode, for: role)
        let now = Clock.millis()
        let id = try await db.raw("""
            INSERT INTO api_keys (prefix, secret_hash, name, role, department_code, created_at)
            VALUES (\(bind: prefix), \(bind: secretHash), \(bind: name), \(bind: role.rawValue), \(bind: departmentCode), \(bind: now))
            RETURNING id
            """).first(decodingColumn: "id", as: Int64.self)!
        return APIKeyInfo(id: id, prefix: prefix, name: name, role: role, departmentCode: departmentCode,
                          createdAt: Clock.date(now), revokedAt: nil)
    }

    public func apiKey(prefix: String) async throws -> (info: APIKeyInfo, secretHash: String)? {
        guard let row = try await db.raw("""
            SELECT id, prefix, secret_hash, name, role, department_code, created_at, revoked_at
            FROM api_keys WHERE prefix = \(bind: prefix) AND revoked_at IS NULL
            """).first(decoding: APIKeyRow.self) else { return nil }
        return (row.info, row.secret_hash)
    }

    public func revokeAPIKey(prefix: String) async throws -> Bool {
        let rows = try await db.raw("""
            UPDATE api_keys SET revoked_at = \(bind: Clock.millis()) WHERE prefix = \(bind: prefix) AND revoked_at IS NULL RETURNING id
            """).all()
        return !rows.isEmpty
    }

    public func accounts() async throws -> [Account] {
        try await db.raw("""
            SELECT \(SQLQueryString(AccountRow.columns)) FROM accounts a
            ORDER BY CASE WHEN a.department_code IS NULL THEN 0 ELSE 1 END, a.department_code, a.username
            """).all(decoding: AccountRow.self).map(\.account)
    }

    public func account(id: Int64) async throws -> Account? {
        try await db.raw("SELECT \(SQLQueryString(AccountRow.columns)) FROM accounts a WHERE a.id = \(bind: id)")
            .first(decoding: AccountRow.self)?.account
    }

    public func apiKeys() async throws -> [APIKeyInfo] {
        try await db.raw("""
            SELECT id, prefix, secret_hash, name, role, department_code, created_at, revoked_at FROM api_keys ORDER BY id DESC
            """).all(decoding: APIKeyRow.self).map(\.info)
    }

    public func departments() async throws -> [Department] {
        struct Row: Decodable { var code: String; var name: String }
        return try await db.raw("SELECT code, name FROM departments ORDER BY code").all(decoding: Row.self)
            .map { Department(code: $0.code, name: $0.name) }
    }

    public func upsertDepartment(_ d: Department) async throws {
        try await database.transaction { db in
            let updated = try await db.raw("UPDATE departments SET name = \(bind: d.name) WHERE code = \(bind: d.code) RETURNING code").all()
            if updated.isEmpty {
                try await db.raw("""
                    INSERT INTO departments (code, name, created_at) VALUES (\(bind: d.code), \(bind: d.name), \(bind: Clock.millis()))
                    """).run()
            }
        }
    }
}
