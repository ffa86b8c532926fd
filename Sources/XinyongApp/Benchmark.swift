import Foundation
import Hummingbird
import Logging
import XinyongCore
import XinyongStore

/// `xinyong bench`: measured by hand on a large SQLite database, never as a timed test.
public struct Benchmark: Sendable {
    public let platform: Platform
    public let subjects: Int
    public let seed: UInt64
    public let logger: Logger

    public init(platform: Platform, subjects: Int, seed: UInt64, logger: Logger) {
        self.platform = platform; self.subjects = subjects; self.seed = seed; self.logger = logger
    }

    public struct Report: Sendable {
        public var lines: [String] = []
        mutating func add(_ s: String) { lines.append(s) }
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }

    static func ms(_ d: Double) -> String { String(format: "%.3f ms", d * 1000) }

    func timed(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    public func run(httpSeconds: Int, connections: Int, port: Int) async throws -> Report {
        var report = Report()
        let store = platform.store
        let existing = try await store.countSubjects()
        if existing < subjects {
            logger.info("基准数据不足，正在生成", metadata: ["have": .stringConvertible(existing), "want": .stringConvertible(subjects)])
            let t = try await timed {
                try await DemoData(seed: seed).load(into: store, subjects: subjects - existing, logger: logger)
            }
            report.add(String(format: "载入合成主体 %d 个：%.1f 秒（%.0f 个/秒）", subjects - existing, t, Double(subjects - existing) / t))
        }
        if try await store.gramStatisticsRefreshedAt() == nil {
            let t = try await timed { try await store.refreshGramStatistics() }
            report.add(String(format: "计算名称检索二元组统计：%.1f 秒", t))
        }
        let total = try await store.countSubjects()
        report.add("数据库：\(platform.config.database)，主体 \(total) 个")
        let demo = DemoData(seed: seed)
        var rng = SplitMix(42)

        report.lines += try csvParsing()

        // 1. Lookup by code through the storage layer.
        var codes: [String] = []
        var organisationCodes: [String] = []   // the public HTTP API answers 404 for natural persons
        while codes.count < 20_000 {
            let d = demo.subject(rng.int(min(total, subjects)))
            codes.append(d.code)
            if d.kind != .naturalPerson { organisationCodes.append(d.code) }
        }
        for c in codes.prefix(2000) { _ = try await store.subject(code: c) }   // warm-up
        var lookups: [Double] = []
        var misses = 0
        for c in codes {
            lookups.append(try await timed { if try await store.subject(code: c) == nil { misses += 1 } })
        }
        lookups.sort()
        report.add("按代码查询（存储层，\(lookups.count) 次，未命中 \(misses)）：p50 \(Self.ms(Self.percentile(lookups, 0.5)))，p99 \(Self.ms(Self.percentile(lookups, 0.99)))，目标 p99 < 1 ms")

        // 2. Name search with a realistic mix of queries.
        var queries: [(String, String)] = []
        for i in 0..<2000 {
            let d = demo.subject(rng.int(min(total, subjects)))
            let name = Array(d.name)
            switch i % 5 {
            case 0: queries.append(("行业词", DemoData.industries[rng.int(DemoData.industries.count)].word))
            case 1: queries.append(("字号", String(name.count > 4 ? name[2..<4] : name[0..<2])))
            case 2: queries.append(("全名", d.name))
            case 3:
                let len = 3 + rng.int(3)
                let start = rng.int(max(1, name.count - len))
                queries.append(("片段", String(name[start..<min(name.count, start + len)])))
            default: queries.append(("前缀", String(name.prefix(4))))
            }
        }
        for (_, q) in queries.prefix(200) { _ = try await store.searchSubjects(SubjectQuery(text: q)) }
        var searches: [Double] = []
        var byKind: [String: [Double]] = [:]
        for (kind, q) in queries {
            let t = try await timed { _ = try await store.searchSubjects(SubjectQuery(text: q)) }
            searches.append(t)
            byKind[kind, default: []].append(t)
        }
        searches.sort()
        report.add("名称检索（存储层，\(searches.count) 次，首页 20 条含总数）：p50 \(Self.ms(Self.percentile(searches, 0.5)))，p95 \(Self.ms(Self.percentile(searches, 0.95)))，目标 p95 < 30 ms")
        for (kind, ts) in byKind.sorted(by: { $0.key < $1.key }) {
            let s = ts.sorted()
            report.add("    \(kind)：p50 \(Self.ms(Self.percentile(s, 0.5)))，p95 \(Self.ms(Self.percentile(s, 0.95)))，最慢 \(Self.ms(s.last!))")
        }

        // 3. HTTP throughput: subject lookups against the server's own /healthz, in the same run.
        report.lines += try await http(codes: Array(organisationCodes.prefix(5000)), seconds: httpSeconds, connections: connections, port: port)
        return report
    }

    /// The CSV reader alone on 200,000 行政处罚-like rows (about 70 MB), in 64 KiB chunks: the
    /// ceiling for file intake, whose goal is 100,000 rows/s end to end.
    func csvParsing() throws -> [String] {
        var text = "行政相对人名称,统一社会信用代码,行政处罚决定书文号,违法事实,处罚依据,处罚类别,罚款金额（万元）,处罚决定日期\n"
        let demo = DemoData(seed: seed)
        for i in 0..<200_000 {
            let d = demo.subject(i)
            text += "\(d.name),\(d.code),厦市监处罚〔2026〕\(i)号,\"当事人在经营活动中存在违法行为，\n经查属实，涉及金额\(i % 997)元。\",《中华人民共和国广告法》第五十七条,罚款,\(i % 50).5,2026/3/5\n"
        }
        var results: [String] = []
        for encoding in CSVReader.Encoding.allCases {
            let bytes = Array(encoding == .utf8 ? Data(text.utf8) : text.data(using: CSVReader.gb18030)!)
            var reader = CSVReader(encoding: nil)
            var rows = 0
            let start = ContinuousClock.now
            var i = 0
            while i < bytes.count {
                rows += try reader.feed(bytes[i..<min(i + 65_536, bytes.count)]).count
                i += 65_536
            }
            rows += try reader.finish().count
            let d = ContinuousClock.now - start
            let t = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            results.append(String(format: "CSV 解析（%@，自动识别编码，%.0f MB，%d 行）：%.0f 行/秒，%.0f MB/秒", encoding.rawValue,
                                  Double(bytes.count) / 1e6, rows, Double(rows) / t, Double(bytes.count) / 1e6 / t))
        }
        return results
    }

    func http(codes: [String], seconds: Int, connections: Int, port: Int) async throws -> [String] {
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Platform.StartError(description: "未找到 wrk：HTTP 吞吐量基准需要它（apt-get install wrk，或运行 scripts/bench.sh）")
        }
        var config = platform.config
        config.host = "127.0.0.1"
        config.port = port
        config.logLevel = .warning
        // One client (wrk on loopback) makes every request: the per-client reading budget, which
        // exists against scrapers, would answer most of them 429.
        config.reading = ReadingBudget(perMinute: 0, burst: config.reading.burst)
        var quiet = logger
        quiet.logLevel = .warning
        let app = try buildApplication(config: config, store: platform.store, showsSyntheticNotice: true, logger: quiet)
        let server = Task { try await app.run() }
        do {
            try await Task.sleep(for: .seconds(1))
            let lines = try await measure(wrk: wrk, codes: codes, seconds: seconds, connections: connections, port: port)
            server.cancel()
            _ = await server.result
            return lines
        } catch {
            server.cancel()
            _ = await server.result
            throw error
        }
    }

