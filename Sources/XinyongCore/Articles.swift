import Foundation

/// The site's article columns: policy documents, notices and typical cases of integrity.
public enum ArticleColumn: String, Sendable, Codable, CaseIterable {
    case policy, notice, cases

    public var label: String {
        switch self {
        case .policy: "政策法规"
        case .notice: "通知公告"
        case .cases: "诚信典型案例"
        }
    }
}

public enum ArticleStatus: String, Sendable, Codable, CaseIterable {
    case draft, published, withdrawn
    public var label: String {
        switch self {
        case .draft: "草稿"
        case .published: "已发布"
        case .withdrawn: "已撤下"
        }
    }
}

/// An article as the credit office writes it: the body is Markdown (a safe subset, see ``LightMarkdown``).
public struct ArticleDraft: Sendable, Equatable {
    public var column: ArticleColumn
    public var title: String
    public var body: String
    public var status: ArticleStatus
    /// The date shown as the publication date (defaults to the day it is first published).
    public var publishedOn: CivilDate?

    public static let maxTitle = 100
    public static let maxBody = 50_000

    /// Checks and normalises; a reason a person can act on for each problem.
    public init(column: ArticleColumn, title: String, body: String, status: ArticleStatus, publishedOn: CivilDate?) throws(DomainError) {
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw .invalid(field: "title", reason: "请填写标题") }
        guard title.count <= Self.maxTitle else { throw .invalid(field: "title", reason: "标题不能超过 \(Self.maxTitle) 个字") }
        guard !title.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalid(field: "title", reason: "标题含有不可见字符")
        }
        let body = body.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else { throw .invalid(field: "body", reason: "请填写正文") }
        guard body.count <= Self.maxBody else { throw .invalid(field: "body", reason: "正文不能超过 \(Self.maxBody) 个字") }
        self.column = column; self.title = title; self.body = body; self.status = status; self.publishedOn = publishedOn
    }
}

public struct Article: Sendable, Equatable {
    public var id: Int64
    public var column: ArticleColumn
    public var title: String
    public var body: String
    public var status: ArticleStatus
    public var publishedOn: CivilDate?
    public var version: Int
    public var updatedAt: Date
    public var updatedBy: String

    public init(id: Int64, column: ArticleColumn, title: String, body: String, status: ArticleStatus, publishedOn: CivilDate?,
                version: Int, updatedAt: Date, updatedBy: String) {
        self.id = id; self.column = column; self.title = title; self.body = body; self.status = status
        self.publishedOn = publishedOn; self.version = version; self.updatedAt = updatedAt; self.updatedBy = updatedBy
    }

    /// Public on `day`: published, and its publication date reached.
    public func isPublic(on day: CivilDate) -> Bool {
        status == .published && (publishedOn.map { $0 <= day } ?? false)
    }
}

public protocol ArticleStore: Sendable {
    /// Creates (`id` nil) or replaces an article; a replaced one is kept as a version. With
    /// `expectedVersion`, a concurrent change is a conflict. A first publication without a date is dated `today`.
    func saveArticle(id: Int64?, _ draft: ArticleDraft, actor: String, expectedVersion: Int?, today: CivilDate) async throws -> Article
    func article(id: Int64) async throws -> Article?
    /// Newest first (by publication date, then id). `publicOn`: only articles public that day.
    func articles(column: ArticleColumn?, publicOn: CivilDate?, limit: Int, offset: Int) async throws -> [Article]
    func countArticles(column: ArticleColumn?, publicOn: CivilDate?) async throws -> Int
}

