import Foundation

/// One row of a submission as the intake received and validated it.
public struct IntakeRow: Sendable, Equatable {
    /// The row's number as the submitter sees it (the file line, or the 1-based index in a JSON array).
    public var number: Int
    public var raw: [String: String]
    public var result: ValidatedRow
    public init(number: Int, raw: [String: String], result: ValidatedRow) {
        self.number = number; self.raw = raw; self.result = result
    }
}

public enum SubmissionChannel: String, Sendable, Codable, CaseIterable { case api, csv, xlsx, cli, demo }

public struct SubmissionDraft: Sendable {
    public var item: CatalogItem
    public var department: String
    public var channel: SubmissionChannel
    public var actor: String
    public var rows: [IntakeRow]
    /// The publicity rules in force and the catalog version they come from (stored with each window).
    public var publicity: PublicityRules
    public var rulesVersion: String
    /// Credit codes the credit office confirmed although they fail their check character: subjects
    /// registered under them are flagged as such.
    public var confirmedCodes: Set<String>
    public init(item: CatalogItem, department: String, channel: SubmissionChannel, actor: String, rows: [IntakeRow],
                catalog: Catalog = .shipped, confirmedCodes: Set<String> = []) {
        self.item = item; self.department = department; self.channel = channel; self.actor = actor; self.rows = rows
        self.publicity = catalog.publicityRules; self.rulesVersion = catalog.version; self.confirmedCodes = confirmedCodes
    }
}

/// What a submission did, row by row: durable before it is returned.
public struct SubmissionResult: Sendable, Equatable {
    public struct Problem: Sendable, Equatable {
        public var row: Int
        public var issue: RowIssue
        public init(row: Int, issue: RowIssue) { self.row = row; self.issue = issue }
    }
    /// How many problem rows a result reports in full; all of them are stored with the submission.
    public static let reportLimit = 1000

    public var id: Int64
    public var totalRows = 0
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    /// Rows rejected and rows held, counted exactly.
    public var rejectedRows = 0
    public var heldRows = 0
    /// The problems of the first ``reportLimit`` rejected (held) rows.
    public var rejected: [Problem] = []
    public var held: [Problem] = []
    public init(id: Int64) { self.id = id }
}

/// A credit record as stored: the current version of a fact with its provenance.
public struct CreditRecord: Sendable, Equatable {
    public enum Status: String, Sendable, Codable { case active, revoked }
    public var id: Int64
    public var itemCode: String
    public var key: String
    public var subjectID: Int64?
    public var version: Int
    public var status: Status
    public var fields: [String: String]
    public var departmentCode: String
    public var submissionID: Int64
    public var sourceRow: Int
    public var receivedAt: Date
    public var window: PublicityWindow
    /// Marked 异议处理中: an accepted objection is being handled (or its marking deadline passed).
    public var disputed: Bool
    /// Why publicity and use ended before the window's end, and from which day.
    public enum EndReason: String, Sendable, Codable { case repaired, stopped
        public var label: String { self == .repaired ? "已信用修复" : "已停止公示" }
    }
    public var endReason: EndReason?
    public var endedOn: CivilDate?

    public init(id: Int64, itemCode: String, key: String, subjectID: Int64?, version: Int, status: Status, fields: [String: String],
                departmentCode: String, submissionID: Int64, sourceRow: Int, receivedAt: Date,
                window: PublicityWindow = PublicityWindow(decisionDate: nil, from: nil, until: nil, publishable: false, basis: ""),
                disputed: Bool = false, endReason: EndReason? = nil, endedOn: CivilDate? = nil) {
        self.id = id; self.itemCode = itemCode; self.key = key; self.subjectID = subjectID; self.version = version
        self.status = status; self.fields = fields; self.departmentCode = departmentCode; self.submissionID = submissionID
        self.sourceRow = sourceRow; self.receivedAt = receivedAt; self.window = window
        self.disputed = disputed; self.endReason = endReason; self.endedOn = endedOn
    }

    /// Whether the public may see the record today: active, not ended early, publishable and inside its window.
    public func isPublic(on day: CivilDate) -> Bool { status == .active && endedOn.map { day < $0 } ?? true && window.isPublic(on: day) }
}

/// One event of the append-only change log.
public struct ChangeEvent: Sendable, Equatable {
    public var seq: Int64
    public var event: String
    public var itemCode: String
    public var recordID: Int64
    public var version: Int
    public var subjectID: Int64?
    public var submissionID: Int64?
    public var note: String?

    public init(seq: Int64, event: String, itemCode: String, recordID: Int64, version: Int, subjectID: Int64?,
                submissionID: Int64?, note: String?) {
        self.seq = seq; self.event = event; self.itemCode = itemCode; self.recordID = recordID; self.version = version
        self.subjectID = subjectID; self.submissionID = submissionID; self.note = note
    }
}

public enum RecordKeys {
    /// The natural key of a validated row: its key fields' canonical values joined by U+001F, or
    /// `nil` when a key field is missing.
    public static func key(_ values: [String: String], item: CatalogItem) -> String? {
        var parts: [String] = []
        for f in item.naturalKey {
            guard let v = values[f], !v.isEmpty else { return nil }
            parts.append(v)
        }
        return parts.joined(separator: "\u{1F}")
    }
}

