import Foundation
import SQLKit
import Testing
import XinyongApp
import XinyongCore
@testable import XinyongStore
import XinyongTestSupport

/// One contract suite for the storage layer, run against SQLite and (by the test command) PostgreSQL.
@Suite("Store contract")
struct StoreContractTests {
    let validator = IdentifierValidator()
    let today = CivilDate(year: 2026, month: 11, day: 22)!

    func valid(_ code: String, _ name: String, kind: SubjectKind? = nil) throws -> ValidSubject {
        try SubjectRules.validate(SubjectDraft(kind: kind, code: code, name: name, legalRepresentative: "王伟"),
                                  validator: validator, today: today)
    }

    @Test func createAndFindByCodeAndOrgCode() async throws {
        try await TestBackend.withPlatform { p in
            let s = try await p.store.createSubject(try valid("91350200776049653A", "厦门示例科技有限公司"), actor: "test")
            #expect(s.version == 1)
            #expect(s.kind == .enterprise)
            let byCode = try await p.store.subject(code: "91350200776049653A")
            #expect(byCode == s)
            #expect(try await p.store.subject(code: "776049653")?.id == s.id)
            #expect(try await p.store.subject(code: "9135021359498494XQ") == nil)
            #expect(try await p.store.countSubjects() == 1)
        }
    }

