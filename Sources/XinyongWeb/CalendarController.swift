import Foundation
import Hummingbird
import XinyongCore

/// The working-day calendar: read by anyone, years added or corrected by the credit office.
struct CalendarController {
    let env: WebEnvironment

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1/calendar")
        api.get("years/:year", use: year)
        api.put("years/:year", use: putYear)
        api.get("add-workdays", use: addWorkdays)
        api.get("workdays-between", use: workdaysBetween)
    }

    static func date(_ request: Request, _ name: String) throws -> CivilDate {
        guard let raw = request.uri.queryParameters.get(name), !raw.isEmpty else {
            throw DomainError.invalid(field: name, reason: "缺少参数 \(name)（格式 YYYY-MM-DD）")
        }
        guard let d = CivilDate(raw) else { throw DomainError.invalid(field: name, reason: "参数 \(name) 应为 YYYY-MM-DD 格式的日期") }
        return d
    }

    /// Runs calendar arithmetic; a year the calendar lacks is a 422 naming the year.
    static func compute<T>(_ field: String, _ body: () throws(WorkingCalendar.YearNotCovered) -> T) throws -> T {
        do { return try body() } catch { throw DomainError.invalid(field: field, reason: error.description) }
    }

    static func entryJSON(_ e: WorkingCalendar.Entry) -> JSONValue {
        .fields([("date", .string(e.date.description)), ("kind", .string(e.kind.rawValue)), ("name", .string(e.name))])
    }

    @Sendable func year(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let year = Int(try context.parameters.require("year")), (1949...2200).contains(year) else {
            throw DomainError.invalid(field: "year", reason: "年份应为四位数字")
        }
        let years = try await env.store.calendarYears()
        let calendar = WorkingCalendar.shipped.applying(years)
        let source = years.first { $0.year == year }?.source
        return JSONValue.fields([
            ("covered", .bool(calendar.covers(year))),
            ("days", .array(calendar.entries(year: year).map(Self.entryJSON))),
            ("source", JSONValue(source ?? (calendar.covers(year) ? "随版本发布的国务院办公厅放假通知数据" : nil))),
            ("year", .int(year)),
        ]).response()
    }

    struct YearBody: Decodable {
        var source: String
        var days: [Day]
        struct Day: Decodable { var date: CivilDate; var kind: WorkingCalendar.DayKind; var name: String }
    }

    @Sendable func putYear(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try context.require([.admin])
        guard let year = Int(try context.parameters.require("year")), (2019...2200).contains(year) else {
            throw DomainError.invalid(field: "year", reason: "年份应为 2019 年及以后的四位数字")
        }
        let body = try await request.decodeBody(YearBody.self, context: context,
                                                expected: "{\"source\": \"放假通知文号\", \"days\": [{\"date\", \"kind\": \"holiday|workday\", \"name\"}]}")
        try await env.store.putCalendarYear(CalendarYear(year: year, source: body.source, entries: body.days.map {
            WorkingCalendar.Entry(date: $0.date, kind: $0.kind, name: $0.name)
        }), actor: p.auditLabel)
        return try await self.year(request, context: context)
    }

    @Sendable func addWorkdays(_ request: Request, context: AppRequestContext) async throws -> Response {
        let from = try Self.date(request, "from")
        guard let raw = request.uri.queryParameters.get("days"), let n = Int(raw), abs(n) <= 3650 else {
            throw DomainError.invalid(field: "days", reason: "参数 days 应为 -3650 到 3650 之间的整数")
        }
        let calendar = try await env.store.workingCalendar()
        let date = try Self.compute("from") { () throws(WorkingCalendar.YearNotCovered) in try calendar.addingWorkdays(n, to: from) }
        return JSONValue.fields([("date", .string(date.description)), ("days", .int(n)), ("from", .string(from.description))]).response()
    }

    @Sendable func workdaysBetween(_ request: Request, context: AppRequestContext) async throws -> Response {
        let from = try Self.date(request, "from")
        let to = try Self.date(request, "to")
        guard abs(to.daysSinceEpoch - from.daysSinceEpoch) <= 36_600 else {
            throw DomainError.invalid(field: "to", reason: "两个日期相隔不能超过 100 年")
        }
        let calendar = try await env.store.workingCalendar()
        let n = try Self.compute("from") { () throws(WorkingCalendar.YearNotCovered) in try calendar.workdays(from: from, to: to) }
        return JSONValue.fields([("from", .string(from.description)), ("to", .string(to.description)), ("workdays", .int(n))]).response()
    }
}
