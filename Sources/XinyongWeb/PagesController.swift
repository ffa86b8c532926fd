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
        struct User { var name: String; var staff: Bool; var subject: Bool }
    }

    /// A page whose body a template writes, in the shared layout.
    func page(_ template: String, _ model: Any, title: String, env: WebEnvironment, context: AppRequestContext,
              status: HTTPResponse.Status = .ok) -> Response {
        page(body: library.render(Self.tree(model) ?? [String: Any](), withTemplate: template) ?? "",
             title: title, env: env, context: context, status: status)
    }

    /// A page whose body is already written (HTML), in the shared layout.
    func page(body: String, title: String, env: WebEnvironment, context: AppRequestContext,
              status: HTTPResponse.Status = .ok) -> Response {
        let layout = Layout(title: title, siteName: env.siteName, synthetic: env.showsSyntheticNotice,
                            user: context.principal.map { .init(name: $0.name, staff: ConsoleController.roles.contains($0.role), subject: $0.role == .subjectUser) })
        var w = HTMLWriter(capacity: body.utf8.count + 2048)
        Self.write(layout, body: body, into: &w)
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                        body: .init(byteBuffer: ByteBuffer(string: w.html)))
    }

    /// The site shell around every page, written directly (see `HTMLWriter`): it is on every
    /// request, and through the template library it cost as much as a search page's results.
    static func write(_ l: Layout, body: String, into w: inout HTMLWriter) {
        w.raw("""
            <!doctype html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>
            """)
        w.text(l.title); w.raw(" - "); w.text(l.siteName)
        w.raw("</title>\n<link rel=\"stylesheet\" href=\""); w.text(Assets.stylesheet.versionedPath)
        w.raw("\">\n<link rel=\"icon\" href=\""); w.text(Assets.siteIcon.versionedPath)
        w.raw("\" type=\"image/svg+xml\">\n<script src=\""); w.text(Assets.script.versionedPath)
        w.raw("\" defer></script>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">跳到正文</a>\n")
        if l.synthetic {
            w.raw("<div class=\"notice-synthetic\" role=\"note\">演示环境：本站主体数据均为程序生成的<strong>合成数据</strong>，不对应任何真实单位或个人。</div>\n")
        }
        w.raw("""
            <header class="site-header">
              <div class="wrap header-row">
                <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">信</span>
            """)
        w.text(l.siteName)
        w.raw("""
            </a>
                <nav aria-label="主导航">
                  <a href="/">首页</a>
                  <a href="/search">信用查询</a>
                  <a href="/shuanggongshi">双公示</a>
                  <a href="/lists">信用名单</a>
                  <a href="/articles">政策公告</a>
                  
            """)
        if let u = l.user {
            if u.staff { w.raw("<a href=\"/console\">工作台</a>") }
            if u.subject { w.raw("<a href=\"/me\">我的信用档案</a>") }
            w.raw("<a href=\"/account\">"); w.text(u.name); w.raw("</a>")
        } else {
            w.raw("<a href=\"/login\">登录</a>")
        }
        w.raw("\n    </nav>\n  </div>\n</header>\n<main id=\"main\" class=\"wrap\">\n")
        w.rendered(body)
        w.raw("\n</main>\n<footer class=\"site-footer\">\n  <div class=\"wrap\">")
        w.text(l.siteName)
        w.raw("""
             · 公共信用信息平台 · 本站数据依法公开 · <a href="/objections">异议申诉</a> · <a href="/repair">信用修复</a> · <a href="/reports">信用报告</a> · <a href="/quality-rules">数据质量规则</a></div>
            </footer>
            </body>
            </html>
            """)
    }
}

