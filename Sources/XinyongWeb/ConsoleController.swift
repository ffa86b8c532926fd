import Foundation
import Hummingbird
import XinyongCore
import XinyongSheets

/// The department submitter's console: templates, the upload form, their submissions and the
/// rows that were not accepted, with the files to fix them in. The credit office sees every department.
struct ConsoleController {
    let env: WebEnvironment
    let renderer: PageRenderer
    static let roles: Set<Role> = [.admin, .departmentSubmitter, .departmentReviewer]

    func register(on router: Router<AppRequestContext>) {
        router.get("/console", use: { _, _ in Response.redirect(to: "/console/submissions", type: .found) })
        router.get("/console/submissions", use: list)
        router.post("/console/submissions", use: upload)
        router.get("/console/submissions/:id", use: show)
    }

    /// Session users only: the console is for people, API keys use the API.
    static func staff(_ context: AppRequestContext) throws -> Principal {
        guard let p = context.principal, case .session = p.via else { throw DomainError.unauthenticated("请先登录工作台") }
        return try context.require(Self.roles)
    }

    /// A credit-office administrator signed in through the browser; anyone else is refused with `refusal`.
    static func administrator(_ context: AppRequestContext, refusal: String) throws -> Principal {
        let p = try staff(context)
        guard p.role == .admin else { throw DomainError.forbidden(refusal) }
        return p
    }

    struct ItemModel { var code: String; var name: String; var category: String; var selected: Bool }
    struct DepartmentModel { var code: String; var name: String; var selected: Bool }
    struct SubmissionLine {
        var id: Int64; var item: String; var department: String; var channel: String; var received: String
        var total: Int; var created: Int; var updated: Int; var unchanged: Int; var rejected: Int; var held: Int
        var hasProblems: Bool
    }
    struct ListModel {
        var csrf: String; var error: String?; var items: [ItemModel]; var departments: [DepartmentModel]; var chooseDepartment: Bool
        var canUpload: Bool; var submissions: [SubmissionLine]; var departmentName: String
        var filters: [PublicationController.Option]
        /// Deadlines of the list work due within 30 days (the credit office's, or the department's own cases).
        var listWarnings: Int?
    }

    static func departmentOptions(_ departments: [Department], selected: String?) -> [PublicationController.Option] {
        [PublicationController.Option(value: "", label: "全部部门", selected: selected == nil)]
            + departments.map { PublicationController.Option(value: $0.code, label: $0.name, selected: $0.code == selected) }
    }

    static func received(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    static let channelLabels: [String: String] = ["api": "接口", "csv": "CSV 上传", "xlsx": "Excel 上传", "cli": "命令行导入", "demo": "演示数据"]

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await listPage(request, context: context, error: nil, status: .ok, item: nil, department: nil)
    }

