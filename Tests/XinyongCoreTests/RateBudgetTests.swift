import Testing
import XinyongCore

@Suite("Reading budget")
struct RateBudgetTests {
    @Test func aBucketAllowsItsBurstThenRefillsAtItsRate() {
        var b = TokenBucket(capacity: 3, perMinute: 60, now: 0)
        #expect(b.take(now: 0) == nil && b.take(now: 0) == nil && b.take(now: 0) == nil)
        #expect(b.take(now: 0) == 1)            // one a second: the next token in 1 s
        #expect(b.take(now: 0.5) == 1)          // half a token is not a token
        #expect(b.take(now: 1.0) == nil)
        #expect(!b.isFull(now: 1.0) && b.isFull(now: 4.0))
        #expect(b.take(now: 100) == nil && b.take(now: 100) == nil && b.take(now: 100) == nil)
        #expect(b.take(now: 100) != nil)        // refilling never exceeds the capacity
    }

    @Test func slowRatesAnswerInWholeSeconds() {
        var b = TokenBucket(capacity: 1, perMinute: 2, now: 10)
        #expect(b.take(now: 10) == nil)
        #expect(b.take(now: 10) == 30)
        #expect(b.take(now: 25) == 15)
        #expect(b.take(now: 40) == nil)
    }

    @Test func onlySearchingAndReadingAreBudgeted() {
        for path in ["/search", "/subjects/91350200MA2XXXXX", "/records/12", "/shuanggongshi", "/api/v1/subjects",
                     "/api/v1/subjects/X/records", "/api/v1/public-records", "/api/v1/objections", "/api/v1/objections/3",
                     "/api/v1/records/12/repair-eligibility", "/records/12/objection", "/track",
                     "/verify", "/api/v1/reports/status", "/reports/XYR202611230000001/report.pdf"] {
            #expect(ReadingBudget.isBudgeted(path: path), "\(path)")
        }
        for path in ["/", "/healthz", "/assets/site.css", "/login", "/console/submissions", "/api/v1/submissions", "/me", "/console/rights", "/reports"] {
            #expect(!ReadingBudget.isBudgeted(path: path), "\(path)")
        }
    }
}
