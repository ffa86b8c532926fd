import Foundation
import Hummingbird
import XinyongCore

/// The check service (信用核查) on the API: checks by departments and their systems, the check
/// log, feedback, statistics, and the four lists (四张清单) with the credit office's local measures.
struct ChecksController {
    let env: WebEnvironment

    /// Who may run checks: departments (people and their systems) and the credit office.
    static let checkers: Set<Role> = [.admin, .departmentSubmitter, .departmentReviewer, .apiClient]

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1/checks")
        api.post("", use: create)
        api.get("", use: list)
        api.get("statistics", use: statistics)
        api.get(":id", use: show)
        api.post(":id/feedback", use: feedback)
        router.get("api/v1/measures", use: measures)
        router.put("api/v1/measures/:code", use: putMeasure)
    }

    struct CheckBody: Decodable {
        var matter: String?
        var purpose: String?
        var subjects: [String]?
    }

    /// The caller as a check records it; a department account or key without a department cannot check.
    static func caller(_ p: Principal, channel: String) throws -> CreditChecker.Caller {
        if p.role != .admin, p.departmentCode == nil {
            throw DomainError.forbidden("该账号或密钥未绑定部门，不能发起信用核查")
        }
        return CreditChecker.Caller(actor: p.auditLabel, actorName: p.name, departmentCode: p.departmentCode, channel: channel)
    }

    /// `POST /api/v1/checks`: up to 1,000 subjects in one call.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        let p = try context.require(Self.checkers)
        let caller = try Self.caller(p, channel: "api")
        let body = try await request.decodeBody(CheckBody.self, context: context,
                                                expected: "核查请求（matter 办理事项、purpose 核查用途、subjects 主体代码或名称数组）")
        let checker = try await env.checkRules.checker(store: env.store)
        let checkRequest = try CheckRequest(matter: body.matter ?? "", purpose: body.purpose ?? "", subjects: body.subjects ?? [],
                                            catalog: checker.measures, today: env.today(), validator: env.validator)
        let outcome = try await checker.run(checkRequest, by: caller)
        var response = Self.response(outcome.summary, answers: outcome.draft.encoded, feedback: [], measures: checker.measures)
        response.status = .created
        response.headers[.location] = "/api/v1/checks/\(outcome.id)"
        // The time spent in the server (reading the request to the encoded answer), and of it the
        // wait for the reads and for the log to be kept: for callers, operators and benchmarks.
        func ms(_ d: Duration) -> String { String(format: "%.2f", Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15) }
        response.headers[.init("Server-Timing")!] = "check;dur=\(ms(ContinuousClock.now - started)), read;dur=\(ms(outcome.reading)), log;dur=\(ms(outcome.logging))"
        return response
    }

    /// A check as the caller may read it: its own department's, or any for the credit office.
    static func readable(_ id: String?, by p: Principal, env: WebEnvironment) async throws -> CheckRecord {
        guard let id = id.flatMap({ Int64($0) }), let check = try await env.store.check(id: id),
              p.role == .admin || (p.departmentCode != nil && p.departmentCode == check.summary.departmentCode) else {
            throw DomainError.notFound(what: "该核查记录（或无权查看）")
        }
        return check
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try context.require(Self.checkers)
        let check = try await Self.readable(context.parameters.get("id"), by: p, env: env)
        return Self.response(check, measures: try await env.checkRules.current(store: env.store).measures)
    }

    /// `GET /api/v1/checks`: the department's checks (all of them for the credit office), newest first.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try context.require(Self.checkers)
        let before = request.uri.queryParameters.get("before").flatMap { Int64($0) }
        let limit = min(max(request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 50, 1), 200)
        let department = p.role == .admin ? request.uri.queryParameters.get("department") : p.departmentCode
        let rows = try await env.store.checks(department: department, before: before, limit: limit)
        return try CatalogController.json(["items": rows.map(CheckSummaryDTO.init)])
    }

    struct FeedbackBody: Decodable {
        struct Item: Decodable { var position: Int?; var measure: String?; var applied: Bool?; var note: String? }
        var items: [Item]?
    }

    /// `POST /api/v1/checks/{id}/feedback`: for measures returned, what the department did and why.
    @Sendable func feedback(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try context.require(Self.checkers)
        let check = try await Self.readable(context.parameters.get("id"), by: p, env: env)
        let body = try await request.decodeBody(FeedbackBody.self, context: context,
                                                expected: "反馈（items 数组，每项含 position 核查对象序号、measure 措施编码、applied 是否实施、note 说明）")
        var items: [CheckFeedback] = []
        for (i, item) in (body.items ?? []).enumerated() {
            guard let position = item.position, let measure = item.measure, let applied = item.applied else {
                throw DomainError.invalid(field: "items[\(i)]", reason: "第 \(i + 1) 项须填写 position、measure 和 applied")
            }
            items.append(CheckFeedback(position: position, measure: measure, applied: applied, note: item.note ?? ""))
        }
        let valid = try CheckFeedback.validated(items, against: check.answers)
        try await env.store.saveFeedback(checkID: check.summary.id, valid, actor: p.auditLabel)
        let updated = try await env.store.check(id: check.summary.id)!
        return Self.response(updated, measures: try await env.checkRules.current(store: env.store).measures)
    }

    /// `GET /api/v1/checks/statistics?from=&to=`: per department and measure (the credit office only).
    @Sendable func statistics(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require([.admin])
        let (from, to) = try Self.period(request, today: env.today())
        let rows = try await env.store.checkStatistics(from: from.startOfDayBeijing, to: to.adding(days: 1).startOfDayBeijing)
        return try CatalogController.json(StatisticsDTO(from: from.description, to: to.description, rows: rows))
    }

    /// The period a statistics request names (`from`, `to`; by default the last 30 days).
    static func period(_ request: Request, today: CivilDate) throws -> (CivilDate, CivilDate) {
        func date(_ name: String) throws -> CivilDate? {
            guard let text = request.uri.queryParameters.get(name), !text.isEmpty else { return nil }
            guard let d = CivilDate(text) else { throw DomainError.invalid(field: name, reason: "日期应为 YYYY-MM-DD") }
            return d
        }
        let to = try date("to") ?? today
        let from = try date("from") ?? to.adding(days: -29)
        guard from <= to else { throw DomainError.invalid(field: "to", reason: "结束日期不能早于开始日期") }
        return (from, to)
    }

    /// `GET /api/v1/measures`: the four lists in force, public (the law requires them published).
    @Sendable func measures(_ request: Request, context: AppRequestContext) async throws -> Response {
        try CatalogController.json(try await env.store.measureCatalog())
    }

    /// `PUT /api/v1/measures/{code}`: a local measure of the credit office (or a local version of a shipped one).
    @Sendable func putMeasure(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try context.require([.admin])
        let code = try context.parameters.require("code")
        let measure = try await request.decodeBody(Measure.self, context: context,
                                                   expected: "措施定义（code、name、direction、kind、basis、departments、matters、lists、records、action、valid_from）")
        guard measure.code == code else { throw DomainError.invalid(field: "code", reason: "请求体中的 code 与地址中的措施编码不一致") }
        let valid = try measure.validated(against: try await env.store.measureCatalog(), items: try await env.store.catalog())
        try await env.store.putLocalMeasure(valid, actor: p.auditLabel)
        await env.checkRules.invalidate()
        return try CatalogController.json(try await env.store.measureCatalog().measure(code)!)
    }
}

