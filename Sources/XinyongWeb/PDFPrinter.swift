import Foundation
import XinyongCore

/// Prints HTML to PDF with a headless Chromium (Debian's `chromium` package, with a CJK font such
/// as `fonts-noto-cjk`). Each print is a fresh browser with its own temporary profile; at most two
/// run at once, so a burst of downloads cannot exhaust the server.
actor PDFPrinter {
    static let shared = PDFPrinter()
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    static let limit = 2
    static let timeout: Duration = .seconds(30)

    /// The browser: the configured one, or the first of the usual names on PATH.
    static func browser(_ configured: String?) -> String? {
        if let configured { return FileManager.default.isExecutableFile(atPath: configured) ? configured : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") { return "\(dir)/\(name)" }
        }
        return nil
    }

    func render(html: String, browser configured: String?) async throws -> [UInt8] {
        guard let browser = Self.browser(configured) else {
            throw DomainError.unavailable("服务器未安装无头浏览器，暂不能生成 PDF（请安装 chromium 和 fonts-noto-cjk，或设置 pdf_browser）；可以打开报告页面用浏览器打印")
        }
        while running >= Self.limit { await withCheckedContinuation { waiting.append($0) } }
        running += 1
        defer {
            running -= 1
            if !waiting.isEmpty { waiting.removeFirst().resume() }
        }
        return try await Self.run(browser: browser, html: html)
    }

    private static func run(browser: String, html: String) async throws -> [UInt8] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xinyong-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("report.html"), output = dir.appendingPathComponent("report.pdf")
        try Data(html.utf8).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
                             "--user-data-dir=\(dir.appendingPathComponent("profile").path)", "--no-pdf-header-footer",
                             "--print-to-pdf-no-header", "--print-to-pdf=\(output.path)", input.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let status: Int32 = try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask {
                try await withCheckedThrowingContinuation { (c: CheckedContinuation<Int32?, any Error>) in
                    process.terminationHandler = { c.resume(returning: $0.terminationStatus) }
                    do { try process.run() } catch {
                        process.terminationHandler = nil
                        c.resume(throwing: DomainError.unavailable("无法启动无头浏览器（\(browser)），暂不能生成 PDF；可以打开报告页面用浏览器打印"))
                    }
                }
            }
            group.addTask { try await Task.sleep(for: timeout); return nil }
            let first = try await group.next() ?? nil
            if first == nil, process.isRunning { process.terminate() }
            group.cancelAll()
            guard let first else { throw DomainError.unavailable("生成 PDF 超时，请稍后再试") }
            return first
        }
        guard status == 0, let data = try? Data(contentsOf: output), data.starts(with: Array("%PDF".utf8)) else {
            throw DomainError.unavailable("生成 PDF 失败（无头浏览器退出码 \(status)）；可以打开报告页面用浏览器打印")
        }
        return Array(data)
    }
}
