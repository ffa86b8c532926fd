import Foundation
import Testing
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
