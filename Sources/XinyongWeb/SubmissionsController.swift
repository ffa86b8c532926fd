import Foundation
import Hummingbird
import XinyongCore

/// `POST /api/v1/submissions`: a department's records for one catalog item, as JSON.
struct SubmissionsController {
    let env: WebEnvironment
    static let maxRecords = 10_000

    func register(on router: Router<AppRequestContext>) {
        router.group("api/v1/submissions").post("", use: submit)
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
        let p = try context.require([.admin, .departmentSubmitter, .apiClient])
        let body = try await CatalogController.body(Body.self, request, context,
                                                    expected: "{\"item\": \"目录项代码\", \"records\": [{字段名或中文列名: 值}]}")
        let department: String
        if p.role == .admin {
            guard let d = body.department else { throw DomainError.invalid(field: "department", reason: "平台管理员代部门提交时须填写 department（部门代码）") }
            department = d
        } else {
            guard let d = p.departmentCode else { throw DomainError.forbidden("该账号或密钥未绑定部门，不能提交信用信息") }
            if let claimed = body.department, claimed != d { throw DomainError.forbidden("只能以本部门（\(d)）的名义提交") }
            department = d
        }
        guard try await env.store.departments().contains(where: { $0.code == department }) else {
            throw DomainError.invalid(field: "department", reason: "部门 \(department) 不存在")
        }
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
        let result = try await env.store.applySubmission(SubmissionDraft(item: item, department: department, channel: .api,
                                                                          actor: p.auditLabel, rows: rows))
        func problems(_ list: [SubmissionResult.Problem]) -> JSONValue {
            .array(list.map { .fields([("field", JSONValue($0.issue.field)), ("label", JSONValue($0.issue.label)),
                                       ("reason", .string($0.issue.reason)), ("row", .int($0.row))]) })
        }
        return JSONValue.fields([
            ("created", .int(result.created)),
            ("department", .string(department)),
            ("held", .int(Set(result.held.map(\.row)).count)),
            ("held_rows", problems(result.held)),
            ("id", .int(Int(result.id))),
            ("item", .string(item.code)),
            ("rejected", .int(Set(result.rejected.map(\.row)).count)),
            ("rejected_rows", problems(result.rejected)),
            ("unchanged", .int(result.unchanged)),
            ("updated", .int(result.updated)),
        ]).response(status: .created)
    }
}
