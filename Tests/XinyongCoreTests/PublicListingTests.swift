import Testing
import XinyongCore

@Suite("Public listing query")
struct PublicListingTests {
    func reason(_ make: () throws -> PublicRecordQuery) -> String? {
        do { _ = try make(); return nil } catch DomainError.invalid(_, let r) { return r } catch { return "\(error)" }
    }

    @Test func filtersAreNormalisedAndBadOnesExplained() throws {
        let q = try PublicRecordQuery(items: ["xzcf"], department: "", keyword: "  厦门  ", page: 3, perPage: 500)
        #expect(q.department == nil && q.keyword == "厦门" && q.page == 3 && q.perPage == 100)
        #expect(try PublicRecordQuery(items: ["xzcf"], keyword: "   ").keyword == nil)
        #expect(reason { try PublicRecordQuery(items: []) }?.contains("至少选择一类") == true)
        #expect(reason { try PublicRecordQuery(items: ["xzcf"], page: 0) }?.contains("从 1 开始") == true)
        #expect(reason { try PublicRecordQuery(items: ["xzcf"], page: PublicRecordQuery.maxPage + 1) }?.contains("最多可翻到第 50 页") == true)
        #expect(reason { try PublicRecordQuery(items: ["xzcf"], decidedFrom: CivilDate("2026-02-01"), decidedTo: CivilDate("2026-01-31")) }?
            .contains("不能早于") == true)
        #expect(reason { try PublicRecordQuery(items: ["xzcf"], keyword: String(repeating: "字", count: 51)) }?.contains("50 个字") == true)
        #expect(reason { try PublicRecordQuery(items: ["xzcf"], keyword: "a\u{0}b") }?.contains("不可见") == true)
    }

    @Test func pageCountStopsAtTheDepthCap() {
        let p = PublicRecordPage(items: [], total: 10_000, totalExact: false, page: 1, perPage: 20)
        #expect(p.pageCount == PublicRecordQuery.maxPage)
        #expect(PublicRecordPage(items: [], total: 41, totalExact: true, page: 1, perPage: 20).pageCount == 3)
        #expect(PublicRecordPage(items: [], total: 0, totalExact: true, page: 1, perPage: 20).pageCount == 0)
    }
}
