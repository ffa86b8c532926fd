import Foundation

/// A calendar date with no time of day or time zone, as the law and the registries use them
/// ("成立日期 2019-03-05"). Stored and exchanged as `YYYY-MM-DD`.
public struct CivilDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a date only if it exists in the proleptic Gregorian calendar.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` (or the compact `YYYYMMDD` used inside identity numbers).
    public init?(_ text: some StringProtocol) {
        // `YYYY-MM-DD` or `YYYYMMDD`, read byte by byte.
        let dashed: Bool
        switch text.utf8.count {
        case 10: dashed = true
        case 8: dashed = false
        default: return nil
        }
        var numbers = (0, 0, 0)
        for (i, b) in text.utf8.enumerated() {
            if dashed && (i == 4 || i == 7) {
                guard b == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard b >= 0x30 && b <= 0x39 else { return nil }
            let v = Int(b - 0x30)
            let position = dashed ? (i < 4 ? 0 : i < 7 ? 1 : 2) : (i < 4 ? 0 : i < 6 ? 1 : 2)
            switch position {
            case 0: numbers.0 = numbers.0 * 10 + v
            case 1: numbers.1 = numbers.1 * 10 + v
            default: numbers.2 = numbers.2 * 10 + v
            }
        }
        self.init(year: numbers.0, month: numbers.1, day: numbers.2)
    }

    /// The date `days` after 1970-01-01 (negative: before), in the proleptic Gregorian calendar.
    public init(daysSinceEpoch days: Int) {
        // Civil-from-days over 400-year eras (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// 1 = Monday … 7 = Sunday (ISO 8601). 1970-01-01 was a Thursday.
    public var isoWeekday: Int { ((daysSinceEpoch + 3) % 7 + 7) % 7 + 1 }

    public var isWeekend: Bool { isoWeekday >= 6 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Today's date in China Standard Time (UTC+8, no daylight saving), the platform's legal calendar.
    public static func today(now: Date = Date()) -> CivilDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return CivilDate(year: c.year!, month: c.month!, day: c.day!)!
    }

    public var description: String {
        // `YYYY-MM-DD` written as bytes (the year is 1…9999, see the initialiser).
        func digit(_ n: Int) -> UInt8 { UInt8(0x30 + n) }
        let bytes: [UInt8] = [digit(year / 1000), digit(year / 100 % 10), digit(year / 10 % 10), digit(year % 10), UInt8(ascii: "-"),
                              digit(month / 10), digit(month % 10), UInt8(ascii: "-"), digit(day / 10), digit(day % 10)]
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = CivilDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "日期应为 YYYY-MM-DD 格式：\(text)"))
        }
        self = d
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
