import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import XinyongApp
import XinyongCore
import XinyongLedger
import XinyongStore
import XinyongTestSupport
import XinyongWeb

/// Credit reports: issued with their evidence, verified offline with the platform's key, refused
/// when a byte changed, expired after their validity, and no longer current once a record in them
/// was repaired; the "no record" statement checked against the whole log.
@Suite("Reports")
struct ReportsHTTPTests {
    static func leaves(_ store: SQLPlatformStore, size: UInt64) async throws -> [(index: UInt64, data: [UInt8])] {
        var out: [(index: UInt64, data: [UInt8])] = []
        while UInt64(out.count) < size {
            let batch = try await store.ledgerLeaves(from: UInt64(out.count), limit: 1000)
            if batch.isEmpty { break }
            out += batch.map { ($0.index, $0.data) }
        }
        return out
    }

    @Test func aSpecialReportIsVerifiableOfflineAndItsNoRecordStatementAgainstTheLog() async throws {
        try await HTTPTests().withApp(ledger: true) { w, client in
            let cast = CheckTests.cast()
            let today = CivilDate.today()
            try await CheckTests.seed(w.platform.store, cast)
            // Two penalties of cast.b: one inside the chosen span, one before it.
            try await CheckTests.submit(w.platform.store, item: "xzcf", department: "SCJGJ", [
                RightsHTTPTests.penaltyRow(cast.b, number: "厦市监处罚〔2026〕88号", decided: today.adding(months: -4)),
                RightsHTTPTests.penaltyRow(cast.b, number: "厦市监处罚〔2026〕12号", decided: today.adding(months: -8)),
            ])
            let (firm, other) = try await RightsHTTPTests.firms(w, client, cast)
            let key = String(buffer: try await client.execute(uri: "/api/v1/ledger/public-key", method: .get).body)

            // Anonymous callers get nothing; another subject cannot have this subject's special report; departments get public reports only.
            #expect(try await RightsHTTPTests.send(client, .post, "/api/v1/reports", ["subject": cast.b.code, "kind": "public"]).status == .unauthorized)
            #expect(try await RightsHTTPTests.send(client, .post, "/api/v1/reports", session: other, ["subject": cast.b.code, "kind": "special"]).status == .forbidden)
            #expect(try await RightsHTTPTests.send(client, .post, "/api/v1/reports", key: w.clientKey, ["subject": cast.b.code, "kind": "full"]).status == .forbidden)
            let bad = try await RightsHTTPTests.send(client, .post, "/api/v1/reports", session: firm, ["kind": "special", "from": "2026-13-01", "to": today.description])
            #expect(bad.status == .unprocessableContent && bad.headers[.contentType]?.hasPrefix("application/problem+json") == true)

            let from = today.adding(months: -6)
            let issued = try await RightsHTTPTests.send(client, .post, "/api/v1/reports", session: firm,
                                                        ["kind": "special", "from": from.description, "to": today.description])
            #expect(issued.status == .created)
            let bytes = Array(String(buffer: issued.body).utf8)
            let report = try CreditReport.decoder.decode(CreditReport.self, from: Data(bytes))
            #expect(issued.headers[.location] == "/api/v1/reports/\(report.number)")
            #expect(report.kind == "special" && report.subject.code == cast.b.code && report.span?.from == from.description)
            let penalties = try #require(report.sections.first { $0.code == "xzcf" })
            #expect(penalties.records.map(\.title) == ["厦市监处罚〔2026〕88号"] && penalties.statement == nil)
            // Sections without records say so explicitly.
            let coercion = try #require(report.sections.first { $0.code == "xzqz" })
            #expect(coercion.records.isEmpty && coercion.statement?.contains("未发现该主体的行政强制记录") == true)
            // The earlier penalty is accounted for in the statement, by its leaf only.
            let absence = try #require(report.absence)
            #expect(absence.others.count == 1 && absence.others[0].reason == "不在所选报告期间")
            #expect(!String(decoding: bytes, as: UTF8.self).contains("厦市监处罚〔2026〕12号"))

            // Offline: signature, checkpoint, openings and proofs, with the published key.
            let ok = ReportVerifier.verify(bytes, trustedKeys: [key], today: today)
            #expect(ok.genuine && !ok.expired && !ok.keyFromReport, "\(ok.checks)")
            #expect(ReportVerifier.verify(bytes, trustedKeys: [try NoteSigner.generate(name: w.platform.config.ledgerOrigin).verifierKey], today: today).genuine == false)
            // Against the log: the statement holds; dropping the earlier penalty from it is caught.
            let store = w.platform.store
            let leaves = try await Self.leaves(store, size: absence.size)
            #expect(ReportVerifier.checkAbsence(report, leaves: leaves).isEmpty)
            var hiding = report
            hiding.absence?.others = []
            #expect(ReportVerifier.checkAbsence(hiding, leaves: leaves).count == 1)

            // One changed byte in the content breaks the signature; a changed proof breaks the record's proof.
            let text = String(decoding: bytes, as: UTF8.self)
            let changed = text.replacingOccurrences(of: "罚款人民币贰万元", with: "罚款人民币壹万元")
            #expect(changed != text)
            let c = ReportVerifier.verify(Array(changed.utf8), trustedKeys: [key], today: today)
            #expect(!c.genuine && c.checks.contains { $0.name == "报告签名" && !$0.ok })
            var forged = report
            forged.sections[0].records[0].fields = forged.sections[0].records[0].fields.replacingOccurrences(of: "贰万元", with: "壹万元")
            let f = ReportVerifier.verify(try forged.signed(by: try NoteSigner.generate(name: w.platform.config.ledgerOrigin)).json(), trustedKeys: [key], today: today)
            #expect(!f.genuine)
            // Pretty-printing or reordering does not matter: the signature is over the canonical form.
            let compact = try JSONValue.parse(bytes).canonical
            #expect(ReportVerifier.verify(compact, trustedKeys: [key], today: today).genuine)
            // After its validity the report is genuine but expired.
            let late = ReportVerifier.verify(bytes, trustedKeys: [key], today: try #require(CivilDate(report.validUntil)).adding(days: 1))
            #expect(late.genuine && late.expired)

            // Online by code: genuine and current; the page says so; an unknown code is not found.
            let status = try HTTPTests.json(try await client.execute(uri: "/api/v1/reports/status?code=\(report.verificationCode.lowercased())", method: .get))
            #expect(status["genuine"] as? Bool == true && status["current"] as? Bool == true, "\(status)")
            let (_, page) = try await RightsHTTPTests.page(client, "/verify?code=\(report.verificationCode)")
            #expect(page.contains("报告真实有效") && page.contains(report.number))
            #expect(try await RightsHTTPTests.page(client, "/verify?code=ZZZZ-ZZZZ").1.contains("查无此报告"))
            // The document: by its subject, or with the code; not by anyone else.
            let (docStatus, doc) = try await RightsHTTPTests.page(client, "/reports/\(report.number)", cookie: firm.cookie)
            #expect(docStatus == .ok && doc.contains("<svg") && doc.contains(report.verificationCode) && doc.contains("厦市监处罚〔2026〕88号"))
            #expect(try await RightsHTTPTests.page(client, "/reports/\(report.number)").0 == .notFound)
            #expect(try await RightsHTTPTests.page(client, "/reports/\(report.number)", cookie: other.cookie).0 == .notFound)
            #expect(try await RightsHTTPTests.page(client, "/reports/\(report.number)/report.json?code=\(report.verificationCode)").0 == .ok)
            // The subject's report page lists it.
            #expect(try await RightsHTTPTests.page(client, "/me/reports", cookie: firm.cookie).1.contains(report.number))

            // The penalty in the report is repaired: the report stays genuine but is no longer current.
            let scjgj = try await w.platform.createAPIKey(name: "市场监管局系统", role: .apiClient, department: "SCJGJ")
            let proof = [["name": "缴款凭证.pdf", "purpose": "履行证明", "data_base64": Data("%PDF-1.4 receipt".utf8).base64EncodedString()]]
            let applied = try await RightsHTTPTests.send(client, .post, "/api/v1/repairs", session: firm, [
                "record_id": penalties.records[0].record, "reason": "已缴纳罚款", "commitment_signed": true, "files": proof,
                "applicant": ["name": "企业经办人", "contact": "13900139000"]])
            let caseID = try #require(try HTTPTests.json(applied)["id"] as? Int)
            #expect(try await RightsHTTPTests.send(client, .post, "/api/v1/repairs/\(caseID)/actions", key: scjgj.token, ["action": "accept"]).status == .ok)
            #expect(try await RightsHTTPTests.send(client, .post, "/api/v1/repairs/\(caseID)/actions", key: scjgj.token,
                                                   ["action": "approve", "reply": "准予修复"]).status == .ok)
            let upload = try await client.execute(uri: "/api/v1/reports/verify", method: .post, body: ByteBuffer(bytes: bytes))
            let after = try HTTPTests.json(upload)
            #expect(after["genuine"] as? Bool == true && after["current"] as? Bool == false)
            #expect((after["changes"] as? [String])?.contains { $0.contains("已信用修复") } == true, "\(after)")
            // A new report (no span: everything in effect) no longer has it, only the earlier penalty; its statement holds against the grown log.
            let again = try CreditReport.decoder.decode(CreditReport.self, from: Data(String(buffer: try await RightsHTTPTests.send(
                client, .post, "/api/v1/reports", session: firm, ["kind": "special"]).body).utf8))
            #expect(again.sections.first { $0.code == "xzcf" }?.records.map(\.title) == ["厦市监处罚〔2026〕12号"] && again.absence?.others.isEmpty == true)
            let grown = try await Self.leaves(store, size: try #require(again.absence).size)
            #expect(ReportVerifier.checkAbsence(again, leaves: grown).isEmpty)
            #expect(ReportVerifier.checkAbsence(report, leaves: grown).isEmpty, "the old statement is still true at its own size")
        }
    }

