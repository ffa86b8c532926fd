import Foundation
import Hummingbird
import XinyongCore

/// Serious-dishonesty list determinations in the console (立案 → 告知 → 陈述申辩 → 决定 → 公示 →
/// 移出), and the credit office's warnings: statement periods run out, list entries about to end,
/// business-anomaly entries close to three years.
struct ListCasesController {
    let env: WebEnvironment
    let renderer: PageRenderer
    static let item = "yzsx"
    /// How far ahead the warnings look.
    static let warningDays = 30

    func register(on router: Router<AppRequestContext>) {
        router.get("/console/lists", use: index)
        router.post("/console/lists", use: open)
        router.get("/console/lists/:id", use: show)
        router.post("/console/lists/:id/:action", use: act)
    }

    struct CaseLine { var id: Int64; var subject: String; var code: String; var status: String; var department: String; var opened: String; var deadline: String? }
    struct WarningLine { var due: String; var subject: String; var code: String?; var text: String; var caseID: Int64? }
    struct IndexModel {
        var chooseDepartment: Bool; var csrf: String; var error: String?; var form: [String: String]
        var departments: [PublicationController.Option]; var cases: [CaseLine]; var hasCases: Bool; var warnings: [WarningLine]; var hasWarnings: Bool
    }

    /// The warnings for the credit office (or a department's own cases), soonest first.
    func warnings(department: String?, today: CivilDate) async throws -> [ListWarning] {
        try await Self.warnings(env: env, department: department, today: today)
    }

    static func warnings(env: WebEnvironment, department: String?, today: CivilDate) async throws -> [ListWarning] {
        var out: [ListWarning] = []
        for c in try await env.store.listCases(department: department, status: .notified, limit: 500) {
            if let d = c.statementDeadline, let deadline = CivilDate(d), deadline < today {
                out.append(.init(kind: .statementOver, due: d, subjectName: c.subjectName, subjectCode: c.subjectCode,
                                 text: "陈述申辩期已于 \(d) 届满，待作出认定决定或终止", caseID: c.id))
            }
        }
        guard department == nil else { return out.sorted { $0.due < $1.due } }
        for r in try await env.store.endingRecords(item: item, from: today.adding(days: 1), to: today.adding(days: warningDays + 1), limit: 200) {
            let last = r.window.until.map { $0.adding(days: -1).description } ?? ""
            out.append(.init(kind: .expiring, due: last, subjectName: r.fields["YZ_XDR_MC"] ?? "", subjectCode: r.fields["YZ_XDR_SHXYM"],
                             text: "严重失信主体名单 \(r.fields["YZ_RDWH"] ?? "") 将于 \(last) 期满，期满后自动移出", recordID: r.id))
        }
        // 企业信息公示暂行条例 art. 17: three years in the anomaly list without remedy → the serious list.
        let threeYears = today.adding(months: -36).adding(days: warningDays)
        for r in try await env.store.openRecords(item: "jyyc", decidedBy: threeYears, limit: 200) {
            let due = r.window.decisionDate.map { $0.adding(months: 36).description } ?? ""
            out.append(.init(kind: .anomalyThreeYears, due: due, subjectName: r.fields["YC_XDR_MC"] ?? "", subjectCode: r.fields["YC_XDR_SHXYM"],
                             text: "列入经营异常名录将于 \(due) 满三年：届时仍未移出的，依《企业信息公示暂行条例》第十七条列入严重违法企业名单", recordID: r.id))
        }
        return out.sorted { $0.due < $1.due }
    }

    private func indexPage(_ context: AppRequestContext, error: String? = nil, form: FormData? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let p = try ConsoleController.staff(context)
        let department = p.role == .admin ? nil : p.departmentCode ?? "-"
        let departments = try await env.store.departments()
        let names = Dictionary(departments.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let cases = try await env.store.listCases(department: department, status: nil, limit: 200)
        let warnings = try await warnings(department: department, today: env.today())
        let model = IndexModel(
            chooseDepartment: p.role == .admin, csrf: context.csrfToken ?? "", error: error,
            form: ["subject": form?["subject"] ?? "", "authority": form?["authority"] ?? "", "authority_code": form?["authority_code"] ?? "",
                   "reasons": form?["reasons"] ?? "", "basis": form?["basis"] ?? ""],
            departments: departments.map { .init(value: $0.code, label: $0.name, selected: $0.code == form?["department"]) },
            cases: cases.map { .init(id: $0.id, subject: $0.subjectName, code: $0.subjectCode, status: $0.status.label, department: names[$0.department] ?? $0.department,
                                     opened: $0.steps.first?.on ?? "", deadline: $0.status == .notified ? $0.statementDeadline : nil) },
            hasCases: !cases.isEmpty,
            warnings: warnings.map { .init(due: $0.due, subject: $0.subjectName, code: $0.subjectCode, text: $0.text, caseID: $0.caseID) },
            hasWarnings: !warnings.isEmpty)
        return renderer.page("console_list_cases", model, title: "名单认定", env: env, context: context, status: status)
    }

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await indexPage(context)
    }

