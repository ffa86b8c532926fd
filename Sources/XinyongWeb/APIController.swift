import Foundation
import Hummingbird
import Logging
import XinyongCore

/// The JSON API under `/api/v1` and the health check.
struct APIController {
    let env: WebEnvironment

    func register(on router: Router<AppRequestContext>) {
        router.get("/healthz", use: health)
        let api = router.group("api/v1")
        api.get("identifiers/:code", use: identifier)
        api.get("subjects", use: searchSubjects)
        api.get("subjects/:code", use: subject)
        api.get("subjects/:code/records", use: subjectRecords)
        api.post("subjects", use: createSubject)
        api.put("subjects/:code", use: updateSubject)
        api.get("me", use: me)
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            try await env.store.ping()
        } catch {
            context.logger.error("健康检查：数据库不可达", metadata: ["error.type": .string(String(reflecting: type(of: error)))])
            throw DomainError.unavailable("数据库不可达")
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }

    static func pathCode(_ context: AppRequestContext) throws -> String {
        let raw = try context.parameters.require("code")
        return raw.removingPercentEncoding ?? raw
    }

    @Sendable func identifier(_ request: Request, context: AppRequestContext) async throws -> IdentifierCheckDTO {
        IdentifierCheckDTO(check: env.validator.check(try Self.pathCode(context), today: env.today()))
    }

    @Sendable func subject(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = IdentifierValidator.normalize(try Self.pathCode(context))
        guard let s = try await visibleSubject(code: code, context: context, via: "GET /api/v1/subjects/{code}") else {
            throw DomainError.notFound(what: "代码为 \(Self.safeEcho(code)) 的主体")
        }
        var response = SubjectDTO(subject: s).response(from: request, context: context)
        response.headers[.eTag] = "\"\(s.version)\""
        return response
    }

    /// `GET /api/v1/subjects/{code}/records`: the public gets the records inside their publicity
    /// window; the credit office and departments get the whole archive (revoked and expired records
    /// with their windows), and that read of non-public data is written to the access log.
    @Sendable func subjectRecords(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = IdentifierValidator.normalize(try Self.pathCode(context))
        guard let s = try await visibleSubject(code: code, context: context, via: "GET /api/v1/subjects/{code}/records") else {
            throw DomainError.notFound(what: "代码为 \(Self.safeEcho(code)) 的主体")
        }
        let today = env.today()
        let archive = context.principal.map { ConsoleController.roles.contains($0.role) } ?? false
        let records = archive ? try await env.store.records(subjectID: s.id) : try await env.store.publicRecords(subjectID: s.id, on: today)
        if archive, let p = context.principal, records.contains(where: { !$0.isPublic(on: today) }) {
            try await env.store.recordAccess(actor: p.auditLabel, action: "records.read", subjectID: s.id,
                                             detail: "GET /api/v1/subjects/{code}/records；含未公示或已过公示期的记录")
        }
        let views = RecordViews(catalog: try await env.store.catalog(), departments: try await env.store.departments())
        return JSONValue.fields([
            ("archive", .bool(archive)),
            ("records", .array(records.map { views.json($0, today: today) })),
            ("subject", .string(s.code)),
        ]).response()
    }

    /// Looks a subject up as the caller may see it: natural persons exist only for staff and for
    /// the person's own account, and every such read is written to the access log.
    func visibleSubject(code: String, context: AppRequestContext, via: String) async throws -> Subject? {
        guard let s = try await env.store.subject(code: code) else { return nil }
        guard s.kind.isNaturalPerson else { return s }
        guard let p = context.principal, p.isStaff || p.subjectID == s.id else { return nil }
        try await env.store.recordAccess(actor: p.auditLabel, action: "subject.read", subjectID: s.id,
                                         detail: "\(via)；自然人登记信息（证件号已脱敏）")
        return s
    }

    /// Echoes a code back in a message only if it is short and plain (never a full identity number).
    static func safeEcho(_ code: String) -> String {
        String(IdentifierValidator.masked(code).prefix(40))
    }

    @Sendable func searchSubjects(_ request: Request, context: AppRequestContext) async throws -> SubjectPageDTO {
        guard let query = try Self.subjectQuery(request, principal: context.principal) else {
            return SubjectPageDTO(page: Page(items: [], total: 0, page: 1, perPage: 20))
        }
        let page = try await env.store.searchSubjects(query)
        if let p = context.principal {
            try await env.store.recordAccess(actor: p.auditLabel, action: "subject.search", entries: page.items.filter(\.kind.isNaturalPerson).map {
                ($0.id, "GET /api/v1/subjects 按证件号查询自然人（证件号已脱敏）")
            })
        }
        return SubjectPageDTO(page: page)
    }

