import Crypto
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import XinyongCore
import XinyongLedger
import XinyongStore
import XinyongWeb

/// An opened platform: database, store and configuration, ready to serve or to run a command.
public struct Platform: Sendable {
    public let config: AppConfig
    public let database: StoreDatabase
    public let store: SQLPlatformStore
    public let logger: Logger

    public enum SchemaPolicy: Sendable {
        /// `serve`: migrate an empty database; refuse one that is behind or ahead.
        case migrateIfEmpty
        /// `migrate`: apply whatever is pending.
        case migrateAll
        /// Other commands: the schema must already be current.
        case requireCurrent
    }

    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Opens the database, checks or applies the schema, and loads (or on a new database creates)
    /// the data key that protects identity numbers.
    public static func open(_ config: AppConfig, schema: SchemaPolicy, logger: Logger) async throws -> Platform {
        let database: StoreDatabase
        do {
            database = try await StoreDatabase.open(config.database, poolSize: config.dbPoolSize, memoryMapMB: config.sqliteMmapMB ?? 0, logger: logger)
            try await database.ping()
        } catch {
            throw StartError(description: "无法连接数据库 \(config.database)：\(Self.describe(error))")
        }
        do {
            let migrator = Migrator(database: database)
            switch (schema, try await migrator.check()) {
            case (_, .upToDate): break
            case (.migrateAll, .behind):
                try await migrator.migrate(logger: logger)
            case (.migrateIfEmpty, .behind(let pending)) where pending.count == Migrations.all.count:
                logger.info("新数据库：正在建立表结构", metadata: ["database": .string(config.database.description)])
                try await migrator.migrate(logger: logger)
            case (_, .behind):
                try await migrator.requireUpToDate()
            }
            let fresh = try await SQLPlatformStore.hasNoDataKeyCheck(database)
            let key = try loadDataKey(config, createIfMissing: fresh, logger: logger)
            let store = SQLPlatformStore(database: database, vault: IdentityVault(dataKey: key))
            try await store.verifyDataKey()
            // Windows computed under another catalog version (or before 0006) follow the rules in force.
            let refreshed = try await store.refreshPublicityWindows(catalog: try await store.catalog(), batch: 1000, today: .today())
            if refreshed > 0 { logger.notice("已按当前公示期限规则重算公示期", metadata: ["records": .stringConvertible(refreshed)]) }
            return Platform(config: config, database: database, store: store, logger: logger)
        } catch {
            try? await database.close()
            throw error
        }
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }

    /// The data key: `data_key` if set, else the key file; on a new database a missing key file is created (mode 0600).
    static func loadDataKey(_ config: AppConfig, createIfMissing: Bool, logger: Logger) throws -> Data {
        if let k = config.dataKey, let d = Data(base64Encoded: k.value) { return d }
        if config.database == .sqlite(path: ":memory:") {   // nothing outlives the process: no key file
            return SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        }
        let path = config.dataKeyFile
        if let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) {
            guard let d = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), d.count >= 32 else {
                throw StartError(description: "数据密钥文件 \(path) 内容无效：应为至少 32 字节密钥的 Base64 编码")
            }
            return d
        }
        guard createIfMissing else {
            throw StartError(description: "缺少数据密钥：数据库已有加密数据，但密钥文件 \(path) 不存在且未设置 XINYONG_DATA_KEY。请恢复原密钥文件。")
        }
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(key.base64EncodedString().utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw StartError(description: "无法创建数据密钥文件 \(path)")
        }
        logger.notice("已生成数据密钥文件（请与数据库分开备份）", metadata: ["path": .string(path)])
        return key
    }

    /// The transparency log's signing key: the key file, created (mode 0600) when missing. A new
    /// key file is a key rotation: the new key is registered and the old ones stay published.
    public func ledgerSigner() async throws -> NoteSigner {
        let path = config.ledgerKeyFile
        let signer: NoteSigner
        if config.database == .sqlite(path: ":memory:") {
            signer = try NoteSigner.generate(name: config.ledgerOrigin)
        } else if let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) {
            do { signer = try NoteSigner(privateKey: text) } catch {
                throw StartError(description: "透明日志签名密钥文件 \(path) 无效：\(error)")
            }
            guard signer.name == config.ledgerOrigin else {
                throw StartError(description: "透明日志签名密钥的名称（\(signer.name)）与 ledger_origin（\(config.ledgerOrigin)）不一致")
            }
        } else {
            signer = try NoteSigner.generate(name: config.ledgerOrigin)
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: path, contents: Data((signer.privateKey + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
                throw StartError(description: "无法创建透明日志签名密钥文件 \(path)")
            }
            logger.notice("已生成透明日志签名密钥（请与数据库分开备份）", metadata: ["path": .string(path), "verifier_key": .string(signer.verifierKey)])
        }
        try await store.registerLedgerKey(signer.verifierKey, keyHash: String(format: "%08x", signer.keyHash))
        return signer
    }

    public func close() async {
        try? await database.close()
    }

    /// On a database with no accounts, creates the first administrator `admin`. Returns the
    /// generated password when none was configured, so the caller can show it once.
    public func ensureFirstAdministrator() async throws -> String? {
        guard try await store.countAccounts() == 0 else { return nil }
        let generated = config.adminPassword == nil ? Passwords.generate() : nil
        let password = config.adminPassword?.value ?? generated!
        let hash = try await Passwords(cost: config.bcryptCost).hash(password)
        _ = try await store.createAccount(AccountDraft(username: "admin", displayName: "平台管理员", role: .admin), passwordHash: hash)
        logger.notice("已创建首个平台管理员账号", metadata: ["username": "admin"])
        return generated
    }

    /// On an empty registry, loads the synthetic demo data set and the demo departments.
    public func ensureDemoData() async throws {
        guard config.demoSubjects > 0, try await store.countSubjects() == 0 else { return }
        logger.info("空数据库：正在载入合成演示数据", metadata: ["subjects": .stringConvertible(config.demoSubjects)])
        let demo = DemoData(seed: config.demoSeed)
        try await demo.load(into: store, subjects: config.demoSubjects, logger: logger)
        if config.demoRecords > 0 {
            _ = try await demo.loadRecords(into: store, penalties: config.demoRecords, licences: config.demoRecords,
                                           population: config.demoSubjects, logger: logger)
        }
        for draft in try DemoData.articles(today: CivilDate.today()) {
            _ = try await store.saveArticle(id: nil, draft, actor: "demo", expectedVersion: nil, today: CivilDate.today())
        }
    }
}

