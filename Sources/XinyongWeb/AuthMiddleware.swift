import Foundation
import Hummingbird
import XinyongCore

enum CookieNames {
    static let session = "xy_session"
    static let preSessionCSRF = "xy_csrf"
}

/// Authenticates each request by API key (`Authorization: Bearer xy_…`) or session cookie, and
/// enforces CSRF on every state-changing browser request: the token must come back in the
/// `_csrf` form field or the `X-CSRF-Token` header and match the session's (or, before sign-in,
/// the `xy_csrf` cookie's) token.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let env: WebEnvironment

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var request = request
        if let auth = request.headers[.authorization] {
            guard auth.hasPrefix("Bearer "), let parsed = APIKeyFormat.parse(String(auth.dropFirst(7))),
                  let key = try await env.apiKeys.key(prefix: parsed.prefix, store: env.store),
                  Tokens.constantTimeEqual(Tokens.sha256Hex(parsed.secret), key.secretHash) else {
                throw DomainError.unauthenticated("API 密钥无效或已撤销")
            }
            context.principal = Principal(via: .apiKey(id: key.info.id), name: key.info.name, role: key.info.role,
                                          departmentCode: key.info.departmentCode)
            return try await next(request, context)
        }
        var hasSession = false
        if let token = request.cookies[CookieNames.session]?.value,
           let s = try await env.store.session(tokenHash: Tokens.sha256Hex(token), now: Date()) {
            context.principal = Principal(via: .session(accountID: s.account.id), name: s.account.displayName,
                                          role: s.account.role, departmentCode: s.account.departmentCode,
                                          subjectID: s.account.subjectID)
            context.csrfToken = s.csrfToken
            hasSession = true
        }
        let unsafe = ![.get, .head, .options].contains(request.method)
        let contentType = request.headers[.contentType] ?? ""
        let isForm = contentType.hasPrefix("application/x-www-form-urlencoded") || contentType.hasPrefix("multipart/form-data")
        if unsafe && (hasSession || isForm) {
            let expected = context.csrfToken ?? request.cookies[CookieNames.preSessionCSRF]?.value
            var supplied = request.headers[.init("X-CSRF-Token")!]
            if supplied == nil, isForm {
                if let boundary = MultipartForm.boundary(contentType) {
                    // An upload: the body (bounded by the upload limit, for signed-in users only, so
                    // nobody can make the server buffer 64 MB without an account) is kept for the handler.
                    let body = try await request.collectBody(upTo: hasSession ? Upload.maxFileBytes + (1 << 20) : 1 << 20)
                    supplied = try MultipartForm(body, boundary: boundary).fields["_csrf"]
                } else {
                    let body = try await request.collectBody(upTo: 1 << 20)
                    supplied = FormData(String(buffer: body))["_csrf"]
                }
            }
            guard let expected, let supplied, Tokens.constantTimeEqual(expected, supplied) else {
                throw DomainError.forbidden("表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")
            }
        }
        return try await next(request, context)
    }
}

extension AppRequestContext {
    /// The caller, if it has one of `roles`; otherwise 401 (not signed in) or 403 (wrong role).
    func require(_ roles: Set<Role>) throws -> Principal {
        guard let p = principal else { throw DomainError.unauthenticated("请先登录或提供 API 密钥") }
        guard roles.contains(p.role) else {
            throw DomainError.forbidden("当前角色（\(p.role.label)）无权执行此操作，需要：\(roles.map(\.label).sorted().joined(separator: "、"))")
        }
        return p
    }
}

/// `application/x-www-form-urlencoded` fields.
struct FormData {
    private var fields: [String: String] = [:]
    /// Every value of a repeated field (checkboxes arrive as `name=a&name=b`), in order.
    private var repeated: [String: [String]] = [:]

    init(_ body: String) {
        for pair in body.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            guard let k = kv.first else { continue }
            let v = kv.count > 1 ? kv[1] : ""
            if fields[k] == nil { fields[k] = v }
            repeated[k, default: []].append(v)
        }
    }

    subscript(_ key: String) -> String? { fields[key] }

    /// All values sent under `key` (empty when none).
    func values(_ key: String) -> [String] { repeated[key] ?? [] }

    /// Replaces a field (to show a form again with values gathered from repeated fields).
    mutating func set(_ key: String, _ value: String) { fields[key] = value }

    /// A request's form body (at most `limit` bytes).
    static func read(_ request: Request, limit: Int = 1 << 16) async throws -> FormData {
        var request = request
        return FormData(String(buffer: try await request.collectBody(upTo: limit)))
    }
}
