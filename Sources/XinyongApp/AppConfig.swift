import Foundation
import Logging
import XinyongCore
import XinyongStore

/// A secret value: never printed, never logged.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "***" }
    public var debugDescription: String { "***" }
}

/// The platform's typed configuration, read once at start in the order
/// command-line flag > environment (`XINYONG_*`) > config file > defaults, and validated:
/// a bad value stops the start with a message naming the setting.
public struct AppConfig: Sendable {
    public var database: DatabaseLocation
    public var host: String
    public var port: Int
    public var siteName: String
    public var logLevel: Logger.Level
    public var cookieSecure: Bool
    public var bcryptCost: UInt8
    public var dbPoolSize: Int
    /// SQLite's memory map in MB (`sqlite_mmap_mb`); nil when not set: the server then reads without
    /// one and bulk commands (audit, import) map 1 GB (see `StoreDatabase.open`).
    public var sqliteMmapMB: Int?
    /// Base64 of at least 32 bytes; when absent, the key file is used (and created on a new database).
    public var dataKey: Secret?
    public var dataKeyFile: String
    /// The transparency log's signing key (C2SP private key text), beside the data key by default.
    public var ledgerKeyFile: String
    /// The log's origin line and key name (no spaces or '+').
    public var ledgerOrigin: String
    public var adminPassword: Secret?
    /// Subjects to generate on the first start of an empty database (0: none).
    public var demoSubjects: Int
    /// 行政处罚 and 行政许可 records each to generate for the demo subjects, through the intake path.
    public var demoRecords: Int
    public var demoSeed: UInt64
    /// Anonymous searches and record reads per client per minute (0: no limit), and the burst allowed at once.
    public var reading: ReadingBudget
    /// How long the headline and list figures are kept before they are counted again (0: counted on every visit).
    public var figuresCacheSeconds: Int
    /// Working days a subject has to state its case after a list notice (告知); [U], set by each field's rules.
    public var listStatementWorkdays: Int
    /// The credit office's own department code: objections about its data are decided on the platform's deadline.
    public var officeDepartment: String
    /// Minutes between runs of the publicity sweep (end of periods, overdue objection marks); 0 = only by hand.
    public var sweepMinutes: Int
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    public var trustedProxies: Set<String>
    /// The site's address as the public reaches it (printed on reports and in their QR codes).
    public var publicURL: String
    /// Days a credit report is valid from its issue date ([U]: local practice is 30 days or 3 months).
    public var reportValidDays: Int
    /// The headless browser that prints reports as PDF (empty: chromium or chromium-browser on PATH).
    public var pdfBrowser: String

    /// Every setting: its name (config-file key and `--flag`), environment variable, and default.
    public struct Setting: Sendable {
        public let key: String
        public let defaultValue: String?
        public let secret: Bool
        /// The command-line flag, for the few settings that have one.
        public var flag: String? = nil
        public var env: String { "XINYONG_" + key.uppercased() }
        /// Where the setting can be given, for error messages.
        public var sources: String { ([flag].compactMap { $0 } + [env, "配置文件键 \(key)"]).joined(separator: " / ") }
    }

