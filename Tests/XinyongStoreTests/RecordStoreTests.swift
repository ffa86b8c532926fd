import Foundation
import SQLKit
import Testing
import XinyongApp
import XinyongCore
import XinyongStore
import XinyongTestSupport

/// Records, submissions and the change log, on SQLite and (by the test command) PostgreSQL.
@Suite("Record store")
struct RecordStoreTests {
    let today = CivilDate(year: 2026, month: 11, day: 22)!
    var penalty: CatalogItem { Catalog.shipped.item("xzcf")! }

    func row(_ wsh: String, code: String = "91350200776049653A", name: String = "厦门示例科技有限公司", fine: String = "2") -> [String: String] {
        ["CF_XDR_MC": name, "CF_XDR_LB": "法人及非法人组织", "CF_XDR_SHXYM": code, "CF_FRDB": "王伟", "CF_WSH": wsh,
         "CF_WFXW": "虚假宣传", "CF_SY": "事实", "CF_YJ": "《广告法》第五十七条", "CF_CFLB": "罚款", "CF_NR": "罚款",
         "CF_NR_FK": fine, "CF_JDRQ": "2026-03-05", "CF_YXQ": "2027-03-05", "CF_CFJG": "厦门市市场监督管理局",
         "CF_CFJGDM": "9135021359498494XQ", "CF_SJLY": "厦门市市场监督管理局", "CF_SJLYDM": "9135021359498494XQ"]
    }

    func submit(_ p: Platform, _ rows: [[String: String]]) async throws -> SubmissionResult {
        let v = CatalogValidator()
        let intake = rows.enumerated().map { IntakeRow(number: $0 + 1, raw: $1, result: v.validate($1, item: penalty, today: today)) }
        return try await p.store.applySubmission(SubmissionDraft(item: penalty, department: "SCJGJ", channel: .api, actor: "apikey:1", rows: intake))
    }

    func withDepartment(_ body: (Platform) async throws -> Void) async throws {
        try await TestBackend.withPlatform { p in
            try await p.store.upsertDepartment(Department(code: "SCJGJ", name: "市场监督管理局"))
            try await body(p)
        }
    }

    @Test func resubmittingTheSameFileChangesNothing() async throws {
        try await withDepartment { p in
            let first = try await submit(p, [row("厦市监处罚〔2026〕1号"), row("厦市监处罚〔2026〕2号")])
            #expect(first.created == 2 && first.updated == 0 && first.rejected.isEmpty)
            let again = try await submit(p, [row("厦市监处罚〔2026〕1号"), row("厦市监处罚〔2026〕2号")])
            #expect(again.created == 0 && again.updated == 0 && again.unchanged == 2)
            #expect(try await p.store.changeLog(after: 0, limit: 100).map(\.event) == ["record.created", "record.created"])
        }
    }

    /// New records are written row by row on SQLite and in multi-row inserts elsewhere: either way
    /// each gets one event, in row order, naming its own record, subject and submission.
    @Test func aLargeSubmissionLogsOneEventPerNewRecordInRowOrder() async throws {
        try await withDepartment { p in
            var rows = (1...650).map { i in
                i % 3 == 0 ? row("厦市监处罚〔2026〕\(i)号", code: "9135021359498494XQ", name: "厦门市市场监督管理局") : row("厦市监处罚〔2026〕\(i)号")
            }
            rows.insert(row("厦市监处罚〔2026〕7号"), at: 400)   // the same key again: rejected, nothing written for it
            let r = try await submit(p, rows)
            #expect(r.created == 650 && r.rejectedRows == 1 && r.rejected.first?.row == 401)
            struct R: Decodable { var id: Int64; var subject_id: Int64?; var source_row: Int; var record_key: String }
            let records = try await p.database.sql.raw("SELECT id, subject_id, source_row, record_key FROM credit_records ORDER BY id").all(decoding: R.self)
            #expect(records.map(\.source_row) == Array(1...400) + Array(402...651))
            #expect(Set(records.compactMap(\.subject_id)).count == 2 && records.allSatisfy { $0.subject_id != nil })
            let log = try await p.store.changeLog(after: 0, limit: 1000)
            #expect(log.count == 650)
            #expect(log.allSatisfy { $0.event == "record.created" && $0.version == 1 && $0.submissionID == r.id && $0.itemCode == "xzcf" })
            #expect(log.map(\.recordID) == records.map(\.id))
            #expect(log.map(\.subjectID) == records.map(\.subject_id))
            #expect(zip(log, log.dropFirst()).allSatisfy { $0.seq < $1.seq })
        }
    }

