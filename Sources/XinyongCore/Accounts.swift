import Foundation

/// Roles. Department roles are scoped by `departmentCode`; a subject user by `subjectID`.
public enum Role: String, Sendable, Codable, CaseIterable {
    case admin                                   // 平台管理员（信用办 / 公共信用信息中心）
    case departmentSubmitter = "department_submitter" // 部门报送员
    case departmentReviewer = "department_reviewer"   // 部门审核员
    case subjectUser = "subject_user"            // 信用主体用户（绑定一个主体）
    case apiClient = "api_client"                // 系统对接（机器账号）

    public var label: String {
        switch self {
        case .admin: "平台管理员"
        case .departmentSubmitter: "部门报送员"
        case .departmentReviewer: "部门审核员"
        case .subjectUser: "信用主体用户"
        case .apiClient: "系统对接账号"
        }
    }

    /// Roles whose accounts must belong to a department.
    public var needsDepartment: Bool { self == .departmentSubmitter || self == .departmentReviewer }
}

/// A department (市场监管局, 税务局, …) that supplies credit information.
public struct Department: Sendable, Equatable, Codable {
    public var code: String
    public var name: String
    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// A person's account for the web console and self-service.
public struct Account: Sendable, Equatable, Codable {
    public var id: Int64
    public var username: String
    public var displayName: String
    public var role: Role
    public var departmentCode: String?
    public var subjectID: Int64?
    public var disabled: Bool
    public var createdAt: Date

    public init(id: Int64, username: String, displayName: String, role: Role, departmentCode: String?, subjectID: Int64?,
                disabled: Bool, createdAt: Date) {
        self.id = id; self.username = username; self.displayName = displayName; self.role = role
        self.departmentCode = departmentCode; self.subjectID = subjectID; self.disabled = disabled; self.createdAt = createdAt
    }
}

public struct AccountDraft: Sendable, Equatable {
    public var username: String
    public var displayName: String
    public var role: Role
    public var departmentCode: String?
    public var subjectID: Int64?
    public init(username: String, displayName: String, role: Role, departmentCode: String? = nil, subjectID: Int64? = nil) {
        self.username = username; self.displayName = displayName; self.role = role
        self.departmentCode = departmentCode; self.subjectID = subjectID
    }
}

/// An API key's public description. The secret is shown once at creation and stored only hashed.
public struct APIKeyInfo: Sendable, Equatable, Codable {
    public var id: Int64
    /// The public part of the key, used to find it (`xy_<prefix>_<secret>`).
    public var prefix: String
    public var name: String
    public var role: Role
    public var departmentCode: String?
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: Int64, prefix: String, name: String, role: Role, departmentCode: String?, createdAt: Date, revokedAt: Date?) {
        self.id = id; self.prefix = prefix; self.name = name; self.role = role
        self.departmentCode = departmentCode; self.createdAt = createdAt; self.revokedAt = revokedAt
    }
}

/// Who is making a request, after authentication.
public struct Principal: Sendable, Equatable {
    public enum Via: Sendable, Equatable { case session(accountID: Int64), apiKey(id: Int64) }
    public var via: Via
    public var name: String
    public var role: Role
    public var departmentCode: String?
    public var subjectID: Int64?

    public init(via: Via, name: String, role: Role, departmentCode: String? = nil, subjectID: Int64? = nil) {
        self.via = via; self.name = name; self.role = role; self.departmentCode = departmentCode; self.subjectID = subjectID
    }

    /// A stable label for audit trails: `account:12` or `apikey:3`.
    public var auditLabel: String {
        switch via {
        case .session(let id): "account:\(id)"
        case .apiKey(let id): "apikey:\(id)"
        }
    }

    /// Staff (credit office and departments) may see registry data that is not public, masked.
    public var isStaff: Bool { role != .subjectUser }
}

/// A stored web session. The token itself is never stored, only its hash.
public struct SessionRecord: Sendable, Equatable {
    public var account: Account
    public var csrfToken: String
    public var expiresAt: Date

    public init(account: Account, csrfToken: String, expiresAt: Date) {
        self.account = account; self.csrfToken = csrfToken; self.expiresAt = expiresAt
    }
}

/// Username rules: 3–64 characters of letters, digits, `.`, `_`, `-`, `@`.
public enum AccountRules {
    public static func validateUsername(_ name: String) throws(DomainError) -> String {
        let n = name.trimmingCharacters(in: .whitespaces).lowercased()
        guard (3...64).contains(n.count),
              n.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-@".contains($0)) }) else {
            throw .invalid(field: "username", reason: "用户名应为 3–64 位字母、数字或 . _ - @")
        }
        return n
    }

    /// A person's or key's display name: 1–40 characters, no control characters.
    public static func validateDisplayName(_ name: String, field: String = "display_name") throws(DomainError) -> String {
        let n = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...40).contains(n.count), !n.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalid(field: field, reason: "名称应为 1–40 个字")
        }
        return n
    }

    /// A department: its code 2–20 capital letters, digits or _ (e.g. SCJGJ), its name 2–50 characters.
    public static func validateDepartment(code: String, name: String) throws(DomainError) -> Department {
        let c = code.trimmingCharacters(in: .whitespaces).uppercased()
        guard (2...20).contains(c.count), c.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_") }) else {
            throw .invalid(field: "code", reason: "部门代码应为 2–20 位大写字母、数字或下划线，如 SCJGJ")
        }
        let n = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...50).contains(n.count), !n.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalid(field: "name", reason: "部门名称应为 2–50 个字")
        }
        return Department(code: c, name: n)
    }

    public static func validatePassword(_ pw: String) throws(DomainError) {
        guard pw.count >= 10 else { throw .invalid(field: "password", reason: "密码至少 10 位") }
        guard pw.utf8.count <= 72 else { throw .invalid(field: "password", reason: "密码不能超过 72 字节") }
    }
}
