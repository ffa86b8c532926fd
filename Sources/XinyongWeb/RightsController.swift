import Foundation
import Hummingbird
import XinyongCore

/// The subjects' rights on the API: repair eligibility, objections and repair applications with
/// their steps, the rules (credit office), the repair notice that goes with a decision (两书同达),
/// and the outbox a mail or SMS gateway reads.
struct RightsController {
    let env: WebEnvironment

    func register(on router: Router<AppRequestContext>) {
        // The segment after /records/ is named `item` because `POST /records/{item}/revoke` shares the
        // router node (one parameter name per node); here it holds the record's id.
        router.get("api/v1/records/:item/repair-eligibility", use: eligibility)
        router.get("api/v1/records/:item/repair-notice", use: repairNotice)
        for kind in RightsCase.Kind.allCases {
            let group = router.group(.init(Self.path(kind)))
            group.post("", use: { request, context in try await create(kind, request, context) })
            group.get("", use: { request, context in try await list(kind, request, context) })
            group.get(":id", use: { request, context in try await show(kind, request, context) })
            group.post(":id/actions", use: { request, context in try await act(kind, request, context) })
        }
        router.get("api/v1/rights-rules", use: rules)
        router.put("api/v1/rights-rules", use: putRules)
        router.get("api/v1/notifications/outbox", use: outbox)
        router.post("api/v1/notifications/outbox/:id/sent", use: sent)
        router.post("api/v1/publicity/sweep", use: sweep)
    }

    /// The rights desk for today, with the catalog the check service keeps cached.
    static func desk(_ env: WebEnvironment) async throws -> RightsDesk {
        try await RightsDesk.load(store: env.store, today: env.today(), officeDepartment: env.officeDepartment,
                                  catalog: try await env.checkRules.current(store: env.store).catalog)
    }

    /// Whether `code` is the query code of case `c`.
    static func holdsCode(_ code: String?, for c: RightsCase, env: WebEnvironment) async throws -> Bool {
        guard let code, !code.isEmpty else { return false }
        return try await env.store.rightsCase(queryCodeHash: Tokens.sha256Hex(normalizedCode(code)))?.id == c.id
    }

    static func path(_ kind: RightsCase.Kind) -> String { kind == .objection ? "api/v1/objections" : "api/v1/repairs" }

    // MARK: Access

    /// A record the caller may read: staff any, a subject its own, anyone a public one. Reading a
    /// record that is not public is logged.
    static func readableRecord(_ id: Int64?, env: WebEnvironment, context: AppRequestContext, via: String) async throws -> CreditRecord {
        guard let id, let r = try await env.store.creditRecord(id: id) else { throw DomainError.notFound(what: "该记录") }
        let p = context.principal
        let own = p?.role == .subjectUser && p?.subjectID != nil && p?.subjectID == r.subjectID
        if r.isPublic(on: env.today()) { return r }
        guard let p, p.isStaff || own else { throw DomainError.notFound(what: "该记录") }
        try await env.store.recordAccess(actor: p.auditLabel, action: via, subjectID: r.subjectID, detail: "record:\(r.id)")
        return r
    }

    /// A case the caller may see: the credit office all, a department those routed to it, a
    /// subject its own, anyone with the case's query code.
    static func readableCase(_ kind: RightsCase.Kind, id: Int64?, code: String?, env: WebEnvironment, context: AppRequestContext) async throws -> RightsCase {
        let notFound = DomainError.notFound(what: "该\(kind.label)（或无权查看）")
        guard let id, let c = try await env.store.rightsCase(id: id), c.kind == kind else { throw notFound }
        if try await holdsCode(code, for: c, env: env) { return c }
        guard let p = context.principal else { throw notFound }
        switch p.role {
        case .admin: return c
        case .subjectUser where p.subjectID != nil && p.subjectID == c.subjectID: return c
        // (One `where` would bind to the last pattern only: every department's staff must match.)
        case .departmentSubmitter, .departmentReviewer, .apiClient:
            guard p.departmentCode == c.department else { throw notFound }
            return c
        default: throw notFound
        }
    }

    /// The record id in a path: `/api/v1/records/{id}/…` (named `item` in the router) or `/console/records/{id}/…`.
    static func recordID(_ context: AppRequestContext) -> Int64? {
        (context.parameters.get("item") ?? context.parameters.get("id")).flatMap { Int64($0) }
    }