    public static let settings: [Setting] = [
        .init(key: "database_url", defaultValue: "sqlite://data/xinyong.sqlite", secret: true, flag: "--database"),
        .init(key: "host", defaultValue: "127.0.0.1", secret: false, flag: "--host"),
        .init(key: "port", defaultValue: "8080", secret: false, flag: "--port"),
        .init(key: "site_name", defaultValue: "信用中国（本地）", secret: false),
        .init(key: "log_level", defaultValue: "info", secret: false, flag: "--log-level"),
        .init(key: "cookie_secure", defaultValue: "true", secret: false),
        .init(key: "bcrypt_cost", defaultValue: "12", secret: false),
        .init(key: "db_pool_size", defaultValue: "8", secret: false),
        .init(key: "sqlite_mmap_mb", defaultValue: nil, secret: false),
        .init(key: "data_key", defaultValue: nil, secret: true),
        .init(key: "data_key_file", defaultValue: nil, secret: false),
        .init(key: "admin_password", defaultValue: nil, secret: true),
        .init(key: "demo_subjects", defaultValue: "2000", secret: false),
        .init(key: "demo_records", defaultValue: "1000", secret: false),
        .init(key: "demo_seed", defaultValue: "20260401", secret: false),
        .init(key: "public_rate_per_minute", defaultValue: "120", secret: false),
        .init(key: "public_rate_burst", defaultValue: "40", secret: false),
        .init(key: "trusted_proxies", defaultValue: "", secret: false),
        .init(key: "figures_cache_seconds", defaultValue: "300", secret: false),
        .init(key: "list_statement_workdays", defaultValue: "5", secret: false),
        .init(key: "office_department", defaultValue: "XYB", secret: false),
        .init(key: "ledger_origin", defaultValue: "xinyong.local/credit-log", secret: false),
        .init(key: "ledger_key_file", defaultValue: "", secret: false),
        .init(key: "sweep_minutes", defaultValue: "10", secret: false),
        .init(key: "public_url", defaultValue: "", secret: false),
        .init(key: "report_valid_days", defaultValue: "30", secret: false),
        .init(key: "pdf_browser", defaultValue: "", secret: false),
    ]

