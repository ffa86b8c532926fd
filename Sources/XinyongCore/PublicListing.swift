import Foundation

/// A listing of public records across departments (the 双公示 column and the like): only records
/// that are public on the day asked, newest decision first, narrowed by the filters people use.
public struct PublicRecordQuery: Sendable, Equatable {
    /// Catalog item codes listed (e.g. `xzxk`, `xzcf`); never empty.
    public var items: [String]
    public var department: String?
    /// Decision dates, both ends included.
    public var decidedFrom: CivilDate?
    public var decidedTo: CivilDate?
    /// A part of the subject's name (as the site's name search finds it), or the beginning of the
    /// record's identifying number (e.g. 决定书文号).
    public var keyword: String?
    public var page: Int
    public var perPage: Int

    /// Listings stop at this page, so nobody pages through the whole archive: the filters reach
    /// every record.
    public static let maxPage = 50
    /// Totals are counted up to this many records ("1,000 条以上" beyond): as many as the pages
    /// reach at the usual 20 per page.
    public static let countLimit = 1_000
    public static let maxKeyword = 50

    /// Checks and normalises the filters; a reason a person can act on for each bad one.
    public init(items: [String], department: String? = nil, decidedFrom: CivilDate? = nil, decidedTo: CivilDate? = nil,
                keyword: String? = nil, page: Int = 1, perPage: Int = 20) throws(DomainError) {
        guard !items.isEmpty else { throw .invalid(field: "item", reason: "请至少选择一类信息") }
        let keyword = keyword?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let keyword, keyword.count > Self.maxKeyword {
            throw .invalid(field: "q", reason: "关键词不能超过 \(Self.maxKeyword) 个字")
        }
        if let keyword, keyword.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw .invalid(field: "q", reason: "关键词含有不可见字符")
        }
        if let a = decidedFrom, let b = decidedTo, b < a {
            throw .invalid(field: "to", reason: "结束日期不能早于开始日期")
        }
        guard page >= 1 else { throw .invalid(field: "page", reason: "页码应从 1 开始") }
        guard page <= Self.maxPage else {
            throw .invalid(field: "page", reason: "最多可翻到第 \(Self.maxPage) 页；请用部门、日期或关键词缩小范围")
        }
        self.items = items
        self.department = department?.isEmpty == true ? nil : department
        self.decidedFrom = decidedFrom
        self.decidedTo = decidedTo
        self.keyword = keyword?.isEmpty == true ? nil : keyword
        self.page = page
        self.perPage = min(max(perPage, 1), 100)
    }
}

/// A public record with the registry code of the subject it is linked to (when linked to an
/// organisation, so a link to the subject's page can be offered).
public struct PublicRecordEntry: Sendable, Equatable {
    public var record: CreditRecord
    public var subjectCode: String?
    public init(record: CreditRecord, subjectCode: String?) { self.record = record; self.subjectCode = subjectCode }
}

public struct PublicRecordPage: Sendable, Equatable {
    public var items: [PublicRecordEntry]
    /// Exact up to ``PublicRecordQuery/countLimit``; beyond it `totalExact` is false.
    public var total: Int
    public var totalExact: Bool
    public var page: Int
    public var perPage: Int
    public init(items: [PublicRecordEntry], total: Int, totalExact: Bool, page: Int, perPage: Int) {
        self.items = items; self.total = total; self.totalExact = totalExact; self.page = page; self.perPage = perPage
    }
    /// Pages a person can reach (never beyond the depth cap).
    public var pageCount: Int { min((total + perPage - 1) / perPage, PublicRecordQuery.maxPage) }
}

/// What a search result or a subject page marks at a glance: the subject is, today, publicly on
/// one of these lists (an entry inside its publicity window).
public enum RiskMark: String, Sendable, CaseIterable {
    case seriousDishonesty = "yzsx"
    case dishonestDebtor = "sxbzxr"
    case businessAnomaly = "jyyc"

    /// The catalog item whose public records put a subject on the list.
    public var item: String { rawValue }

    public var label: String {
        switch self {
        case .seriousDishonesty: "严重失信主体名单"
        case .dishonestDebtor: "失信被执行人"
        case .businessAnomaly: "经营异常名录"
        }
    }
}

/// Reading what the platform publishes.
public protocol PublicationStore: Sendable {
    /// One page of public records matching the query, on `day`.
    func publicRecordPage(_ query: PublicRecordQuery, on day: CivilDate) async throws -> PublicRecordPage
    /// A record by id, only if it is public on `day`.
    func publicRecord(id: Int64, on day: CivilDate) async throws -> PublicRecordEntry?
    /// How many records of these items are public on `day`.
    func countPublicRecords(items: [String], on day: CivilDate) async throws -> Int
    /// What a list of these subjects marks on `day`: which of `items` each has a public record of,
    /// and which have a public record marked 异议处理中.
    func publicMarks(subjectIDs: [Int64], items: [String], on day: CivilDate) async throws -> PublicMarks
}

/// Marks of subjects in a list of results, from their public records.
public struct PublicMarks: Sendable, Equatable {
    /// For each subject, the marked items it has a public record of (subjects with none are left out).
    public var items: [Int64: Set<String>] = [:]
    /// Subjects with a public record under objection.
    public var disputed: Set<Int64> = []
    public init(items: [Int64: Set<String>] = [:], disputed: Set<Int64> = []) { self.items = items; self.disputed = disputed }
}