    static func normalizedCode(_ code: String) -> String { code.trimmingCharacters(in: .whitespaces).uppercased().replacingOccurrences(of: "-", with: "") }

    /// A query code: 12 characters without look-alikes, shown as XXXX-XXXX-XXXX.
    static func newQueryCode() -> (shown: String, hash: String) {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var g = SystemRandomNumberGenerator()
        let raw = String((0..<12).map { _ in alphabet[Int(g.next(upperBound: UInt32(alphabet.count)))] })
        let shown = [raw.prefix(4), raw.dropFirst(4).prefix(4), raw.suffix(4)].joined(separator: "-")
        return (shown, Tokens.sha256Hex(raw))
    }

    /// Whether `p` may take `step` in `c`: the applicant its own steps; the credit office
    /// everything else; the routed department the ordinary steps, except on an appeal.
    static func mayTake(_ step: RightsAction.Step, in c: RightsCase, principal p: Principal?, byCode: Bool) -> Bool {
        if step.byApplicant {
            return byCode || (p?.role == .subjectUser && p?.subjectID == c.subjectID && c.applicant.isSubject)
        }
        guard let p else { return false }
        if p.role == .admin { return true }
        guard [.departmentSubmitter, .departmentReviewer, .apiClient].contains(p.role), p.departmentCode == c.department else { return false }
        return !step.officeOnly && c.status != .appealed
    }

    // MARK: The case as JSON

    struct CaseView: Encodable {
        struct Deadline: Encodable { var key: String; var label: String; var due: String; var met: String?; var overdue: Bool }
        struct Step: Encodable { var status: String; var statusLabel: String; var on: String; var at: Date; var actor: String; var text: String }
        struct Applicant: Encodable { var name: String; var contact: String; var isSubject: Bool }
        struct File: Encodable { var id: Int64; var name: String; var purpose: String; var size: Int }
        var id: Int64; var kind: String; var status: String; var statusLabel: String; var open: Bool
        var recordId: Int64; var item: String; var subjectName: String; var department: String; var filedOn: String
        var applicant: Applicant; var field: String?; var proposed: String?; var reason: String; var commitment: String?
        var rules: String; var marked: Bool; var reply: String?; var appealUntil: String?; var extensionRequested: String?
        var deadlines: [Deadline]; var pendingDeadline: Deadline?; var overdue: Bool
        var attachments: [File]; var history: [Step]; var queryCode: String?
        enum CodingKeys: String, CodingKey {
            case id, kind, status, statusLabel = "status_label", open, recordId = "record_id", item, subjectName = "subject_name", department
            case filedOn = "filed_on", applicant, field, proposed, reason, commitment, rules, marked, reply, appealUntil = "appeal_until"
            case extensionRequested = "extension_requested", deadlines, pendingDeadline = "pending_deadline", overdue, attachments, history
            case queryCode = "query_code"
        }
    }

    static func view(_ c: RightsCase, today: CivilDate, queryCode: String? = nil) -> CaseView {
        func deadline(_ d: RightsCase.Deadline) -> CaseView.Deadline {
            .init(key: d.key, label: d.label, due: d.due, met: d.met, overdue: d.met == nil && c.status.isOpen && (CivilDate(d.due).map { $0 < today } ?? false))
        }
        return CaseView(
            id: c.id, kind: c.kind.rawValue, status: c.status.rawValue, statusLabel: c.status.label, open: c.status.isOpen, recordId: c.recordID,
            item: c.itemCode, subjectName: c.subjectName, department: c.department, filedOn: c.filedOn,
            applicant: .init(name: c.applicant.name, contact: RightsCase.Applicant.mask(c.applicant.contact), isSubject: c.applicant.isSubject),
            field: c.field, proposed: c.proposed, reason: c.reason, commitment: c.commitment, rules: c.rules, marked: c.marked, reply: c.reply,
            appealUntil: c.appealUntil, extensionRequested: c.extensionRequested, deadlines: c.deadlines.map(deadline),
            pendingDeadline: c.pending.map(deadline), overdue: c.isOverdue(on: today),
            attachments: c.attachments.map { .init(id: $0.id, name: $0.name, purpose: $0.purpose, size: $0.size) },
            history: c.steps.map { .init(status: $0.status.rawValue, statusLabel: $0.status.label, on: $0.on, at: $0.at, actor: $0.actor, text: $0.text) },
            queryCode: queryCode)
    }

    // MARK: Handlers

