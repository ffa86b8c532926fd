import Foundation
import Testing
import XinyongCore

@Suite("Articles and their safe Markdown")
struct ArticleTests {
    @Test func markupIsOnlyOurOwn() {
        let html = LightMarkdown.html("""
            <script>alert(1)</script> 与 <img src=x onerror=alert(1)>
            第二行 & "引号"
            """)
        #expect(html == "<p>&lt;script&gt;alert(1)&lt;/script&gt; 与 &lt;img src=x onerror=alert(1)&gt;<br>第二行 &amp; &quot;引号&quot;</p>")
    }

    @Test func blocksAndInlineMarks() {
        let html = LightMarkdown.html("""
            # 一、总体要求

            各部门应当**按时**报送。
            - 行政许可
            - 行政处罚

            1. 第一步
            2. 第二步
            > 摘自国办发〔2020〕49号
            """)
        #expect(html.contains("<h2>一、总体要求</h2>"))
        #expect(html.contains("<p>各部门应当<strong>按时</strong>报送。</p>"))
        #expect(html.contains("<ul><li>行政许可</li><li>行政处罚</li></ul>"))
        #expect(html.contains("<ol><li>第一步</li><li>第二步</li></ol>"))
        #expect(html.contains("<blockquote><p>摘自国办发〔2020〕49号</p></blockquote>"))
        #expect(LightMarkdown.html("**未闭合") == "<p>**未闭合</p>")
        #expect(LightMarkdown.html("#没有空格") == "<p>#没有空格</p>")
    }

    @Test func onlySafeAddressesBecomeLinks() {
        #expect(LightMarkdown.html("[名单](/lists/black)") == "<p><a href=\"/lists/black\">名单</a></p>")
        #expect(LightMarkdown.html("[原文](https://www.gov.cn/x.html)")
                == "<p><a href=\"https://www.gov.cn/x.html\" rel=\"noopener noreferrer\">原文</a></p>")
        for bad in ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "//evil.example/x", "data:text/html,x", "/a b", "vbscript:x"] {
            let html = LightMarkdown.html("[点我](\(bad))")
            #expect(!html.contains("<a "), "\(bad)")
        }
        // A quote in the address cannot leave the attribute: it is escaped before links are made.
        let quoted = LightMarkdown.html("[x](/a\"onmouseover=\"alert(1))")
        #expect(!quoted.contains("\"onmouseover"))
    }

    @Test func draftsAreChecked() throws {
        #expect(throws: DomainError.invalid(field: "title", reason: "请填写标题")) {
            try ArticleDraft(column: .notice, title: "  ", body: "正文", status: .draft, publishedOn: nil)
        }
        #expect(throws: DomainError.self) {
            try ArticleDraft(column: .notice, title: String(repeating: "长", count: 101), body: "正文", status: .draft, publishedOn: nil)
        }
        #expect(throws: DomainError.invalid(field: "body", reason: "请填写正文")) {
            try ArticleDraft(column: .policy, title: "标题", body: "\r\n \n", status: .draft, publishedOn: nil)
        }
        let d = try ArticleDraft(column: .cases, title: " 标题 ", body: "第一段\r\n第二行\n", status: .published, publishedOn: nil)
        #expect(d.title == "标题" && d.body == "第一段\n第二行")
    }

    @Test func anArticleIsPublicFromItsDateWhilePublished() {
        let day = CivilDate(year: 2026, month: 11, day: 20)!
        var a = Article(id: 1, column: .notice, title: "t", body: "b", status: .published, publishedOn: day, version: 1,
                        updatedAt: .init(timeIntervalSince1970: 0), updatedBy: "x")
        #expect(a.isPublic(on: day) && !a.isPublic(on: day.adding(days: -1)))
        a.status = .withdrawn
        #expect(!a.isPublic(on: day))
    }
}
