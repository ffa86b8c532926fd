import Foundation
import Hummingbird
import XinyongCore

/// The credit office's link work in the console: the queue of records without a usable code and
/// of rows held for a pilot code (link by hand, confirm or return), and the 重错码 report. The
/// same store operations as the API; reading the queue, which shows names and codes that are not
/// public, is written to the access log. Identity numbers are shown masked.
struct LinkPagesController {
    let env: WebEnvironment
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/console/links", use: page)
        router.post("/console/links/records/:id", use: link)
        router.post("/console/links/held/:submission/:row", use: resolve)
    }

    private func administrator(_ context: AppRequestContext) throws -> Principal {
        try ConsoleController.administrator(context, refusal: "关联队列和重错码由信用办管理员处理")
    }

    struct Model {
        var chooseDepartment = true
        var csrf: String; var notice: String?; var error: String?
        var entries: [Entry]; var hasEntries: Bool
        var codes: [CodeLine]; var names: [NameLine]; var hasSuspects: Bool
        struct Entry {
            var held: Bool; var recordID: Int64?; var submission: Int64; var row: Int; var item: String; var department: String
            var name: String; var code: String; var note: String; var received: String
        }
        struct CodeLine { var code: String; var registeredName: String; var otherNames: String; var records: Int }
        struct NameLine { var name: String; var codes: String; var records: Int }
    }

    static func shown(_ code: String?) -> String {
        guard let code, !code.isEmpty else { return "—" }
        return IdentifierValidator.masked(code)
    }

    static let notices: [String: String] = ["linked": "已关联，记录生成了新版本。", "confirmed": "已确认代码，该行已入库。", "returned": "已退回该行。"]

    private func render(_ context: AppRequestContext, notice: String? = nil, error: String? = nil,
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        let p = try administrator(context)
        let catalog = try await env.store.catalog()
        let names = Dictionary(try await env.store.departments().map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let queue = try await env.store.linkQueue(limit: 200)
        try await env.store.recordAccess(actor: p.auditLabel, action: "link_queue.read", subjectID: nil, detail: "GET /console/links")
        let suspects = try await env.store.suspectCodes(limit: 100)
        let model = Model(
            csrf: context.csrfToken ?? "", notice: notice, error: error,
            entries: queue.map { e in
                .init(held: e.kind == .held, recordID: e.recordID, submission: e.submissionID, row: e.row,
                      item: catalog.item(e.itemCode)?.name ?? e.itemCode, department: names[e.departmentCode] ?? e.departmentCode,
                      name: e.name ?? "—", code: Self.shown(e.code), note: e.note, received: ConsoleController.received(e.receivedAt))
            },
            hasEntries: !queue.isEmpty,
            codes: suspects.codesWithSeveralNames.map {
                .init(code: Self.shown($0.code), registeredName: $0.registeredName, otherNames: $0.otherNames.joined(separator: "、"), records: $0.records)
            },
            names: suspects.namesWithSeveralCodes.map { .init(name: $0.name, codes: $0.codes.map { Self.shown($0) }.joined(separator: "、"), records: $0.records) },
            hasSuspects: !(suspects.codesWithSeveralNames.isEmpty && suspects.namesWithSeveralCodes.isEmpty))
        return renderer.page("console_links", model, title: "关联队列与重错码", env: env, context: context, status: status)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context, notice: request.uri.queryParameters.get("done").flatMap { Self.notices[String($0)] })
    }

    /// A problem the administrator can act on comes back on the page.
    private func acting(_ context: AppRequestContext, _ body: () async throws -> String) async throws -> Response {
        do {
            return .redirect(to: "/console/links?done=\(try await body())", type: .normal)
        } catch let e as DomainError {
            switch e {
            case _ where e.isCorrectable: return try await render(context, error: e.message, status: Problem.from(e).status)
            default: throw e
            }
        }
    }

    @Sendable func link(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try administrator(context)
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw DomainError.notFound(what: "该记录") }
        let values = try await FormData.read(request)
        return try await acting(context) {
            let code = IdentifierValidator.normalize(values["subject_code"] ?? "")
            guard !code.isEmpty else { throw DomainError.invalid(field: "subject_code", reason: "请填写要关联的主体的统一社会信用代码") }
            _ = try await env.store.linkRecord(id: id, subjectCode: code, actor: p.auditLabel)
            return "linked"
        }
    }

    @Sendable func resolve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try administrator(context)
        guard let submission = context.parameters.get("submission").flatMap(Int64.init), let row = context.parameters.get("row").flatMap(Int.init) else {
            throw DomainError.notFound(what: "待确认的行")
        }
        let values = try await FormData.read(request)
        return try await acting(context) {
            let confirm = values["action"] == "confirm"
            guard confirm || values["action"] == "reject" else { throw DomainError.invalid(field: "action", reason: "请选择确认或退回") }
            let reason = (values["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !reason.isEmpty else { throw DomainError.invalid(field: "reason", reason: "请填写理由（会记入处理记录）") }
            _ = try await env.store.resolveHeldRow(submissionID: submission, row: row, confirm: confirm, reason: reason,
                                                   actor: p.auditLabel, catalog: try await env.store.catalog())
            return confirm ? "confirmed" : "returned"
        }
    }
}
