import ArgumentParser
import Foundation
import Logging
import XinyongApp
import XinyongCore
import XinyongLedger
import XinyongStore

@main
struct Xinyong: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xinyong",
        abstract: "Xinyong（信用）公共信用信息平台",
        subcommands: [Serve.self, Migrate.self, Import.self, Publicity.self, LedgerCommand.self, ReportCommand.self, Id.self, Calendar.self, User.self, APIKey.self, Demo.self, DemoFile.self, Bench.self, BenchIngest.self, BenchLedger.self]
    )
}

/// Options every command that touches the database accepts; they outrank environment and config file.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("database"), help: "数据库地址：sqlite:///路径 或 postgres://…（XINYONG_DATABASE_URL）")
    var database: String?
    @Option(help: "JSON 配置文件（XINYONG_CONFIG）")
    var config: String?
    @Option(name: .customLong("log-level"), help: "日志级别：trace|debug|info|notice|warning|error（XINYONG_LOG_LEVEL）")
    var logLevel: String?

    func load(extra: [String: String?] = [:]) throws -> AppConfig {
        var flags: [String: String] = [:]
        flags["database_url"] = database
        flags["log_level"] = logLevel
        for (k, v) in extra { flags[k] = v }
        do {
            let config = try AppConfig.load(flags: flags, configFile: config)
            LoggingBootstrap.once(level: config.logLevel)
            return config
        } catch let e as AppConfig.ConfigError {
            throw Failure(e.description)
        }
    }
}

enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false
    static func once(level: Logger.Level) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
    }
}

/// A failure with a message for the operator; exits non-zero.
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Opens the platform for a command. `bulk`: the command reads or writes the database in bulk and
/// alone (audit, import), so SQLite reads through a 1 GB memory map unless `sqlite_mmap_mb` says
/// otherwise; the server and short commands read without one (see `StoreDatabase.open`).
func openPlatform(_ config: AppConfig, schema: Platform.SchemaPolicy, bulk: Bool = false) async throws -> Platform {
    var config = config
    if bulk && config.sqliteMmapMB == nil { config.sqliteMmapMB = 1024 }
    do {
        return try await Platform.open(config, schema: schema, logger: Logger(label: "xinyong"))
    } catch let e as Platform.StartError {
        throw Failure(e.description)
    } catch {
        throw Failure(String(describing: error))
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "启动网站与 API 服务（空数据库时自动建表、载入演示数据并创建管理员）")
    @OptionGroup var common: CommonOptions
    @Option(help: "监听地址（XINYONG_HOST，默认 127.0.0.1）") var host: String?
    @Option(help: "监听端口（XINYONG_PORT，默认 8080）") var port: Int?

    func run() async throws {
        let config = try common.load(extra: ["host": host, "port": port.map(String.init)])
        let platform = try await openPlatform(config, schema: .migrateIfEmpty)
        try await platform.serve()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "应用尚未执行的数据库迁移")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        let config = try common.load()
        let platform = try await openPlatform(config, schema: .migrateAll)
        await platform.close()
        print("数据库结构已是最新（\(config.database)）")
    }
}

struct Publicity: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "公示期管理", subcommands: [Sweep.self])

    struct Sweep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "结束已过公示期的记录的公示、移出期满的名单记录并记入变更日志，为逾期未受理的异议加注“异议处理中”（可重复执行）")
        @OptionGroup var common: CommonOptions
        @Option(help: "按哪一天处理（YYYY-MM-DD，默认今天）") var on: String?

        func run() async throws {
            let config = try common.load()
            guard let day = on.map({ CivilDate($0) }) ?? CivilDate.today() else { throw ValidationError("日期应为 YYYY-MM-DD") }
            let platform = try await openPlatform(config, schema: .requireCurrent)
            do {
                let r = try await platform.sweepPublicity(today: day)
                await platform.close()
                print("\(day)：停止公示 \(r.ended) 条，移出名单 \(r.listsRemoved) 条，加注异议标记 \(r.marked) 条，逾期督办 \(r.escalated) 件")
            } catch {
                await platform.close()
                throw error
            }
        }
    }
}

struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ledger", abstract: "透明日志", subcommands: [Sequence.self, Audit.self])

    struct Sequence: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "把尚未记入日志的变更事件按顺序记入透明日志并签署检查点（serve 每 5 秒自动执行）")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let platform = try await openPlatform(try common.load(), schema: .requireCurrent, bulk: true)
            do {
                let before = try await platform.store.ledgerSize()
                let started = ContinuousClock.now
                let signer = try await platform.ledgerSigner()
                let c = try await platform.store.sequenceAndSign(signer: signer, origin: platform.config.ledgerOrigin)
                let elapsed = ContinuousClock.now - started
                let after = try await platform.store.ledgerSize()
                await platform.close()
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                print("新记入 \(after - before) 条（共 \(after) 条），用时 \(String(format: "%.1f", seconds)) 秒" + (c.map { "；已签署检查点 \($0.size)" } ?? ""))
            } catch {
                await platform.close()
                throw error
            }
        }
    }

    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "按数据库中的变更事件重算整棵日志树，核对每条日志、存储的子树哈希和每个检查点的签名与一致性；发现问题时退出码为 1")
        @OptionGroup var common: CommonOptions
        @Flag(help: "同时逐个核对存储的全部子树哈希（多读一遍节点表，较慢）") var nodes = false

        func run() async throws {
            let platform = try await openPlatform(try common.load(), schema: .requireCurrent, bulk: true)
            let report: LedgerAudit
            do {
                report = try await platform.store.audit(verifierKeys: try await platform.store.ledgerKeys(), checkNodes: nodes)
                await platform.close()
            } catch {
                await platform.close()
                throw error
            }
            print("事件 \(report.events) 个，日志条目 \(report.leaves) 条，检查点 \(report.checkpoints) 个")
            guard report.ok else {
                for p in report.problems { print("问题：\(p)") }
                throw ExitCode(1)
            }
            print("审计通过：日志与数据库一致，所有检查点签名有效且彼此一致")
        }
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "批量导入一个 CSV 或 Excel (.xlsx) 文件（一次提交、一个事务；表头用字段名或中文列名）")
    @OptionGroup var common: CommonOptions
    @Option(help: "目录项代码，如 xzcf（行政处罚）、xzxk（行政许可）") var item: String
    @Option(help: "报送部门代码") var department: String
    @Option(help: "CSV 文件编码：utf-8 或 gb18030（不填则自动识别）") var encoding: String?
    @Flag(help: "有被拒绝或暂存的行时以非零状态退出") var strict = false
    @Argument(help: "CSV 或 .xlsx 文件（.xlsx 读第一个工作表）") var file: String

    func run() async throws {
        var enc: CSVReader.Encoding? = nil
        if let e = encoding {
            guard let parsed = CSVReader.Encoding(rawValue: e.lowercased() == "gbk" ? "gb18030" : e.lowercased()) else {
                throw Failure("不支持的编码 \(e)：请用 utf-8 或 gb18030")
            }
            enc = parsed
        }
        let platform = try await openPlatform(try common.load(), schema: .requireCurrent, bulk: true)
        let start = Date()
        let result: SubmissionResult
        do {
            result = try await platform.importFile(file, itemCode: item, department: department, encoding: enc)
            await platform.close()
        } catch {
            await platform.close()
            throw error
        }
        let seconds = Date().timeIntervalSince(start)
        print("提交 \(result.id)：共 \(result.totalRows) 行，新增 \(result.created)，更新 \(result.updated)，未变 \(result.unchanged)，拒绝 \(result.rejectedRows)，暂存待确认 \(result.heldRows)（\(String(format: "%.1f", seconds)) 秒）")
        for p in (result.rejected + result.held).prefix(20) {
            print("第 \(p.row) 行\(p.issue.label.map { "【\($0)】" } ?? "")：\(p.issue.reason)")
        }
        if result.rejectedRows + result.heldRows > 20 { print("……其余问题行见 GET /api/v1/submissions/\(result.id)") }
        if strict && result.rejectedRows + result.heldRows > 0 { throw ExitCode(3) }
    }
}