    /// A penalty whose publicity the sweep ended (and logged) is public again when the publicity
    /// rules change and give it a longer period: the change log says so, the log holds it, and a
    /// report listing the record verifies (its last leaf no longer says the record ended).
    @Test func aPublicityRestoredByARulesChangeIsLoggedAndVerifies() async throws {
        try await HTTPTests().withApp(ledger: true) { w, client in
            let cast = CheckTests.cast()
            let today = CivilDate.today()
            let store = w.platform.store
            try await CheckTests.seed(store, cast)
            try await CheckTests.submit(store, item: "xzcf", department: "SCJGJ", [
                RightsHTTPTests.penaltyRow(cast.b, number: "厦市监处罚〔2025〕77号", decided: today.adding(months: -13)),
                RightsHTTPTests.penaltyRow(cast.b, number: "厦市监处罚〔2021〕78号", decided: today.adding(months: -60)),
            ])
            #expect(try await w.platform.sweepPublicity(today: today).ended == 2)
            let s = try #require(try await store.subject(code: cast.b.code))
            let records = try await store.records(subjectID: s.id).filter { $0.itemCode == "xzcf" }
            let restored = try #require(records.first { $0.fields["CF_WSH"] == "厦市监处罚〔2025〕77号" })
            let stillOver = try #require(records.first { $0.fields["CF_WSH"] == "厦市监处罚〔2021〕78号" })
            func publicPenalties() async throws -> [Int64] {
                try await store.publicRecords(subjectID: s.id, on: today).filter { $0.itemCode == "xzcf" }.map(\.id)
            }
            #expect(try await publicPenalties().isEmpty)

            // Fines become serious penalties (three years): the 13-month-old one is public again, the
            // five-year-old one stays over, and only the first is logged as restored.
            var rules = try await store.catalog()
            rules.version += "+longer"
            rules.publicity!.seriousKinds.append("罚款")
            #expect(try await store.refreshPublicityWindows(catalog: rules, batch: 1, today: today) > 0)
            #expect(try await publicPenalties() == [restored.id])
            let events = try await store.changeLog(after: 0, limit: 10_000).filter { $0.event == "record.publicity_restored" }
            #expect(events.map(\.recordID) == [restored.id] && events.first?.version == restored.version)
            #expect(events.first?.note?.contains("恢复公示") == true && events.first?.subjectID == s.id)
            #expect(try await store.refreshPublicityWindows(catalog: rules, batch: 1, today: today) == 0)
            #expect(try await store.changeLog(after: 0, limit: 10_000).filter { $0.event == "record.publicity_restored" }.count == 1)
            #expect(!(try await store.changeLog(after: 0, limit: 10_000).contains { $0.recordID == stillOver.id && $0.event == "record.publicity_restored" }))

            // A public report lists it, and its proof is the restoring leaf: the report verifies.
            let made = try await RightsHTTPTests.send(client, .post, "/api/v1/reports", key: w.clientKey, ["subject": cast.b.code, "kind": "public"])
            #expect(made.status == .created)
            let bytes = Array(String(buffer: made.body).utf8)
            let report = try CreditReport.decoder.decode(CreditReport.self, from: Data(bytes))
            let listed = try #require(report.sections.first { $0.code == "xzcf" }?.records.first)
            let leaf = try LeafData(Array(listed.leaf.utf8))
            #expect(listed.record == restored.id && leaf.event == "record.publicity_restored")
            let key = String(buffer: try await client.execute(uri: "/api/v1/ledger/public-key", method: .get).body)
            let verified = ReportVerifier.verify(bytes, trustedKeys: [key], today: today)
            #expect(verified.genuine, "\(verified.checks)")
            // The audit recomputes the new leaf like any other.
            #expect(try await store.audit(verifierKeys: [key]).ok)
        }
    }

