import Foundation
import Hummingbird
import XinyongCore
import XinyongSheets

/// Credit checks in the console: paste or upload a list (all bidders of a tender), read what the
/// law requires for each subject with its basis, print or download the report, record what was
/// done; the credit office sees the figures per department and measure, drafts typical cases
/// from them, and reads the four lists with a form for local measures.
struct ChecksPagesController {
    let env: WebEnvironment
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/console/checks", use: index)
        router.post("/console/checks", use: create)
        router.get("/console/checks/statistics", use: statistics)
        router.get("/console/checks/:id", use: show)
        router.get("/console/checks/:id/report.csv", use: report)
        router.post("/console/checks/:id/feedback", use: feedback)
        router.post("/console/checks/:id/case", use: draftCase)
        router.get("/console/measures", use: measures)
        router.get("/lists/measures", use: publicMeasures)
        router.post("/console/measures", use: putMeasure)
    }

    // MARK: Checking

    struct Line { var id: Int64; var at: String; var matter: String; var purpose: String; var subjects: Int; var found: Int; var withHits: Int
                  var department: String; var actor: String }
    struct IndexModel {
        var chooseDepartment: Bool; var csrf: String; var error: String?; var matters: [PublicationController.Option]
        var purpose: String; var subjects: String; var max: Int; var checks: [Line]; var hasChecks: Bool
    }

    private func indexPage(_ context: AppRequestContext, error: String? = nil, matter: String? = nil, purpose: String = "", subjects: String = "",
                           status: HTTPResponse.Status = .ok) async throws -> Response {
        let p = try ConsoleController.staff(context)
        let (catalog, names) = try await rules()
        let rows = try await env.store.checks(department: p.role == .admin ? nil : p.departmentCode ?? "-", before: nil, limit: 50)
        let model = IndexModel(
            chooseDepartment: p.role == .admin, csrf: context.csrfToken ?? "", error: error,
            matters: catalog.matters.map { .init(value: $0.code, label: $0.name, selected: $0.code == matter) }, purpose: purpose, subjects: subjects,
            max: CheckRequest.maxSubjects,
            checks: rows.map { Line(id: $0.id, at: ConsoleController.received($0.at), matter: catalog.matter($0.matter)?.name ?? $0.matter, purpose: $0.purpose,
                                    subjects: $0.subjects, found: $0.found, withHits: $0.withHits,
                                    department: $0.departmentCode.map { names[$0] ?? $0 } ?? "信用办", actor: $0.actorName) },
            hasChecks: !rows.isEmpty)
        return renderer.page("console_checks", model, title: "信用核查", env: env, context: context, status: status)
    }

    /// The lists and department names as the checks read them (kept for 2 s, cleared by this server's changes).
    func rules() async throws -> (measures: MeasureCatalog, departments: [String: String]) {
        let r = try await env.checkRules.current(store: env.store)
        return (r.measures, r.departments)
    }

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await indexPage(context, matter: request.uri.queryParameters.get("matter"))
    }

    /// The list pasted into the form or uploaded as a file (Excel or CSV: the first column).
    static func subjects(_ form: MultipartForm) throws -> [String] {
        if let file = form.files["file"], file.data.readableBytes > 0 {
            let bytes = file.data.readableBytesView
            guard bytes.count <= 8 << 20 else { throw DomainError.invalid(field: "file", reason: "名单文件不能超过 8 MB") }
            var rows: [[String]] = []
            if Upload.isWorkbook(bytes, filename: file.filename) {
                do {
                    try XLSXReader(data: Data(bytes)).forEachBatch { batch in
                        rows += batch.map(\.fields)
                        guard rows.count <= CheckRequest.maxSubjects + 1 else { throw Upload.tooManyRows }
                    }
                } catch let e as XLSXFailure { throw Upload.unreadable(e.reason) }
            } else {
                var reader = CSVReader()
                do { rows = (try reader.feed(bytes) + (try reader.finish())).map(\.fields) } catch { throw Upload.unreadable(error.description) }
            }
            return CheckRequest.subjects(fromRows: rows)
        }
        return CheckRequest.subjects(fromText: form.fields["subjects"] ?? "")
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try ConsoleController.staff(context)
        var request = request
        guard let boundary = MultipartForm.boundary(request.headers[.contentType] ?? "") else {
            throw DomainError.invalid(field: "form", reason: "请通过页面上的表单发起核查")
        }
        let form = try MultipartForm(try await request.collectBody(upTo: (8 << 20) + (1 << 20)), boundary: boundary)
        let matter = form.fields["matter"] ?? "", purpose = form.fields["purpose"] ?? ""
        do {
            let caller = try ChecksController.caller(p, channel: "console")
            let checker = try await env.checkRules.checker(store: env.store)
            let checkRequest = try CheckRequest(matter: matter, purpose: purpose, subjects: try Self.subjects(form), catalog: checker.measures,
                                                today: env.today(), validator: env.validator)
            let outcome = try await checker.run(checkRequest, by: caller)
            return .redirect(to: "/console/checks/\(outcome.id)", type: .normal)
        } catch let e as DomainError where e.isCorrectable {
            return try await indexPage(context, error: e.message, matter: matter, purpose: purpose, subjects: form.fields["subjects"] ?? "",
                                       status: Problem.from(e).status)
        }
    }

    struct ShowModel {
        struct Measure {
            var code: String; var name: String; var incentive: Bool; var direction: String; var kind: String; var action: String; var basis: String
            var triggeredBy: String; var key: String; var applied: Bool; var notApplied: Bool; var note: String; var answered: String?
        }
        struct ListEntry { var name: String; var kind: String; var since: String?; var until: String?; var basis: String; var removal: String }
        struct Record { var itemName: String; var document: String?; var summary: String?; var decidedOn: String?; var until: String?; var department: String; var severity: String? }
        struct Result {
            var position: Int; var query: String?; var found: Bool; var name: String?; var code: String?; var link: String?; var kind: String?; var status: String?
            var conclusion: String; var lists: [ListEntry]; var records: [Record]; var measures: [Measure]; var hasMeasures: Bool; var clear: Bool; var missing: Bool
            var hasLists: Bool; var hasRecords: Bool
            var canDraftCase: Bool
        }
        var chooseDepartment: Bool; var csrf: String; var notice: String?; var error: String?
        var id: Int64; var matter: String; var purpose: String; var department: String; var actor: String; var asOf: String
        var subjects: Int; var found: Int; var withHits: Int; var results: [Result]; var canFeedback: Bool; var hasMeasures: Bool
    }

    private func showPage(_ context: AppRequestContext, id: String?, notice: String? = nil, error: String? = nil,
                          status: HTTPResponse.Status = .ok) async throws -> Response {
        let p = try ConsoleController.staff(context)
        let check = try await ChecksController.readable(id, by: p, env: env)
        let (catalog, names) = try await rules()
        let s = check.summary
        let canFeedback = p.departmentCode != nil && p.departmentCode == s.departmentCode || p.role == .admin && s.departmentCode == nil
        let results: [ShowModel.Result] = check.answers.map { a in
            let isPerson = a.subject?.kind == SubjectKind.naturalPerson.label
            return .init(
                position: a.position, query: a.subject?.code == a.query ? nil : a.query, found: a.found, name: a.subject?.name, code: a.subject?.code,
                link: a.subject.flatMap { isPerson ? nil : "/subjects/\($0.code)" }, kind: a.subject?.kind, status: a.subject?.status,
                conclusion: a.conclusion,
                lists: a.lists.map { .init(name: $0.name, kind: ListScope.Kind(rawValue: $0.kind)?.label ?? $0.kind, since: $0.since, until: $0.until,
                                           basis: $0.basis, removal: $0.removal) },
                records: a.records.map { .init(itemName: $0.itemName, document: $0.document, summary: $0.summary, decidedOn: $0.decidedOn, until: $0.until,
                                               department: $0.department, severity: $0.severity) },
                measures: a.measures.map { m in
                    let f = check.feedback.first { $0.position == a.position && $0.measure == m.code }
                    return .init(code: m.code, name: m.name, incentive: m.direction == "incentive",
                                 direction: Measure.Direction(rawValue: m.direction)?.label ?? m.direction,
                                 kind: Measure.Kind(rawValue: m.kind)?.label ?? m.kind, action: m.action, basis: m.basis,
                                 triggeredBy: m.triggeredBy.joined(separator: "、"), key: "\(a.position)_\(m.code)",
                                 applied: f?.applied == true, notApplied: f?.applied == false, note: f?.note ?? "",
                                 answered: f.map { "\($0.applied ? "已实施" : "未实施")：\($0.note)" })
                },
                hasMeasures: !a.measures.isEmpty, clear: a.found && !a.hasHits, missing: !a.found, hasLists: !a.lists.isEmpty, hasRecords: !a.records.isEmpty, canDraftCase: p.role == .admin && a.hasHits && !isPerson)
        }
        let model = ShowModel(
            chooseDepartment: p.role == .admin, csrf: context.csrfToken ?? "", notice: notice, error: error, id: s.id,
            matter: catalog.matter(s.matter)?.name ?? s.matter, purpose: s.purpose, department: s.departmentCode.map { names[$0] ?? $0 } ?? "信用办",
            actor: s.actorName, asOf: CreditChecker.stamp(s.at), subjects: s.subjects, found: s.found, withHits: s.withHits, results: results,
            canFeedback: canFeedback, hasMeasures: results.contains { $0.hasMeasures })
        return renderer.page("console_check", model, title: "核查结果 \(s.id)", env: env, context: context, status: status)
    }

    static let notices = ["feedback": "已记录反馈。"]

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await showPage(context, id: context.parameters.get("id"),
                           notice: request.uri.queryParameters.get("done").flatMap { Self.notices[String($0)] })
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try ConsoleController.staff(context)
        let check = try await ChecksController.readable(context.parameters.get("id"), by: p, env: env)
        let catalog = try await rules().measures
        let name = catalog.matter(check.summary.matter)?.name ?? check.summary.matter
        return SubmissionsController.download(ByteBuffer(string: CheckReport.csv(check, matterName: name)), type: "text/csv; charset=utf-8",
                                              ascii: "check-\(check.summary.id).csv", name: "信用核查报告-\(check.summary.id).csv")
    }

    /// The feedback form: for each measure a choice (实施 / 未实施) and a note; measures left unchosen are not answered.
    @Sendable func feedback(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try ConsoleController.staff(context)
        let id = context.parameters.get("id")
        let check = try await ChecksController.readable(id, by: p, env: env)
        guard p.departmentCode != nil && p.departmentCode == check.summary.departmentCode || p.role == .admin && check.summary.departmentCode == nil else {
            throw DomainError.forbidden("只有发起核查的部门可以反馈")
        }
        let form = try await FormData.read(request, limit: 1 << 20)
        var items: [CheckFeedback] = []
        for a in check.answers {
            for m in a.measures {
                let key = "\(a.position)_\(m.code)"
                guard let choice = form["a_\(key)"], !choice.isEmpty else { continue }
                items.append(CheckFeedback(position: a.position, measure: m.code, applied: choice == "applied", note: form["n_\(key)"] ?? ""))
            }
        }
        do {
            try await env.store.saveFeedback(checkID: check.summary.id, try CheckFeedback.validated(items, against: check.answers), actor: p.auditLabel)
            return .redirect(to: "/console/checks/\(check.summary.id)?done=feedback", type: .normal)
        } catch let e as DomainError where e.isCorrectable {
            return try await showPage(context, id: id, error: e.message, status: Problem.from(e).status)
        }
    }

    /// Drafts a typical case (联合奖惩案例) article from one subject's answer, for the credit office to edit and publish.
    @Sendable func draftCase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try ConsoleController.administrator(context, refusal: "联合奖惩案例由信用办发布")
        let check = try await ChecksController.readable(context.parameters.get("id"), by: p, env: env)
        let form = try await FormData.read(request)
        guard let position = form["position"].flatMap({ Int($0) }), let a = check.answers.first(where: { $0.position == position }),
              let subject = a.subject, a.hasHits else {
            throw DomainError.invalid(field: "position", reason: "请选择有名单或措施的核查对象")
        }
        guard subject.kind != SubjectKind.naturalPerson.label else {
            throw DomainError.forbidden("自然人信息不在网站公开，不能作为典型案例发布")
        }
        let (catalog, names) = try await rules()
        let department = check.summary.departmentCode.map { names[$0] ?? $0 } ?? "信用办"
        let matter = catalog.matter(check.summary.matter)?.name ?? check.summary.matter
        let day = CivilDate.today(now: check.summary.at)
        var body = "\(day.year) 年 \(day.month) 月 \(day.day) 日，\(department)在办理\(matter)事项（\(check.summary.purpose)）时，通过信用核查发现\(subject.name)（统一社会信用代码 \(subject.code)）"
        body += a.lists.isEmpty ? "存在相关信用记录。" : "被列入" + a.lists.map(\.name).joined(separator: "、") + "。"
        body += "\n\n## 依法采取的措施\n"
        for m in a.measures {
            let f = check.feedback.first { $0.position == a.position && $0.measure == m.code }
            body += "\n- **\(m.name)**：\(m.action)（依据：\(m.basis)）" + (f.map { $0.applied ? "。实施情况：\($0.note)" : "。未实施：\($0.note)" } ?? "")
        }
        body += "\n\n（本文由信用核查记录 \(check.summary.id) 生成草稿，发布前请核实并补充案件情况。）"
        let draft = try ArticleDraft(column: .cases, title: String("联合奖惩案例：\(subject.name)在\(matter)中依法受到\(a.measures.first?.direction == "incentive" ? "激励" : "约束")".prefix(ArticleDraft.maxTitle)),
                                     body: body, status: .draft, publishedOn: nil)
        let article = try await env.store.saveArticle(id: nil, draft, actor: p.auditLabel, expectedVersion: nil, today: env.today())
        return .redirect(to: "/console/articles/\(article.id)", type: .normal)
    }

    // MARK: Statistics

    struct StatisticsModel {
        struct Department { var name: String; var checks: Int; var subjects: Int; var hits: Int }
        struct MeasureLine { var department: String; var code: String; var name: String; var hits: Int; var applied: Int; var notApplied: Int; var unanswered: Int }
        var chooseDepartment = true
        var from: String; var to: String; var departments: [Department]; var measures: [MeasureLine]; var hasRows: Bool
    }

    @Sendable func statistics(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try ConsoleController.administrator(context, refusal: "核查统计由信用办查看")
        let (from, to) = try ChecksController.period(request, today: env.today())
        let rows = try await env.store.checkStatistics(from: from.startOfDayBeijing, to: to.adding(days: 1).startOfDayBeijing)
        let (catalog, names) = try await rules()
        func dept(_ code: String?) -> String { code.map { names[$0] ?? $0 } ?? "信用办" }
        let model = StatisticsModel(
            from: from.description, to: to.description,
            departments: rows.filter { $0.measure == nil }.map { .init(name: dept($0.departmentCode), checks: $0.checks, subjects: $0.subjects, hits: $0.hits) },
            measures: rows.compactMap { r in r.measure.map { code in
                .init(department: dept(r.departmentCode), code: code, name: catalog.measure(code)?.name ?? code, hits: r.hits, applied: r.applied,
                      notApplied: r.notApplied, unanswered: r.hits - r.applied - r.notApplied)
            } }.sorted { ($0.department, $0.code) < ($1.department, $1.code) },
            hasRows: !rows.isEmpty)
        return renderer.page("console_check_statistics", model, title: "核查与奖惩统计", env: env, context: context)
    }

    // MARK: The four lists

    struct MeasuresModel {
        struct Scope { var code: String; var name: String; var kind: String; var items: String; var basis: String; var determinedBy: String; var removal: String }
        struct Line {
            var code: String; var name: String; var direction: String; var kind: String; var basis: String; var departments: String; var matters: String
            var triggers: String; var action: String; var validity: String; var local: Bool; var inForce: Bool
        }
        struct Group { var title: String; var lines: [Line] }
        var chooseDepartment: Bool; var csrf: String; var notice: String?; var error: String?; var note: String?; var version: String
        var red: [Scope]; var black: [Scope]; var groups: [Group]
        var matterOptions: [PublicationController.Option]; var listOptions: [PublicationController.Option]; var recordOptions: [PublicationController.Option]
        var kindOptions: [PublicationController.Option]; var directionOptions: [PublicationController.Option]; var form: [String: String]
    }

    static func triggers(_ m: Measure, catalog: MeasureCatalog, items: Catalog) -> String {
        var parts = m.lists.map { catalog.scope($0)?.name ?? $0 }
        for c in m.records {
            var text = items.item(c.item)?.name ?? c.item
            if let s = c.severities { text += "（" + s.compactMap { PublicityRules.Severity(rawValue: $0)?.label }.joined(separator: "、") + "）" }
            parts.append(text)
        }
        return parts.joined(separator: "、") + (m.exclusions.map { $0.isEmpty ? "" : "；列入" + $0.compactMap { catalog.scope($0)?.name }.joined(separator: "、") + "的除外" } ?? "")
    }

    private func measuresPage(_ context: AppRequestContext, notice: String? = nil, error: String? = nil, form: FormData? = nil,
                              status: HTTPResponse.Status = .ok) async throws -> Response {
        let p = try ConsoleController.staff(context)
        let model = try await measuresModel(admin: p.role == .admin, csrf: context.csrfToken ?? "", notice: notice, error: error, form: form)
        return renderer.page("console_measures", model, title: "奖惩清单", env: env, context: context, status: status)
    }

    /// `/lists/measures`: the four lists on the public site (what departments may do, and nothing beyond).
    @Sendable func publicMeasures(_ request: Request, context: AppRequestContext) async throws -> Response {
        let model = try await measuresModel(admin: false, csrf: "", notice: nil, error: nil, form: nil)
        return renderer.page("measures_public", model, title: "守信激励和失信惩戒措施清单", env: env, context: context)
    }

    private func measuresModel(admin: Bool, csrf: String, notice: String?, error: String?, form: FormData?) async throws -> MeasuresModel {
        let catalog = try await env.store.measureCatalog()
        let items = try await env.store.catalog()
        let today = env.today()
        func scope(_ s: ListScope) -> MeasuresModel.Scope {
            .init(code: s.code, name: s.name, kind: s.kind.label, items: s.conditions.map { items.item($0.item)?.name ?? $0.item }.joined(separator: "、"),
                  basis: s.basis.map(\.description).joined(separator: "；"), determinedBy: s.determinedBy, removal: s.removal)
        }
        func line(_ m: Measure) -> MeasuresModel.Line {
            .init(code: m.code, name: m.name, direction: m.direction.label, kind: m.kind.label, basis: m.basisText, departments: m.departments.joined(separator: "、"),
                  matters: m.matters.map { catalog.matter($0)?.name ?? $0 }.joined(separator: "、"), triggers: Self.triggers(m, catalog: catalog, items: items),
                  action: m.action, validity: m.validFrom + " 起" + (m.validUntil.map { "，至 \($0)" } ?? ""), local: m.local == true, inForce: m.isValid(on: today))
        }
        return MeasuresModel(
            chooseDepartment: admin, csrf: csrf, notice: notice, error: error, note: catalog.note, version: catalog.version,
            red: catalog.scopes.filter { $0.kind == .red }.map(scope), black: catalog.scopes.filter { $0.kind != .red }.map(scope),
            groups: [.init(title: "三、守信激励措施", lines: catalog.measures.filter { $0.direction == .incentive }.map(line)),
                     .init(title: "四、失信惩戒措施", lines: catalog.measures.filter { $0.direction == .punishment }.map(line))],
            matterOptions: catalog.matters.map { .init(value: $0.code, label: $0.name, selected: form?["matters"]?.split(separator: ",").contains(Substring($0.code)) == true) },
            listOptions: catalog.scopes.map { .init(value: $0.code, label: $0.name, selected: form?["lists"]?.split(separator: ",").contains(Substring($0.code)) == true) },
            recordOptions: Self.recordTriggers(items).map { value, label in
                .init(value: value, label: label, selected: form?["records"]?.split(separator: ",").contains(Substring(value)) == true)
            },
            kindOptions: Measure.Kind.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: form?["kind"] == $0.rawValue) },
            directionOptions: Measure.Direction.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: form?["direction"] == $0.rawValue) },
            form: ["code": form?["code"] ?? "", "name": form?["name"] ?? "", "document": form?["document"] ?? "", "article": form?["article"] ?? "",
                   "departments": form?["departments"] ?? "", "action": form?["action"] ?? "", "valid_from": form?["valid_from"] ?? today.description,
                   "valid_until": form?["valid_until"] ?? ""])
    }

    @Sendable func measures(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await measuresPage(context, notice: request.uri.queryParameters.get("done") == "measure" ? "已保存本地措施：核查立即按新清单执行。" : nil)
    }

    /// The record triggers the form offers: each item with penalty kinds at each severity
    /// (`xzcf:serious`), and every other public item as a whole (`xzqz`).
    static func recordTriggers(_ items: Catalog) -> [(value: String, label: String)] {
        var out: [(String, String)] = []
        for item in items.items where item.openness == .public {
            if item.publicityFields?.kinds != nil {
                for s in [PublicityRules.Severity.serious, .general, .minor] { out.append(("\(item.code):\(s.rawValue)", "\(item.name)（\(s.label)）")) }
            } else if item.publicity != "list" {
                out.append((item.code, item.name))
            }
        }
        return out
    }

    /// The chosen record triggers as conditions: severities of one item together.
    static func recordConditions(_ values: [String]) -> [RecordCondition] {
        var severities: [String: [String]] = [:], order: [String] = []
        for v in values {
            let parts = v.split(separator: ":", maxSplits: 1).map(String.init)
            guard let item = parts.first, !item.isEmpty else { continue }
            if severities[item] == nil { order.append(item); severities[item] = [] }
            if parts.count == 2 { severities[item]!.append(parts[1]) }
        }
        return order.map { RecordCondition(item: $0, severities: severities[$0]!.isEmpty ? nil : severities[$0]) }
    }

    @Sendable func putMeasure(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try ConsoleController.administrator(context, refusal: "奖惩措施清单由信用办维护")
        let form = try await FormData.read(request, limit: 1 << 18)
        let matters = form.values("matters"), lists = form.values("lists"), records = form.values("records")
        do {
            let measure = Measure(
                code: form["code"] ?? "", name: form["name"] ?? "", direction: Measure.Direction(rawValue: form["direction"] ?? "") ?? .punishment,
                kind: Measure.Kind(rawValue: form["kind"] ?? "") ?? .management,
                basis: [LegalBasis(document: form["document"] ?? "", article: form["article"])],
                departments: (form["departments"] ?? "").components(separatedBy: CharacterSet(charactersIn: "、,，")),
                matters: matters, lists: lists, records: Self.recordConditions(records), action: form["action"] ?? "", validFrom: form["valid_from"] ?? "",
                validUntil: form["valid_until"])
            let catalog = try await env.store.measureCatalog()
            if let existing = catalog.measure(measure.code), existing.direction != measure.direction {
                throw DomainError.conflict("措施 \(measure.code) 已存在且为\(existing.direction.label)措施，不能改变方向")
            }
            try await env.store.putLocalMeasure(try measure.validated(against: catalog, items: try await env.store.catalog()), actor: p.auditLabel)
            await env.checkRules.invalidate()
            return .redirect(to: "/console/measures?done=measure", type: .normal)
        } catch let e as DomainError where e.isCorrectable {
            var values = form
            values.set("matters", matters.joined(separator: ","))
            values.set("lists", lists.joined(separator: ","))
            values.set("records", records.joined(separator: ","))
            return try await measuresPage(context, error: e.message, form: values, status: Problem.from(e).status)
        }
    }
}