struct Id: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "证照代码工具", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "校验统一社会信用代码、公民身份号码或组织机构代码；任一无效则以非零状态退出")
        @Argument(help: "要校验的代码") var codes: [String]

        func run() async throws {
            let validator = IdentifierValidator()
            let today = CivilDate.today()
            var anyInvalid = false
            for code in codes {
                let c = validator.check(code, today: today)
                let kind = c.kind.map { ["uscc": "统一社会信用代码", "resident_id": "公民身份号码", "org_code": "组织机构代码"][$0.rawValue]! } ?? "未知"
                let shown = c.kind == .residentID ? IdentifierValidator.maskResidentID(c.normalized ?? code) : (c.normalized ?? code)
                var line = "\(c.valid ? "有效" : "无效")\t\(shown)\t\(kind)"
                if let r = c.region { line += "\t\(r.name)" }
                if let reason = c.reason { line += "\t\(reason)" }
                for w in c.warnings { line += "\t注意：\(w)" }
                print(line)
                anyInvalid = anyInvalid || !c.valid
            }
            if anyInvalid { throw ExitCode(1) }
        }
    }
}

struct Calendar: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "工作日历：随版本发布 2019 年起的节假日与调休数据，信用办可补充新年度",
        subcommands: [AddWorkdays.self, WorkdaysBetween.self, SetYear.self])

    /// The shipped calendar with the years the credit office added in the configured database
    /// (when that database exists; a missing default SQLite file is not created for this).
    static func load(_ common: CommonOptions) async throws -> WorkingCalendar {
        let config = try common.load()
        if case .sqlite(let path) = config.database, path == ":memory:" || !FileManager.default.fileExists(atPath: path) {
            return .shipped
        }
        let platform = try await openPlatform(config, schema: .requireCurrent)
        do {
            let calendar = try await platform.store.workingCalendar()
            await platform.close()
            return calendar
        } catch {
            await platform.close()
            throw error
        }
    }

    static func date(_ text: String) throws -> CivilDate {
        guard let d = CivilDate(text) else { throw Failure("日期应为 YYYY-MM-DD：\(text)") }
        return d
    }

    static func run<T>(_ body: () throws(WorkingCalendar.YearNotCovered) -> T) throws -> T {
        do { return try body() } catch { throw Failure(error.description) }
    }

    struct AddWorkdays: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-workdays", abstract: "打印某日之后第 N 个工作日的日期（起始日本身不计）")
        @OptionGroup var common: CommonOptions
        @Argument(help: "起始日期 YYYY-MM-DD") var date: String
        @Argument(help: "工作日数（可为负数）") var days: Int

        func run() async throws {
            let start = try Calendar.date(date)
            let calendar = try await Calendar.load(common)
            let n = days
            print(try Calendar.run { () throws(WorkingCalendar.YearNotCovered) in try calendar.addingWorkdays(n, to: start) })
        }
    }

    struct WorkdaysBetween: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "workdays-between", abstract: "打印 A 之后直到 B（含 B）的工作日数")
        @OptionGroup var common: CommonOptions
        @Argument(help: "日期 A（YYYY-MM-DD）") var from: String
        @Argument(help: "日期 B（YYYY-MM-DD）") var to: String

        func run() async throws {
            let a = try Calendar.date(from), b = try Calendar.date(to)
            let calendar = try await Calendar.load(common)
            print(try Calendar.run { () throws(WorkingCalendar.YearNotCovered) in try calendar.workdays(from: a, to: b) })
        }
    }

    struct SetYear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-year",
            abstract: "补充或更正某年的日历：文件每行“日期<TAB>holiday|workday<TAB>名称”（# 开头为注释）")
        @OptionGroup var common: CommonOptions
        @Argument(help: "年份") var year: Int
        @Argument(help: "日历文件") var file: String
        @Option(help: "依据的放假通知文号") var source: String

        func run() async throws {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw Failure("无法以 UTF-8 读取文件 \(file)") }
            var entries: [WorkingCalendar.Entry] = []
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let t = line.trimmingCharacters(in: .whitespaces)
                if t.isEmpty || t.hasPrefix("#") { continue }
                let cols = t.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }
                guard cols.count == 3, let d = CivilDate(cols[0]), let k = WorkingCalendar.DayKind(rawValue: cols[1]) else {
                    throw Failure("第 \(i + 1) 行格式错误：应为“YYYY-MM-DD<TAB>holiday 或 workday<TAB>名称”")
                }
                entries.append(.init(date: d, kind: k, name: cols[2]))
            }
            let platform = try await openPlatform(try common.load(), schema: .requireCurrent)
            do {
                try await platform.store.putCalendarYear(CalendarYear(year: year, source: source, entries: entries), actor: "cli")
                await platform.close()
            } catch {
                await platform.close()
                throw error
            }
            print("已保存 \(year) 年日历：\(entries.count) 条（放假 \(entries.filter { $0.kind == .holiday }.count)，调休上班 \(entries.filter { $0.kind == .workday }.count)）")
        }
    }
}

struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "管理账号", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "创建账号（密码取自 XINYONG_NEW_PASSWORD，未设置则生成并只显示一次）")
        @OptionGroup var common: CommonOptions
        @Option(help: "用户名（3–64 位字母、数字或 . _ - @）") var username: String
        @Option(help: "显示名称") var name: String
        @Option(help: "角色：admin | department_submitter | department_reviewer | subject_user") var role: String
        @Option(help: "所属部门代码（部门角色必填）") var department: String?
        @Option(help: "绑定的主体代码（信用主体用户必填）") var subject: String?

        func run() async throws {
            guard let role = Role(rawValue: role), role != .apiClient else {
                throw Failure("未知或不适用的角色 \(role)：机器账号请用 xinyong apikey create")
            }
            let config = try common.load()
            let platform = try await openPlatform(config, schema: .requireCurrent)
            do {
                let supplied = ProcessInfo.processInfo.environment["XINYONG_NEW_PASSWORD"]
                let created = try await platform.createAccount(username: username, displayName: name, role: role,
                                                               department: department, subjectCode: subject, password: supplied)
                await platform.close()
                print("已创建账号 \(created.account.username)（\(role.label)）")
                if let generated = created.generatedPassword { print("初始密码（只显示这一次）：\(generated)") }
            } catch {
                await platform.close()
                throw error
            }
        }
    }
}