    func measure(wrk: String, codes: [String], seconds: Int, connections: Int, port: Int) async throws -> [String] {

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xinyong-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let script = dir.appendingPathComponent("codes.lua")
        let list = codes.map { "\"\($0)\"" }.joined(separator: ",")
        try """
        local codes = {\(list)}
        local i = 0
        request = function()
          i = i + 1
          return wrk.format("GET", "/api/v1/subjects/" .. codes[(i % #codes) + 1])
        end
        """.write(to: script, atomically: true, encoding: .utf8)

        func load(_ args: [String]) throws -> (rps: Double, text: String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: wrk)
            p.arguments = ["-t2", "-c\(connections)", "-d\(seconds)s", "--latency"] + args
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self)
            let rps = text.split(separator: "\n").first { $0.hasPrefix("Requests/sec:") }
                .flatMap { Double($0.split(separator: " ").last.map(String.init) ?? "") } ?? 0
            let non2xx = text.split(separator: "\n").first { $0.contains("Non-2xx") }.map(String.init)
            if let non2xx { throw Platform.StartError(description: "wrk 收到非 2xx 响应：\(non2xx)") }
            return (rps, text)
        }
        // Both runs generate requests with the same Lua function shape, so wrk's own CPU use (it
        // shares the machine with the server) does not favour one of them.
        let healthScript = dir.appendingPathComponent("health.lua")
        try """
        local paths = {"/healthz"}
        local i = 0
        request = function()
          i = i + 1
          return wrk.format("GET", paths[(i % #paths) + 1])
        end
        """.write(to: healthScript, atomically: true, encoding: .utf8)
        // Alternate the two loads three times and compare means, so drift in what else the
        // machine is doing affects both equally.
        let base = "http://127.0.0.1:\(port)"
        var healthRuns: [Double] = []
        var lookupRuns: [Double] = []
        for _ in 0..<3 {
            healthRuns.append(try load(["-s", healthScript.path, "\(base)/"]).rps)
            lookupRuns.append(try load(["-s", script.path, "\(base)/"]).rps)
        }
        try? FileManager.default.removeItem(at: dir)
        let healthRPS = healthRuns.reduce(0, +) / 3
        let lookupRPS = lookupRuns.reduce(0, +) / 3
        func runs(_ xs: [Double]) -> String { xs.map { String(format: "%.0f", $0) }.joined(separator: " / ") }
        return [
            String(format: "HTTP（wrk -t2 -c%d，交替各 3 轮、每轮 %d 秒，服务与压测同机）：/healthz 平均 %.0f 次/秒（%@）", connections, seconds, healthRPS, runs(healthRuns)),
            String(format: "HTTP GET /api/v1/subjects/{code}（5000 个代码轮询）：平均 %.0f 次/秒（%@），为 /healthz 的 %.0f%%，目标 ≥ 50%%", lookupRPS, runs(lookupRuns), lookupRPS / healthRPS * 100),
        ]
    }
}
