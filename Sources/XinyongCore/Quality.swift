import Foundation

/// Reporting quality per department and catalog item, the way the national city-credit
/// monitoring measures it. The rules are published on the 数据质量规则 page from ``QualityRules``.
public enum QualityRules {
    /// 双公示: records must be delivered within this many working days of their decision date
    /// (发改办财金〔2018〕424号; domain-rules §4.1).
    public static let onTimeWorkdays = 7
}

/// What the store sums up for a period; the rates are computed by ``QualityReport``.
public struct QualityInput: Sendable, Equatable {
    /// Submissions received on one day (Beijing time), by department and item.
    public struct SubmissionDay: Sendable, Equatable {
        public var department: String; public var item: String; public var day: CivilDate
        public var submissions: Int; public var rows: Int; public var created: Int; public var updated: Int
        public var unchanged: Int; public var rejected: Int; public var held: Int
        public init(department: String, item: String, day: CivilDate, submissions: Int, rows: Int, created: Int, updated: Int,
                    unchanged: Int, rejected: Int, held: Int) {
            self.department = department; self.item = item; self.day = day; self.submissions = submissions; self.rows = rows
            self.created = created; self.updated = updated; self.unchanged = unchanged; self.rejected = rejected; self.held = held
        }
    }
    /// Records first delivered on one day, by decision date.
    public struct RecordDay: Sendable, Equatable {
        public var department: String; public var item: String; public var decisionDate: CivilDate?; public var receivedDay: CivilDate
        public var records: Int; public var optionalFilled: Int; public var optionalTotal: Int
        public init(department: String, item: String, decisionDate: CivilDate?, receivedDay: CivilDate, records: Int,
                    optionalFilled: Int, optionalTotal: Int) {
            self.department = department; self.item = item; self.decisionDate = decisionDate; self.receivedDay = receivedDay
            self.records = records; self.optionalFilled = optionalFilled; self.optionalTotal = optionalTotal
        }
    }
    /// Rejected rows by the kind and field of their problems (a row with two problems counts under both).
    public struct IssueCount: Sendable, Equatable {
        public var department: String; public var item: String; public var kind: RowIssue.Kind?; public var field: String?
        public var label: String?; public var rows: Int
        public init(department: String, item: String, kind: RowIssue.Kind?, field: String?, label: String?, rows: Int) {
            self.department = department; self.item = item; self.kind = kind; self.field = field; self.label = label; self.rows = rows
        }
    }
    public var submissions: [SubmissionDay]
    public var records: [RecordDay]
    public var issues: [IssueCount]
    public init(submissions: [SubmissionDay], records: [RecordDay], issues: [IssueCount]) {
        self.submissions = submissions; self.records = records; self.issues = issues
    }
}

public struct QualityReport: Sendable, Equatable {
    public struct Figures: Sendable, Equatable {
        public var submissions = 0
        public var rows = 0
        public var accepted = 0
        public var created = 0
        public var updated = 0
        public var rejected = 0
        public var held = 0
        /// Records first delivered in the period, those on time, and those whose timeliness the
        /// calendar cannot tell (a year it does not cover, or no decision date).
        public var delivered = 0
        public var onTime = 0
        public var untimed = 0
        public var optionalFilled = 0
        public var optionalTotal = 0
        public init() {}

        /// 合规率: rows accepted, of all rows received (a row fixed and sent again counts again).
        public var complianceRate: Double? { rows == 0 ? nil : Double(accepted) / Double(rows) }
        /// 及时率: records delivered within the working-day limit, of those whose timeliness is known.
        public var onTimeRate: Double? { delivered - untimed == 0 ? nil : Double(onTime) / Double(delivered - untimed) }
        /// 完整率: optional fields filled, of all optional fields of the records delivered.
        public var completeness: Double? { optionalTotal == 0 ? nil : Double(optionalFilled) / Double(optionalTotal) }

        mutating func add(_ o: Figures) {
            submissions += o.submissions; rows += o.rows; accepted += o.accepted; created += o.created; updated += o.updated
            rejected += o.rejected; held += o.held; delivered += o.delivered; onTime += o.onTime; untimed += o.untimed
            optionalFilled += o.optionalFilled; optionalTotal += o.optionalTotal
        }
    }
    public struct Line: Sendable, Equatable {
        public var department: String
        public var item: String
        public var figures: Figures
    }
    public struct Month: Sendable, Equatable {
        public var month: String   // YYYY-MM
        public var figures: Figures
    }
    public struct Reason: Sendable, Equatable {
        public var kind: RowIssue.Kind?
        public var field: String?
        public var label: String?
        public var rows: Int
    }

    public var from: CivilDate
    public var to: CivilDate
    public var lines: [Line]
    public var total: Figures
    public var months: [Month]
    public var reasons: [Reason]

    /// Sums the input by department × item, by month, and overall; ranks rejection reasons.
    public static func compute(_ input: QualityInput, from: CivilDate, to: CivilDate, calendar: WorkingCalendar,
                               onTimeWorkdays: Int = QualityRules.onTimeWorkdays) -> QualityReport {
        struct Key: Hashable { var department: String; var item: String }
        var lines: [Key: Figures] = [:]
        var months: [String: Figures] = [:]
        func month(_ d: CivilDate) -> String { String(d.description.prefix(7)) }
        for s in input.submissions {
            var f = Figures()
            f.submissions = s.submissions; f.rows = s.rows; f.accepted = s.created + s.updated + s.unchanged
            f.created = s.created; f.updated = s.updated; f.rejected = s.rejected; f.held = s.held
            lines[Key(department: s.department, item: s.item), default: Figures()].add(f)
            months[month(s.day), default: Figures()].add(f)
        }
        var deadlines: [CivilDate: CivilDate?] = [:]
        for r in input.records {
            var f = Figures()
            f.delivered = r.records
            f.optionalFilled = r.optionalFilled
            f.optionalTotal = r.optionalTotal
            if let decided = r.decisionDate {
                let deadline: CivilDate?
                if let known = deadlines[decided] { deadline = known } else {
                    deadline = try? calendar.addingWorkdays(onTimeWorkdays, to: decided)
                    deadlines[decided] = deadline
                }
                if let deadline { if r.receivedDay <= deadline { f.onTime = r.records } } else { f.untimed = r.records }
            } else {
                f.untimed = r.records
            }
            lines[Key(department: r.department, item: r.item), default: Figures()].add(f)
            months[month(r.receivedDay), default: Figures()].add(f)
        }
        var reasons: [String: Reason] = [:]
        for i in input.issues {
            let key = "\(i.kind?.rawValue ?? "")|\(i.field ?? "")"
            reasons[key, default: Reason(kind: i.kind, field: i.field, label: i.label, rows: 0)].rows += i.rows
        }
        var total = Figures()
        for f in lines.values { total.add(f) }
        // Every month of the period, empty ones included, so a trend has no gaps.
        var series: [Month] = []
        var m = CivilDate(year: from.year, month: from.month, day: 1)!
        while m <= to {
            series.append(Month(month: month(m), figures: months[month(m)] ?? Figures()))
            m = m.adding(months: 1)
        }
        return QualityReport(
            from: from, to: to,
            lines: lines.map { Line(department: $0.key.department, item: $0.key.item, figures: $0.value) }
                .sorted { ($0.department, $0.item) < ($1.department, $1.item) },
            total: total, months: series,
            reasons: reasons.values.sorted { $0.rows != $1.rows ? $0.rows > $1.rows : ($0.label ?? "") < ($1.label ?? "") })
    }
}
