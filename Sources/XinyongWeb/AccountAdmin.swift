import Foundation
import XinyongCore

/// Creating accounts and API keys and resetting passwords: one path for the console and the
/// command line. Secrets (a generated password, a key) are returned once and stored only hashed.
public struct AccountAdmin: Sendable {
    let store: any PlatformStore
    let passwords: Passwords

    public init(store: any PlatformStore, passwords: Passwords) { self.store = store; self.passwords = passwords }

    /// A new account; without `password`, one is generated and returned.
    public func createAccount(username: String, displayName: String, role: Role, department: String?, subjectCode: String?,
                              password: String?) async throws -> (account: Account, generatedPassword: String?) {
        guard role != .apiClient else { throw DomainError.invalid(field: "role", reason: "机器账号请创建 API 密钥") }
        let name = try AccountRules.validateUsername(username)
        let display = try AccountRules.validateDisplayName(displayName)
        let generated = password == nil ? Passwords.generate() : nil
        let pw = password ?? generated!
        try AccountRules.validatePassword(pw)
        var subjectID: Int64? = nil
        if let code = subjectCode.map(IdentifierValidator.normalize), !code.isEmpty {
            guard let s = try await store.subject(code: code) else { throw DomainError.notFound(what: "代码为 \(code.prefix(20)) 的主体") }
            subjectID = s.id
        }
        let account = try await store.createAccount(
            AccountDraft(username: name, displayName: display, role: role, departmentCode: department, subjectID: subjectID),
            passwordHash: try await passwords.hash(pw))
        return (account, generated)
    }

    /// A new generated password; the account is signed out everywhere.
    public func resetPassword(accountID: Int64) async throws -> String {
        guard try await store.account(id: accountID) != nil else { throw DomainError.notFound(what: "该账号") }
        let pw = Passwords.generate()
        try await store.setPassword(accountID: accountID, passwordHash: try await passwords.hash(pw))
        return pw
    }

    /// A new API key; the token is returned once.
    public func createAPIKey(name: String, role: Role, department: String?) async throws -> (token: String, info: APIKeyInfo) {
        let display = try AccountRules.validateDisplayName(name, field: "name")
        let k = APIKeyFormat.generate()
        let info = try await store.createAPIKey(prefix: k.prefix, secretHash: k.secretHash, name: display, role: role, departmentCode: department)
        return (k.token, info)
    }
}
