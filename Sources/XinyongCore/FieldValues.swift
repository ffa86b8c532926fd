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
        // Three numbers and their digit counts, in locals (arrays here were two allocations a date).
        var p0 = 0, p1 = 0, p2 = 0
        var d0 = 0, d1 = 0, d2 = 0
        var index = 0
        var separator: UInt8 = 0
        func complete() -> CivilDate? {
            guard index == 2, d0 == 4, (1...2).contains(d1), (1...2).contains(d2) else { return nil }
            return CivilDate(year: p0, month: p1, day: p2)
        }
        for b in text.utf8 {
            switch b {
            case 0x30...0x39:
                let v = Int(b - 0x30)
                switch index {
                case 0: p0 = p0 * 10 + v; d0 += 1; if d0 > 4 { return nil }
                case 1: p1 = p1 * 10 + v; d1 += 1; if d1 > 4 { return nil }
                default: p2 = p2 * 10 + v; d2 += 1; if d2 > 4 { return nil }
                }
            case UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "."):
                guard index < 2, separator == 0 || separator == b else { return nil }
                separator = b
                index += 1
            case UInt8(ascii: " "), UInt8(ascii: "T"):
                return complete()
            default:
                return nil
            }
        }
        return complete()
    }

    /// A non-negative amount (e.g. 罚款金额 in 万元) as an exact decimal string with no exponent and
    /// no trailing zeros: `"1,200.50"` → `"1200.5"`. Never a binary float.
    public static func amount(_ raw: String, maxFractionDigits: Int = 6) -> Parsed<String> {
        if let plain = plainAmount(raw, maxFractionDigits: maxFractionDigits) { return .value(plain) }
        return anyAmount(raw, maxFractionDigits: maxFractionDigits)
    }

    /// ``amount(_:maxFractionDigits:)`` for every form: full-width digits, spaces, thousands
    /// separators, and the reasons for what cannot be read.
    static func anyAmount(_ raw: String, maxFractionDigits: Int) -> Parsed<String> {
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

    /// The common form, ASCII digits with at most one point and nothing else (`8`, `0.50`), read
    /// byte by byte into the same canonical value as ``amount(_:maxFractionDigits:)``; `nil` for
    /// anything else, which the general path parses or explains.
    static func plainAmount(_ raw: String, maxFractionDigits: Int) -> String? {
        var out: [UInt8] = []
        var point = -1        // index of the point in `out`
        var significant = false
        var integerDigits = 0
        var fractionDigits = 0
        var keep = 0          // `out` up to the last non-zero fraction digit
        for b in raw.utf8 {
            switch b {
            case 0x30...0x39:
                if point < 0 {
                    if b == 0x30 && !significant { continue }   // leading zeros
                    significant = true
                    integerDigits += 1
                    out.append(b)
                    keep = out.count
                } else {
                    fractionDigits += 1
                    out.append(b)
                    if b != 0x30 { keep = out.count }
                }
            case UInt8(ascii: "."):
                guard point < 0 else { return nil }
                if !significant {
                    // "0.5" or ".5": the general path requires an integer part; look at the raw text.
                    guard raw.utf8.first != UInt8(ascii: ".") else { return nil }
                    out.append(0x30)
                    keep = out.count
                }
                point = out.count
                out.append(b)
            default:
                return nil
            }
        }
        if point < 0 {
            guard !out.isEmpty || raw.utf8.first == 0x30 else { return nil }   // empty, or all zeros
            if out.isEmpty { return "0" }
        } else {
            guard fractionDigits > 0 else { return nil }   // "1."
        }
        guard integerDigits <= 12 else { return nil }
        if point >= 0 {
            // Trailing zeros of the fraction go, and the point with them when nothing is left.
            let fraction = max(0, keep - point - 1)
            guard fraction <= maxFractionDigits else { return nil }
            out.removeSubrange((fraction == 0 ? point : keep)...)
        }
        return String(decoding: out, as: UTF8.self)
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
