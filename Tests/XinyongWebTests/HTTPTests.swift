import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import XinyongApp
import XinyongCore
import XinyongSheets
import ZIPFoundation
import XinyongStore
import XinyongTestSupport
import XinyongWeb

/// HTTP behaviour through `buildApplication`, the same builder `xinyong serve` uses.
@Suite("HTTP")
struct HTTPTests {
    /// A platform with a few subjects, an admin account and API keys for each role under test.
    struct World {
        let platform: Platform
        let adminKey: String
        let clientKey: String
    }

    func withApp(extra: [String: String] = [:], ledger: Bool = false,
                 _ body: @escaping @Sendable (World, any TestClientProtocol) async throws -> Void) async throws {
        try await TestBackend.withPlatform(extra: extra) { p in
            try await DemoData(seed: 3).load(into: p.store, subjects: 200, logger: TestBackend.logger)
            _ = try await p.ensureFirstAdministrator()
            _ = try await p.store.createSubject(try SubjectRules.validate(
                SubjectDraft(code: Fixtures.residentID, name: "张三"), validator: IdentifierValidator(), today: CivilDate.today()), actor: "test")
            let admin = try await p.createAPIKey(name: "管理", role: .admin, department: nil)
            let client = try await p.createAPIKey(name: "政务服务网", role: .apiClient, department: nil)
            let world = World(platform: p, adminKey: admin.token, clientKey: client.token)
            let app = try buildApplication(config: p.config, store: p.store, showsSyntheticNotice: true,
                                           ledger: ledger ? try await p.ledgerSigner() : nil, logger: TestBackend.logger)
            try await app.test(.router) { client in try await body(world, client) }
        }
    }