/// Builds the HTTP application: used by `xinyong serve` and by the tests.
public func buildApplication(config: AppConfig, store: any PlatformStore, showsSyntheticNotice: Bool,
                             services: [any Service] = [], ledger: NoteSigner? = nil, logger: Logger) throws -> some ApplicationProtocol {
    let figures = HeadlineFigures(lifetime: .seconds(config.figuresCacheSeconds))
    var env = WebEnvironment(store: store, siteName: config.siteName, cookieSecure: config.cookieSecure,
                             passwords: Passwords(cost: config.bcryptCost), showsSyntheticNotice: showsSyntheticNotice, figures: figures,
                             reading: config.reading.isOff ? nil : ReadingLimiter(budget: config.reading),
                             trustedProxies: config.trustedProxies)
    env.listStatementWorkdays = config.listStatementWorkdays
    env.officeDepartment = config.officeDepartment
    if let ledger = ledger {
        env.ledger = store as? any LedgerStore
        env.ledgerVerifierKey = ledger.verifierKey
        if let reports = store as? any ReportStore & RecordStore {
            env.reports = ReportDesk(store: reports, signer: ledger, origin: config.ledgerOrigin, siteName: config.siteName,
                                     verifyBase: config.publicURL + "/verify", validDays: config.reportValidDays)
        }
    }
    env.pdfBrowser = config.pdfBrowser.isEmpty ? nil : config.pdfBrowser
    let router = try buildRouter(env)
    return Application(router: router,
                       configuration: .init(address: .hostname(config.host, port: config.port), serverName: "xinyong"),
                       services: services + (config.figuresCacheSeconds > 0 ? [FiguresService(figures: figures, store: store, logger: logger)] : []),
                       logger: logger)
}

/// Closes the database after the server has stopped (graceful shutdown on SIGTERM/SIGINT).
public struct DatabaseService: Service {
    let platform: Platform
    public init(platform: Platform) { self.platform = platform }

    public func run() async throws {
        try? await gracefulShutdown()
        await platform.close()
    }
}

extension Platform {
    public struct CreatedKey: Sendable {
        public let token: String
        public let prefix: String
    }

    /// Creates an API key; the token is returned once and only its hash is stored.
    public func createAPIKey(name: String, role: Role, department: String?) async throws -> CreatedKey {
        let k = try await admin.createAPIKey(name: name, role: role, department: department)
        try await auditCommandLine("新建 API 密钥", target: "apikey:\(k.info.id) \(k.info.prefix)")
        return CreatedKey(token: k.token, prefix: k.info.prefix)
    }

    /// Revokes a key by its prefix; false when there is no such active key.
    public func revokeAPIKey(prefix: String) async throws -> Bool {
        let revoked = try await store.revokeAPIKey(prefix: prefix)
        if revoked { try await auditCommandLine("撤销 API 密钥", target: "apikey \(prefix)") }
        return revoked
    }
}

