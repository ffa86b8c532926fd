import Foundation
import Hummingbird
import XinyongCore
import XinyongSheets

/// `POST /api/v1/submissions`: a department's records for one catalog item, as JSON.
struct SubmissionsController {
    let env: WebEnvironment
    static let maxRecords = 10_000

    func register(on router: Router<AppRequestContext>) {
        router.group("api/v1/submissions").post("", use: submit).get(":id", use: show)
            .get(":id/rejected.csv", use: rejectedCSV).get(":id/rejected.xlsx", use: rejectedXLSX)
        router.post("api/v1/records/:item/revoke", use: revoke)
    }

    /// The department a request may act for: its own, or, for the credit office, the one named.
    static func department(of p: Principal, named: String?) throws -> String {
        if p.role == .admin {
            guard let d = named else { throw DomainError.invalid(field: "department", reason: "平台管理员代部门操作时须填写 department（部门代码）") }
            return d
        }
        guard let d = p.departmentCode else { throw DomainError.forbidden("该账号或密钥未绑定部门，不能提交或撤销信用信息") }
        if let claimed = named, claimed != d { throw DomainError.forbidden("只能以本部门（\(d)）的名义操作") }
        return d
    }

    /// The department a submission is made for: as ``department(of:named:)``, and it must exist.
    static func submittingDepartment(of p: Principal, named: String?, env: WebEnvironment) async throws -> String {
        let department = try department(of: p, named: named)
        guard try await env.store.departments().contains(where: { $0.code == department }) else {
            throw DomainError.invalid(field: "department", reason: "部门 \(department) 不存在")
        }
        return department
    }

    /// A submission as the caller may read it: its own department's, or any for the credit office.
    static func visible(_ s: SubmissionSummary?, to p: Principal) throws -> SubmissionSummary {
        guard let s, p.role == .admin || p.departmentCode == s.departmentCode else {
            throw DomainError.notFound(what: "该提交（或无权查看）")
        }
        return s
    }

