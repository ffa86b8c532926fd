import Foundation
import Hummingbird
import XinyongCore

/// The credit office's administration: departments, their people's accounts (create, disable,
/// enable, reset password) and the API keys of other systems (create, revoke). Administrators
/// only. A generated password or key is shown once, on a page no cache keeps.
struct AdminController {
    let env: WebEnvironment
    let renderer: PageRenderer
    var admin: AccountAdmin { AccountAdmin(store: env.store, passwords: env.passwords) }

    func register(on router: Router<AppRequestContext>) {
        router.get("/console/admin", use: page)
        router.post("/console/admin/departments", use: saveDepartment)
        router.post("/console/admin/accounts", use: createAccount)
        router.post("/console/admin/accounts/:id/:action", use: accountAction)
        router.post("/console/admin/keys", use: createKey)
        router.post("/console/admin/keys/:prefix/revoke", use: revokeKey)
    }

    private func administrator(_ context: AppRequestContext) throws -> Principal {
        try ConsoleController.administrator(context, refusal: "部门、账号和 API 密钥由信用办管理员维护")
    }

    struct PageModel {
        var chooseDepartment = true
        var csrf: String; var error: String?; var notice: String?
        var departments: [Dept]; var accounts: [AccountLine]; var keys: [KeyLine]
        var roles: [PublicationController.Option]; var keyRoles: [PublicationController.Option]; var departmentOptions: [PublicationController.Option]
        var form: [String: String]
        struct Dept { var code: String; var name: String; var people: Int; var keys: Int }
        struct AccountLine { var id: Int64; var username: String; var name: String; var role: String; var department: String; var disabled: Bool; var isSelf: Bool }
        struct KeyLine { var prefix: String; var name: String; var role: String; var department: String; var created: String; var revoked: String? }
    }

