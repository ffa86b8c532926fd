import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import XinyongApp
import XinyongCore
import XinyongStore
import XinyongTestSupport
import XinyongWeb

/// Objections, credit repair, the subject's own archive and the publicity sweep through HTTP.
@Suite("Rights")
struct RightsHTTPTests {
    static let authority = CheckTests.authority

    static func penaltyRow(_ s: SubjectDraft, number: String, decided: CivilDate, kinds: String = "罚款") -> [String: String] {
        ["CF_XDR_MC": s.name, "CF_XDR_LB": "法人及非法人组织", "CF_XDR_SHXYM": s.code, "CF_FRDB": s.legalRepresentative ?? "王伟",
         "CF_WSH": number, "CF_WFXW": "虚假宣传", "CF_SY": "在网店宣传中使用“国家级”用语", "CF_YJ": "《中华人民共和国广告法》第五十七条",
         "CF_CFLB": kinds, "CF_NR": "罚款人民币贰万元", "CF_NR_FK": "2", "CF_JDRQ": decided.description, "CF_YXQ": decided.adding(months: 12).description,
         "CF_CFJG": authority[0], "CF_CFJGDM": authority[1], "CF_SJLY": authority[0], "CF_SJLYDM": authority[1]]
    }

    static func recordID(_ store: any PlatformStore, subject code: String, item: String) async throws -> Int64 {
        let s = try #require(try await store.subject(code: code))
        return try #require(try await store.records(subjectID: s.id).first { $0.itemCode == item }).id
    }

