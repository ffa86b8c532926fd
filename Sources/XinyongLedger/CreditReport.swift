import Crypto
import Foundation
import XinyongCore

/// A signed credit report (format `xinyong-credit-report/1`). It carries what it says and the
/// evidence for it: each record's stored fields with the record's salt (which open the digest in
/// the record's leaf), the leaf itself, its inclusion proof, the signed checkpoint the proofs are
/// against, and the platform's signature over the canonical JSON of everything else. Anyone with
/// the platform's verifier key checks it offline (`ReportVerifier`).
public struct CreditReport: Sendable, Equatable, Codable {
    public static let format = "xinyong-credit-report/1"

    public struct Issuer: Sendable, Equatable, Codable {
        public var name: String
        /// The log's origin (the first line of its checkpoints).
        public var origin: String
        /// The key the report claims to be signed with; a verifier compares it with the key it trusts.
        public var verifierKey: String
        public init(name: String, origin: String, verifierKey: String) { self.name = name; self.origin = origin; self.verifierKey = verifierKey }
    }

    public struct Subject: Sendable, Equatable, Codable {
        public var name: String
        /// The unified social credit code (masked for natural persons).
        public var code: String
        public var kind: String
        public var status: String
        public var legalRepresentative: String?
        public init(name: String, code: String, kind: String, status: String, legalRepresentative: String?) {
            self.name = name; self.code = code; self.kind = kind; self.status = status; self.legalRepresentative = legalRepresentative
        }
    }

    public struct Fact: Sendable, Equatable, Codable {
        public var label: String
        public var value: String
        public init(label: String, value: String) { self.label = label; self.value = value }
    }

    public struct Record: Sendable, Equatable, Codable {
        public var record: Int64
        public var item: String
        public var itemName: String
        public var version: Int
        public var title: String
        public var department: String
        public var decisionDate: String?
        public var publicUntil: String?
        public var state: String
        public var disputed: Bool
        public var facts: [Fact]
        /// The record's stored fields at `version`, byte for byte, and its salt (hex): SHA-256(salt ‖ fields)
        /// is the digest in the leaf.
        public var fields: String
        public var salt: String
        public var leafIndex: UInt64
        /// The leaf data as logged (text) and the inclusion proof (hex hashes) at the checkpoint's size.
        public var leaf: String
        public var proof: [String]
        public init(record: Int64, item: String, itemName: String, version: Int, title: String, department: String, decisionDate: String?,
                    publicUntil: String?, state: String, disputed: Bool, facts: [Fact], fields: String, salt: String, leafIndex: UInt64,
                    leaf: String, proof: [String]) {
            self.record = record; self.item = item; self.itemName = itemName; self.version = version; self.title = title
            self.department = department; self.decisionDate = decisionDate; self.publicUntil = publicUntil; self.state = state
            self.disputed = disputed; self.facts = facts; self.fields = fields; self.salt = salt; self.leafIndex = leafIndex
            self.leaf = leaf; self.proof = proof
        }
    }

    public struct Section: Sendable, Equatable, Codable {
        public var code: String
        public var name: String
        public var items: [String]
        public var records: [Record]
        /// "经查询，…未发现…记录" when the section is empty.
        public var statement: String?
        public init(code: String, name: String, items: [String], records: [Record], statement: String?) {
            self.code = code; self.name = name; self.items = items; self.records = records; self.statement = statement
        }
    }

    /// The "no other record" statement (special reports): at the checkpoint's tree size, every
    /// leaf of this subject (found with `subjectKey`) in `items` whose record is still in effect is
    /// either a record of the report or one of `others` (in effect but outside what the subject
    /// chose: before the span, not criminal, …). Checked against the log with `ReportVerifier.checkAbsence`.
    public struct Absence: Sendable, Equatable, Codable {
        public struct Other: Sendable, Equatable, Codable {
            public var record: Int64
            public var leafIndex: UInt64
            public var reason: String
            public init(record: Int64, leafIndex: UInt64, reason: String) { self.record = record; self.leafIndex = leafIndex; self.reason = reason }
        }
        public var size: UInt64
        public var subjectKey: String
        public var items: [String]
        public var others: [Other]
        public init(size: UInt64, subjectKey: String, items: [String], others: [Other]) {
            self.size = size; self.subjectKey = subjectKey; self.items = items; self.others = others
        }
    }

    public struct Span: Sendable, Equatable, Codable {
        public var from: String
        public var to: String
        public init(from: String, to: String) { self.from = from; self.to = to }
    }

    public var format: String = CreditReport.format
    public var number: String
    public var kind: String
    public var title: String
    public var issuedAt: String
    public var validUntil: String
    public var verificationCode: String
    public var verifyUrl: String
    public var issuer: Issuer
    public var subject: Subject
    public var span: Span?
    public var sections: [Section]
    public var absence: Absence?
    /// The signed checkpoint (C2SP signed note) every proof is against.
    public var checkpoint: String
    /// A signed note over the canonical JSON of the report without this field.
    public var signature: String?

    public init(number: String, kind: ReportKind, issuedAt: String, validUntil: String, verificationCode: String, verifyUrl: String,
                issuer: Issuer, subject: Subject, span: Span?, sections: [Section], absence: Absence?, checkpoint: String) {
        self.number = number; self.kind = kind.rawValue; self.title = kind.title; self.issuedAt = issuedAt; self.validUntil = validUntil
        self.verificationCode = verificationCode; self.verifyUrl = verifyUrl; self.issuer = issuer; self.subject = subject
        self.span = span; self.sections = sections; self.absence = absence; self.checkpoint = checkpoint
    }

