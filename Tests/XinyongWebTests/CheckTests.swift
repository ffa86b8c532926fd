import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XinyongApp
import XinyongCore
import XinyongStore
import XinyongTestSupport
import XinyongWeb

/// The check service (信用核查) through HTTP: the API, the check log, feedback and statistics.
@Suite("Checks")
struct CheckTests {
    /// Three demo organisations: A on the serious-dishonesty list, B in the business-anomaly list,
    /// C an A-level taxpayer; and their codes.
    struct Cast { var a: SubjectDraft; var b: SubjectDraft; var c: SubjectDraft; var clean: SubjectDraft }

    static func cast() -> Cast {
        let orgs = (0..<200).map { DemoData(seed: 3).subject($0) }.filter { $0.kind == .enterprise }
        return Cast(a: orgs[0], b: orgs[1], c: orgs[2], clean: orgs[3])
    }

    /// Puts rows of one item for one department through the intake path, as a submission would.
    @discardableResult
    static func submit(_ store: any PlatformStore, item code: String, department: String, _ rows: [[String: String]]) async throws -> SubmissionResult {
        let catalog = try await store.catalog()
        let item = try #require(catalog.item(code))
        let validator = CatalogValidator(catalog: catalog)
        let intake = rows.enumerated().map { IntakeRow(number: $0.offset + 2, raw: $0.element, result: validator.validate($0.element, item: item, today: CivilDate.today())) }
        let result = try await store.applySubmission(SubmissionDraft(item: item, department: department, channel: .api, actor: "test", rows: intake, catalog: catalog))
        #expect(result.rejectedRows == 0, "\(result.rejected)")
        return result
    }

    static let authority = ["厦门市市场监督管理局", Fixtures.validUSCCs[1]]

    static func blackListRow(_ s: SubjectDraft, removedBy: String? = nil) -> [String: String] {
        let today = CivilDate.today()
        return ["YZ_XDR_MC": s.name, "YZ_XDR_LB": "法人及非法人组织", "YZ_XDR_SHXYM": s.code, "YZ_FRDB": s.legalRepresentative ?? "王伟",
                "YZ_RDWH": "厦严失认〔2026〕7号", "YZ_LRYY": "生产销售不合格产品，受到较重行政处罚且拒不履行", "YZ_RDYJ": "《市场监督管理严重违法失信名单管理办法》第二条",
                "YZ_RDRQ": today.adding(days: -30).description, "YZ_YXQZ": today.adding(months: 36).description,
                "YZ_JG": authority[0], "YZ_JGDM": authority[1], "YZ_SJLY": authority[0], "YZ_SJLYDM": authority[1]]
    }

    static func seed(_ store: any PlatformStore, _ cast: Cast) async throws {
        let today = CivilDate.today()
        try await submit(store, item: "yzsx", department: "SCJGJ", [blackListRow(cast.a)])
        try await submit(store, item: "jyyc", department: "SCJGJ", [[
            "YC_XDR_MC": cast.b.name, "YC_XDR_LB": "法人及非法人组织", "YC_XDR_SHXYM": cast.b.code, "YC_FRDB": cast.b.legalRepresentative ?? "王伟",
            "YC_LRYY": "未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告", "YC_LRRQ": today.adding(days: -60).description,
            "YC_JG": authority[0], "YC_JGDM": authority[1], "YC_SJLY": authority[0], "YC_SJLYDM": authority[1]]])
        try await submit(store, item: "xypj", department: "SWJ", [[
            "PJ_XDR_MC": cast.c.name, "PJ_XDR_LB": "法人及非法人组织", "PJ_XDR_SHXYM": cast.c.code, "PJ_FRDB": cast.c.legalRepresentative ?? "王伟",
            "PJ_PJLB": "纳税信用等级", "PJ_PJJG": "A", "PJ_PJND": String(today.year - 1), "PJ_PJRQ": today.adding(days: -90).description,
            "PJ_YXQZ": today.adding(months: 6).description,
            "PJ_JG": "国家税务总局厦门市税务局", "PJ_JGDM": Fixtures.validUSCCs[0], "PJ_SJLY": "国家税务总局厦门市税务局", "PJ_SJLYDM": Fixtures.validUSCCs[0]]])
    }