extension PageRenderer {
    /// The model as dictionaries and arrays, reflected once. The template library looks names up
    /// in a dictionary by hash, but in a struct by walking its reflected fields on every lookup,
    /// which was 70% of a subject page's time. A nil optional becomes a missing key, which the
    /// templates treat as the struct's nil (falsy, and looked up in the enclosing context).
    static func tree(_ value: Any) -> Any? {
        // Concrete casts first (cheap, and most values are text); casts to collections of Any are
        // not, so collections and structs are told apart by their mirror instead.
        if let s = value as? String { return s }
        if let b = value as? Bool { return b }
        if let i = value as? Int { return i }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional: return mirror.children.first.flatMap { tree($0.value) }
        case .struct, .class:
            var object: [String: Any] = [:]
            for child in mirror.children {
                if let label = child.label, let v = tree(child.value) { object[label] = v }
            }
            return object
        case .collection, .set: return mirror.children.compactMap { tree($0.value) }
        default: return value   // other numbers, dictionaries (looked up by key as they are), enums
        }
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
        for page in RightsPage.all {
            router.get(.init(page.path)) { _, context in renderer.page("rights", page, title: page.title, env: env, context: context) }
        }
        for asset in Assets.all {
            router.get(.init(asset.path)) { request, _ in asset.response(request) }
        }
    }

    struct HomeModel {
        var siteName: String; var subjectCount: String; var licenceCount: String; var penaltyCount: String; var query: String
        var latest: [PublicationController.Row]; var hasLatest: Bool
        var articles: [ArticlesController.Line]; var hasArticles: Bool
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let today = env.today()
        let figures = try await env.figures.current(store: env.store, today: today)
        let catalog = try await env.store.catalog()
        let views = RecordViews(catalog: catalog, departments: try await env.store.departments())
        let latest = try await env.store.publicRecordPage(try PublicRecordQuery(items: Column.shuanggongshi.items, perPage: 8), on: today)
            .items.compactMap { PublicationController.row($0, views: views, catalog: catalog, today: today) }
        let articles = try await env.store.articles(column: nil, publicOn: today, limit: 6, offset: 0)
        return renderer.page("home", HomeModel(siteName: env.siteName, subjectCount: figures.subjects.formatted(),
                                               licenceCount: figures.licences.formatted(), penaltyCount: figures.penalties.formatted(),
                                               query: "", latest: latest, hasLatest: !latest.isEmpty,
                                               articles: articles.map(ArticlesController.line), hasArticles: !articles.isEmpty),
                             title: "首页", env: env, context: context)
    }

    struct SearchModel {
        var query: String
        var hasQuery: Bool
        var error: String?
        var kinds: [PublicationController.Option]
        var statuses: [PublicationController.Option]
        var total: Int
        var totalText: String
        var page: Int
        var totalPages: Int
        var firstIndex: Int
        var rows: [Row]
        var prevURL: String?
        var nextURL: String?
        /// More matches than the site lists: ask for a narrower search.
        var refine: String?
        struct Row {
            var name: String; var code: String; var kindLabel: String; var legalRepresentative: String?; var status: String; var statusLabel: String
            var marks: [SubjectModel.Mark]
        }

        /// The page's body, written directly (see `HTMLWriter`): the search form with its filters,
        /// then the count, the results, the pager and the advice to narrow the search.
        func html() -> String {
            var w = HTMLWriter(capacity: 2048 + rows.count * 420)
            w.raw("""
                <h1>信用查询</h1>
                <form class="search search-filtered" action="/search" method="get" role="search">
                  <label for="q" class="visually-hidden">主体名称或统一社会信用代码</label>
                  <input id="q" name="q" type="search" value="
                """)
            w.text(query)
            w.raw("""
                " placeholder="输入企业名称（至少 2 个字）或统一社会信用代码" required minlength="2" maxlength="100" autocomplete="off">
                  <button type="submit">查询</button>
                  <div class="search-options">
                    <label for="kind">主体类型</label> <select id="kind" name="kind">
                """)
            Self.options(kinds, into: &w)
            w.raw("</select>\n    <label for=\"status\">登记状态</label> <select id=\"status\" name=\"status\">")
            Self.options(statuses, into: &w)
            w.raw("</select>\n  </div>\n</form>\n")
            if let error { w.raw("<p class=\"alert\" role=\"alert\">"); w.text(error); w.raw("</p>\n") }
            guard hasQuery else { return w.html }
            w.raw("<p class=\"result-count\" role=\"status\">“"); w.text(query); w.raw("”共找到 <strong>"); w.text(totalText)
            w.raw("</strong> 个主体")
            if !rows.isEmpty {
                w.raw("，第 "); w.text(String(page)); w.raw(" / "); w.text(String(totalPages)); w.raw(" 页")
            }
            w.raw("。</p>\n")
            guard !rows.isEmpty else { return w.html }
            w.raw("<ol class=\"results\" start=\""); w.text(String(firstIndex)); w.raw("\">")
            Self.results(rows, into: &w)
            w.raw("\n</ol>\n<nav class=\"pager\" aria-label=\"分页\">\n  ")
            if let prevURL { w.raw("<a href=\""); w.text(prevURL); w.raw("\" rel=\"prev\">上一页</a>") }
            w.raw("\n  ")
            if let nextURL { w.raw("<a href=\""); w.text(nextURL); w.raw("\" rel=\"next\">下一页</a>") }
            w.raw("\n</nav>\n")
            if let refine { w.raw("<p class=\"muted\">"); w.text(refine); w.raw("</p>\n") }
            return w.html
        }

        static func options(_ options: [PublicationController.Option], into w: inout HTMLWriter) {
            for o in options {
                w.raw("<option value=\""); w.text(o.value); w.raw(o.selected ? "\" selected>" : "\">"); w.text(o.label); w.raw("</option>")
            }
        }

        /// The results as list items: name linked to the archive, risk marks, code, kind, legal
        /// representative when known, registration status.
        static func results(_ rows: [Row], into w: inout HTMLWriter) {
            for r in rows {
                w.raw("\n  <li class=\"result\">\n    <h2><a href=\"/subjects/"); w.text(r.code); w.raw("\">"); w.text(r.name); w.raw("</a></h2>\n")
                if !r.marks.isEmpty {
                    w.raw("    <p class=\"marks\">")
                    for m in r.marks {
                        w.raw("<a class=\"risk risk-"); w.text(m.item); w.raw("\" href=\"/subjects/"); w.text(r.code); w.raw("#sec-"); w.text(m.section)
                        w.raw("\">"); w.text(m.label); w.raw("</a>")
                    }
                    w.raw("</p>\n")
                }
                w.raw("    <dl class=\"facts\">\n      <div><dt>统一社会信用代码</dt><dd class=\"code\">"); w.text(r.code)
                w.raw("</dd></div>\n      <div><dt>类型</dt><dd>"); w.text(r.kindLabel); w.raw("</dd></div>\n")
                if let l = r.legalRepresentative {
                    w.raw("      <div><dt>法定代表人/负责人</dt><dd>"); w.text(l); w.raw("</dd></div>\n")
                }
                w.raw("      <div><dt>登记状态</dt><dd><span class=\"tag tag-"); w.text(r.status); w.raw("\">"); w.text(r.statusLabel)
                w.raw("</span></dd></div>\n    </dl>\n  </li>")
            }
        }
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let params = request.uri.queryParameters
        let q = params.get("q")?.trimmingCharacters(in: .whitespaces) ?? ""
        let kind = params.get("kind") ?? "", status = params.get("status") ?? ""
        var model = SearchModel(
            query: q, hasQuery: !q.isEmpty, error: nil,
            kinds: [.init(value: "", label: "全部类型", selected: kind.isEmpty)]
                + SubjectKind.allCases.filter { !$0.isNaturalPerson }.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == kind) },
            statuses: [.init(value: "", label: "全部状态", selected: status.isEmpty)]
                + SubjectStatus.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == status) },
            total: 0, totalText: "0", page: 1, totalPages: 0, firstIndex: 1,
            rows: [], prevURL: nil, nextURL: nil)
        var httpStatus = HTTPResponse.Status.ok
        if IdentifierValidator.looksLikeResidentID(IdentifierValidator.normalize(q)) {
            // The site never shows natural persons; the number is not searched, echoed or kept.
            model.query = ""
            model.hasQuery = false
            model.error = "本站不公开自然人的信用信息，请勿输入身份证号码。查询企业、个体工商户等请输入名称或统一社会信用代码。"
            httpStatus = .unprocessableContent
        } else if !q.isEmpty {
            do {
                let page = Int(params.get("page") ?? "1") ?? 1
                let kinds: Set<SubjectKind> = try APIController.choices(kind, field: "kind", what: "主体类型")
                let statuses: Set<SubjectStatus> = try APIController.choices(status, field: "status", what: "登记状态")
                // The site never lists natural persons, whoever asks.
                let organisations = kinds.isEmpty ? Set(SubjectKind.allCases).subtracting([.naturalPerson]) : kinds.subtracting([.naturalPerson])
                guard page <= SubjectQuery.siteMaxPage else {
                    throw DomainError.invalid(field: "page", reason: "最多可翻到第 \(SubjectQuery.siteMaxPage) 页；请输入更完整的名称或用类型、状态缩小范围")
                }
                var query = SubjectQuery(text: q, kinds: organisations, statuses: statuses, page: page, perPage: 20)
                query.countLimit = SubjectQuery.siteCountLimit
                let result = try await env.store.searchSubjects(query)
                model.total = result.total
                model.totalText = result.totalExact ? String(result.total) : "\(result.total)+"
                if !result.totalExact {
                    model.refine = "符合条件的主体超过 \(SubjectQuery.siteCountLimit) 个，只列出前 \(SubjectQuery.siteCountLimit) 个。请输入更完整的名称，或按主体类型、登记状态缩小范围。"
                }
                model.page = result.page
                model.totalPages = min((result.total + 19) / 20, SubjectQuery.siteMaxPage)
                model.firstIndex = (result.page - 1) * 20 + 1
                let shown = result.items.filter { !$0.kind.isNaturalPerson }
                let marks = try await env.store.publicMarks(subjectIDs: shown.map(\.id), items: RiskMark.allCases.map(\.item), on: env.today())
                let rows: [SearchModel.Row] = shown.map { s in
                    .init(name: s.name, code: s.code, kindLabel: s.kind.label, legalRepresentative: s.legalRepresentative,
                          status: s.status.rawValue, statusLabel: s.status.label,
                          marks: RiskMark.allCases.filter { marks.items[s.id]?.contains($0.item) == true }
                              .map { .init(item: $0.item, label: $0.label, section: RecordViews.group(of: $0.item)) }
                              + (marks.disputed.contains(s.id) ? [SubjectModel.Mark.disputed] : []))
                }
                model.rows = rows
                if result.page > 1 { model.prevURL = PublicationController.url(request, page: result.page - 1) }
                if result.page < model.totalPages { model.nextURL = PublicationController.url(request, page: result.page + 1) }
            } catch let DomainError.invalid(_, reason) {
                model.error = reason
                model.hasQuery = false
                httpStatus = .unprocessableContent
            }
        }
        return renderer.page(body: model.html(), title: model.query.isEmpty ? "信用查询" : "“\(model.query)”的查询结果", env: env, context: context, status: httpStatus)
    }

    struct SubjectModel {
        var name: String; var code: String; var kindLabel: String; var status: String; var statusLabel: String
        var synthetic: Bool; var codeCheckFailed: Bool; var legalRepresentative: String?; var capital: String?
        var establishedOn: String?; var industry: String?; var region: String?; var address: String?
        var hasFormerNames: Bool; var formerNames: [Former]
        var sections: [RecordViews.Section]
        var shown: [RecordViews.Section]
        var marks: [Mark]
        struct Mark { var item: String; var label: String; var section: String
            static let disputed = Mark(item: "disputed", label: "异议处理中", section: "top")
        }
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
            sections: [], shown: [], marks: [])
        let records = try await env.store.publicRecords(subjectID: s.id, on: env.today())
        model.sections = RecordViews(catalog: try await env.store.catalog(), departments: try await env.store.departments())
            .sections(records, today: env.today())
        model.shown = model.sections.filter { !$0.empty }
        let listed = Set(records.map(\.itemCode))
        model.marks = RiskMark.allCases.filter { listed.contains($0.item) }.map {
            .init(item: $0.item, label: $0.label, section: RecordViews.group(of: $0.item))
        } + (records.contains(where: \.disputed) ? [.disputed] : [])
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
        let form = try await FormData.read(request)
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
            // The typed name is kept only when it is an account's: a password typed into the wrong box is not.
            await AuditMiddleware.write(AuditEntry(
                at: Date(), actor: cred.map { "account:\($0.account.id)" } ?? "unknown", actorName: cred?.account.displayName ?? "未知用户名",
                role: cred?.account.role.rawValue ?? "", departmentCode: cred?.account.departmentCode, action: "登录失败",
                target: "/login", status: 401, address: context.clientAddress), env: env, context: context)
            return loginPage(request, context: context, error: "用户名或密码错误，或账号已停用。", username: username, status: .unauthorized)
        }
        await env.throttle.recordSuccess(keys: keys)
        await AuditMiddleware.write(AuditEntry(
            at: Date(), actor: "account:\(cred.account.id)", actorName: cred.account.displayName, role: cred.account.role.rawValue,
            departmentCode: cred.account.departmentCode, action: "登录", target: "/login", status: 303, address: context.clientAddress),
            env: env, context: context)
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