    @Test func aChangedValueIsANewVersionAndTheOldOneIsKept() async throws {
        try await withDepartment { p in
            _ = try await submit(p, [row("厦市监处罚〔2026〕1号", fine: "2")])
            let changed = try await submit(p, [row("厦市监处罚〔2026〕1号", fine: "3.5")])
            #expect(changed.updated == 1)
            let key = RecordKeys.key(CatalogValidator().validate(row("厦市监处罚〔2026〕1号"), item: penalty, today: today).values, item: penalty)!
            let r = try #require(try await p.store.record(itemCode: "xzcf", key: key))
            #expect(r.version == 2 && r.fields["CF_NR_FK"] == "3.5" && r.submissionID == changed.id)
            struct V: Decodable { var version: Int; var fields: String }
            let old = try await p.database.sql.raw("SELECT version, fields FROM credit_record_versions WHERE record_id = \(bind: r.id)").all(decoding: V.self)
            #expect(old.count == 1 && old[0].version == 1 && old[0].fields.contains("\"CF_NR_FK\":\"2\""))
            let log = try await p.store.changeLog(after: 0, limit: 100)
            #expect(log.map(\.event) == ["record.created", "record.updated"])
            #expect(log.map(\.version) == [1, 2])
            #expect(log[0].seq < log[1].seq)

            let keyValues = ["CF_WSH": "厦市监处罚〔2026〕1号", "CF_CFJGDM": "9135021359498494XQ"]
            let revoked = try await p.store.revokeRecord(item: penalty, keyValues: keyValues, reason: "处罚决定已被行政复议撤销", actor: "account:1")
            #expect(revoked.status == .revoked && revoked.version == 3)
            #expect(try await p.store.record(itemCode: "xzcf", key: key)?.status == .revoked)   // never deleted
            let events = try await p.store.changeLog(after: log[1].seq, limit: 10)
            #expect(events.map(\.event) == ["record.revoked"] && events[0].note == "处罚决定已被行政复议撤销")
            await #expect(throws: DomainError.self) {
                _ = try await p.store.revokeRecord(item: penalty, keyValues: keyValues, reason: "再次撤销", actor: "account:1")
            }
            // Resubmitting a revoked record restores it as a new version.
            let restored = try await submit(p, [row("厦市监处罚〔2026〕1号", fine: "3.5")])
            #expect(restored.updated == 1)
            #expect(try await p.store.record(itemCode: "xzcf", key: key)?.version == 4)
        }
    }

    @Test func rejectedAndHeldRowsAreKeptWithReasons() async throws {
        try await withDepartment { p in
            var bad = row("厦市监处罚〔2026〕3号")
            bad["CF_JDRQ"] = "2026-02-30"
            let pilot = row("厦市监处罚〔2026〕4号", code: "91350203M0001QAY9B")
            let r = try await submit(p, [row("厦市监处罚〔2026〕1号"), bad, pilot, row("厦市监处罚〔2026〕1号", fine: "9")])
            #expect(r.created == 1)
            #expect(Set(r.rejected.map(\.row)) == [2, 4])   // a bad date; a duplicate key within the submission
            #expect(r.rejected.contains { $0.row == 4 && $0.issue.reason.contains("第 1 行") })
            #expect(r.held.map(\.row) == [3])
            struct Kept: Decodable { var row_number: Int; var outcome: String; var raw_sealed: String; var issues: String }
            let kept = try await p.database.sql.raw("""
                SELECT row_number, outcome, raw_sealed, issues FROM submission_rows WHERE submission_id = \(bind: r.id) ORDER BY row_number
                """).all(decoding: Kept.self)
            #expect(kept.map(\.row_number) == [2, 3, 4])
            #expect(!kept[0].raw_sealed.contains("2026-02-30"))   // kept rows are sealed at rest
            #expect(try p.store.vault.open(kept[0].raw_sealed).contains("2026-02-30") && kept[0].issues.contains("不是存在的日期"))
            #expect(kept[1].outcome == "held")
            let summary = try #require(try await p.store.submission(id: r.id))
            #expect(summary.created == 1 && summary.rejected == 2 && summary.held == 1 && summary.totalRows == 4)
            #expect(summary.rows.map(\.row) == [2, 3, 4] && summary.rows[0].raw["CF_JDRQ"] == "2026-02-30")
            #expect(summary.rows[0].issues.contains { $0.field == "CF_JDRQ" })
        }
    }

    @Test func importsLargeFilesInChunksInOneSubmission() async throws {
        try await withDepartment { p in
            let labels = penalty.fields.map(\.label)
            var csv = labels.joined(separator: ",") + "\n"
            for i in 1...350 {
                var r = row("厦市监处罚〔2026〕\(i)号")
                if i % 50 == 0 { r["CF_JDRQ"] = "2026-13-01" }   // 7 bad rows
                csv += penalty.fields.map { r[$0.name] ?? "" }.joined(separator: ",") + "\n"
            }
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xinyong-import-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let file = dir.appendingPathComponent("penalties.csv").path
            #expect(FileManager.default.createFile(atPath: file, contents: csv.data(using: CSVReader.gb18030)))
            let r = try await p.importFile(file, itemCode: "xzcf", department: "SCJGJ", encoding: nil, chunkRows: 100)
            #expect(r.totalRows == 350 && r.created == 343 && r.rejectedRows == 7)
            #expect(r.rejected.map(\.row).prefix(2) == [51, 101])   // file lines (the header is line 1)
            let again = try await p.importFile(file, itemCode: "xzcf", department: "SCJGJ", encoding: .gb18030, chunkRows: 64)
            #expect(again.unchanged == 343 && again.created == 0)
            #expect(try await p.store.submission(id: again.id)?.totalRows == 350)

            // A file refused as a whole leaves no submission behind.
            let bad = dir.appendingPathComponent("bad.csv").path
            #expect(FileManager.default.createFile(atPath: bad, contents: Data((labels.joined(separator: ",") + "\n\"open\n").utf8)))
            await #expect(throws: DomainError.self) { _ = try await p.importFile(bad, itemCode: "xzcf", department: "SCJGJ", encoding: nil) }
            let header = dir.appendingPathComponent("header.csv").path
            #expect(FileManager.default.createFile(atPath: header, contents: Data("不认识的列\n1\n".utf8)))
            await #expect(throws: DomainError.self) { _ = try await p.importFile(header, itemCode: "xzcf", department: "SCJGJ", encoding: nil) }
            #expect(try await p.store.submission(id: again.id + 1) == nil)
        }
    }

    @Test func recordsLinkToSubjectsCreatingThemWhenNew() async throws {
        try await withDepartment { p in
            let existing = try await p.store.createSubject(try SubjectRules.validate(
                SubjectDraft(code: "91350200776049653A", name: "厦门示例科技有限公司"), validator: IdentifierValidator(), today: today), actor: "test")
            var person = row("厦市监处罚〔2026〕9号")
            person["CF_XDR_LB"] = "自然人"; person["CF_XDR_MC"] = "张三"; person["CF_XDR_SHXYM"] = nil; person["CF_FRDB"] = nil
            person["CF_XDR_ZJLX"] = "身份证"; person["CF_XDR_ZJHM"] = Fixtures.residentID
            _ = try await submit(p, [row("厦市监处罚〔2026〕1号"), row("厦市监处罚〔2026〕2号", code: "9135021359498494XQ", name: "厦门新公司"), person])
            #expect(try await p.store.records(subjectID: existing.id).count == 1)
            let created = try #require(try await p.store.subject(code: "9135021359498494XQ"))
            #expect(created.name == "厦门新公司")
            #expect(try await p.store.records(subjectID: created.id).count == 1)
            let zhang = try #require(try await p.store.subject(code: Fixtures.residentID))
            #expect(zhang.kind == .naturalPerson && zhang.code == "110105********002X")
            let personRecords = try await p.store.records(subjectID: zhang.id)
            #expect(personRecords.count == 1)
            // The identity number is not in the stored fields in clear, only its keyed hash (and a sealed copy).
            struct F: Decodable { var fields: String; var sealed_fields: String? }
            let stored = try await p.database.sql.raw("SELECT fields, sealed_fields FROM credit_records WHERE id = \(bind: personRecords[0].id)")
                .first(decoding: F.self)!
            #expect(!stored.fields.contains("19491231") && !(stored.sealed_fields ?? "").contains("19491231"))
            #expect(personRecords[0].fields["CF_XDR_ZJHM"] == p.store.vault.lookupToken(Fixtures.residentID))
            // Resubmitting the same person's record is still a no-op: the keyed hash is deterministic.
            #expect(try await submit(p, [person]).unchanged == 1)
        }
    }
    /// Records are public only inside their window; the window follows the catalog's rules and
    /// is recomputed when those change.
    @Test func publicRecordsAreThoseInsideTheirWindow() async throws {
        try await withDepartment { p in
            var recent = row("厦市监处罚〔2026〕41号")
            recent["CF_JDRQ"] = "2026-05-10"
            var old = row("厦市监处罚〔2025〕42号")
            old["CF_JDRQ"] = "2025-01-10"
            old["CF_YXQ"] = "2026-01-10"
            var person = row("厦市监处罚〔2026〕43号")
            person["CF_XDR_LB"] = "自然人"; person["CF_XDR_SHXYM"] = nil; person["CF_FRDB"] = nil
            person["CF_XDR_ZJLX"] = "身份证"; person["CF_XDR_ZJHM"] = Fixtures.residentID; person["CF_XDR_MC"] = "张三"
            let r = try await submit(p, [recent, old, person])
            #expect(r.created == 3, "\(r.rejected)")
            let subject = try #require(try await p.store.subject(code: "91350200776049653A"))
            let all = try await p.store.records(subjectID: subject.id)
            #expect(all.count == 2)
            let visible = try await p.store.publicRecords(subjectID: subject.id, on: today)
            #expect(visible.map { $0.fields["CF_WSH"] } == ["厦市监处罚〔2026〕41号"])
            #expect(visible[0].window.until == CivilDate("2027-05-10") && visible[0].window.basis.contains("一般"))
            // The expired one is still in the archive, and was public while its window was open.
            #expect(try await p.store.publicRecords(subjectID: subject.id, on: CivilDate("2025-06-01")!).map { $0.fields["CF_WSH"] } == ["厦市监处罚〔2025〕42号"])
            // The natural person's record is never public.
            let personSubject = try #require(try await p.store.subject(code: Fixtures.residentID))
            #expect(try await p.store.records(subjectID: personSubject.id).count == 1)
            #expect(try await p.store.publicRecords(subjectID: personSubject.id, on: today).isEmpty)

            // A revoked record leaves public view.
            let key = CatalogValidator().validate(recent, item: penalty, today: today).values.filter { penalty.naturalKey.contains($0.key) }
            _ = try await p.store.revokeRecord(item: penalty, keyValues: key, reason: "决定已被撤销", actor: "test")
            #expect(try await p.store.publicRecords(subjectID: subject.id, on: today).isEmpty)

            // A changed rule set is re-applied to stored records.
            var stricter = Catalog.shipped
            stricter.version += "+test"
            stricter.publicity!.seriousKinds.append("罚款")
            #expect(try await p.store.refreshPublicityWindows(catalog: stricter, batch: 2, today: today) == 3)
            #expect(try await p.store.refreshPublicityWindows(catalog: stricter, batch: 2, today: today) == 0)
            let oldNow = try await p.store.publicRecords(subjectID: subject.id, on: today)
            #expect(oldNow.map { $0.fields["CF_WSH"] } == ["厦市监处罚〔2025〕42号"] && oldNow[0].window.until == CivilDate("2028-01-10"))
        }
    }
    /// The 双公示 listing: only records public on the day, newest decision first across items,
    /// narrowed by department, dates and keyword, paged, with totals and the linked subject's code.
    @Test func theShuanggongshiListing() async throws {
        try await withDepartment { p in
            try await p.store.upsertDepartment(Department(code: "ZJJ", name: "住房和城乡建设局"))
            // Valid credit codes of our own making, one subject each.
            func code(_ n: Int) -> String {
                let body = String(77_604_960 + n)
                let first17 = "91350200" + body + String(IdentifierValidator.orgCodeCheckCharacter(body)!)
                return first17 + String(IdentifierValidator.usccCheckCharacter(Array(first17))!)
            }
            var rows: [[String: String]] = []
            for (n, day) in ["2026-03-05", "2026-06-01", "2026-09-30"].enumerated() {
                var r = row("厦市监处罚〔2026〕\(n + 1)号", code: code(n), name: "厦门示例\(n)科技有限公司", fine: "2")
                r["CF_JDRQ"] = day
                rows.append(r)
            }
            var expired = row("厦市监处罚〔2024〕9号")
            expired["CF_JDRQ"] = "2024-01-10"; expired["CF_YXQ"] = "2025-01-10"
            var percent = row("厦市监处罚〔2026〕100%号", code: code(3), name: "百分之百_有限公司")
            percent["CF_JDRQ"] = "2026-02-01"
            var person = row("厦市监处罚〔2026〕7号")
            person["CF_XDR_LB"] = "自然人"; person["CF_XDR_SHXYM"] = nil; person["CF_FRDB"] = nil
            person["CF_XDR_ZJLX"] = "身份证"; person["CF_XDR_ZJHM"] = Fixtures.residentID; person["CF_XDR_MC"] = "张三"
            person["CF_JDRQ"] = "2026-10-01"
            #expect(try await submit(p, rows + [expired, percent, person]).created == 6)
            let licence = Catalog.shipped.item("xzxk")!
            let l: [String: String] = [
                "XK_XDR_MC": "厦门建设有限公司", "XK_XDR_LB": "法人及非法人组织", "XK_XDR_SHXYM": "91350200776049653A", "XK_FRDB": "李明",
                "XK_XKWS": "建筑业企业资质证书", "XK_WSH": "厦建许〔2026〕5号", "XK_XKLB": "认可", "XK_NR": "建筑工程施工总承包二级",
                "XK_JDRQ": "2026-07-15", "XK_YXQZ": "2026-07-15", "XK_YXQZI": "2031-07-14", "XK_XKJG": "厦门市住房和城乡建设局",
                "XK_XKJGDM": "9135021359498494XQ", "XK_ZT": "有效", "XK_LYDW": "厦门市住房和城乡建设局", "XK_LYDWDM": "9135021359498494XQ"]
            let lr = try await p.store.applySubmission(SubmissionDraft(
                item: licence, department: "ZJJ", channel: .api, actor: "apikey:2",
                rows: [IntakeRow(number: 1, raw: l, result: CatalogValidator().validate(l, item: licence, today: today))]))
            #expect(lr.created == 1, "\(lr.rejected)")

            func titles(_ q: PublicRecordQuery) async throws -> [String] {
                try await p.store.publicRecordPage(q, on: today).items.map { $0.record.fields["CF_WSH"] ?? $0.record.fields["XK_WSH"] ?? "?" }
            }
            let both = try PublicRecordQuery(items: ["xzxk", "xzcf"])
            // Newest decision first across both items; the expired record and the person are not listed.
            #expect(try await titles(both) == ["厦市监处罚〔2026〕3号", "厦建许〔2026〕5号", "厦市监处罚〔2026〕2号",
                                              "厦市监处罚〔2026〕1号", "厦市监处罚〔2026〕100%号"])
            let all = try await p.store.publicRecordPage(both, on: today)
            #expect(all.total == 5 && all.totalExact && all.pageCount == 1)
            #expect(all.items[1].subjectCode == "91350200776049653A" && all.items[0].subjectCode == code(2))
            // Filters.
            #expect(try await titles(PublicRecordQuery(items: ["xzxk", "xzcf"], department: "ZJJ")) == ["厦建许〔2026〕5号"])
            #expect(try await titles(PublicRecordQuery(items: ["xzcf"], decidedFrom: CivilDate("2026-03-05"), decidedTo: CivilDate("2026-06-01")))
                    == ["厦市监处罚〔2026〕2号", "厦市监处罚〔2026〕1号"])
            // A keyword finds subjects by name (as the site's search does) or numbers by their beginning.
            #expect(try await titles(PublicRecordQuery(items: ["xzcf"], keyword: "示例1")) == ["厦市监处罚〔2026〕2号"])
            #expect(try await titles(PublicRecordQuery(items: ["xzxk", "xzcf"], keyword: code(0))) == ["厦市监处罚〔2026〕1号"])
            #expect(try await titles(PublicRecordQuery(items: ["xzcf"], keyword: "厦市监处罚〔2026〕3")) == ["厦市监处罚〔2026〕3号"])
            #expect(try await titles(PublicRecordQuery(items: ["xzcf"], keyword: "厦市监处罚〔2026〕100%")) == ["厦市监处罚〔2026〕100%号"])
            #expect(try await titles(PublicRecordQuery(items: ["xzcf"], keyword: "百分之百_")) == ["厦市监处罚〔2026〕100%号"])
            #expect(try await titles(PublicRecordQuery(items: ["xzcf"], keyword: "百分之百x")).isEmpty)   // `_` is no wildcard
            #expect(try await titles(PublicRecordQuery(items: ["xzcf"], keyword: "%")).isEmpty)
            #expect(try await titles(PublicRecordQuery(items: ["xzcf"], keyword: "张三")).isEmpty)
            #expect(try await titles(PublicRecordQuery(items: ["xzcf"], department: "ZJJ", keyword: "示例1")).isEmpty)
            // Pages.
            let second = try await p.store.publicRecordPage(try PublicRecordQuery(items: ["xzxk", "xzcf"], page: 2, perPage: 2), on: today)
            #expect(second.items.map { $0.record.fields["CF_WSH"] } == ["厦市监处罚〔2026〕2号", "厦市监处罚〔2026〕1号"])
            #expect(second.total == 5 && second.pageCount == 3)
            // One record, only while public.
            let first = try #require(all.items.first)
            #expect(try await p.store.publicRecord(id: first.record.id, on: today)?.record.id == first.record.id)
            #expect(try await p.store.publicRecord(id: first.record.id, on: CivilDate("2026-09-29")!) == nil)
            let subject = try #require(try await p.store.subject(code: Fixtures.residentID))
            let personRecord = try #require(try await p.store.records(subjectID: subject.id).first)
            #expect(try await p.store.publicRecord(id: personRecord.id, on: today) == nil)
            #expect(try await p.store.countPublicRecords(items: ["xzcf"], on: today) == 4)
            #expect(try await p.store.countPublicRecords(items: ["xzxk"], on: today) == 1)
            #expect(try await p.store.countPublicRecords(items: ["xzcf"], on: CivilDate("2024-06-01")!) == 1)
        }
    }

    /// Records without a usable code are linked by an unambiguous name or wait in the queue; the
    /// credit office links them by hand or confirms a pilot code; 重错码 are reported.
    @Test func linkingByNameTheQueueAndSuspectCodes() async throws {
        try await withDepartment { p in
            let registered = try await p.store.createSubject(try SubjectRules.validate(
                SubjectDraft(code: "9135021359498494XQ", name: "厦门登记在册有限公司"), validator: IdentifierValidator(), today: today), actor: "test")
            // Some departments write a placeholder when they do not have the code.
            let byName = row("厦市监处罚〔2026〕71号", code: "00000000000000000X", name: "厦门登记在册有限公司")
            var badCode = row("厦市监处罚〔2026〕72号", code: "9135ABC", name: "厦门无从查起有限公司")
            badCode["CF_FRDB"] = "李四"
            let pilot = row("厦市监处罚〔2026〕73号", code: Fixtures.pilotUSCC, name: "厦门试点赋码有限公司")
            let r = try await submit(p, [byName, badCode, pilot])
            #expect(r.created == 2 && r.heldRows == 1 && r.rejectedRows == 0, "\(r.rejected)")

            let linked = try await p.store.records(subjectID: registered.id)
            #expect(linked.map { $0.fields["CF_WSH"] } == ["厦市监处罚〔2026〕71号"])
            let queue = try await p.store.linkQueue(limit: 100)
            #expect(queue.map(\.kind) == [.record, .held])
            #expect(queue[0].name == "厦门无从查起有限公司" && queue[0].note.contains("统一社会信用代码"))
            #expect(queue[1].code == Fixtures.pilotUSCC && queue[1].note.contains("校验位"))
            // The invalid code is not stored as if it were one.
            let pendingRecord = try #require(try await p.store.record(itemCode: "xzcf", key: "厦市监处罚〔2026〕72号\u{1F}9135021359498494XQ"))
            #expect(pendingRecord.fields["CF_XDR_SHXYM"] == nil && pendingRecord.subjectID == nil)

            // Linked by hand: a new version with a change-log event.
            let other = try await p.store.createSubject(try SubjectRules.validate(
                SubjectDraft(code: "91350200776049653A", name: "厦门无从查起有限公司"), validator: IdentifierValidator(), today: today), actor: "test")
            let manual = try await p.store.linkRecord(id: queue[0].recordID!, subjectCode: other.code, actor: "account:1")
            #expect(manual.version == 2 && manual.subjectID == other.id)
            let last = try await p.store.changeLog(after: 0, limit: 100).last!
            #expect(last.event == "record.updated" && last.note?.contains("人工关联") == true)
            await #expect(throws: DomainError.self) { try await p.store.linkRecord(id: queue[0].recordID!, subjectCode: other.code, actor: "account:1") }

            // The held pilot code, confirmed: the subject is registered as a confirmed pilot code and the row becomes a record.
            let confirmed = try await p.store.resolveHeldRow(submissionID: queue[1].submissionID, row: queue[1].row, confirm: true,
                                                             reason: "经核对营业执照原件", actor: "account:1", catalog: .shipped)
            #expect(confirmed?.created == 1)
            let pilotSubject = try #require(try await p.store.subject(code: Fixtures.pilotUSCC))
            #expect(pilotSubject.codeCheckFailed)
            #expect(try await p.store.linkQueue(limit: 100).isEmpty)
            await #expect(throws: DomainError.self) {
                try await p.store.resolveHeldRow(submissionID: queue[1].submissionID, row: queue[1].row, confirm: false, reason: "重复处理",
                                                 actor: "account:1", catalog: .shipped)
            }

            // 重错码: a registered code used with another name, and one name under two codes.
            let renamed = row("厦市监处罚〔2026〕74号", code: "9135021359498494XQ", name: "厦门另一个名字有限公司")
            let sameName = row("厦市监处罚〔2026〕75号", code: "91350200776049653A", name: "厦门登记在册有限公司")
            _ = try await submit(p, [renamed, sameName])
            let suspects = try await p.store.suspectCodes(limit: 50)
            #expect(suspects.codesWithSeveralNames.contains { $0.code == "9135021359498494XQ" && $0.otherNames == ["厦门另一个名字有限公司"] })
            #expect(suspects.namesWithSeveralCodes.contains { $0.name == "厦门登记在册有限公司" && $0.codes == ["91350200776049653A", "9135021359498494XQ"] })
        }
    }
}
