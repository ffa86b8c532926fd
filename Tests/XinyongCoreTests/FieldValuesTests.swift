import Foundation
import Testing
@testable import XinyongCore

@Suite("Field values as departments write them")
struct FieldValuesTests {
    @Test("date forms", arguments: [
        ("2024-01-05", "2024-01-05"), ("2024/1/5", "2024-01-05"), ("2024.1.5", "2024-01-05"), ("2024年1月5日", "2024-01-05"),
        ("20240105", "2024-01-05"), ("45296", "2024-01-05"), ("45296.5", "2024-01-05"), ("2024/01/05 14:30:00", "2024-01-05"),
        ("２０２４年１月５日", "2024-01-05"), ("2024-1-5T00:00:00", "2024-01-05"), ("2099/12/31", "2099-12-31"), ("61", "1900-03-01"),
    ])
    func dates(_ input: String, _ expected: String) {
        #expect(FieldValues.date(input) == .value(CivilDate(expected)!))
    }

    @Test("impossible or unreadable dates", arguments: ["2023-02-29", "2024/13/01", "20230229", "2024-1", "明天", "", "60", "1.5.2024"])
    func badDates(_ input: String) {
        guard case .invalid(let reason) = FieldValues.date(input) else {
            Issue.record("\(input) should be refused")
            return
        }
        #expect(!reason.isEmpty)
    }

    @Test func amountsAreExactDecimals() {
        #expect(FieldValues.amount("1,200.50") == .value("1200.5"))
        #expect(FieldValues.amount("0.1") == .value("0.1"))
        #expect(FieldValues.amount("007") == .value("7"))
        #expect(FieldValues.amount("3.000") == .value("3"))
        #expect(FieldValues.amount("０.５") == .value("0.5"))
        #expect(FieldValues.amount("123456789012.123456") == .value("123456789012.123456"))
    }

    /// The byte-level reading of plain amounts gives exactly what the general path gives, for
    /// every string of up to five characters over digits, zeros and points (and some longer ones).
    @Test func plainAmountsReadAsTheGeneralPathReadsThem() {
        var inputs: [String] = [""]
        var frontier = [""]
        for _ in 0..<5 {
            frontier = frontier.flatMap { p in ["0", "1", "5", "."].map { p + $0 } }
            inputs += frontier
        }
        inputs += ["123456789012", "1234567890123", "0001234567890123", "1.1234567", "1.123456", "1.1234560", "0.000000", "10.10", "100"]
        for raw in inputs {
            let fast = FieldValues.plainAmount(raw, maxFractionDigits: 6)
            let general = FieldValues.anyAmount(raw, maxFractionDigits: 6)
            if let fast {
                #expect(general == .value(fast), "“\(raw)”: \(fast) against \(general)")
            } else if case .value(let v) = general {
                Issue.record("“\(raw)” has the plain form \(v) but the fast path left it")
            }
        }
    }

    @Test func civilDatesReadAndWriteAsText() {
        for (text, y, m, d) in [("2024-01-05", 2024, 1, 5), ("0001-12-31", 1, 12, 31), ("9999-02-28", 9999, 2, 28), ("20240229", 2024, 2, 29)] {
            let date = CivilDate(text)
            #expect(date == CivilDate(year: y, month: m, day: d))
            #expect(date?.description == String(format: "%04d-%02d-%02d", y, m, d))
        }
        for bad in ["2023-02-29", "2024-1-05", "2024/01/05", "202401051", "2024-13-01", "2024-00-10", "abcd-ef-gh", "2024-01-0x"] {
            #expect(CivilDate(bad) == nil, "\(bad)")
        }
        for (text, expected) in [("2024-1-5", "2024-01-05"), ("2024.12.31 23:59", "2024-12-31"), ("2024/1/5T08", "2024-01-05")] {
            #expect(FieldValues.asciiDate(text)?.description == expected)
        }
        for bad in ["2024-1-5-", "2024-1", "24-1-5", "2024-1/5", "2024-123-5", "20245-1-5", "2024-1-5x"] {
            #expect(FieldValues.asciiDate(bad) == nil, "\(bad)")
        }
    }

    @Test func badAmounts() {
        #expect(FieldValues.amount("-1") == .invalid("金额不能为负数：“-1”"))
        #expect(FieldValues.amount("5万元") == .invalid("“5万元”请只填数字：本栏单位已规定，不要带“万元”"))
        for bad in ["1e3", "1.2.3", ".5", "5.", "abc", "0.1234567", "1234567890123"] {
            guard case .invalid = FieldValues.amount(bad) else { Issue.record("\(bad) should be refused"); continue }
        }
    }
}

/// Stored record fields are compared as text on resubmission, so the writer must give exactly
/// what the encoder gives, whether the key order is sorted per record or known in advance.
@Suite struct JSONTextTests {
    @Test func objectsAreByteIdenticalToJSONEncoderWithSortedKeys() throws {
        let map = ["CF_WSH": "厦市监罚〔2026〕1号", "CF_SY": "含\"引号\"\\与\n换行\u{01}", "BZ": "", "CF_NR_FK": "1.5", "A_B": "/"]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(map), as: UTF8.self)
        #expect(JSONText.sortedObject(map) == expected)
        let order = (Array(map.keys) + ["CF_OTHER", "ZZ"]).sorted()
        #expect(JSONText.sortedObject(map, sortedKeys: order) == expected)
        #expect(JSONText.sortedObject(map, sortedKeys: ["CF_WSH"]) == expected)   // an incomplete order falls back
    }
}
