import Foundation
import Hummingbird
import XinyongCore
import XinyongSheets

/// Reporting quality: `GET /api/v1/quality`, its CSV and Excel exports, the console page with
/// charts, and the public page that says exactly what is checked.
struct QualityController {
    let env: WebEnvironment
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("api/v1/quality", use: json)
        router.get("api/v1/quality.csv", use: csv)
        router.get("api/v1/quality.xlsx", use: xlsx)
        router.get("/console/quality", use: page)
        router.get("/quality-rules", use: rules)
    }

    struct Scope { var from: CivilDate; var to: CivilDate; var department: String?; var item: String? }

    /// The period and scope asked for: `from`/`to` as dates or months (default: the last six months);
    /// a department's staff see only their own department.
    func scope(_ request: Request, context: AppRequestContext) throws -> Scope {
        let p = try context.require([.admin, .departmentSubmitter, .departmentReviewer, .apiClient])
        let q = request.uri.queryParameters
        let today = env.today()
        func date(_ name: String, end: Bool) throws -> CivilDate? {
            guard let raw = q.get(name), !raw.isEmpty else { return nil }
            if let d = CivilDate(raw) { return d }
            if raw.count == 7, let first = CivilDate(raw + "-01") { return end ? first.adding(months: 1).adding(days: -1) : first }
            throw DomainError.invalid(field: name, reason: "\(name) 应为日期（2026-10-01）或月份（2026-10）")
        }
        let to = try date("to", end: true) ?? today
        let from = try date("from", end: false) ?? CivilDate(year: to.year, month: to.month, day: 1)!.adding(months: -5)
        guard from <= to else { throw DomainError.invalid(field: "from", reason: "起始日期不能晚于截止日期") }
        guard to.daysSinceEpoch - from.daysSinceEpoch <= 3 * 366 else { throw DomainError.invalid(field: "from", reason: "一次最多统计 3 年") }
        var department = q.get("department").flatMap { $0.isEmpty ? nil : $0 }
        if p.role != .admin {
            guard let own = p.departmentCode else { throw DomainError.forbidden("该账号或密钥未绑定部门，只能由信用办查看全部部门的质量统计") }
            if let asked = department, asked != own { throw DomainError.forbidden("只能查看本部门（\(own)）的质量统计") }
            department = own
        }
        return Scope(from: from, to: to, department: department, item: q.get("item").flatMap { $0.isEmpty ? nil : $0 })
    }

    func report(_ s: Scope) async throws -> QualityReport {
        let input = try await env.store.qualityInput(from: s.from, to: s.to, department: s.department, item: s.item)
        return QualityReport.compute(input, from: s.from, to: s.to, calendar: try await env.store.workingCalendar())
    }

    static func rate(_ r: Double?) -> JSONValue { r.map { .string(String(format: "%.4f", $0)) } ?? .null }
    static func percent(_ r: Double?) -> String { r.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }

    static func figures(_ f: QualityReport.Figures) -> [(String, JSONValue)] {
        [("accepted", .int(f.accepted)), ("completeness", rate(f.completeness)), ("compliance_rate", rate(f.complianceRate)),
         ("created", .int(f.created)), ("delivered", .int(f.delivered)), ("held", .int(f.held)), ("on_time", .int(f.onTime)),
         ("on_time_rate", rate(f.onTimeRate)), ("rejected", .int(f.rejected)), ("rows", .int(f.rows)),
         ("submissions", .int(f.submissions)), ("untimed", .int(f.untimed)), ("updated", .int(f.updated))]
    }

    @Sendable func json(_ request: Request, context: AppRequestContext) async throws -> Response {
        let s = try scope(request, context: context)
        let r = try await report(s)
        return JSONValue.fields([
            ("department", JSONValue(s.department)),
            ("from", .string(s.from.description)),
            ("item", JSONValue(s.item)),
            ("lines", .array(r.lines.map { l in .fields([("department", .string(l.department)), ("item", .string(l.item))] + Self.figures(l.figures)) })),
            ("months", .array(r.months.map { m in .fields([("month", .string(m.month))] + Self.figures(m.figures)) })),
            ("on_time_workdays", .int(QualityRules.onTimeWorkdays)),
            ("reasons", .array(r.reasons.map { .fields([("field", JSONValue($0.field)), ("kind", JSONValue($0.kind?.rawValue)),
                                                          ("kind_label", JSONValue($0.kind?.label)), ("label", JSONValue($0.label)),
                                                          ("rows", .int($0.rows))]) })),
            ("to", .string(s.to.description)),
            ("total", .fields(Self.figures(r.total))),
        ]).response()
    }

    /// The export table: one row per department × item, then the months, then the reasons.
    func table(_ r: QualityReport) async throws -> [[String]] {
        let names = Dictionary(try await env.store.departments().map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let items = Dictionary(try await env.store.catalog().items.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        func cells(_ f: QualityReport.Figures) -> [String] {
            [String(f.submissions), String(f.rows), String(f.accepted), String(f.rejected), String(f.held), Self.percent(f.complianceRate),
             String(f.delivered), String(f.onTime), Self.percent(f.onTimeRate), Self.percent(f.completeness)]
        }
        var rows: [[String]] = [["统计期", "\(r.from) 至 \(r.to)"], []]
        let head = ["提交次数", "报送行数", "通过行数", "未通过行数", "待确认行数", "合规率", "首次报送记录数", "按时记录数", "及时率", "完整率"]
        rows.append(["部门", "信息类别"] + head)
        rows += r.lines.map { [names[$0.department] ?? $0.department, items[$0.item] ?? $0.item] + cells($0.figures) }
        rows.append(["合计", ""] + cells(r.total))
        rows.append([])
        rows.append(["月份", ""] + head)
        rows += r.months.map { [$0.month, ""] + cells($0.figures) }
        rows.append([])
        rows.append(["问题类型", "字段", "未通过行数"])
        rows += r.reasons.map { [$0.kind?.label ?? "其他", $0.label ?? $0.field ?? "整行", String($0.rows)] }
        return rows
    }

    @Sendable func csv(_ request: Request, context: AppRequestContext) async throws -> Response {
        let s = try scope(request, context: context)
        let text = "\u{FEFF}" + (try await table(try await report(s))).map(FileIntake.csvLine).joined()
        return SubmissionsController.download(ByteBuffer(string: text), type: "text/csv; charset=utf-8",
                                              ascii: "quality-\(s.from)-\(s.to).csv", name: "数据质量-\(s.from)至\(s.to).csv")
    }

    @Sendable func xlsx(_ request: Request, context: AppRequestContext) async throws -> Response {
        let s = try scope(request, context: context)
        let rows = try await table(try await report(s))
        let width = rows.map(\.count).max() ?? 1
        let sheet = XLSXWriter.Sheet(name: "数据质量", columns: (0..<width).map { XLSXWriter.Column(rows[0].indices.contains($0) ? rows[0][$0] : "", width: $0 < 2 ? 22 : 12) },
                                     rows: rows.dropFirst().map { $0.map { v in Double(v).map { .number($0) } ?? .text(v) } })
        return SubmissionsController.download(ByteBuffer(bytes: try XLSXWriter.workbook([sheet])), type: SubmissionsController.xlsxType,
                                              ascii: "quality-\(s.from)-\(s.to).xlsx", name: "数据质量-\(s.from)至\(s.to).xlsx")
    }
}

extension QualityController {
    struct Option { var code: String; var name: String; var selected: Bool }
    struct LineModel {
        var department: String; var item: String; var rows: Int; var accepted: Int; var rejected: Int; var held: Int
        var compliance: String; var delivered: Int; var onTime: Int; var onTimeRate: String; var completeness: String
    }
    struct ReasonModel { var kind: String; var field: String; var rows: Int }
    struct PageModel {
        var from: String; var to: String; var chooseDepartment: Bool; var departments: [Option]; var items: [Option]
        var departmentName: String; var total: LineModel; var lines: [LineModel]; var months: [LineModel]; var hasLines: Bool
        var reasons: [ReasonModel]; var hasReasons: Bool; var monthlyChart: String; var reasonsChart: String; var query: String
        var onTimeWorkdays: Int
    }

    func line(_ department: String, _ item: String, _ f: QualityReport.Figures) -> LineModel {
        LineModel(department: department, item: item, rows: f.rows, accepted: f.accepted, rejected: f.rejected, held: f.held,
                  compliance: Self.percent(f.complianceRate), delivered: f.delivered, onTime: f.onTime,
                  onTimeRate: Self.percent(f.onTimeRate), completeness: Self.percent(f.completeness))
    }

    /// `/console/quality`: the figures for the credit office (all departments) or a department (its own).
    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try ConsoleController.staff(context)
        let s = try scope(request, context: context)
        let r = try await report(s)
        let departments = try await env.store.departments()
        let catalog = try await env.store.catalog()
        let names = Dictionary(departments.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let items = Dictionary(catalog.items.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        var query = "from=\(s.from)&to=\(s.to)"
        if let d = s.department { query += "&department=\(d.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
        if let i = s.item { query += "&item=\(i.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
        let model = PageModel(
            from: s.from.description, to: s.to.description, chooseDepartment: p.role == .admin,
            departments: departments.map { Option(code: $0.code, name: $0.name, selected: $0.code == s.department) },
            items: catalog.items.map { Option(code: $0.code, name: $0.name, selected: $0.code == s.item) },
            departmentName: s.department.map { names[$0] ?? $0 } ?? "全部部门",
            total: line("合计", "", r.total),
            lines: r.lines.map { line(names[$0.department] ?? $0.department, items[$0.item] ?? $0.item, $0.figures) },
            months: r.months.map { line($0.month, "", $0.figures) }, hasLines: !r.lines.isEmpty,
            reasons: r.reasons.prefix(20).map { ReasonModel(kind: $0.kind?.label ?? "其他", field: $0.label ?? $0.field ?? "整行", rows: $0.rows) },
            hasReasons: !r.reasons.isEmpty,
            monthlyChart: Charts.monthly(title: "每月报送与合规率、及时率", months: r.months.map {
                ($0.month, $0.figures.accepted, $0.figures.rejected, $0.figures.complianceRate, $0.figures.onTimeRate)
            }),
            reasonsChart: Charts.horizontal(title: "未通过原因（按行数）", bars: r.reasons.prefix(10).map {
                ("\($0.label ?? "整行")·\($0.kind?.label ?? "其他")", $0.rows)
            }),
            query: query, onTimeWorkdays: QualityRules.onTimeWorkdays)
        return renderer.page("console_quality", model, title: "数据质量", env: env, context: context)
    }

    struct RuleField { var label: String; var name: String; var hint: String }
    struct RuleItem { var code: String; var name: String; var fields: [RuleField]; var rules: [String]; var key: String }
    struct RulesModel { var items: [RuleItem]; var onTimeWorkdays: Int; var kinds: [String] }

    /// `/quality-rules`: what every row is checked against and how the figures are computed.
    @Sendable func rules(_ request: Request, context: AppRequestContext) async throws -> Response {
        let catalog = try await env.store.catalog()
        let model = RulesModel(
            items: catalog.items.map { item in
                RuleItem(code: item.code, name: item.name,
                         fields: item.fields.map { RuleField(label: $0.label, name: $0.name, hint: $0.fillingHint(codeLists: catalog.codeLists)) },
                         rules: item.rules.map(\.message),
                         key: item.naturalKey.compactMap { item.field($0)?.label }.joined(separator: " + "))
            },
            onTimeWorkdays: QualityRules.onTimeWorkdays, kinds: RowIssue.Kind.allCases.map(\.label))
        return renderer.page("quality_rules", model, title: "数据质量规则", env: env, context: context)
    }
}