    /// Parses `q`, `kind`, `page` and `per_page`; a bad number or kind is a 422 naming the parameter.
    /// `nil` when the caller filtered to kinds it may not see (natural persons, for the public).
    static func subjectQuery(_ request: Request, principal: Principal?) throws -> SubjectQuery? {
        let params = request.uri.queryParameters
        let q = params.get("q")?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !q.isEmpty else { throw DomainError.invalid(field: "q", reason: "请提供查询参数 q（名称中的至少 2 个字，或完整的代码）") }
        func int(_ name: String, _ fallback: Int) throws -> Int {
            guard let raw = params.get(name), !raw.isEmpty else { return fallback }
            guard let v = Int(raw) else { throw DomainError.invalid(field: name, reason: "参数 \(name) 应为整数，实际为“\(raw.prefix(20))”") }
            return v
        }
        var kinds: Set<SubjectKind> = try Self.choices(params.get("kind"), field: "kind", what: "主体类型")
        if principal?.isStaff == true {
            if kinds.isEmpty { kinds = Set(SubjectKind.allCases) }   // staff may look persons up by number
        } else if kinds.remove(.naturalPerson) != nil, kinds.isEmpty {
            return nil
        }
        let statuses: Set<SubjectStatus> = try Self.choices(params.get("status"), field: "status", what: "登记状态")
        return SubjectQuery(text: q, kinds: kinds, statuses: statuses, page: try int("page", 1), perPage: try int("per_page", 20))
    }

    /// A comma-separated set of enumeration values (`kind=enterprise,individual_business`); an
    /// unknown one is a 422 listing the valid values.
    static func choices<T: RawRepresentable & CaseIterable & Hashable>(_ raw: String?, field: String, what: String) throws -> Set<T>
    where T.RawValue == String {
        var set = Set<T>()
        for part in (raw ?? "").split(separator: ",") where !part.isEmpty {
            guard let v = T(rawValue: String(part)) else {
                throw DomainError.invalid(field: field, reason: "未知的\(what)“\(part.prefix(30))”，可选：\(T.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            set.insert(v)
        }
        return set
    }

    struct SubjectWrite: Decodable {
        var kind: SubjectKind?
        var code: String?
        var name: String
        var legalRepresentative: String?
        var registeredCapitalYuan: Int64?
        var establishedOn: CivilDate?
        var industry: String?
        var regionCode: String?
        var address: String?
        var status: SubjectStatus?
        var confirmCodeCheckFailure: Bool?

        func draft(code: String) -> SubjectDraft {
            SubjectDraft(kind: kind, code: code, name: name, legalRepresentative: legalRepresentative,
                         registeredCapitalYuan: registeredCapitalYuan, establishedOn: establishedOn, industry: industry,
                         regionCode: regionCode, address: address, status: status, confirmCodeCheckFailure: confirmCodeCheckFailure)
        }
    }

    @Sendable func createSubject(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try context.require([.admin])
        let body = try await request.decodeBody(SubjectWrite.self, context: context, expected: "主体 JSON（code、name 等字段）")
        guard let code = body.code else { throw DomainError.invalid(field: "code", reason: "缺少 code（统一社会信用代码或公民身份号码）") }
        let valid = try SubjectRules.validate(body.draft(code: code), validator: env.validator, today: env.today())
        let s = try await env.store.createSubject(valid, actor: p.auditLabel)
        var response = SubjectDTO(subject: s).response(from: request, context: context)
        response.status = .created
        if !s.kind.isNaturalPerson {   // a person's URL would carry the identity number: none is given
            response.headers[.location] = "/api/v1/subjects/\(s.code)"
        }
        return response
    }

    @Sendable func updateSubject(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try context.require([.admin])
        let code = IdentifierValidator.normalize(try Self.pathCode(context))
        let body = try await request.decodeBody(SubjectWrite.self, context: context, expected: "主体 JSON（code、name 等字段）")
        if let c = body.code, IdentifierValidator.normalize(c) != code {
            throw DomainError.invalid(field: "code", reason: "请求体中的代码与地址中的代码不一致；主体代码不能修改")
        }
        var expected: Int? = nil
        if let tag = request.headers[.ifMatch] {
            guard let v = Int(tag.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))) else {
                throw DomainError.invalid(field: "If-Match", reason: "If-Match 应为 GET 返回的 ETag（版本号）")
            }
            expected = v
        }
        let valid = try SubjectRules.validate(body.draft(code: code), validator: env.validator, today: env.today())
        let s = try await env.store.updateSubject(code: code, with: valid, expectedVersion: expected, actor: p.auditLabel)
        var response = SubjectDTO(subject: s).response(from: request, context: context)
        response.headers[.eTag] = "\"\(s.version)\""
        return response
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> PrincipalDTO {
        guard let p = context.principal else { throw DomainError.unauthenticated("请先登录或提供 API 密钥") }
        return PrincipalDTO(name: p.name, role: p.role.rawValue, roleLabel: p.role.label, departmentCode: p.departmentCode)
    }
}