    func listPage(_ request: Request, context: AppRequestContext, error: String?, status: HTTPResponse.Status,
                  item selectedItem: String?, department selectedDepartment: String?) async throws -> Response {
        let p = try Self.staff(context)
        let catalog = try await env.store.catalog()
        let departments = try await env.store.departments()
        let names = Dictionary(departments.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let own = p.role == .admin ? nil : p.departmentCode
        // The credit office sees every department, or the one it filters by; department staff only
        // their own (an account without a department, which the account rules do not allow for
        // these roles, sees none).
        let asked: String? = request.uri.queryParameters.get("from_department").map { String($0) }
        let filter = p.role == .admin ? asked?.nilIfEmpty : own
        let submissions = p.role == .admin || own != nil ? try await env.store.recentSubmissions(department: filter, limit: 50) : []
        let itemNames = Dictionary(catalog.items.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let model = ListModel(
            csrf: context.csrfToken ?? "", error: error,
            items: catalog.items.map { ItemModel(code: $0.code, name: $0.name, category: $0.category, selected: $0.code == selectedItem) },
            departments: departments.map { DepartmentModel(code: $0.code, name: $0.name, selected: $0.code == selectedDepartment) },
            chooseDepartment: p.role == .admin,
            canUpload: p.role == .admin || p.role == .departmentSubmitter,
            submissions: submissions.map { s in
                SubmissionLine(id: s.id, item: itemNames[s.itemCode] ?? s.itemCode, department: names[s.departmentCode] ?? s.departmentCode,
                               channel: Self.channelLabels[s.channel] ?? s.channel, received: Self.received(s.receivedAt),
                               total: s.totalRows, created: s.created, updated: s.updated, unchanged: s.unchanged,
                               rejected: s.rejected, held: s.held, hasProblems: s.rejected + s.held > 0)
            },
            departmentName: (filter ?? own).map { names[$0] ?? $0 } ?? "全部部门",
            filters: Self.departmentOptions(departments, selected: filter),
            listWarnings: try await ListCasesController.warnings(env: env, department: own ?? (p.role == .admin ? nil : "-"), today: env.today())
                .count.nonZero)
        return renderer.page("console_submissions", model, title: "信息报送", env: env, context: context, status: status)
    }

    /// The upload form: one file (.xlsx or CSV in UTF-8/GB18030) for one catalog item.
    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try Self.staff(context)
        guard p.role == .admin || p.role == .departmentSubmitter else { throw DomainError.forbidden("只有部门报送员和信用办可以上传") }
        var request = request
        guard let boundary = MultipartForm.boundary(request.headers[.contentType] ?? "") else {
            throw DomainError.invalid(field: "form", reason: "请通过页面上的表单上传文件")
        }
        let form = try MultipartForm(try await request.collectBody(upTo: Upload.maxFileBytes + (1 << 20)), boundary: boundary)
        let itemCode = form.fields["item"] ?? ""
        do {
            let department = try await SubmissionsController.submittingDepartment(
                of: p, named: p.role == .admin ? form.fields["department"].flatMap { $0.isEmpty ? nil : $0 } : nil, env: env)
            let catalog = try await env.store.catalog()
            guard let item = catalog.item(itemCode) else { throw DomainError.invalid(field: "item", reason: "请选择要报送的信息类别") }
            guard let file = form.files["file"], file.data.readableBytes > 0 else {
                throw DomainError.invalid(field: "file", reason: "请选择要上传的文件（Excel .xlsx 或 CSV）")
            }
            var upload = Upload(item: item, catalog: catalog, today: env.today())
            let bytes = file.data.readableBytesView
            let channel: SubmissionChannel
            if Upload.isWorkbook(bytes, filename: file.filename) {
                try upload.readXLSX(Data(bytes))
                channel = .xlsx
            } else {
                var reader = CSVReader()
                try upload.readCSV(bytes, reader: &reader)
                try upload.endCSV(reader: &reader)
                channel = .csv
            }
            let result = try await env.store.applySubmission(SubmissionDraft(item: item, department: department, channel: channel,
                                                                              actor: p.auditLabel, rows: try upload.finish(), catalog: catalog))
            return .redirect(to: "/console/submissions/\(result.id)", type: .normal)
        } catch let e as DomainError {
            guard case .invalid = e else { throw e }
            return try await listPage(request, context: context, error: e.message, status: .unprocessableContent,
                                      item: itemCode, department: form.fields["department"])
        }
    }

    struct ProblemRow { var row: Int; var outcome: String; var held: Bool; var reasons: [String]; var summary: String }
    struct ShowModel {
        var id: Int64; var item: String; var itemCode: String; var department: String; var channel: String; var received: String
        var total: Int; var created: Int; var updated: Int; var unchanged: Int; var rejected: Int; var held: Int
        var rows: [ProblemRow]; var hasRejected: Bool; var hasRows: Bool; var truncated: Bool
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try Self.staff(context)
        guard let id = Int64(try context.parameters.require("id")) else { throw DomainError.notFound(what: "该提交（或无权查看）") }
        let s = try SubmissionsController.visible(try await env.store.submission(id: id), to: p)
        let catalog = try await env.store.catalog()
        let item = catalog.item(s.itemCode)
        let departments = try await env.store.departments()
        let shown = s.rows.prefix(500)
        let model = ShowModel(
            id: s.id, item: item?.name ?? s.itemCode, itemCode: s.itemCode,
            department: departments.first { $0.code == s.departmentCode }?.name ?? s.departmentCode,
            channel: Self.channelLabels[s.channel] ?? s.channel, received: Self.received(s.receivedAt),
            total: s.totalRows, created: s.created, updated: s.updated, unchanged: s.unchanged, rejected: s.rejected, held: s.held,
            rows: shown.map { r in
                ProblemRow(row: r.row, outcome: r.outcome == "held" ? "暂存待确认" : "未通过", held: r.outcome == "held",
                           reasons: r.issues.map(\.reason),
                           summary: item.flatMap { i in i.subject.flatMap { r.raw[$0.name] } } ?? "")
            },
            hasRejected: s.rejected > 0, hasRows: !s.rows.isEmpty, truncated: s.rows.count > shown.count)
        return renderer.page("console_submission", model, title: "提交 \(s.id)", env: env, context: context)
    }
}