/// Credit records, submissions and the change log.
public protocol RecordStore: Sendable {
    /// Applies a submission in one transaction: accepted rows are created, updated (a new version;
    /// the old one kept) or left unchanged by natural key; rejected and held rows are kept with their
    /// reasons; every change appends to the change log.
    func applySubmission(_ draft: SubmissionDraft) async throws -> SubmissionResult
    /// The same for large files, in one transaction: after `draft.rows`, `next` is called for more
    /// rows until it returns `nil`, so a file is never held in memory whole.
    func applySubmission(_ draft: SubmissionDraft, next: @escaping @Sendable () async throws -> [IntakeRow]?) async throws -> SubmissionResult
    /// Withdraws a record logically: a new version with status `revoked` and the reason. Never a delete.
    /// `keyValues` are the canonical values of the item's natural-key fields.
    func revokeRecord(item: CatalogItem, keyValues: [String: String], reason: String, actor: String) async throws -> CreditRecord
    func record(itemCode: String, key: String) async throws -> CreditRecord?
    func records(subjectID: Int64) async throws -> [CreditRecord]
    /// The subject's records the public may see on `day`: active, publishable, inside their window.
    func publicRecords(subjectID: Int64, on day: CivilDate) async throws -> [CreditRecord]
    /// Recomputes the publicity windows of records computed under another catalog version (or
    /// never), `batch` records per transaction; returns how many were updated. A period the sweep
    /// had ended that now ends after `today` is public again, and logged so.
    func refreshPublicityWindows(catalog: Catalog, batch: Int, today: CivilDate) async throws -> Int
    func changeLog(after seq: Int64, limit: Int) async throws -> [ChangeEvent]
    func submission(id: Int64) async throws -> SubmissionSummary?
    /// The newest submissions, of one department or (nil) of all, without their rows.
    func recentSubmissions(department: String?, limit: Int) async throws -> [SubmissionSummary]
}

/// A stored submission with the rows it did not accept, as its department reads it back.
public struct SubmissionSummary: Sendable, Equatable {
    public struct KeptRow: Sendable, Equatable {
        public var row: Int
        public var outcome: String
        public var raw: [String: String]
        public var issues: [RowIssue]
        public init(row: Int, outcome: String, raw: [String: String], issues: [RowIssue]) {
            self.row = row; self.outcome = outcome; self.raw = raw; self.issues = issues
        }
    }
    public var id: Int64
    public var itemCode: String
    public var departmentCode: String
    public var channel: String
    public var receivedAt: Date
    public var totalRows: Int
    public var created: Int
    public var updated: Int
    public var unchanged: Int
    public var rejected: Int
    public var held: Int
    public var rows: [KeptRow]
    public init(id: Int64, itemCode: String, departmentCode: String, channel: String, receivedAt: Date, totalRows: Int,
                created: Int, updated: Int, unchanged: Int, rejected: Int, held: Int, rows: [KeptRow]) {
        self.id = id; self.itemCode = itemCode; self.departmentCode = departmentCode; self.channel = channel
        self.receivedAt = receivedAt; self.totalRows = totalRows; self.created = created; self.updated = updated
        self.unchanged = unchanged; self.rejected = rejected; self.held = held; self.rows = rows
    }
}

/// An entry of the credit office's link queue: a record that could not be linked to a subject, or a
/// row held because its credit code fails only its check character.
public struct PendingLink: Sendable, Equatable {
    public enum Kind: String, Sendable { case record, held }
    public var kind: Kind
    public var recordID: Int64?
    public var submissionID: Int64
    public var row: Int
    public var itemCode: String
    public var departmentCode: String
    public var name: String?
    public var code: String?
    public var note: String
    public var receivedAt: Date
    public init(kind: Kind, recordID: Int64?, submissionID: Int64, row: Int, itemCode: String, departmentCode: String, name: String?,
                code: String?, note: String, receivedAt: Date) {
        self.kind = kind; self.recordID = recordID; self.submissionID = submissionID; self.row = row; self.itemCode = itemCode
        self.departmentCode = departmentCode; self.name = name; self.code = code; self.note = note; self.receivedAt = receivedAt
    }
}

/// Suspected wrong codes (重错码): a subject whose records carry names other than its own (and its
/// former names), and a name that records carry under several subjects.
public struct SuspectCodes: Sendable, Equatable {
    public struct CodeWithNames: Sendable, Equatable {
        public var subjectID: Int64; public var code: String; public var registeredName: String; public var otherNames: [String]; public var records: Int
        public init(subjectID: Int64, code: String, registeredName: String, otherNames: [String], records: Int) {
            self.subjectID = subjectID; self.code = code; self.registeredName = registeredName; self.otherNames = otherNames; self.records = records
        }
    }
    public struct NameWithCodes: Sendable, Equatable {
        public var name: String; public var codes: [String]; public var records: Int
        public init(name: String, codes: [String], records: Int) { self.name = name; self.codes = codes; self.records = records }
    }
    public var codesWithSeveralNames: [CodeWithNames]
    public var namesWithSeveralCodes: [NameWithCodes]
    public init(codesWithSeveralNames: [CodeWithNames], namesWithSeveralCodes: [NameWithCodes]) {
        self.codesWithSeveralNames = codesWithSeveralNames; self.namesWithSeveralCodes = namesWithSeveralCodes
    }
}

/// The credit office's work on links: the queue, linking by hand, confirming held codes, 重错码.
public protocol LinkStore: Sendable {
    func linkQueue(limit: Int) async throws -> [PendingLink]
    /// Links a pending record to the subject with `subjectCode` (a new version and a change-log event).
    func linkRecord(id: Int64, subjectCode: String, actor: String) async throws -> CreditRecord
    /// Confirms a held row (its code is accepted as an early pilot code and the row applied as a new
    /// submission by the credit office on the department's behalf), or rejects it with a reason.
    func resolveHeldRow(submissionID: Int64, row: Int, confirm: Bool, reason: String, actor: String, catalog: Catalog) async throws -> SubmissionResult?
    func suspectCodes(limit: Int) async throws -> SuspectCodes
}
