import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XinyongCore
import XinyongLedger

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "信用报告", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "验证信用报告 JSON 文件：签名、检查点、每条记录的包含证明和有效期（离线）；联网时再核对检查点与平台当前日志的一致性和记录是否已变化；通过时退出码为 0",
            discussion: """
            离线验证需要平台公钥（网站“报告验证”页和 /api/v1/ledger/public-key 公布）：--key 公钥 或 --key-file 文件。
            不给公钥时使用报告自带的公钥，只能说明报告未被改动，不能说明由该平台签发。
            --online 平台网址：取平台当前检查点和一致性证明，确认报告所依据的日志没有被改写（防分叉视图），并查询记录是否已修复、撤销或更正。
            --scan：另外读取整个日志（到报告的树大小），逐条核对专项信用报告的“无记录”声明。
            """)
        @Argument(help: "报告 JSON 文件") var file: String
        @Option(help: "平台公钥（名称+密钥哈希+base64），可重复") var key: [String] = []
        @Option(help: "存放平台公钥的文件（每行一个）") var keyFile: String?
        @Option(help: "平台网址，如 https://credit.example.gov.cn（联网核对）") var online: String?
        @Flag(help: "联网逐条核对无记录声明（读取整个日志）") var scan = false

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("读不到文件 \(file)") }
            var keys = key
            if let keyFile {
                guard let text = try? String(contentsOfFile: keyFile, encoding: .utf8) else { throw ValidationError("读不到公钥文件 \(keyFile)") }
                keys += text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            let base = online.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            if keys.isEmpty, let base {
                struct Keys: Decodable { var keys: [String] }
                keys = try JSONDecoder().decode(Keys.self, from: try await Self.get(base + "/api/v1/ledger/keys")).keys
                print("公钥：取自 \(base)/api/v1/ledger/keys（请确认该网址确是平台官方网址）")
            }
            let v = ReportVerifier.verify(Array(data), trustedKeys: keys, today: CivilDate.today())
            var failed = false
            for c in v.checks {
                print("\(c.ok ? "通过" : "失败")  \(c.name)：\(c.detail)")
                if !c.ok { failed = true }
            }
            if v.keyFromReport { print("注意  未提供平台公钥，使用了报告自带的公钥：请用 --key 给出平台公布的公钥") }
            guard let report = v.report, let cp = v.checkpoint, !failed else {
                print("结论：报告无效")
                throw ExitCode(1)
            }
            if v.expired { print("失败  有效期：报告已于 \(report.validUntil) 过期"); failed = true } else { print("通过  有效期：至 \(report.validUntil)") }

            if let base {
                failed = try await !Self.consistent(base: base, checkpoint: cp, keys: keys) || failed
                let status = try JSONSerialization.jsonObject(with: try await Self.get(base + "/api/v1/reports/status?code=\(report.verificationCode)")) as? [String: Any] ?? [:]
                let changes = status["changes"] as? [String] ?? []
                if status["issued_here"] as? Bool != true {
                    print("失败  签发记录：平台查不到验证码为 \(report.verificationCode) 的报告"); failed = true
                } else if changes.isEmpty {
                    print("通过  现状：报告中的记录至今没有变化")
                } else {
                    for c in changes { print("变化  \(c)") }
                    failed = true
                }
                if scan {
                    guard report.absence != nil else { throw ValidationError("该报告没有无记录声明（只有专项信用报告有）") }
                    let leaves = try await Self.leaves(base: base, size: cp.size)
                    let problems = ReportVerifier.checkAbsence(report, leaves: leaves)
                    for p in problems { print("失败  无记录声明：\(p)") }
                    if problems.isEmpty { print("通过  无记录声明：逐条核对日志前 \(cp.size) 条，声明成立") }
                    failed = failed || !problems.isEmpty
                }
            } else if scan {
                throw ValidationError("--scan 需要同时给出 --online 平台网址")
            }
            print(failed ? "结论：报告未通过验证或已不是最新" : "结论：报告真实有效")
            if failed { throw ExitCode(1) }
        }

        /// The platform's current checkpoint, signed by a trusted key, and the proof that the
        /// report's tree is a prefix of it: the log was not rewritten after the report.
        static func consistent(base: String, checkpoint cp: Checkpoint, keys: [String]) async throws -> Bool {
            let note = String(decoding: try await get(base + "/api/v1/ledger/checkpoint"), as: UTF8.self)
            let verifiers = keys.compactMap { try? NoteVerifier(verifierKey: $0) }
            guard let signed = try? SignedNote(note), verifiers.contains(where: { signed.isSigned(by: $0) }),
                  let current = try? Checkpoint(body: signed.text), current.origin == cp.origin else {
                print("失败  一致性：平台当前检查点的签名无法验证或来源不符")
                return false
            }
            struct Proof: Decodable { var path: [String] }
            let proof = try JSONDecoder().decode(Proof.self, from: try await get(base + "/api/v1/ledger/proof/consistency?from=\(cp.size)&to=\(current.size)"))
            let path = proof.path.compactMap(Hex.decode)
            guard path.count == proof.path.count, current.size >= cp.size,
                  Merkle.verifyConsistency(from: cp.size, to: current.size, proof: path, firstRoot: cp.rootHash, secondRoot: current.rootHash) else {
                print("失败  一致性：平台当前日志（树大小 \(current.size)）与报告所依据的检查点不一致——日志被改写或存在分叉视图")
                return false
            }
            print("通过  一致性：报告的检查点（\(cp.size)）是平台当前日志（\(current.size)）的前缀")
            return true
        }

        static func leaves(base: String, size: UInt64) async throws -> [(index: UInt64, data: [UInt8])] {
            struct Page: Decodable { struct Entry: Decodable { var index: UInt64; var data_base64: String }; var entries: [Entry] }
            var out: [(index: UInt64, data: [UInt8])] = []
            while UInt64(out.count) < size {
                let page = try JSONDecoder().decode(Page.self, from: try await get(base + "/api/v1/ledger/entries?start=\(out.count)&count=1000"))
                if page.entries.isEmpty { break }
                for e in page.entries { out.append((e.index, Array(Data(base64Encoded: e.data_base64) ?? Data()))) }
            }
            return out
        }

        static func get(_ url: String) async throws -> Data {
            guard let u = URL(string: url) else { throw ValidationError("网址无效：\(url)") }
            let (data, response) = try await URLSession.shared.data(from: u)
            guard let http = response as? HTTPURLResponse, http.statusCode == 200 else {
                throw ValidationError("\(url) 返回 \((response as? HTTPURLResponse)?.statusCode ?? 0)")
            }
            return data
        }
    }
}