    static func json(_ r: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(String(buffer: r.body).utf8)) as? [String: Any] ?? [:]
    }

    /// API keys are kept in memory for a moment (every API request presents one); a revocation in
    /// the console still ends a key at once, and a known key's prefix with a wrong secret is refused.
    @Test func aKeyRevokedInTheConsoleStopsWorkingAtOnce() async throws {
        try await withApp { w, client in
            let (office, _) = try await Self.officeAndClerk(w, client)
            let key = try await w.platform.createAPIKey(name: "采购系统", role: .apiClient, department: "SWJ")
            func me(_ token: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"]).status
            }
            #expect(try await me(key.token) == .ok)
            #expect(try await me(key.token) == .ok)   // the second from memory
            let forged = String(key.token.dropLast()) + (key.token.hasSuffix("a") ? "b" : "a")
            #expect(try await me(forged) == .unauthorized)
            let revoked = try await Self.postForm(client, "/console/admin/keys/\(key.prefix)/revoke", session: office, [])
            #expect(revoked.status == .seeOther)
            #expect(try await me(key.token) == .unauthorized)
            #expect(try await me(w.clientKey) == .ok)   // other keys are untouched
        }
    }

    @Test func calendarAPI() async throws {
        try await withApp { w, client in
            let add = try Self.json(try await client.execute(uri: "/api/v1/calendar/add-workdays?from=2025-09-30&days=7", method: .get))
            #expect(add["date"] as? String == "2025-10-16")
            let between = try Self.json(try await client.execute(uri: "/api/v1/calendar/workdays-between?from=2026-02-13&to=2026-02-28", method: .get))
            #expect(between["workdays"] as? Int == 6)
            let uncovered = try await client.execute(uri: "/api/v1/calendar/add-workdays?from=2026-12-20&days=30", method: .get)
            #expect(uncovered.status == .unprocessableContent)
            #expect((try Self.json(uncovered)["detail"] as? String)?.contains("2027") == true)
            #expect(try await client.execute(uri: "/api/v1/calendar/add-workdays?from=2026-13-01&days=1", method: .get).status == .unprocessableContent)

            let year = try Self.json(try await client.execute(uri: "/api/v1/calendar/years/2026", method: .get))
            #expect(year["covered"] as? Bool == true)
            #expect((year["days"] as? [[String: Any]])?.contains { $0["date"] as? String == "2026-02-14" && $0["kind"] as? String == "workday" } == true)

            let body = ByteBuffer(string: #"{"source":"国办发明电（测试）","days":[{"date":"2027-01-01","kind":"holiday","name":"元旦"}]}"#)
            let json: HTTPFields = [.contentType: "application/json"]
            #expect(try await client.execute(uri: "/api/v1/calendar/years/2027", method: .put, headers: json, body: body).status == .unauthorized)
            var admin = json; admin[.authorization] = "Bearer \(w.adminKey)"
            let put = try await client.execute(uri: "/api/v1/calendar/years/2027", method: .put, headers: admin, body: body)
            #expect(put.status == .ok)
            #expect(try Self.json(put)["covered"] as? Bool == true)
            let after = try Self.json(try await client.execute(uri: "/api/v1/calendar/add-workdays?from=2026-12-31&days=1", method: .get))
            #expect(after["date"] as? String == "2027-01-04")
            let bad = ByteBuffer(string: #"{"source":"x","days":[{"date":"2027-01-02","kind":"holiday","name":"元旦"}]}"#)
            let refused = try await client.execute(uri: "/api/v1/calendar/years/2027", method: .put, headers: admin, body: bad)
            #expect(refused.status == .unprocessableContent)
            #expect((try Self.json(refused)["detail"] as? String)?.contains("是周末") == true)
        }
    }

    @Test func catalogAPI() async throws {
        try await withApp { w, client in
            let all = try Self.json(try await client.execute(uri: "/api/v1/catalog", method: .get))
            #expect(all["version"] as? String == Catalog.shipped.version)
            let codes = (all["items"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
            #expect(codes.prefix(2) == ["xzxk", "xzcf"])
            // Every category of the national catalog is an item.
            for code in ["xzqz", "xzqr", "xzzs", "xzjf", "xzcj", "xzbc", "xzjl", "xzjc", "sfcp", "sxbzxr", "zyzg", "jyyc", "yzsx", "htly",
                         "xycn", "xypj", "zsfg", "ryxx", "zscq", "zytg"] { #expect(codes.contains(code), "\(code)") }
            let penalty = try Self.json(try await client.execute(uri: "/api/v1/catalog/items/xzcf", method: .get))
            #expect(penalty["natural_key"] as? [String] == ["CF_WSH", "CF_CFJGDM"])
            #expect(try await client.execute(uri: "/api/v1/catalog/items/nope", method: .get).status == .notFound)

            let json: HTTPFields = [.contentType: "application/json"]
            var admin = json; admin[.authorization] = "Bearer \(w.adminKey)"
            let list = ByteBuffer(string: #"{"values":["市级","区级"]}"#)
            #expect(try await client.execute(uri: "/api/v1/catalog/code-lists/honour_level", method: .put, headers: json, body: list).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/v1/catalog/code-lists/honour_level", method: .put, headers: admin, body: list).status == .ok)
            let item = ByteBuffer(string: #"""
                {"code":"local_honours","name":"市级表彰荣誉","category":"荣誉信息","openness":"public","publicity":"validity",
                 "fields":[{"name":"RY_MC","label":"荣誉名称","kind":"text","required":true},
                           {"name":"RY_JB","label":"荣誉级别","kind":"code","required":true,"code_list":"honour_level"}],
                 "natural_key":["RY_MC"],"rules":[]}
                """#)
            let put = try await client.execute(uri: "/api/v1/catalog/items/local_honours", method: .put, headers: admin, body: item)
            #expect(put.status == .ok)
            #expect(try Self.json(put)["name"] as? String == "市级表彰荣誉")
            let fields = ByteBuffer(string: #"{"fields":[{"name":"CF_LOCAL_AJBH","label":"案件编号","kind":"text","required":false}]}"#)
            let added = try await client.execute(uri: "/api/v1/catalog/items/xzcf/fields", method: .post, headers: admin, body: fields)
            #expect(added.status == .ok)
            #expect((try Self.json(added)["fields"] as? [Any])?.count == 31)
            let refused = try await client.execute(uri: "/api/v1/catalog/items/xzcf", method: .put, headers: admin,
                                                   body: ByteBuffer(string: #"{"code":"xzcf","name":"x","category":"x","openness":"public","publicity":"x","fields":[],"natural_key":[],"rules":[]}"#))
            #expect(refused.status == .conflict)
            let garbage = try await client.execute(uri: "/api/v1/catalog/items/local_x", method: .put, headers: admin, body: ByteBuffer(string: "{}"))
            #expect(garbage.status == .unprocessableContent)
        }
    }

    @Test func jsonSubmissions() async throws {
        try await withApp { w, client in
            let dept = try await w.platform.createAPIKey(name: "市场监管局接口", role: .apiClient, department: "SCJGJ")
            let records = #"""
                {"item":"xzcf","records":[
                 {"行政相对人名称":"厦门示例科技有限公司","行政相对人类别":"法人及非法人组织","CF_XDR_SHXYM":"91350200776049653A",
                  "法定代表人":"王伟","CF_WSH":"厦市监处罚〔2026〕1号","CF_WFXW":"虚假宣传","CF_SY":"事实","CF_YJ":"依据",
                  "CF_CFLB":"罚款","CF_NR":"罚款","罚款金额（万元）":2.5,"CF_JDRQ":"2026/3/5","CF_YXQ":"2027/3/5",
                  "CF_CFJG":"厦门市市场监督管理局","CF_CFJGDM":"9135021359498494XQ","CF_SJLY":"厦门市市场监督管理局",
                  "CF_SJLYDM":"9135021359498494XQ"},
                 {"CF_XDR_MC":"缺很多字段的记录"}]}
                """#
            var headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(dept.token)"]
            let r = try await client.execute(uri: "/api/v1/submissions", method: .post, headers: headers, body: ByteBuffer(string: records))
            #expect(r.status == .created)
            let body = try Self.json(r)
            #expect(body["created"] as? Int == 1 && body["rejected"] as? Int == 1 && body["department"] as? String == "SCJGJ")
            let rejected = body["rejected_rows"] as? [[String: Any]] ?? []
            #expect(rejected.allSatisfy { $0["row"] as? Int == 2 } && rejected.contains { $0["field"] as? String == "CF_WSH" })
            let again = try Self.json(try await client.execute(uri: "/api/v1/submissions", method: .post, headers: headers, body: ByteBuffer(string: records)))
            #expect(again["unchanged"] as? Int == 1 && again["created"] as? Int == 0)

            // The department reads its rejected row back, with what it sent and why.
            let id = try #require(body["id"] as? Int)
            let shown = try await client.execute(uri: "/api/v1/submissions/\(id)", method: .get, headers: headers)
            #expect(shown.status == .ok)
            let rows = try Self.json(shown)["rows"] as? [[String: Any]] ?? []
            #expect(rows.count == 1 && (rows[0]["raw"] as? [String: String])?["CF_XDR_MC"] == "缺很多字段的记录")
            #expect(try await client.execute(uri: "/api/v1/submissions/\(id)", method: .get,
                                             headers: [.authorization: "Bearer \(w.clientKey)"]).status == .notFound)

            // Withdrawal is by the record's own department, with a reason; it is a new version, not a delete.
            let revoke = #"{"key":{"行政处罚决定书文号":"厦市监处罚〔2026〕1号","CF_CFJGDM":"9135021359498494xq"},"reason":"复议撤销"}"#
            let revoked = try await client.execute(uri: "/api/v1/records/xzcf/revoke", method: .post, headers: headers, body: ByteBuffer(string: revoke))
            #expect(revoked.status == .ok)
            #expect(try Self.json(revoked)["status"] as? String == "revoked")
            #expect(try Self.json(revoked)["version"] as? Int == 2)
            let twice = try await client.execute(uri: "/api/v1/records/xzcf/revoke", method: .post, headers: headers, body: ByteBuffer(string: revoke))
            #expect(twice.status == .conflict)

            headers[.authorization] = "Bearer \(w.clientKey)"   // an API client with no department
            #expect(try await client.execute(uri: "/api/v1/submissions", method: .post, headers: headers, body: ByteBuffer(string: records)).status == .forbidden)
            headers[.authorization] = "Bearer \(dept.token)"
            let unknown = try await client.execute(uri: "/api/v1/submissions", method: .post, headers: headers,
                                                   body: ByteBuffer(string: #"{"item":"nope","records":[{}]}"#))
            #expect(unknown.status == .unprocessableContent)
            #expect(try Self.json(unknown)["field"] as? String == "item")
        }
    }

    @Test func csvUploadsInUTF8AndGB18030() async throws {
        try await withApp { w, client in
            let dept = try await w.platform.createAPIKey(name: "市场监管局接口", role: .apiClient, department: "SCJGJ")
            let template = try await client.execute(uri: "/api/v1/catalog/items/xzcf/template.csv", method: .get)
            #expect(template.status == .ok && template.headers[.contentType] == "text/csv; charset=utf-8")
            let header = String(buffer: template.body).trimmingCharacters(in: .newlines)
            let labels = header.dropFirst().split(separator: ",").map(String.init)   // drop the BOM
            func line(_ wsh: String, fine: String) -> String {
                let values: [String: String] = [
                    "行政相对人名称*": "厦门示例科技有限公司", "行政相对人类别*": "法人及非法人组织", "行政相对人代码_1(统一社会信用代码)": "91350200776049653A",
                    "法定代表人": "王伟", "行政处罚决定书文号*": wsh, "违法行为类型*": "虚假宣传", "违法事实*": "\"多行\n事实，含逗号\"",
                    "处罚依据*": "《广告法》", "处罚类别*": "罚款", "处罚内容*": "罚款", "罚款金额（万元）": fine, "处罚决定日期*": "2026年3月5日",
                    "处罚有效期*": "2027/3/5", "处罚机关*": "厦门市市场监督管理局", "处罚机关统一社会信用代码*": "9135021359498494XQ",
                    "数据来源单位*": "厦门市市场监督管理局", "数据来源单位统一社会信用代码*": "9135021359498494XQ"]
                return labels.map { values[$0] ?? "" }.joined(separator: ",")
            }
            let csv = header + "\r\n" + line("厦市监处罚〔2026〕7号", fine: "1.5") + "\r\n" + line("厦市监处罚〔2026〕8号", fine: "五万") + "\r\n"
            var headers: HTTPFields = [.authorization: "Bearer \(dept.token)", .contentType: "text/csv"]
            let utf8 = try await client.execute(uri: "/api/v1/submissions?item=xzcf", method: .post, headers: headers, body: ByteBuffer(string: csv))
            #expect(utf8.status == .created)
            let r = try Self.json(utf8)
            #expect(r["created"] as? Int == 1 && r["rejected"] as? Int == 1)
            #expect((r["rejected_rows"] as? [[String: Any]])?.first?["row"] as? Int == 4)   // the file line (row 3 spans two lines)

            // The same file saved as GB18030 (detected, and declared) changes nothing.
            let gb = ByteBuffer(bytes: csv.dropFirst().data(using: CSVReader.gb18030)!)
            let detected = try Self.json(try await client.execute(uri: "/api/v1/submissions?item=xzcf", method: .post, headers: headers, body: gb))
            #expect(detected["unchanged"] as? Int == 1 && detected["created"] as? Int == 0)
            headers[.contentType] = "text/csv; charset=GBK"
            #expect(try Self.json(try await client.execute(uri: "/api/v1/submissions?item=xzcf", method: .post, headers: headers, body: gb))["unchanged"] as? Int == 1)

            // Files that cannot be read are refused whole.
            headers[.contentType] = "text/csv"
            for bad in [header + "\n\"未闭合,引号\n", "不认识的列,另一列\n1,2\n", "", "a\u{0}b\n"] {
                let refused = try await client.execute(uri: "/api/v1/submissions?item=xzcf", method: .post, headers: headers, body: ByteBuffer(string: bad))
                #expect(refused.status == .unprocessableContent, "\(bad.prefix(20))")
            }
            #expect(try await client.execute(uri: "/api/v1/submissions", method: .post, headers: headers, body: ByteBuffer(string: csv)).status == .unprocessableContent)
        }
    }

    /// The clerk's loop in Excel: download the template, fill it, upload, download the rejected
    /// rows with their reasons, fix them in place and upload that file again.
    @Test func excelRoundTripWithRejectedRowsFixedAndResubmitted() async throws {
        try await withApp { w, client in
            let dept = try await w.platform.createAPIKey(name: "市场监管局接口", role: .apiClient, department: "SCJGJ")
            let auth: HTTPFields = [.authorization: "Bearer \(dept.token)"]
            let template = try await client.execute(uri: "/api/v1/catalog/items/xzcf/template.xlsx", method: .get)
            #expect(template.status == .ok && template.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(template.headers[.contentDisposition]?.contains("filename*=UTF-8''") == true)
            let header = try XLSXReader(data: Data(template.body.readableBytesView)).records().first!
            #expect(header.line == 1 && header.fields.contains("行政处罚决定书文号*") && header.fields.count == 30)

            // The clerk fills it in (columns reordered: Excel users move them around).
            let labels = header.fields.reversed().map { $0 }
            func row(_ wsh: String, date: XLSXWriter.Cell, code: String) -> [XLSXWriter.Cell] {
                let values: [String: XLSXWriter.Cell] = [
                    "行政相对人名称*": .text("厦门示例科技有限公司"), "行政相对人类别*": .text("法人及非法人组织"),
                    "行政相对人代码_1(统一社会信用代码)": .text(code), "法定代表人": .text("王伟"), "行政处罚决定书文号*": .text(wsh), "违法行为类型*": .text("虚假宣传"),
                    "违法事实*": .text("发布虚假广告"), "处罚依据*": .text("《广告法》第五十五条"), "处罚类别*": .text("罚款"), "处罚内容*": .text("罚款"),
                    "罚款金额（万元）": .number(1.5), "处罚决定日期*": date, "处罚有效期*": .text("2027-03-05"),
                    "处罚机关*": .text("厦门市市场监督管理局"), "处罚机关统一社会信用代码*": .text("9135021359498494XQ"),
                    "数据来源单位*": .text("厦门市市场监督管理局"), "数据来源单位统一社会信用代码*": .text("9135021359498494XQ")]
                return labels.map { values[$0] ?? .text("") }
            }
            let filled = try XLSXWriter.workbook([XLSXWriter.Sheet(name: "填报", columns: labels.map { XLSXWriter.Column($0) }, rows: [
                row("厦市监处罚〔2026〕11号", date: .number(46086), code: "91350200776049653A"),          // an Excel date cell: 2026-03-05
                row("厦市监处罚〔2026〕12号", date: .text("2026年3月5日"), code: "91350200776049653B"),    // a wrong check character… of a different kind
                row("厦市监处罚〔2026〕13号", date: .text("2026-02-30"), code: "91350200776049653A"),
            ])])
            var headers = auth
            headers[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            let first = try Self.json(try await client.execute(uri: "/api/v1/submissions?item=xzcf", method: .post, headers: headers,
                                                              body: ByteBuffer(bytes: filled)))
            #expect(first["created"] as? Int == 1, "\(first)")
            #expect((first["rejected"] as? Int ?? 0) + (first["held"] as? Int ?? 0) == 2)
            let id = first["id"] as! Int
            let stored = try await w.platform.store.record(itemCode: "xzcf", key: "厦市监处罚〔2026〕11号\u{1F}9135021359498494XQ")
            #expect(stored?.fields["CF_JDRQ"] == "2026-03-05" && stored?.fields["CF_NR_FK"] == "1.5")

            // The rejected rows come back as the template with 原行号 and 错误原因 in front.
            let back = try await client.execute(uri: "/api/v1/submissions/\(id)/rejected.xlsx", method: .get, headers: auth)
            #expect(back.status == .ok)
            let rejected = try XLSXReader(data: Data(back.body.readableBytesView)).records()
            #expect(rejected.first?.fields.prefix(2) == ["原行号", "错误原因"])
            let dateColumn = rejected[0].fields.firstIndex(of: "处罚决定日期*")!
            let bad = rejected.dropFirst().first { $0.fields[0] == "4" }!
            #expect(bad.fields[1].contains("处罚决定日期") && bad.fields[dateColumn] == "2026-02-30")
            let csv = try await client.execute(uri: "/api/v1/submissions/\(id)/rejected.csv", method: .get, headers: auth)
            #expect(String(buffer: csv.body).contains("厦市监处罚〔2026〕13号"))
            // Another department cannot read them.
            let other = try await w.platform.createAPIKey(name: "税务", role: .apiClient, department: "SWJ")
            #expect(try await client.execute(uri: "/api/v1/submissions/\(id)/rejected.xlsx", method: .get,
                                             headers: [.authorization: "Bearer \(other.token)"]).status == .notFound)

            // Fixed in place (the extra columns stay) and uploaded again: only the fixed row is new.
            let fixedRows: [[XLSXWriter.Cell]] = rejected.dropFirst().filter { $0.fields[0] == "4" }.map { r in
                var f = r.fields + Array(repeating: "", count: max(0, rejected[0].fields.count - r.fields.count))
                f[dateColumn] = "2026-02-28"
                return f.map { .text($0) }
            }
            let fixed = try XLSXWriter.workbook([XLSXWriter.Sheet(name: "填报", columns: rejected[0].fields.map { XLSXWriter.Column($0) }, rows: fixedRows)])
            let second = try Self.json(try await client.execute(uri: "/api/v1/submissions?item=xzcf", method: .post, headers: headers,
                                                               body: ByteBuffer(bytes: fixed)))
            #expect(second["created"] as? Int == 1 && second["rejected"] as? Int == 0)

            // Broken workbooks are refused whole, with the reason.
            for (body, words) in [(Data("不是表格".utf8), "ZIP"), (Data([0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0]), ".xls")] {
                let refused = try await client.execute(uri: "/api/v1/submissions?item=xzcf", method: .post, headers: headers, body: ByteBuffer(bytes: body))
                #expect(refused.status == .unprocessableContent)
                #expect((try Self.json(refused)["detail"] as? String)?.contains(words) == true)
            }
        }
    }

    /// Signs in through the form and returns the session cookie and the session's CSRF token.
    static func signIn(_ client: any TestClientProtocol, username: String, password: String) async throws -> (cookie: String, csrf: String) {
        let form = try await client.execute(uri: "/login", method: .get)
        let pre = try #require(form.headers[values: .setCookie].first { $0.hasPrefix("xy_csrf=") })
        let csrf = String(pre.dropFirst("xy_csrf=".count).prefix { $0 != ";" })
        let ok = try await client.execute(uri: "/login", method: .post,
                                          headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "xy_csrf=\(csrf)"],
                                          body: ByteBuffer(string: "_csrf=\(csrf)&username=\(username)&password=\(password)"))
        let session = try #require(ok.headers[values: .setCookie].first { $0.hasPrefix("xy_session=") })
        let cookie = "xy_session=" + String(session.dropFirst("xy_session=".count).prefix { $0 != ";" })
        let page = String(buffer: try await client.execute(uri: "/account", method: .get, headers: [.cookie: cookie]).body)
        let token = try #require(page.range(of: "name=\"_csrf\" value=\"").map { String(page[$0.upperBound...].prefix { $0 != "\"" }) })
        return (cookie, token)
    }

    /// Signed-in browser sessions of a credit-office administrator (信用办张敏) and a 市场监管局 clerk (李文).
    static func officeAndClerk(_ w: World, _ client: any TestClientProtocol) async throws
        -> (office: (cookie: String, csrf: String), clerk: (cookie: String, csrf: String)) {
        _ = try await w.platform.createAccount(username: "office", displayName: "信用办张敏", role: .admin, department: nil,
                                               subjectCode: nil, password: "office-password-1")
        _ = try await w.platform.createAccount(username: "clerk", displayName: "李文", role: .departmentSubmitter, department: "SCJGJ",
                                               subjectCode: nil, password: "clerk-password-1")
        return (try await signIn(client, username: "office", password: "office-password-1"),
                try await signIn(client, username: "clerk", password: "clerk-password-1"))
    }

    /// A form posted by a signed-in browser: the session cookie and its CSRF token, fields URL-encoded.
    static func postForm(_ client: any TestClientProtocol, _ uri: String, session s: (cookie: String, csrf: String),
                         _ fields: [(String, String)]) async throws -> TestResponse {
        let body = ([("_csrf", s.csrf)] + fields).map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
            .joined(separator: "&")
        return try await client.execute(uri: uri, method: .post,
                                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: s.cookie],
                                        body: ByteBuffer(string: body))
    }

    static func multipart(_ fields: [(String, String)], file: (name: String, data: Data), boundary: String = "----xinyong-test-7d3f") -> ByteBuffer {
        var body = ByteBuffer()
        for (k, v) in fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n")
        }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        body.writeBytes(file.data)
        body.writeString("\r\n--\(boundary)--\r\n")
        return body
    }

    /// The department clerk's page: upload a file through the form, read the result, and only
    /// ever see the own department's submissions.
    @Test func consoleUploadPage() async throws {
        try await withApp { w, client in
            _ = try await w.platform.createAccount(username: "clerk", displayName: "李文", role: .departmentSubmitter, department: "SCJGJ",
                                                   subjectCode: nil, password: "clerk-password-1")
            _ = try await w.platform.createAccount(username: "tax", displayName: "王税", role: .departmentSubmitter, department: "SWJ",
                                                   subjectCode: nil, password: "tax-password-12")
            let clerk = try await Self.signIn(client, username: "clerk", password: "clerk-password-1")
            let page = try await client.execute(uri: "/console/submissions", method: .get, headers: [.cookie: clerk.cookie])
            #expect(page.status == .ok && String(buffer: page.body).contains("/api/v1/catalog/items/xzcf/template.xlsx"))
            #expect(try await client.execute(uri: "/console/submissions", method: .get).status == .unauthorized)

            let csv = "\u{FEFF}行政相对人名称,行政相对人类别,行政处罚决定书文号\r\n甲公司,法人及非法人组织,X1\r\n"
            let type = "multipart/form-data; boundary=----xinyong-test-7d3f"
            let body = Self.multipart([("_csrf", clerk.csrf), ("item", "xzcf")], file: ("处罚.csv", Data(csv.utf8)))
            // Without a session, nobody can make the server buffer a large form.
            let big = Self.multipart([("_csrf", "x"), ("item", "xzcf")], file: ("big.csv", Data(count: 2 << 20)))
            let refusedBig = try await client.execute(uri: "/console/submissions", method: .post, headers: [.contentType: type], body: big)
            #expect(refusedBig.status == .contentTooLarge, "\(refusedBig.status)")
            // Without the session's token the upload is refused.
            let forged = Self.multipart([("_csrf", "forged"), ("item", "xzcf")], file: ("处罚.csv", Data(csv.utf8)))
            #expect(try await client.execute(uri: "/console/submissions", method: .post,
                                             headers: [.cookie: clerk.cookie, .contentType: type], body: forged).status == .forbidden)
            // A header without the required columns: the form comes back with the reason, nothing stored.
            let refused = try await client.execute(uri: "/console/submissions", method: .post, headers: [.cookie: clerk.cookie, .contentType: type], body: body)
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("缺少必填列"))

            let template = try await client.execute(uri: "/api/v1/catalog/items/xzcf/template.xlsx", method: .get)
            let header = try XLSXReader(data: Data(template.body.readableBytesView)).records()[0].fields
            let row: [String: String] = ["行政相对人名称*": "厦门示例科技有限公司", "行政相对人类别*": "法人及非法人组织",
                                         "行政相对人代码_1(统一社会信用代码)": "91350200776049653A", "法定代表人": "王伟",
                                         "行政处罚决定书文号*": "厦市监处罚〔2026〕31号", "违法行为类型*": "虚假宣传", "违法事实*": "发布虚假广告",
                                         "处罚依据*": "《广告法》", "处罚类别*": "罚款", "处罚内容*": "罚款", "罚款金额（万元）": "1", "处罚决定日期*": "2026-03-05",
                                         "处罚有效期*": "2027-03-05", "处罚机关*": "厦门市市场监督管理局", "处罚机关统一社会信用代码*": "9135021359498494XQ",
                                         "数据来源单位*": "厦门市市场监督管理局", "数据来源单位统一社会信用代码*": "9135021359498494XQ"]
            let xlsx = try XLSXWriter.workbook([XLSXWriter.Sheet(name: "填报", columns: header.map { XLSXWriter.Column($0) },
                                                                 rows: [header.map { .text(row[$0] ?? "") }, header.map { .text($0 == "行政处罚决定书文号*" ? "厦市监处罚〔2026〕32号" : row[$0] ?? "") }.map { $0 == .text("2026-03-05") ? .text("2026-13-05") : $0 }])])
            let ok = try await client.execute(uri: "/console/submissions", method: .post, headers: [.cookie: clerk.cookie, .contentType: type],
                                              body: Self.multipart([("_csrf", clerk.csrf), ("item", "xzcf")], file: ("处罚.xlsx", xlsx)))
            #expect(ok.status == .seeOther)
            let location = try #require(ok.headers[.location])
            let result = String(buffer: try await client.execute(uri: location, method: .get, headers: [.cookie: clerk.cookie]).body)
            #expect(result.contains("处罚决定日期") && result.contains("rejected.xlsx"))
            #expect(result.contains("<span class=\"figure-value\">1</span><span class=\"figure-label\">新增</span>"))

            // Another department neither sees it in its list nor opens it.
            let tax = try await Self.signIn(client, username: "tax", password: "tax-password-12")
            #expect(try await client.execute(uri: location, method: .get, headers: [.cookie: tax.cookie]).status == .notFound)
            #expect(!String(buffer: try await client.execute(uri: "/console/submissions", method: .get, headers: [.cookie: tax.cookie]).body).contains(location))
        }
    }

    /// The subject page and the records API show the public only what is inside its window;
    /// staff read the archive, and that read is logged.
    @Test func subjectRecordsFollowThePublicityWindow() async throws {
        try await withApp { w, client in
            let dept = try await w.platform.createAPIKey(name: "市场监管局接口", role: .apiClient, department: "SCJGJ")
            func record(_ wsh: String, decided: String) -> String {
                #"{"CF_XDR_MC":"厦门示例科技有限公司","CF_XDR_LB":"法人及非法人组织","CF_XDR_SHXYM":"91350200776049653A","CF_FRDB":"王伟","CF_WSH":"\#(wsh)","CF_WFXW":"虚假宣传","CF_SY":"事实","CF_YJ":"依据","CF_CFLB":"罚款","CF_NR":"罚款","CF_NR_FK":"1","CF_JDRQ":"\#(decided)","CF_YXQ":"2027-01-01","CF_CFJG":"厦门市市场监督管理局","CF_CFJGDM":"9135021359498494XQ","CF_SJLY":"厦门市市场监督管理局","CF_SJLYDM":"9135021359498494XQ"}"#
            }
            let body = #"{"item":"xzcf","records":["# + record("厦市监处罚〔2026〕51号", decided: "2026-06-01") + "," + record("厦市监处罚〔2024〕52号", decided: "2024-06-01") + "]}"
            let r = try await client.execute(uri: "/api/v1/submissions", method: .post,
                                             headers: [.contentType: "application/json", .authorization: "Bearer \(dept.token)"], body: ByteBuffer(string: body))
            #expect(try Self.json(r)["created"] as? Int == 2)

            let page = String(buffer: try await client.execute(uri: "/subjects/91350200776049653A", method: .get).body)
            #expect(page.contains("厦市监处罚〔2026〕51号") && !page.contains("厦市监处罚〔2024〕52号"))
            #expect(page.contains("公示至 2027-05-31"))

            let publicView = try Self.json(try await client.execute(uri: "/api/v1/subjects/91350200776049653A/records", method: .get))
            let publicRecords = publicView["records"] as? [[String: Any]] ?? []
            #expect(publicView["archive"] as? Bool == false && publicRecords.count == 1)
            #expect(publicRecords.first?["public_until"] as? String == "2027-05-31")

            let staff = try Self.json(try await client.execute(uri: "/api/v1/subjects/91350200776049653A/records", method: .get,
                                                              headers: [.authorization: "Bearer \(w.adminKey)"]))
            let archive = staff["records"] as? [[String: Any]] ?? []
            #expect(staff["archive"] as? Bool == true && archive.count == 2)
            #expect(archive.contains { $0["public"] as? Bool == false && $0["public_until"] as? String == "2025-05-31" })
            struct A: Decodable { var action: String }
            let logged = try await w.platform.database.sql.raw("SELECT action FROM access_log WHERE action = 'records.read'").all(decoding: A.self)
            #expect(logged.count == 1)
        }
    }

    /// The 双公示 column: listing with filters, each record's page while it is public, the JSON
    /// listing, the home page's latest records, and clear errors for bad filters.
    @Test func shuanggongshiColumnAndRecordPages() async throws {
        try await withApp { w, client in
            let dept = try await w.platform.createAPIKey(name: "市场监管局接口", role: .apiClient, department: "SCJGJ")
            func record(_ wsh: String, decided: String, name: String) -> String {
                #"{"CF_XDR_MC":"\#(name)","CF_XDR_LB":"法人及非法人组织","CF_XDR_SHXYM":"91350200776049653A","CF_FRDB":"王伟","CF_WSH":"\#(wsh)","CF_WFXW":"虚假宣传","CF_SY":"事实","CF_YJ":"依据","CF_CFLB":"罚款","CF_NR":"罚款","CF_NR_FK":"1.5","CF_JDRQ":"\#(decided)","CF_YXQ":"2027-01-01","CF_CFJG":"厦门市市场监督管理局","CF_CFJGDM":"9135021359498494XQ","CF_SJLY":"厦门市市场监督管理局","CF_SJLYDM":"9135021359498494XQ"}"#
            }
            let body = #"{"item":"xzcf","records":["# + record("厦市监处罚〔2026〕61号", decided: "2026-06-01", name: "厦门公示测试科技有限公司")
                + "," + record("厦市监处罚〔2024〕62号", decided: "2024-06-01", name: "厦门过期测试科技有限公司") + "]}"
            let r = try await client.execute(uri: "/api/v1/submissions", method: .post,
                                             headers: [.contentType: "application/json", .authorization: "Bearer \(dept.token)"], body: ByteBuffer(string: body))
            #expect(try Self.json(r)["created"] as? Int == 2)

            let list = try await client.execute(uri: "/shuanggongshi?item=xzcf&department=SCJGJ&q=%E5%85%AC%E7%A4%BA%E6%B5%8B%E8%AF%95", method: .get)
            let html = String(buffer: list.body)
            #expect(list.status == .ok)
            #expect(html.contains("厦门公示测试科技有限公司") && html.contains("厦市监处罚〔2026〕61号") && !html.contains("厦门过期测试"))
            #expect(html.contains("共 <strong>1 条</strong>") && html.contains("处罚类别：罚款") && html.contains("公示至"))
            let id = try #require(html.firstRange(of: /href="\/records\/(\d+)"/).map { String(html[$0]).filter(\.isNumber) })

            let page = try await client.execute(uri: "/records/\(id)", method: .get)
            let recordHTML = String(buffer: page.body)
            #expect(page.status == .ok && recordHTML.contains("厦市监处罚〔2026〕61号") && recordHTML.contains("<dt>罚款金额（万元）</dt><dd>1.5</dd>"))
            #expect(recordHTML.contains("href=\"/subjects/91350200776049653A\"") && recordHTML.contains("2027-05-31"))
            #expect(!recordHTML.contains("证件号码"))   // identity numbers and their types are never shown

            // The expired record has no public page; neither has a made-up id.
            struct I: Decodable { var id: Int64 }
            let expired = try #require(try await w.platform.database.sql.raw(
                "SELECT id FROM credit_records WHERE record_key LIKE '厦市监处罚〔2024〕62号%'").first(decoding: I.self))
            let gone = try await client.execute(uri: "/records/\(expired.id)", method: .get)
            #expect(gone.status == .notFound && String(buffer: gone.body).contains("公示期限"))
            #expect(try await client.execute(uri: "/records/abc", method: .get).status == .notFound)

            // A bad filter is explained on the page (and as problem JSON in the API).
            let bad = try await client.execute(uri: "/shuanggongshi?from=2026-13-01", method: .get)
            #expect(bad.status == .unprocessableContent && String(buffer: bad.body).contains("开始日期应为日期"))
            let deep = try await client.execute(uri: "/api/v1/public-records?page=51", method: .get)
            let deepDetail = try Self.json(deep)["detail"] as? String
            #expect(deep.status == .unprocessableContent && deepDetail?.contains("第 50 页") == true)

            let api = try Self.json(try await client.execute(uri: "/api/v1/public-records?item=xzcf&q=%E6%B5%8B%E8%AF%95", method: .get))
            let items = api["items"] as? [[String: Any]] ?? []
            #expect(api["total"] as? Int == 1 && api["total_exact"] as? Bool == true && items.count == 1)
            #expect(items.first?["subject_code"] as? String == "91350200776049653A" && items.first?["public_until"] as? String == "2027-05-31")
            #expect((items.first?["fields"] as? [String: Any])?["CF_XDR_ZJHM"] == nil)

            let home = String(buffer: try await client.execute(uri: "/", method: .get).body)
            #expect(home.contains("最新双公示") && home.contains("/records/\(id)") && home.contains("公示中的行政处罚"))
            let subject = String(buffer: try await client.execute(uri: "/subjects/91350200776049653A", method: .get).body)
            #expect(subject.contains("href=\"/records/\(id)\""))
        }
    }

    /// The lists (here the business-anomaly list), the search page's filters and risk marks, and
    /// the subject page's sections.
    @Test func listsSearchMarksAndSubjectSections() async throws {
        try await withApp { w, client in
            let dept = try await w.platform.createAPIKey(name: "市场监管局接口", role: .apiClient, department: "SCJGJ")
            let listed = #"{"YC_XDR_MC":"厦门异常测试科技有限公司","YC_XDR_LB":"法人及非法人组织","YC_XDR_SHXYM":"91350200776049653A","YC_LRYY":"通过登记的住所或者经营场所无法联系","YC_LRRQ":"2026-10-01","YC_JG":"厦门市市场监督管理局","YC_JGDM":"9135021359498494XQ","YC_SJLY":"厦门市市场监督管理局","YC_SJLYDM":"9135021359498494XQ"}"#
            let r = try await client.execute(uri: "/api/v1/submissions", method: .post,
                                             headers: [.contentType: "application/json", .authorization: "Bearer \(dept.token)"],
                                             body: ByteBuffer(string: #"{"item":"jyyc","records":["# + listed + "]}"))
            #expect(try Self.json(r)["created"] as? Int == 1)

            let index = String(buffer: try await client.execute(uri: "/lists", method: .get).body)
            #expect(index.contains("href=\"/lists/anomaly\"") && index.contains("href=\"/lists/black\"") && index.contains("href=\"/lists/red\""))
            #expect(index.contains("经营异常名录</a> <span class=\"count\">1</span>"))
            let anomaly = try await client.execute(uri: "/lists/anomaly", method: .get)
            let anomalyHTML = String(buffer: anomaly.body)
            #expect(anomaly.status == .ok && anomalyHTML.contains("厦门异常测试科技有限公司") && anomalyHTML.contains("第十七条"))
            #expect(anomalyHTML.contains("共 <strong>1 条</strong>") && anomalyHTML.contains("href=\"/lists\""))
            #expect(String(buffer: try await client.execute(uri: "/lists/black", method: .get).body).contains("共 <strong>0 条</strong>"))
            let wrongKind = try await client.execute(uri: "/lists/anomaly?item=xzcf", method: .get)
            #expect(wrongKind.status == .unprocessableContent)
            let api = try Self.json(try await client.execute(uri: "/api/v1/public-records?item=jyyc", method: .get))
            #expect(api["total"] as? Int == 1)
            #expect(try await client.execute(uri: "/api/v1/public-records?item=zyzg", method: .get).status == .unprocessableContent)

            // Search: the listed subject carries its mark; kind and status narrow the results.
            let q = "异常测试".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            let found = String(buffer: try await client.execute(uri: "/search?q=\(q)", method: .get).body)
            #expect(found.contains("共找到 <strong>1</strong>") && found.contains("href=\"/subjects/91350200776049653A#sec-jyyc\">经营异常名录</a>"))
            #expect(String(buffer: try await client.execute(uri: "/search?q=\(q)&status=deregistered", method: .get).body).contains("共找到 <strong>0</strong>"))
            #expect(String(buffer: try await client.execute(uri: "/search?q=\(q)&kind=individual_business", method: .get).body).contains("共找到 <strong>0</strong>"))
            let filtered = String(buffer: try await client.execute(uri: "/search?q=\(q)&kind=enterprise&status=active", method: .get).body)
            #expect(filtered.contains("共找到 <strong>1</strong>") && filtered.contains("<option value=\"active\" selected>"))
            let badKind = try await client.execute(uri: "/search?q=\(q)&kind=nope", method: .get)
            #expect(badKind.status == .unprocessableContent && String(buffer: badKind.body).contains("未知的主体类型"))
            let apiSearch = try Self.json(try await client.execute(uri: "/api/v1/subjects?q=\(q)&status=revoked,deregistered", method: .get))
            #expect(apiSearch["total"] as? Int == 0)
            #expect(try await client.execute(uri: "/api/v1/subjects?q=\(q)&status=closed", method: .get).status == .unprocessableContent)

            // The subject page: one section per kind of information, counts in the section list.
            let page = String(buffer: try await client.execute(uri: "/subjects/91350200776049653A", method: .get).body)
            #expect(page.contains("<a href=\"#sec-jyyc\">经营异常名录<span class=\"count\">1</span></a>") && page.contains("id=\"sec-jyyc\""))
            #expect(page.contains("<span>行政处罚 0</span>") && page.contains("<span>守信激励 0</span>") && page.contains("<span>信用评价 0</span>"))
            #expect(page.contains("class=\"risk risk-jyyc\" href=\"#sec-jyyc\"") && page.contains("通过登记的住所或者经营场所无法联系"))
        }
    }

    /// Articles: written and published by the credit office in the console (versions kept, a stale
    /// edit refused), shown on the site only while published, never with markup of their own; and
    /// the audit log of sign-ins and changes, scoped by department.
    @Test func articlesAndTheAuditLog() async throws {
        try await withApp { w, client in
            let (office, clerk) = try await Self.officeAndClerk(w, client)
            func post(_ uri: String, _ s: (cookie: String, csrf: String), _ fields: [(String, String)] = []) async throws -> TestResponse {
                try await Self.postForm(client, uri, session: s, fields)
            }
            let form = try await client.execute(uri: "/console/articles/new", method: .get, headers: [.cookie: office.cookie])
            #expect(form.status == .ok && String(buffer: form.body).contains("name=\"body\""))
            #expect(try await client.execute(uri: "/console/articles/new", method: .get, headers: [.cookie: clerk.cookie]).status == .forbidden)
            #expect(try await post("/console/articles", clerk, [("title", "x"), ("body", "y"), ("column", "notice"), ("status", "published")]).status == .forbidden)

            // A draft first: not on the site.
            let body = "# 报送要求\n\n请于**每月 5 日前**报送。<script>alert(1)</script>\n\n[双公示](/shuanggongshi)"
            let created = try await post("/console/articles", office, [("title", "关于做好双公示报送工作的通知"), ("body", body),
                                                                       ("column", "notice"), ("status", "draft"), ("published_on", "")])
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            let id = try #require(location.firstMatch(of: /\/console\/articles\/(\d+)/).map { String($0.output.1) })
            #expect(try await client.execute(uri: "/articles/\(id)", method: .get).status == .notFound)
            #expect(!String(buffer: try await client.execute(uri: "/", method: .get).body).contains("关于做好双公示报送工作的通知"))

            // Published: on the site, dated today, with only our own markup.
            let edit = String(buffer: try await client.execute(uri: "/console/articles/\(id)", method: .get, headers: [.cookie: office.cookie]).body)
            #expect(edit.contains("name=\"version\" value=\"1\"") && edit.contains("&lt;script&gt;"))
            #expect(try await post("/console/articles/\(id)", office, [("title", "关于做好双公示报送工作的通知"), ("body", body), ("column", "notice"),
                                                                     ("status", "published"), ("published_on", ""), ("version", "1")]).status == .seeOther)
            let page = try await client.execute(uri: "/articles/\(id)", method: .get)
            let html = String(buffer: page.body)
            #expect(page.status == .ok && html.contains("<h2>报送要求</h2>") && html.contains("<strong>每月 5 日前</strong>"))
            #expect(html.contains("&lt;script&gt;") && !html.contains("<script>") && html.contains("<a href=\"/shuanggongshi\">双公示</a>"))
            #expect(html.contains("发布日期 \(CivilDate.today())"))
            #expect(String(buffer: try await client.execute(uri: "/", method: .get).body).contains("/articles/\(id)"))
            #expect(String(buffer: try await client.execute(uri: "/articles?column=notice", method: .get).body).contains("/articles/\(id)"))
            #expect(!String(buffer: try await client.execute(uri: "/articles?column=policy", method: .get).body).contains("/articles/\(id)"))

            // A stale edit (version 1 again) is refused with the reason, nothing is lost; the replaced version is kept.
            let stale = try await post("/console/articles/\(id)", office, [("title", "改"), ("body", "改"), ("column", "notice"),
                                                                            ("status", "withdrawn"), ("version", "1")])
            #expect(stale.status == .conflict && String(buffer: stale.body).contains("已被他人修改"))
            let bad = try await post("/console/articles/\(id)", office, [("title", ""), ("body", "改"), ("column", "notice"), ("status", "published"), ("version", "2")])
            #expect(bad.status == .unprocessableContent && String(buffer: bad.body).contains("请填写标题"))
            #expect(try await post("/console/articles/\(id)", office, [("title", "关于做好双公示报送工作的通知"), ("body", body), ("column", "notice"),
                                                                     ("status", "withdrawn"), ("version", "2")]).status == .seeOther)
            #expect(try await client.execute(uri: "/articles/\(id)", method: .get).status == .notFound)
            let store = w.platform.store
            #expect(try await store.articleVersions(id: Int64(id)!) == 2)

            // The audit log: sign-ins, the refused and the accepted changes, with who and the outcome.
            let audit = String(buffer: try await client.execute(uri: "/console/audit", method: .get, headers: [.cookie: office.cookie]).body)
            #expect(audit.contains("信用办张敏") && audit.contains("修改文章") && audit.contains("新建文章") && audit.contains("登录"))
            #expect(audit.contains(">409<") && audit.contains(">403<") && audit.contains("李文"))
            // Department staff see their own department's lines only.
            let own = String(buffer: try await client.execute(uri: "/console/audit", method: .get, headers: [.cookie: clerk.cookie]).body)
            #expect(own.contains("李文") && !own.contains("信用办张敏") && own.contains("市场监督管理局"))
            #expect(try await client.execute(uri: "/console/audit", method: .get).status == .unauthorized)
            let entries = try await w.platform.store.auditEntries(department: nil, before: nil, limit: 100)
            #expect(entries.contains { $0.action == "新建文章" && $0.status == 303 && $0.target == "/console/articles" })
        }
    }

    /// Every page against every role: the public site for everyone; the console for signed-in
    /// staff only (never an API key); the credit office's pages for administrators only.
    @Test func everyPageForEveryRole() async throws {
        try await withApp { w, client in
            let (office, clerk) = try await Self.officeAndClerk(w, client)
            _ = try await w.platform.createAccount(username: "reviewer", displayName: "赵审", role: .departmentReviewer, department: "SWJ",
                                                   subjectCode: nil, password: "reviewer-password-1")
            _ = try await w.platform.createAccount(username: "firm", displayName: "企业经办人", role: .subjectUser, department: nil,
                                                   subjectCode: DemoData(seed: 3).subject(0).code, password: "firm-password-12")
            let reviewer = try await Self.signIn(client, username: "reviewer", password: "reviewer-password-1")
            let firm = try await Self.signIn(client, username: "firm", password: "firm-password-12")
            let q = "厦门".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            let publicPages = ["/", "/search?q=\(q)", "/shuanggongshi", "/lists", "/lists/red", "/lists/black", "/lists/anomaly", "/lists/measures",
                               "/articles", "/objections", "/repair", "/reports", "/quality-rules", "/track"]
            let staffPages = ["/console/submissions", "/console/quality", "/console/audit", "/console/catalog", "/console/catalog/xzcf",
                              "/console/checks", "/console/measures", "/console/lists", "/console/rights"]
            let adminPages = ["/console/admin", "/console/links", "/console/articles", "/console/articles/new", "/console/checks/statistics"]
            let callers: [(String, HTTPFields, HTTPResponse.Status, HTTPResponse.Status)] = [
                // who, headers, expected on staff pages, expected on admin pages
                ("anonymous", [:], .unauthorized, .unauthorized),
                ("api key", [.authorization: "Bearer \(w.adminKey)"], .unauthorized, .unauthorized),
                ("subject user", [.cookie: firm.cookie], .forbidden, .forbidden),
                ("department submitter", [.cookie: clerk.cookie], .ok, .forbidden),
                ("department reviewer", [.cookie: reviewer.cookie], .ok, .forbidden),
                ("administrator", [.cookie: office.cookie], .ok, .ok),
            ]
            for (who, headers, staff, admin) in callers {
                for page in publicPages {
                    let r = try await client.execute(uri: page, method: .get, headers: headers)
                    #expect(r.status == .ok, "\(who) \(page)")
                    #expect(String(buffer: r.body).contains("<html lang=\"zh-CN\">"), "\(who) \(page)")
                }
                // Sign-in is for those not signed in; the others are sent to their account.
                #expect(try await client.execute(uri: "/login", method: .get, headers: headers).status == (headers.isEmpty ? .ok : .found), "\(who)")
                for page in staffPages {
                    #expect(try await client.execute(uri: page, method: .get, headers: headers).status == staff, "\(who) \(page)")
                }
                for page in adminPages {
                    #expect(try await client.execute(uri: page, method: .get, headers: headers).status == admin, "\(who) \(page)")
                }
            }
        }
    }

    /// The catalog in the console: staff read it; the credit office adds an optional local field
    /// and local code-list values, which the templates use at once.
    @Test func catalogPages() async throws {
        try await withApp { w, client in
            let (office, clerk) = try await Self.officeAndClerk(w, client)
            let index = String(buffer: try await client.execute(uri: "/console/catalog", method: .get, headers: [.cookie: clerk.cookie]).body)
            #expect(index.contains("href=\"/console/catalog/xzcf\"") && index.contains("严重失信主体名单") && index.contains("按处罚决定"))
            let item = String(buffer: try await client.execute(uri: "/console/catalog/xzxk", method: .get, headers: [.cookie: clerk.cookie]).body)
            #expect(item.contains("XK_WSH") && item.contains("xklb") && !item.contains("添加本地字段"))
            #expect(try await Self.postForm(client, "/console/catalog/xzxk/fields", session: clerk,
                                            [("name", "LOCAL_X"), ("label", "本地"), ("kind", "text")]).status == .forbidden)

            let bad = try await Self.postForm(client, "/console/catalog/xzxk/fields", session: office,
                                              [("name", "XK_WSH"), ("label", "重复"), ("kind", "text"), ("max_length", ""), ("code_list", "")])
            #expect(bad.status == .unprocessableContent && String(buffer: bad.body).contains("value=\"重复\""))
            let added = try await Self.postForm(client, "/console/catalog/xzxk/fields", session: office,
                                                [("name", "LOCAL_XMBH"), ("label", "本地项目编号"), ("kind", "text"), ("max_length", "40"), ("code_list", "")])
            #expect(added.status == .seeOther)
            let after = String(buffer: try await client.execute(uri: "/console/catalog/xzxk?done=field", method: .get, headers: [.cookie: office.cookie]).body)
            #expect(after.contains("LOCAL_XMBH") && after.contains("本地项目编号 <span class=\"tag\">本地</span>") && after.contains("已添加本地字段"))
            let template = String(buffer: try await client.execute(uri: "/api/v1/catalog/items/xzxk/template.csv", method: .get).body)
            #expect(template.contains("本地项目编号"))

            let list = try await Self.postForm(client, "/console/catalog/code-lists/xklb", session: office, [("item", "xzxk"), ("values", "备案\n\n告知承诺")])
            #expect(list.status == .seeOther)
            let catalog = try await w.platform.store.catalog()
            #expect(catalog.codeLists["xklb"]?.suffix(2) == ["备案", "告知承诺"])
            let audit = try await w.platform.store.auditEntries(department: nil, before: nil, limit: 20)
            #expect(audit.contains { $0.action == "为目录项添加本地字段" && $0.status == 303 })
        }
    }

    /// The headline figures are counted ahead: a cached count stays until the background refresh
    /// counts again (visitors never wait for a count), and a new day counts afresh.
    @Test func headlineFiguresAreRefreshedAhead() async throws {
        try await withApp { w, client in
            let figures = HeadlineFigures(lifetime: .seconds(300))
            let today = CivilDate.today()
            try await figures.refresh(store: w.platform.store, today: today)
            let before = try await figures.current(store: w.platform.store, today: today)
            #expect(before.subjects == 201 && before.penalties == 0)
            _ = try await w.platform.store.createSubject(try SubjectRules.validate(
                SubjectDraft(code: Fixtures.validUSCCs[0], name: "厦门新登记测试有限公司"), validator: IdentifierValidator(), today: today), actor: "test")
            #expect(try await figures.current(store: w.platform.store, today: today) == before)
            try await figures.refresh(store: w.platform.store, today: today)
            #expect(try await figures.current(store: w.platform.store, today: today).subjects == 202)
            #expect(try await figures.current(store: w.platform.store, today: today.adding(days: 1)).subjects == 202)
        }
    }

    /// A local catalog item typed in the console: refused with the line at fault, then saved; a
    /// department submits to it at once and the public record shows under 其他信息.
    @Test func localItemFromTheConsole() async throws {
        try await withApp { w, client in
            let (office, clerk) = try await Self.officeAndClerk(w, client)
            #expect(try await client.execute(uri: "/console/catalog/new", method: .get, headers: [.cookie: clerk.cookie]).status == .forbidden)
            let form = try await client.execute(uri: "/console/catalog/new", method: .get, headers: [.cookie: office.cookie])
            #expect(form.status == .ok && String(buffer: form.body).contains("name=\"natural_key\""))
            var fields: [(String, String)] = [
                ("code", "hbxy"), ("name", "环保信用评价"), ("category", "信用评价结果信息"), ("openness", "public"), ("publicity", "validity"),
                ("fields", "HB_MC，主体名称，文本，必填\nHB_DM，统一社会信用代码，统一社会信用代码，必填\nHB_DJ，评价等级，图片，必填\nHB_RQ，评价日期，日期，必填"),
                ("natural_key", "HB_DM + HB_RQ"), ("subject_name", "HB_MC"), ("subject_code", "HB_DM"), ("decision_date", "HB_RQ"), ("valid_until", ""),
            ]
            let bad = try await Self.postForm(client, "/console/catalog", session: office, fields)
            #expect(bad.status == .unprocessableContent && String(buffer: bad.body).contains("字段第 3 行"))
            #expect(String(buffer: bad.body).contains("环保信用评价"))   // what was typed is kept
            fields[5].1 = fields[5].1.replacingOccurrences(of: "图片", with: "文本")
            let saved = try await Self.postForm(client, "/console/catalog", session: office, fields)
            #expect(saved.status == .seeOther && saved.headers[.location] == "/console/catalog/hbxy?done=item")
            #expect(try await Self.postForm(client, "/console/catalog", session: office, fields).status == .conflict)

            let dept = try await w.platform.createAPIKey(name: "生态环境局接口", role: .apiClient, department: "STHJJ")
            let r = try Self.json(try await client.execute(uri: "/api/v1/submissions", method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer \(dept.token)"],
                body: ByteBuffer(string: #"{"item":"hbxy","records":[{"HB_MC":"厦门环评测试有限公司","HB_DM":"91350200776049653A","HB_DJ":"环保诚信企业","HB_RQ":"2026-06-01"}]}"#)))
            #expect(r["created"] as? Int == 1)
            let page = String(buffer: try await client.execute(uri: "/subjects/91350200776049653A", method: .get).body)
            #expect(page.contains("id=\"sec-other\"") && page.contains("环保诚信企业"))
            // API routes are named in the audit log as the console's are.
            let audit = try await w.platform.store.auditEntries(department: "STHJJ", before: nil, limit: 10)
            #expect(audit.contains { $0.action == "报送数据" && $0.status == 201 && $0.actorName == "生态环境局接口" })
        }
    }

    /// The credit office's administration in the console: departments, accounts (create with a
    /// generated password shown once, disable, enable, reset) and API keys (create, revoke).
    @Test func consoleAdministration() async throws {
        try await withApp { w, client in
            let (office, clerk) = try await Self.officeAndClerk(w, client)
            func post(_ uri: String, _ s: (cookie: String, csrf: String), _ fields: [(String, String)] = []) async throws -> TestResponse {
                try await Self.postForm(client, uri, session: s, fields)
            }
            func secret(_ r: TestResponse) -> String? {
                let html = String(buffer: r.body)
                return html.firstMatch(of: /<p class="secret code">([^<]+)<\/p>/).map { String($0.output.1) }
            }
            #expect(try await client.execute(uri: "/console/admin", method: .get, headers: [.cookie: clerk.cookie]).status == .forbidden)
            #expect(try await post("/console/admin/departments", clerk, [("code", "WSJ"), ("dept_name", "卫生健康委员会")]).status == .forbidden)

            // A department, then a person in it.
            let bad = try await post("/console/admin/departments", office, [("code", "卫健"), ("dept_name", "卫生健康委员会")])
            #expect(bad.status == .unprocessableContent && String(buffer: bad.body).contains("部门代码应为"))
            let saved = try await post("/console/admin/departments", office, [("code", "wsj"), ("dept_name", "卫生健康委员会")])
            #expect(saved.status == .seeOther && saved.headers[.location] == "/console/admin?done=department")
            #expect(try await w.platform.store.departments().contains(Department(code: "WSJ", name: "卫生健康委员会")))
            let created = try await post("/console/admin/accounts", office, [("username", "Wang.WSJ"), ("display_name", "王卫"),
                                                                             ("role", "department_submitter"), ("department", "WSJ")])
            #expect(created.status == .ok && created.headers[.cacheControl] == "no-store")
            let password = try #require(secret(created))
            let wang = try await Self.signIn(client, username: "wang.wsj", password: password)
            #expect(String(buffer: try await client.execute(uri: "/account", method: .get, headers: [.cookie: wang.cookie]).body).contains("卫生健康委员会"))
            let missingDept = try await post("/console/admin/accounts", office, [("username", "nodept"), ("display_name", "无部门"),
                                                                                 ("role", "department_submitter"), ("department", "")])
            #expect(missingDept.status == .unprocessableContent && String(buffer: missingDept.body).contains("必须属于一个部门"))
            #expect(String(buffer: missingDept.body).contains("value=\"nodept\""))   // what was typed is kept

            // Disable: signed out at once and cannot sign in; enable; reset gives a new password.
            let id = try #require(try await w.platform.store.credentials(username: "wang.wsj")?.account.id)
            #expect(try await post("/console/admin/accounts/\(id)/disable", office).status == .seeOther)
            #expect(try await client.execute(uri: "/account", method: .get, headers: [.cookie: wang.cookie]).status == .unauthorized)
            let refused = try await client.execute(uri: "/login", method: .post,
                                                   headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "xy_csrf=t"],
                                                   body: ByteBuffer(string: "_csrf=t&username=wang.wsj&password=\(password)"))
            #expect(refused.status == .unauthorized)
            #expect(try await post("/console/admin/accounts/\(id)/enable", office).status == .seeOther)
            let reset = try await post("/console/admin/accounts/\(id)/reset", office)
            let newPassword = try #require(secret(reset))
            #expect(newPassword != password)
            _ = try await Self.signIn(client, username: "wang.wsj", password: newPassword)
            let officeID = try #require(try await w.platform.store.credentials(username: "office")?.account.id)
            let selfDisable = try await post("/console/admin/accounts/\(officeID)/disable", office)
            #expect(selfDisable.status == .conflict && String(buffer: selfDisable.body).contains("不能停用自己"))

            // An API key for another system: shown once, works, then revoked.
            let key = try await post("/console/admin/keys", office, [("key_name", "政务服务网"), ("key_role", "api_client"), ("department", "")])
            let token = try #require(secret(key))
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .ok)
            let prefix = String(token.split(separator: "_")[1])
            #expect(try await post("/console/admin/keys/\(prefix)/revoke", office).status == .seeOther)
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .unauthorized)
            // Submissions by department: one from 市场监管局, seen unfiltered and not under 卫健委.
            let dept = try await w.platform.createAPIKey(name: "市场监管局接口", role: .apiClient, department: "SCJGJ")
            _ = try await client.execute(uri: "/api/v1/submissions", method: .post,
                                         headers: [.contentType: "application/json", .authorization: "Bearer \(dept.token)"],
                                         body: ByteBuffer(string: #"{"item":"xzcf","records":[{"CF_XDR_MC":"缺字段"}]}"#))
            let all = String(buffer: try await client.execute(uri: "/console/submissions", method: .get, headers: [.cookie: office.cookie]).body)
            #expect(all.contains("<td>市场监督管理局</td>") && !all.contains("还没有提交"))
            let filtered = String(buffer: try await client.execute(uri: "/console/submissions?from_department=WSJ", method: .get,
                                                                   headers: [.cookie: office.cookie]).body)
            #expect(filtered.contains("<option value=\"WSJ\" selected>卫生健康委员会</option>") && filtered.contains("还没有提交"))
            #expect(!filtered.contains("<td>市场监督管理局</td>"))
            let page = String(buffer: try await client.execute(uri: "/console/admin", method: .get, headers: [.cookie: office.cookie]).body)
            #expect(page.contains("王卫") && page.contains("已撤销") && page.contains(prefix) && !page.contains(token))

            let audit = try await w.platform.store.auditEntries(department: nil, before: nil, limit: 100)
            #expect(audit.contains { $0.action == "新建账号" && $0.status == 200 && $0.actorName == "信用办张敏" })
            #expect(audit.contains { $0.action == "撤销 API 密钥" && $0.status == 303 })
            #expect(audit.contains { $0.action == "新增或修改部门" && $0.status == 403 && $0.actorName == "李文" })
            // The accounts made through Platform (the command line's path) are audited as cli.
            #expect(audit.contains { $0.actor == "cli" && $0.action == "新建账号" && $0.target.hasSuffix(" clerk") })
        }
    }

    /// Quality figures through the API, the exports, the console page and the public rules page.
    @Test func qualityFiguresAndExports() async throws {
        try await withApp { w, client in
            let dept = try await w.platform.createAPIKey(name: "市场监管局接口", role: .apiClient, department: "SCJGJ")
            let tax = try await w.platform.createAPIKey(name: "税务局接口", role: .apiClient, department: "SWJ")
            let good = #"{"CF_XDR_MC":"厦门示例科技有限公司","CF_XDR_LB":"法人及非法人组织","CF_XDR_SHXYM":"91350200776049653A","CF_FRDB":"王伟","CF_WSH":"厦市监处罚〔2026〕61号","CF_WFXW":"虚假宣传","CF_SY":"事实","CF_YJ":"依据","CF_CFLB":"警告","CF_NR":"警告","CF_JDRQ":"2026-03-05","CF_YXQ":"2027-01-01","CF_CFJG":"厦门市市场监督管理局","CF_CFJGDM":"9135021359498494XQ","CF_SJLY":"厦门市市场监督管理局","CF_SJLYDM":"9135021359498494XQ"}"#
            let body = #"{"item":"xzcf","records":["# + good + #",{"CF_XDR_MC":"缺字段"}]}"#
            _ = try await client.execute(uri: "/api/v1/submissions", method: .post,
                                         headers: [.contentType: "application/json", .authorization: "Bearer \(dept.token)"], body: ByteBuffer(string: body))

            let own = try Self.json(try await client.execute(uri: "/api/v1/quality", method: .get, headers: [.authorization: "Bearer \(dept.token)"]))
            #expect(own["department"] as? String == "SCJGJ")
            let total = own["total"] as? [String: Any] ?? [:]
            #expect(total["rows"] as? Int == 2 && total["accepted"] as? Int == 1 && total["compliance_rate"] as? String == "0.5000")
            // Decided 2026-03-05 and delivered today: late.
            #expect(total["delivered"] as? Int == 1 && total["on_time"] as? Int == 0 && total["on_time_rate"] as? String == "0.0000")
            let reasons = own["reasons"] as? [[String: Any]] ?? []
            #expect(reasons.contains { $0["kind"] as? String == "required" && $0["field"] as? String == "CF_WSH" && $0["rows"] as? Int == 1 })
            #expect((own["months"] as? [Any])?.count == 6)

            // Another department sees only its own (nothing), and cannot ask for this one.
            let other = try Self.json(try await client.execute(uri: "/api/v1/quality", method: .get, headers: [.authorization: "Bearer \(tax.token)"]))
            #expect((other["total"] as? [String: Any])?["rows"] as? Int == 0)
            #expect(try await client.execute(uri: "/api/v1/quality?department=SCJGJ", method: .get,
                                             headers: [.authorization: "Bearer \(tax.token)"]).status == .forbidden)
            #expect(try await client.execute(uri: "/api/v1/quality", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/v1/quality?from=2026-13", method: .get,
                                             headers: [.authorization: "Bearer \(w.adminKey)"]).status == .unprocessableContent)

            let csv = String(buffer: try await client.execute(uri: "/api/v1/quality.csv?department=SCJGJ", method: .get,
                                                             headers: [.authorization: "Bearer \(w.adminKey)"]).body)
            #expect(csv.contains("合规率") && csv.contains("市场监督管理局,行政处罚,1,2,1,1,0,50.0%"))
            let xlsx = try await client.execute(uri: "/api/v1/quality.xlsx", method: .get, headers: [.authorization: "Bearer \(w.adminKey)"])
            let sheet = try XLSXReader(data: Data(xlsx.body.readableBytesView)).records()
            #expect(sheet.contains { $0.fields.first == "市场监督管理局" && $0.fields.contains("50.0%") })

            let rules = try await client.execute(uri: "/quality-rules", method: .get)
            #expect(rules.status == .ok && String(buffer: rules.body).contains("处罚决定书文号") && String(buffer: rules.body).contains("7 个工作日"))
            _ = try await w.platform.createAccount(username: "office", displayName: "信用办", role: .admin, department: nil,
                                                   subjectCode: nil, password: "office-password-1")
            let office = try await Self.signIn(client, username: "office", password: "office-password-1")
            let page = String(buffer: try await client.execute(uri: "/console/quality", method: .get, headers: [.cookie: office.cookie]).body)
            #expect(page.contains("<svg class=\"chart\"") && page.contains("50.0%") && page.contains("必填项缺失"))
        }
    }

    /// The credit office's link queue over HTTP: only administrators, held pilot codes confirmed with a reason.
    @Test func linkQueueAPI() async throws {
        try await withApp { w, client in
            let dept = try await w.platform.createAPIKey(name: "市场监管局接口", role: .apiClient, department: "SCJGJ")
            let row = #"{"CF_XDR_MC":"厦门试点赋码有限公司","CF_XDR_LB":"法人及非法人组织","CF_XDR_SHXYM":"\#(Fixtures.pilotUSCC)","CF_FRDB":"王伟","CF_WSH":"厦市监处罚〔2026〕81号","CF_WFXW":"虚假宣传","CF_SY":"事实","CF_YJ":"依据","CF_CFLB":"警告","CF_NR":"警告","CF_JDRQ":"2026-06-01","CF_YXQ":"2027-01-01","CF_CFJG":"厦门市市场监督管理局","CF_CFJGDM":"9135021359498494XQ","CF_SJLY":"厦门市市场监督管理局","CF_SJLYDM":"9135021359498494XQ"}"#
            let r = try Self.json(try await client.execute(uri: "/api/v1/submissions", method: .post,
                                                          headers: [.contentType: "application/json", .authorization: "Bearer \(dept.token)"],
                                                          body: ByteBuffer(string: #"{"item":"xzcf","records":["# + row + "]}")))
            #expect(r["held"] as? Int == 1)
            #expect(try await client.execute(uri: "/api/v1/link-queue", method: .get, headers: [.authorization: "Bearer \(dept.token)"]).status == .forbidden)
            let admin: HTTPFields = [.authorization: "Bearer \(w.adminKey)", .contentType: "application/json"]
            let queue = try Self.json(try await client.execute(uri: "/api/v1/link-queue", method: .get, headers: admin))
            let entry = try #require((queue["entries"] as? [[String: Any]])?.first)
            #expect(entry["kind"] as? String == "held" && entry["code"] as? String == Fixtures.pilotUSCC)
            let path = "/api/v1/link-queue/held/\(entry["submission_id"] as! Int)/\(entry["row"] as! Int)"
            #expect(try await client.execute(uri: path, method: .post, headers: admin,
                                             body: ByteBuffer(string: #"{"action":"confirm","reason":""}"#)).status == .unprocessableContent)
            let ok = try await client.execute(uri: path, method: .post, headers: admin,
                                              body: ByteBuffer(string: #"{"action":"confirm","reason":"经核对营业执照原件"}"#))
            let confirmed = try Self.json(ok)
            #expect(ok.status == .ok && confirmed["submission_id"] as? Int != nil)
            let after = try Self.json(try await client.execute(uri: "/api/v1/link-queue", method: .get, headers: admin))
            #expect((after["entries"] as? [Any])?.isEmpty == true)
            let subject = try Self.json(try await client.execute(uri: "/api/v1/subjects/\(Fixtures.pilotUSCC)", method: .get))
            #expect(subject["name"] as? String == "厦门试点赋码有限公司")
            #expect(try await client.execute(uri: "/api/v1/reports/suspect-codes", method: .get, headers: admin).status == .ok)
        }
    }

    /// The link work in the console: a record with a placeholder code and an unknown name waits in
    /// the queue and is linked by hand; a held pilot-code row is confirmed with a reason.
    @Test func linkQueuePages() async throws {
        try await withApp { w, client in
            let dept = try await w.platform.createAPIKey(name: "市场监管局接口", role: .apiClient, department: "SCJGJ")
            func row(_ name: String, _ code: String, _ wsh: String) -> String {
                #"{"CF_XDR_MC":"\#(name)","CF_XDR_LB":"法人及非法人组织","CF_XDR_SHXYM":"\#(code)","CF_FRDB":"王伟","CF_WSH":"\#(wsh)","CF_WFXW":"虚假宣传","CF_SY":"事实","CF_YJ":"依据","CF_CFLB":"警告","CF_NR":"警告","CF_JDRQ":"2026-06-01","CF_YXQ":"2027-01-01","CF_CFJG":"厦门市市场监督管理局","CF_CFJGDM":"9135021359498494XQ","CF_SJLY":"厦门市市场监督管理局","CF_SJLYDM":"9135021359498494XQ"}"#
            }
            let body = #"{"item":"xzcf","records":["# + row("厦门无码待关联有限公司", "00000000000000000X", "厦市监处罚〔2026〕91号") + ","
                + row("厦门试点赋码有限公司", Fixtures.pilotUSCC, "厦市监处罚〔2026〕92号") + "]}"
            let r = try Self.json(try await client.execute(uri: "/api/v1/submissions", method: .post,
                                                          headers: [.contentType: "application/json", .authorization: "Bearer \(dept.token)"],
                                                          body: ByteBuffer(string: body)))
            #expect(r["held"] as? Int == 1 && r["created"] as? Int == 1)
            let (office, clerk) = try await Self.officeAndClerk(w, client)
            #expect(try await client.execute(uri: "/console/links", method: .get, headers: [.cookie: clerk.cookie]).status == .forbidden)
            let page = String(buffer: try await client.execute(uri: "/console/links", method: .get, headers: [.cookie: office.cookie]).body)
            #expect(page.contains("厦门无码待关联有限公司") && page.contains("厦门试点赋码有限公司") && page.contains("确认代码并入库"))
            let recordID = try #require(page.firstMatch(of: /action="\/console\/links\/records\/(\d+)"/).map { String($0.output.1) })
            let held = try #require(page.firstMatch(of: /action="(\/console\/links\/held\/\d+\/\d+)"/).map { String($0.output.1) })

            // Linking needs a code the registry knows; a held row needs a reason.
            let code = DemoData(seed: 3).subject(0).code
            let unknown = try await Self.postForm(client, "/console/links/records/\(recordID)", session: office, [("subject_code", "91350200MA00000000")])
            #expect(unknown.status == .notFound && String(buffer: unknown.body).contains("未找到代码为 91350200MA00000000 的主体"))
            #expect(try await Self.postForm(client, "/console/links/records/\(recordID)", session: office, [("subject_code", code)]).status == .seeOther)
            let noReason = try await Self.postForm(client, held, session: office, [("action", "confirm"), ("reason", " ")])
            #expect(noReason.status == .unprocessableContent && String(buffer: noReason.body).contains("请填写理由"))
            #expect(try await Self.postForm(client, held, session: office, [("action", "confirm"), ("reason", "经核对营业执照原件")]).status == .seeOther)
            let after = String(buffer: try await client.execute(uri: "/console/links?done=linked", method: .get, headers: [.cookie: office.cookie]).body)
            #expect(after.contains("队列为空") && after.contains("已关联"))
            let records = try Self.json(try await client.execute(uri: "/api/v1/subjects/\(code)/records", method: .get,
                                                                 headers: [.authorization: "Bearer \(w.adminKey)"]))
            #expect((records["records"] as? [[String: Any]])?.contains { ($0["fields"] as? [String: Any])?["CF_WSH"] as? String == "厦市监处罚〔2026〕91号" } == true)
            let audit = try await w.platform.store.auditEntries(department: nil, before: nil, limit: 50)
            #expect(audit.contains { $0.action == "人工关联记录与主体" && $0.status == 303 })
        }
    }

    /// Hostile and broken files over HTTP: each is refused whole with a reason, nothing is stored,
    /// and the server keeps answering.
    @Test func badFilesAreRefusedWholeAndTheServerKeepsServing() async throws {
        try await withApp { w, client in
            let dept = try await w.platform.createAPIKey(name: "市场监管局接口", role: .apiClient, department: "SCJGJ")
            let header = FileIntake.csvTemplate(Catalog.shipped.item("xzcf")!)
            func post(_ body: ByteBuffer, type: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/submissions?item=xzcf", method: .post,
                                         headers: [.authorization: "Bearer \(dept.token)", .contentType: type], body: body)
            }
            var cases: [(String, ByteBuffer, String, String)] = [
                ("a single 3 MB field", ByteBuffer(string: header + "\"" + String(repeating: "长", count: 1_000_000) + "\"\r\n"), "text/csv", "超过"),
                ("NUL bytes", ByteBuffer(string: header + "甲\u{0}乙,b\r\n"), "text/csv", ""),
                ("UTF-8 declared as GB18030", ByteBuffer(string: header), "text/csv; charset=gb18030", "编码"),
                ("GB18030 declared as UTF-8", ByteBuffer(bytes: header.dropFirst().data(using: CSVReader.gb18030)!), "text/csv; charset=utf-8", "UTF-8"),
                ("an unknown item's file", ByteBuffer(string: header), "text/csv", ""),
                ("an empty xlsx body", ByteBuffer(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ZIP"),
            ]
            // A zip bomb: a worksheet of repeated rows expanding several hundred times.
            let labels = FileIntake.headers(Catalog.shipped.item("xzcf")!)
            let archive = try Archive(accessMode: .create)
            let head = Data(("<worksheet><sheetData><row>" + labels.map { "<c t=\"inlineStr\"><is><t>\($0)</t></is></c>" }.joined() + "</row>").utf8)
            let row = Data(String(repeating: "<row><c t=\"inlineStr\"><is><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></is></c></row>", count: 4096).utf8)
            try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(head.count + row.count * 200),
                                 compressionMethod: .deflate, bufferSize: row.count) { (position: Int64, size: Int) -> Data in
                position == 0 ? head + row.prefix(size - head.count) : row.prefix(size)
            }
            let workbook = Data("<workbook/>".utf8)
            try archive.addEntry(with: "xl/workbook.xml", type: .file, uncompressedSize: Int64(workbook.count)) { (_: Int64, _: Int) -> Data in workbook }
            cases.append(("a zip bomb", ByteBuffer(bytes: archive.data!), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "解压后过大"))
            for (what, body, type, words) in cases {
                let r = what == "an unknown item's file"
                    ? try await client.execute(uri: "/api/v1/submissions?item=nope", method: .post,
                                               headers: [.authorization: "Bearer \(dept.token)", .contentType: type], body: body)
                    : try await post(body, type: type)
                #expect(r.status == .unprocessableContent, "\(what)")
                let detail = (try? Self.json(r)["detail"] as? String) ?? ""
                #expect(words.isEmpty || detail.contains(words), "\(what): \(detail)")
            }
            struct C: Decodable { var n: Int }
            let stored = try await w.platform.database.sql.raw("SELECT COUNT(*) AS n FROM submissions").first(decoding: C.self)
            #expect(stored?.n == 0)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    @Test func healthz() async throws {
        try await withApp { _, client in
            let r = try await client.execute(uri: "/healthz", method: .get)
            #expect(r.status == .ok)
        }
    }

    @Test func healthzIs503WhenTheDatabaseIsGone() async throws {
        try await TestBackend.withPlatform { p in
            let app = try buildApplication(config: p.config, store: p.store, showsSyntheticNotice: false, logger: TestBackend.logger)
            try await p.database.close()
            try await app.test(.router) { client in
                let r = try await client.execute(uri: "/healthz", method: .get)
                #expect(r.status == .serviceUnavailable)
                #expect(r.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
        }
    }

    @Test func identifierContract() async throws {
        try await withApp { _, client in
            let ok = try Self.json(try await client.execute(uri: "/api/v1/identifiers/91350200776049653A", method: .get))
            #expect(ok["valid"] as? Bool == true)
            #expect(ok["kind"] as? String == "uscc")
            #expect(ok["normalized"] as? String == "91350200776049653A")
            #expect(ok["reason"] is NSNull)
            #expect((ok["warnings"] as? [Any])?.isEmpty == true)
            #expect((ok["region"] as? [String: Any])?["name"] as? String == "福建省厦门市")

            let bad = try Self.json(try await client.execute(uri: "/api/v1/identifiers/91350203M0001QAY9B", method: .get))
            #expect(bad["valid"] as? Bool == false)
            #expect(bad["reason"] as? String == "统一社会信用代码校验位（第 18 位）应为 9，实际为 B")

            let junk = try Self.json(try await client.execute(uri: "/api/v1/identifiers/abc", method: .get))
            #expect(junk["kind"] is NSNull && junk["normalized"] is NSNull && junk["region"] is NSNull)

            let person = try Self.json(try await client.execute(uri: "/api/v1/identifiers/110105491231002", method: .get))
            #expect(person["kind"] as? String == "resident_id" && person["normalized"] as? String == "11010519491231002X")
        }
    }

    @Test func subjectLookupAndNotFoundProblem() async throws {
        try await withApp { w, client in
            let code = DemoData(seed: 3).subject(0).code
            let r = try await client.execute(uri: "/api/v1/subjects/\(code.lowercased())", method: .get)
            #expect(r.status == .ok)
            let body = try Self.json(r)
            #expect(body["code"] as? String == code)
            #expect(body["synthetic"] as? Bool == true)
            #expect(r.headers[.eTag] == "\"1\"")

            let missing = try await client.execute(uri: "/api/v1/subjects/91350200776049653A", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "application/problem+json; charset=utf-8")
            let p = try Self.json(missing)
            #expect(p["status"] as? Int == 404 && p["type"] as? String == "/problems/not-found")
            #expect((p["detail"] as? String)?.contains("未找到") == true)
        }
    }

    @Test func naturalPersonsAreHiddenFromThePublicAndMaskedForStaff() async throws {
        try await withApp { w, client in
            let anon = try await client.execute(uri: "/api/v1/subjects/\(Fixtures.residentID)", method: .get)
            #expect(anon.status == .notFound)
            #expect(!String(buffer: anon.body).contains("19491231"))
            let staff = try await client.execute(uri: "/api/v1/subjects/\(Fixtures.residentID)", method: .get,
                                                 headers: [.authorization: "Bearer \(w.clientKey)"])
            #expect(staff.status == .ok)
            let text = String(buffer: staff.body)
            #expect(text.contains("110105********002X"))
            #expect(!text.contains("19491231"))
            let id = try Self.json(staff)["id"] as! Int
            let log = try await w.platform.store.accessLog(subjectID: Int64(id))
            #expect(log.count == 1 && log[0].actor.hasPrefix("apikey:"))
            let search = try await client.execute(uri: "/api/v1/subjects?q=\(Fixtures.residentID)", method: .get)
            #expect(try Self.json(search)["total"] as? Int == 0)
        }
    }

    @Test func aSubjectUserSeesOnlyItsOwnPersonRecord() async throws {
        try await withApp { w, client in
            let p = w.platform
            let own = try await p.createAccount(username: "zhangsan", displayName: "张三", role: .subjectUser, department: nil,
                                                subjectCode: Fixtures.residentID, password: "zhangsan-password")
            #expect(own.generatedPassword == nil)
            let other = try await p.createAccount(username: "other", displayName: "其他主体", role: .subjectUser, department: nil,
                                                  subjectCode: DemoData(seed: 3).subject(0).code, password: nil)
            #expect(other.generatedPassword?.count == 20)
            for (account, token) in [(own.account, "tok-own"), (other.account, "tok-other")] {
                try await p.store.createSession(tokenHash: Tokens.sha256Hex(token), accountID: account.id, csrfToken: "c",
                                                expiresAt: Date().addingTimeInterval(60))
            }
            let mine = try await client.execute(uri: "/api/v1/subjects/\(Fixtures.residentID)", method: .get,
                                                headers: [.cookie: "xy_session=tok-own"])
            #expect(mine.status == .ok)
            #expect(String(buffer: mine.body).contains("110105********002X"))
            let notMine = try await client.execute(uri: "/api/v1/subjects/\(Fixtures.residentID)", method: .get,
                                                   headers: [.cookie: "xy_session=tok-other"])
            #expect(notMine.status == .notFound)
            await #expect(throws: DomainError.self) {
                _ = try await p.createAccount(username: "x", displayName: "短", role: .admin, department: nil, subjectCode: nil, password: nil)
            }
        }
    }

    @Test func searchContract() async throws {
        try await withApp { _, client in
            let q = "厦门".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            let r = try Self.json(try await client.execute(uri: "/api/v1/subjects?q=\(q)&per_page=1000", method: .get))
            #expect(r["per_page"] as? Int == 100)
            #expect(r["page"] as? Int == 1)
            #expect((r["total"] as? Int ?? 0) > 100)
            #expect((r["items"] as? [Any])?.count == 100)
            let missing = try await client.execute(uri: "/api/v1/subjects", method: .get)
            #expect(missing.status == .unprocessableContent)
            #expect(try Self.json(missing)["field"] as? String == "q")
            let badPage = try await client.execute(uri: "/api/v1/subjects?q=\(q)&page=x", method: .get)
            #expect(badPage.status == .unprocessableContent)
            let badKind = try await client.execute(uri: "/api/v1/subjects?q=\(q)&kind=martian", method: .get)
            #expect(badKind.status == .unprocessableContent)
        }
    }

    @Test func writesNeedAnAdministrator() async throws {
        try await withApp { w, client in
            let body = ByteBuffer(string: #"{"code":"91350200776049653A","name":"厦门示例科技有限公司","established_on":"2019-03-05","registered_capital_yuan":5000000}"#)
            let json: HTTPFields = [.contentType: "application/json"]
            let anon = try await client.execute(uri: "/api/v1/subjects", method: .post, headers: json, body: body)
            #expect(anon.status == .unauthorized)
            #expect(anon.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            var asClient = json; asClient[.authorization] = "Bearer \(w.clientKey)"
            #expect(try await client.execute(uri: "/api/v1/subjects", method: .post, headers: asClient, body: body).status == .forbidden)
            var bogus = json; bogus[.authorization] = "Bearer xy_aaaaaaaaaa_notarealsecretnotarealsecret"
            #expect(try await client.execute(uri: "/api/v1/subjects", method: .post, headers: bogus, body: body).status == .unauthorized)

            var admin = json; admin[.authorization] = "Bearer \(w.adminKey)"
            let created = try await client.execute(uri: "/api/v1/subjects", method: .post, headers: admin, body: body)
            #expect(created.status == .created)
            #expect(created.headers[.location] == "/api/v1/subjects/91350200776049653A")
            #expect(try Self.json(created)["established_on"] as? String == "2019-03-05")
            #expect(try await client.execute(uri: "/api/v1/subjects", method: .post, headers: admin, body: body).status == .conflict)

            let invalid = try await client.execute(uri: "/api/v1/subjects", method: .post, headers: admin,
                                                   body: ByteBuffer(string: #"{"code":"91350200776049653B","name":"错误代码公司"}"#))
            #expect(invalid.status == .unprocessableContent)
            #expect(try Self.json(invalid)["detail"] as? String == "统一社会信用代码校验位（第 18 位）应为 A，实际为 B。如确认为早期试点赋码的真实代码，请设置 confirm_code_check_failure 后重新提交")
            let garbage = try await client.execute(uri: "/api/v1/subjects", method: .post, headers: admin, body: ByteBuffer(string: "{nope"))
            #expect(garbage.status == .unprocessableContent)

            let person = try await client.execute(uri: "/api/v1/subjects", method: .post, headers: admin,
                                                  body: ByteBuffer(string: #"{"code":"110105491231002","name":"李四"}"#))
            #expect(person.status == .conflict)   // the same person as the fixture, in its 15-digit form
            let newPerson = try await client.execute(uri: "/api/v1/subjects", method: .post, headers: admin,
                                                     body: ByteBuffer(string: #"{"code":"11010519800101001\#(IdentifierValidator.residentIDCheckCharacter("11010519800101001")!)","name":"王五"}"#))
            #expect(newPerson.status == .created)
            #expect(newPerson.headers[.location] == nil)
            #expect(!String(buffer: newPerson.body).contains("19800101"))

            var put = admin; put[.ifMatch] = "\"1\""
            let update = ByteBuffer(string: #"{"name":"厦门新名科技有限公司"}"#)
            let updated = try await client.execute(uri: "/api/v1/subjects/91350200776049653A", method: .put, headers: put, body: update)
            #expect(updated.status == .ok)
            #expect(updated.headers[.eTag] == "\"2\"")
            #expect(try await client.execute(uri: "/api/v1/subjects/91350200776049653A", method: .put, headers: put, body: update).status == .conflict)
        }
    }

    @Test func pagesAreChineseAndServedByTheApp() async throws {
        try await withApp { w, client in
            let home = try await client.execute(uri: "/", method: .get)
            #expect(home.status == .ok)
            #expect(home.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: home.body)
            #expect(html.contains("<html lang=\"zh-CN\">") && html.contains("信用测试") && html.contains("合成数据"))
            #expect(!html.contains("http://") && !html.contains("https://"))   // no external assets
            let css = try await client.execute(uri: "/assets/site.css", method: .get)
            #expect(css.status == .ok && css.headers[.cacheControl]?.contains("max-age") == true)

            let q = "厦门".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            let search = String(buffer: try await client.execute(uri: "/search?q=\(q)", method: .get).body)
            #expect(search.contains("共找到") && search.contains("/subjects/"))
            let code = DemoData(seed: 3).subject(0).code
            let page = String(buffer: try await client.execute(uri: "/subjects/\(code)", method: .get).body)
            #expect(page.contains(code) && page.contains("基本登记信息"))

            for (path, title) in [("/objections", "异议申诉"), ("/repair", "信用修复"), ("/reports", "信用报告")] {
                let rights = String(buffer: try await client.execute(uri: path, method: .get).body)
                // The workflows are open: each page says how to use the right here, with its basis.
                #expect(rights.contains("<h1>\(title)</h1>") && !rights.contains("尚未开通") && rights.contains("如何办理") && rights.contains("依据"), "\(path)")
                #expect(html.contains("href=\"\(path)\""), "home links \(path)")
            }

            // A search matching more than the site lists says so and stops at page 10.
            let manyQ = "有限".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            try await DemoData(seed: 9).load(into: w.platform.store, subjects: 300, logger: TestBackend.logger)
            let many = String(buffer: try await client.execute(uri: "/search?q=\(manyQ)", method: .get).body)
            #expect(many.contains("共找到 <strong>200+</strong>") && many.contains("第 1 / 10 页") && many.contains("只列出前 200 个"))
            #expect(try await client.execute(uri: "/search?q=\(manyQ)&page=11", method: .get).status == .unprocessableContent)

            // An identity number typed into the site search is neither searched nor echoed.
            let idSearch = try await client.execute(uri: "/search?q=\(Fixtures.residentID)", method: .get)
            let idHTML = String(buffer: idSearch.body)
            #expect(idSearch.status == .unprocessableContent && idHTML.contains("请勿输入身份证号码") && !idHTML.contains(Fixtures.residentID))
            let js = try await client.execute(uri: "/assets/site.js", method: .get)
            #expect(js.status == .ok && js.headers[.contentType]?.hasPrefix("text/javascript") == true && html.contains("<script src=\"/assets/site.js?v="))

            let missing = try await client.execute(uri: "/no-such-page", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(String(buffer: missing.body).contains("未找到"))
            let person = try await client.execute(uri: "/subjects/\(Fixtures.residentID)", method: .get)
            #expect(person.status == .notFound)
        }
    }

    @Test func anonymousReadingIsRateLimitedPerClient() async throws {
        // One a minute after a burst of three: however slow the database, no token comes back
        // during the test (the bucket arithmetic itself is tested in XinyongCore).
        try await withApp(extra: ["public_rate_per_minute": "1", "public_rate_burst": "3"]) { w, client in
            for _ in 0..<3 { #expect(try await client.execute(uri: "/shuanggongshi", method: .get).status == .ok) }
            let page = try await client.execute(uri: "/search?q=%E5%8E%A6%E9%97%A8", method: .get)
            #expect(page.status == .tooManyRequests)
            let wait = try #require(page.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...60).contains(wait))
            #expect(String(buffer: page.body).contains("查询过于频繁"))
            let api = try await client.execute(uri: "/api/v1/public-records", method: .get)
            #expect(api.status == .tooManyRequests && api.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            // Pages outside the budget, and accountable callers, go ahead.
            #expect(try await client.execute(uri: "/", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/public-records", method: .get,
                                             headers: [.authorization: "Bearer \(w.clientKey)"]).status == .ok)
        }
    }

    @Test func assetsArePinnedByContentVersion() async throws {
        try await withApp { _, client in
            let html = String(buffer: try await client.execute(uri: "/", method: .get).body)
            let href = try #require(html.firstMatch(of: #/href="(/assets/site\.css\?v=[0-9a-f]{12})"/#)?.output.1)
            let pinned = try await client.execute(uri: String(href), method: .get)
            #expect(pinned.status == .ok && pinned.headers[.cacheControl] == "public, max-age=31536000, immutable")
            let bare = try await client.execute(uri: "/assets/site.css", method: .get)
            #expect(bare.headers[.cacheControl] == "public, max-age=300")
            let etag = try #require(bare.headers[.eTag])
            let again = try await client.execute(uri: "/assets/site.css", method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified && again.body.readableBytes == 0)
            let robots = String(buffer: try await client.execute(uri: "/robots.txt", method: .get).body)
            #expect(robots.contains("Disallow: /search") && robots.contains("Disallow: /api/"))
        }
    }

    @Test func signInWithCSRFAndThrottling() async throws {
        try await withApp { _, client in
            let form = try await client.execute(uri: "/login", method: .get)
            let csrfCookie = try #require(form.headers[values: .setCookie].first { $0.hasPrefix("xy_csrf=") })
            let csrf = String(csrfCookie.dropFirst("xy_csrf=".count).prefix { $0 != ";" })
            #expect(String(buffer: form.body).contains("value=\"\(csrf)\""))
            let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "xy_csrf=\(csrf)"]

            let noToken = try await client.execute(uri: "/login", method: .post, headers: formType,
                                                   body: ByteBuffer(string: "username=admin&password=test-admin-password"))
            #expect(noToken.status == .forbidden)
            #expect(String(buffer: noToken.body).contains("CSRF"))

            let wrong = try await client.execute(uri: "/login", method: .post, headers: formType,
                                                 body: ByteBuffer(string: "_csrf=\(csrf)&username=admin&password=wrong-password"))
            #expect(wrong.status == .unauthorized)
            let unknown = try await client.execute(uri: "/login", method: .post, headers: formType,
                                                   body: ByteBuffer(string: "_csrf=\(csrf)&username=nobody&password=wrong-password"))
            #expect(unknown.status == .unauthorized)
            #expect(String(buffer: unknown.body).contains("用户名或密码错误"))

            let ok = try await client.execute(uri: "/login", method: .post, headers: formType,
                                              body: ByteBuffer(string: "_csrf=\(csrf)&username=admin&password=test-admin-password"))
            #expect(ok.status == .seeOther)
            let session = try #require(ok.headers[values: .setCookie].first { $0.hasPrefix("xy_session=") })
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Lax"))
            let token = String(session.dropFirst("xy_session=".count).prefix { $0 != ";" })

            let account = try await client.execute(uri: "/account", method: .get, headers: [.cookie: "xy_session=\(token)"])
            #expect(account.status == .ok)
            let accountHTML = String(buffer: account.body)
            #expect(accountHTML.contains("平台管理员"))
            let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: "xy_session=\(token)"])
            #expect(try Self.json(me)["role"] as? String == "admin")

            // The session's own CSRF token is required to sign out.
            let sessionForm: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "xy_session=\(token)"]
            #expect(try await client.execute(uri: "/logout", method: .post, headers: sessionForm, body: ByteBuffer(string: "_csrf=\(csrf)")).status == .forbidden)
            let sessionCSRF = try #require(accountHTML.range(of: "name=\"_csrf\" value=\"").map {
                String(accountHTML[$0.upperBound...].prefix { $0 != "\"" })
            })
            #expect(try await client.execute(uri: "/logout", method: .post, headers: sessionForm, body: ByteBuffer(string: "_csrf=\(sessionCSRF)")).status == .seeOther)
            #expect(try await client.execute(uri: "/account", method: .get, headers: [.cookie: "xy_session=\(token)"]).status == .unauthorized)

            // Five failures in a row (a success resets the count) lock the account name out for a while.
            for _ in 0..<5 {
                _ = try await client.execute(uri: "/login", method: .post, headers: formType,
                                             body: ByteBuffer(string: "_csrf=\(csrf)&username=admin&password=nope-nope-nope"))
            }
            let locked = try await client.execute(uri: "/login", method: .post, headers: formType,
                                                  body: ByteBuffer(string: "_csrf=\(csrf)&username=admin&password=test-admin-password"))
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers[.retryAfter] != nil)
        }
    }

    @Test func unexpectedErrorsShowOnlyARequestID() async throws {
        try await TestBackend.withPlatform { p in
            let app = try buildApplication(config: p.config, store: p.store, showsSyntheticNotice: false, logger: TestBackend.logger)
            try await p.database.close()
            try await app.test(.router) { client in
                let r = try await client.execute(uri: "/", method: .get)
                #expect(r.status == .internalServerError)
                let html = String(buffer: r.body)
                let rid = try #require(r.headers[.init("X-Request-Id")!])
                #expect(html.contains(rid))
                #expect(!html.contains("SQLite") && !html.contains("Pool"))
            }
        }
    }
}