    @Sendable func eligibility(_ request: Request, context: AppRequestContext) async throws -> Response {
        let r = try await Self.readableRecord(Self.recordID(context), env: env, context: context, via: "GET /api/v1/records/{id}/repair-eligibility")
        var desk = try await RightsController.desk(env)
        if let on = request.uri.queryParameters.get("on") {
            guard let day = CivilDate(on) else { throw DomainError.invalid(field: "on", reason: "日期应为 YYYY-MM-DD") }
            desk.today = day
        }
        return try CatalogController.json(try await desk.eligibility(of: r))
    }

    struct FileBody: Decodable { var name: String?; var contentType: String?; var purpose: String?; var dataBase64: String? }
    struct Applicant: Decodable { var name: String?; var contact: String? }
    struct CreateBody: Decodable {
        var recordId: Int64?; var field: String?; var proposed: String?; var reason: String?; var applicant: Applicant?
        var commitmentSigned: Bool?; var files: [FileBody]?
    }

    static let filePurposes = ["证据材料", "履行证明", "整改材料", "其他材料"]
    static let maxFileBytes = 10 << 20
    static let maxFiles = 5

    /// An attached file, checked: a PDF, OFD or image of at most 10 MB.
    static func file(name: String, contentType: String?, purpose: String, data: [UInt8]) throws -> (purpose: String, file: StoredFile) {
        guard filePurposes.contains(purpose) else { throw DomainError.invalid(field: "files", reason: "材料用途应为：\(filePurposes.joined(separator: "、"))") }
        guard !data.isEmpty else { throw DomainError.invalid(field: "files", reason: "文件“\(name.prefix(60))”是空的") }
        guard data.count <= maxFileBytes else { throw DomainError.invalid(field: "files", reason: "每个文件不超过 \(maxFileBytes >> 20) MB") }
        let pdf = data.starts(with: Array("%PDF".utf8)), png = data.starts(with: [0x89, 0x50, 0x4E, 0x47]), jpg = data.starts(with: [0xFF, 0xD8, 0xFF])
        let ofd = data.starts(with: [0x50, 0x4B, 0x03, 0x04]) && name.lowercased().hasSuffix(".ofd")
        guard pdf || png || jpg || ofd else { throw DomainError.invalid(field: "files", reason: "文件“\(name.prefix(60))”不是 PDF、OFD、JPG 或 PNG") }
        let type = pdf ? "application/pdf" : png ? "image/png" : jpg ? "image/jpeg" : "application/ofd"
        let clean = String(name.filter { !"/\\\"\r\n".contains($0) }.suffix(100))
        return (purpose, StoredFile(name: clean.isEmpty ? "附件" : clean, contentType: contentType.map { _ in type } ?? type, data: data))
    }

    /// The applicant: a signed-in subject user is the subject itself; anyone else gives a name and contact.
    static func applicant(_ p: Principal?, record: CreditRecord, name: String?, contact: String?, kind: RightsCase.Kind) throws -> RightsCase.Applicant {
        let isSubject = p?.role == .subjectUser && p?.subjectID != nil && p?.subjectID == record.subjectID
        if kind == .repair, !isSubject {
            throw p == nil ? DomainError.unauthenticated("请以信用主体账号登录后申请信用修复")
                           : DomainError.forbidden("信用修复由信用主体本身（其授权人员）申请；请以本主体账号登录")
        }
        let n = (name ?? p?.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...50).contains(n.count) else { throw DomainError.invalid(field: "applicant.name", reason: "请填写申请人姓名或单位名称（50 字以内）") }
        let c = try RightsProcedure.contact(contact ?? "")
        if case .session(let id)? = p?.via, isSubject { return .init(name: n, contact: c, isSubject: true, accountID: id) }
        return .init(name: n, contact: c, isSubject: isSubject, accountID: nil)
    }