extension ChecksController {
    static func response(_ c: CheckRecord, measures: MeasureCatalog) -> Response {
        response(c.summary, answers: c.answers.map(\.json), feedback: c.feedback, measures: measures)
    }

    /// A check on the wire: the log entry, the answers (JSON text written once) and the feedback,
    /// keys sorted as everywhere in the API.
    static func response(_ s: CheckRecordSummary, answers: [[UInt8]], feedback: [CheckFeedback], measures: MeasureCatalog) -> Response {
        var w = JSONText.Writer(capacity: 256 + answers.reduce(0) { $0 + $1.count + 1 })
        w.open()
        w.string("actor_name", s.actorName)
        w.string("as_of", CreditChecker.stamp(s.at))
        w.string("checked_at", s.at.formatted(.iso8601))
        w.string("department", s.departmentCode)
        w.openArray("feedback")
        for f in feedback {
            w.open()
            w.string("actor", f.actor); w.bool("applied", f.applied); w.string("at", f.at?.formatted(.iso8601)); w.string("measure", f.measure)
            w.string("note", f.note); w.int("position", Int64(f.position))
            w.close()
        }
        w.closeArray()
        w.int("id", s.id)
        w.open("matter")
        w.string("code", s.matter); w.string("name", measures.matter(s.matter)?.name ?? s.matter)
        w.close()
        w.string("purpose", s.purpose)
        w.openArray("results")
        for a in answers { w.raw(a) }
        w.closeArray()
        w.open("summary")
        w.int("found", Int64(s.found)); w.int("subjects", Int64(s.subjects)); w.int("with_hits", Int64(s.withHits))
        w.close()
        w.close()
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: w.bytes)))
    }
}

extension CivilDate {
    /// Midnight in Beijing at the start of this day.
    var startOfDayBeijing: Date {
        Date(timeIntervalSince1970: TimeInterval(daysSinceEpoch * 86400 - 8 * 3600))
    }
}

struct CheckSummaryDTO: Encodable {
    var id: Int64; var checkedAt: Date; var actor: String; var actorName: String; var department: String?; var matter: String
    var purpose: String; var channel: String; var subjects: Int; var found: Int; var withHits: Int
    init(_ s: CheckRecordSummary) {
        id = s.id; checkedAt = s.at; actor = s.actor; actorName = s.actorName; department = s.departmentCode; matter = s.matter
        purpose = s.purpose; channel = s.channel; subjects = s.subjects; found = s.found; withHits = s.withHits
    }
}

struct StatisticsDTO: Encodable {
    struct Row: Encodable {
        var department: String?; var measure: String?; var checks: Int; var subjects: Int; var hits: Int; var applied: Int; var notApplied: Int
    }
    var from: String
    var to: String
    var rows: [Row]
    init(from: String, to: String, rows: [CheckStatistic]) {
        self.from = from; self.to = to
        self.rows = rows.map { Row(department: $0.departmentCode, measure: $0.measure, checks: $0.checks, subjects: $0.subjects, hits: $0.hits,
                                   applied: $0.applied, notApplied: $0.notApplied) }
    }
}