    private func render(_ context: AppRequestContext, error: String? = nil, notice: String? = nil, form: FormData? = nil,
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        let p = try administrator(context)
        let departments = try await env.store.departments()
        let accounts = try await env.store.accounts()
        let keys = try await env.store.apiKeys()
        let names = Dictionary(departments.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        func dept(_ code: String?) -> String { code.map { names[$0] ?? $0 } ?? "信用办" }
        let personRoles: [Role] = [.admin, .departmentSubmitter, .departmentReviewer, .subjectUser]
        let model = PageModel(
            csrf: context.csrfToken ?? "", error: error, notice: notice,
            departments: departments.map { d in
                .init(code: d.code, name: d.name, people: accounts.filter { $0.departmentCode == d.code && !$0.disabled }.count,
                      keys: keys.filter { $0.departmentCode == d.code && $0.revokedAt == nil }.count)
            },
            accounts: accounts.map { a in
                .init(id: a.id, username: a.username, name: a.displayName, role: a.role.label, department: dept(a.departmentCode),
                      disabled: a.disabled, isSelf: p.via == .session(accountID: a.id))
            },
            keys: keys.map { k in
                .init(prefix: k.prefix, name: k.name, role: k.role.label, department: dept(k.departmentCode),
                      created: ConsoleController.received(k.createdAt), revoked: k.revokedAt.map(ConsoleController.received))
            },
            roles: personRoles.map { .init(value: $0.rawValue, label: $0.label, selected: form?["role"] == $0.rawValue) },
            keyRoles: [Role.apiClient, .admin, .departmentSubmitter, .departmentReviewer].map {
                .init(value: $0.rawValue, label: $0.label, selected: form?["key_role"] == $0.rawValue)
            },
            departmentOptions: [.init(value: "", label: "（不属于部门）", selected: (form?["department"] ?? "").isEmpty)]
                + departments.map { .init(value: $0.code, label: $0.name, selected: form?["department"] == $0.code) },
            form: ["code": form?["code"] ?? "", "dept_name": form?["dept_name"] ?? "", "username": form?["username"] ?? "",
                   "display_name": form?["display_name"] ?? "", "subject": form?["subject"] ?? "", "key_name": form?["key_name"] ?? ""])
        return renderer.page("console_admin", model, title: "部门与账号", env: env, context: context, status: status)
    }

    /// What the last change did, by the `done` parameter of the page it redirected to (post, redirect, get).
    static let notices: [String: String] = [
        "department": "部门已保存。", "disabled": "账号已停用，其登录会话已全部失效。", "enabled": "账号已启用。",
        "revoked": "密钥已撤销，使用它的系统将无法再调用接口。",
    ]

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context, notice: request.uri.queryParameters.get("done").flatMap { Self.notices[String($0)] })
    }

    private func done(_ what: String) -> Response { .redirect(to: "/console/admin?done=\(what)", type: .normal) }

    /// Runs a change; a problem the administrator can fix comes back on the page with what was typed.
    private func change(_ request: Request, context: AppRequestContext, _ body: (FormData) async throws -> Response) async throws -> Response {
        _ = try administrator(context)
        let values = try await FormData.read(request)
        do {
            return try await body(values)
        } catch let e as DomainError {
            switch e {
            case _ where e.isCorrectable:
                return try await render(context, error: e.message, form: values, status: Problem.from(e).status)
            default: throw e
            }
        }
    }

    @Sendable func saveDepartment(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context: context) { values in
            let d = try AccountRules.validateDepartment(code: values["code"] ?? "", name: values["dept_name"] ?? "")
            try await env.store.upsertDepartment(d)
            await env.checkRules.invalidate()
            return done("department")
        }
    }

    /// The page that shows a secret once: never stored by a cache or the browser's history cache.
    private func secret(_ context: AppRequestContext, title: String, lines: [String], secret: String) -> Response {
        var response = renderer.page("console_secret", SecretModel(title: title, lines: lines, secret: secret), title: title, env: env, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }
    struct SecretModel { var title: String; var lines: [String]; var secret: String }

    @Sendable func createAccount(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context: context) { values in
            guard let role = Role(rawValue: values["role"] ?? "") else { throw DomainError.invalid(field: "role", reason: "请选择角色") }
            let department = (values["department"] ?? "").nilIfEmpty
            let created = try await admin.createAccount(username: values["username"] ?? "", displayName: values["display_name"] ?? "",
                                                        role: role, department: department,
                                                        subjectCode: (values["subject"] ?? "").nilIfEmpty, password: nil)
            return secret(context, title: "已创建账号", lines: ["用户名：\(created.account.username)", "姓名：\(created.account.displayName)",
                                                            "角色：\(role.label)"], secret: created.generatedPassword ?? "")
        }
    }

    @Sendable func accountAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try administrator(context)
        guard let id = context.parameters.get("id").flatMap(Int64.init), let account = try await env.store.account(id: id) else {
            throw DomainError.notFound(what: "该账号")
        }
        return try await change(request, context: context) { _ in
            switch context.parameters.get("action") {
            case "disable":
                guard p.via != .session(accountID: id) else { throw DomainError.conflict("不能停用自己正在使用的账号") }
                try await env.store.setDisabled(accountID: id, disabled: true)
                return done("disabled")
            case "enable":
                try await env.store.setDisabled(accountID: id, disabled: false)
                return done("enabled")
            case "reset":
                let pw = try await admin.resetPassword(accountID: id)
                return secret(context, title: "已重置密码", lines: ["用户名：\(account.username)", "该账号已在所有设备上退出登录。"], secret: pw)
            default:
                throw DomainError.notFound(what: "该操作")
            }
        }
    }

    @Sendable func createKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context: context) { values in
            guard let role = Role(rawValue: values["key_role"] ?? "") else { throw DomainError.invalid(field: "key_role", reason: "请选择角色") }
            let k = try await admin.createAPIKey(name: values["key_name"] ?? "", role: role, department: (values["department"] ?? "").nilIfEmpty)
            return secret(context, title: "已创建 API 密钥", lines: ["名称：\(k.info.name)", "角色：\(role.label)", "编号：\(k.info.prefix)",
                                                                 "调用时在请求头中携带：Authorization: Bearer <密钥>"], secret: k.token)
        }
    }

    @Sendable func revokeKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context: context) { _ in
            let prefix = context.parameters.get("prefix") ?? ""
            guard try await env.store.revokeAPIKey(prefix: prefix) else { throw DomainError.notFound(what: "编号为 \(prefix.prefix(12)) 的有效密钥") }
            env.apiKeys.forget(prefix: prefix)
            return done("revoked")
        }
    }
}
