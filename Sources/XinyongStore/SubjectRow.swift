import Foundation
import XinyongCore

/// A `subjects` row as stored. Converted to the domain `Subject` in one place.
struct SubjectRow: Decodable {
    var id: Int64
    var kind: String
    var code_display: String
    var name: String
    var legal_representative: String?
    var registered_capital_yuan: Int64?
    var established_on: String?
    var industry: String?
    var region_code: String?
    var address: String?
    var status: String
    var code_check_failed: Bool
    var synthetic: Bool
    var version: Int
    var created_at: Int64
    var updated_at: Int64

    /// The column list every subject query selects, aliased `s`.
    static let columns = """
        s.id, s.kind, s.code_display, s.name, s.legal_representative, s.registered_capital_yuan, s.established_on, \
        s.industry, s.region_code, s.address, s.status, s.code_check_failed, s.synthetic, s.version, s.created_at, s.updated_at
        """

    func subject(formerNames: [FormerName] = []) -> Subject {
        Subject(id: id, kind: SubjectKind(rawValue: kind) ?? .otherOrganization, code: code_display, name: name,
                formerNames: formerNames, legalRepresentative: legal_representative,
                registeredCapitalYuan: registered_capital_yuan, establishedOn: established_on.flatMap { CivilDate($0) },
                industry: industry, regionCode: region_code, address: address,
                status: SubjectStatus(rawValue: status) ?? .active, codeCheckFailed: code_check_failed,
                synthetic: synthetic, version: version, createdAt: Clock.date(created_at), updatedAt: Clock.date(updated_at))
    }
}

struct FormerNameRow: Decodable {
    var name: String
    var until_on: String?
}