    @Test func aPublicReportHasOnlyPublicRecordsAndPersonsHaveNone() async throws {
        try await HTTPTests().withApp(extra: ["pdf_browser": "/nonexistent/chromium"], ledger: true) { w, client in
            let cast = CheckTests.cast()
            try await CheckTests.seed(w.platform.store, cast)
            let made = try await RightsHTTPTests.send(client, .post, "/api/v1/reports", key: w.clientKey, ["subject": cast.a.code, "kind": "public"])
            #expect(made.status == .created)
            let report = try CreditReport.decoder.decode(CreditReport.self, from: Data(String(buffer: made.body).utf8))
            #expect(report.absence == nil && report.sections.first { $0.code == "yzsx" }?.records.count == 1)
            #expect(!String(buffer: made.body).contains("subject_key"))
            // The caller that had it issued may read it again; the HTML document has a QR code of the verification address.
            #expect(try await RightsHTTPTests.send(client, .get, "/api/v1/reports/\(report.number)", key: w.clientKey).status == .ok)
            // Without a headless browser the PDF is refused with a message saying what to install; the HTML document still prints.
            let pdf = try await client.execute(uri: "/reports/\(report.number)/report.pdf?code=\(report.verificationCode)", method: .get,
                                               headers: [.accept: "application/json"])
            #expect(pdf.status == .serviceUnavailable && String(buffer: pdf.body).contains("chromium"))
            #expect(try await RightsHTTPTests.page(client, "/reports/\(report.number)?code=\(report.verificationCode)").0 == .ok)
            let person = try await RightsHTTPTests.send(client, .post, "/api/v1/reports", key: w.adminKey, ["subject": Fixtures.residentID, "kind": "public"])
            #expect(person.status == .forbidden)
            // A person gets its own full report, its number masked, and the access is logged.
            _ = try await w.platform.createAccount(username: "zhangsan", displayName: "张三", role: .subjectUser, department: nil,
                                                   subjectCode: Fixtures.residentID, password: "person-password-1")
            let session = try await HTTPTests.signIn(client, username: "zhangsan", password: "person-password-1")
            #expect(try await RightsHTTPTests.send(client, .post, "/api/v1/reports", session: session, ["kind": "public"]).status == .forbidden)
            let own = try await RightsHTTPTests.send(client, .post, "/api/v1/reports", session: session, ["kind": "full"])
            #expect(own.status == .created && !String(buffer: own.body).contains(Fixtures.residentID)
                    && String(buffer: own.body).contains(IdentifierValidator.maskResidentID(Fixtures.residentID)))
            let s = try #require(try await w.platform.store.subject(code: Fixtures.residentID))
            #expect(try await w.platform.store.accessLog(subjectID: s.id).contains { $0.action == "POST /api/v1/reports" })
        }
    }

    /// A check answered is a leaf too (its answers only as a salted digest), logged in its own
    /// order beside the change log; the audit recomputes it and catches an answer changed afterwards.
    @Test func answeredChecksAreLoggedAndAudited() async throws {
        try await HTTPTests().withApp(ledger: true) { w, client in
            let cast = CheckTests.cast()
            try await CheckTests.seed(w.platform.store, cast)
            let store = w.platform.store
            let signer = try await w.platform.ledgerSigner()
            _ = try await store.sequenceAndSign(signer: signer, origin: w.platform.config.ledgerOrigin)
            let procurement = try await w.platform.createAPIKey(name: "公共资源交易平台", role: .apiClient, department: "SWJ")
            for subjects in [[cast.a.code, cast.clean.code], [cast.b.code]] {
                let r = try await CheckTests.post(client, "/api/v1/checks", key: procurement.token,
                                                  try CheckTests.body(["matter": "zfcg", "purpose": "资格审查", "subjects": subjects]))
                #expect(r.status == .created || r.status == .ok)
            }
            // A change event after the checks: each source stays in its own order in the log.
            try await CheckTests.submit(w.platform.store, item: "xzcf", department: "SCJGJ",
                                        [RightsHTTPTests.penaltyRow(cast.clean, number: "厦市监处罚〔2026〕90号", decided: CivilDate.today().adding(days: -3))])
            let c = try #require(try await store.sequenceAndSign(signer: signer, origin: w.platform.config.ledgerOrigin, pace: SequencerPace(batch: 2, rest: 1)))
            let leaves = try await store.ledgerLeaves(from: 0, limit: Int(c.size))
            let checks = leaves.filter { $0.seq < 0 }
            #expect(checks.map(\.seq) == [-1, -2])
            #expect(leaves.filter { $0.seq > 0 }.map(\.seq) == leaves.filter { $0.seq > 0 }.map(\.seq).sorted())
            let text = String(decoding: checks[0].data, as: UTF8.self)
            #expect(text.contains("\"event\":\"check.answered\"") && text.contains("\"item\":\"zfcg\""))
            #expect(!text.contains(cast.a.code) && !text.contains(cast.a.name))
            // The leaf commits to exactly the answers kept, in their order (read here on their own).
            let at = try #require(try await store.database.sql.raw("SELECT at FROM checks WHERE id = 1").first(decodingColumn: "at", as: Int64.self))
            let answers = try await store.database.sql.raw("SELECT answer FROM check_answers WHERE check_id = 1 ORDER BY position")
                .all(decodingColumn: "answer", as: String.self)
            #expect(answers.count == 2)
            let expected = LedgerEvent(seq: -1, at: at, event: "check.answered", item: "zfcg", recordID: 1, version: 0,
                                       fields: answers.joined(separator: "\n"))
            #expect(store.leafData(expected, version: LeafEncoding.version) == checks[0].data)
            let keys = try await store.ledgerKeys()
            let clean = try await store.audit(verifierKeys: keys, batch: 3)
            #expect(clean.ok && clean.leaves == Int(c.size) && clean.pendingEvents == 0, "\(clean.problems)")
            // An answer rewritten afterwards (the subject was "not found") is caught.
            try await store.database.sql.raw("UPDATE check_answers SET answer = replace(answer, 'true', 'false') WHERE check_id = 2").run()
            let tampered = try await store.audit(verifierKeys: keys, batch: 3)
            #expect(tampered.problems.contains { $0.contains("核查 2") && $0.contains("改动") }, "\(tampered.problems)")
        }
    }
}
