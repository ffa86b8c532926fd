import Foundation
import Testing
@testable import XinyongCore

private let validator = IdentifierValidator()
private let today = CivilDate(year: 2026, month: 11, day: 22)!

/// An identity number from its first 17 digits, with its correct MOD 11-2 check digit.
private func withIDCheck(_ first17: String) -> String {
    first17 + String(IdentifierValidator.residentIDCheckCharacter(first17)!)
}

/// Generates a valid credit code from its parts, computing both check characters.
private func makeUSCC(_ prefix: String, _ division: String, _ orgBody: String) -> String {
    let org = orgBody + String(IdentifierValidator.orgCodeCheckCharacter(orgBody)!)
    let first17 = prefix + division + org
    return first17 + String(IdentifierValidator.usccCheckCharacter(first17)!)
}

@Suite("统一社会信用代码 GB 32100-2015")
struct USCCTests {
    @Test("published real codes are valid", arguments: ["91350200776049653A", "9135021359498494XQ"])
    func publishedCodes(_ code: String) {
        let c = validator.check(code, today: today)
        #expect(c.valid)
        #expect(c.kind == .uscc)
        #expect(c.normalized == code)
        #expect(c.reason == nil)
        #expect(c.region?.code == String(code.dropFirst(2).prefix(6)))
    }

    @Test func checkCharacterAlgorithm() {
        // Σ value×weight mod 31 over the first 17 characters, check = 31 − that (31 → 0).
        #expect(IdentifierValidator.usccCheckCharacter("91350200776049653") == "A")
        #expect(IdentifierValidator.usccCheckCharacter("9135021359498494X") == "Q")
    }

    @Test func pilotCodeReportsExactReason() {
        let c = validator.check("91350203M0001QAY9B", today: today)
        #expect(!c.valid)
        #expect(c.kind == .uscc)
        #expect(c.reason == "统一社会信用代码校验位（第 18 位）应为 9，实际为 B")
    }

    @Test func normalisation() {
        let c = validator.check("  ９１３５０２００－７７６０４９６５３ａ ", today: today)
        #expect(c.valid)
        #expect(c.normalized == "91350200776049653A")
        #expect(IdentifierValidator.normalize("9135 0200-7760 4965 3a") == "91350200776049653A")
    }

    @Test func wrongLength() {
        let c = validator.checkUSCC("9135020077604965")
        #expect(!c.valid)
        #expect(c.reason == "统一社会信用代码长度应为 18 位，实际为 16 位")
        #expect(validator.check("9135020077604965", today: today).kind == nil)
    }

    @Test("forbidden letters are named with their position", arguments: ["I", "O", "S", "V", "Z"])
    func forbiddenLetters(_ letter: String) {
        var chars = Array("91350200776049653A")
        chars[12] = Character(letter)
        let c = validator.check(String(chars), today: today)
        #expect(!c.valid)
        #expect(c.reason?.contains("第 13 位字符“\(letter)”") == true)
        #expect(c.reason?.contains("不使用 I、O、S、V、Z") == true)
    }

    @Test func unknownRegistrationAuthority() {
        let code = makeUSCC("B1", "350200", "77604965")
        let c = validator.check(code, today: today)
        #expect(!c.valid)
        #expect(c.reason?.contains("第 1 位登记管理部门代码“B”不存在") == true)
    }

    @Test func categoryMustBelongToAuthority() {
        let c = validator.check(makeUSCC("94", "350200", "77604965"), today: today)
        #expect(!c.valid)
        #expect(c.reason?.contains("第 2 位机构类别代码“4”不属于登记管理部门“工商”") == true)
        #expect(validator.check(makeUSCC("53", "350200", "77604965"), today: today).valid)
        #expect(validator.check(makeUSCC("N2", "350200", "77604965"), today: today).valid)
    }

    @Test func divisionMustBeDigits() {
        let c = validator.checkUSCC("9135A200776049653A")
        #expect(c.reason?.contains("第 5 位应为数字") == true)
    }

    @Test func unknownProvinceIsAnError() {
        let c = validator.check(makeUSCC("91", "990100", "77604965"), today: today)
        #expect(!c.valid)
        #expect(c.reason?.contains("省级代码 99 不存在") == true)
    }

    @Test func unknownCountyIsOnlyAWarning() {
        let c = validator.check(makeUSCC("91", "350299", "77604965"), today: today)
        #expect(c.valid)
        #expect(c.warnings.count == 1)
        #expect(c.warnings[0].contains("350299"))
        #expect(c.region?.name == "福建省厦门市")
    }

