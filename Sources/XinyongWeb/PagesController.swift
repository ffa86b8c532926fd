import Foundation
import Hummingbird
import Logging
import Mustache
import XinyongCore

/// Renders page models into the shared layout.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        for (name, text) in Templates.all { try library.register(text, named: name) }
        self.library = library
    }

    struct Layout {
        var title: String
        var siteName: String
        var synthetic: Bool
        var user: User?
        var content: String
        var css = Assets.stylesheet.versionedPath
        var icon = Assets.siteIcon.versionedPath
        struct User { var name: String; var staff: Bool }
    }

    func page(_ template: String, _ model: Any, title: String, env: WebEnvironment, context: AppRequestContext,
              status: HTTPResponse.Status = .ok) -> Response {
        let body = library.render(model, withTemplate: template) ?? ""
        let layout = Layout(title: title, siteName: env.siteName, synthetic: env.showsSyntheticNotice,
                            user: context.principal.map { .init(name: $0.name, staff: ConsoleController.roles.contains($0.role)) }, content: body)
        let html = library.render(layout, withTemplate: "layout") ?? ""
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// The public site shell and sign-in pages.
struct PagesController {
    let env: WebEnvironment
    let renderer: PageRenderer
    var api: APIController { APIController(env: env) }

    func register(on router: Router<AppRequestContext>) {
        router.get("/", use: home)
        router.get("/search", use: search)
        router.get("/subjects/:code", use: subject)
        router.get("/login", use: loginForm)
        router.post("/login", use: login)
        router.post("/logout", use: logout)
        router.get("/account", use: account)
        for asset in Assets.all {
            router.get(.init(asset.path)) { request, _ in asset.response(request) }
        }
    }

    struct HomeModel {
        var siteName: String; var subjectCount: String; var licenceCount: String; var penaltyCount: String; var query: String
        var latest: [PublicationController.Row]; var hasLatest: Bool
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let today = env.today()
        let figures = try await env.figures.current(store: env.store, today: today)
        let catalog = try await env.store.catalog()
        let views = RecordViews(catalog: catalog, departments: try await env.store.departments())
        let latest = try await env.store.publicRecordPage(try PublicRecordQuery(items: PublicationController.shuanggongshi, perPage: 8), on: today)
            .items.compactMap { PublicationController.row($0, views: views, catalog: catalog, today: today) }
        return renderer.page("home", HomeModel(siteName: env.siteName, subjectCount: figures.subjects.formatted(),
                                               licenceCount: figures.licences.formatted(), penaltyCount: figures.penalties.formatted(),
                                               query: "", latest: latest, hasLatest: !latest.isEmpty),
                             title: "首页", env: env, context: context)
    }

    struct SearchModel {
        var query: String
        var hasQuery: Bool
        var error: String?
        var total: Int
        var totalText: String
        var page: Int
        var totalPages: Int
        var firstIndex: Int
        var hasResults: Bool
        var items: [Row]
        var prevURL: String?
        var nextURL: String?
        struct Row { var name: String; var code: String; var kindLabel: String; var legalRepresentative: String?; var status: String; var statusLabel: String }
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = request.uri.queryParameters.get("q")?.trimmingCharacters(in: .whitespaces) ?? ""
        var model = SearchModel(query: q, hasQuery: !q.isEmpty, error: nil, total: 0, totalText: "0", page: 1, totalPages: 0, firstIndex: 1,
                                hasResults: false, items: [], prevURL: nil, nextURL: nil)
        if !q.isEmpty {
            do {
                let page = Int(request.uri.queryParameters.get("page") ?? "1") ?? 1
                let result = try await env.store.searchSubjects(SubjectQuery(text: q, page: page, perPage: 20))
                model.total = result.total
                model.totalText = result.totalExact ? String(result.total) : "\(result.total)+"
                model.page = result.page
                model.totalPages = min((result.total + 19) / 20, SubjectQuery.maxPage)
                model.firstIndex = (result.page - 1) * 20 + 1
                model.items = result.items.filter { !$0.kind.isNaturalPerson }.map {
                    .init(name: $0.name, code: $0.code, kindLabel: $0.kind.label, legalRepresentative: $0.legalRepresentative,
                          status: $0.status.rawValue, statusLabel: $0.status.label)
                }
                model.hasResults = !model.items.isEmpty
                let encoded = q.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&+=#"))) ?? ""
                if result.page > 1 { model.prevURL = "/search?q=\(encoded)&page=\(result.page - 1)" }
                if result.page < model.totalPages { model.nextURL = "/search?q=\(encoded)&page=\(result.page + 1)" }
            } catch let DomainError.invalid(_, reason) {
                model.error = reason
                model.hasQuery = false
            }
        }
        return renderer.page("search", model, title: q.isEmpty ? "信用查询" : "“\(q)”的查询结果", env: env, context: context)
    }

    struct SubjectModel {
        var name: String; var code: String; var kindLabel: String; var status: String; var statusLabel: String
        var synthetic: Bool; var codeCheckFailed: Bool; var legalRepresentative: String?; var capital: String?
        var establishedOn: String?; var industry: String?; var region: String?; var address: String?
        var hasFormerNames: Bool; var formerNames: [Former]
        var sections: [RecordViews.Section]
        var emptySections: String
        struct Former { var name: String; var until: String? }
    }

    @Sendable func subject(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = IdentifierValidator.normalize(try APIController.pathCode(context))
        guard let s = try await api.visibleSubject(code: code, context: context, via: "GET /subjects/{code}") else {
            throw DomainError.notFound(what: "代码为 \(APIController.safeEcho(code)) 的主体")
        }
        var model = SubjectModel(
            name: s.name, code: s.code, kindLabel: s.kind.label, status: s.status.rawValue, statusLabel: s.status.label,
            synthetic: s.synthetic, codeCheckFailed: s.codeCheckFailed, legalRepresentative: s.legalRepresentative,
            capital: s.registeredCapitalYuan.map(Self.formatCapital), establishedOn: s.establishedOn?.description,
            industry: s.industry, region: s.regionCode.flatMap { DivisionTable.shipped.resolve($0)?.name },
            address: s.address, hasFormerNames: !s.formerNames.isEmpty,
            formerNames: s.formerNames.map { .init(name: $0.name, until: $0.until?.description) },
            sections: [], emptySections: "")
        let all = RecordViews(catalog: try await env.store.catalog(), departments: try await env.store.departments())
            .sections(try await env.store.publicRecords(subjectID: s.id, on: env.today()), today: env.today())
        model.sections = all.filter { !$0.empty }
        model.emptySections = all.filter(\.empty).map(\.name).joined(separator: "、")
        return renderer.page("subject", model, title: s.name, env: env, context: context)
    }

    static func formatCapital(_ yuan: Int64) -> String {
        let wan = Double(yuan) / 10_000
        return (wan == wan.rounded() ? String(Int64(wan)) : String(format: "%.2f", wan)) + " 万元人民币"
    }

    // MARK: Sign-in

    struct LoginModel { var csrf: String; var error: String?; var username: String }

    @Sendable func loginForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.principal != nil { return .redirect(to: "/account", type: .found) }
        return loginPage(request, context: context, error: nil, username: "", status: .ok)
    }

    private func loginPage(_ request: Request, context: AppRequestContext, error: String?, username: String,
                           status: HTTPResponse.Status) -> Response {
        let csrf = request.cookies[CookieNames.preSessionCSRF]?.value ?? Tokens.random(bytes: 24)
        var response = renderer.page("login", LoginModel(csrf: csrf, error: error, username: username), title: "登录",
                                     env: env, context: context, status: status)
        response.setCookie(Cookie(name: CookieNames.preSessionCSRF, value: csrf, maxAge: 3600, path: "/",
                                  secure: env.cookieSecure, httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let form = FormData(String(buffer: try await request.collectBody(upTo: 1 << 16)))
        let username = (form["username"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let password = form["password"] ?? ""
        let keys = ["user:" + username, "addr:" + (context.clientAddress ?? "unknown")]
        if let wait = await env.throttle.retryAfter(keys: keys) {
            var r = loginPage(request, context: context, error: "登录失败次数过多，请 \(max(1, wait / 60)) 分钟后再试。",
                              username: username, status: .tooManyRequests)
            r.headers[.retryAfter] = String(wait)
            return r
        }
        let cred = try await env.store.credentials(username: username)
        let matches = try await env.passwords.verify(password, hash: cred?.passwordHash ?? Passwords.dummyHash)
        guard let cred, matches, !cred.account.disabled else {
            await env.throttle.recordFailure(keys: keys)
            context.logger.info("登录失败", metadata: ["request_id": .string(context.requestID)])
            return loginPage(request, context: context, error: "用户名或密码错误，或账号已停用。", username: username, status: .unauthorized)
        }
        await env.throttle.recordSuccess(keys: keys)
        let token = Tokens.random(bytes: 32)
        try await env.store.createSession(tokenHash: Tokens.sha256Hex(token), accountID: cred.account.id,
                                          csrfToken: Tokens.random(bytes: 24), expiresAt: Date().addingTimeInterval(env.sessionLifetime))
        var response = Response.redirect(to: "/account", type: .normal)
        response.setCookie(Cookie(name: CookieNames.session, value: token, maxAge: Int(env.sessionLifetime), path: "/",
                                  secure: env.cookieSecure, httpOnly: true, sameSite: .lax))
        return response
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let token = request.cookies[CookieNames.session]?.value {
            try await env.store.deleteSession(tokenHash: Tokens.sha256Hex(token))
        }
        var response = Response.redirect(to: "/", type: .normal)
        response.setCookie(Cookie(name: CookieNames.session, value: "", maxAge: 0, path: "/", secure: env.cookieSecure,
                                  httpOnly: true, sameSite: .lax))
        return response
    }

    struct AccountModel { var name: String; var roleLabel: String; var department: String?; var staff: Bool; var csrf: String }

    @Sendable func account(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let p = context.principal, case .session = p.via else {
            throw DomainError.unauthenticated("请先登录")
        }
        var department = p.departmentCode
        if let code = department, let d = try await env.store.departments().first(where: { $0.code == code }) {
            department = "\(d.name)（\(code)）"
        }
        return renderer.page("account", AccountModel(name: p.name, roleLabel: p.role.label, department: department,
                                                     staff: ConsoleController.roles.contains(p.role), csrf: context.csrfToken ?? ""),
                             title: "我的账号", env: env, context: context)
    }
}

/// The error page, built without the template library so it renders even when that fails.
enum ErrorPage {
    static func render(status: Int, title: String, detail: String, requestID: String?, signIn: Bool) -> String {
        let rid = requestID.map { "<p class=\"muted\">请求编号：<code>\(escape($0))</code></p>" } ?? ""
        let login = signIn ? "<p><a href=\"/login\">前往登录</a></p>" : ""
        return """
        <!doctype html>
        <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(status) \(escape(title))</title><link rel="stylesheet" href="\(Assets.stylesheet.versionedPath)"></head>
        <body><main id="main" class="wrap"><section class="panel narrow error-page">
        <h1>\(escape(title))</h1><p>\(escape(detail))</p>\(login)\(rid)<p><a href="/">返回首页</a></p>
        </section></main></body></html>
        """
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
