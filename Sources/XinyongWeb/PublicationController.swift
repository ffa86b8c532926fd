import Foundation
import Hummingbird
import XinyongCore

/// A published listing across subjects: the 双公示 column and the lists (red, black, business
/// anomaly), each a set of catalog items read through the same public-record listing.
struct Column: Sendable {
    var path: String
    /// The short name in crumbs and navigation.
    var name: String
    var title: String
    var items: [String]
    var allLabel: String
    /// What the listing is and on what legal basis entries are made and removed.
    var intro: String
    var keywordHint: String

    static let shuanggongshi = Column(
        path: "/shuanggongshi", name: "双公示", title: "行政许可和行政处罚信息公示（双公示）", items: ["xzxk", "xzcf"],
        allLabel: "全部（许可和处罚）", intro: "各部门依法报送的行政许可和行政处罚决定，在公示期内向社会公开；公示期满自动停止公示。",
        keywordHint: "主体名称，或决定书文号的开头部分")
    static let red = Column(
        path: "/lists/red", name: "红名单", title: "守信激励对象（红名单）", items: ["ryxx", "xzjl"],
        allLabel: "全部（荣誉和奖励）",
        intro: "依法授予的诚实守信相关荣誉和行政奖励。列入的主体可依照守信激励措施清单享受容缺受理、优先办理等激励；有效期届满或被撤销后自动不再公示。",
        keywordHint: "主体名称，或授予文号、决定文书号的开头部分")
    static let black = Column(
        path: "/lists/black", name: "黑名单", title: "严重失信主体名单和失信被执行人（黑名单）", items: ["yzsx", "sxbzxr"],
        allLabel: "全部（严重失信主体和失信被执行人）",
        intro: "严重失信主体名单依据法律、行政法规或党中央、国务院政策文件设列，经告知、陈述申辩、决定后公示（国办发〔2020〕49号）；失信被执行人由人民法院依《最高人民法院关于公布失信被执行人名单信息的若干规定》发布。有效期届满、信用修复或决定撤销后移出，移出后不再公示。",
        keywordHint: "主体名称，或认定文书号、执行案号的开头部分")
    static let anomaly = Column(
        path: "/lists/anomaly", name: "经营异常名录", title: "经营异常名录", items: ["jyyc"], allLabel: "经营异常名录",
        intro: "企业未按时报送年度报告、未按责令期限公示有关信息、公示信息隐瞒真实情况或弄虚作假、通过登记的住所无法联系的，由市场监管部门列入经营异常名录（《企业信息公示暂行条例》第十七条）；履行义务后移出。",
        keywordHint: "主体名称")
    static let lists = [red, black, anomaly]
    static let all = [shuanggongshi] + lists

    /// The column an item is listed in.
    static func of(item: String) -> Column? { all.first { $0.items.contains(item) } }
}