    @Test func abolishedDivisionStaysValidWithWarning() {
        // 110103 崇文区 was merged into 东城区 in 2010; codes issued there keep it.
        let c = validator.check(makeUSCC("91", "110103", "77604965"), today: today)
        #expect(c.valid)
        #expect(c.region?.name == "北京市崇文区")
        #expect(c.warnings.first?.contains("已撤销") == true)
    }

    @Test func embeddedOrganisationCodeCheckMustHold() {
        // A correct final check over a wrong organisation-code check character.
        let first17 = "91350200" + "77604965" + "4"
        let code = first17 + String(IdentifierValidator.usccCheckCharacter(first17)!)
        let c = validator.check(code, today: today)
        #expect(!c.valid)
        #expect(c.reason == "统一社会信用代码第 9–17 位组织机构代码 776049654 的校验位（第 17 位）应为 3，实际为 4")
    }

    @Test func everySingleCharacterCorruptionIsCaught() {
        // Generated corrupt codes: change each of the 18 positions to every other alphabet character.
        let alphabet = IdentifierValidator.usccAlphabet
        for base in ["91350200776049653A", "9135021359498494XQ"] {
            var chars = Array(base)
            for i in 0..<18 {
                let original = chars[i]
                for replacement in alphabet where replacement != original {
                    chars[i] = replacement
                    let c = validator.check(String(chars), today: today)
                    #expect(!c.valid, "\(String(chars)) should be rejected")
                }
                chars[i] = original
            }
        }
    }

    @Test func finalCheckMismatchNamesExpectedAndActual() {
        let c = validator.check("91350200776049653B", today: today)
        #expect(c.reason == "统一社会信用代码校验位（第 18 位）应为 A，实际为 B")
    }
}

@Suite("组织机构代码 GB 11714-1997")
struct OrgCodeTests {
    @Test func validCodes() {
        #expect(validator.check("77604965-3", today: today).valid)
        #expect(validator.check("776049653", today: today).kind == .orgCode)
        #expect(IdentifierValidator.orgCodeCheckCharacter("59498494") == "X")
    }

    @Test func wrongCheck() {
        let c = validator.check("776049654", today: today)
        #expect(!c.valid)
        #expect(c.reason == "组织机构代码校验位（第 9 位）应为 3，实际为 4")
    }

    @Test func badCharacter() {
        let c = validator.checkOrgCode("7760*9653")
        #expect(c.reason?.contains("第 5 位字符“*”") == true)
    }

