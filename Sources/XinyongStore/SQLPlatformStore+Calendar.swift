import Foundation
import SQLKit
import XinyongCore

extension SQLPlatformStore {
    public func calendarYears() async throws -> [CalendarYear] {
        struct Y: Decodable { var year: Int; var source: String }
        struct D: Decodable { var day: String; var year: Int; var kind: String; var name: String }
        let years = try await db.raw("SELECT year, source FROM calendar_years ORDER BY year").all(decoding: Y.self)
        let days = try await db.raw("SELECT day, year, kind, name FROM calendar_days ORDER BY day").all(decoding: D.self)
        let byYear = Dictionary(grouping: days, by: \.year)
        return years.map { y in
            CalendarYear(year: y.year, source: y.source, entries: (byYear[y.year] ?? []).compactMap { d in
                guard let date = CivilDate(d.day), let kind = WorkingCalendar.DayKind(rawValue: d.kind) else { return nil }
                return WorkingCalendar.Entry(date: date, kind: kind, name: d.name)
            })
        }
    }

    public func putCalendarYear(_ y: CalendarYear, actor: String) async throws {
        let problems = WorkingCalendar.problems(year: y.year, entries: y.entries)
        guard problems.isEmpty else { throw DomainError.invalid(field: "days", reason: problems.joined(separator: "；")) }
        guard !y.source.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw DomainError.invalid(field: "source", reason: "请注明依据的放假通知（如“国办发明电〔2026〕12号”）")
        }
        let now = Clock.millis()
        let previous = try await calendarYears().first { $0.year == y.year }
        try await database.transaction { db in
            struct V: Decodable { var version: Int }
            let version = try await db.raw("SELECT version FROM calendar_years WHERE year = \(bind: y.year)")
                .first(decoding: V.self)?.version
            if let version, let previous {
                let snapshot = previous.entries.map { "\($0.date)\t\($0.kind.rawValue)\t\($0.name)" }.joined(separator: "\n")
                try await db.raw("""
                    INSERT INTO calendar_year_versions (year, version, source, days, replaced_at, replaced_by)
                    VALUES (\(bind: y.year), \(bind: version), \(bind: previous.source), \(bind: snapshot), \(bind: now), \(bind: actor))
                    """).run()
                try await db.raw("DELETE FROM calendar_days WHERE year = \(bind: y.year)").run()
                try await db.raw("""
                    UPDATE calendar_years SET source = \(bind: y.source), version = version + 1, updated_at = \(bind: now),
                        updated_by = \(bind: actor) WHERE year = \(bind: y.year)
                    """).run()
            } else {
                try await db.raw("""
                    INSERT INTO calendar_years (year, source, version, updated_at, updated_by)
                    VALUES (\(bind: y.year), \(bind: y.source), 1, \(bind: now), \(bind: actor))
                    """).run()
            }
            for e in y.entries {
                try await db.raw("""
                    INSERT INTO calendar_days (day, year, kind, name)
                    VALUES (\(bind: e.date.description), \(bind: y.year), \(bind: e.kind.rawValue), \(bind: e.name))
                    """).run()
            }
        }
    }

    /// How many times a year was replaced (its kept versions), for audits and tests.
    public func calendarYearVersions(_ year: Int) async throws -> Int {
        try await db.raw("SELECT count(*) AS n FROM calendar_year_versions WHERE year = \(bind: year)")
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }
}
