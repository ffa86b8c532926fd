import Foundation
import Hummingbird
import XinyongCore

/// What the platform publishes across subjects: the 双公示 column (licences and penalties from
/// every department, filterable and paginated), each record's own page, and the same listing as
/// JSON for other systems. Only records public on the day are ever read.
struct PublicationController {
    let env: WebEnvironment
    let renderer: PageRenderer

    /// The items of the 双公示 column, in the order offered.
    static let shuanggongshi = ["xzxk", "xzcf"]

    func register(on router: Router<AppRequestContext>) {
        router.get("/shuanggongshi", use: page)
        router.get("/records/:id", use: record)
        router.get("api/v1/public-records", use: json)
    }

    /// The query a request asks for; `nil` fields where the parameter is absent or empty.
    func query(_ request: Request) throws -> PublicRecordQuery {
        let q = request.uri.queryParameters
        func text(_ name: String) -> String? { q.get(name).flatMap { $0.isEmpty ? nil : $0 } }
        func date(_ name: String, label: String) throws -> CivilDate? {
            guard let raw = text(name) else { return nil }
            guard let d = CivilDate(raw) else { throw DomainError.invalid(field: name, reason: "\(label)应为日期，如 2026-01-05") }
            return d
        }
        let items: [String]
        if let kind = text("item") {
            guard Self.shuanggongshi.contains(kind) else {
                throw DomainError.invalid(field: "item", reason: "类别应为 行政许可（xzxk）或 行政处罚（xzcf）")
            }
            items = [kind]
        } else {
            items = Self.shuanggongshi
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
        var id: Int64; var itemName: String; var itemCode: String; var title: String; var subjectName: String?; var subjectCode: String?
        var summary: String?; var department: String; var decisionDate: String?; var publicUntil: String?
    }
    struct ListingModel {
        var kinds: [Option]; var departments: [Option]; var from: String; var to: String; var keyword: String
        var error: String?; var searched: Bool
        var totalText: String; var page: Int; var pageCount: Int; var hasResults: Bool; var rows: [Row]
        var prevURL: String?; var nextURL: String?; var depthNote: Bool
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let params = request.uri.queryParameters
        let catalog = try await env.store.catalog()
        let departments = try await env.store.departments()
        let views = RecordViews(catalog: catalog, departments: departments)
        let selectedKind = params.get("item") ?? ""
        let selectedDepartment = params.get("department") ?? ""
        var model = ListingModel(
            kinds: [Option(value: "", label: "全部（许可和处罚）", selected: selectedKind.isEmpty)]
                + Self.shuanggongshi.compactMap { code in catalog.item(code).map { Option(value: code, label: $0.name, selected: code == selectedKind) } },
            departments: [Option(value: "", label: "全部部门", selected: selectedDepartment.isEmpty)]
                + departments.map { Option(value: $0.code, label: $0.name, selected: $0.code == selectedDepartment) },
            from: params.get("from") ?? "", to: params.get("to") ?? "", keyword: params.get("q") ?? "",
            error: nil, searched: false, totalText: "0", page: 1, pageCount: 0, hasResults: false, rows: [],
            prevURL: nil, nextURL: nil, depthNote: false)
        var status = HTTPResponse.Status.ok
        do {
            let q = try query(request)
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
        return renderer.page("shuanggongshi", model, title: "双公示", env: env, context: context, status: status)
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
                   subjectName: item.subject.flatMap { e.record.fields[$0.name] }, subjectCode: e.subjectCode,
                   summary: short.prefix(2).map { "\($0.label)：\($0.value)" }.joined(separator: "；").nilIfEmpty,
                   department: v.department, decisionDate: v.decisionDate, publicUntil: v.publicUntil)
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

    // MARK: One record

    struct RecordModel {
        var itemName: String; var itemCode: String; var title: String; var subjectName: String?; var subjectCode: String?
        var facts: [RecordViews.Fact]; var department: String; var decisionDate: String?; var publicFrom: String?
        var publicUntil: String?; var basis: String; var listURL: String
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
                                listURL: Self.shuanggongshi.contains(item.code) ? "/shuanggongshi?item=\(item.code)" : "/")
        return renderer.page("public_record", model, title: "\(item.name)：\(v.title)", env: env, context: context)
    }

    // MARK: API

    @Sendable func json(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = try query(request)
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
