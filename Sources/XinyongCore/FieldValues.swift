import Foundation

/// Parsing of the values departments actually write in their files, into canonical forms.
/// Each parser returns the canonical value or a Chinese reason a clerk can act on.
public enum FieldValues {
    public enum Parsed<T: Sendable & Equatable>: Sendable, Equatable {
        case value(T)
        case invalid(String)
    }

    /// Dates as written in practice: `2024-01-05`, `2024/1/5`, `2024.1.5`, `2024年1月5日`, `20240105`,
    /// an Excel serial day number (`45296`, 1900 date system, with or without a fraction), and any of
    /// these followed by a time of day (which is dropped). Full-width digits are accepted.
    public static func date(_ raw: String) -> Parsed<CivilDate> {
        let text = raw.utf8.allSatisfy({ $0 < 0x80 }) ? raw.trimmingASCIISpaces : raw.precomposedStringWithCompatibilityMapping.trimmingWhitespaceScalars
        guard !text.isEmpty else { return .invalid("日期为空") }
        // Excel stores dates as days since 1899-12-30 (its 1900 leap-year bug included): serials
        // 1–60 predate March 1900 and are not credit-record dates, so only 61…2958465 are taken.
        if text.allSatisfy({ $0.isASCIIDigit || $0 == "." }), text.filter({ $0 == "." }).count <= 1,
           let serial = Double(text), text.count != 8 {
            let day = Int(serial.rounded(.down))
            guard (61...2_958_465).contains(day) else {
                return .invalid("“\(raw)”不是有效日期（请写成 2024-01-05 这样的格式）")
            }
            return .value(CivilDate(year: 1899, month: 12, day: 30)!.adding(days: day))
        }
        if let d = asciiDate(text) { return .value(d) }
        var datePart = Substring(text)
        if let cut = text.firstIndex(where: { $0 == " " || $0 == "T" }) { datePart = text[..<cut] }
        if datePart.count == 8, datePart.allSatisfy(\.isASCIIDigit) {
            guard let d = CivilDate(datePart) else { return .invalid("“\(raw)”不是存在的日期") }
            return .value(d)
        }
        let normalized = datePart.replacingOccurrences(of: "年", with: "-").replacingOccurrences(of: "月", with: "-")
            .replacingOccurrences(of: "日", with: "").replacingOccurrences(of: "号", with: "")
            .replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: ".", with: "-")
        let parts = normalized.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else {
            return .invalid("“\(raw)”不是可识别的日期格式（可写 2024-01-05、2024/1/5、2024年1月5日 或 20240105）")
        }
        guard let date = CivilDate(year: y, month: m, day: d) else { return .invalid("“\(raw)”不是存在的日期") }
        return .value(date)
    }

    /// The common all-ASCII forms (`2024-1-5`, `2024/01/05`, `2024.1.5`, optionally followed by a
    /// time) parsed byte by byte; `nil` sends other forms to the general path.
    static func asciiDate(_ text: String) -> CivilDate? {
        var parts = [0, 0, 0]
        var digits = [0, 0, 0]
        var index = 0
        var separator: UInt8 = 0
        for b in text.utf8 {
            switch b {
            case 0x30...0x39:
                parts[index] = parts[index] * 10 + Int(b - 0x30)
                digits[index] += 1
                if digits[index] > 4 { return nil }
            case UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "."):
                guard index < 2, separator == 0 || separator == b else { return nil }
                separator = b
                index += 1
            case UInt8(ascii: " "), UInt8(ascii: "T"):
                guard index == 2 else { return nil }
                return digits == [4, digits[1], digits[2]] && (1...2).contains(digits[1]) && (1...2).contains(digits[2])
                    ? CivilDate(year: parts[0], month: parts[1], day: parts[2]) : nil
            default:
                return nil
            }
        }
        guard index == 2, digits[0] == 4, (1...2).contains(digits[1]), (1...2).contains(digits[2]) else { return nil }
        return CivilDate(year: parts[0], month: parts[1], day: parts[2])
    }

    /// A non-negative amount (e.g. 罚款金额 in 万元) as an exact decimal string with no exponent and
    /// no trailing zeros: `"1,200.50"` → `"1200.5"`. Never a binary float.
    public static func amount(_ raw: String, maxFractionDigits: Int = 6) -> Parsed<String> {
        var text = (raw.utf8.allSatisfy { $0 < 0x80 } ? raw : raw.precomposedStringWithCompatibilityMapping).trimmingWhitespaceScalars
        for unit in ["万元", "元", "万"] where text.hasSuffix(unit) {
            return .invalid("“\(raw)”请只填数字：本栏单位已规定，不要带“\(unit)”")
        }
        text = text.replacingOccurrences(of: ",", with: "")
        guard !text.isEmpty else { return .invalid("金额为空") }
        if text.hasPrefix("-") { return .invalid("金额不能为负数：“\(raw)”") }
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count <= 2, !pieces[0].isEmpty, pieces.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              pieces.count == 1 || !pieces[1].isEmpty else {
            return .invalid("“\(raw)”不是有效的金额（应为数字，如 1.5 或 1200）")
        }
        var integer = String(pieces[0].drop { $0 == "0" })
        if integer.isEmpty { integer = "0" }
        guard integer.count <= 12 else { return .invalid("金额“\(raw)”过大") }
        var fraction = pieces.count == 2 ? String(pieces[1]) : ""
        while fraction.hasSuffix("0") { fraction.removeLast() }
        guard fraction.count <= maxFractionDigits else {
            return .invalid("金额“\(raw)”的小数位超过 \(maxFractionDigits) 位")
        }
        return .value(fraction.isEmpty ? integer : integer + "." + fraction)
    }
}

extension String {
    /// Trims ASCII spaces and tabs without Foundation's CharacterSet machinery (hot in intake).
    var trimmingASCIISpaces: String {
        let u = utf8
        guard let first = u.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        let last = u.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })!
        if first == u.startIndex && last == u.index(before: u.endIndex) { return self }
        return String(self[first...last])
    }
}

extension String {
    /// The string without leading and trailing white space (Unicode White_Space, which includes
    /// line breaks, U+3000 and NBSP), without a Foundation round trip; the string itself when
    /// there is none, which is the common case.
    var trimmingWhitespaceScalars: String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last,
              !(Self.surelyNotSpace(first) && Self.surelyNotSpace(last)),
              first.properties.isWhitespace || last.properties.isWhitespace else { return self }
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }

    /// Printable ASCII and everything above U+3000 (the last White_Space scalar): decided without
    /// a Unicode property lookup, which is what most values' first and last characters are.
    private static func surelyNotSpace(_ s: Unicode.Scalar) -> Bool {
        (0x21...0x7E).contains(s.value) || s.value > 0x3000
    }
}