    static func post(_ client: any TestClientProtocol, _ uri: String, key: String, _ json: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json", .authorization: "Bearer \(key)"],
                                 body: ByteBuffer(string: json))
    }

    static func body(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func aProcurementClerkChecksEveryBidderInOneCall() async throws {
        try await HTTPTests().withApp { w, client in
            let cast = Self.cast()
            try await Self.seed(w.platform.store, cast)
            let procurement = try await w.platform.createAPIKey(name: "财政局采购系统", role: .apiClient, department: "SWJ")
            let request = try Self.body(["matter": "zfcg", "purpose": "某学校食堂设备采购项目资格审查",
                                         "subjects": [cast.a.code, cast.b.name, cast.c.code, cast.clean.code, "厦门不存在的公司"]])
            #expect(try await client.execute(uri: "/api/v1/checks", method: .post, headers: [.contentType: "application/json"],
                                             body: ByteBuffer(string: request)).status == .unauthorized)
            let r = try await Self.post(client, "/api/v1/checks", key: procurement.token, request)
            #expect(r.status == .created)
            let check = try HTTPTests.json(r)
            let id = try #require(check["id"] as? Int)
            #expect(r.headers[.location] == "/api/v1/checks/\(id)")
            // The server's time, and of it the reads' and the log's, for the caller and the operator.
            let timing = try #require(r.headers[.init("Server-Timing")!])
            let metrics = Dictionary(uniqueKeysWithValues: timing.split(separator: ",").map { m in
                let parts = m.trimmingCharacters(in: .whitespaces).split(separator: ";")
                return (String(parts[0]), Double(parts[1].dropFirst("dur=".count)) ?? -1)
            })
            #expect(Set(metrics.keys) == ["check", "read", "log"] && metrics.values.allSatisfy { $0 >= 0 })
            #expect(metrics["read"]! + metrics["log"]! <= metrics["check"]! + 0.02)   // each rounded to 0.01 ms
            #expect((check["matter"] as? [String: Any])?["name"] as? String == "政府采购")
            #expect((check["summary"] as? [String: Any])?["subjects"] as? Int == 5)
            #expect((check["summary"] as? [String: Any])?["found"] as? Int == 4)
            let results = try #require(check["results"] as? [[String: Any]])
            #expect(results.count == 5)
            // A: on the serious-dishonesty list → barred from procurement, with the law and the action.
            let a = results[0]
            #expect(a["found"] as? Bool == true)
            #expect((a["lists"] as? [[String: Any]])?.first?["scope"] as? String == "yzsx")
            let measures = try #require(a["measures"] as? [[String: Any]])
            #expect(measures.map { $0["code"] as? String } == ["CJ01"])
            #expect((measures[0]["basis"] as? String)?.contains("《中华人民共和国政府采购法》第二十二条") == true)
            #expect((measures[0]["action"] as? String)?.contains("资格审查不予通过") == true)
            #expect((a["records"] as? [[String: Any]])?.first?["document"] as? String == "厦严失认〔2026〕7号")
            #expect((a["records"] as? [[String: Any]])?.first?["department"] as? String == "市场监督管理局")
            // B (named by name): in the anomaly list, which procurement does not punish: listed, no measure.
            #expect((results[1]["lists"] as? [[String: Any]])?.first?["scope"] as? String == "jyyc")
            #expect((results[1]["measures"] as? [Any])?.isEmpty == true)
            // C: an A-level taxpayer, but procurement has no incentive measure.
            #expect((results[2]["lists"] as? [[String: Any]])?.first?["scope"] as? String == "nsxy_a")
            // Clean: an explicit "nothing as of" answer; unknown: not found, said so.
            #expect((results[3]["conclusion"] as? String)?.hasPrefix("截至 ") == true)
            #expect((results[3]["conclusion"] as? String)?.contains("未发现") == true)
            #expect(results[4]["found"] as? Bool == false)
            #expect((results[4]["conclusion"] as? String)?.contains("未找到该主体") == true)

            // The same subjects in another matter: B and C now trigger measures.
            let licensing = try HTTPTests.json(try await Self.post(client, "/api/v1/checks", key: procurement.token,
                try Self.body(["matter": "xzxk", "purpose": "食品经营许可审批", "subjects": [cast.b.code, cast.c.code]])))
            let lr = try #require(licensing["results"] as? [[String: Any]])
            #expect((lr[0]["measures"] as? [[String: Any]])?.map { $0["code"] as? String } == ["CJ12"])
            #expect((lr[1]["measures"] as? [[String: Any]])?.map { $0["code"] as? String } == ["JL01"])
            #expect((lr[1]["measures"] as? [[String: Any]])?.first?["direction"] as? String == "incentive")

            // Feedback: what the department did about the measure returned.
            let fb = try await Self.post(client, "/api/v1/checks/\(id)/feedback", key: procurement.token,
                                         #"{"items":[{"position":1,"measure":"CJ01","applied":true,"note":"资格审查不予通过"}]}"#)
            #expect(fb.status == .ok)
            #expect((try HTTPTests.json(fb)["feedback"] as? [[String: Any]])?.first?["applied"] as? Bool == true)
            let wrong = try await Self.post(client, "/api/v1/checks/\(id)/feedback", key: procurement.token,
                                            #"{"items":[{"position":2,"measure":"CJ01","applied":true,"note":"x"}]}"#)
            #expect(wrong.status == .unprocessableContent)
            #expect((try HTTPTests.json(wrong)["detail"] as? String)?.contains("未对第 2 个核查对象返回措施") == true)
            // A later answer replaces the earlier one (both kept).
            _ = try await Self.post(client, "/api/v1/checks/\(id)/feedback", key: procurement.token,
                                    #"{"items":[{"position":1,"measure":"CJ01","applied":false,"note":"采购人已另行终止采购"}]}"#)
            let again = try HTTPTests.json(try await client.execute(uri: "/api/v1/checks/\(id)", method: .get,
                                                                    headers: [.authorization: "Bearer \(procurement.token)"]))
            #expect((again["feedback"] as? [[String: Any]])?.map { $0["applied"] as? Bool } == [false])

            // Access: another department neither reads it nor gives feedback; the credit office reads it.
            let other = try await w.platform.createAPIKey(name: "住建局系统", role: .apiClient, department: "ZJJ")
            #expect(try await client.execute(uri: "/api/v1/checks/\(id)", method: .get, headers: [.authorization: "Bearer \(other.token)"]).status == .notFound)
            #expect(try await Self.post(client, "/api/v1/checks/\(id)/feedback", key: other.token,
                                        #"{"items":[{"position":1,"measure":"CJ01","applied":true,"note":"x"}]}"#).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/checks/\(id)", method: .get, headers: [.authorization: "Bearer \(w.adminKey)"]).status == .ok)
            let mine = try HTTPTests.json(try await client.execute(uri: "/api/v1/checks", method: .get, headers: [.authorization: "Bearer \(other.token)"]))
            #expect((mine["items"] as? [Any])?.isEmpty == true)
            let theirs = try HTTPTests.json(try await client.execute(uri: "/api/v1/checks", method: .get, headers: [.authorization: "Bearer \(procurement.token)"]))
            #expect((theirs["items"] as? [[String: Any]])?.map { $0["purpose"] as? String } == ["食品经营许可审批", "某学校食堂设备采购项目资格审查"])
            // A key without a department cannot check.
            #expect(try await Self.post(client, "/api/v1/checks", key: w.clientKey, request).status == .forbidden)

            // Statistics for the credit office: per department and measure.
            #expect(try await client.execute(uri: "/api/v1/checks/statistics", method: .get,
                                             headers: [.authorization: "Bearer \(procurement.token)"]).status == .forbidden)
            let stats = try HTTPTests.json(try await client.execute(uri: "/api/v1/checks/statistics", method: .get,
                                                                    headers: [.authorization: "Bearer \(w.adminKey)"]))
            let rows = try #require(stats["rows"] as? [[String: Any]])
            let total = rows.first { $0["department"] as? String == "SWJ" && $0["measure"] == nil }
            #expect(total?["checks"] as? Int == 2 && total?["subjects"] as? Int == 7)
            let cj01 = rows.first { $0["department"] as? String == "SWJ" && $0["measure"] as? String == "CJ01" }
            #expect(cj01?["hits"] as? Int == 1 && cj01?["applied"] as? Int == 0 && cj01?["not_applied"] as? Int == 1)
            let jl01 = rows.first { $0["measure"] as? String == "JL01" }
            #expect(jl01?["hits"] as? Int == 1 && jl01?["applied"] as? Int == 0)

            // Removal ends the measures at once: the list entry revoked, the next check finds nothing.
            let catalog = try await w.platform.store.catalog()
            _ = try await w.platform.store.revokeRecord(item: catalog.item("yzsx")!, keyValues: ["YZ_RDWH": "厦严失认〔2026〕7号", "YZ_JGDM": Self.authority[1]],
                                                        reason: "认定依据被撤销", actor: "test")
            let after = try HTTPTests.json(try await Self.post(client, "/api/v1/checks", key: procurement.token,
                try Self.body(["matter": "zfcg", "purpose": "复核", "subjects": [cast.a.code]])))
            let ar = try #require((after["results"] as? [[String: Any]])?.first)
            #expect((ar["measures"] as? [Any])?.isEmpty == true && (ar["lists"] as? [Any])?.isEmpty == true)
        }
    }

    /// The store finds the subjects asked for every way (code, organisation code, name) in one read,
    /// with each identified subject's in-force records exactly once, and none of a name's when
    /// several subjects share it (PostgreSQL reads all of it in one joined statement).
    @Test func checkFactsFindEveryWayAndReadEachRecordOnce() async throws {
        try await TestBackend.withPlatform { p in
            try await DemoData(seed: 3).load(into: p.store, subjects: 200, logger: TestBackend.logger)
            let cast = Self.cast()
            try await Self.seed(p.store, cast)
            let today = CivilDate.today()
            let a = try #require(try await p.store.subject(code: cast.a.code))
            let b = try #require(try await p.store.subject(code: cast.b.code))
            let c = try #require(try await p.store.subject(code: cast.c.code))
            // Another organisation registered under B's name: B's name alone no longer identifies it.
            let twin = try await p.store.createSubject(try SubjectRules.validate(
                SubjectDraft(code: Fixtures.validUSCCs[0], name: cast.b.name, legalRepresentative: "李娜"), validator: IdentifierValidator(),
                today: today), actor: "test")
            let orgC = String(cast.c.code.dropFirst(8).prefix(9))
            let facts = try await p.store.checkFacts(codes: [cast.a.code, orgC, "91350200000000000X"], names: [cast.a.name, cast.b.name, "不存在的公司"],
                                                     items: ["jyyc", "xypj", "yzsx"], on: today)
            #expect(facts.byCode[cast.a.code]?.id == a.id && facts.byCode[orgC]?.id == c.id && facts.byCode.count == 2)
            #expect(facts.byName[cast.a.name]?.map(\.id) == [a.id])
            #expect(Set(facts.byName[cast.b.name]?.map(\.id) ?? []) == [b.id, twin.id] && facts.byName.count == 2)
            #expect(facts.identified == [a.id, c.id].sorted())
            // A found by code and by name: its one record once; C by its organisation code; none of B's.
            #expect(facts.records[a.id]?.map(\.itemCode) == ["yzsx"])
            #expect(facts.records[c.id]?.map(\.itemCode) == ["xypj"])
            #expect(facts.records[b.id] == nil && facts.records.count == 2)
            #expect(facts.records[a.id]?.first?.fields["YZ_RDWH"] == "厦严失认〔2026〕7号")
            // A batch's worth of codes (on PostgreSQL planned without parallel workers) finds the same.
            let many = try await p.store.checkFacts(codes: [cast.a.code] + (0..<150).map { DemoData(seed: 9).subject(1_000 + $0).code }, names: [cast.b.name],
                                                    items: ["jyyc", "xypj", "yzsx"], on: today)
            #expect(many.identified == [a.id] && many.records[a.id]?.map(\.itemCode) == ["yzsx"] && many.byName[cast.b.name]?.count == 2)
            // Only the items asked for, and none at all when none are.
            #expect(try await p.store.checkFacts(codes: [cast.a.code], names: [], items: ["xypj"], on: today).records.isEmpty)
            let bare = try await p.store.checkFacts(codes: [cast.a.code], names: [], items: [], on: today)
            #expect(bare.records.isEmpty && bare.byCode[cast.a.code]?.id == a.id)
        }
    }

    @Test func malformedChecksAreAnsweredWithProblems() async throws {
        try await HTTPTests().withApp { w, client in
            let key = try await w.platform.createAPIKey(name: "采购系统", role: .apiClient, department: "SWJ").token
            let cast = Self.cast()
            func problem(_ json: String) async throws -> (HTTPResponse.Status, String) {
                let r = try await Self.post(client, "/api/v1/checks", key: key, json)
                return (r.status, try HTTPTests.json(r)["detail"] as? String ?? "")
            }
            let unknown = try await problem(try Self.body(["matter": "nope", "purpose": "x", "subjects": [cast.a.code]]))
            #expect(unknown.0 == .unprocessableContent && unknown.1.contains("办理事项“nope”不存在"))
            let many = try await problem(try Self.body(["matter": "zfcg", "purpose": "x", "subjects": (0..<1001).map { "主体\($0)" }]))
            #expect(many.0 == .unprocessableContent && many.1.contains("一次最多核查 1000 个主体"))
            let dup = try await problem(try Self.body(["matter": "zfcg", "purpose": "x", "subjects": [cast.a.code, cast.a.code.lowercased()]]))
            #expect(dup.0 == .unprocessableContent && dup.1.contains("第 2 项与第 1 项重复"))
            let bad = try await problem(try Self.body(["matter": "zfcg", "purpose": "x", "subjects": ["91350200776049653B"]]))
            #expect(bad.0 == .unprocessableContent && bad.1.contains("代码有误且未在本平台登记"))
            let garbage = try await problem("[1,2]")
            #expect(garbage.0 == .unprocessableContent)
            // Exactly 1,000 is allowed (names not registered: each answered "not found").
            let full = try await Self.post(client, "/api/v1/checks", key: key, try Self.body(["matter": "zfcg", "purpose": "批量", "subjects": (0..<1000).map { "测试主体\($0)" }]))
            #expect(full.status == .created)
            #expect((try HTTPTests.json(full)["results"] as? [Any])?.count == 1000)
            // A person checked by identity number (公职录用): found, the number masked in the answer,
            // the response and the log; the clear number appears nowhere.
            let person = try await Self.post(client, "/api/v1/checks", key: key, try Self.body(["matter": "gzly", "purpose": "公务员录用考察", "subjects": [Fixtures.residentID]]))
            #expect(person.status == .created)
            let personText = String(buffer: person.body)
            #expect(!personText.contains(Fixtures.residentID) && personText.contains(IdentifierValidator.maskResidentID(Fixtures.residentID)))
            let answer = try #require((try HTTPTests.json(person)["results"] as? [[String: Any]])?.first)
            #expect(answer["found"] as? Bool == true && (answer["subject"] as? [String: Any])?["kind"] as? String == "自然人")
            let logged = try #require(try await w.platform.store.checks(department: "SWJ", before: nil, limit: 1).first)
            let kept = try #require(try await w.platform.store.check(id: logged.id))
            #expect(kept.answers.first?.query == IdentifierValidator.maskResidentID(Fixtures.residentID))
            // Nothing malformed was logged as a check.
            #expect(try await w.platform.store.checks(department: "SWJ", before: nil, limit: 10).count == 2)
        }
    }

    @Test func localMeasuresNeedABasisAndApplyAtOnce() async throws {
        try await HTTPTests().withApp { w, client in
            let cast = Self.cast()
            try await Self.seed(w.platform.store, cast)
            // The four lists are public: on the site and in the API.
            let page = String(buffer: try await client.execute(uri: "/lists/measures", method: .get).body)
            #expect(page.contains("四、失信惩戒措施") && page.contains("限制参加政府采购活动") && page.contains("《中华人民共和国政府采购法》第二十二条"))
            #expect(page.contains("一、诚信典型") && !page.contains("新增或修改本地措施"))
            let all = try HTTPTests.json(try await client.execute(uri: "/api/v1/measures", method: .get))
            #expect((all["measures"] as? [Any])?.count == MeasureCatalog.shipped.measures.count)
            let measure: [String: Any] = ["code": "L01", "name": "限制申请本市人才补贴", "direction": "punishment", "kind": "management",
                                          "basis": [] as [Any], "departments": ["人社局"], "matters": ["czzj"], "lists": ["jyyc"], "records": [] as [Any],
                                          "action": "不予受理补贴申请", "valid_from": "2026-01-01"]
            func put(_ m: [String: Any], key: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/measures/L01", method: .put, headers: [.contentType: "application/json", .authorization: "Bearer \(key)"],
                                         body: ByteBuffer(string: try Self.body(m)))
            }
            let noBasis = try await put(measure, key: w.adminKey)
            #expect(noBasis.status == .unprocessableContent)
            #expect((try HTTPTests.json(noBasis)["detail"] as? String)?.contains("没有依据的措施不能保存") == true)
            var withBasis = measure
            withBasis["basis"] = [["document": "《某市高层次人才补贴办法》", "article": "第十二条"]]
            let dept = try await w.platform.createAPIKey(name: "人社局系统", role: .apiClient, department: "RSJ")
            #expect(try await put(withBasis, key: dept.token).status == .forbidden)
            #expect(try await put(withBasis, key: w.adminKey).status == .ok)
            let check = try HTTPTests.json(try await Self.post(client, "/api/v1/checks", key: dept.token,
                try Self.body(["matter": "czzj", "purpose": "人才补贴审核", "subjects": [cast.b.code]])))
            let m = (check["results"] as? [[String: Any]])?.first?["measures"] as? [[String: Any]]
            #expect(m?.map { $0["code"] as? String } == ["L01"])
            #expect((m?.first?["basis"] as? String) == "《某市高层次人才补贴办法》第十二条")
        }
    }

    /// The console: the clerk checks a pasted list and an uploaded file, records feedback, downloads
    /// the report; another department cannot open it; the office drafts a typical case, never for a person.
    @Test func consoleChecksFeedbackAndCases() async throws {
        try await HTTPTests().withApp { w, client in
            let cast = Self.cast()
            try await Self.seed(w.platform.store, cast)
            let (office, clerk) = try await HTTPTests.officeAndClerk(w, client)
            func submit(_ session: (cookie: String, csrf: String), _ fields: [(String, String)], file: (name: String, data: Data)) async throws -> TestResponse {
                try await client.execute(uri: "/console/checks", method: .post,
                                         headers: [.contentType: "multipart/form-data; boundary=----xinyong-test-7d3f", .cookie: session.cookie],
                                         body: HTTPTests.multipart([("_csrf", session.csrf)] + fields, file: file))
            }
            // Pasted, one per line, with a header line; the unknown matter is refused on the form.
            let refused = try await submit(clerk, [("matter", "nope"), ("purpose", "招标"), ("subjects", cast.a.code)], file: ("", Data()))
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("办理事项“nope”不存在"))
            let pasted = try await submit(clerk, [("matter", "zfcg"), ("purpose", "某项目招标资格审查"),
                                                  ("subjects", "统一社会信用代码\n\(cast.a.code)\n\(cast.clean.code)")], file: ("", Data()))
            #expect(pasted.status == .seeOther || pasted.status == .found)
            let location = try #require(pasted.headers[.location])
            let page = String(buffer: try await client.execute(uri: location, method: .get, headers: [.cookie: clerk.cookie]).body)
            #expect(page.contains("限制参加政府采购活动") && page.contains("《中华人民共和国政府采购法》第二十二条"))
            #expect(page.contains("共 2 个主体"))
            #expect(page.contains("name=\"a_1_CJ01\""))
            // Feedback through the form.
            let id = location.split(separator: "/").last.map(String.init)!
            let fb = try await HTTPTests.postForm(client, "/console/checks/\(id)/feedback", session: clerk, [("a_1_CJ01", "applied"), ("n_1_CJ01", "资格审查不予通过")])
            #expect(fb.status == .seeOther || fb.status == .found)
            let after = String(buffer: try await client.execute(uri: "/console/checks/\(id)", method: .get, headers: [.cookie: clerk.cookie]).body)
            #expect(after.contains("已实施：资格审查不予通过"))
            let emptyNote = try await HTTPTests.postForm(client, "/console/checks/\(id)/feedback", session: clerk, [("a_1_CJ01", "not_applied")])
            #expect(emptyNote.status == .unprocessableContent)
            // The report as CSV.
            let csv = String(buffer: try await client.execute(uri: "/console/checks/\(id)/report.csv", method: .get, headers: [.cookie: clerk.cookie]).body)
            #expect(csv.contains("CJ01") && csv.contains("已实施：资格审查不予通过") && csv.contains(cast.clean.code))
            // An uploaded CSV list (first column, header row).
            let file = Data("名称,备注\r\n\(cast.b.name),投标人\r\n\(cast.c.code),投标人\r\n".utf8)
            let uploaded = try await submit(clerk, [("matter", "xzxk"), ("purpose", "许可审批")], file: ("bidders.csv", file))
            let upLocation = try #require(uploaded.headers[.location])
            let upPage = String(buffer: try await client.execute(uri: upLocation, method: .get, headers: [.cookie: clerk.cookie]).body)
            #expect(upPage.contains("列为行政许可重点审查对象") && upPage.contains("行政许可优先办理"))
            // Another department's reviewer cannot open it.
            _ = try await w.platform.createAccount(username: "tax", displayName: "王税", role: .departmentReviewer, department: "SWJ",
                                                   subjectCode: nil, password: "tax-password-123")
            let tax = try await HTTPTests.signIn(client, username: "tax", password: "tax-password-123")
            #expect(try await client.execute(uri: location, method: .get, headers: [.cookie: tax.cookie]).status == .notFound)
            #expect(try await HTTPTests.postForm(client, "/console/checks/\(id)/feedback", session: tax, [("a_1_CJ01", "applied"), ("n_1_CJ01", "x")]).status == .notFound)
            // The clerk cannot draft cases; the office drafts one into the articles (a draft, not published).
            #expect(try await HTTPTests.postForm(client, "/console/checks/\(id)/case", session: clerk, [("position", "1")]).status == .forbidden)
            let drafted = try await HTTPTests.postForm(client, "/console/checks/\(id)/case", session: office, [("position", "1")])
            let articleURL = try #require(drafted.headers[.location])
            #expect(articleURL.hasPrefix("/console/articles/"))
            let articles = try await w.platform.store.articles(column: .cases, publicOn: nil, limit: 10, offset: 0)
            #expect(articles.count == 1 && articles[0].status == .draft && articles[0].body.contains("资格审查不予通过"))
            #expect(articles[0].title.contains(cast.a.name))
            // Nothing to draft for a subject without hits.
            #expect(try await HTTPTests.postForm(client, "/console/checks/\(id)/case", session: office, [("position", "2")]).status == .unprocessableContent)
            // The office's figures show the department's check and feedback.
            let stats = String(buffer: try await client.execute(uri: "/console/checks/statistics", method: .get, headers: [.cookie: office.cookie]).body)
            #expect(stats.contains("市场监督管理局") && stats.contains("限制参加政府采购活动"))
            // A local measure through the console form: refused without a basis, saved with one.
            let noBasis = try await HTTPTests.postForm(client, "/console/measures", session: office,
                [("code", "L02"), ("name", "限制申请本市补贴"), ("direction", "punishment"), ("kind", "management"), ("document", ""),
                 ("action", "不予受理"), ("matters", "czzj"), ("lists", "jyyc"), ("valid_from", "2026-01-01")])
            #expect(noBasis.status == .unprocessableContent)
            let saved = try await HTTPTests.postForm(client, "/console/measures", session: office,
                [("code", "L02"), ("name", "限制申请本市补贴"), ("direction", "punishment"), ("kind", "management"), ("document", "《某市补贴办法》"),
                 ("article", "第九条"), ("action", "不予受理"), ("matters", "czzj"), ("matters", "zfcg"), ("lists", "jyyc"), ("valid_from", "2026-01-01")])
            #expect(saved.status == .seeOther || saved.status == .found)
            let local = try await w.platform.store.measureCatalog().measure("L02")
            #expect(String(buffer: try await client.execute(uri: "/lists/measures", method: .get).body).contains("限制申请本市补贴"))
            #expect(local?.matters == ["czzj", "zfcg"] && local?.basisText == "《某市补贴办法》第九条" && local?.local == true)
            // Record triggers through the form: penalties by severity.
            let byPenalty = try await HTTPTests.postForm(client, "/console/measures", session: office,
                [("code", "L03"), ("name", "限制申请本市技改补贴"), ("direction", "punishment"), ("kind", "management"), ("document", "《某市技改补贴办法》"),
                 ("action", "不予受理"), ("matters", "czzj"), ("records", "xzcf:serious"), ("records", "xzcf:general"), ("valid_from", "2026-01-01")])
            #expect(byPenalty.status == .seeOther || byPenalty.status == .found)
            #expect(try await w.platform.store.measureCatalog().measure("L03")?.records == [RecordCondition(item: "xzcf", severities: ["serious", "general"])])
            #expect(try await HTTPTests.postForm(client, "/console/measures", session: clerk, [("code", "L04")]).status == .forbidden)
        }
    }

    /// A serious-dishonesty determination in the console, step by step; the published entry
    /// triggers measures in checks, and removal ends them; the warnings name what is due.
    @Test func listDeterminationFromCaseToRemoval() async throws {
        try await HTTPTests().withApp { w, client in
            let cast = Self.cast()
            let (office, clerk) = try await HTTPTests.officeAndClerk(w, client)
            let today = CivilDate.today()
            // Warnings: a list entry ending in ten days, an anomaly entry close to three years.
            var ending = Self.blackListRow(cast.b)
            ending["YZ_RDWH"] = "厦严失认〔2024〕5号"; ending["YZ_YXQZ"] = today.adding(days: 10).description
            try await Self.submit(w.platform.store, item: "yzsx", department: "SCJGJ", [ending])
            try await Self.submit(w.platform.store, item: "jyyc", department: "SCJGJ", [[
                "YC_XDR_MC": cast.c.name, "YC_XDR_LB": "法人及非法人组织", "YC_XDR_SHXYM": cast.c.code, "YC_FRDB": cast.c.legalRepresentative ?? "王伟",
                "YC_LRYY": "通过登记的住所或者经营场所无法联系", "YC_LRRQ": today.adding(months: -36).adding(days: 10).description,
                "YC_JG": Self.authority[0], "YC_JGDM": Self.authority[1], "YC_SJLY": Self.authority[0], "YC_SJLYDM": Self.authority[1]]])
            let index = String(buffer: try await client.execute(uri: "/console/lists", method: .get, headers: [.cookie: office.cookie]).body)
            #expect(index.contains("厦严失认〔2024〕5号 将于 \(today.adding(days: 10)) 期满"))
            #expect(index.contains("满三年") && index.contains(cast.c.name))
            // The console's landing page points the office to them; the clerk has none of its own.
            let landing = String(buffer: try await client.execute(uri: "/console/submissions", method: .get, headers: [.cookie: office.cookie]).body)
            #expect(landing.contains("名单认定有 2 项期限需要处理"))
            let clerkLanding = String(buffer: try await client.execute(uri: "/console/submissions", method: .get, headers: [.cookie: clerk.cookie]).body)
            #expect(!clerkLanding.contains("项期限需要处理"))

            // Open → notify → (too early to decide) → statement → decide → publish.
            let opened = try await HTTPTests.postForm(client, "/console/lists", session: office, [
                ("department", "SCJGJ"), ("subject", cast.a.code), ("authority", Self.authority[0]), ("authority_code", Self.authority[1]),
                ("reasons", "生产销售不合格产品，受到较重行政处罚且拒不履行"), ("basis", "《市场监督管理严重违法失信名单管理办法》第二条")])
            let casePath = try #require(opened.headers[.location])
            func act(_ action: String, _ fields: [(String, String)], as session: (cookie: String, csrf: String)) async throws -> TestResponse {
                try await HTTPTests.postForm(client, "\(casePath)/\(action)", session: session, fields)
            }
            let decision = ("document", "理由……依据：《市场监督管理严重违法失信名单管理办法》第二条。移出条件：期满自动移出。不服的可申请行政复议或提起行政诉讼。")
            #expect(try await act("publish", [], as: clerk).status == .conflict)
            #expect(try await act("notify", [("notice", "拟列入严重失信主体名单，你单位可在 5 个工作日内陈述申辩")], as: clerk).status == .seeOther)
            let early = try await act("decide", [("number", "厦严失认〔2026〕88号"), decision, ("valid_until", today.adding(months: 12).description)], as: clerk)
            #expect(early.status == .conflict && String(buffer: early.body).contains("陈述申辩期至"))
            #expect(try await act("hear", [("statement", "企业书面陈述已整改；经核查，拒不履行的事实成立")], as: clerk).status == .seeOther)
            let noRemedy = try await act("decide", [("number", "厦严失认〔2026〕88号"), ("document", "列入名单。"), ("valid_until", today.adding(months: 12).description)], as: clerk)
            #expect(noRemedy.status == .unprocessableContent)
            #expect(try await act("decide", [("number", "厦严失认〔2026〕88号"), decision, ("valid_until", today.adding(months: 12).description)], as: clerk).status == .seeOther)
            // Not yet published: checks find nothing.
            let key = try await w.platform.createAPIKey(name: "采购系统", role: .apiClient, department: "SWJ").token
            func measures() async throws -> [String] {
                let r = try HTTPTests.json(try await Self.post(client, "/api/v1/checks", key: key, try Self.body(["matter": "zfcg", "purpose": "资格审查", "subjects": [cast.a.code]])))
                return ((r["results"] as? [[String: Any]])?.first?["measures"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
            }
            #expect(try await measures().isEmpty)
            #expect(try await act("publish", [], as: clerk).status == .seeOther)
            #expect(try await measures() == ["CJ01"])
            let page = String(buffer: try await client.execute(uri: casePath, method: .get, headers: [.cookie: clerk.cookie]).body)
            for step in ["已立案", "已告知", "已陈述申辩", "已作出认定决定", "已列入名单并公示"] { #expect(page.contains(step), "\(step)") }
            // The entry is on the public black list page.
            #expect(String(buffer: try await client.execute(uri: "/lists/black", method: .get).body).contains(cast.a.name))
            // Another department cannot see the case.
            _ = try await w.platform.createAccount(username: "tax", displayName: "王税", role: .departmentReviewer, department: "SWJ",
                                                   subjectCode: nil, password: "tax-password-123")
            let tax = try await HTTPTests.signIn(client, username: "tax", password: "tax-password-123")
            #expect(try await client.execute(uri: casePath, method: .get, headers: [.cookie: tax.cookie]).status == .notFound)
            // Early removal (repair): the measures stop at once.
            #expect(try await act("remove", [("reason", "经信用修复提前移出")], as: office).status == .seeOther)
            #expect(try await measures().isEmpty)
            let c = try #require(try await w.platform.store.listCase(id: Int64(casePath.split(separator: "/").last!)!))
            #expect(c.status == .removed && c.steps.count == 6)
        }
    }
}