    @Test func duplicateCodeIsAConflict() async throws {
        try await TestBackend.withPlatform { p in
            _ = try await p.store.createSubject(try valid("91350200776049653A", "厦门示例科技有限公司"), actor: "test")
            await #expect(throws: DomainError.self) {
                _ = try await p.store.createSubject(try valid("91350200776049653A", "另一个名称公司"), actor: "test")
            }
            #expect(try await p.store.countSubjects() == 1)
        }
    }

    @Test func identityNumbersAreNotStoredInClear() async throws {
        try await TestBackend.withPlatform { p in
            let s = try await p.store.createSubject(try valid(Fixtures.residentID, "张三"), actor: "test")
            #expect(s.code == "110105********002X")
            #expect(try await p.store.subject(code: Fixtures.residentID)?.id == s.id)
            #expect(try await p.store.subject(code: "110105491231002")?.id == s.id)   // legacy 15-digit form
            struct Raw: Decodable { var code_key: String; var code_display: String; var code_sealed: String? }
            let raw = try await p.database.sql.raw("SELECT code_key, code_display, code_sealed FROM subjects").all(decoding: Raw.self)
            #expect(raw.count == 1)
            for text in [raw[0].code_key, raw[0].code_display, raw[0].code_sealed ?? ""] {
                #expect(!text.contains("19491231"))
                #expect(!text.contains(Fixtures.residentID))
            }
            #expect(try p.store.vault.open(raw[0].code_sealed!) == Fixtures.residentID)
            // Natural persons never enter the name index.
            let page = try await p.store.searchSubjects(SubjectQuery(text: "张三"))
            #expect(page.total == 0)
        }
    }

    @Test func wrongDataKeyIsRefused() async throws {
        let url = try await TestBackend.freshDatabaseURL()
        let p1 = try await Platform.open(try TestBackend.config(databaseURL: url), schema: .migrateAll, logger: TestBackend.logger)
        await p1.close()
        await #expect(throws: SQLPlatformStore.KeyMismatch.self) {
            let p2 = try await Platform.open(try TestBackend.config(databaseURL: url), schema: .migrateAll, logger: TestBackend.logger)
            await p2.close()
        }
    }

    @Test func searchRanksExactThenPrefixThenContains() async throws {
        try await TestBackend.withPlatform { p in
            let names = ["某某科技有限公司", "厦门某某科技有限公司", "某某科技", "北京某某科技有限公司", "某某贸易有限公司"]
            for (i, n) in names.enumerated() {
                _ = try await p.store.createSubject(try valid(DemoCodes.uscc(i), n), actor: "test")
            }
            let page = try await p.store.searchSubjects(SubjectQuery(text: "某某科技"))
            #expect(page.total == 4)
            #expect(page.items.map(\.name) == ["某某科技", "某某科技有限公司", "厦门某某科技有限公司", "北京某某科技有限公司"])
            let two = try await p.store.searchSubjects(SubjectQuery(text: "科技"))
            #expect(two.total == 4)
            #expect(try await p.store.searchSubjects(SubjectQuery(text: "贸易")).items.map(\.name) == ["某某贸易有限公司"])
            // Paging walks the three bands without gaps or repeats.
            var seen: [String] = []
            for page in 1...3 {
                seen += try await p.store.searchSubjects(SubjectQuery(text: "某某", page: page, perPage: 2)).items.map(\.name)
            }
            #expect(seen.count == 5 && Set(seen).count == 5)
            #expect(seen.prefix(1) == ["某某科技"])
        }
    }

    @Test func searchNormalisesBracketsAndFiltersKinds() async throws {
        try await TestBackend.withPlatform { p in
            _ = try await p.store.createSubject(try valid(DemoCodes.uscc(1), "厦门（集美）食品有限公司"), actor: "test")
            _ = try await p.store.createSubject(try valid(DemoCodes.uscc(2, prefix: "92"), "集美区陈记食品店"), actor: "test")
            #expect(try await p.store.searchSubjects(SubjectQuery(text: "(集美)食品")).total == 1)
            #expect(try await p.store.searchSubjects(SubjectQuery(text: "（集美）")).total == 1)
            #expect(try await p.store.searchSubjects(SubjectQuery(text: "食品")).total == 2)
            let shops = try await p.store.searchSubjects(SubjectQuery(text: "食品", kinds: [.individualBusiness]))
            #expect(shops.total == 1 && shops.items.first?.name == "集美区陈记食品店")
            await #expect(throws: DomainError.self) { _ = try await p.store.searchSubjects(SubjectQuery(text: "食")) }
            let byCode = try await p.store.searchSubjects(SubjectQuery(text: DemoCodes.uscc(1).lowercased()))
            #expect(byCode.items.map(\.name) == ["厦门（集美）食品有限公司"])
        }
    }

    @Test func largeResultSetsReportABoundedTotal() async throws {
        try await TestBackend.withPlatform { p in
            // About 78% of demo names contain 厦门: 14,000 subjects give more than the count limit.
            try await DemoData(seed: 9).load(into: p.store, subjects: 14_000, logger: TestBackend.logger)
            #expect(try await p.store.gramStatisticsRefreshedAt() != nil)
            let big = try await p.store.searchSubjects(SubjectQuery(text: "厦门"))
            #expect(big.total == SubjectQuery.countLimit && !big.totalExact)
            let verified = try await p.store.searchSubjects(SubjectQuery(text: "厦门市"))
            #expect(verified.totalExact == (verified.total < SubjectQuery.countLimit))
            #expect(verified.items.allSatisfy { $0.name.contains("厦门市") })
            // Paging walks the bands in order, without gaps or repeats: the names that start with
            // the text by name, then the others that contain it by id.
            var walked: [Subject] = []
            var page = 1
            while true {
                let result = try await p.store.searchSubjects(SubjectQuery(text: "集美区", page: page, perPage: 100))
                #expect(result.totalExact && result.total > 300)
                walked += result.items
                if result.items.count < 100 { #expect(walked.count == result.total); break }
                page += 1
            }
            #expect(Set(walked.map(\.id)).count == walked.count && walked.allSatisfy { $0.name.contains("集美区") })
            let starting = walked.prefix { $0.name.hasPrefix("集美区") }
            let rest = walked.dropFirst(starting.count)
            #expect(starting.count > 50 && rest.count > 50)
            #expect(starting.map(\.name) == starting.map(\.name).sorted() && rest.map(\.id) == rest.map(\.id).sorted())
            #expect(!rest.contains { $0.name.hasPrefix("集美区") })
            // The site counts to 200: its tenth page is the last, and the eleventh is empty.
            var site = SubjectQuery(text: "集美区", page: 10, perPage: 20)
            site.countLimit = SubjectQuery.siteCountLimit
            let tenth = try await p.store.searchSubjects(site)
            #expect(tenth.total == 200 && !tenth.totalExact && tenth.items.map(\.id) == walked[180..<200].map(\.id))
            site.page = 11
            #expect(try await p.store.searchSubjects(site).items.isEmpty)
            let small = try await p.store.searchSubjects(SubjectQuery(text: "协会"))
            #expect(small.totalExact && small.total > 0 && small.total < 2000)
            // A name added after the statistics were computed is still found.
            let n = try await p.store.createSubject(try valid("91350200776049653A", "厦门罕见词汇科技有限公司"), actor: "test")
            #expect(try await p.store.searchSubjects(SubjectQuery(text: "罕见词汇科技")).items.map(\.id) == [n.id])
        }
    }

    @Test func updateKeepsHistoryAndFormerNames() async throws {
        try await TestBackend.withPlatform { p in
            let code = "91350200776049653A"
            let s = try await p.store.createSubject(try valid(code, "厦门旧名科技有限公司"), actor: "test")
            let u = try await p.store.updateSubject(code: code, with: try valid(code, "厦门新名科技有限公司"), expectedVersion: 1, actor: "admin")
            #expect(u.version == 2)
            #expect(u.formerNames.map(\.name) == ["厦门旧名科技有限公司"])
            #expect(try await p.store.searchSubjects(SubjectQuery(text: "新名")).total == 1)
            #expect(try await p.store.searchSubjects(SubjectQuery(text: "旧名")).total == 0)
            struct V: Decodable { var version: Int; var snapshot: String }
            let history = try await p.database.sql.raw("SELECT version, snapshot FROM subject_versions WHERE subject_id = \(bind: s.id)")
                .all(decoding: V.self)
            #expect(history.count == 1 && history[0].version == 1 && history[0].snapshot.contains("厦门旧名科技有限公司"))
            await #expect(throws: DomainError.self) {
                _ = try await p.store.updateSubject(code: code, with: try valid(code, "厦门第三名科技有限公司"), expectedVersion: 1, actor: "admin")
            }
            await #expect(throws: DomainError.self) {
                _ = try await p.store.updateSubject(code: "9135021359498494XQ", with: try valid("9135021359498494XQ", "不存在公司"),
                                                    expectedVersion: nil, actor: "admin")
            }
        }
    }

    @Test func accountsSessionsAndKeys() async throws {
        try await TestBackend.withPlatform { p in
            let store = p.store
            await #expect(throws: DomainError.self) {
                _ = try await store.createAccount(AccountDraft(username: "sub", displayName: "报送员", role: .departmentSubmitter), passwordHash: "x")
            }
            try await store.upsertDepartment(Department(code: "SWJ", name: "税务局"))
            try await store.upsertDepartment(Department(code: "SWJ", name: "国家税务总局厦门市税务局"))
            #expect(try await store.departments() == [Department(code: "SWJ", name: "国家税务总局厦门市税务局")])
            let a = try await store.createAccount(AccountDraft(username: "sub", displayName: "报送员", role: .departmentSubmitter,
                                                               departmentCode: "SWJ"), passwordHash: "hash1")
            await #expect(throws: DomainError.self) {
                _ = try await store.createAccount(AccountDraft(username: "sub", displayName: "重复", role: .admin), passwordHash: "x")
            }
            #expect(try await store.credentials(username: "sub")?.passwordHash == "hash1")
            let now = Date()
            try await store.createSession(tokenHash: "t1", accountID: a.id, csrfToken: "c1", expiresAt: now.addingTimeInterval(60))
            try await store.createSession(tokenHash: "t2", accountID: a.id, csrfToken: "c2", expiresAt: now.addingTimeInterval(-1))
            #expect(try await store.session(tokenHash: "t1", now: now)?.csrfToken == "c1")
            #expect(try await store.session(tokenHash: "t2", now: now) == nil)
            try await store.setDisabled(accountID: a.id, disabled: true)
            #expect(try await store.session(tokenHash: "t1", now: now) == nil)
            #expect(try await store.credentials(username: "sub")?.account.disabled == true)

            let key = try await store.createAPIKey(prefix: "abcdefghjk", secretHash: "h", name: "政务服务网", role: .apiClient, departmentCode: nil)
            #expect(try await store.apiKey(prefix: "abcdefghjk")?.info == key)
            #expect(try await store.revokeAPIKey(prefix: "abcdefghjk"))
            #expect(try await store.apiKey(prefix: "abcdefghjk") == nil)
            #expect(try await !store.revokeAPIKey(prefix: "abcdefghjk"))
        }
    }

    @Test func calendarYearsAreAddedAndReplacedWithHistory() async throws {
        try await TestBackend.withPlatform { p in
            #expect(try await p.store.calendarYears().isEmpty)
            #expect(try await p.store.workingCalendar() == .shipped)
            let first = CalendarYear(year: 2027, source: "通知甲", entries: [
                .init(date: CivilDate("2027-01-01")!, kind: .holiday, name: "元旦"),
                .init(date: CivilDate("2027-02-07")!, kind: .workday, name: "春节调休")])
            try await p.store.putCalendarYear(first, actor: "account:1")
            #expect(try await p.store.calendarYears() == [first])
            let second = CalendarYear(year: 2027, source: "通知乙（更正）", entries: [.init(date: CivilDate("2027-01-01")!, kind: .holiday, name: "元旦")])
            try await p.store.putCalendarYear(second, actor: "account:1")
            #expect(try await p.store.calendarYears() == [second])
            #expect(try await p.store.calendarYearVersions(2027) == 1)
            let cal = try await p.store.workingCalendar()
            #expect(try !cal.isWorkingDay(CivilDate("2027-02-07")!))   // the corrected year no longer has that make-up Sunday
            await #expect(throws: DomainError.self) {
                try await p.store.putCalendarYear(CalendarYear(year: 2028, source: "x", entries: [
                    .init(date: CivilDate("2028-01-03")!, kind: .workday, name: "周一")]), actor: "account:1")
            }
            #expect(try await p.store.calendarYears().map(\.year) == [2027])
        }
    }

    @Test func catalogSupplementIsStoredWithHistory() async throws {
        try await TestBackend.withPlatform { p in
            #expect(try await p.store.catalog() == Catalog.shipped)
            try await p.store.putCodeList("honour_level", values: ["市级", "区级"], actor: "account:1")
            var item = CatalogItem(code: "local_honours", name: "市级表彰荣誉", category: "荣誉信息", openness: .public, publicity: "validity",
                                   fields: [.init(name: "RY_MC", label: "荣誉名称", kind: .text, required: true),
                                            .init(name: "RY_JB", label: "荣誉级别", kind: .code, required: true, codeList: "honour_level")],
                                   naturalKey: ["RY_MC"], rules: [])
            try await p.store.putLocalItem(item, actor: "account:1")
            item.name = "市级表彰荣誉（修订）"
            try await p.store.putLocalItem(item, actor: "account:1")
            #expect(try await p.store.catalogLocalVersions(kind: "item", key: "local_honours") == 1)
            try await p.store.addLocalFields([.init(name: "CF_LOCAL_AJBH", label: "案件编号", kind: .text, required: false)],
                                             to: "xzcf", actor: "account:1")
            let c = try await p.store.catalog()
            #expect(c.item("local_honours")?.name == "市级表彰荣誉（修订）")
            #expect(c.item("xzcf")?.fields.count == 31)
            #expect(c.codeLists["honour_level"] == ["市级", "区级"])
            await #expect(throws: DomainError.self) { try await p.store.putCodeList("cflb", values: ["警告"], actor: "account:1") }
            // An unconfirmed ([U]) shipped list takes local values after the shipped ones, and validation accepts them.
            try await p.store.putCodeList("xk_zt", values: ["注销", "有效"], actor: "account:1")
            let extended = try await p.store.catalog()
            #expect(extended.codeLists["xk_zt"] == Catalog.shipped.codeLists["xk_zt"]! + ["注销"])
            await #expect(throws: DomainError.self) {
                var national = Catalog.shipped.item("xzcf")!
                national.name = "改名"
                try await p.store.putLocalItem(national, actor: "account:1")
            }
            await #expect(throws: DomainError.self) {
                try await p.store.addLocalFields([.init(name: "CF_X", label: "必填补充", kind: .text, required: true)], to: "xzcf", actor: "account:1")
            }
            #expect(try await p.store.catalog().item("xzcf")?.fields.count == 31)
        }
    }

    @Test func accessLogKeepsWhoLooked() async throws {
        try await TestBackend.withPlatform { p in
            try await p.store.recordAccess(actor: "account:1", action: "subject.read", subjectID: 7, detail: "测试")
            let log = try await p.store.accessLog(subjectID: 7)
            #expect(log.count == 1 && log[0].actor == "account:1")
        }
    }

    @Test func demoDataIsDeterministicValidAndBulkLoaded() async throws {
        #expect(DemoData(seed: 1).subject(5) == DemoData(seed: 1).subject(5))
        #expect(DemoData(seed: 1).subject(5) != DemoData(seed: 2).subject(5))
        let v = IdentifierValidator()
        for i in 0..<3000 {
            let d = DemoData(seed: 7).subject(i)
            let c = v.check(d.code, today: today)
            #expect(c.valid && c.warnings.isEmpty, "\(i): \(c.reason ?? "")")
        }
        // Identity numbers are unique by construction: birth date and sequence decode back to the index.
        let epoch = CivilDate(year: 1950, month: 1, day: 1)!.daysSinceEpoch
        var persons = 0
        for i in stride(from: 0, to: 2_000_000, by: 7) {
            let d = DemoData(seed: 7).subject(i)
            guard d.kind == .naturalPerson else { continue }
            persons += 1
            let c = Array(d.code)
            let birth = CivilDate(String(c[6..<14]))!
            let seq = Int(String(c[14..<17]))!
            #expect((birth.daysSinceEpoch - epoch) * 1000 + seq == i % 20_000_000, "person \(i)")
        }
        #expect(persons > 1000)
        try await TestBackend.withPlatform { p in
            try await DemoData(seed: 7).load(into: p.store, subjects: 500, batch: 200, logger: TestBackend.logger)
            #expect(try await p.store.countSubjects() == 500)
            #expect(try await p.store.setting("demo_dataset")?.hasPrefix("synthetic") == true)
            // Identity sequences continue after explicitly numbered bulk rows.
            let s = try await p.store.createSubject(try valid("91350200776049653A", "厦门示例科技有限公司"), actor: "test")
            #expect(s.id == 501)
            let hits = try await p.store.searchSubjects(SubjectQuery(text: "厦门", perPage: 100))
            #expect(hits.total > 100 && hits.items.count == 100 && hits.items.allSatisfy { $0.name.contains("厦门") })
        }
    }
    /// Many writers at once — transactions, group-committed check logs and single-statement
    /// writes, with reads in between — all finish, and quickly: on SQLite, writers once waited
    /// inside the busy handler, held every pool thread and stalled until the 10 s busy timeout.
    @Test func concurrentWritersNeverStall() async throws {
        try await TestBackend.withPlatform { p in
            let store = p.store
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<48 {
                    group.addTask {
                        switch n % 4 {
                        case 0: try await store.putSetting("stall-test-\(n)", String(n))
                        case 1:
                            let answer = CheckAnswer(position: 1, query: "q\(n)", found: false, subjectId: nil, subject: nil, lists: [], records: [],
                                                     measures: [], conclusion: "无")
                            _ = try await store.saveCheck(CheckDraft(actor: "test", actorName: "测试", departmentCode: "SWJ", matter: "zfcg",
                                                                     purpose: "并发 \(n)", channel: "api", at: Date(), answers: [answer]))
                        case 2:
                            try await store.recordAudit(AuditEntry(at: Date(), actor: "test", actorName: "测试", role: "admin", departmentCode: nil,
                                                                   action: "并发写入", target: "\(n)", status: 200, address: nil))
                        default: _ = try await store.countSubjects()
                        }
                    }
                }
                try await group.waitForAll()
            }
            // The stall this guards against waited out the 10 s busy timeout (now the write gate's
            // limit, after which a writer fails with 503); a loaded 2-core machine running every
            // suite at once takes a few seconds, so the bound sits just under that limit.
            #expect(ContinuousClock.now - started < .seconds(9))
            #expect(try await store.checks(department: "SWJ", before: nil, limit: 100).count == 12)
            #expect(Set(try await store.checks(department: "SWJ", before: nil, limit: 100).map(\.purpose)).count == 12)
            #expect(try await store.setting("stall-test-44") == "44")
            #expect(try await store.auditEntries(department: nil, before: nil, limit: 100).filter { $0.action == "并发写入" }.count == 12)
        }
    }

    static func checkDraft(_ purpose: String, measures: [String] = []) -> CheckDraft {
        let entries = measures.map {
            try! JSONDecoder().decode(CheckAnswer.MeasureEntry.self, from: Data("""
                {"code": "\($0)", "name": "措施 \($0)", "direction": "punish", "kind": "law", "action": "依法限制",
                 "basis": "《条例》第一条", "triggered_by": ["xzcf"], "record_ids": [1]}
                """.utf8))
        }
        let answers = [CheckAnswer(position: 1, query: "q1", found: true, subjectId: 7, subject: nil, lists: [], records: [], measures: entries,
                                   conclusion: "有"),
                       CheckAnswer(position: 2, query: "q2", found: false, subjectId: nil, subject: nil, lists: [], records: [], measures: [],
                                   conclusion: "无")]
        return CheckDraft(actor: "test", actorName: "测试", departmentCode: "SWJ", matter: "zfcg", purpose: purpose, channel: "api",
                          at: Date(), answers: answers)
    }

    /// A check's log (on SQLite written through the C API in one trip, see SQLiteWriter) is kept
    /// whole: the answers as encoded and one hit per measure, read back as written.
    @Test func checkLogKeepsAnswersAndHits() async throws {
        try await TestBackend.withPlatform { p in
            let draft = Self.checkDraft("日志完整", measures: ["M1", "M2"])
            let id = try await p.store.saveCheck(draft)
            let stored = try #require(try await p.store.check(id: id))
            #expect(stored.summary.purpose == "日志完整" && stored.summary.subjects == 2 && stored.summary.found == 1 && stored.summary.withHits == 1)
            #expect(stored.answers == draft.answers)
            #expect(stored.summary.departmentCode == "SWJ")
        }
    }

    /// Checks logged at once (written together, several to a transaction, by group commit) each
    /// keep their own answers and hits under their own id.
    @Test func concurrentCheckLogsKeepTheirOwnAnswers() async throws {
        try await TestBackend.withPlatform { p in
            let store = p.store
            let ids = try await withThrowingTaskGroup(of: (String, Int64).self) { group in
                for n in 0..<40 {
                    group.addTask { ("并发核查 \(n)", try await store.saveCheck(Self.checkDraft("并发核查 \(n)", measures: n % 2 == 0 ? ["M\(n)"] : []))) }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            #expect(ids.count == 40 && Set(ids.values).count == 40)
            for (purpose, id) in ids {
                let stored = try #require(try await store.check(id: id))
                let n = Int(purpose.split(separator: " ")[1])!
                #expect(stored.summary.purpose == purpose && stored.answers == Self.checkDraft(purpose, measures: n % 2 == 0 ? ["M\(n)"] : []).answers)
                #expect(stored.summary.withHits == (n % 2 == 0 ? 1 : 0))
            }
        }
    }

    /// A write that fails half way (here: the same measure twice for one answer, which the hits'
    /// key refuses) keeps nothing of the check, and the log goes on working.
    @Test func failedCheckLogKeepsNothing() async throws {
        try await TestBackend.withPlatform { p in
            await #expect(throws: (any Error).self) { _ = try await p.store.saveCheck(Self.checkDraft("失败", measures: ["M1", "M1"])) }
            #expect(try await p.store.checks(department: "SWJ", before: nil, limit: 10).isEmpty)
            _ = try await p.store.saveCheck(Self.checkDraft("之后"))
            #expect(try await p.store.checks(department: "SWJ", before: nil, limit: 10).map(\.purpose) == ["之后"])
        }
    }

    /// On PostgreSQL the check log writes on a connection of its own. When its backend ends (a
    /// restart, an administrator's `pg_terminate_backend`) no write hangs: at most the one under
    /// way fails, and the next opens a new connection. Ended 40 times, each time at a different
    /// moment before the next write, to meet the connection while it is closing.
    @Test(.enabled(if: TestBackend.dialect == .postgres)) func checkLogOutlivesItsConnection() async throws {
        try await TestBackend.withPlatform { p in
            let other = try await StoreDatabase.open(p.config.database, poolSize: 1, logger: TestBackend.logger)
            var kept: [Int64] = []
            var failed = 0
            do {
                for n in 0..<40 {
                    // The backend's id is read on the check log's connection, which may be closing.
                    let pid: Int32
                    do { pid = try await p.store.database.checkLogBackendID() } catch { pid = try await p.store.database.checkLogBackendID() }
                    try await other.sql.raw("SELECT pg_terminate_backend(\(bind: pid))").run()
                    if n % 4 != 0 { try await Task.sleep(for: .microseconds(150 * n)) }
                    do { kept.append(try await p.store.saveCheck(Self.checkDraft("连接中断 \(n)"))) } catch { failed += 1 }
                }
            } catch {
                try await other.close()
                throw error
            }
            try await other.close()
            let last = try await p.store.saveCheck(Self.checkDraft("连接恢复"))
            #expect(failed < 40)
            #expect(try await p.store.check(id: last)?.summary.purpose == "连接恢复")
            for id in kept { #expect(try await p.store.check(id: id) != nil) }
        }
    }

    /// A check logged while another connection (another process: an import) holds the database's
    /// write lock waits for it without failing, and both are kept. On SQLite the check's commit
    /// comes after the other's; PostgreSQL does not make it wait (no table lock is involved).
    @Test func checkLogWaitsForAnotherWriter() async throws {
        try await TestBackend.withPlatform { p in
            let other = try await StoreDatabase.open(p.config.database, poolSize: 1, logger: TestBackend.logger)
            let holding = AsyncStream<Void>.makeStream()
            let otherWrite = Task {
                try await other.transaction { db in
                    try await db.raw("INSERT INTO platform_settings (key, value) VALUES ('held', 'yes')").run()
                    holding.continuation.yield()
                    try await Task.sleep(for: .milliseconds(400))
                }
                return ContinuousClock.now
            }
            for await _ in holding.stream { break }
            let id = try await p.store.saveCheck(Self.checkDraft("等待写锁"))
            let checkDone = ContinuousClock.now
            let otherDone = try await otherWrite.value
            try await other.close()
            if TestBackend.dialect == .sqlite { #expect(checkDone >= otherDone) }
            #expect(try await p.store.check(id: id)?.summary.purpose == "等待写锁")
            #expect(try await p.store.setting("held") == "yes")
        }
    }
}

/// Valid credit codes for tests, distinct by serial.
enum DemoCodes {
    static func uscc(_ serial: Int, prefix: String = "91") -> String {
        let body = String(format: "%08d", 10_000_000 + serial * 7919)
        var org = body
        var check = IdentifierValidator.orgCodeCheckCharacter(org)!
        var n = serial
        while !IdentifierValidator.usccAlphabet.contains(check) { n += 1; org = String(format: "%08d", 20_000_000 + n); check = IdentifierValidator.orgCodeCheckCharacter(org)! }
        let first17 = prefix + "350203" + org + String(check)
        return first17 + String(IdentifierValidator.usccCheckCharacter(first17)!)
    }

}
