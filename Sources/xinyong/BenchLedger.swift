import ArgumentParser
import Foundation
import XinyongApp
import XinyongCore
import XinyongLedger
import XinyongStore

/// `xinyong bench-ledger`: proofs at a log size the demo data does not reach. Fills a scratch
/// database's log with synthetic leaves up to `--leaves` (the store's own append: leaves and the
/// subtree hashes they complete), then times inclusion proofs, consistency proofs and roots as the
/// API computes them (store reads of the needed subtree hashes), and checks each against the root.
struct BenchLedger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ledger",
        abstract: "基准测试：在空白基准库上生成合成日志条目到指定规模，测包含证明、一致性证明和根哈希的耗时（手动运行）")
    @OptionGroup var common: CommonOptions
    @Option(help: "日志规模（条）") var leaves: Int = 10_000_000
    @Option(help: "每种证明的次数") var proofs: Int = 2000

    func run() async throws {
        let config = try common.load(extra: ["demo_subjects": "0"])
        guard case .sqlite = config.database else { throw Failure("bench-ledger 只用于 SQLite 空白基准库（--database sqlite:///路径）") }
        let platform = try await openPlatform(config, schema: .migrateAll)
        do {
            let store = platform.store
            var size = try await store.ledgerSize()
            if size < UInt64(leaves) {
                let started = ContinuousClock.now
                let from = size
                while size < UInt64(leaves) {
                    size = try await store.appendSyntheticLedgerLeaves(count: min(100_000, leaves - Int(size)))
                    if size % 1_000_000 == 0 { print("已生成 \(size) 条") }
                }
                let s = seconds(ContinuousClock.now - started)
                print(String(format: "生成合成日志条目 %d 条：%.1f 秒（%.0f 条/秒，含子树哈希写入）", size - from, s, Double(size - from) / s))
            }
            let n = size
            let root = try await store.root(size: n)
            var rng = SystemRandomNumberGenerator()
            var inclusion: [Double] = [], consistency: [Double] = [], roots: [Double] = []
            var failures = 0
            for _ in 0..<proofs {
                let index = UInt64.random(in: 0..<n, using: &rng)
                var t = ContinuousClock.now
                let path = try await store.inclusionProof(index: index, size: n)
                inclusion.append(seconds(ContinuousClock.now - t))
                let leaf = Merkle.leafHash(Array("{\"bench\":\(index + 1)}".utf8))
                if !Merkle.verifyInclusion(index: index, size: n, leafHash: leaf, proof: path, root: root) { failures += 1 }

                let m = UInt64.random(in: 1..<n, using: &rng)
                t = ContinuousClock.now
                let older = try await store.root(size: m)
                roots.append(seconds(ContinuousClock.now - t))
                t = ContinuousClock.now
                let c = try await store.consistencyProof(from: m, to: n)
                consistency.append(seconds(ContinuousClock.now - t))
                if !Merkle.verifyConsistency(from: m, to: n, proof: c, firstRoot: older, secondRoot: root) { failures += 1 }
            }
            await platform.close()
            print("日志规模 \(n) 条（\(config.database)）")
            for (name, xs) in [("包含证明", inclusion), ("一致性证明", consistency), ("任一规模的根哈希", roots)] {
                let s = xs.sorted()
                func p(_ q: Double) -> String { String(format: "%.3f ms", s[min(s.count - 1, Int(Double(s.count) * q))] * 1000) }
                print("\(name)：\(s.count) 次，p50 \(p(0.5))，p95 \(p(0.95))，p99 \(p(0.99))")
            }
            guard failures == 0 else { throw Failure("\(failures) 个证明未通过验证") }
            print("全部证明均通过 RFC 9162 验证")
        } catch {
            await platform.close()
            throw error
        }
    }

    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
}