    public static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return e
    }

    public static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }

    /// The report as a file: pretty-printed JSON.
    public func json() throws -> [UInt8] { Array(try Self.encoder.encode(self)) }

    /// What is signed: SHA-256 of the canonical JSON of `value` without `signature`.
    public static func bodyHash(_ value: JSONValue) -> Hash {
        guard case .object(var o) = value else { return Array(SHA256.hash(data: value.canonical)) }
        o["signature"] = nil
        return Array(SHA256.hash(data: JSONValue.object(o).canonical))
    }

    /// The signed note's text: `<origin>/report`, the format and number, the base64 body hash.
    static func signedText(origin: String, number: String, hash: Hash) -> String {
        "\(origin)/report\n\(format) \(number)\n\(Data(hash).base64EncodedString())\n"
    }

    /// Signs the report with the log's key.
    public func signed(by signer: NoteSigner) throws -> CreditReport {
        var r = self
        r.signature = nil
        let hash = Self.bodyHash(try JSONValue.from(r, encoder: Self.encoder))
        r.signature = try signer.sign(Self.signedText(origin: issuer.origin, number: number, hash: hash))
        return r
    }

    public var allRecords: [Record] { sections.flatMap(\.records) }
}

/// A record's evidence in the log: its last logged leaf, the stored fields at that leaf's version
/// and the record's salt.
public struct RecordEvidence: Sendable, Equatable {
    public var recordID: Int64
    public var version: Int
    public var leafIndex: UInt64
    public var leaf: [UInt8]
    public var fields: String
    public var salt: [UInt8]
    public init(recordID: Int64, version: Int, leafIndex: UInt64, leaf: [UInt8], fields: String, salt: [UInt8]) {
        self.recordID = recordID; self.version = version; self.leafIndex = leafIndex; self.leaf = leaf; self.fields = fields; self.salt = salt
    }
}

/// A report as issued and kept.
public struct IssuedReport: Sendable, Equatable {
    public var id: Int64
    public var number: String
    public var code: String
    public var subjectID: Int64
    public var kind: ReportKind
    public var issuedAt: Date
    public var validUntil: CivilDate
    public var requestedBy: String
    public var body: [UInt8]
    public init(id: Int64, number: String, code: String, subjectID: Int64, kind: ReportKind, issuedAt: Date, validUntil: CivilDate,
                requestedBy: String, body: [UInt8]) {
        self.id = id; self.number = number; self.code = code; self.subjectID = subjectID; self.kind = kind; self.issuedAt = issuedAt
        self.validUntil = validUntil; self.requestedBy = requestedBy; self.body = body
    }
}

public protocol ReportStore: LedgerStore {
    /// Each record's last logged leaf with its fields and salt (records not yet logged are missing).
    func recordEvidence(recordIDs: [Int64]) async throws -> [Int64: RecordEvidence]
    /// The key of the subject's commitments in the log.
    func ledgerSubjectKey(subjectID: Int64) -> [UInt8]
    /// Keeps a report under a fresh verification code: `build` gets the row's id (which numbers the
    /// report) and the code, and returns the number and the signed body, which are then stored.
    func issueReport(subjectID: Int64, kind: ReportKind, issuedAt: Date, validUntil: CivilDate, requestedBy: String,
                     build: @escaping @Sendable (_ id: Int64, _ code: String) throws -> (number: String, body: [UInt8])) async throws -> IssuedReport
    /// Whether change-log events or answered checks wait to be logged (a few index lookups).
    func ledgerPending() async throws -> Bool
    /// A report by its number or its verification code.
    func issuedReport(number: String?, code: String?) async throws -> IssuedReport?
    /// A subject's reports, newest first, without their bodies.
    func issuedReports(subjectID: Int64, limit: Int) async throws -> [IssuedReport]
}

public enum ReportCodes {
    /// Crockford base-32 without look-alikes (no I, L, O, U).
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// A short verification code, 40 random bits: `XXXX-XXXX`.
    public static func verificationCode() -> String {
        var g = SystemRandomNumberGenerator()
        let chars = (0..<8).map { _ in alphabet[Int(g.next(upperBound: UInt32(alphabet.count)))] }
        return String(chars[0..<4]) + "-" + String(chars[4..<8])
    }

    /// A code as people type it (lower case, spaces, O for 0, I or L for 1, with or without the dash).
    public static func normalize(_ text: String) -> String? {
        let mapped = text.uppercased().compactMap { c -> Character? in
            switch c {
            case "O": "0"
            case "I", "L": "1"
            case "-", " ", "\u{3000}": nil
            default: c
            }
        }
        guard mapped.count == 8, mapped.allSatisfy({ alphabet.contains($0) }) else { return nil }
        return String(mapped[0..<4]) + "-" + String(mapped[4..<8])
    }

    /// The report number: XYR, the issue date, the report's serial number.
    public static func number(id: Int64, on day: CivilDate) -> String {
        "XYR\(day.description.replacingOccurrences(of: "-", with: ""))" + String(format: "%07lld", id)
    }
}
