import Foundation
import Hummingbird
import Logging
import XinyongCore

/// Writes every state-changing request of a signed-in person or an API key to the audit log —
/// who, what, on what, with what outcome, when and from where — whether it succeeded or not.
/// Reads are not audited here (reads of non-public data go to the access log).
struct AuditMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let env: WebEnvironment

    /// What a route does, in words, by method and route.
    static let actions: [String: String] = [
        "POST /api/v1/submissions": "报送数据",
        "POST /console/submissions": "上传报送文件",
        "POST /api/v1/subjects": "新增主体",
        "PUT /api/v1/subjects/{code}": "修改主体登记信息",
        "PUT /api/v1/calendar/years/{year}": "设置年度节假日安排",
        "PUT /api/v1/catalog/items/{code}": "新增或替换本地目录项",
        "POST /api/v1/catalog/items/{code}/fields": "为目录项添加本地字段",
        "PUT /api/v1/catalog/code-lists/{name}": "设置本地代码表",
        "POST /api/v1/records/{item}/revoke": "撤销信用记录",
        "POST /api/v1/link-queue/records/{id}": "人工关联记录与主体",
        "POST /api/v1/link-queue/held/{submission}/{row}": "确认或退回暂存行",
        "POST /console/articles": "新建文章",
        "POST /console/articles/{id}": "修改文章",
        "POST /logout": "退出登录",
        "POST /console/admin/departments": "新增或修改部门",
        "POST /console/links/records/{id}": "人工关联记录与主体",
        "POST /console/catalog/{code}/fields": "为目录项添加本地字段",
        "POST /console/catalog": "新增本地目录项",
        "POST /console/catalog/code-lists/{name}": "设置本地代码表",
        "POST /console/links/held/{submission}/{row}": "确认或退回暂存行",
        "POST /console/admin/accounts": "新建账号",
        "POST /console/admin/accounts/{id}/{action}": "停用、启用账号或重置密码",
        "POST /console/admin/keys": "新建 API 密钥",
        "POST /console/admin/keys/{prefix}/revoke": "撤销 API 密钥",
        "POST /api/v1/checks": "发起信用核查",
        "POST /api/v1/checks/{id}/feedback": "反馈奖惩措施实施情况",
        "PUT /api/v1/measures/{code}": "新增或修改本地奖惩措施",
        "POST /console/checks": "发起信用核查",
        "POST /console/checks/{id}/feedback": "反馈奖惩措施实施情况",
        "POST /console/measures": "新增或修改本地奖惩措施",
        "POST /console/checks/{id}/case": "起草联合奖惩案例",
        "POST /console/lists": "严重失信主体名单立案",
        "POST /console/lists/{id}/{action}": "名单认定程序操作（告知、陈述申辩、决定、公示、移出、终止）",
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method), let principal = context.principal else {
            return try await next(request, context)
        }
        do {
            let response = try await next(request, context)
            await record(request, context: context, principal: principal, status: Int(response.status.code))
            return response
        } catch {
            let status: Int = switch error {
            case let e as DomainError: Int(Problem.from(e).status.code)
            case let e as any HTTPResponseError: Int(e.status.code)
            default: 500
            }
            await record(request, context: context, principal: principal, status: status)
            throw error
        }
    }

    /// Routes whose successful requests have a fuller log of their own (the check log keeps who,
    /// which department, matter, purpose, subjects and answers): the audit log keeps only their failures,
    /// so a check writes once before it answers.
    static let ownLog: Set<String> = ["POST /api/v1/checks", "POST /console/checks"]

    private func record(_ request: Request, context: Context, principal: Principal, status: Int) async {
        let route = context.endpointPath.map { "\(request.method.rawValue) \($0)" }
        if let route, Self.ownLog.contains(route), status < 400 { return }
        let entry = AuditEntry(at: Date(), actor: principal.auditLabel, actorName: principal.name, role: principal.role.rawValue, departmentCode: principal.departmentCode,
                               action: route.flatMap { Self.actions[$0] } ?? request.method.rawValue,
                               target: Problem.maskedPath(request.uri.path), status: status, address: context.clientAddress)
        await Self.write(entry, env: env, context: context)
    }

    /// Writes one audit line. The action itself is done (or failed on its own) and is not undone
    /// when its line cannot be written; that is logged loudly instead.
    static func write(_ entry: AuditEntry, env: WebEnvironment, context: Context) async {
        do {
            try await env.store.recordAudit(entry)
        } catch {
            context.logger.error("审计日志写入失败", metadata: ["request_id": .string(context.requestID), "error": .string("\(type(of: error))")])
        }
    }
}
