import ArgumentParser
import Foundation
import Logging
import XinyongApp

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "基准测试：按代码查询、名称检索和 HTTP 吞吐量（手动运行；数据不足时先生成合成数据）")
    @OptionGroup var common: CommonOptions
    @Option(help: "基准数据库中的主体数量") var subjects: Int = 1_000_000
    @Option(help: "合成数据的随机种子") var seed: UInt64 = 20_260_401
    @Option(help: "每项 HTTP 压测的秒数") var seconds: Int = 10
    @Option(help: "HTTP 并发连接数") var connections: Int = 64
    @Option(help: "基准服务监听的本机端口") var port: Int = 18_080

    func run() async throws {
        var common = self.common
        if common.database == nil && ProcessInfo.processInfo.environment["XINYONG_DATABASE_URL"] == nil {
            common.database = "sqlite://data/bench.sqlite"
        }
        let config = try common.load(extra: ["demo_subjects": "0"])
        let platform = try await openPlatform(config, schema: .migrateIfEmpty)
        do {
            let report = try await Benchmark(platform: platform, subjects: subjects, seed: seed, logger: Logger(label: "xinyong.bench"))
                .run(httpSeconds: seconds, connections: connections, port: port)
            await platform.close()
            for line in report.lines { print(line) }
        } catch {
            await platform.close()
            throw Failure("基准测试失败：\(error)")
        }
    }
}