/// Markdown, the safe subset: headings (`#`–`###`), paragraphs, line breaks, bulleted and
/// numbered lists, quotes, `**bold**`, and links to this site or to http(s) addresses. Everything
/// else is text: the input is escaped before any markup is added, so no HTML, script, style or
/// attribute can come through, and a link's address is checked before it becomes one.
public enum LightMarkdown {
    public static func html(_ source: String) -> String {
        var out: [String] = []
        var paragraph: [String] = []
        var list: (ordered: Bool, items: [String])?
        var quote: [String] = []

        func flush() {
            if !paragraph.isEmpty { out.append("<p>" + paragraph.map(inline).joined(separator: "<br>") + "</p>"); paragraph = [] }
            if let l = list {
                let tag = l.ordered ? "ol" : "ul"
                out.append("<\(tag)>" + l.items.map { "<li>" + inline($0) + "</li>" }.joined() + "</\(tag)>")
                list = nil
            }
            if !quote.isEmpty { out.append("<blockquote><p>" + quote.map(inline).joined(separator: "<br>") + "</p></blockquote>"); quote = [] }
        }

        for raw in source.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { flush(); continue }
            if let level = heading(line) {
                flush()
                let text = line.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
                out.append("<h\(level + 1)>" + inline(text) + "</h\(level + 1)>")   // h1 is the article title
                continue
            }
            if let item = bullet(line) {
                if list?.ordered != false { flush() }
                if list == nil { list = (false, []) }
                list!.items.append(item)
                continue
            }
            if let item = numbered(line) {
                if list?.ordered != true { flush() }
                if list == nil { list = (true, []) }
                list!.items.append(item)
                continue
            }
            if line.hasPrefix(">") {
                if quote.isEmpty { flush() }
                quote.append(String(line.dropFirst()).trimmingCharacters(in: .whitespaces))
                continue
            }
            if list != nil || !quote.isEmpty { flush() }
            paragraph.append(line)
        }
        flush()
        return out.joined(separator: "\n")
    }

    static func heading(_ line: String) -> Int? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard (1...3).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    static func bullet(_ line: String) -> String? {
        guard let first = line.first, "-*•".contains(first), line.dropFirst().first == " " else { return nil }
        return String(line.dropFirst(2))
    }

    static func numbered(_ line: String) -> String? {
        let digits = line.prefix(while: \.isASCII).prefix(while: \.isNumber)
        guard (1...3).contains(digits.count) else { return nil }
        let rest = line.dropFirst(digits.count)
        guard let mark = rest.first, ".、)".contains(mark), rest.dropFirst().first == " " || mark == "、" else { return nil }
        return rest.dropFirst().trimmingCharacters(in: .whitespaces)
    }

    /// Escapes, then adds bold and links.
    static func inline(_ text: String) -> String {
        var s = escape(text)
        s = replacingPairs(s, marker: "**", open: "<strong>", close: "</strong>")
        return links(s)
    }

    public static func escape(_ s: String) -> String { HTMLWriter.escape(s) }

    private static func replacingPairs(_ s: String, marker: String, open: String, close: String) -> String {
        let parts = s.components(separatedBy: marker)
        guard parts.count >= 3 else { return s }
        var out = parts[0]
        var i = 1
        while i < parts.count {
            if i + 1 < parts.count {
                out += open + parts[i] + close + parts[i + 1]
                i += 2
            } else {
                out += marker + parts[i]   // an unpaired marker stays text
                i += 1
            }
        }
        return out
    }

    /// `[text](address)` on already escaped text; addresses other than this site's paths and
    /// http(s) URLs stay text.
    private static func links(_ s: String) -> String {
        var out = ""
        var rest = Substring(s)
        while let open = rest.firstIndex(of: "[") {
            guard let close = rest[open...].firstIndex(of: "]"), rest.index(after: close) < rest.endIndex,
                  rest[rest.index(after: close)] == "(", let end = rest[close...].firstIndex(of: ")") else {
                out += rest[..<rest.index(after: open)]
                rest = rest[rest.index(after: open)...]
                continue
            }
            let label = rest[rest.index(after: open)..<close]
            let address = String(rest[rest.index(close, offsetBy: 2)..<end])
            out += rest[..<open]
            if isSafe(address), !label.isEmpty {
                let external = !address.hasPrefix("/")
                out += "<a href=\"\(address)\"\(external ? " rel=\"noopener noreferrer\"" : "")>\(label)</a>"
            } else {
                out += rest[open...end]
            }
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }

    /// A path on this site (not `//host`), or an http(s) URL; the text is already escaped, so it has no quotes.
    static func isSafe(_ address: String) -> Bool {
        guard !address.isEmpty, !address.contains(where: { $0.isWhitespace || $0 == "\\" }) else { return false }
        if address.hasPrefix("/") { return !address.hasPrefix("//") }
        let lower = address.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }
}