    @Test func checkValueTenIsXAndElevenIsZero() {
        // Search the body space for both special cases and verify the mapping directly.
        var sawX = false, sawZero = false
        for n in 10_000_000..<10_000_200 {
            let body = String(n)
            let weights = [3, 7, 9, 10, 5, 8, 4, 2]
            let sum = zip(body, weights).reduce(0) { $0 + $1.0.wholeNumberValue! * $1.1 }
            let c = 11 - sum % 11
            let ch = IdentifierValidator.orgCodeCheckCharacter(body)!
            if c == 10 { #expect(ch == "X"); sawX = true }
            if c == 11 { #expect(ch == "0"); sawZero = true }
        }
        #expect(sawX && sawZero)
    }
}

@Suite("公民身份号码 GB 11643-1999")
struct ResidentIDTests {
    @Test func standardExample() {
        let c = validator.check("11010519491231002X", today: today)
        #expect(c.valid)
        #expect(c.kind == .residentID)
        #expect(c.region == .init(code: "110105", name: "北京市朝阳区"))
    }

    @Test func lowercaseXIsNormalised() {
        #expect(validator.check("11010519491231002x", today: today).normalized == "11010519491231002X")
    }

    @Test func checkDigitMod112() {
        let c = validator.check("110105194912310021", today: today)
        #expect(!c.valid)
        #expect(c.reason == "公民身份号码校验码（第 18 位）应为 X，实际为 1")
    }

    @Test func impossibleBirthDate() {
        let code = withIDCheck("11010519990231002")
        let c = validator.check(code, today: today)
        #expect(!c.valid)
        #expect(c.reason == "公民身份号码第 7–14 位出生日期 19990231 不是有效日期")
    }

    @Test func birthDateInTheFuture() {
        let code = withIDCheck("11010520301231002")
        let c = validator.check(code, today: today)
        #expect(!c.valid)
        #expect(c.reason?.contains("晚于今天") == true)
    }

    @Test func leapDay() {
        for (year, ok) in [(2000, true), (1900, false), (2004, true)] {
            let code = withIDCheck("110105\(year)0229002")
            #expect(validator.check(code, today: today).valid == ok, "\(year)-02-29")
        }
    }

    @Test func legacyFifteenDigitsConvert() {
        #expect(IdentifierValidator.upgradeLegacyResidentID("110105491231002") == "11010519491231002X")
        let c = validator.check("110105491231002", today: today)
        #expect(c.valid)
        #expect(c.normalized == "11010519491231002X")
        #expect(c.warnings.contains { $0.contains("15 位旧号码") })
        #expect(!validator.check("110105491331002", today: today).valid)   // month 13
    }

    @Test func unknownProvince() {
        let code = withIDCheck("99010519491231002")
        let c = validator.check(code, today: today)
        #expect(c.kind == .residentID)
        #expect(c.reason?.contains("省级代码 99 不存在") == true)
    }

    @Test func everyDigitCorruptionIsCaught() {
        var chars = Array("11010519491231002X")
        for i in 0..<17 {
            let original = chars[i]
            for d in "0123456789" where d != original {
                chars[i] = d
                #expect(!validator.check(String(chars), today: today).valid, "\(String(chars))")
            }
            chars[i] = original
        }
    }

    @Test func masking() {
        #expect(IdentifierValidator.maskResidentID("11010519491231002X") == "110105********002X")
        #expect(IdentifierValidator.maskResidentID("110105491231002") == "110105******002")
    }
}

@Suite("行政区划 GB/T 2260")
struct DivisionTests {
    @Test func tableShipsWithCurrentAndAbolishedCodes() {
        let t = DivisionTable.shipped
        #expect(t.count > 3000)
        #expect(t.division("350203")?.name == "思明区")
        #expect(t.division("110103")?.abolishedAfter != nil)
        #expect(t.resolve("350203")?.name == "福建省厦门市思明区")
        #expect(t.resolve("110105")?.name == "北京市朝阳区")   // 市辖区 is left out of full names
    }

    @Test func unknownCodesResolveToTheirProvince() {
        let r = DivisionTable.shipped.resolve("350299")
        #expect(r?.exact == false)
        #expect(r?.name == "福建省厦门市")
        #expect(DivisionTable.shipped.resolve("990000") == nil)
    }
}

@Suite("Other inputs")
struct OtherInputTests {
    @Test func unreadableLengths() {
        let c = validator.check("12345", today: today)
        #expect(!c.valid && c.kind == nil && c.normalized == nil)
        #expect(c.reason?.contains("长度为 5 位") == true)
        #expect(validator.check("   ", today: today).reason == "代码为空")
    }

    @Test func dayArithmetic() {
        #expect(CivilDate(daysSinceEpoch: 0).description == "1970-01-01")
        #expect(CivilDate("2000-03-01")!.daysSinceEpoch == 11017)
        #expect(CivilDate("2024-02-28")!.adding(days: 1).description == "2024-02-29")
        #expect(CivilDate("2023-02-28")!.adding(days: 1).description == "2023-03-01")
        #expect(CivilDate("1950-01-01")!.adding(days: -1).description == "1949-12-31")
        for d in stride(from: -30_000, to: 30_000, by: 37) {
            #expect(CivilDate(daysSinceEpoch: d).daysSinceEpoch == d)
        }
    }

    @Test func civilDates() {
        #expect(CivilDate("2024-02-29") != nil)
        #expect(CivilDate("2023-02-29") == nil)
        #expect(CivilDate("2023-2-01") == nil)
        #expect(CivilDate("20240229")?.description == "2024-02-29")
    }

    @Test func whatLooksLikeAResidentIdentityNumber() {
        for yes in ["110101199003074514", "11010119900307451X", "110101900307451", "110101185001011234", "110101210012311234"] {
            #expect(IdentifierValidator.looksLikeResidentID(yes), "\(yes)")
        }
        for no in ["11010119900307451x", "110101184912311234", "110101210112311234", "11010119900307451", "1101011990030745140",
                   "91350200MA2XYZ1234", "11010119900３074514", "", "11010190030745", "1101019003074511"] {
            #expect(!IdentifierValidator.looksLikeResidentID(no), "\(no)")
        }
    }
}
