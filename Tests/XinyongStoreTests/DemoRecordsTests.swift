import Foundation
import SQLKit
import Testing
import XinyongApp
import XinyongCore
import XinyongStore
import XinyongTestSupport

/// The demo records go through the intake path: every one must pass the catalog's checks, link to
/// its subject, get a publicity window and an event in the change log.
@Suite("Demo records")
struct DemoRecordsTests {
    @Test func demoRecordsAreValidLinkedAndSomeArePastTheirWindow() async throws {
        try await TestBackend.withPlatform { p in
            let demo = DemoData(seed: 7)
            try await demo.load(into: p.store, subjects: 300, logger: TestBackend.logger)
            let today = CivilDate(year: 2026, month: 11, day: 22)!
            let results = try await demo.loadRecords(into: p.store, penalties: 200, licences: 120, population: 300, today: today,
                                                     chunk: 50, logger: TestBackend.logger)
            #expect(results.reduce(0) { $0 + $1.rejectedRows + $1.heldRows } == 0, "\(results.flatMap(\.rejected).prefix(3))")
            // 200 penalties, 120 licences and 20 of each of the seven other public items.
            #expect(results.reduce(0) { $0 + $1.created } == 460)
            #expect(Set(results.map(\.id)).count == results.count && results.count >= 6)
            struct C: Decodable { var n: Int }
            let linked = try await p.database.sql.raw("SELECT COUNT(*) AS n FROM credit_records WHERE subject_id IS NOT NULL").first(decoding: C.self)
            #expect(linked?.n == 460)
            let events = try await p.store.changeLog(after: 0, limit: 10_000)
            #expect(events.count == 460 && events.allSatisfy { $0.event == "record.created" })
            // One event per record, in the order the rows came, with the record's submission and subject.
            struct R: Decodable { var id: Int64; var submission_id: Int64; var subject_id: Int64? }
            let records = try await p.database.sql.raw("SELECT id, submission_id, subject_id FROM credit_records ORDER BY id").all(decoding: R.self)
            #expect(events.map(\.recordID) == records.map(\.id))
            #expect(events.map(\.submissionID) == records.map(\.submission_id) && events.map(\.subjectID) == records.map(\.subject_id))
            #expect(events.map(\.seq) == events.map(\.seq).sorted())
            let publicNow = try await p.database.sql.raw("""
                SELECT COUNT(*) AS n FROM credit_records WHERE publishable = \(bind: true) AND public_from <= '2026-11-22'
                  AND (public_until IS NULL OR public_until > '2026-11-22')
                """).first(decoding: C.self)
            #expect((publicNow?.n ?? 0) > 50 && (publicNow?.n ?? 0) < 420)   // some in their window, some past it
            // Loading the same demo again changes nothing.
            let again = try await demo.loadRecords(into: p.store, penalties: 200, licences: 120, population: 300, today: today,
                                                   chunk: 50, logger: TestBackend.logger)
            #expect(again.reduce(0) { $0 + $1.unchanged } == 460 && again.reduce(0) { $0 + $1.created } == 0)
        }
    }
}