    func create(_ kind: RightsCase.Kind, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeBody(CreateBody.self, context: context,
                                                expected: "申请（record_id、reason、applicant{name, contact}，修复另需 commitment_signed 和 files）")
        let r = try await Self.readableRecord(body.recordId, env: env, context: context, via: "POST /\(Self.path(kind))")
        let applicant = try Self.applicant(context.principal, record: r, name: body.applicant?.name, contact: body.applicant?.contact, kind: kind)
        guard (body.files ?? []).count <= Self.maxFiles else { throw DomainError.invalid(field: "files", reason: "最多 \(Self.maxFiles) 个文件") }
        let files = try (body.files ?? []).map { f in
            guard let data = f.dataBase64.flatMap({ Data(base64Encoded: $0) }) else {
                throw DomainError.invalid(field: "files", reason: "文件内容应为 base64（data_base64）")
            }
            return try Self.file(name: f.name ?? "附件", contentType: f.contentType, purpose: f.purpose ?? "其他材料", data: Array(data))
        }
        let (shown, hash) = Self.newQueryCode()
        let c = try await file(kind, record: r, applicant: applicant, body: body, files: files, queryCodeHash: hash, actor: context.principal?.auditLabel ?? "public")
        var response = try CatalogController.json(Self.view(c, today: env.today(), queryCode: shown))
        response.status = .created
        response.headers[.location] = "/\(Self.path(kind))/\(c.id)"
        return response
    }

    func file(_ kind: RightsCase.Kind, record r: CreditRecord, applicant: RightsCase.Applicant, body: CreateBody,
              files: [(purpose: String, file: StoredFile)], queryCodeHash: String, actor: String) async throws -> RightsCase {
        let desk = try await RightsController.desk(env)
        switch kind {
        case .objection:
            return try await desk.fileObjection(record: r, applicant: applicant, field: body.field, proposed: body.proposed, reason: body.reason ?? "",
                                                files: files, queryCodeHash: queryCodeHash, actor: actor)
        case .repair:
            return try await desk.fileRepair(record: r, applicant: applicant, reason: body.reason ?? "", signed: body.commitmentSigned == true,
                                             files: files, queryCodeHash: queryCodeHash, actor: actor)
        }
    }

    func list(_ kind: RightsCase.Kind, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let p = try context.require([.admin, .departmentSubmitter, .departmentReviewer, .apiClient, .subjectUser])
        let q = request.uri.queryParameters
        let open: Bool? = q.get("open").map { $0 == "true" || $0 == "1" }
        let cases: [RightsCase]
        switch p.role {
        case .admin: cases = try await env.store.rightsCases(kind: kind, department: q.get("department"), subjectID: nil, recordID: nil, open: open, limit: 500)
        case .subjectUser:
            guard let s = p.subjectID else { throw DomainError.forbidden("该账号未绑定信用主体") }
            cases = try await env.store.rightsCases(kind: kind, department: nil, subjectID: s, recordID: nil, open: open, limit: 500)
        default:
            guard let d = p.departmentCode else { throw DomainError.forbidden("该账号或密钥未绑定部门") }
            cases = try await env.store.rightsCases(kind: kind, department: d, subjectID: nil, recordID: nil, open: open, limit: 500)
        }
        // Staff listing cases read who objected or applied, and why: one access line per case.
        if p.isStaff {
            try await env.store.recordAccess(actor: p.auditLabel, action: "GET /api/v1/\(kind == .objection ? "objections" : "repairs")",
                                             entries: cases.map { ($0.subjectID, "case:\($0.id)（列表）") })
        }
        let today = env.today()
        return try CatalogController.json(["items": cases.map { Self.view($0, today: today) }])
    }

    func show(_ kind: RightsCase.Kind, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let c = try await Self.readableCase(kind, id: context.parameters.get("id").flatMap { Int64($0) }, code: Self.queryCode(request),
                                            env: env, context: context)
        // Staff reading a case read the applicant's reasons and materials: logged, as the console page does.
        if let p = context.principal, p.isStaff {
            try await env.store.recordAccess(actor: p.auditLabel, action: "GET /api/v1/\(kind == .objection ? "objections" : "repairs")/{id}",
                                             subjectID: c.subjectID, detail: "case:\(c.id)")
        }
        return try CatalogController.json(Self.view(c, today: env.today()))
    }

    static func queryCode(_ request: Request) -> String? {
        request.headers[.init("X-Query-Code")!] ?? request.uri.queryParameters.get("code")
    }

    struct ActionBody: Decodable {
        var action: String?; var note: String?; var reason: String?; var reply: String?; var approve: Bool?; var values: [String: String]?
    }

