import Foundation

/// Text normalisation for names, shared by indexing and querying so both see the same form.
public enum SearchText {
    /// NFKC (full-width letters, digits and brackets （） become ASCII), no whitespace, ASCII upper-case.
    public static func normalize(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping
        return String(folded.filter { !$0.isWhitespace }).uppercased()
    }

    /// The distinct two-character substrings of an already normalised name: the keys of the
    /// name index, so that any substring of two or more characters can be found.
    public static func bigrams(_ normalized: String) -> [String] {
        let chars = Array(normalized)
        guard chars.count >= 2 else { return [] }
        var seen = Set<String>()
        var out: [String] = []
        for i in 0..<(chars.count - 1) {
            let g = String(chars[i...(i + 1)])
            if seen.insert(g).inserted { out.append(g) }
        }
        return out
    }
}

/// A page of results. `total` is exact when `totalExact`; otherwise it is a lower bound
/// (searches stop counting at ``SubjectQuery/countLimit`` matches).
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int
    public var totalExact: Bool
    public var page: Int
    public var perPage: Int
    public init(items: [Item], total: Int, totalExact: Bool = true, page: Int, perPage: Int) {
        self.items = items; self.total = total; self.totalExact = totalExact; self.page = page; self.perPage = perPage
    }
}

extension Page: Equatable where Item: Equatable {}

/// A subject search as the public and the staff make it.
public struct SubjectQuery: Sendable, Equatable {
    public static let maxPerPage = 100
    public static let maxPage = 500
    /// Matches are counted exactly up to this number by default (the API); beyond it the total is
    /// reported as "at least".
    public static let countLimit = 10_000
    /// The site's search pages: 10 pages of 20, counted to 200 ("200+" beyond). A person refines a
    /// search long before page 10, and counting is most of a search's cost: the rarer the matches
    /// among the names sharing a bigram, the more of them are read to count.
    public static let siteMaxPage = 10
    public static let siteCountLimit = 200

    /// Where this query stops counting.
    public var countLimit: Int = Self.countLimit

    public var text: String
    public var kinds: Set<SubjectKind>
    /// Registration statuses to keep; empty keeps every status.
    public var statuses: Set<SubjectStatus>
    public var page: Int
    public var perPage: Int

    /// Clamps paging: `per_page` to 1…100 and `page` to 1…500 (deeper pages are refused to scrapers).
    public init(text: String, kinds: Set<SubjectKind> = [], statuses: Set<SubjectStatus> = [], page: Int = 1, perPage: Int = 20) {
        self.text = text
        self.kinds = kinds
        self.statuses = statuses.count == SubjectStatus.allCases.count ? [] : statuses
        self.page = min(max(page, 1), Self.maxPage)
        self.perPage = min(max(perPage, 1), Self.maxPerPage)
    }

    public var offset: Int { (page - 1) * perPage }
}
