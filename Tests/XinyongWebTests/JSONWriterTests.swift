import Foundation
import Testing
import XinyongCore
@testable import XinyongWeb

@Suite("JSON writer")
struct JSONWriterTests {
    @Test func roundTripsThroughAStandardParser() throws {
        let tricky = "引号\"反斜杠\\换行\n制表\t回车\r控制\u{01}斜杠/表情😀"
        let value = JSONValue.object(["b": .string(tricky), "a": .array([.int(-3), .bool(true), .null]), "c": .object([:])])
        let text = String(decoding: value.serialized, as: UTF8.self)
        #expect(text.hasPrefix("{\"a\":[-3,true,null],\"b\":"))   // keys sorted
        #expect(text.contains("\\u0001") && text.contains("/表情"))
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        #expect(parsed["b"] as? String == tricky)
        #expect((parsed["a"] as? [Any])?.count == 3)
    }
}

@Suite("Subject JSON")
struct SubjectJSONTests {
    @Test func subjectFieldsAreWrittenInSortedKeyOrder() throws {
        let json = SubjectDTO(subject: .init(id: 1, kind: .enterprise, code: "91350200776049653A", name: "厦门示例科技有限公司",
                                             formerNames: [.init(name: "旧名", until: nil)], regionCode: "350203",
                                             createdAt: Date(), updatedAt: Date())).json
        guard case .fields(let f) = json else { Issue.record("subject JSON should be ordered fields"); return }
        #expect(f.map(\.0) == f.map(\.0).sorted())
        let parsed = try JSONSerialization.jsonObject(with: Data(json.serialized)) as! [String: Any]
        #expect(parsed["region"] as? [String: String] == ["code": "350203", "name": "福建省厦门市思明区"])
        #expect(parsed["legal_representative"] is NSNull)
    }
}
