import ArgumentParser
import Foundation
import Logging
import XinyongApp
import XinyongCore
import XinyongStore

struct BenchIngest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ingest",
        abstract: "基准测试：行政处罚 CSV 端到端导入（解析、校验、关联、入库、公示期、变更日志），并在同一次运行中测 sqlite3 .import（手动运行）")
    @OptionGroup var common: CommonOptions
    @Option(help: "CSV 行数") var rows: Int = 1_000_000
    @Option(help: "SQLite：在其副本上导入的基准库（先用 xinyong bench 或 demo 生成 100 万主体）") var source: String = "data/bench.sqlite"
    @Option(help: "合成数据的随机种子（与基准库相同）") var seed: UInt64 = 20_260_401

    func run() async throws {
        var common = self.common
        let env = ProcessInfo.processInfo.environment
        let target = common.database ?? env["XINYONG_DATABASE_URL"]
        var copy: String? = nil
        if target == nil || target!.hasPrefix("sqlite") {
            // Import into a copy, so every run starts from the same 1,000,000-subject database.
            let work = "data/bench-ingest.sqlite"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: work + suffix) }
            guard FileManager.default.fileExists(atPath: source) else { throw Failure("基准库 \(source) 不存在：先运行 xinyong bench 或 xinyong demo --database sqlite://\(source) --subjects 1000000") }
            try FileManager.default.copyItem(atPath: source, toPath: work)
            if FileManager.default.fileExists(atPath: source + "-wal") { try FileManager.default.copyItem(atPath: source + "-wal", toPath: work + "-wal") }
            common.database = "sqlite://\(work)"
            copy = work
        }
        let config = try common.load(extra: ["demo_subjects": "0"])
        let platform = try await openPlatform(config, schema: .migrateAll, bulk: true)
        do {
            let population = try await platform.store.countSubjects()
            guard population > 0 else { throw Failure("基准库中没有主体：先运行 xinyong demo") }
            let bench = IngestBenchmark(rows: rows, seed: seed)
            let file = try bench.csvFile(directory: "data", population: population)
            let size = Double((try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0) / 1e6
            print("数据库：\(config.database)，主体 \(population) 个；文件 \(file)（\(rows) 行，\(String(format: "%.0f", size)) MB）")
            let parse = try await bench.parseOnly(file: file, catalog: try await platform.store.catalog())
            print(String(format: "只读取和校验（不写库）：%.1f 秒 = %.0f 行/秒", parse, Double(rows) / parse))
            // Two peaks: the process's own memory (sampled), and the resident size with the database
            // pages SQLite maps (mmap_size), which the kernel can drop at any time.
            func memory(_ anon: Double?) -> String {
                "内存峰值：进程自有 " + (anon.map { String(format: "%.0f MB", $0) } ?? "（无法测量）")
                    + String(format: "，含映射的数据库页 %.0f MB", IngestBenchmark.peakMB())
            }
            IngestBenchmark.resetPeak()
            let (first, firstPeak) = try await IngestBenchmark.sampleAnonymousPeak { try await bench.importOnce(platform, file: file) }
            let r = first.result
            print(String(format: "首次导入：%.1f 秒 = %.0f 行/秒（新增 %d，更新 %d，未变 %d，拒绝 %d，待确认 %d）；",
                         first.seconds, Double(rows) / first.seconds, r.created, r.updated, r.unchanged, r.rejectedRows, r.heldRows) + memory(firstPeak))
            IngestBenchmark.resetPeak()
            let (again, againPeak) = try await IngestBenchmark.sampleAnonymousPeak { try await bench.importOnce(platform, file: file) }
            print(String(format: "原样重复导入：%.1f 秒 = %.0f 行/秒（未变 %d）；", again.seconds, Double(rows) / again.seconds, again.result.unchanged)
                  + memory(againPeak))
            await platform.close()
            if let copy {
                if let bare = try IngestBenchmark.sqliteImport(file: file) {
                    print(String(format: "sqlite3 .import 同一文件到空表：%.2f 秒 = %.0f 行/秒；端到端导入是它的 %.1f 倍时间", bare, Double(rows) / bare, first.seconds / bare))
                }
                if let floor = try IngestBenchmark.sqliteFloor(database: copy) {
                    print(String(format: "存储下限（SQLite 自身把这 %d 条已编码记录及其变更日志写入同样的表和索引）：%.2f 秒 = %.0f 行/秒；端到端导入是它的 %.1f 倍时间",
                                 floor.rows, floor.seconds, Double(floor.rows) / floor.seconds, first.seconds / floor.seconds * Double(floor.rows) / Double(rows)))
                }
            }
            print("目标：≥ 100,000 行/秒，内存峰值 < 300 MB")
        } catch {
            await platform.close()
            throw error
        }
        if let copy { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) } }
    }
}