    public struct ConfigError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Resolves every setting from the sources, highest priority first.
    /// - Parameters:
    ///   - flags: values given on the command line, by setting key (`database_url`, `port`, …).
    ///   - environment: the process environment.
    ///   - configFile: a JSON object file (`--config` / `XINYONG_CONFIG`), keys as the setting keys.
    public static func load(flags: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment,
                            configFile: String? = nil) throws -> AppConfig {
        var file: [String: String] = [:]
        if let path = configFile ?? environment["XINYONG_CONFIG"] {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigError(description: "配置文件 \(path) 无法读取（--config / XINYONG_CONFIG）")
            }
            guard let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw ConfigError(description: "配置文件 \(path) 不是 JSON 对象")
            }
            let known = Set(settings.map(\.key))
            for (k, v) in obj {
                guard known.contains(k) else { throw ConfigError(description: "配置文件 \(path) 含未知配置项 \(k)") }
                file[k] = "\(v)"
            }
        }
        var values: [String: String] = [:]
        for s in settings {
            values[s.key] = flags[s.key] ?? environment[s.env] ?? file[s.key] ?? s.defaultValue
        }
        return try AppConfig(values: values)
    }

    init(values v: [String: String]) throws {
        func named(_ key: String) -> String {
            let s = Self.settings.first { $0.key == key }!
            return "配置项 \(key)（\(s.sources)）"
        }
        func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
            let raw = v[key] ?? ""
            guard let n = Int(raw), range.contains(n) else {
                throw ConfigError(description: "\(named(key)) 无效：应为 \(range.lowerBound)–\(range.upperBound) 的整数，实际为“\(raw)”")
            }
            return n
        }
        func bool(_ key: String) throws -> Bool {
            switch (v[key] ?? "").lowercased() {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off": return false
            case let raw: throw ConfigError(description: "\(named(key)) 无效：应为 true 或 false，实际为“\(raw)”")
            }
        }
        do {
            database = try DatabaseLocation(url: v["database_url"] ?? "")
        } catch {
            throw ConfigError(description: "\(named("database_url")) 无效：\(error.message)")
        }
        host = v["host"] ?? ""
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || ".:-".contains($0) }) else {
            throw ConfigError(description: "\(named("host")) 无效：“\(host)”不是主机名或 IP 地址")
        }
        port = try int("port", 0...65535)
        siteName = (v["site_name"] ?? "").trimmingCharacters(in: .whitespaces)
        guard (1...40).contains(siteName.count) else { throw ConfigError(description: "\(named("site_name")) 应为 1–40 个字") }
        guard let level = Logger.Level(rawValue: (v["log_level"] ?? "").lowercased()) else {
            throw ConfigError(description: "\(named("log_level")) 无效：应为 trace、debug、info、notice、warning、error 或 critical")
        }
        logLevel = level
        cookieSecure = try bool("cookie_secure")
        bcryptCost = UInt8(try int("bcrypt_cost", 4...31))
        dbPoolSize = try int("db_pool_size", 1...256)
        if v["sqlite_mmap_mb"] != nil { sqliteMmapMB = try int("sqlite_mmap_mb", 0...65_536) }
        if let k = v["data_key"] {
            guard let d = Data(base64Encoded: k), d.count >= 32 else {
                throw ConfigError(description: "\(named("data_key")) 无效：应为至少 32 字节密钥的 Base64 编码")
            }
            dataKey = Secret(k)
        }
        if let f = v["data_key_file"], !f.isEmpty {
            dataKeyFile = f
        } else if case .sqlite(let path) = database, path != ":memory:" {
            dataKeyFile = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("xinyong.key").path
        } else {
            dataKeyFile = "data/xinyong.key"
        }
        ledgerKeyFile = (v["ledger_key_file"] ?? "").isEmpty
            ? URL(fileURLWithPath: dataKeyFile).deletingLastPathComponent().appendingPathComponent("xinyong-ledger.key").path
            : v["ledger_key_file"]!
        ledgerOrigin = (v["ledger_origin"] ?? "xinyong.local/credit-log").trimmingCharacters(in: .whitespaces)
        guard !ledgerOrigin.isEmpty, !ledgerOrigin.contains(where: { $0 == "+" || $0.isWhitespace }) else {
            throw ConfigError(description: "\(named("ledger_origin")) 无效：透明日志的来源名称不能为空，不能含空格或加号（如 credit.example.gov.cn/log）")
        }
        if let p = v["admin_password"] {
            guard p.count >= 10 else { throw ConfigError(description: "\(named("admin_password")) 太短：至少 10 位") }
            adminPassword = Secret(p)
        }
        demoSubjects = try int("demo_subjects", 0...10_000_000)
        demoRecords = try int("demo_records", 0...50_000_000)
        guard let seed = UInt64(v["demo_seed"] ?? "") else {
            throw ConfigError(description: "\(named("demo_seed")) 无效：应为非负整数")
        }
        demoSeed = seed
        figuresCacheSeconds = try int("figures_cache_seconds", 0...86_400)
        listStatementWorkdays = try int("list_statement_workdays", 1...60)
        officeDepartment = (v["office_department"] ?? "XYB").trimmingCharacters(in: .whitespaces).uppercased()
        guard (2...20).contains(officeDepartment.count) else { throw ConfigError(description: "\(named("office_department")) 无效：应为信用办的部门代码，如 XYB") }
        sweepMinutes = try int("sweep_minutes", 0...1440)
        reportValidDays = try int("report_valid_days", 1...366)
        pdfBrowser = (v["pdf_browser"] ?? "").trimmingCharacters(in: .whitespaces)
        publicURL = (v["public_url"] ?? "").trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if publicURL.isEmpty { publicURL = "http://\(host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host):\(port)" }
        guard publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://") else {
            throw ConfigError(description: "\(named("public_url")) 无效：应为 http:// 或 https:// 开头的网址，如 https://credit.example.gov.cn")
        }
        reading = ReadingBudget(perMinute: try int("public_rate_per_minute", 0...100_000), burst: try int("public_rate_burst", 1...100_000))
        trustedProxies = Set((v["trusted_proxies"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        for proxy in trustedProxies where !proxy.allSatisfy({ $0.isHexDigit || ".:".contains($0) }) {
            throw ConfigError(description: "\(named("trusted_proxies")) 无效：“\(proxy)”不是 IP 地址（多个地址用逗号分隔）")
        }
    }
}
