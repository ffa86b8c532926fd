import Foundation
import Hummingbird
import XinyongCore

/// The site's articles (政策法规, 通知公告, 诚信典型案例): public pages for those published, and
/// the credit office's console to write, publish and withdraw them. Bodies are the safe Markdown
/// subset of ``LightMarkdown``: whatever is typed, no markup but its own reaches the page.
/// Also the console's audit log page.
struct ArticlesController {
    let env: WebEnvironment
    let renderer: PageRenderer
    static let perPage = 20

    func register(on router: Router<AppRequestContext>) {
        router.get("/articles", use: index)
        router.get("/articles/:id", use: show)
        router.get("/console/articles", use: consoleList)
        router.get("/console/articles/new", use: newForm)
        router.post("/console/articles", use: create)
        router.get("/console/articles/:id", use: editForm)
        router.post("/console/articles/:id", use: update)
        router.get("/console/audit", use: audit)
    }

    struct Line { var id: Int64; var title: String; var column: String; var columnCode: String; var date: String; var status: String; var statusCode: String }

    static func line(_ a: Article) -> Line {
        Line(id: a.id, title: a.title, column: a.column.label, columnCode: a.column.rawValue, date: a.publishedOn?.description ?? "—",
             status: a.status.label, statusCode: a.status.rawValue)
    }

    // MARK: Public

