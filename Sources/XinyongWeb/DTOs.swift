import Foundation
import Hummingbird
import XinyongCore

/// `GET /api/v1/identifiers/{code}`: every key present, absent values as explicit `null`.
struct IdentifierCheckDTO: ResponseGenerator {
    var check: IdentifierCheck

    func response(from request: Request, context: some RequestContext) -> Response {
        JSONValue.object([
            "valid": .bool(check.valid),
            "kind": JSONValue(check.kind?.rawValue),
            "normalized": JSONValue(check.normalized),
            "reason": JSONValue(check.reason),
            "warnings": .array(check.warnings.map { .string($0) }),
            "region": check.region.map { .object(["code": .string($0.code), "name": .string($0.name)]) } ?? .null,
        ]).response()
    }
}

/// A subject on the wire. Natural persons' codes are already masked by the store.
struct SubjectDTO: ResponseGenerator {
    var subject: Subject

    var json: JSONValue {
        let s = subject
        let region = s.regionCode.flatMap { DivisionTable.shipped.resolve($0) }
        return .fields([   // keys in sorted order
            ("address", JSONValue(s.address)),
            ("code", .string(s.code)),
            ("code_check_failed", .bool(s.codeCheckFailed)),
            ("established_on", JSONValue(s.establishedOn?.description)),
            ("former_names", .array(s.formerNames.map { .fields([("name", .string($0.name)), ("until", JSONValue($0.until?.description))]) })),
            ("id", .int(Int(s.id))),
            ("industry", JSONValue(s.industry)),
            ("kind", .string(s.kind.rawValue)),
            ("kind_label", .string(s.kind.label)),
            ("legal_representative", JSONValue(s.legalRepresentative)),
            ("name", .string(s.name)),
            ("region", region.map { .fields([("code", .string($0.code)), ("name", .string($0.name))]) } ?? .null),
            ("registered_capital_yuan", s.registeredCapitalYuan.map { .int(Int($0)) } ?? .null),
            ("status", .string(s.status.rawValue)),
            ("status_label", .string(s.status.label)),
            ("synthetic", .bool(s.synthetic)),
            ("updated_at", .string(s.updatedAt.formatted(.iso8601))),
            ("version", .int(s.version)),
        ])
    }

    func response(from request: Request, context: some RequestContext) -> Response { json.response() }
}

struct SubjectPageDTO: ResponseGenerator {
    var page: Page<Subject>

    func response(from request: Request, context: some RequestContext) -> Response {
        JSONValue.object([
            "items": .array(page.items.map { SubjectDTO(subject: $0).json }),
            "total": .int(page.total),
            "total_exact": .bool(page.totalExact),
            "page": .int(page.page),
            "per_page": .int(page.perPage),
        ]).response()
    }
}

struct PrincipalDTO: ResponseEncodable {
    var name: String
    var role: String
    var roleLabel: String
    var departmentCode: String?
}
