import Foundation
import Hummingbird
import XinyongCore

/// The rights workflows in the browser: an objection on any public record (anyone with
/// evidence), following a case with its query code, the subject's own archive with its repair
/// dates, repair applications, the full report and the inbox; and the console's queue of
/// objections and repairs routed to each department, with overdue ones first.
struct RightsPagesController {
    let env: WebEnvironment
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/records/:id/objection", use: objectionForm)
        router.post("/records/:id/objection", use: fileObjection)
        router.get("/track", use: track)
        router.post("/track/:id/:action", use: trackAction)
        router.get("/me", use: me)
        router.get("/me/records/:id/repair", use: repairForm)
        router.post("/me/records/:id/repair", use: fileRepair)
        router.get("/console/rights", use: queue)
        router.get("/console/rights/:id", use: show)
        router.post("/console/rights/:id/:action", use: act)
        router.get("/rights/:id/files/:file", use: file)
        router.get("/console/records/:id/repair-notice", use: notice)
        router.get("/inbox", use: inbox)
    }

    /// A form's CSRF token: the session's, or for visitors the pre-session cookie's (set on the response).
    func csrf(_ request: Request, _ context: AppRequestContext) -> String {
        context.csrfToken ?? request.cookies[CookieNames.preSessionCSRF]?.value ?? Tokens.random(bytes: 24)
    }

    func withCSRFCookie(_ response: Response, _ token: String, _ context: AppRequestContext) -> Response {
        guard context.csrfToken == nil else { return response }
        var r = response
        r.setCookie(Cookie(name: CookieNames.preSessionCSRF, value: token, maxAge: 3600, path: "/", secure: env.cookieSecure, httpOnly: true, sameSite: .strict))
        return r
    }

    /// The case with this id, of either kind, if the caller (or the holder of `code`) may see it.
    func findCase(_ id: Int64?, code: String?, context: AppRequestContext) async -> RightsCase? {
        for kind in RightsCase.Kind.allCases {
            if let c = try? await RightsController.readableCase(kind, id: id, code: code, env: env, context: context) { return c }
        }
        return nil
    }

    static func files(_ form: MultipartForm, names: [(String, String)]) throws -> [(purpose: String, file: StoredFile)] {
        try names.compactMap { name, purpose in
            guard let f = form.files[name], f.data.readableBytes > 0 else { return nil }
            return try RightsController.file(name: f.filename, contentType: f.contentType, purpose: purpose, data: Array(f.data.readableBytesView))
        }
    }

    static func multipart(_ request: Request, signedIn: Bool) async throws -> MultipartForm {
        try await multipart(request, limit: signedIn ? 5 * RightsController.maxFileBytes + (1 << 20) : 1 << 20,
                            tooLarge: ("files", signedIn ? "附件合计过大：每个文件不超过 10 MB" : "未登录提交时附件合计不超过 1 MB；材料较多的请登录后提交"))
    }

    /// A page form with files, read up to `limit` bytes; a larger one is refused with `tooLarge`.
    static func multipart(_ request: Request, limit: Int, tooLarge: (field: String, reason: String)) async throws -> MultipartForm {
        var request = request
        guard let boundary = MultipartForm.boundary(request.headers[.contentType] ?? "") else {
            throw DomainError.invalid(field: "form", reason: "请通过页面上的表单提交")
        }
        do {
            return try MultipartForm(try await request.collectBody(upTo: limit), boundary: boundary)
        } catch is HTTPError {
            throw DomainError.invalid(field: tooLarge.field, reason: tooLarge.reason)
        }
    }

    // MARK: Objections by anyone

    struct ObjectionModel {
        var csrf: String; var error: String?; var id: Int64; var itemName: String; var title: String; var subjectName: String?
        var fields: [PublicationController.Option]; var form: [String: String]; var signedInSubject: Bool; var markDays: Int
    }

    func objectionPage(_ request: Request, _ context: AppRequestContext, error: String? = nil, form: [String: String] = [:],
                       status: HTTPResponse.Status = .ok) async throws -> Response {
        let r = try await RightsController.readableRecord(context.parameters.get("id").flatMap { Int64($0) }, env: env, context: context,
                                                          via: "GET /records/{id}/objection")
        let catalog = try await env.store.catalog()
        guard let item = catalog.item(r.itemCode) else { throw DomainError.notFound(what: "该记录") }
        let token = csrf(request, context)
        let rules = try await env.store.rightsRules()
        let model = ObjectionModel(
            csrf: token, error: error, id: r.id, itemName: item.name, title: item.naturalKey.first.flatMap { r.fields[$0] } ?? item.name,
            subjectName: item.subject.flatMap { r.fields[$0.name] },
            fields: [.init(value: "", label: "整条记录", selected: (form["field"] ?? "").isEmpty)]
                + item.displayFields.map { .init(value: $0.name, label: $0.label, selected: form["field"] == $0.name) },
            form: form, signedInSubject: context.principal?.role == .subjectUser, markDays: rules.objection.markWorkdays)
        return withCSRFCookie(renderer.page("objection_form", model, title: "提出异议", env: env, context: context, status: status), token, context)
    }

    @Sendable func objectionForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await objectionPage(request, context)
    }

    struct FiledModel { var kind: String; var id: Int64; var code: String; var status: String; var deadlines: [RightsController.CaseView.Deadline]; var link: String }

    @Sendable func fileObjection(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Self.multipart(request, signedIn: context.principal != nil)
        let fields = form.fields
        do {
            let r = try await RightsController.readableRecord(context.parameters.get("id").flatMap { Int64($0) }, env: env, context: context,
                                                              via: "POST /records/{id}/objection")
            let applicant = try RightsController.applicant(context.principal, record: r, name: fields["name"], contact: fields["contact"], kind: .objection)
            let files = try Self.files(form, names: [("evidence1", "证据材料"), ("evidence2", "证据材料"), ("evidence3", "证据材料")])
            let (shown, hash) = RightsController.newQueryCode()
            let body = RightsController.CreateBody(recordId: r.id, field: fields["field"], proposed: fields["proposed"], reason: fields["reason"],
                                                   applicant: nil, commitmentSigned: nil, files: nil)
            let c = try await RightsController(env: env).file(.objection, record: r, applicant: applicant, body: body, files: files,
                                                             queryCodeHash: hash, actor: context.principal?.auditLabel ?? "public")
            return filed(c, code: shown, context: context)
        } catch let e as DomainError where e.isCorrectable {
            return try await objectionPage(request, context, error: e.message, form: fields, status: Problem.from(e).status)
        }
    }

    func filed(_ c: RightsCase, code: String, context: AppRequestContext) -> Response {
        let v = RightsController.view(c, today: env.today())
        var r = renderer.page("case_filed", FiledModel(kind: c.kind.label, id: c.id, code: code, status: c.status.label, deadlines: v.deadlines,
                                                       link: "/track?id=\(c.id)"),
                              title: "已提交\(c.kind.label)", env: env, context: context, status: .created)
        r.headers[.location] = "/track?id=\(c.id)"
        return r
    }

    // MARK: Following a case

    struct CaseModel {
        var csrf: String; var error: String?; var c: RightsController.CaseView; var kindLabel: String; var code: String?
        var canWithdraw: Bool; var canAppeal: Bool; var staffLink: Bool; var fieldLabel: String?
        var hasFiles: Bool
    }

    func casePage(_ c: RightsCase, code: String?, request: Request, context: AppRequestContext, error: String? = nil,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let token = csrf(request, context)
        let byCode = code != nil
        let catalog = try await env.store.catalog()
        let model = CaseModel(csrf: token, error: error, c: RightsController.view(c, today: env.today()), kindLabel: c.kind.label, code: code,
                              canWithdraw: c.allows(.withdraw) && RightsController.mayTake(.withdraw, in: c, principal: context.principal, byCode: byCode),
                              canAppeal: c.allows(.appeal) && RightsController.mayTake(.appeal, in: c, principal: context.principal, byCode: byCode),
                              staffLink: context.principal?.isStaff == true, fieldLabel: c.field.flatMap { catalog.item(c.itemCode)?.field($0)?.label },
                              hasFiles: !c.attachments.isEmpty)
        return withCSRFCookie(renderer.page("case", model, title: "\(c.kind.label)第 \(c.id) 号", env: env, context: context, status: status), token, context)
    }

    struct TrackModel { var csrf: String; var error: String?; var id: String; var code: String }

    @Sendable func track(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        let id = q.get("id") ?? "", code = q.get("code") ?? ""
        if let n = Int64(id), !code.isEmpty || context.principal != nil, let c = await findCase(n, code: code, context: context) {
            return try await casePage(c, code: code.isEmpty ? nil : code, request: request, context: context)
        }
        let error = id.isEmpty && code.isEmpty ? nil : "编号或查询码不正确（查询码在提交成功的页面上，形如 ABCD-EFGH-JKLM）"
        return renderer.page("track", TrackModel(csrf: "", error: error, id: id, code: code), title: "办理进度查询", env: env, context: context,
                             status: error == nil ? .ok : .notFound)
    }

    @Sendable func trackAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData.read(request, limit: 1 << 16)
        let code = (form["code"] ?? "").nilIfEmpty
        guard let c = await findCase(context.parameters.get("id").flatMap { Int64($0) }, code: code, context: context) else {
            throw DomainError.notFound(what: "该申请（或查询码不正确）")
        }
        do {
            let action = try RightsController.action(context.parameters.get("action") ?? "", note: nil, reason: form["reason"], reply: nil, approve: nil, values: nil)
            let byCode = try await RightsController.holdsCode(code, for: c, env: env)
            _ = try await RightsController.take(action, in: c, env: env, context: context, byCode: byCode)
            return .redirect(to: "/track?id=\(c.id)" + (code.map { "&code=\($0)" } ?? ""), type: .normal)
        } catch let e as DomainError where e.isCorrectable || Problem.from(e).status == .forbidden {
            return try await casePage(c, code: code, request: request, context: context, error: e.message, status: Problem.from(e).status)
        }
    }

    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let c = await findCase(context.parameters.get("id").flatMap { Int64($0) }, code: RightsController.queryCode(request), context: context),
              let fid = context.parameters.get("file").flatMap({ Int64($0) }),
              let f = try await env.store.caseFile(caseID: c.id, fileID: fid) else { throw DomainError.notFound(what: "该材料") }
        if let p = context.principal {
            try await env.store.recordAccess(actor: p.auditLabel, action: "GET /rights/{id}/files/{file}", subjectID: c.subjectID, detail: "case:\(c.id) file:\(fid)")
        }
        let ascii = f.name.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\"" } ? f.name : "attachment"
        return Response(status: .ok, headers: [.contentType: f.contentType, .contentDisposition: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(f.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
                                               .cacheControl: "private, no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: f.data)))
    }

    // MARK: The subject's own pages

    static func subjectUser(_ context: AppRequestContext) throws -> (Principal, Int64) {
        guard let p = context.principal else { throw DomainError.unauthenticated("请先以信用主体账号登录") }
        guard p.role == .subjectUser, let s = p.subjectID else { throw DomainError.forbidden("本页面供信用主体本身使用；工作人员请在工作台查看") }
        return (p, s)
    }

    struct MeModel {
        struct Line {
            var id: Int64; var itemName: String; var title: String; var department: String; var decisionDate: String?; var publicUntil: String?
            var basis: String; var state: String; var isPublic: Bool; var disputed: Bool; var repair: String?; var canRepair: Bool
        }
        struct CaseLine { var id: Int64; var kind: String; var status: String; var filedOn: String; var due: String?; var reply: String? }
        var name: String; var code: String; var records: [Line]; var hasRecords: Bool; var cases: [CaseLine]; var hasCases: Bool
        var inbox: [InboxLine]; var hasInbox: Bool
    }
    struct InboxLine { var at: String; var title: String; var body: String; var link: String?; var unread: Bool }

    func archive(subjectID: Int64) async throws -> (Subject, [(CreditRecord, RecordViews.Record, RepairEligibility?)]) {
        guard let subject = try await env.store.subject(id: subjectID) else { throw DomainError.notFound(what: "绑定的信用主体") }
        let desk = try await RightsController.desk(env)
        let views = RecordViews(catalog: desk.catalog, departments: try await env.store.departments())
        var out: [(CreditRecord, RecordViews.Record, RepairEligibility?)] = []
        for r in try await env.store.records(subjectID: subjectID).sorted(by: { ($0.window.decisionDate?.description ?? "") > ($1.window.decisionDate?.description ?? "") }) {
            guard let v = views.record(r, today: env.today()) else { continue }
            let e = try await desk.eligibility(of: r)
            out.append((r, v, e.reasons.first?.hasSuffix("无需信用修复") == true ? nil : e))
        }
        return (subject, out)
    }

    static func state(_ r: CreditRecord, _ v: RecordViews.Record, today: CivilDate) -> String {
        if r.status == .revoked { return "已撤销" }
        if let e = v.ended { return e }
        if v.isPublic { return "公示中" }
        if let until = r.window.until, until <= today { return "公示期已届满" }
        return r.window.publishable ? "尚未公示" : "不公开（仅本人和依法授权的部门可见）"
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (p, sid) = try Self.subjectUser(context)
        let (subject, archive) = try await archive(subjectID: sid)
        try await env.store.recordAccess(actor: p.auditLabel, action: "GET /me", subjectID: sid, detail: "本主体查看完整信用档案")
        let today = env.today()
        let cases = try await env.store.rightsCases(kind: nil, department: nil, subjectID: sid, recordID: nil, open: nil, limit: 200)
        let audiences = ["subject:\(sid)"]
        let inbox = try await env.store.inbox(audiences: audiences, limit: 50)
        try await env.store.markRead(audiences: audiences)
        let model = MeModel(
            name: subject.name, code: IdentifierValidator.masked(subject.code),
            records: archive.map { r, v, e in
                .init(id: r.id, itemName: v.itemName, title: v.title, department: v.department, decisionDate: v.decisionDate, publicUntil: v.publicUntil,
                      basis: v.basis, state: Self.state(r, v, today: today), isPublic: v.isPublic, disputed: v.disputed, repair: e?.summary,
                      canRepair: e?.eligible == true)
            },
            hasRecords: !archive.isEmpty,
            cases: cases.map { .init(id: $0.id, kind: $0.kind.label, status: $0.status.label, filedOn: $0.filedOn, due: $0.pending?.due, reply: $0.reply) },
            hasCases: !cases.isEmpty,
            inbox: inbox.map(Self.inboxLine), hasInbox: !inbox.isEmpty)
        return renderer.page("me", model, title: "我的信用档案", env: env, context: context)
    }

    static func inboxLine(_ e: InboxEntry) -> InboxLine {
        InboxLine(at: Self.stamp(e.at), title: e.title, body: e.body, link: e.link, unread: !e.read)
    }

    static func stamp(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "zh_CN"); f.timeZone = TimeZone(identifier: "Asia/Shanghai"); f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: d)
    }

    struct RepairModel {
        var csrf: String; var error: String?; var id: Int64; var itemName: String; var title: String; var e: RepairEligibility
        var eligible: Bool; var summary: String; var reasons: [String]; var conditions: [String]; var ruleSet: String
        var commitment: String; var form: [String: String]
    }

    func repairPage(_ request: Request, _ context: AppRequestContext, error: String? = nil, form: [String: String] = [:],
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let (_, sid) = try Self.subjectUser(context)
        guard let id = context.parameters.get("id").flatMap({ Int64($0) }), let r = try await env.store.creditRecord(id: id), r.subjectID == sid else {
            throw DomainError.notFound(what: "本主体的该记录")
        }
        let desk = try await RightsController.desk(env)
        let item = desk.catalog.item(r.itemCode)
        let e = try await desk.eligibility(of: r)
        let subjectName = item?.subject.flatMap { r.fields[$0.name] } ?? ""
        let model = RepairModel(csrf: context.csrfToken ?? "", error: error, id: r.id, itemName: item?.name ?? r.itemCode,
                                title: item?.naturalKey.first.flatMap { r.fields[$0] } ?? "", e: e, eligible: e.eligible, summary: e.summary,
                                reasons: e.reasons, conditions: e.conditions, ruleSet: e.ruleSet,
                                commitment: RightsProcedure.commitmentText(subject: subjectName), form: form)
        return renderer.page("repair_form", model, title: "申请信用修复", env: env, context: context, status: status)
    }

    @Sendable func repairForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await repairPage(request, context)
    }

    @Sendable func fileRepair(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (p, sid) = try Self.subjectUser(context)
        let form = try await Self.multipart(request, signedIn: true)
        do {
            guard let id = context.parameters.get("id").flatMap({ Int64($0) }), let r = try await env.store.creditRecord(id: id), r.subjectID == sid else {
                throw DomainError.notFound(what: "本主体的该记录")
            }
            let applicant = try RightsController.applicant(p, record: r, name: form.fields["name"], contact: form.fields["contact"], kind: .repair)
            let files = try Self.files(form, names: [("proof", "履行证明"), ("proof2", "履行证明"), ("rectification", "整改材料")])
            let (shown, hash) = RightsController.newQueryCode()
            let body = RightsController.CreateBody(recordId: r.id, field: nil, proposed: nil, reason: form.fields["reason"], applicant: nil,
                                                   commitmentSigned: form.fields["commitment"] == "signed", files: nil)
            let c = try await RightsController(env: env).file(.repair, record: r, applicant: applicant, body: body, files: files, queryCodeHash: hash,
                                                             actor: p.auditLabel)
            return filed(c, code: shown, context: context)
        } catch let e as DomainError where e.isCorrectable {
            return try await repairPage(request, context, error: e.message, form: form.fields, status: Problem.from(e).status)
        }
    }

    // MARK: Inbox (staff and subjects)

    static func audiences(_ p: Principal, office: String) -> [String] {
        switch p.role {
        case .admin: ["office"] + (p.departmentCode.map { ["department:\($0)"] } ?? ["department:\(office)"])
        case .subjectUser: p.subjectID.map { ["subject:\($0)"] } ?? []
        default: p.departmentCode.map { ["department:\($0)"] } ?? []
        }
    }

    struct InboxModel { var entries: [InboxLine]; var hasEntries: Bool }

    @Sendable func inbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let p = context.principal, case .session = p.via else { throw DomainError.unauthenticated("请先登录") }
        let audiences = Self.audiences(p, office: env.officeDepartment)
        let entries = try await env.store.inbox(audiences: audiences, limit: 100)
        try await env.store.markRead(audiences: audiences)
        return renderer.page("inbox", InboxModel(entries: entries.map(Self.inboxLine), hasEntries: !entries.isEmpty), title: "消息", env: env, context: context)
    }

    // MARK: Console

    struct QueueModel {
        struct Line {
            var id: Int64; var kind: String; var subject: String; var item: String; var department: String; var status: String
            var filedOn: String; var due: String?; var dueLabel: String?; var overdue: Bool; var marked: Bool
        }
        var chooseDepartment: Bool; var open: [Line]; var hasOpen: Bool; var overdueCount: Int?; var closed: [Line]; var hasClosed: Bool
        var unread: Int?
    }

    @Sendable func queue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try ConsoleController.staff(context)
        let department = p.role == .admin ? nil : p.departmentCode ?? "-"
        let today = env.today()
        let catalog = try await env.store.catalog()
        let names = Dictionary(try await env.store.departments().map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let cases = try await env.store.rightsCases(kind: nil, department: department, subjectID: nil, recordID: nil, open: nil, limit: 500)
        try await env.store.recordAccess(actor: p.auditLabel, action: "GET /console/rights", entries: cases.map { ($0.subjectID, "case:\($0.id)（列表）") })
        func line(_ c: RightsCase) -> QueueModel.Line {
            .init(id: c.id, kind: c.kind.label, subject: c.subjectName, item: catalog.item(c.itemCode)?.name ?? c.itemCode,
                  department: names[c.department] ?? c.department, status: c.status.label, filedOn: c.filedOn, due: c.pending?.due,
                  dueLabel: c.pending?.label, overdue: c.isOverdue(on: today), marked: c.marked)
        }
        // Overdue first (escalated), then by deadline.
        let open = cases.filter(\.status.isOpen).map(line).sorted { ($0.overdue ? 0 : 1, $0.due ?? "") < ($1.overdue ? 0 : 1, $1.due ?? "") }
        let closed = cases.filter { !$0.status.isOpen }.prefix(100).map(line)
        let unread = try await env.store.unreadCount(audiences: Self.audiences(p, office: env.officeDepartment))
        return renderer.page("console_rights", QueueModel(chooseDepartment: p.role == .admin, open: open, hasOpen: !open.isEmpty,
                                                          overdueCount: open.filter(\.overdue).count.nonZero, closed: Array(closed), hasClosed: !closed.isEmpty,
                                                          unread: unread.nonZero),
                             title: "异议与修复", env: env, context: context)
    }

    struct ShowModel {
        var csrf: String; var error: String?; var c: RightsController.CaseView; var kindLabel: String; var isObjection: Bool
        var record: RecordViews.Record?; var fieldLabel: String?; var fields: [PublicationController.Option]
        var can: [String: Bool]; var extensionDays: Int; var chooseDepartment: Bool
        var hasFiles: Bool
    }

    func showPage(_ context: AppRequestContext, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let p = try ConsoleController.staff(context)
        guard let c = await findCase(context.parameters.get("id").flatMap { Int64($0) }, code: nil, context: context) else {
            throw DomainError.notFound(what: "该申请（或不由本部门办理）")
        }
        let catalog = try await env.store.catalog()
        let record = try await env.store.creditRecord(id: c.recordID)
        try await env.store.recordAccess(actor: p.auditLabel, action: "GET /console/rights/{id}", subjectID: c.subjectID, detail: "case:\(c.id)")
        let views = RecordViews(catalog: catalog, departments: try await env.store.departments())
        let item = catalog.item(c.itemCode)
        var can: [String: Bool] = [:]
        for step in RightsAction.Step.allCases where !step.byApplicant {
            can[step.rawValue] = c.allows(step) && RightsController.mayTake(step, in: c, principal: p, byCode: false)
        }
        let rules = try await env.store.rightsRules()
        let model = ShowModel(csrf: context.csrfToken ?? "", error: error, c: RightsController.view(c, today: env.today()), kindLabel: c.kind.label,
                              isObjection: c.kind == .objection, record: record.flatMap { views.record($0, today: env.today()) },
                              fieldLabel: c.field.flatMap { item?.field($0)?.label },
                              fields: (item?.displayFields ?? []).filter { f in !(item?.naturalKey.contains(f.name) ?? false) }
                                .map { .init(value: $0.name, label: $0.label, selected: $0.name == c.field) },
                              can: can, extensionDays: rules.objection.extensionWorkdays, chooseDepartment: p.role == .admin,
                              hasFiles: !c.attachments.isEmpty)
        return renderer.page("console_right", model, title: "\(c.kind.label)第 \(c.id) 号", env: env, context: context, status: status)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await showPage(context)
    }

    @Sendable func act(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try ConsoleController.staff(context)
        let form = try await FormData.read(request, limit: 1 << 17)
        guard let c = await findCase(context.parameters.get("id").flatMap { Int64($0) }, code: nil, context: context) else {
            throw DomainError.notFound(what: "该申请（或不由本部门办理）")
        }
        do {
            var values: [String: String] = [:]
            if let f = form["field"], !f.isEmpty { values[f] = form["value"] ?? "" }
            let action = try RightsController.action(context.parameters.get("action") ?? "", note: form["note"], reason: form["reason"],
                                                     reply: form["reply"], approve: form["approve"].map { $0 == "yes" }, values: values)
            _ = try await RightsController.take(action, in: c, env: env, context: context, byCode: false)
            return .redirect(to: "/console/rights/\(c.id)", type: .normal)
        } catch let e as DomainError where e.isCorrectable {
            return try await showPage(context, error: e.message, status: Problem.from(e).status)
        }
    }

    /// The 信用修复告知书 for a record, to print and serve with the decision (两书同达).
    @Sendable func notice(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try ConsoleController.staff(context)
        return try await RightsController(env: env).repairNotice(request, context: context)
    }
}
