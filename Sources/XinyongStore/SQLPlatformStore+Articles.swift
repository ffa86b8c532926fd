import Foundation
import SQLKit
import XinyongCore

extension SQLPlatformStore {
    private struct ArticleRow: Decodable {
        var id: Int64; var column_code: String; var title: String; var body: String; var status: String
        var published_on: String?; var version: Int; var updated_at: Int64; var updated_by: String

        var article: Article {
            Article(id: id, column: ArticleColumn(rawValue: column_code) ?? .notice, title: title, body: body,
                    status: ArticleStatus(rawValue: status) ?? .draft, publishedOn: published_on.flatMap { CivilDate($0) },
                    version: version, updatedAt: Clock.date(updated_at), updatedBy: updated_by)
        }
    }

    private static let articleColumns: SQLQueryString = "id, column_code, title, body, status, published_on, version, updated_at, updated_by"

    public func saveArticle(id: Int64?, _ draft: ArticleDraft, actor: String, expectedVersion: Int?, today: CivilDate) async throws -> Article {
        let now = Clock.millis()
        // A first publication without a date is dated the day it is published.
        let dated = draft.status == .published ? (draft.publishedOn ?? today) : draft.publishedOn
        let savedID: Int64 = try await database.transaction { db in
            guard let id else {
                return try await db.raw("""
                    INSERT INTO articles (column_code, title, body, status, published_on, version, created_at, updated_at, updated_by)
                    VALUES (\(bind: draft.column.rawValue), \(bind: draft.title), \(bind: draft.body), \(bind: draft.status.rawValue),
                            \(bind: dated?.description), 1, \(bind: now), \(bind: now), \(bind: actor))
                    RETURNING id
                    """).first(decodingColumn: "id", as: Int64.self)!
            }
            guard let current = try await db.raw("SELECT \(Self.articleColumns) FROM articles WHERE id = \(bind: id)")
                .first(decoding: ArticleRow.self) else { throw DomainError.notFound(what: "文章 \(id)") }
            if let expectedVersion, expectedVersion != current.version {
                throw DomainError.conflict("这篇文章已被他人修改（当前第 \(current.version) 版），请重新打开后再保存")
            }
            try await db.raw("""
                INSERT INTO article_versions (article_id, version, column_code, title, body, status, published_on, updated_at, updated_by,
                                              replaced_at, replaced_by)
                SELECT id, version, column_code, title, body, status, published_on, updated_at, updated_by, \(bind: now), \(bind: actor)
                FROM articles WHERE id = \(bind: id)
                """).run()
            try await db.raw("""
                UPDATE articles SET column_code = \(bind: draft.column.rawValue), title = \(bind: draft.title), body = \(bind: draft.body),
                    status = \(bind: draft.status.rawValue), published_on = \(bind: (dated ?? current.published_on.flatMap { CivilDate($0) })?.description),
                    version = version + 1, updated_at = \(bind: now), updated_by = \(bind: actor)
                WHERE id = \(bind: id)
                """).run()
            return id
        }
        return try await article(id: savedID)!
    }

    public func article(id: Int64) async throws -> Article? {
        try await db.raw("SELECT \(Self.articleColumns) FROM articles WHERE id = \(bind: id)").first(decoding: ArticleRow.self)?.article
    }

    private static func articleFilter(column: ArticleColumn?, publicOn: CivilDate?) -> SQLQueryString {
        var filter: SQLQueryString = "1 = 1"
        if let column { filter += " AND column_code = \(bind: column.rawValue)" }
        if let publicOn { filter += " AND status = 'published' AND published_on <= \(bind: publicOn.description)" }
        return filter
    }

    public func articles(column: ArticleColumn?, publicOn: CivilDate?, limit: Int, offset: Int) async throws -> [Article] {
        try await db.raw("""
            SELECT \(Self.articleColumns) FROM articles WHERE \(Self.articleFilter(column: column, publicOn: publicOn))
            ORDER BY CASE WHEN published_on IS NULL THEN 0 ELSE 1 END, published_on DESC, id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all(decoding: ArticleRow.self).map(\.article)
    }

    public func countArticles(column: ArticleColumn?, publicOn: CivilDate?) async throws -> Int {
        try await count("SELECT count(*) AS n FROM articles WHERE \(Self.articleFilter(column: column, publicOn: publicOn))")
    }

    /// How many replaced versions of an article are kept.
    public func articleVersions(id: Int64) async throws -> Int {
        try await count("SELECT count(*) AS n FROM article_versions WHERE article_id = \(bind: id)")
    }

    // MARK: Audit log

    public func recordAudit(_ e: AuditEntry) async throws {
        try await db.raw("""
            INSERT INTO audit_log (at, actor, actor_name, role, department_code, action, target, status, address)
            VALUES (\(bind: Clock.millis(e.at)), \(bind: e.actor), \(bind: e.actorName), \(bind: e.role), \(bind: e.departmentCode), \(bind: e.action),
                    \(bind: e.target), \(bind: e.status), \(bind: e.address))
            """).run()
    }

    public func auditEntries(department: String?, before: Int64?, limit: Int) async throws -> [AuditEntry] {
        struct Row: Decodable {
            var id: Int64; var at: Int64; var actor: String; var actor_name: String; var role: String; var department_code: String?
            var action: String; var target: String; var status: Int; var address: String?
        }
        var filter: SQLQueryString = "1 = 1"
        if let department { filter += " AND department_code = \(bind: department)" }
        if let before { filter += " AND id < \(bind: before)" }
        return try await db.raw("""
            SELECT id, at, actor, actor_name, role, department_code, action, target, status, address FROM audit_log
            WHERE \(filter) ORDER BY id DESC LIMIT \(bind: limit)
            """).all(decoding: Row.self).map {
                AuditEntry(id: $0.id, at: Clock.date($0.at), actor: $0.actor, actorName: $0.actor_name, role: $0.role, departmentCode: $0.department_code,
                           action: $0.action, target: $0.target, status: $0.status, address: $0.address)
            }
    }
}
