import Testing
@testable import XinyongCore

@Suite struct PublicityTests {
    let catalog = Catalog.shipped
    var penalty: CatalogItem { catalog.item("xzcf")! }
    var licence: CatalogItem { catalog.item("xzxk")! }
    func d(_ s: String) -> CivilDate { CivilDate(s)! }

    func window(kinds: String, decided: String, declared: String? = nil, category: String = "法人及非法人组织") -> PublicityWindow {
        var values = ["CF_CFLB": kinds, "CF_JDRQ": decided, "CF_XDR_LB": category]
        values["CF_GSJZQ"] = declared
        return PublicityWindow.of(values, item: penalty, rules: catalog.publicityRules)
    }

    @Test func monthsAreCalendarMonthsClampedToTheMonthEnd() {
        #expect(d("2024-01-31").adding(months: 1) == d("2024-02-29"))
        #expect(d("2023-01-31").adding(months: 1) == d("2023-02-28"))
        #expect(d("2026-03-05").adding(months: 12) == d("2027-03-05"))
        #expect(d("2024-02-29").adding(months: 36) == d("2027-02-28"))
        #expect(d("2026-11-30").adding(months: 3) == d("2027-02-28"))
    }

    @Test func penaltyPeriodsFollowSeverityAndTheRuleSetInForceOnTheDecisionDate() {
        // Under Order 36 (decided from 2026-04-01): minor 3 months, general 1 year, serious 3 years.
        let minor = window(kinds: "警告；通报批评", decided: "2026-05-10")
        #expect(minor.until == d("2026-08-10") && minor.basis.contains("轻微"))
        let general = window(kinds: "警告；罚款", decided: "2026-05-10")
        #expect(general.from == d("2026-05-10") && general.until == d("2027-05-10") && general.basis.contains("一般"))
        let serious = window(kinds: "罚款；吊销许可证件", decided: "2026-05-10")
        #expect(serious.until == d("2029-05-10") && serious.basis.contains("严重"))
        // Before 2026-04-01 there was no minor tier: a warning was public for up to a year.
        #expect(window(kinds: "警告", decided: "2025-06-01").until == d("2026-06-01"))
        #expect(window(kinds: "警告", decided: "2026-03-31").until == d("2027-03-31"))
        #expect(window(kinds: "警告", decided: "2026-04-01").until == d("2026-07-01"))
        // Before the first rule set nothing is published (no rule to publish by).
        #expect(!window(kinds: "罚款", decided: "2018-01-01").publishable)
    }

    @Test func theWindowIsHalfOpenAndTheDeclaredEndShortensIt() {
        let w = window(kinds: "罚款", decided: "2026-05-10")
        #expect(!w.isPublic(on: d("2026-05-09")))
        #expect(w.isPublic(on: d("2026-05-10")) && w.isPublic(on: d("2027-05-09")))
        #expect(!w.isPublic(on: d("2027-05-10")))
        let declared = window(kinds: "罚款", decided: "2026-05-10", declared: "2026-12-31")
        #expect(declared.until == d("2027-01-01") && declared.isPublic(on: d("2026-12-31")) && !declared.isPublic(on: d("2027-01-01")))
        // A declared end beyond the legal maximum does not extend it.
        #expect(window(kinds: "罚款", decided: "2026-05-10", declared: "2030-01-01").until == d("2027-05-10"))
    }

    @Test func naturalPersonsAreNeverPublished() {
        let w = window(kinds: "罚款", decided: "2026-05-10", category: "自然人")
        #expect(!w.publishable && !w.isPublic(on: d("2026-06-01")))
        // The period still ends: it is how long the penalty counts in credit checks.
        #expect(w.until == d("2027-05-10") && w.basis.hasPrefix("自然人信息不公开公示"))
        // A minor penalty under a zero period is never published and never counts.
        var zero = catalog.publicityRules
        zero.penaltySets[zero.penaltySets.count - 1].maxMonths["minor"] = 0
        let none = PublicityWindow.of(["CF_CFLB": "警告", "CF_JDRQ": "2026-05-10", "CF_XDR_LB": "法人及非法人组织"], item: penalty, rules: zero)
        #expect(!none.publishable && none.until == d("2026-05-10"))
    }

    @Test func licencesArePublicWhileValid() {
        let w = PublicityWindow.of(["XK_JDRQ": "2026-01-05", "XK_YXQZI": "2028-01-04", "XK_XDR_LB": "法人及非法人组织"], item: licence,
                                   rules: catalog.publicityRules)
        #expect(w.from == d("2026-01-05") && w.until == d("2028-01-05"))
        #expect(w.isPublic(on: d("2028-01-04")) && !w.isPublic(on: d("2028-01-05")))
    }

    @Test func severityBoundariesAreData() {
        var rules = catalog.publicityRules
        #expect(rules.severity(kinds: ["罚款"]) == .general)
        rules.seriousKinds.append("罚款")   // an industry that treats every fine as serious
        #expect(rules.severity(kinds: ["罚款"]) == .serious)
        #expect(rules.severity(kinds: []) == .general)
    }
}
