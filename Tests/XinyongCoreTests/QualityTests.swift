import Testing
@testable import XinyongCore

/// The quality figures on a small data set checked by hand against the 2026 calendar
/// (国庆节 10-01…10-07 off, 10-10 Saturday worked).
@Suite struct QualityTests {
    func d(_ s: String) -> CivilDate { CivilDate(s)! }

    @Test func handCheckedFigures() {
        let input = QualityInput(
            submissions: [
                .init(department: "A", item: "xzcf", day: d("2026-10-09"), submissions: 1, rows: 10, created: 6, updated: 1, unchanged: 1, rejected: 2, held: 0),
                .init(department: "A", item: "xzcf", day: d("2026-11-02"), submissions: 1, rows: 5, created: 5, updated: 0, unchanged: 0, rejected: 0, held: 0),
                .init(department: "B", item: "xzxk", day: d("2026-10-20"), submissions: 2, rows: 4, created: 2, updated: 0, unchanged: 0, rejected: 1, held: 1),
            ],
            records: [
                // Decided Tuesday 09-29: seven working days later is 10-14 (09-30, 10-08, 10-09, 10-10, 10-12, 10-13, 10-14).
                .init(department: "A", item: "xzcf", decisionDate: d("2026-09-29"), receivedDay: d("2026-10-14"), records: 3, optionalFilled: 6, optionalTotal: 30),
                .init(department: "A", item: "xzcf", decisionDate: d("2026-09-29"), receivedDay: d("2026-10-15"), records: 2, optionalFilled: 2, optionalTotal: 20),
                .init(department: "A", item: "xzcf", decisionDate: nil, receivedDay: d("2026-11-02"), records: 1, optionalFilled: 0, optionalTotal: 0),
                .init(department: "B", item: "xzxk", decisionDate: d("2026-10-16"), receivedDay: d("2026-10-20"), records: 1, optionalFilled: 1, optionalTotal: 10),
            ],
            issues: [
                .init(department: "A", item: "xzcf", kind: .format, field: "CF_JDRQ", label: "处罚决定日期", rows: 2),
                .init(department: "B", item: "xzxk", kind: .required, field: "XK_WSH", label: "行政许可决定文书号", rows: 1),
                .init(department: "B", item: "xzcf", kind: .format, field: "CF_JDRQ", label: "处罚决定日期", rows: 1),
            ])
        let r = QualityReport.compute(input, from: d("2026-10-01"), to: d("2026-11-30"), calendar: .shipped)
        #expect(r.lines.map { "\($0.department)/\($0.item)" } == ["A/xzcf", "B/xzxk"])
        let a = r.lines[0].figures
        #expect(a.rows == 15 && a.accepted == 13 && a.rejected == 2)
        #expect(a.complianceRate == 13.0 / 15.0)
        #expect(a.delivered == 6 && a.onTime == 3 && a.untimed == 1 && a.onTimeRate == 0.6)
        #expect(a.completeness == 8.0 / 50.0)
        let b = r.lines[1].figures
        #expect(b.complianceRate == 0.5 && b.held == 1 && b.onTimeRate == 1.0 && b.submissions == 2)
        #expect(r.total.rows == 19 && r.total.accepted == 15 && r.total.onTime == 4 && r.total.onTimeRate == 4.0 / 6.0)
        #expect(r.months.map(\.month) == ["2026-10", "2026-11"])
        #expect(r.months[0].figures.rows == 14 && r.months[1].figures.rows == 5 && r.months[0].figures.delivered == 6)
        #expect(r.reasons.first == .init(kind: .format, field: "CF_JDRQ", label: "处罚决定日期", rows: 3))
        #expect(r.reasons.count == 2)
    }

    @Test func emptyPeriodsHaveNoRatesButKeepTheirMonths() {
        let r = QualityReport.compute(QualityInput(submissions: [], records: [], issues: []), from: d("2026-01-15"), to: d("2026-03-02"), calendar: .shipped)
        #expect(r.total.complianceRate == nil && r.total.onTimeRate == nil && r.total.completeness == nil)
        #expect(r.months.map(\.month) == ["2026-01", "2026-02", "2026-03"])
    }

    @Test func aYearTheCalendarDoesNotCoverIsUntimedNotLate() {
        let input = QualityInput(submissions: [], records: [
            .init(department: "A", item: "xzcf", decisionDate: d("2031-03-02"), receivedDay: d("2031-03-03"), records: 4, optionalFilled: 0, optionalTotal: 0),
        ], issues: [])
        let r = QualityReport.compute(input, from: d("2031-03-01"), to: d("2031-03-31"), calendar: .shipped)
        #expect(r.total.delivered == 4 && r.total.untimed == 4 && r.total.onTimeRate == nil)
    }
}
