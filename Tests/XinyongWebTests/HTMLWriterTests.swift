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
        let html = PagesController.SearchModel.resultsHTML(rows)
        #expect(html.components(separatedBy: "<li class=\"result\">").count == 3)
        #expect(html.contains("<h2><a href=\"/subjects/91350200776049653A\">厦门&lt;甲&gt;科技有限公司</a></h2>"))
        #expect(html.contains("<a class=\"risk risk-jyyc\" href=\"/subjects/91350200776049653A#sec-lists\">经营异常名录</a><a class=\"risk risk-disputed\" href=\"/subjects/91350200776049653A#sec-top\">异议处理中</a>"))
        #expect(html.components(separatedBy: "<p class=\"marks\">").count == 2)
        #expect(html.components(separatedBy: "法定代表人/负责人").count == 2 && html.contains("<dd>王伟</dd>"))
        #expect(html.contains("<span class=\"tag tag-revoked\">吊销</span>"))
    }
}
