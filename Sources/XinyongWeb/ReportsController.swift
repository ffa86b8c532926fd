import Foundation
import Hummingbird
import Mustache
import XinyongCore
import XinyongLedger

/// Credit reports: issued signed with their evidence from the transparency log (API and the
/// subject's pages), shown as a printable A4 document, printed to PDF by headless Chromium,
/// downloaded as JSON, and verified by code or by file on the public `/verify` page.
struct ReportsController {
    let env: WebEnvironment
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.post("api/v1/reports", use: create)
        router.get("api/v1/reports/status", use: status)
        router.post("api/v1/reports/verify", use: verifyAPI)
        router.get("api/v1/reports/:number", use: json)
        router.get("/me/reports", use: requestForm)
        router.post("/me/reports", use: requestReport)
        router.get("/console/reports", use: requestForm)
        router.post("/console/reports", use: requestReport)
        router.get("/me/report", use: { _, _ in Response.redirect(to: "/me/reports", type: .permanent) })
        router.get("/reports/:number", use: document)
        router.get("/reports/:number/report.json", use: json)
        router.get("/reports/:number/report.pdf", use: pdf)
        router.get("/verify", use: verifyPage)
        router.post("/verify", use: verifyUpload)
    }

    func reportStore() -> (any ReportStore)? { env.reports?.store }

    func desk() throws -> ReportDesk {
        guard let d = env.reports else { throw DomainError.unavailable("本平台未启用透明日志，暂不能出具可验证的信用报告") }
        return d
    }

    // MARK: Issuing

    struct CreateBody: Decodable {
        var subject: String?
        var kind: String?
        var from: String?
        var to: String?
        var sections: [String]?
    }

    /// Who may have which report: the subject itself every kind; the credit office public and
    /// special reports of any organisation (at its counter, for the subject); departments and
    /// connected systems public reports of organisations. The full report is the subject's alone.
    func authorize(_ p: Principal, subject: Subject, kind: ReportKind) throws {
        if p.role == .subjectUser {
            guard p.subjectID == subject.id else { throw DomainError.forbidden("信用主体账号只能获取本主体的信用报告") }
            return
        }
        switch kind {
        case .full: throw DomainError.forbidden("完整信用报告含依法不公开的信息，只能由信用主体本人获取")
        case .special where p.role != .admin: throw DomainError.forbidden("专项信用报告由信用主体本人获取，或由信用办窗口代为出具")
        default: break
        }
    }

    func issue(_ p: Principal, subject: Subject, kind: ReportKind, from: String?, to: String?, sections: [String]) async throws -> IssuedReport {
        try authorize(p, subject: subject, kind: kind)
        var span: ClosedRange<CivilDate>?
        if kind == .special, (from ?? "").isEmpty == false || (to ?? "").isEmpty == false {
            guard let a = from.flatMap({ CivilDate($0) }) else { throw DomainError.invalid(field: "from", reason: "起始日期应为 2024-01-01 的形式") }
            guard let b = to.flatMap({ CivilDate($0) }) else { throw DomainError.invalid(field: "to", reason: "截止日期应为 2024-12-31 的形式") }
            guard a <= b else { throw DomainError.invalid(field: "from", reason: "起始日期不能晚于截止日期") }
            span = a...b
        }
        let known = Set(ReportScope.specialSections.map(\.code))
        if kind == .special, let bad = sections.first(where: { !known.contains($0) }) {
            throw DomainError.invalid(field: "sections", reason: "未知的报告内容“\(bad)”，可选：\(ReportScope.specialSections.map { "\($0.code)（\($0.name)）" }.joined(separator: "、"))")
        }
        let views = RecordViews(catalog: try await env.checkRules.current(store: env.store).catalog, departments: try await env.store.departments())
        let today = env.today()
        let result = try await desk().issue(.init(subject: subject, kind: kind, span: span, sections: kind == .special ? sections : [],
                                                  requestedBy: p.auditLabel), today: today) { r in
            guard let v = views.record(r, today: today) else { return nil }
            return .init(title: v.title, itemName: v.itemName, department: v.department, facts: v.facts.map { .init(label: $0.label, value: $0.value) },
                         state: RightsPagesController.state(r, v, today: today))
        }
        if kind != .publicInfo || p.subjectID != subject.id {
            try await env.store.recordAccess(actor: p.auditLabel, action: "POST /api/v1/reports", subjectID: subject.id,
                                             detail: "出具\(kind.label) \(result.number)")
        }
        return result
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try context.require(Set(Role.allCases))
        let body = try await request.decodeBody(CreateBody.self, context: context,
                                                expected: "JSON：{\"subject\": 统一社会信用代码, \"kind\": \"public|special|full\", \"from\", \"to\", \"sections\": [...]}")
        guard let kind = ReportKind(rawValue: body.kind ?? "public") else {
            throw DomainError.invalid(field: "kind", reason: "报告种类应为 public（公共信用信息报告）、special（专项信用报告）或 full（完整信用报告）")
        }
        let subject: Subject
        if p.role == .subjectUser, let sid = p.subjectID, (body.subject ?? "").isEmpty {
            guard let s = try await env.store.subject(id: sid) else { throw DomainError.notFound(what: "绑定的信用主体") }
            subject = s
        } else {
            guard let code = body.subject?.trimmingCharacters(in: .whitespaces), !code.isEmpty else {
                throw DomainError.invalid(field: "subject", reason: "请给出信用主体的统一社会信用代码")
            }
            guard let s = try await env.store.subject(code: code.uppercased()) else { throw DomainError.notFound(what: "该信用主体") }
            subject = s
        }
        let issued = try await issue(p, subject: subject, kind: kind, from: body.from, to: body.to, sections: body.sections ?? [])
        return Response(status: .created, headers: [.contentType: "application/json; charset=utf-8", .location: "/api/v1/reports/\(issued.number)"],
                        body: .init(byteBuffer: ByteBuffer(bytes: issued.body)))
    }

    // MARK: Reading a report

    /// The report with this number, for its subject, the credit office, whoever had it issued, or
    /// anyone holding its verification code.
    func readable(_ request: Request, _ context: AppRequestContext) async throws -> IssuedReport {
        let notFound = DomainError.notFound(what: "该信用报告（或无权查看）")
        guard let number = context.parameters.get("number"), number.count < 40,
              let r = try await reportStore()?.issuedReport(number: number, code: nil) else { throw notFound }
        if let code = request.uri.queryParameters.get("code").flatMap({ ReportCodes.normalize(String($0)) }), code == r.code { return r }
        guard let p = context.principal else { throw notFound }
        if p.role == .subjectUser && p.subjectID == r.subjectID { return r }
        if p.auditLabel == r.requestedBy { return r }
        if p.role == .admin {
            try await env.store.recordAccess(actor: p.auditLabel, action: "GET /reports/{number}", subjectID: r.subjectID, detail: "查看信用报告 \(r.number)")
            return r
        }
        throw notFound
    }

    @Sendable func json(_ request: Request, context: AppRequestContext) async throws -> Response {
        let r = try await readable(request, context)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "private, no-store",
                                               .contentDisposition: "attachment; filename=\"\(r.number).json\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: r.body)))
    }

    struct DocumentModel {
        struct Section { var ordinal: String; var name: String; var statement: String?; var records: [CreditReport.Record] }
        struct Absence { var ordinal: String; var size: String; var othersCount: Int }
        var title: String; var number: String; var issued: String; var validUntil: String; var verificationCode: String; var issuer: String
        var qr: String; var subject: CreditReport.Subject; var spanText: String?; var scope: String; var sections: [Section]; var absence: Absence?
        var verifyUrl: String; var checkpointOrigin: String; var checkpointSize: String; var rootHash: String; var verifierKey: String
        var pdfLink: String; var jsonLink: String; var back: String; var styles: String
    }

    /// `2026-11-23T11:13:44+08:00` as people read it (the platform's times are Beijing time).
    static func readableTime(_ iso: String) -> String {
        iso.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "+08:00", with: "")
    }

    static let ordinals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四"]

    func documentHTML(_ report: CreditReport, code: String?, back: String, inlineStyles: Bool = false) throws -> String {
        let cp = try? Checkpoint(body: SignedNote(report.checkpoint).text)
        let scope = switch ReportKind(rawValue: report.kind) ?? .publicInfo {
        case .publicInfo: "本报告列出截至出具时在公示期内的公开信用信息；依法不公开的信息和公示期已届满、已信用修复的信息不列入。"
        case .special: "本报告替代有无违法违规记录证明（发改财金〔2025〕565号），列出所选期间内仍然有效的行政处罚（含简易程序）、行政强制、严重失信主体名单和刑事裁判记录，无记录的明确说明。"
        case .full: "本报告由信用主体本人获取，列出本平台归集的本主体全部有效信用记录（含依法不公开的记录），仅供本主体使用。"
        }
        var n = 1
        let sections = report.sections.map { s -> DocumentModel.Section in
            n += 1
            return .init(ordinal: Self.ordinals[min(n - 1, Self.ordinals.count - 1)], name: s.name, statement: s.statement, records: s.records)
        }
        let absence = report.absence.map { DocumentModel.Absence(ordinal: Self.ordinals[min(n, Self.ordinals.count - 1)], size: String($0.size),
                                                                 othersCount: $0.others.count) }
        let model = DocumentModel(
            title: report.title, number: report.number, issued: Self.readableTime(report.issuedAt),
            validUntil: report.validUntil, verificationCode: report.verificationCode, issuer: report.issuer.name,
            qr: (try? QRCode(report.verifyUrl).svg()) ?? "", subject: report.subject, spanText: report.span.map { "\($0.from) 至 \($0.to)" },
            scope: scope, sections: sections, absence: absence, verifyUrl: report.verifyUrl, checkpointOrigin: cp?.origin ?? "",
            checkpointSize: cp.map { String($0.size) } ?? "", rootHash: cp.map { Hex.encode($0.rootHash) } ?? "", verifierKey: report.issuer.verifierKey,
            // The links keep the verification code, so whoever opened the report by its code can download it.
            pdfLink: "/reports/\(report.number)/report.pdf" + (code.map { "?code=\($0)" } ?? ""),
            jsonLink: "/reports/\(report.number)/report.json" + (code.map { "?code=\($0)" } ?? ""), back: back,
            styles: inlineStyles ? "<style>\n\(Assets.reportCSS)</style>" : "<link rel=\"stylesheet\" href=\"\(Assets.reportStylesheet.versionedPath)\">")
        return renderer.library.render(PageRenderer.tree(model) ?? [String: Any](), withTemplate: "report_document") ?? ""
    }

    @Sendable func document(_ request: Request, context: AppRequestContext) async throws -> Response {
        let r = try await readable(request, context)
        let report = try CreditReport.decoder.decode(CreditReport.self, from: Data(r.body))
        let code = request.uri.queryParameters.get("code").flatMap { ReportCodes.normalize(String($0)) }
        let html = try documentHTML(report, code: code, back: context.principal?.role == .subjectUser ? "/me/reports" : "/verify")
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "private, no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    @Sendable func pdf(_ request: Request, context: AppRequestContext) async throws -> Response {
        let r = try await readable(request, context)
        let report = try CreditReport.decoder.decode(CreditReport.self, from: Data(r.body))
        let html = try documentHTML(report, code: nil, back: "/", inlineStyles: true)
        let pdf = try await PDFPrinter.shared.render(html: html, browser: env.pdfBrowser)
        return Response(status: .ok, headers: [.contentType: "application/pdf", .cacheControl: "private, no-store",
                                               .contentDisposition: "attachment; filename=\"\(r.number).pdf\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: pdf)))
    }

    // MARK: The subject's request form

    struct RequestModel {
        struct Kind { var value: String; var label: String; var hint: String; var checked: Bool }
        var csrf: String; var error: String?; var office: Bool; var subjectName: String?; var subjectCode: String?; var action: String; var crumbs: String
        var validDays: Int; var kinds: [Kind]; var from: String; var to: String; var sections: [ReportScope.Section]
        struct Issued { var number: String; var kind: String; var issued: String; var validUntil: String; var expired: Bool }
        struct IssuedList { var items: [Issued] }
        /// The subject's earlier reports (shown only when there are some).
        var issued: IssuedList?
    }

    /// The form: for a subject, its own reports; at the credit office's counter (`/console/reports`),
    /// public and special reports of any organisation, issued on the subject's behalf.
    func requestPage(_ request: Request, _ context: AppRequestContext, error: String? = nil, form: FormData? = nil,
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let office = request.uri.path.hasPrefix("/console")
        var subject: Subject?
        if office {
            _ = try context.require([.admin])
        } else {
            let (_, sid) = try RightsPagesController.subjectUser(context)
            guard let s = try await env.store.subject(id: sid) else { throw DomainError.notFound(what: "绑定的信用主体") }
            subject = s
        }
        let person = subject?.kind.isNaturalPerson == true
        let chosen = form?["kind"] ?? (person ? "full" : "special")
        var kinds: [RequestModel.Kind] = [
            .init(value: "special", label: ReportKind.special.label + "（替代有无违法违规记录证明）", hint: "行政处罚（含简易程序）、行政强制、严重失信主体名单、刑事裁判，可选期间和内容，无记录的明确说明", checked: chosen == "special"),
            .init(value: "public", label: ReportKind.publicInfo.label, hint: "公示期内的全部公开信用信息，可交给合作方查看", checked: chosen == "public"),
            .init(value: "full", label: ReportKind.full.label, hint: "含依法不公开的记录，仅供本主体使用", checked: chosen == "full"),
        ]
        if person { kinds.removeAll { $0.value == "public" } }
        if office { kinds.removeAll { $0.value == "full" } }
        let today = env.today()
        var issued: [RequestModel.Issued] = []
        if let subject, let store = reportStore() {
            issued = try await store.issuedReports(subjectID: subject.id, limit: 20).map {
                .init(number: $0.number, kind: $0.kind.label, issued: RightsPagesController.stamp($0.issuedAt), validUntil: $0.validUntil.description,
                      expired: $0.validUntil < today)
            }
        }
        let model = RequestModel(
            csrf: context.csrfToken ?? "", error: error, office: office, subjectName: subject?.name, subjectCode: office ? (form?["subject"] ?? "") : nil,
            action: office ? "/console/reports" : "/me/reports",
            crumbs: office ? "<a href=\"/console\">工作台</a>" : "<a href=\"/me\">我的信用档案</a>",
            validDays: env.reports?.validDays ?? 30, kinds: kinds, from: form?["from"] ?? today.adding(days: -3 * 365).description,
            to: form?["to"] ?? today.description, sections: ReportScope.specialSections, issued: issued.isEmpty ? nil : .init(items: issued))
        return renderer.page("report_request", model, title: office ? "窗口出具信用报告" : "获取信用报告", env: env, context: context, status: status)
    }

    @Sendable func requestForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await requestPage(request, context)
    }

    @Sendable func requestReport(_ request: Request, context: AppRequestContext) async throws -> Response {
        let office = request.uri.path.hasPrefix("/console")
        let p: Principal
        var subjectID: Int64?
        if office {
            p = try context.require([.admin])
        } else {
            let user = try RightsPagesController.subjectUser(context)
            (p, subjectID) = (user.0, user.1)
        }
        let form = try await FormData.read(request)
        do {
            let found: Subject?
            if let subjectID {
                found = try await env.store.subject(id: subjectID)
            } else {
                let code = (form["subject"] ?? "").trimmingCharacters(in: .whitespaces).uppercased()
                guard !code.isEmpty else { throw DomainError.invalid(field: "subject", reason: "请输入信用主体的统一社会信用代码") }
                found = try await env.store.subject(code: code)
            }
            guard let subject = found else { throw DomainError.invalid(field: "subject", reason: "本平台没有该统一社会信用代码的信用主体，请核对") }
            guard let kind = ReportKind(rawValue: form["kind"] ?? "") else { throw DomainError.invalid(field: "kind", reason: "请选择报告种类") }
            let sections = form.values("sections")
            if kind == .special && sections.isEmpty { throw DomainError.invalid(field: "sections", reason: "请至少选择一项专项信用报告的内容") }
            let issued = try await issue(p, subject: subject, kind: kind, from: form["from"], to: form["to"], sections: sections)
            return .redirect(to: "/reports/\(issued.number)", type: .normal)
        } catch let e as DomainError where e.isCorrectable {
            return try await requestPage(request, context, error: e.message, form: form, status: Problem.from(e).status)
        }
    }

    // MARK: Verification

    /// Whether the report is still current: each record as the platform holds it now, and records
    /// added since for the same report (counted only).
    func changes(_ report: CreditReport, subjectID: Int64) async throws -> [String] {
        var out: [String] = []
        let today = env.today()
        // One read of the subject's records; a record since linked to another subject is read by id.
        let records = try await env.store.records(subjectID: subjectID)
        let byID = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for r in report.allRecords {
            var current = byID[r.record]
            if current == nil { current = try await env.store.creditRecord(id: r.record) }
            guard let now = current else { out.append("记录“\(r.title)”已不在本平台"); continue }
            if now.status == .revoked { out.append("记录“\(r.title)”已被撤销") }
            else if let reason = now.endReason { out.append("记录“\(r.title)”\(reason.label)（\(now.endedOn?.description ?? "")）") }
            else if now.version != r.version { out.append("记录“\(r.title)”已更正（现为第 \(now.version) 版）") }
            else if let until = now.window.until, until <= today, report.kind != ReportKind.full.rawValue {
                out.append("记录“\(r.title)”的公示期已于 \(until.adding(days: -1)) 届满")
            }
        }
        if let kind = ReportKind(rawValue: report.kind) {
            let shown = Set(report.allRecords.map(\.record))
            let span = report.span.flatMap { s in CivilDate(s.from).flatMap { a in CivilDate(s.to).map { a...$0 } } }
            let sections = ReportScope.sections(kind: kind, chosen: report.sections.map(\.code))
            let issued = ISO8601DateFormatter().date(from: report.issuedAt) ?? .distantPast
            let added = records.filter { r in
                !shown.contains(r.id) && r.receivedAt > issued && sections.contains { ReportScope.includes(r, in: $0, kind: kind, on: today, span: span) }
            }
            if !added.isEmpty { out.append("报告出具后，该主体新增 \(added.count) 条属于本报告范围的记录") }
        }
        return out
    }

    struct Outcome: Encodable {
        var genuine: Bool; var issuedHere: Bool; var expired: Bool; var current: Bool
        var number: String?; var title: String?; var subjectName: String?; var issued: String?; var validUntil: String?
        var changes: [String]; var checks: [ReportVerification.Check]
        var verdict: String; var verdictClass: String; var summary: String

        /// No report to speak of (unknown code, no file, unreadable request).
        static func refused(_ verdict: String, _ summary: String) -> Outcome {
            Outcome(genuine: false, issuedHere: false, expired: false, current: false, changes: [], checks: [],
                    verdict: verdict, verdictClass: "bad", summary: summary)
        }
    }

    /// `stored`: the platform's copy when the caller already has it (verification by code).
    func outcome(_ v: ReportVerification, stored known: IssuedReport? = nil) async throws -> Outcome {
        var stored = known
        if stored == nil, let r = v.report { stored = try await reportStore()?.issuedReport(number: r.number, code: nil) }
        var checks = v.checks
        if let r = v.report {
            checks.append(.init(name: "签发记录", ok: stored != nil && stored?.code == r.verificationCode,
                                detail: stored == nil ? "本平台没有签发编号为 \(r.number) 的报告" : stored?.code == r.verificationCode ? "本平台签发了该编号的报告" : "验证码与本平台签发记录不符"))
        }
        var changes: [String] = []
        if let r = v.report, let stored { changes = try await self.changes(r, subjectID: stored.subjectID) }
        let genuine = v.genuine && checks.allSatisfy(\.ok)
        let current = genuine && !v.expired && changes.isEmpty
        let (verdict, cls, summary): (String, String, String) =
            !genuine ? ("报告无效", "bad", "报告未通过验证：\(checks.first { !$0.ok }?.detail ?? "格式错误")。请向报告提供方核实。")
            : v.expired ? ("报告真实，但已过有效期", "warn", "报告由本平台签发且未被改动，但已超过有效期（\(v.report?.validUntil ?? "")），请重新获取。")
            : !changes.isEmpty ? ("报告真实，但内容已有变化", "warn", "报告由本平台签发且未被改动，但其中的信息在出具后发生了变化，请以最新报告为准。")
            : ("报告真实有效", "ok", "报告由本平台签发，内容未被改动，在有效期内，记录至今没有变化。")
        return Outcome(genuine: genuine, issuedHere: stored != nil, expired: v.expired, current: current, number: v.report?.number,
                       title: v.report?.title, subjectName: v.report?.subject.name, issued: v.report.map { Self.readableTime($0.issuedAt) },
                       validUntil: v.report?.validUntil, changes: changes, checks: checks, verdict: verdict, verdictClass: cls, summary: summary)
    }

    func keys() async throws -> [String] {
        guard let ledger = env.ledger else { throw DomainError.unavailable("本平台未启用透明日志") }
        return try await ledger.ledgerKeys()
    }

    func verify(bytes: [UInt8], stored: IssuedReport? = nil) async throws -> Outcome {
        try await outcome(ReportVerifier.verify(bytes, trustedKeys: try await keys(), today: env.today()), stored: stored)
    }

    func verify(code raw: String) async throws -> Outcome {
        guard let code = ReportCodes.normalize(raw) else {
            throw DomainError.invalid(field: "code", reason: "验证码应为 8 位字母或数字（如 7K3M-Q9XD）")
        }
        guard let stored = try await reportStore()?.issuedReport(number: nil, code: code) else {
            return .refused("查无此报告", "本平台没有签发验证码为 \(code) 的信用报告。请核对验证码，或向报告提供方核实。")
        }
        return try await verify(bytes: stored.body, stored: stored)
    }

    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        try CatalogController.json(try await verify(code: request.uri.queryParameters.get("code").map { String($0) } ?? ""))
    }

    @Sendable func verifyAPI(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 8 << 20)
        return try CatalogController.json(try await verify(bytes: Array(body.readableBytesView)))
    }

    struct VerifyModel {
        struct Items<T> { var items: [T] }
        var csrf: String; var code: String; var result: Outcome?; var verifierKey: String
        /// Lists shown under a heading only when they have something.
        var changeList: Items<String>?; var checkList: Items<ReportVerification.Check>?
    }

    func verifyView(_ request: Request, _ context: AppRequestContext, code: String, result: Outcome?, status: HTTPResponse.Status = .ok) -> Response {
        let rights = RightsPagesController(env: env, renderer: renderer)
        let token = rights.csrf(request, context)
        let model = VerifyModel(csrf: token, code: code, result: result, verifierKey: env.ledgerVerifierKey ?? "",
                                changeList: (result?.changes).flatMap { $0.isEmpty ? nil : .init(items: $0) },
                                checkList: (result?.checks).flatMap { $0.isEmpty ? nil : .init(items: $0) })
        let page = renderer.page("verify", model,
                                 title: "信用报告验证", env: env, context: context, status: status)
        return rights.withCSRFCookie(page, token, context)
    }

    @Sendable func verifyPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let code = request.uri.queryParameters.get("code").map({ String($0) }), !code.isEmpty else {
            return verifyView(request, context, code: "", result: nil)
        }
        do {
            return verifyView(request, context, code: code, result: try await verify(code: code))
        } catch let e as DomainError where e.isCorrectable {
            return verifyView(request, context, code: code, result: .refused("无法验证", e.message), status: Problem.from(e).status)
        }
    }

    @Sendable func verifyUpload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await RightsPagesController.multipart(request, limit: 8 << 20, tooLarge: (field: "report", reason: "报告文件过大（不超过 8 MB）"))
        guard let file = form.files["report"], file.data.readableBytes > 0 else {
            return verifyView(request, context, code: "", result: .refused("没有收到文件", "请选择报告 JSON 文件后再提交。"), status: .badRequest)
        }
        return verifyView(request, context, code: "", result: try await verify(bytes: Array(file.data.readableBytesView)))
    }
}