extension Platform {
    /// `xinyong serve`: demo data and first administrator on an empty database, then the HTTP
    /// server until SIGTERM or SIGINT, then a graceful shutdown that closes the database.
    public func serve() async throws {
        do {
            try await ensureDemoData()
            if let password = try await ensureFirstAdministrator() {
                // Shown once on the operator's terminal, never through the logger.
                FileHandle.standardError.write(Data("""

                ================================================================
                 已创建首个平台管理员：用户名 admin
                 初始密码（只显示这一次，请立即保存）：\(password)
                ================================================================

                """.utf8))
            }
            let synthetic = try await store.setting("demo_dataset") != nil
            let signer = try await ledgerSigner()
            let app = try buildApplication(config: config, store: store, showsSyntheticNotice: synthetic,
                                           services: [DatabaseService(platform: self), GramStatisticsService(platform: self)]
                                               + (config.sweepMinutes > 0 ? [SweepService(platform: self, interval: .seconds(config.sweepMinutes * 60))] : [])
                                               + [LedgerService(platform: self, signer: signer)],
                                           ledger: signer,
                                           logger: logger)
            logger.info("服务启动", metadata: ["address": .string("http://\(config.host):\(config.port)"),
                                             "database": .string(config.database.description)])
            try await app.runService()
        } catch {
            await close()
            throw error
        }
    }
}

extension Platform {
    /// Creates a person's account. A subject user is bound to the subject with `subjectCode`.
    /// Returns the generated password when none was supplied, to be shown once.
    public func createAccount(username: String, displayName: String, role: Role, department: String?,
                              subjectCode: String?, password: String?) async throws -> (account: Account, generatedPassword: String?) {
        let created = try await admin.createAccount(username: username, displayName: displayName, role: role, department: department,
                                                    subjectCode: subjectCode, password: password)
        try await auditCommandLine("新建账号", target: "account:\(created.account.id) \(created.account.username)")
        return created
    }

    var admin: AccountAdmin { AccountAdmin(store: store, passwords: Passwords(cost: config.bcryptCost)) }

    /// The command line's changes go to the audit log too, as the operator on this machine.
    func auditCommandLine(_ action: String, target: String) async throws {
        try await store.recordAudit(AuditEntry(at: Date(), actor: "cli", actorName: "命令行（服务器本机）", role: "admin", departmentCode: nil,
                                               action: action, target: target, status: 0, address: nil))
    }
}

/// Counts the site's headline figures at start and keeps them fresh in the background, so that
/// the home and list pages never count a million records while a visitor waits.
struct FiguresService: Service {
    let figures: HeadlineFigures
    let store: any PlatformStore
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await figures.refresh(store: store, today: CivilDate.today())
            } catch {
                logger.warning("统计首页数字失败，访问时再统计", metadata: ["error.type": .string(String(reflecting: type(of: error)))])
            }
            let interval = await figures.refreshInterval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}

/// The publicity sweep at start and then every interval: ends the publicity of records past their
/// period and list entries past their term, with change-log events, and marks objections not
/// accepted by their marking deadline. Pages never show an expired record meanwhile (they check
/// the period themselves); the sweep records the end and keeps the marking deadline.
public struct SweepService: Service {
    let platform: Platform
    let interval: Duration

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let r = try await platform.sweepPublicity(today: CivilDate.today())
                if r != SweepResult() {
                    platform.logger.notice("公示期届满处理完成", metadata: ["ended": .stringConvertible(r.ended), "lists_removed": .stringConvertible(r.listsRemoved),
                                                                 "marked": .stringConvertible(r.marked), "escalated": .stringConvertible(r.escalated)])
                }
            } catch {
                platform.logger.error("公示期届满处理失败，下次再试", metadata: ["error.type": .string(String(reflecting: type(of: error)))])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}

extension Platform {
    public func sweepPublicity(today: CivilDate) async throws -> SweepResult {
        try await RightsDesk.load(store: store, today: today, officeDepartment: config.officeDepartment).sweep()
    }
}

/// The transparency log's sequencer: every few seconds it logs the change-log events not yet
/// logged, in order, and signs a checkpoint when the tree grew.
public struct LedgerService: Service {
    let platform: Platform
    let signer: NoteSigner
    var interval: Duration = .seconds(5)
    /// Beside the requests the server answers (see ``SequencerPace``).
    var pace = SequencerPace.besideRequests

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                if let c = try await platform.store.sequenceAndSign(signer: signer, origin: platform.config.ledgerOrigin, pace: pace) {
                    platform.logger.debug("透明日志已签署检查点", metadata: ["size": .stringConvertible(c.size)])
                }
            } catch {
                platform.logger.error("透明日志追加失败，稍后重试", metadata: ["error.type": .string(String(reflecting: type(of: error)))])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}

/// Keeps the name-search bigram statistics fresh: at start when missing or older than the
/// interval, then at every interval, in the background (searches stay correct meanwhile; only
/// the choice of driving bigram can be less than ideal).
public struct GramStatisticsService: Service {
    let platform: Platform
    let interval: Duration

    public init(platform: Platform, interval: Duration = .seconds(6 * 3600)) {
        self.platform = platform
        self.interval = interval
    }

    public func run() async throws {
        let seconds = Double(interval.components.seconds)
        var due = true
        if let last = try? await platform.store.gramStatisticsRefreshedAt() {
            due = Date().timeIntervalSince(last) > seconds
        }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if due {
                do {
                    try await platform.store.refreshGramStatistics()
                    platform.logger.info("已刷新名称检索统计")
                } catch {
                    platform.logger.error("刷新名称检索统计失败", metadata: ["error.type": .string(String(reflecting: type(of: error)))])
                }
            }
            due = true
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