struct APIKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apikey", abstract: "管理 API 密钥", subcommands: [Create.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "创建 API 密钥（密钥只显示一次，库中仅存其哈希）")
        @OptionGroup var common: CommonOptions
        @Option(help: "角色：admin | department_submitter | department_reviewer | subject_user | api_client") var role: String
        @Option(help: "所属部门代码（部门角色必填）") var department: String?
        @Option(help: "密钥名称，便于识别") var name: String = "API 密钥"

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw Failure("未知角色 \(role)，可选：\(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let config = try common.load()
            let platform = try await openPlatform(config, schema: .requireCurrent)
            do {
                let info = try await platform.createAPIKey(name: name, role: role, department: department)
                await platform.close()
                print("已创建 API 密钥 \(info.prefix)（\(role.label)\(department.map { "，部门 \($0)" } ?? "")）")
                print("密钥（只显示这一次）：\(info.token)")
                print("用法：curl -H 'Authorization: Bearer \(info.token)' http://127.0.0.1:8080/api/v1/me")
            } catch {
                await platform.close()
                throw error
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "撤销 API 密钥")
        @OptionGroup var common: CommonOptions
        @Argument(help: "密钥前缀（xy_ 后的 10 个字符）") var prefix: String

        func run() async throws {
            let platform = try await openPlatform(try common.load(), schema: .requireCurrent)
            let ok = try await platform.revokeAPIKey(prefix: prefix)
            await platform.close()
            guard ok else { throw Failure("没有有效的密钥 \(prefix)") }
            print("已撤销密钥 \(prefix)")
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "生成并载入确定性的合成演示数据（标记为合成数据）：主体，以及经归集流程载入的行政处罚、行政许可记录")
    @OptionGroup var common: CommonOptions
    @Option(help: "新增主体数量（0：不新增，只为已有主体生成记录）") var subjects: Int = 10_000
    @Option(help: "行政处罚与行政许可记录各多少条（经与文件报送相同的校验、关联、公示期和变更日志流程）") var records: Int = 0
    @Option(help: "随机种子（相同种子生成相同数据）") var seed: UInt64 = 20_260_401

    func run() async throws {
        guard subjects >= 0, records >= 0, subjects + records > 0 else { throw Failure("--subjects 或 --records 至少一项应为正整数") }
        let config = try common.load()
        let platform = try await openPlatform(config, schema: .migrateIfEmpty, bulk: true)
        let start = Date()
        let logger = Logger(label: "xinyong")
        var created = 0, rejected = 0
        do {
            let demo = DemoData(seed: seed)
            if subjects > 0 { try await demo.load(into: platform.store, subjects: subjects, logger: logger) }
            if records > 0 {
                let population = try await platform.store.countSubjects()
                let results = try await demo.loadRecords(into: platform.store, penalties: records, licences: records,
                                                         population: population, logger: logger)
                created = results.reduce(0) { $0 + $1.created }
                rejected = results.reduce(0) { $0 + $1.rejectedRows + $1.heldRows }
            }
        } catch {
            await platform.close()
            throw error
        }
        let total = try await platform.store.countSubjects()
        await platform.close()
        print("已载入 \(subjects) 个合成主体、\(created) 条记录（未通过 \(rejected)），用时 \(String(format: "%.1f", Date().timeIntervalSince(start))) 秒；库中共 \(total) 个主体")
        if rejected > 0 { throw ExitCode(3) }
    }
}

struct DemoFile: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-file",
        abstract: "写出一份合成演示报送文件（CSV，中文模板表头），用于试用上传页面和接口")
    @Option(help: "目录项代码：\(DemoRecords.items.joined(separator: "、"))") var item: String = "xzcf"
    @Option(help: "只写该部门作出的记录（演示部门代码，如 SCJGJ）") var department: String?
    @Option(help: "记录编号从几开始（与已载入的演示记录错开即为新记录）") var from: Int = 1_000_000
    @Option(help: "遍历多少个记录编号") var rows: Int = 100
    @Option(help: "演示主体数量（与 serve 载入的相同，默认 2000）") var population: Int = 2000
    @Option(help: "随机种子（与 serve 的 XINYONG_DEMO_SEED 相同）") var seed: UInt64 = 20_260_401
    @Flag(help: "以 GB18030 编码写出（默认 UTF-8 带 BOM）") var gb18030 = false
    @Argument(help: "输出文件路径") var output: String

    func run() throws {
        guard rows > 0, from >= 0, population > 0 else { throw Failure("--rows、--population 应为正整数，--from 不能为负") }
        let records = DemoRecords(data: DemoData(seed: seed), today: CivilDate.today())
        let written = try records.writeCSV(item: item, rows: from..<(from + rows), department: department, population: population,
                                           gb18030: gb18030, to: output)
        print("已写出 \(written) 行到 \(output)")
        if written == 0 { throw ExitCode(3) }
    }
}
