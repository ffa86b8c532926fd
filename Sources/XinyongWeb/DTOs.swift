import Foundation
import Hummingbird
import XinyongCore

/// `GET /api/v1/identifiers/{code}`: every key present, absent values as explicit `null`.
struct IdentifierCheckDTO: ResponseEncodable {
    var check: IdentifierCheck

    func encode(to encoder: any Encoder) throws {
        try JSONValue.object([
            "valid": .bool(check.valid),
            "kind": JSONValue(check.kind?.rawValue),
            "normalized": JSONValue(check.normalized),
            "reason": JSONValue(check.reason),
            "warnings": .array(check.warnings.map { .string($0) }),
            "region": check.region.map { .object(["code": .string($0.code), "name": .string($0.name)]) } ?? .null,
        ]).encode(to: encoder)
    }
}

/// A subject on the wire. Natural persons' codes are already masked by the store.
struct SubjectDTO: ResponseEncodable {
    var subject: Subject

    var json: JSONValue {
        let s = subject
        let region = s.regionCode.flatMap { DivisionTable.shipped.resolve($0) }
        return .object([
            "id": .int(Int(s.id)),
            "code": .string(s.code),
            "kind": .string(s.kind.rawValue),
            "kind_label": .string(s.kind.label),
            "name": .string(s.name),
            "former_names": .array(s.formerNames.map { .object(["name": .string($0.name), "until": JSONValue($0.until?.description)]) }),
            "legal_representative": JSONValue(s.legalRepresentative),
            "registered_capital_yuan": s.registeredCapitalYuan.map { .int(Int($0)) } ?? .null,
            "established_on": JSONValue(s.establishedOn?.description),
            "industry": JSONValue(s.industry),
            "region": region.map { .object(["code": .string($0.code), "name": .string($0.name)]) } ?? .null,
            "address": JSONValue(s.address),
            "status": .string(s.status.rawValue),
            "status_label": .string(s.status.label),
            "code_check_failed": .bool(s.codeCheckFailed),
            "synthetic": .bool(s.synthetic),
            "version": .int(s.version),
            "updated_at": .string(ISO8601DateFormatter().string(from: s.updatedAt)),
        ])
    }

    func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}

struct SubjectPageDTO: ResponseEncodable {
    var page: Page<Subject>

    func encode(to encoder: any Encoder) throws {
        try JSONValue.object([
            "items": .array(page.items.map { SubjectDTO(subject: $0).json }),
            "total": .int(page.total),
            "page": .int(page.page),
            "per_page": .int(page.perPage),
        ]).encode(to: encoder)
    }
}

struct PrincipalDTO: ResponseEncodable {
    var name: String
    var role: String
    var roleLabel: String
    var departmentCode: String?
}
