import Foundation
import Testing
import XinyongCore

@Suite("Stored field JSON")
struct SortedJSONTests {
    /// Stored `fields` are compared byte for byte to detect unchanged rows, so the direct writer
    /// must equal what `JSONEncoder` (sorted keys, unescaped slashes) produces.
    @Test func matchesJSONEncoderExactly() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let samples: [[String: String]] = [
            [:],
            ["CF_NR": "罚款", "CF_NR_FK": "2.5", "CF_NRX": "x", "BZ": "", "cf_lower": "a", "CF_1": "1", "CF_10": "10", "CF_2": "2"],
            ["K": "引号\"反斜杠\\斜杠/换行\n回车\r制表\t退格\u{08}换页\u{0C}控制\u{01}\u{1F}删除\u{7F}表情😀全角（）"],
        ]
        for map in samples {
            #expect(JSONText.sortedObject(map) == String(decoding: try encoder.encode(map), as: UTF8.self))
        }
    }
}