    static func action(_ name: String, note: String?, reason: String?, reply: String?, approve: Bool?, values: [String: String]?) throws -> RightsAction {
        guard let step = RightsAction.Step(rawValue: name) else {
            throw DomainError.invalid(field: "action", reason: "未知操作“\(name.prefix(30))”：可用 \(RightsAction.Step.allCases.map(\.rawValue).joined(separator: "、"))")
        }
        let text = reply ?? reason ?? note ?? ""
        switch step {
        case .accept: return .accept(note: text)
        case .reject: return .reject(reason: text)
        case .requestExtension: return .requestExtension(reason: text)
        case .decideExtension: return .decideExtension(approve: approve == true, note: text)
        case .correct: return .correct(reply: text, values: values ?? [:])
        case .stop: return .stop(reply: text)
        case .uphold: return .uphold(reply: text)
        case .approve: return .approve(reply: text)
        case .refuse: return .refuse(reply: text)
        case .appeal: return .appeal(reason: text)
        case .revoke: return .revoke(reason: text)
        case .withdraw: return .withdraw(reason: text)
        }
    }

    /// Takes one step as `principal` (or the holder of the query code).
    static func take(_ action: RightsAction, in c: RightsCase, env: WebEnvironment, context: AppRequestContext, byCode: Bool) async throws -> RightsCase {
        guard mayTake(action.step, in: c, principal: context.principal, byCode: byCode) else {
            throw DomainError.forbidden(action.step.byApplicant ? "只有申请人可以\(action.step.label)" :
                                        action.step.officeOnly || c.status == .appealed ? "\(action.step.label)由信用办办理" : "该申请不由本部门办理")
        }
        let desk = try await RightsController.desk(env)
        let p = context.principal
        let name = p.map { $0.name } ?? c.applicant.name
        return try await desk.act(action, on: c, actorName: name, actor: p?.auditLabel ?? "query-code")
    }

    func act(_ kind: RightsCase.Kind, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = Self.queryCode(request)
        let c = try await Self.readableCase(kind, id: context.parameters.get("id").flatMap { Int64($0) }, code: code, env: env, context: context)
        let body = try await request.decodeBody(ActionBody.self, context: context, expected: "操作（action，以及 reason、reply、approve 或 values）")
        let action = try Self.action(body.action ?? "", note: body.note, reason: body.reason, reply: body.reply, approve: body.approve, values: body.values)
        let byCode = try await Self.holdsCode(code, for: c, env: env)
        let saved = try await Self.take(action, in: c, env: env, context: context, byCode: byCode)
        return try CatalogController.json(Self.view(saved, today: env.today()))
    }

    @Sendable func rules(_ request: Request, context: AppRequestContext) async throws -> Response {
        var rules = try await env.store.rightsRules()
        if rules.publicity == nil { rules.publicity = try await env.store.catalog().publicityRules }
        return try CatalogController.json(rules)
    }

    @Sendable func putRules(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try context.require([.admin])
        var request = request
        let data = try await request.collectBody(upTo: 1 << 20)
        let rules: RightsRules
        do { rules = try JSONCoding.decoder.decode(RightsRules.self, from: Data(data.readableBytesView)) } catch {
            throw DomainError.invalid(field: "body", reason: "规则文档格式错误：应与 GET /api/v1/rights-rules 返回的结构相同")
        }
        try await env.store.putRightsRules(try rules.validated(), actor: p.auditLabel)
        await env.checkRules.invalidate()
        return try CatalogController.json(try await env.store.rightsRules())
    }

    /// `GET /api/v1/records/{id}/repair-notice`: the 信用修复告知书 served with a penalty or list decision.
    @Sendable func repairNotice(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require([.admin, .departmentSubmitter, .departmentReviewer, .apiClient])
        let r = try await Self.readableRecord(Self.recordID(context), env: env, context: context, via: "GET /api/v1/records/{id}/repair-notice")
        let desk = try await RightsController.desk(env)
        let notice = RepairNotice.text(record: r, catalog: desk.catalog, eligibility: try await desk.eligibility(of: r), siteName: env.siteName)
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: notice)))
    }

    @Sendable func outbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require([.admin])
        let after = request.uri.queryParameters.get("after").flatMap { Int64($0) } ?? 0
        return try CatalogController.json(["items": try await env.store.outbox(after: after, limit: 200)])
    }

    @Sendable func sent(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require([.admin])
        guard let id = context.parameters.get("id").flatMap({ Int64($0) }), try await env.store.markSent(outboxID: id) else {
            throw DomainError.notFound(what: "该待发消息（或已标记发送）")
        }
        return Response(status: .noContent)
    }

    @Sendable func sweep(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require([.admin])
        let r = try await RightsController.desk(env).sweep()
        return try CatalogController.json(["ended": r.ended, "lists_removed": r.listsRemoved, "marked": r.marked, "escalated": r.escalated])
    }
}
