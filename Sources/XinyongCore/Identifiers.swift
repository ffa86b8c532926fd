import Foundation

/// The kinds of identifier the registry understands.
public enum IdentifierKind: String, Sendable, Codable, CaseIterable {
    /// 统一社会信用代码, GB 32100-2015.
    case uscc
    /// 公民身份号码, GB 11643-1999 (18 digits) and its legacy 15-digit form.
    case residentID = "resident_id"
    /// 组织机构代码, GB 11714-1997.
    case orgCode = "org_code"
}

/// The outcome of checking one identifier: what it is, its normal form, and what is wrong with it.
public struct IdentifierCheck: Sendable, Equatable, Codable {
    public var valid: Bool
    public var kind: IdentifierKind?
    /// The normalised code (for a legacy 15-digit identity number: its 18-digit form) or `nil`
    /// when the input cannot be read as any identifier.
    public var normalized: String?
    /// Why the code is invalid, in Chinese, naming the position or part at fault.
    public var reason: String?
    public var warnings: [String]
    public var region: Region?

    public struct Region: Sendable, Equatable, Codable {
        public var code: String
        public var name: String
    }
}

/// Validation and normalisation of China's identifier standards. Pure functions.
public struct IdentifierValidator: Sendable {
    public let divisions: DivisionTable

    public init(divisions: DivisionTable = .shipped) {
        self.divisions = divisions
    }

    // MARK: Normalisation