    static func send(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, key: String? = nil,
                     session: (cookie: String, csrf: String)? = nil, _ object: [String: Any]? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.authorization] = "Bearer \(key)" }
        if let session { headers[.cookie] = session.cookie; headers[.init("X-CSRF-Token")!] = session.csrf }
        return try await client.execute(uri: uri, method: method, headers: headers, body: try object.map { ByteBuffer(string: try CheckTests.body($0)) })
    }

    /// Accounts of cast.b (the subject at hand) and cast.a (another enterprise), signed in.
    static func firms(_ w: HTTPTests.World, _ client: any TestClientProtocol, _ cast: CheckTests.Cast) async throws
        -> (firm: (cookie: String, csrf: String), other: (cookie: String, csrf: String)) {
        _ = try await w.platform.createAccount(username: "firm-b", displayName: "企业经办人", role: .subjectUser, department: nil,
                                               subjectCode: cast.b.code, password: "firm-password-12")
        _ = try await w.platform.createAccount(username: "firm-a", displayName: "另一企业", role: .subjectUser, department: nil,
                                               subjectCode: cast.a.code, password: "firm-password-12")
        return (try await HTTPTests.signIn(client, username: "firm-b", password: "firm-password-12"),
                try await HTTPTests.signIn(client, username: "firm-a", password: "firm-password-12"))
    }

    static func page(_ client: any TestClientProtocol, _ uri: String, cookie: String? = nil) async throws -> (HTTPResponse.Status, String) {
        let r = try await client.execute(uri: uri, method: .get, headers: cookie.map { [.cookie: $0] } ?? [:])
        return (r.status, String(buffer: r.body))
    }

    @Test func aWrongRecordIsDisputedMarkedEverywhereAndCorrectedWithAReply() async throws {
        try await HTTPTests().withApp { w, client in
            let cast = CheckTests.cast()
            try await CheckTests.seed(w.platform.store, cast)
            let id = try await Self.recordID(w.platform.store, subject: cast.a.code, item: "yzsx")
            let scjgj = try await w.platform.createAPIKey(name: "市场监管局系统", role: .apiClient, department: "SCJGJ")
            let swj = try await w.platform.createAPIKey(name: "税务局系统", role: .apiClient, department: "SWJ")

            // Anyone with evidence files an objection on a public record; a missing reason or a bad contact is a 422.
            let bad = try await Self.send(client, .post, "/api/v1/objections", ["record_id": id, "reason": "", "applicant": ["name": "王五", "contact": "123"]])
            #expect(bad.status == .unprocessableContent && bad.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            let pdf = Data("%PDF-1.4 证据".utf8).base64EncodedString()
            let filed = try await Self.send(client, .post, "/api/v1/objections", [
                "record_id": id, "field": "YZ_LRYY", "proposed": "未按期公示年度报告", "reason": "列入原因与认定决定书不一致，附决定书复印件",
                "applicant": ["name": "王五", "contact": "13800138000"],
                "files": [["name": "决定书.pdf", "purpose": "证据材料", "data_base64": pdf]]])
            #expect(filed.status == .created)
            let c = try HTTPTests.json(filed)
            let caseID = try #require(c["id"] as? Int)
            let code = try #require(c["query_code"] as? String)
            #expect(c["status"] as? String == "submitted" && c["department"] as? String == "SCJGJ")
            let deadlines = try #require(c["deadlines"] as? [[String: Any]])
            let markBy = try #require(deadlines.first?["due"] as? String)
            #expect(try WorkingCalendar.shipped.addingWorkdays(1, to: CivilDate.today()).description == markBy || CivilDate.today().year > 2026)
            #expect((c["applicant"] as? [String: Any])?["contact"] as? String == "138****8000")
            #expect(!String(buffer: filed.body).contains("13800138000"))
            // The case is readable with its query code, not without, and not by another department.
            #expect(try await Self.send(client, .get, "/api/v1/objections/\(caseID)").status == .notFound)
            #expect(try await Self.send(client, .get, "/api/v1/objections/\(caseID)?code=\(code)").status == .ok)
            #expect(try await Self.send(client, .get, "/api/v1/objections/\(caseID)", key: swj.token).status == .notFound)
            #expect(try await Self.send(client, .post, "/api/v1/objections/\(caseID)/actions", key: swj.token, ["action": "accept"]).status == .notFound)
            // Nor by another department's staff signed in (every department role, not only its systems).
            for (name, role) in [("tax-submitter", Role.departmentSubmitter), ("tax-reviewer", .departmentReviewer)] {
                _ = try await w.platform.createAccount(username: name, displayName: "税务局\(role.rawValue)", role: role, department: "SWJ",
                                                       subjectCode: nil, password: "tax-password-123")
                let staff = try await HTTPTests.signIn(client, username: name, password: "tax-password-123")
                #expect(try await Self.send(client, .get, "/api/v1/objections/\(caseID)", session: staff).status == .notFound, "\(role)")
                #expect(try await Self.send(client, .post, "/api/v1/objections/\(caseID)/actions", session: staff, ["action": "accept"]).status == .notFound, "\(role)")
            }

            // The department's own system reads the case: logged against the subject, like the console page.
            #expect(try await Self.send(client, .get, "/api/v1/objections/\(caseID)", key: scjgj.token).status == .ok)
            #expect(try await w.platform.store.accessLog(subjectID: try #require(try await w.platform.store.subject(code: cast.a.code)).id)
                        .contains { $0.action == "GET /api/v1/objections/{id}" && $0.detail == "case:\(caseID)" })
            // Listing the department's cases shows who objected: logged per case as well (the other
            // department's list does not contain it, and writes nothing against this subject).
            let subjectA = try #require(try await w.platform.store.subject(code: cast.a.code)).id
            func listLines() async throws -> Int {
                try await w.platform.store.accessLog(subjectID: subjectA).filter { $0.action == "GET /api/v1/objections" && $0.detail.hasPrefix("case:\(caseID)") }.count
            }
            let listed = try HTTPTests.json(try await Self.send(client, .get, "/api/v1/objections", key: scjgj.token))
            #expect((listed["items"] as? [[String: Any]])?.contains { $0["id"] as? Int == caseID } == true)
            #expect(try await listLines() == 1)
            _ = try await Self.send(client, .get, "/api/v1/objections", key: swj.token)
            #expect(try await listLines() == 1)

            // The supplying department accepts: the record is marked wherever it appears.
            let accepted = try await Self.send(client, .post, "/api/v1/objections/\(caseID)/actions", key: scjgj.token, ["action": "accept"])
            #expect(accepted.status == .ok)
            let a = try HTTPTests.json(accepted)
            #expect(a["marked"] as? Bool == true && (a["pending_deadline"] as? [String: Any])?["key"] as? String == "decide")
            #expect(try await Self.page(client, "/records/\(id)").1.contains("异议处理中"))
            #expect(try await Self.page(client, "/subjects/\(cast.a.code)").1.contains("异议处理中"))
            let q = cast.a.name.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            #expect(try await Self.page(client, "/search?q=\(q)").1.contains("异议处理中"))
            #expect(try await Self.page(client, "/lists/black").1.contains("异议处理中"))
            let check = try await CheckTests.post(client, "/api/v1/checks", key: scjgj.token,
                                                  try CheckTests.body(["matter": "zfcg", "purpose": "资格审查", "subjects": [cast.a.code]]))
            let answer = try #require((try HTTPTests.json(check)["results"] as? [[String: Any]])?.first)
            #expect((answer["records"] as? [[String: Any]])?.first { $0["id"] as? Int == Int(id) }?["disputed"] as? Bool == true)
            // A repair outcome is not an objection's; the identifying fields cannot be corrected.
            #expect(try await Self.send(client, .post, "/api/v1/objections/\(caseID)/actions", key: scjgj.token, ["action": "approve", "reply": "x"]).status == .conflict)
            #expect(try await Self.send(client, .post, "/api/v1/objections/\(caseID)/actions", key: scjgj.token,
                                        ["action": "correct", "reply": "更正", "values": ["YZ_RDWH": "改号"]]).status == .unprocessableContent)
            // Corrected: a new version of the record, the mark removed, a written reply.
            let corrected = try await Self.send(client, .post, "/api/v1/objections/\(caseID)/actions", key: scjgj.token,
                                                ["action": "correct", "reply": "经核查，列入原因录入有误，已更正。", "values": ["YZ_LRYY": "未按期公示年度报告，经责令仍未改正"]])
            #expect(corrected.status == .ok)
            let done = try HTTPTests.json(corrected)
            #expect(done["status"] as? String == "corrected" && done["marked"] as? Bool == false && done["reply"] as? String != nil)
            #expect((done["history"] as? [[String: Any]])?.map { $0["status"] as? String ?? "" } == ["submitted", "accepted", "corrected"])
            let record = try #require(try await w.platform.store.creditRecord(id: id))
            #expect(record.version == 2 && record.fields["YZ_LRYY"] == "未按期公示年度报告，经责令仍未改正" && !record.disputed)
            #expect(!(try await Self.page(client, "/records/\(id)").1.contains("tag-disputed")))
            let events = try await w.platform.store.changeLog(after: 0, limit: 1000).filter { $0.recordID == id }.map(\.event)
            #expect(events == ["record.created", "record.disputed", "record.updated", "record.dispute_cleared"])
            // The applicant was told at each step (outbox for the gateway, with the clear address).
            let outbox = try await Self.send(client, .get, "/api/v1/notifications/outbox", key: w.adminKey)
            let messages = try #require(try HTTPTests.json(outbox)["items"] as? [[String: Any]])
            #expect(messages.filter { $0["address"] as? String == "13800138000" }.count == 3)
        }
    }

    @Test func anEnterpriseSeesWhenItMayApplyAppliesAndItsRecordLeavesTheWebsite() async throws {
        try await HTTPTests().withApp { w, client in
            let cast = CheckTests.cast()
            let today = CivilDate.today()
            let decided = today.adding(months: -4)
            try await CheckTests.submit(w.platform.store, item: "xzcf", department: "SCJGJ", [Self.penaltyRow(cast.b, number: "厦市监处罚〔2026〕88号", decided: decided)])
            let id = try await Self.recordID(w.platform.store, subject: cast.b.code, item: "xzcf")
            let scjgj = try await w.platform.createAPIKey(name: "市场监管局系统", role: .apiClient, department: "SCJGJ")
            let (firm, other) = try await RightsHTTPTests.firms(w, client, cast)

            // Eligibility: not before three months from the decision; the page says when.
            let early = try HTTPTests.json(try await Self.send(client, .get, "/api/v1/records/\(id)/repair-eligibility?on=\(decided.adding(days: 10))"))
            #expect(early["eligible"] as? Bool == false && early["earliest_date"] as? String == decided.adding(months: 3).description)
            #expect(early["publicity_ends"] as? String == decided.adding(months: 12).description && (early["rule_set"] as? String)?.isEmpty == false)
            #expect((early["reasons"] as? [String])?.isEmpty == false)
            let now = try HTTPTests.json(try await Self.send(client, .get, "/api/v1/records/\(id)/repair-eligibility"))
            #expect(now["eligible"] as? Bool == true)
            #expect(try await Self.page(client, "/records/\(id)").1.contains("可申请信用修复"))
            let (meStatus, me) = try await Self.page(client, "/me", cookie: firm.cookie)
            #expect(meStatus == .ok && me.contains("厦市监处罚〔2026〕88号") && me.contains("/me/records/\(id)/repair"))
            // Only the subject itself applies, with proof and the signed commitment.
            #expect(try await Self.send(client, .post, "/api/v1/repairs", ["record_id": id, "reason": "已缴纳"]).status == .unauthorized)
            #expect(try await Self.send(client, .post, "/api/v1/repairs", session: other, ["record_id": id, "reason": "已缴纳",
                                                                                          "applicant": ["contact": "13900139000"]]).status == .forbidden)
            let noProof = try await Self.send(client, .post, "/api/v1/repairs", session: firm, ["record_id": id, "reason": "已缴纳罚款",
                                                                                               "commitment_signed": true, "applicant": ["contact": "13900139000"]])
            #expect(noProof.status == .unprocessableContent)
            let proof = [["name": "缴款凭证.pdf", "purpose": "履行证明", "data_base64": Data("%PDF-1.4 receipt".utf8).base64EncodedString()]]
            let unsigned = try await Self.send(client, .post, "/api/v1/repairs", session: firm, ["record_id": id, "reason": "已缴纳罚款", "files": proof,
                                                                                                "applicant": ["contact": "13900139000"]])
            #expect(unsigned.status == .unprocessableContent)
            let applied = try await Self.send(client, .post, "/api/v1/repairs", session: firm, [
                "record_id": id, "reason": "已于决定后十日内缴纳罚款并删除违法宣传用语", "commitment_signed": true, "files": proof,
                "applicant": ["name": "企业经办人", "contact": "13900139000"]])
            #expect(applied.status == .created)
            let r = try HTTPTests.json(applied)
            let caseID = try #require(r["id"] as? Int)
            #expect((r["commitment"] as? String)?.contains(cast.b.name) == true && r["department"] as? String == "SCJGJ")
            // A second application while one is open is refused; another subject cannot see it.
            #expect(try await Self.send(client, .post, "/api/v1/repairs", session: firm, ["record_id": id, "reason": "再次", "commitment_signed": true,
                                                                                         "files": proof, "applicant": ["contact": "13900139000"]]).status == .conflict)
            #expect(try await Self.send(client, .get, "/api/v1/repairs/\(caseID)", session: other).status == .notFound)
            #expect(try await Self.send(client, .get, "/api/v1/repairs/\(caseID)", session: firm).status == .ok)
            // The deciding department accepts and approves (谁认定、谁修复).
            #expect(try await Self.send(client, .post, "/api/v1/repairs/\(caseID)/actions", key: scjgj.token, ["action": "accept"]).status == .ok)
            let approved = try await Self.send(client, .post, "/api/v1/repairs/\(caseID)/actions", key: scjgj.token,
                                               ["action": "approve", "reply": "义务已履行，准予修复"])
            #expect(try approved.status == .ok && HTTPTests.json(approved)["status"] as? String == "approved")
            // The record leaves the website, the checks and the listing at once, and stays in the archive marked as repaired.
            #expect(try await Self.page(client, "/records/\(id)").0 == .notFound)
            let s = try #require(try await w.platform.store.subject(code: cast.b.code))
            #expect(try await w.platform.store.publicRecords(subjectID: s.id, on: today).isEmpty)
            let facts = try await w.platform.store.checkFacts(codes: [s.code], names: [], items: ["xzcf"], on: today)
            #expect(facts.byCode[s.code]?.id == s.id && facts.records.isEmpty)
            #expect(try await Self.page(client, "/me", cookie: firm.cookie).1.contains("已信用修复"))
            #expect(try await w.platform.store.changeLog(after: 0, limit: 1000).contains { $0.recordID == id && $0.event == "record.repaired" })
            let inbox = try await Self.page(client, "/me", cookie: firm.cookie).1
            #expect(inbox.contains("准予信用修复"))

            // Found to rest on false materials: revoked by the credit office, publicity resumes, the
            // false commitment is recorded and new applications are barred.
            #expect(try await Self.send(client, .post, "/api/v1/repairs/\(caseID)/actions", key: scjgj.token,
                                        ["action": "revoke", "reason": "凭证伪造"]).status == .forbidden)
            let revoked = try await Self.send(client, .post, "/api/v1/repairs/\(caseID)/actions", key: w.adminKey,
                                              ["action": "revoke", "reason": "经银行核实，缴款凭证系伪造"])
            #expect(revoked.status == .ok)
            #expect(try await Self.page(client, "/records/\(id)").0 == .ok)
            #expect(try await w.platform.store.records(subjectID: s.id).contains { $0.itemCode == "xycn" && $0.fields["CN_LYQK"]?.contains("虚假承诺") == true })
            let barred = try HTTPTests.json(try await Self.send(client, .get, "/api/v1/records/\(id)/repair-eligibility"))
            #expect(barred["eligible"] as? Bool == false && (barred["reasons"] as? [String])?.contains { $0.contains("虚假材料") } == true)
            // The repair notice served with a decision (两书同达).
            let notice = try await Self.send(client, .get, "/api/v1/records/\(id)/repair-notice", key: scjgj.token)
            #expect(notice.status == .ok && String(buffer: notice.body).contains("信用修复告知书"))
        }
    }

    @Test func aRefusalCanBeAppealedToTheCreditOffice() async throws {
        try await HTTPTests().withApp { w, client in
            let cast = CheckTests.cast()
            try await CheckTests.submit(w.platform.store, item: "xzcf", department: "SCJGJ",
                                        [Self.penaltyRow(cast.c, number: "厦市监处罚〔2026〕89号", decided: CivilDate.today().adding(months: -5))])
            let id = try await Self.recordID(w.platform.store, subject: cast.c.code, item: "xzcf")
            let scjgj = try await w.platform.createAPIKey(name: "市场监管局系统", role: .apiClient, department: "SCJGJ")
            _ = try await w.platform.createAccount(username: "firm-c", displayName: "企业经办人", role: .subjectUser, department: nil,
                                                   subjectCode: cast.c.code, password: "firm-password-12")
            let firm = try await HTTPTests.signIn(client, username: "firm-c", password: "firm-password-12")
            let proof = [["name": "receipt.png", "purpose": "履行证明", "data_base64": Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]).base64EncodedString()]]
            let r = try HTTPTests.json(try await Self.send(client, .post, "/api/v1/repairs", session: firm, [
                "record_id": id, "reason": "已缴纳罚款", "commitment_signed": true, "files": proof, "applicant": ["contact": "firm@example.com"]]))
            let caseID = try #require(r["id"] as? Int)
            _ = try await Self.send(client, .post, "/api/v1/repairs/\(caseID)/actions", key: scjgj.token, ["action": "accept"])
            let refused = try HTTPTests.json(try await Self.send(client, .post, "/api/v1/repairs/\(caseID)/actions", key: scjgj.token,
                                                                 ["action": "refuse", "reply": "凭证金额与罚款金额不符"]))
            #expect(refused["status"] as? String == "refused" && refused["appeal_until"] as? String != nil)
            let appealed = try await Self.send(client, .post, "/api/v1/repairs/\(caseID)/actions", session: firm, ["action": "appeal", "reason": "另有一张凭证，已补充"])
            #expect(try appealed.status == .ok && HTTPTests.json(appealed)["status"] as? String == "appealed")
            // The appeal is the credit office's to decide, not the department's.
            #expect(try await Self.send(client, .post, "/api/v1/repairs/\(caseID)/actions", key: scjgj.token, ["action": "approve", "reply": "x"]).status == .forbidden)
            let decided = try HTTPTests.json(try await Self.send(client, .post, "/api/v1/repairs/\(caseID)/actions", key: w.adminKey,
                                                                 ["action": "approve", "reply": "两张凭证合计与罚款一致，准予修复"]))
            #expect(decided["status"] as? String == "approved")
            #expect((decided["history"] as? [[String: Any]])?.count == 5)
        }
    }

    @Test func theSweepEndsPeriodsOnceAndMarksObjectionsNobodyAccepted() async throws {
        try await HTTPTests().withApp { w, client in
            let cast = CheckTests.cast()
            let today = CivilDate.today()
            // A general penalty decided 13 months ago: its year is over; the public pages already hide it.
            try await CheckTests.submit(w.platform.store, item: "xzcf", department: "SCJGJ",
                                        [Self.penaltyRow(cast.clean, number: "厦市监处罚〔2025〕5号", decided: today.adding(months: -13)),
                                         Self.penaltyRow(cast.clean, number: "厦市监处罚〔2026〕6号", decided: today.adding(months: -1))])
            let s = try #require(try await w.platform.store.subject(code: cast.clean.code))
            #expect(try await w.platform.store.publicRecords(subjectID: s.id, on: today).count == 1)
            // In another item, a list entry whose validity passed five days ago and one that ends in ten
            // days (the sweep goes item by item; the list page warns of the second).
            var expired = CheckTests.blackListRow(cast.b), ending = CheckTests.blackListRow(cast.c)
            expired["YZ_RDWH"] = "厦严失认〔2023〕3号"
            expired["YZ_RDRQ"] = today.adding(months: -37).description
            expired["YZ_YXQZ"] = today.adding(days: -5).description
            ending["YZ_RDWH"] = "厦严失认〔2026〕9号"
            ending["YZ_YXQZ"] = today.adding(days: 10).description
            try await CheckTests.submit(w.platform.store, item: "yzsx", department: "SCJGJ", [expired, ending])
            let warned = try await w.platform.store.endingRecords(item: "yzsx", from: today.adding(days: 1), to: today.adding(days: 31), limit: 10)
            #expect(warned.map { $0.fields["YZ_RDWH"] } == ["厦严失认〔2026〕9号"])
            let first = try HTTPTests.json(try await Self.send(client, .post, "/api/v1/publicity/sweep", key: w.adminKey))
            #expect(first["ended"] as? Int == 1 && first["lists_removed"] as? Int == 1, "\(first)")
            let second = try HTTPTests.json(try await Self.send(client, .post, "/api/v1/publicity/sweep", key: w.adminKey))
            #expect(second["ended"] as? Int == 0 && second["lists_removed"] as? Int == 0)
            let ended = try await w.platform.store.changeLog(after: 0, limit: 1000).filter { $0.event == "record.publicity_ended" }
            #expect(ended.map(\.itemCode).sorted() == ["xzcf", "yzsx"])
            #expect(try await w.platform.store.endingRecords(item: "yzsx", from: today.adding(days: 1), to: today.adding(days: 31), limit: 10).count == 1)
            // An objection nobody accepted is marked by the sweep once its marking deadline has come.
            let open = try #require(try await w.platform.store.records(subjectID: s.id).first { $0.isPublic(on: today) })
            let filed = try HTTPTests.json(try await Self.send(client, .post, "/api/v1/objections", [
                "record_id": open.id, "reason": "罚款已被行政复议撤销", "applicant": ["name": cast.clean.name, "contact": "13800138001"]]))
            let due = try #require(CivilDate(((filed["deadlines"] as? [[String: Any]])?.first?["due"] as? String) ?? ""))
            #expect(try await w.platform.sweepPublicity(today: due.adding(days: -1)).marked == 0 || due.adding(days: -1) == today)
            let r = try await w.platform.sweepPublicity(today: due)
            #expect(r.marked == 1)
            #expect(try await w.platform.store.creditRecord(id: open.id)?.disputed == true)
            #expect(try await w.platform.sweepPublicity(today: due).marked == 0)
            // Past its deadline and still not accepted: reported to the credit office once (督办), in the case's history too.
            let later = due.adding(days: 10)
            #expect(try await w.platform.sweepPublicity(today: later).escalated == 1)
            #expect(try await w.platform.sweepPublicity(today: later).escalated == 0)
            #expect(try await w.platform.store.inbox(audiences: ["office"], limit: 50).contains { $0.title.contains("逾期") })
            let escalated = try #require(try await w.platform.store.rightsCases(kind: .objection, department: nil, subjectID: s.id, recordID: nil, open: true, limit: 10).first)
            #expect(escalated.steps.last?.text.contains("督办") == true && escalated.escalated == escalated.pending?.due)
            // Overdue items are escalated on the console (listed first, marked overdue).
            let (office, _) = try await HTTPTests.officeAndClerk(w, client)
            let queue = try await Self.page(client, "/console/rights", cookie: office.cookie)
            #expect(queue.0 == .ok && queue.1.contains("异议申诉"))
            #expect(try await w.platform.store.accessLog(subjectID: s.id).contains { $0.action == "GET /console/rights" && $0.detail == "case:\(escalated.id)（列表）" })

            // The ended penalty corrected with a later decision date: its period is open again, so the
            // sweep leaves it now and ends it (and logs that) once the new period is over.
            let old = try #require(try await w.platform.store.records(subjectID: s.id).first { $0.fields["CF_WSH"] == "厦市监处罚〔2025〕5号" })
            try await CheckTests.submit(w.platform.store, item: "xzcf", department: "SCJGJ",
                                        [Self.penaltyRow(cast.clean, number: "厦市监处罚〔2025〕5号", decided: today.adding(days: -20))])
            #expect(try await w.platform.store.creditRecord(id: old.id)?.isPublic(on: today) == true)
            #expect(try await w.platform.sweepPublicity(today: today).ended == 0)
            func endings() async throws -> Int {
                try await w.platform.store.changeLog(after: 0, limit: 1000).filter { $0.recordID == old.id && $0.event == "record.publicity_ended" }.count
            }
            #expect(try await endings() == 1)
            #expect(try await w.platform.sweepPublicity(today: today.adding(months: 13)).ended >= 1)
            #expect(try await endings() == 2)
        }
    }

    @Test func aPersonSeesOnlyItsOwnArchiveWithItsNumberMasked() async throws {
        try await HTTPTests().withApp { w, client in
            let cast = CheckTests.cast()
            try await CheckTests.seed(w.platform.store, cast)
            let other = try await Self.recordID(w.platform.store, subject: cast.a.code, item: "yzsx")
            _ = try await w.platform.createAccount(username: "zhangsan", displayName: "张三", role: .subjectUser, department: nil,
                                                   subjectCode: Fixtures.residentID, password: "person-password-1")
            let person = try await HTTPTests.signIn(client, username: "zhangsan", password: "person-password-1")
            let (status, me) = try await Self.page(client, "/me", cookie: person.cookie)
            #expect(status == .ok && me.contains(IdentifierValidator.maskResidentID(Fixtures.residentID)) && !me.contains(Fixtures.residentID))
            #expect(!me.contains(cast.a.name))
            #expect(try await Self.page(client, "/me/records/\(other)/repair", cookie: person.cookie).0 == .notFound)
            // The old report address leads to the signed reports (tested in ReportsHTTPTests).
            #expect(try await Self.page(client, "/me/report", cookie: person.cookie).0 == .movedPermanently)
            // Staff use the console, not the subject's pages; visitors are asked to sign in.
            let (office, _) = try await HTTPTests.officeAndClerk(w, client)
            #expect(try await Self.page(client, "/me", cookie: office.cookie).0 == .forbidden)
            #expect(try await Self.page(client, "/me").0 == .unauthorized)
            let s = try #require(try await w.platform.store.subject(code: Fixtures.residentID))
            #expect(try await w.platform.store.accessLog(subjectID: s.id).contains { $0.action == "GET /me" })
        }
    }

    @Test func theRulesAreDataTheCreditOfficeCanReplace() async throws {
        try await HTTPTests().withApp { w, client in
            let rules = try HTTPTests.json(try await Self.send(client, .get, "/api/v1/rights-rules"))
            #expect((rules["repair_sets"] as? [[String: Any]])?.count == 3 && rules["publicity"] != nil)
            var changed = rules
            var objection = try #require(rules["objection"] as? [String: Any])
            objection["mark_workdays"] = 0
            changed["objection"] = objection
            changed["version"] = "本市-2026-2"
            #expect(try await Self.send(client, .put, "/api/v1/rights-rules", key: w.clientKey, changed).status == .forbidden)
            let put = try await Self.send(client, .put, "/api/v1/rights-rules", key: w.adminKey, changed)
            #expect(put.status == .ok)
            #expect((try HTTPTests.json(put)["objection"] as? [String: Any])?["mark_workdays"] as? Int == 0)
            var bad = changed
            bad["repair_sets"] = []
            #expect(try await Self.send(client, .put, "/api/v1/rights-rules", key: w.adminKey, bad).status == .unprocessableContent)
        }
    }
}
