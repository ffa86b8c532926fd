import Testing
@testable import XinyongCore

@Suite("工作日历")
struct WorkingCalendarTests {
    let cal = WorkingCalendar.shipped
    func d(_ s: String) -> CivilDate { CivilDate(s)! }

    @Test func shipsTheYearsFrom2019() {
        for y in 2019...2026 { #expect(cal.covers(y)) }
        #expect(!cal.covers(2018))
        #expect(d("2026-11-22").isoWeekday == 7 && d("1970-01-01").isoWeekday == 4)
    }

    @Test func springFestival2026WithItsMakeUpSaturdays() throws {
        // 2026: days off 15–23 Feb; Saturdays 14 Feb and 28 Feb are working days (notice of 2025-11-04).
        #expect(try cal.isWorkingDay(d("2026-02-14")))
        for day in 15...23 { #expect(try !cal.isWorkingDay(d("2026-02-\(day)"))) }
        #expect(try cal.isWorkingDay(d("2026-02-28")))
        // Friday 13 Feb + 1 working day = Saturday 14 Feb; + 2 = Tuesday 24 Feb.
        #expect(try cal.addingWorkdays(1, to: d("2026-02-13")) == d("2026-02-14"))
        #expect(try cal.addingWorkdays(2, to: d("2026-02-13")) == d("2026-02-24"))
        #expect(try cal.workdays(from: d("2026-02-13"), to: d("2026-02-28")) == 6)   // 14, 24, 25, 26, 27, 28
    }

    @Test func nationalDay2025AndItsMakeUpDays() throws {
        // 2025: 1–8 Oct off (National Day with Mid-autumn); Sunday 28 Sep and Saturday 11 Oct worked.
        #expect(try cal.isWorkingDay(d("2025-09-28")))
        for day in 1...8 { #expect(try !cal.isWorkingDay(d("2025-10-0\(day)"))) }
        #expect(try cal.isWorkingDay(d("2025-10-11")))
        // A decision on Tuesday 30 Sep 2025: the 7th working day after it (the 及时率 deadline) is
        // Thursday 16 Oct — 9, 10, 11 (make-up Saturday), 13, 14, 15, 16.
        #expect(try cal.addingWorkdays(7, to: d("2025-09-30")) == d("2025-10-16"))
    }

    @Test func startDayIsNeverCounted() throws {
        #expect(try cal.addingWorkdays(0, to: d("2026-03-02")) == d("2026-03-02"))
        #expect(try cal.addingWorkdays(1, to: d("2026-03-02")) == d("2026-03-03"))
        #expect(try cal.addingWorkdays(1, to: d("2026-03-06")) == d("2026-03-09"))   // Friday → Monday
        #expect(try cal.addingWorkdays(-1, to: d("2026-03-09")) == d("2026-03-06"))
        #expect(try cal.workdays(from: d("2026-03-02"), to: d("2026-03-02")) == 0)
        #expect(try cal.workdays(from: d("2026-03-09"), to: d("2026-03-02")) == -5)
    }

    @Test func addAndCountAreInverse() throws {
        var start = d("2019-01-01")
        while start < d("2026-10-15") {   // 30 working days later is still inside 2026
            for n in [1, 3, 7, 15, 30] {
                let end = try cal.addingWorkdays(n, to: start)
                #expect(try cal.workdays(from: start, to: end) == n)
                #expect(try cal.isWorkingDay(end))
            }
            start = start.adding(days: 11)
        }
    }

    @Test func yearsOutsideTheCalendarAreRefused() {
        #expect(throws: WorkingCalendar.YearNotCovered(year: 2027)) { try cal.addingWorkdays(30, to: d("2026-12-20")) }
        #expect(throws: WorkingCalendar.YearNotCovered(year: 2018)) { try cal.isWorkingDay(d("2018-12-31")) }
    }

    @Test func theCreditOfficeAddsANewYear() throws {
        let e = [WorkingCalendar.Entry(date: d("2027-01-01"), kind: .holiday, name: "元旦"),
                 WorkingCalendar.Entry(date: d("2027-02-07"), kind: .workday, name: "春节调休")]
        #expect(WorkingCalendar.problems(year: 2027, entries: e).isEmpty)
        let next = cal.replacing(year: 2027, with: e)
        #expect(try !next.isWorkingDay(d("2027-01-01")))
        #expect(try next.isWorkingDay(d("2027-02-07")))   // a Sunday
        #expect(next.entries(year: 2027) == e)
        #expect(try next.addingWorkdays(1, to: d("2026-12-31")) == d("2027-01-04"))
    }

    @Test func badYearEntriesAreExplained() {
        let bad = [WorkingCalendar.Entry(date: d("2027-01-02"), kind: .holiday, name: "元旦"),    // a Saturday
                   WorkingCalendar.Entry(date: d("2027-01-04"), kind: .workday, name: "调休"),    // a Monday
                   WorkingCalendar.Entry(date: d("2026-12-31"), kind: .holiday, name: "跨年"),
                   WorkingCalendar.Entry(date: d("2027-01-04"), kind: .workday, name: " ")]
        let p = WorkingCalendar.problems(year: 2027, entries: bad)
        #expect(p.count == 6)
        #expect(p.contains("2026-12-31 不在 2027 年内"))
        #expect(p.contains("2027-01-04 重复出现"))
    }
}