    /// Trims, removes spaces and hyphens, folds full-width characters to half-width and upper-cases.
    public static func normalize(_ raw: String) -> String {
        if raw.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }) { return raw }   // already normal
        let folded = raw.precomposedStringWithCompatibilityMapping   // NFKC: full-width → half-width
        let dropped: Set<Character> = [" ", "\t", "\n", "\r", "-", "\u{2010}", "\u{2011}", "\u{2012}",
                                       "\u{2013}", "\u{2014}", "\u{2212}", "\u{00A0}", "\u{3000}"]
        return String(folded.filter { !dropped.contains($0) }).uppercased()
    }

    // MARK: Entry point

    /// Detects the kind of `raw` and checks it. `today` bounds identity-number birth dates.
    public func check(_ raw: String, today: CivilDate) -> IdentifierCheck {
        let code = Self.normalize(raw)
        if code.isEmpty {
            return .init(valid: false, kind: nil, normalized: nil, reason: "代码为空", warnings: [], region: nil)
        }
        switch code.count {
        case 18:
            let asUSCC = checkUSCC(code)
            if asUSCC.valid { return asUSCC }   // the common case: no second reading needed
            let asID = checkResidentID(code, today: today)
            if asID.valid { return asID }
            return Self.looksLikeResidentID(code) ? asID : asUSCC
        case 15 where code.allSatisfy(\.isASCIIDigit):
            return checkResidentID(code, today: today)
        case 9:
            return checkOrgCode(code)
        default:
            return .init(valid: false, kind: nil, normalized: nil,
                         reason: "长度为 \(code.count) 位，无法识别：统一社会信用代码为 18 位，公民身份号码为 18 位或 15 位，组织机构代码为 9 位",
                         warnings: [], region: nil)
        }
    }

    /// An 18-character code made of digits with an optional final X whose positions 7–10 read as a
    /// plausible birth year is reported as an identity number; everything else as a credit code.
    /// A code as it may be shown or echoed: an identity number masked, anything else as it is.
    public static func masked(_ code: String) -> String {
        looksLikeResidentID(code) ? maskResidentID(code) : code
    }

    /// Decided on the bytes: every code of a batch check and every lookup key passes here.
    public static func looksLikeResidentID(_ code: String) -> Bool {
        let b = code.utf8
        func digit(_ x: UInt8) -> Bool { x >= 0x30 && x <= 0x39 }
        if b.count == 15 { return b.allSatisfy(digit) }
        guard b.count == 18 else { return false }
        var year = 0
        for (i, x) in b.enumerated() {
            if i == 17 { guard digit(x) || x == UInt8(ascii: "X") else { return false }; continue }
            guard digit(x) else { return false }
            if (6..<10).contains(i) { year = year * 10 + Int(x - 0x30) }
        }
        return (1850...2100).contains(year)
    }

    // MARK: 统一社会信用代码 (GB 32100-2015)

    /// The 31-character alphabet: digits and capitals without I, O, S, V, Z.
    public static let usccAlphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    private static let usccValue: [Character: Int] = Dictionary(uniqueKeysWithValues: usccAlphabet.enumerated().map { ($1, $0) })
    static let usccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Registration authorities (position 1) and the entity categories (position 2) each allows.
    public static let usccAuthorities: [Character: (name: String, categories: [Character: String])] = [
        "1": ("机构编制", ["1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"]),
        "2": ("外交", ["1": "外国常住新闻机构", "9": "其他"]),
        "3": ("司法行政", ["1": "律师执业机构", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构", "5": "仲裁委员会", "9": "其他"]),
        "4": ("文化", ["1": "外国在华文化中心", "9": "其他"]),
        "5": ("民政", ["1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"]),
        "6": ("旅游", ["1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"]),
        "7": ("宗教", ["1": "宗教活动场所", "2": "宗教院校", "9": "其他"]),
        "8": ("工会", ["1": "基层工会", "9": "其他"]),
        "9": ("工商", ["1": "企业", "2": "个体工商户", "3": "农民专业合作社"]),
        "A": ("中央军委改革和编制办公室", ["1": "军队事业单位", "9": "其他"]),
        "N": ("农业", ["1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"]),
        "Y": ("其他", ["1": "其他"]),
    ]

    /// The USCC check character for the first 17 characters, or `nil` if one is outside the alphabet.
    public static func usccCheckCharacter(_ first17: some Sequence<Character>) -> Character? {
        var sum = 0
        for (i, ch) in first17.enumerated() {
            guard i < 17, let v = usccValue[ch] else { return nil }
            sum += v * usccWeights[i]
        }
        let c = 31 - sum % 31
        return usccAlphabet[c == 31 ? 0 : c]
    }

    /// - Parameter withRegion: resolve the division's name and warnings (skipped by bulk validation,
    ///   which needs only validity; the province must exist either way).
    /// Byte values of the credit-code alphabet (-1: not in it), and the valid (authority, category) pairs.
    private static let usccByteValue: [Int8] = {
        var t = [Int8](repeating: -1, count: 128)
        for (v, ch) in usccAlphabet.enumerated() { t[Int(ch.asciiValue!)] = Int8(v) }
        return t
    }()
    private static let usccCategoryPairs: Set<UInt16> = Set(usccAuthorities.flatMap { a, v in
        v.categories.keys.map { UInt16(a.asciiValue!) << 8 | UInt16($0.asciiValue!) }
    })

    /// True when an already-normal 18-byte code passes every check (the common case, decided on
    /// bytes); `false` means "look closer" — the full check then finds the reason.
    private func fastValidUSCC(_ code: String) -> Bool {
        return code.utf8.withContiguousStorageIfAvailable { b -> Bool in
            guard b.count == 18 else { return false }
            var sum = 0
            for i in 0..<17 {
                let c = b[i]
                guard c < 128 else { return false }
                let v = Int(Self.usccByteValue[Int(c)])
                guard v >= 0 else { return false }
                sum += v * Self.usccWeights[i]
            }
            guard b[17] < 128, Self.usccCategoryPairs.contains(UInt16(b[0]) << 8 | UInt16(b[1])) else { return false }
            for i in 2..<8 where !(b[i] >= 0x30 && b[i] <= 0x39) { return false }
            let expected = 31 - sum % 31
            guard Self.usccByteValue[Int(b[17])] == Int8(expected == 31 ? 0 : expected) else { return false }
            // The embedded organisation code (positions 9–17) has its own check character.
            var orgSum = 0
            for i in 0..<8 {
                let c = b[8 + i]
                let v: Int
                if c >= 0x30 && c <= 0x39 { v = Int(c - 0x30) } else if c >= 0x41 && c <= 0x5A { v = Int(c - 55) } else { return false }
                orgSum += v * Self.orgWeights[i]
            }
            let org = 11 - orgSum % 11
            let orgCheck: UInt8 = org == 10 ? UInt8(ascii: "X") : org == 11 ? UInt8(ascii: "0") : UInt8(0x30 + org)
            guard b[16] == orgCheck else { return false }
            return divisions.provinceExists(b[2], b[3])
        } ?? false
    }

    public func checkUSCC(_ raw: String, withRegion: Bool = true) -> IdentifierCheck {
        let code = Self.normalize(raw)
        if !withRegion, fastValidUSCC(code) {
            return .init(valid: true, kind: .uscc, normalized: code, reason: nil, warnings: [], region: nil)
        }
        func invalid(_ reason: String, region: IdentifierCheck.Region? = nil, warnings: [String] = []) -> IdentifierCheck {
            .init(valid: false, kind: .uscc, normalized: code, reason: "统一社会信用代码" + reason, warnings: warnings, region: region)
        }
        guard code.count == 18 else { return invalid("长度应为 18 位，实际为 \(code.count) 位") }
        let c = Array(code)
        for (i, ch) in c.enumerated() where Self.usccValue[ch] == nil {
            let extra = "IOSVZ".contains(ch) ? "（统一社会信用代码不使用 I、O、S、V、Z）" : ""
            return invalid("第 \(i + 1) 位字符“\(ch)”不是允许的字符\(extra)")
        }
        guard let authority = Self.usccAuthorities[c[0]] else {
            return invalid("第 1 位登记管理部门代码“\(c[0])”不存在（应为 1–9、A、N 或 Y）")
        }
        guard authority.categories[c[1]] != nil else {
            let allowed = authority.categories.keys.sorted().map(String.init).joined(separator: "、")
            return invalid("第 2 位机构类别代码“\(c[1])”不属于登记管理部门“\(authority.name)”（允许：\(allowed)）")
        }
        for i in 2..<8 where !c[i].isASCIIDigit {
            return invalid("第 \(i + 1) 位应为数字（第 3–8 位是登记管理机关行政区划码），实际为“\(c[i])”")
        }
        let divisionCode = String(c[2..<8])
        var warnings: [String] = []
        let region: IdentifierCheck.Region?
        if withRegion {
            guard let r = regionOf(divisionCode, warnings: &warnings) else {
                return invalid("第 3–8 位行政区划码 \(divisionCode) 的省级代码 \(divisionCode.prefix(2)) 不存在")
            }
            region = r
        } else {
            guard divisions.provinceExists(divisionCode) else {
                return invalid("第 3–8 位行政区划码 \(divisionCode) 的省级代码 \(divisionCode.prefix(2)) 不存在")
            }
            region = nil
        }
        let org = String(c[8..<17])
        if let orgExpected = Self.orgCodeCheckCharacter(org.prefix(8)), orgExpected != c[16] {
            return invalid("第 9–17 位组织机构代码 \(org) 的校验位（第 17 位）应为 \(orgExpected)，实际为 \(c[16])",
                           region: region, warnings: warnings)
        }
        let expected = Self.usccCheckCharacter(c[0..<17])!
        guard expected == c[17] else {
            return invalid("校验位（第 18 位）应为 \(expected)，实际为 \(c[17])", region: region, warnings: warnings)
        }
        return .init(valid: true, kind: .uscc, normalized: code, reason: nil, warnings: warnings, region: region)
    }

    // MARK: 组织机构代码 (GB 11714-1997)

    static let orgWeights = [3, 7, 9, 10, 5, 8, 4, 2]

    /// The check character for an 8-character organisation-code body, or `nil` if a character is not 0–9/A–Z.
    public static func orgCodeCheckCharacter(_ body: some StringProtocol) -> Character? {
        guard body.count == 8 else { return nil }
        var sum = 0
        for (i, ch) in body.enumerated() {
            guard ch.isASCII, let v = ch.isNumber ? ch.wholeNumberValue : (ch.isUppercase ? Int(ch.asciiValue! - 55) : nil)
            else { return nil }
            sum += v * orgWeights[i]
        }
        let c = 11 - sum % 11
        return c == 10 ? "X" : c == 11 ? "0" : Character(String(c))
    }

    public func checkOrgCode(_ raw: String) -> IdentifierCheck {
        let code = Self.normalize(raw)
        func invalid(_ reason: String) -> IdentifierCheck {
            .init(valid: false, kind: .orgCode, normalized: code, reason: "组织机构代码" + reason, warnings: [], region: nil)
        }
        guard code.count == 9 else { return invalid("长度应为 9 位，实际为 \(code.count) 位") }
        let c = Array(code)
        for i in 0..<8 where !(c[i].isASCII && (c[i].isNumber || c[i].isUppercase)) {
            return invalid("第 \(i + 1) 位字符“\(c[i])”不是允许的字符（应为数字或大写字母）")
        }
        guard c[8].isASCIIDigit || c[8] == "X" else {
            return invalid("第 9 位校验位“\(c[8])”不是允许的字符（应为数字或 X）")
        }
        let expected = Self.orgCodeCheckCharacter(code.prefix(8))!
        guard expected == c[8] else { return invalid("校验位（第 9 位）应为 \(expected)，实际为 \(c[8])") }
        return .init(valid: true, kind: .orgCode, normalized: code, reason: nil, warnings: [], region: nil)
    }

    // MARK: 公民身份号码 (GB 11643-1999)

    private static let idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let idChecks: [Character] = Array("10X98765432")

    /// The ISO 7064 MOD 11-2 check character for the first 17 digits, or `nil` if one is not a digit.
    public static func residentIDCheckCharacter(_ first17: some Sequence<Character>) -> Character? {
        var sum = 0
        for (i, ch) in first17.enumerated() {
            guard i < 17, ch.isASCIIDigit else { return nil }
            sum += ch.wholeNumberValue! * idWeights[i]
        }
        return idChecks[sum % 11]
    }

    /// Converts a legacy 15-digit number (born 1900–1999, no check digit) to its 18-digit form.
    public static func upgradeLegacyResidentID(_ code15: String) -> String? {
        guard code15.count == 15, code15.allSatisfy(\.isASCIIDigit) else { return nil }
        let first17 = Array(code15.prefix(6) + "19" + code15.dropFirst(6))
        return String(first17) + String(residentIDCheckCharacter(first17)!)
    }

    public func checkResidentID(_ raw: String, today: CivilDate) -> IdentifierCheck {
        var code = Self.normalize(raw)
        var warnings: [String] = []
        func invalid(_ reason: String, region: IdentifierCheck.Region? = nil) -> IdentifierCheck {
            .init(valid: false, kind: .residentID, normalized: code, reason: "公民身份号码" + reason, warnings: warnings, region: region)
        }
        if code.count == 15 {
            guard let upgraded = Self.upgradeLegacyResidentID(code) else {
                return invalid("15 位旧号码应全部为数字")
            }
            let birth = String(code.dropFirst(6).prefix(6))
            guard CivilDate("19" + birth) != nil else {
                return invalid("第 7–12 位出生日期 19\(birth) 不是有效日期")
            }
            warnings.append("15 位旧号码，已按 GB 11643 转换为 18 位（见 normalized）")
            code = upgraded
        }
        guard code.count == 18 else { return invalid("长度应为 18 位，实际为 \(code.count) 位") }
        let c = Array(code)
        for i in 0..<17 where !c[i].isASCIIDigit {
            return invalid("第 \(i + 1) 位应为数字，实际为“\(c[i])”")
        }
        guard c[17].isASCIIDigit || c[17] == "X" else {
            return invalid("第 18 位校验码应为数字或 X，实际为“\(c[17])”")
        }
        let divisionCode = String(c[0..<6])
        guard let region = regionOf(divisionCode, warnings: &warnings) else {
            return invalid("第 1–6 位地址码 \(divisionCode) 的省级代码 \(divisionCode.prefix(2)) 不存在")
        }
        let birthText = String(c[6..<14])
        guard let birth = CivilDate(birthText) else {
            return invalid("第 7–14 位出生日期 \(birthText) 不是有效日期", region: region)
        }
        guard birth <= today else {
            return invalid("第 7–14 位出生日期 \(birth) 晚于今天（\(today)）", region: region)
        }
        guard birth.year >= 1850 else {
            return invalid("第 7–14 位出生日期 \(birth) 早于 1850 年，不可能是在世公民的出生日期", region: region)
        }
        let expected = Self.residentIDCheckCharacter(c[0..<17])!
        guard expected == c[17] else {
            return invalid("校验码（第 18 位）应为 \(expected)，实际为 \(c[17])", region: region)
        }
        return .init(valid: true, kind: .residentID, normalized: code, reason: nil, warnings: warnings, region: region)
    }

    /// Masks an identity number for display: keeps the address code and the last four characters,
    /// hides the birth date (`110105********123X`). Anything that is not 15 or 18 characters is fully masked.
    public static func maskResidentID(_ code: String) -> String {
        switch code.count {
        case 18: return code.prefix(6) + String(repeating: "*", count: 8) + code.suffix(4)
        case 15: return code.prefix(6) + String(repeating: "*", count: 6) + code.suffix(3)
        default: return String(repeating: "*", count: code.count)
        }
    }

    // MARK: Regions

    /// Resolves a 6-digit division code. `nil` when even the province does not exist;
    /// a warning when the county (or prefecture) is unknown or abolished.
    private func regionOf(_ code6: String, warnings: inout [String]) -> IdentifierCheck.Region? {
        guard let r = divisions.resolve(code6) else { return nil }
        if !r.exact {
            warnings.append("行政区划代码 \(code6) 不在 GB/T 2260 区划表中（可能是未收录或已调整的代码），仅识别到“\(r.name)”")
        } else if let year = r.abolishedAfter {
            warnings.append("行政区划代码 \(code6) 已撤销（最后见于 \(year) 年版区划表），历史代码仍然有效")
        }
        return .init(code: code6, name: r.name)
    }
}