    struct IndexModel {
        var tabs: [PublicationController.Option]; var columnName: String; var lines: [Line]; var hasLines: Bool
        var prevURL: String?; var nextURL: String?
    }

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let params = request.uri.queryParameters
        let raw = params.get("column") ?? ""
        guard raw.isEmpty || ArticleColumn(rawValue: raw) != nil else { throw DomainError.notFound(what: "栏目 \(raw.prefix(20))") }
        let column = ArticleColumn(rawValue: raw)
        let page = min(max(Int(params.get("page") ?? "1") ?? 1, 1), 50)
        let today = env.today()
        let lines = try await env.store.articles(column: column, publicOn: today, limit: Self.perPage, offset: (page - 1) * Self.perPage)
        let total = try await env.store.countArticles(column: column, publicOn: today)
        let model = IndexModel(
            tabs: [.init(value: "", label: "全部", selected: column == nil)]
                + ArticleColumn.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == column) },
            columnName: column?.label ?? "政策与公告", lines: lines.map(Self.line), hasLines: !lines.isEmpty,
            prevURL: page > 1 ? PublicationController.url(request, page: page - 1) : nil,
            nextURL: page * Self.perPage < total && page < 50 ? PublicationController.url(request, page: page + 1) : nil)
        return renderer.page("articles", model, title: model.columnName, env: env, context: context)
    }

    struct ArticleModel { var title: String; var column: String; var columnCode: String; var date: String; var html: String }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let a = try await article(context), a.isPublic(on: env.today()) else { throw DomainError.notFound(what: "该文章（可能尚未发布或已撤下）") }
        return renderer.page("article", ArticleModel(title: a.title, column: a.column.label, columnCode: a.column.rawValue,
                                                     date: a.publishedOn?.description ?? "", html: LightMarkdown.html(a.body)),
                             title: a.title, env: env, context: context)
    }

    private func article(_ context: AppRequestContext) async throws -> Article? {
        guard let raw = context.parameters.get("id"), let id = Int64(raw), id > 0 else { return nil }
        return try await env.store.article(id: id)
    }

    // MARK: Console

    /// Articles are the credit office's: administrators only, signed in through the browser.
    private func editor(_ context: AppRequestContext) throws -> Principal {
        try ConsoleController.administrator(context, refusal: "文章由信用办管理员维护；部门账号无权编辑")
    }

    struct ConsoleListModel { var chooseDepartment = true; var lines: [Line]; var hasLines: Bool }

    @Sendable func consoleList(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try editor(context)
        let all = try await env.store.articles(column: nil, publicOn: nil, limit: 200, offset: 0)
        return renderer.page("console_articles", ConsoleListModel(lines: all.map(Self.line), hasLines: !all.isEmpty),
                             title: "文章管理", env: env, context: context)
    }

    struct FormModel {
        var chooseDepartment = true
        var csrf: String; var id: Int64?; var version: Int?; var title: String; var body: String; var date: String
        var columns: [PublicationController.Option]; var statuses: [PublicationController.Option]
        var error: String?; var preview: String?; var saved: Bool; var isPublic: Bool
    }

    private func form(_ context: AppRequestContext, article a: Article?, values: FormData?, error: String?, saved: Bool = false,
                      status: HTTPResponse.Status = .ok) -> Response {
        let column = values?["column"] ?? a?.column.rawValue ?? ArticleColumn.notice.rawValue
        let state = values?["status"] ?? a?.status.rawValue ?? ArticleStatus.draft.rawValue
        let body = values?["body"] ?? a?.body ?? ""
        let model = FormModel(
            csrf: context.csrfToken ?? "", id: a?.id, version: a?.version, title: values?["title"] ?? a?.title ?? "", body: body,
            date: values?["published_on"] ?? a?.publishedOn?.description ?? "",
            columns: ArticleColumn.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == column) },
            statuses: ArticleStatus.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == state) },
            error: error, preview: body.isEmpty ? nil : LightMarkdown.html(body), saved: saved,
            isPublic: a?.isPublic(on: env.today()) ?? false)
        return renderer.page("console_article_form", model, title: a.map { "编辑：\($0.title)" } ?? "新建文章", env: env, context: context, status: status)
    }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try editor(context)
        return form(context, article: nil, values: nil, error: nil)
    }

    @Sendable func editForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try editor(context)
        guard let a = try await article(context) else { throw DomainError.notFound(what: "该文章") }
        return form(context, article: a, values: nil, error: nil, saved: request.uri.queryParameters.get("saved") != nil)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await save(request, context: context, existing: nil)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let a = try await article(context) else { throw DomainError.notFound(what: "该文章") }
        return try await save(request, context: context, existing: a)
    }

    private func save(_ request: Request, context: AppRequestContext, existing: Article?) async throws -> Response {
        let p = try editor(context)
        let values = try await FormData.read(request, limit: 1 << 20)
        do {
            guard let column = ArticleColumn(rawValue: values["column"] ?? "") else { throw DomainError.invalid(field: "column", reason: "请选择栏目") }
            guard let status = ArticleStatus(rawValue: values["status"] ?? "") else { throw DomainError.invalid(field: "status", reason: "请选择状态") }
            var date: CivilDate?
            if let raw = values["published_on"], !raw.isEmpty {
                guard let d = CivilDate(raw) else { throw DomainError.invalid(field: "published_on", reason: "发布日期应为日期，如 2026-11-20") }
                date = d
            }
            let draft = try ArticleDraft(column: column, title: values["title"] ?? "", body: values["body"] ?? "", status: status, publishedOn: date)
            let saved = try await env.store.saveArticle(id: existing?.id, draft, actor: p.auditLabel,
                                                        expectedVersion: existing.flatMap { _ in values["version"].flatMap(Int.init) },
                                                        today: env.today())
            return .redirect(to: "/console/articles/\(saved.id)?saved=1", type: .normal)
        } catch let e as DomainError {
            switch e {
            case _ where e.isCorrectable:
                return form(context, article: existing, values: values, error: e.message,
                            status: Problem.from(e).status)
            default: throw e
            }
        }
    }

    // MARK: Audit log

    struct AuditModel {
        var chooseDepartment: Bool; var scope: String; var lines: [AuditLine]; var hasLines: Bool; var olderURL: String?
        struct AuditLine { var at: String; var who: String; var role: String; var action: String; var target: String; var status: String; var failed: Bool; var address: String }
    }

    @Sendable func audit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try ConsoleController.staff(context)
        // The credit office sees everyone's actions; department staff their own department's.
        let department = p.role == .admin ? nil : p.departmentCode
        guard p.role == .admin || department != nil else { throw DomainError.forbidden("该账号未绑定部门") }
        let before = request.uri.queryParameters.get("before").flatMap { Int64($0) }
        let entries = try await env.store.auditEntries(department: department, before: before, limit: 100)
        let names = Dictionary(try await env.store.departments().map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let model = AuditModel(
            chooseDepartment: p.role == .admin,
            scope: department.map { names[$0] ?? $0 } ?? "全部部门和信用办",
            lines: entries.map { e in
                .init(at: ConsoleController.received(e.at), who: e.actorName, role: (Role(rawValue: e.role)?.label ?? e.role)
                        + (e.departmentCode.map { " · " + (names[$0] ?? $0) } ?? ""),
                      action: e.action, target: e.target, status: e.status == 0 ? "—" : String(e.status), failed: e.status >= 400,
                      address: e.address ?? (e.actor == "cli" ? "服务器本机" : "—"))
            },
            hasLines: !entries.isEmpty,
            olderURL: entries.count == 100 ? entries.last.map { "/console/audit?before=\($0.id)" } : nil)
        return renderer.page("console_audit", model, title: "操作日志", env: env, context: context)
    }
}