/// The entry pages of the subjects' rights workflows: what each right is, how to use it here, and the basis.
struct RightsPage: Sendable {
    struct Action: Sendable { var path: String; var label: String }
    var path: String
    var title: String
    var intro: String
    var steps: [String]
    var actions: [Action]
    var basis: [String]

    static let objections = RightsPage(
        path: "/objections", title: "异议申诉",
        intro: "认为本站公示的信用信息有错误、遗漏，或者已超过公示期限仍在公示的，任何人都可以凭证据提出异议；信用主体登录后还可以对本主体不公开的记录提出异议。",
        steps: ["打开该记录的页面（在“信用查询”或“双公示”中找到），点击“对该记录提出异议”，指明有误的字段、应当是什么和理由，上传证据材料；",
                "提交后得到申请编号和查询码；受理后（最迟下一个工作日）该记录在本站和信用核查结果中标注“异议处理中”；",
                "异议转交提供该信息的部门核查（本平台自有数据由信用办核查），各环节按工作日计算办理期限，逾期由信用办督办；",
                "处理结果书面答复：更正信息（形成新版本）、停止公示，或维持原信息并移除异议标注。"],
        actions: [.init(path: "/search", label: "查找要提出异议的记录"), .init(path: "/track", label: "查询办理进度")],
        basis: ["国务院办公厅《关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）第八条",
                "国办发〔2025〕22号：异议申诉可以向“信用中国”网站或者行业主管部门提出",
                "《企业信息公示暂行条例》第十二条：有证据证明公示信息不准确的，可以要求更正"])
    static let repair = RightsPage(
        path: "/repair", title: "信用修复",
        intro: "失信主体纠正失信行为、履行法定义务后，可以依法申请信用修复；修复后相关信息终止公示、停止共享和使用，并解除惩戒。信用修复不收取任何费用。",
        steps: ["以信用主体账号登录，进入“我的信用档案”：每条失信信息都显示最短公示期限、可以申请修复的日期，或暂不能修复的原因；",
                "点击“申请信用修复”，说明义务履行和整改情况，上传已履行法定义务的证明，在线签署信用修复承诺书；",
                "按照“谁认定、谁修复”，申请转交作出决定的部门受理、审核，凭查询码跟踪办理进度；不予修复的，可以向信用办申诉；",
                "准予修复的，该信息当日起停止公示、停止共享，不再触发惩戒措施，并记入变更日志通知相关系统；以虚假材料取得修复的，将被撤销并记入信用记录。"],
        actions: [.init(path: "/me", label: "登录查看我的信用档案"), .init(path: "/track", label: "查询办理进度")],
        basis: ["《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令第58号，2023年5月1日起施行）",
                "《信用修复管理办法》（国家发展改革委令第36号，2026年4月1日起施行）",
                "国办发〔2025〕22号"])
    static let reports = RightsPage(
        path: "/reports", title: "信用报告",
        intro: "信用主体可以免费获取本主体的信用报告：公共信用信息报告、替代有无违法违规记录证明的专项信用报告，以及含依法不公开信息的完整报告。每份报告都有编号、有效期、二维码和验证码，并带平台签名和透明日志证明，收件单位可以在线或离线核验真伪。",
        steps: ["以信用主体账号登录（账号由信用办在核验身份后开通并绑定主体），进入“我的信用档案”，点击“获取本主体信用报告”；也可以到信用办窗口由工作人员代为出具；",
                "专项信用报告可以选择期间和内容（行政处罚含简易程序、行政强制、严重失信主体名单、刑事裁判），没有记录的事项会明确写明“未发现”；",
                "报告可以打印、下载 PDF，或下载 JSON 文件（含签名和证明，可离线验证）；",
                "收件单位在“报告验证”页输入验证码或上传报告文件，即可知道报告是否由本平台签发、是否被改动、是否过期，以及其中的记录后来是否已修复、撤销或更正。"],
        actions: [.init(path: "/me/reports", label: "获取本主体信用报告"), .init(path: "/verify", label: "验证信用报告")],
        basis: ["发改财金〔2025〕565号（以专项信用报告替代有无违法违规记录证明）", "国办发〔2025〕22号：信用修复、信用报告不收取费用",
                "RFC 9162（证书透明度）：透明日志与包含证明"])
    static let all = [objections, repair, reports]
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

    static func escape(_ s: String) -> String { HTMLWriter.escape(s) }
}