    /// `GET /api/v1/submissions/{id}`: the counts and every row not accepted, with what was sent
    /// and why, for the submitting department (and the credit office).
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let s = try await readable(context)
        return JSONValue.fields([
            ("created", .int(s.created)), ("department", .string(s.departmentCode)), ("held", .int(s.held)), ("id", .int(Int(s.id))),
            ("item", .string(s.itemCode)), ("received_at", .string(s.receivedAt.formatted(.iso8601))), ("rejected", .int(s.rejected)),
            ("rows", .array(s.rows.map { r in
                .fields([
                    ("issues", .array(r.issues.map { .fields([("field", JSONValue($0.field)), ("label", JSONValue($0.label)), ("reason", .string($0.reason))]) })),
                    ("outcome", .string(r.outcome)),
                    ("raw", .object(r.raw.mapValues { .string($0) })),
                    ("row", .int(r.row)),
                ])
            })),
            ("total_rows", .int(s.totalRows)), ("unchanged", .int(s.unchanged)), ("updated", .int(s.updated)),
        ]).response()
    }

    /// The submission named in the path, if the caller may read it (its department, or the credit office).
    func readable(_ context: AppRequestContext) async throws -> SubmissionSummary {
        let p = try context.require([.admin, .departmentSubmitter, .departmentReviewer, .apiClient])
        guard let id = Int64(try context.parameters.require("id")) else { throw DomainError.notFound(what: "该提交（或无权查看）") }
        return try Self.visible(try await env.store.submission(id: id), to: p)
    }

    /// `GET /api/v1/submissions/{id}/rejected.csv|.xlsx`: the rejected rows in the item's template
    /// with 原行号 and 错误原因 in front, to fix and upload again.
    @Sendable func rejectedCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let s = try await readable(context)
        let catalog = try await env.store.catalog()
        guard let item = catalog.item(s.itemCode) else { throw DomainError.notFound(what: "目录项 \(s.itemCode)") }
        return Self.download(ByteBuffer(string: FileIntake.csvRejectedRows(s, item: item)), type: "text/csv; charset=utf-8",
                             ascii: "submission-\(s.id)-rejected.csv", name: "\(item.name)-提交\(s.id)-未通过.csv")
    }

    @Sendable func rejectedXLSX(_ request: Request, context: AppRequestContext) async throws -> Response {
        let s = try await readable(context)
        let catalog = try await env.store.catalog()
        guard let item = catalog.item(s.itemCode) else { throw DomainError.notFound(what: "目录项 \(s.itemCode)") }
        return Self.download(ByteBuffer(bytes: try Workbooks.rejectedRows(s, item: item, catalog: catalog)), type: Self.xlsxType,
                             ascii: "submission-\(s.id)-rejected.xlsx", name: "\(item.name)-提交\(s.id)-未通过.xlsx")
    }

    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// A file download with an ASCII name and the Chinese one (RFC 6266 / 5987).
    static func download(_ body: ByteBuffer, type: String, ascii: String, name: String) -> Response {
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ascii
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "private, no-store",
                                               .contentDisposition: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"],
                        body: .init(byteBuffer: body))
    }

    struct RevokeBody: Decodable {
        var key: [String: Scalar]
        var reason: String
        var department: String?
    }

    /// `POST /api/v1/records/{item}/revoke`: logical withdrawal with a reason, by the record's own department.
    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try context.require([.admin, .departmentSubmitter, .apiClient])
        let body = try await request.decodeBody(RevokeBody.self, context: context, expected: "{\"key\": {唯一标识字段: 值}, \"reason\": \"撤销理由\"}")
        let department = try Self.department(of: p, named: body.department)
        let catalog = try await env.store.catalog()
        let code = try context.parameters.require("item")
        guard let item = catalog.item(code) else { throw DomainError.notFound(what: "目录项 \(code.prefix(40))") }
        var raw: [String: String] = [:]
        for (k, v) in body.key { raw[item.field(forHeader: k)?.name ?? k] = v.text }
        let canonical = CatalogValidator(catalog: catalog).validate(raw, item: item, today: env.today()).values
        let keyValues = canonical.filter { item.naturalKey.contains($0.key) }
        guard keyValues.count == item.naturalKey.count else {
            throw DomainError.invalid(field: "key", reason: "请提供有效的唯一标识字段：\(item.naturalKey.compactMap { item.field($0)?.label }.joined(separator: "、"))")
        }
        if p.role != .admin, let key = RecordKeys.key(keyValues, item: item),
           let existing = try await env.store.record(itemCode: item.code, key: key), existing.departmentCode != department {
            throw DomainError.forbidden("只能撤销本部门报送的记录")
        }
        let r = try await env.store.revokeRecord(item: item, keyValues: keyValues, reason: body.reason, actor: p.auditLabel)
        return JSONValue.fields([("id", .int(Int(r.id))), ("item", .string(r.itemCode)), ("status", .string(r.status.rawValue)),
                                 ("version", .int(r.version))]).response()
    }

    /// A JSON scalar as the text a department would have written in a file.
    struct Scalar: Decodable {
        var text: String
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { text = "" }
            else if let s = try? c.decode(String.self) { text = s }
            else if let i = try? c.decode(Int64.self) { text = String(i) }
            else if let d = try? c.decode(Double.self) { text = String(d) }
            else if let b = try? c.decode(Bool.self) { text = b ? "是" : "否" }
            else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "字段值应为文本或数字") }
        }
    }

    struct Body: Decodable {
        var item: String
        var department: String?
        var records: [[String: Scalar]]
    }


    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let contentType = (request.headers[.contentType] ?? "").lowercased()
        if contentType.hasPrefix("text/csv") || contentType.hasPrefix(Self.xlsxType) {
            return try await submitFile(request, context: context, contentType: contentType)
        }
        let p = try context.require([.admin, .departmentSubmitter, .apiClient])
        let body = try await request.decodeBody(Body.self, context: context, expected: "{\"item\": \"目录项代码\", \"records\": [{字段名或中文列名: 值}]}")
        let department = try await Self.submittingDepartment(of: p, named: body.department, env: env)
        let catalog = try await env.store.catalog()
        guard let item = catalog.item(body.item) else {
            throw DomainError.invalid(field: "item", reason: "目录项 \(body.item.prefix(40)) 不存在；可用的目录项见 GET /api/v1/catalog")
        }
        guard (1...Self.maxRecords).contains(body.records.count) else {
            throw DomainError.invalid(field: "records", reason: "每次提交 1–\(Self.maxRecords) 条记录，本次为 \(body.records.count) 条；更多记录请分批或上传文件")
        }
        let validator = CatalogValidator(catalog: catalog)
        let today = env.today()
        let rows = body.records.enumerated().map { index, record -> IntakeRow in
            var raw: [String: String] = [:]
            for (key, value) in record { raw[item.field(forHeader: key)?.name ?? key] = value.text }
            return IntakeRow(number: index + 1, raw: raw, result: validator.validate(raw, item: item, today: today))
        }
        return try await apply(rows, item: item, department: department, channel: .api, catalog: catalog, principal: p)
    }

    /// File uploads: `?item=…[&department=…]` with `Content-Type: text/csv[; charset=gb18030|utf-8]`
    /// (no charset: detected) or the .xlsx type. The body is read as a stream (CSV) or bounded
    /// (xlsx, whose directory is at its end); nothing is applied unless the whole file could be read.
    func submitFile(_ request: Request, context: AppRequestContext, contentType: String) async throws -> Response {
        let p = try context.require([.admin, .departmentSubmitter, .apiClient])
        let params = request.uri.queryParameters
        let department = try await Self.submittingDepartment(of: p, named: params.get("department"), env: env)
        let catalog = try await env.store.catalog()
        guard let code = params.get("item"), let item = catalog.item(code) else {
            throw DomainError.invalid(field: "item", reason: "请在地址中用 ?item= 指明目录项（见 GET /api/v1/catalog）")
        }
        var upload = Upload(item: item, catalog: catalog, today: env.today())
        if contentType.hasPrefix(Self.xlsxType) {
            var buffer = ByteBuffer()
            for try await chunk in request.body {
                guard buffer.readableBytes + chunk.readableBytes <= Upload.maxFileBytes else { throw Upload.tooLarge }
                buffer.writeImmutableBuffer(chunk)
            }
            try upload.readXLSX(Data(buffer.readableBytesView))
            return try await apply(try upload.finish(), item: item, department: department, channel: .xlsx, catalog: catalog, principal: p)
        }
        var encoding: CSVReader.Encoding? = nil
        if let charset = contentType.split(separator: ";").dropFirst().map({ $0.trimmingCharacters(in: .whitespaces) })
            .first(where: { $0.hasPrefix("charset=") })?.dropFirst("charset=".count) {
            encoding = try Upload.encoding(named: String(charset))
        }
        var reader = CSVReader(encoding: encoding)
        for try await chunk in request.body { try upload.readCSV(chunk.readableBytesView, reader: &reader) }
        try upload.endCSV(reader: &reader)
        return try await apply(try upload.finish(), item: item, department: department, channel: .csv, catalog: catalog, principal: p)
    }

    func apply(_ rows: [IntakeRow], item: CatalogItem, department: String, channel: SubmissionChannel, catalog: Catalog,
               principal p: Principal) async throws -> Response {
        let result = try await env.store.applySubmission(SubmissionDraft(item: item, department: department, channel: channel,
                                                                          actor: p.auditLabel, rows: rows, catalog: catalog))
        return Self.resultJSON(result, item: item, department: department)
    }

    static func resultJSON(_ result: SubmissionResult, item: CatalogItem, department: String) -> Response {
        func problems(_ list: [SubmissionResult.Problem]) -> JSONValue {
            .array(list.map { .fields([("field", JSONValue($0.issue.field)), ("label", JSONValue($0.issue.label)),
                                       ("reason", .string($0.issue.reason)), ("row", .int($0.row))]) })
        }
        return JSONValue.fields([
            ("created", .int(result.created)),
            ("department", .string(department)),
            ("held", .int(result.heldRows)),
            ("held_rows", problems(result.held)),
            ("id", .int(Int(result.id))),
            ("item", .string(item.code)),
            ("rejected", .int(result.rejectedRows)),
            ("rejected_rows", problems(result.rejected)),
            ("unchanged", .int(result.unchanged)),
            ("updated", .int(result.updated)),
        ]).response(status: .created)
    }
}
