import Foundation
import Mustache
import Testing
import XinyongCore
@testable import XinyongWeb

@Suite("HTML writer")
struct HTMLWriterTests {
    /// Values are escaped exactly as the templates' `{{…}}` escape them.
    @Test func escapesAsTheTemplatesDo() throws {
        let tricky = "A&B <script>alert('x')</script> \"引号\" 厦门😀"
        let template = try MustacheTemplate(string: "{{v}}")
        #expect(HTMLWriter.escape(tricky) == template.render(["v": tricky]))
        #expect(HTMLWriter.escape(tricky) == "A&amp;B &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;引号&quot; 厦门😀")
        var w = HTMLWriter()
        w.raw("<p title=\""); w.text("\"><b>"); w.raw("\">")
        #expect(w.html == "<p title=\"&quot;&gt;&lt;b&gt;\">")
    }

    /// A search result: the archive link, the marks (only when there are any), the legal
    /// representative only when known, every value escaped.
    @Test func searchResultsAreWrittenWithTheirMarks() {
        typealias Row = PagesController.SearchModel.Row
        let rows = [
            Row(name: "厦门<甲>科技有限公司", code: "91350200776049653A", kindLabel: "企业法人", legalRepresentative: nil, status: "active",
                statusLabel: "存续", marks: [.init(item: "jyyc", label: "经营异常名录", section: "lists"), .disputed]),
            Row(name: "厦门乙贸易有限公司", code: "9135021359498494XQ", kindLabel: "企业法人", legalRepresentative: "王伟", status: "revoked",
                statusLabel: "吊销", marks: []),
        ]
        var w = HTMLWriter()
        PagesController.SearchModel.results(rows, into: &w)
        let html = w.html
        #expect(html.components(separatedBy: "<li class=\"result\">").count == 3)
        #expect(html.contains("<h2><a href=\"/subjects/91350200776049653A\">厦门&lt;甲&gt;科技有限公司</a></h2>"))
        #expect(html.contains("<a class=\"risk risk-jyyc\" href=\"/subjects/91350200776049653A#sec-lists\">经营异常名录</a><a class=\"risk risk-disputed\" href=\"/subjects/91350200776049653A#sec-top\">异议处理中</a>"))
        #expect(html.components(separatedBy: "<p class=\"marks\">").count == 2)
        #expect(html.components(separatedBy: "法定代表人/负责人").count == 2 && html.contains("<dd>王伟</dd>"))
        #expect(html.contains("<span class=\"tag tag-revoked\">吊销</span>"))
    }

    /// The whole search page body: the query escaped where it is echoed, the chosen filter
    /// selected, the count, paging links only where there are pages, the advice to narrow.
    @Test func searchPageIsWrittenWithItsParts() {
        typealias Model = PagesController.SearchModel
        let row = Model.Row(name: "厦门甲科技有限公司", code: "91350200776049653A", kindLabel: "企业法人", legalRepresentative: nil,
                            status: "active", statusLabel: "存续", marks: [])
        var model = Model(query: "\"><script>", hasQuery: true, error: nil,
                          kinds: [.init(value: "", label: "全部类型", selected: false), .init(value: "enterprise", label: "企业法人", selected: true)],
                          statuses: [.init(value: "", label: "全部状态", selected: true)],
                          total: 201, totalText: "200+", page: 2, totalPages: 10, firstIndex: 21, rows: [row],
                          prevURL: "/search?q=a&page=1", nextURL: nil, refine: "请输入更完整的名称")
        let html = model.html()
        #expect(html.contains("value=\"&quot;&gt;&lt;script&gt;\"") && !html.contains("<script>"))
        #expect(html.contains("“&quot;&gt;&lt;script&gt;”共找到 <strong>200+</strong> 个主体，第 2 / 10 页。"))
        #expect(html.contains("<option value=\"enterprise\" selected>企业法人</option>") && html.contains("<option value=\"\">全部类型</option>"))
        #expect(html.contains("<ol class=\"results\" start=\"21\">") && html.contains("rel=\"prev\">上一页") && !html.contains("rel=\"next\""))
        #expect(html.contains("<p class=\"muted\">请输入更完整的名称</p>"))
        model.rows = []
        model.total = 0
        model.totalText = "0"
        let none = model.html()
        #expect(none.contains("共找到 <strong>0</strong> 个主体。</p>") && !none.contains("<ol") && !none.contains("上一页"))
        model.hasQuery = false
        model.error = "请输入至少 2 个字"
        let invalid = model.html()
        #expect(invalid.contains("<p class=\"alert\" role=\"alert\">请输入至少 2 个字</p>") && !invalid.contains("共找到"))
    }
}