/// What the platform publishes across subjects: the 双公示 column and the lists (filterable and
/// paginated), each record's own page, and the same listings as JSON for other systems. Only
/// records public on the day are ever read.
struct PublicationController {
    let env: WebEnvironment
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        for column in Column.all {
            router.get(.init(column.path)) { request, context in try await page(request, context: context, column: column) }
        }
        router.get("/lists", use: lists)
        router.get("/records/:id", use: record)
        router.get("api/v1/public-records", use: json)
    }

    /// The query a request asks for; `nil` fields where the parameter is absent or empty.
    /// - Parameter items: the items the caller may list (a column's, or for the API every column's).
    func query(_ request: Request, items allowed: [String]) throws -> PublicRecordQuery {
        let q = request.uri.queryParameters
        func text(_ name: String) -> String? { q.get(name).flatMap { $0.isEmpty ? nil : $0 } }
        func date(_ name: String, label: String) throws -> CivilDate? {
            guard let raw = text(name) else { return nil }
            guard let d = CivilDate(raw) else { throw DomainError.invalid(field: name, reason: "\(label)应为日期，如 2026-01-05") }
            return d
        }
        let items: [String]
        if let kind = text("item") {
            guard allowed.contains(kind) else {
                throw DomainError.invalid(field: "item", reason: "类别应为 \(allowed.joined(separator: "、")) 之一")
            }
            items = [kind]
        } else {
            items = allowed
        }
        let page: Int
        if let raw = text("page") {
            guard let n = Int(raw) else { throw DomainError.invalid(field: "page", reason: "页码应为数字") }
            page = n
        } else {
            page = 1
        }
        return try PublicRecordQuery(items: items, department: text("department"), decidedFrom: try date("from", label: "开始日期"),
                                     decidedTo: try date("to", label: "结束日期"), keyword: text("q"), page: page,
                                     perPage: text("per_page").flatMap(Int.init) ?? 20)
    }

    // MARK: The column

    struct Option { var value: String; var label: String; var selected: Bool }
    struct Row {
        var id: Int64; var itemName: String; var itemCode: String; var title: String; var titleLabel: String
        var subjectName: String?; var subjectCode: String?
        var summary: String?; var department: String; var decisionDate: String?; var publicUntil: String?; var disputed: Bool
    }
    struct ListingModel {
        var path: String; var name: String; var title: String; var intro: String; var keywordHint: String; var isShuanggongshi: Bool
        var kinds: [Option]; var departments: [Option]; var from: String; var to: String; var keyword: String
        var error: String?; var searched: Bool
        var totalText: String; var page: Int; var pageCount: Int; var hasResults: Bool; var rows: [Row]
        var prevURL: String?; var nextURL: String?; var depthNote: Bool
    }

    func page(_ request: Request, context: AppRequestContext, column: Column) async throws -> Response {
        let params = request.uri.queryParameters
        let catalog = try await env.store.catalog()
        let departments = try await env.store.departments()
        let views = RecordViews(catalog: catalog, departments: departments)
        let selectedKind = params.get("item") ?? ""
        let selectedDepartment = params.get("department") ?? ""
        var model = ListingModel(
            path: column.path, name: column.name, title: column.title, intro: column.intro, keywordHint: column.keywordHint,
            isShuanggongshi: column.path == Column.shuanggongshi.path,
            kinds: [Option(value: "", label: column.allLabel, selected: selectedKind.isEmpty)]
                + column.items.compactMap { code in catalog.item(code).map { Option(value: code, label: $0.name, selected: code == selectedKind) } },
            departments: ConsoleController.departmentOptions(departments, selected: selectedDepartment.nilIfEmpty),
            from: params.get("from") ?? "", to: params.get("to") ?? "", keyword: params.get("q") ?? "",
            error: nil, searched: false, totalText: "0", page: 1, pageCount: 0, hasResults: false, rows: [],
            prevURL: nil, nextURL: nil, depthNote: false)
        var status = HTTPResponse.Status.ok
        do {
            let q = try query(request, items: column.items)
            let today = env.today()
            let result = try await env.store.publicRecordPage(q, on: today)
            model.searched = true
            model.totalText = result.totalExact ? "\(result.total.formatted()) 条" : "\(result.total.formatted()) 条以上"
            model.page = result.page
            model.pageCount = result.pageCount
            model.rows = result.items.compactMap { Self.row($0, views: views, catalog: catalog, today: today) }
            model.hasResults = !model.rows.isEmpty
            model.depthNote = result.total > result.perPage * PublicRecordQuery.maxPage || !result.totalExact
            if result.page > 1 { model.prevURL = Self.url(request, page: result.page - 1) }
            if result.page < result.pageCount { model.nextURL = Self.url(request, page: result.page + 1) }
        } catch let DomainError.invalid(_, reason) {
            model.error = reason
            status = .unprocessableContent
        }
        return renderer.page("listing", model, title: column.name, env: env, context: context, status: status)
    }

    static func row(_ e: PublicRecordEntry, views: RecordViews, catalog: Catalog, today: CivilDate) -> Row? {
        guard let item = catalog.item(e.record.itemCode), let v = views.record(e.record, today: today) else { return nil }
        // The two facts that say most in a line: code-list values (处罚类别, 许可类别) first, then
        // amounts, then short texts; dates and the subject's name are shown elsewhere.
        func rank(_ f: RecordViews.Fact) -> Int? {
            guard f.value.count <= 40, let field = item.fields.first(where: { $0.label == f.label }),
                  field.name != item.subject?.name else { return nil }
            switch field.kind {
            case .code: return 0
            case .amount: return 1
            case .text: return 2
            default: return nil
            }
        }
        var chosen: [Int] = []
        for r in 0...2 {
            for (i, f) in v.facts.enumerated() where chosen.count < 2 && rank(f) == r { chosen.append(i) }
        }
        let short = chosen.sorted().map { v.facts[$0] }   // in display order
        return Row(id: e.record.id, itemName: item.name, itemCode: item.code, title: v.title,
                   titleLabel: item.naturalKey.first.flatMap { k in item.fields.first { $0.name == k }?.label } ?? "编号",
                   subjectName: item.subject.flatMap { e.record.fields[$0.name] }, subjectCode: e.subjectCode,
                   summary: short.prefix(2).map { "\($0.label)：\($0.value)" }.joined(separator: "；").nilIfEmpty,
                   department: v.department, decisionDate: v.decisionDate, publicUntil: v.publicUntil, disputed: v.disputed)
    }

    /// This listing's URL with another page number (the filters kept).
    static func url(_ request: Request, page: Int) -> String {
        var parts = URLComponents()
        parts.path = request.uri.path
        var items = (URLComponents(string: request.uri.description)?.queryItems ?? []).filter { $0.name != "page" && $0.value?.isEmpty == false }
        items.append(URLQueryItem(name: "page", value: String(page)))
        parts.queryItems = items
        return parts.string ?? request.uri.path
    }

    // MARK: The lists' index

    struct ListsModel { var lists: [Entry]; struct Entry { var path: String; var title: String; var intro: String; var count: String } }

    @Sendable func lists(_ request: Request, context: AppRequestContext) async throws -> Response {
        let today = env.today()
        var entries: [ListsModel.Entry] = []
        for column in Column.lists {
            let n = try await env.figures.count(items: column.items, store: env.store, today: today)
            entries.append(.init(path: column.path, title: column.title, intro: column.intro, count: n.formatted()))
        }
        return renderer.page("lists", ListsModel(lists: entries), title: "信用名单", env: env, context: context)
    }

    // MARK: One record

    struct RecordModel {
        var itemName: String; var itemCode: String; var title: String; var subjectName: String?; var subjectCode: String?
        var facts: [RecordViews.Fact]; var department: String; var decisionDate: String?; var publicFrom: String?
        var publicUntil: String?; var basis: String; var listURL: String; var listName: String
        var id: Int64; var disputed: Bool; var repair: String?
    }

    /// When the record's subject may apply for repair, for dishonesty records ("可于 … 后申请信用修复").
    func repairSummary(_ r: CreditRecord) async throws -> String? {
        let desk = try await RightsController.desk(env)
        let e = try await desk.eligibility(of: r)
        return e.reasons.first?.hasSuffix("无需信用修复") == true ? nil : e.summary
    }

    @Sendable func record(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let raw = context.parameters.get("id"), let id = Int64(raw), id > 0 else {
            throw DomainError.notFound(what: "该记录")
        }
        let catalog = try await env.store.catalog()
        guard let e = try await env.store.publicRecord(id: id, on: env.today()), let item = catalog.item(e.record.itemCode),
              let v = RecordViews(catalog: catalog, departments: try await env.store.departments()).record(e.record, today: env.today()) else {
            throw DomainError.notFound(what: "该记录（可能已超过公示期限、已撤销或依法不予公开）")
        }
        let model = RecordModel(itemName: item.name, itemCode: item.code, title: v.title,
                                subjectName: item.subject.flatMap { e.record.fields[$0.name] }, subjectCode: e.subjectCode,
                                facts: v.facts, department: v.department, decisionDate: v.decisionDate,
                                publicFrom: e.record.window.from?.description, publicUntil: v.publicUntil, basis: v.basis,
                                listURL: Column.of(item: item.code).map { "\($0.path)?item=\(item.code)" } ?? "/",
                                listName: Column.of(item: item.code)?.name ?? "首页",
                                id: e.record.id, disputed: e.record.disputed, repair: try await repairSummary(e.record))
        return renderer.page("public_record", model, title: "\(item.name)：\(v.title)", env: env, context: context)
    }

    // MARK: API

    @Sendable func json(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = try query(request, items: request.uri.queryParameters.get("item").map { _ in Column.all.flatMap(\.items) } ?? Column.shuanggongshi.items)
        let today = env.today()
        let result = try await env.store.publicRecordPage(q, on: today)
        let views = RecordViews(catalog: try await env.store.catalog(), departments: try await env.store.departments())
        return JSONValue.fields([
            ("items", .array(result.items.map { e in
                var object = views.json(e.record, today: today)
                if case .fields(var f) = object {
                    f.append(("subject_code", JSONValue(e.subjectCode)))
                    object = .fields(f.sorted { $0.0 < $1.0 })
                }
                return object
            })),
            ("page", .int(result.page)),
            ("page_count", .int(result.pageCount)),
            ("per_page", .int(result.perPage)),
            ("total", .int(result.total)),
            ("total_exact", .bool(result.totalExact)),
        ]).response()
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