    @Sendable func open(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try ConsoleController.staff(context)
        let form = try await FormData.read(request)
        do {
            let department = try SubmissionsController.department(of: p, named: p.role == .admin ? (form["department"] ?? "").nilIfEmpty : nil)
            let code = IdentifierValidator.normalize(form["subject"] ?? "")
            guard !code.isEmpty, let subject = try await env.store.subject(code: code) else {
                throw DomainError.invalid(field: "subject", reason: "未找到统一社会信用代码为“\(code.prefix(20))”的主体：认定对象须已在本平台登记")
            }
            let c = try ListProcedure.open(subject: subject, department: department, authority: form["authority"] ?? "",
                                           authorityCode: form["authority_code"] ?? "", reasons: form["reasons"] ?? "", basis: form["basis"] ?? "",
                                           actor: p.name, today: env.today(), validator: env.validator)
            let saved = try await env.store.createListCase(c, actor: p.auditLabel)
            return .redirect(to: "/console/lists/\(saved.id)", type: .normal)
        } catch let e as DomainError where e.isCorrectable {
            return try await indexPage(context, error: e.message, form: form, status: Problem.from(e).status)
        }
    }

    struct ShowModel {
        struct Step { var on: String; var status: String; var actor: String; var text: String }
        var csrf: String; var error: String?; var c: ListCase; var statusLabel: String; var steps: [Step]
        var canNotify: Bool; var canHear: Bool; var canDecide: Bool; var canPublish: Bool; var canRemove: Bool; var canClose: Bool
        var statementDays: Int; var maxUntil: String; var defaultUntil: String; var chooseDepartment: Bool
    }

    func readable(_ context: AppRequestContext) async throws -> (Principal, ListCase) {
        let p = try ConsoleController.staff(context)
        guard let id = context.parameters.get("id").flatMap({ Int64($0) }), let c = try await env.store.listCase(id: id),
              p.role == .admin || p.departmentCode == c.department else {
            throw DomainError.notFound(what: "该认定案件（或无权查看）")
        }
        return (p, c)
    }

    private func showPage(_ context: AppRequestContext, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let (p, c) = try await readable(context)
        let today = env.today()
        let model = ShowModel(
            csrf: context.csrfToken ?? "", error: error, c: c, statusLabel: c.status.label,
            steps: c.steps.map { .init(on: $0.on, status: $0.status.label, actor: $0.actor, text: $0.text) },
            canNotify: c.allows(.notify), canHear: c.allows(.hear), canDecide: c.allows(.decide),
            canPublish: c.allows(.publish), canRemove: c.allows(.remove), canClose: c.allows(.close),
            statementDays: env.listStatementWorkdays, maxUntil: today.adding(months: ListProcedure.maxListingMonths).description,
            defaultUntil: today.adding(months: 12).description, chooseDepartment: p.role == .admin)
        return renderer.page("console_list_case", model, title: "认定案件 \(c.id)", env: env, context: context, status: status)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await showPage(context)
    }

    @Sendable func act(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (p, c) = try await readable(context)
        let form = try await FormData.read(request, limit: 1 << 17)
        do {
            let action: ListCaseAction
            switch context.parameters.get("action") ?? "" {
            case "notify": action = .notify(notice: form["notice"] ?? "")
            case "hear": action = .hear(statement: form["statement"] ?? "")
            case "decide":
                guard let until = CivilDate(form["valid_until"] ?? "") else { throw DomainError.invalid(field: "valid_until", reason: "请填写列入期限（YYYY-MM-DD）") }
                action = .decide(number: form["number"] ?? "", text: form["document"] ?? "", validUntil: until)
            case "publish": action = .publish
            case "remove": action = .remove(reason: form["reason"] ?? "")
            case "close": action = .close(reason: form["reason"] ?? "")
            default: throw DomainError.notFound(what: "该操作")
            }
            let next = try ListProcedure.apply(action, to: c, actor: p.name, today: env.today(), calendar: try await env.store.workingCalendar(),
                                               statementWorkdays: env.listStatementWorkdays)
            let catalog = try await env.store.catalog()
            let item = catalog.item(Self.item)!
            switch action {
            case .publish:
                // The entry goes into the archive through intake, like any department's record.
                let raw = ListProcedure.record(next)
                let validated = CatalogValidator(catalog: catalog).validate(raw, item: item, today: env.today())
                let result = try await env.store.applySubmission(SubmissionDraft(
                    item: item, department: c.department, channel: .api, actor: "\(p.auditLabel) 认定案件 \(c.id)",
                    rows: [IntakeRow(number: 1, raw: raw, result: validated)], catalog: catalog))
                // A row held for confirmation (an early pilot code) is not published either.
                if let problem = result.rejected.first ?? result.held.first {
                    throw DomainError.invalid(field: "publish", reason: "名单记录未通过校验：" + problem.issue.reason)
                }
            case .remove(let reason):
                _ = try await env.store.revokeRecord(item: item, keyValues: ["YZ_RDWH": c.decisionNumber ?? "", "YZ_JGDM": c.authorityCode],
                                                     reason: reason, actor: p.auditLabel)
            default: break
            }
            _ = try await env.store.saveListCase(next, expectedVersion: c.version, actor: p.auditLabel)
            return .redirect(to: "/console/lists/\(c.id)", type: .normal)
        } catch let e as DomainError where e.isCorrectable {
            return try await showPage(context, error: e.message, status: Problem.from(e).status)
        }
    }
}

extension Int {
    /// Nil for 0, for templates (a Mustache section shows for any number, 0 included).
    var nonZero: Int? { self == 0 ? nil : self }
}
