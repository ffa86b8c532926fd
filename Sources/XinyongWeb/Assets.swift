import Crypto
import Foundation
import Hummingbird
import XinyongCore

/// One static asset: its bytes, type and a version derived from its content. Pages link to
/// `path?v=<version>`; that address never changes content, so browsers keep it for a year, while
/// the bare path is cached briefly and revalidated by ETag.
struct Asset: Sendable {
    let path: String
    let type: String
    let body: String
    let version: String

    init(path: String, type: String, body: String) {
        self.path = path; self.type = type; self.body = body
        version = String(Hex.encode(Data(SHA256.hash(data: Data(body.utf8)))).prefix(12))
    }

    /// The address pages use.
    var versionedPath: String { "\(path)?v=\(version)" }

    func response(_ request: Request) -> Response {
        let etag = "\"\(version)\""
        let pinned = request.uri.queryParameters.get("v") == version
        var headers: HTTPFields = [.contentType: type, .eTag: etag,
                                   .cacheControl: pinned ? "public, max-age=31536000, immutable" : "public, max-age=300"]
        if request.headers[.ifNoneMatch]?.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) == true {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Static assets, served by the application itself (deployments are often offline: no CDN).
enum Assets {
    static let stylesheet = Asset(path: "/assets/site.css", type: "text/css; charset=utf-8", body: css)
    static let siteIcon = Asset(path: "/assets/icon.svg", type: "image/svg+xml", body: icon)
    static let robotsFile = Asset(path: "/robots.txt", type: "text/plain; charset=utf-8", body: robots)
    static let script = Asset(path: "/assets/site.js", type: "text/javascript; charset=utf-8", body: js)
    static let all = [stylesheet, siteIcon, robotsFile, script, reportStylesheet]

    /// Progressive enhancement only: every page works without it. It keeps identity numbers out of
    /// addresses: the site never shows natural persons, so a search that looks like one (the same
    /// rule as ``IdentifierValidator/looksLikeResidentID(_:)``) is stopped before it becomes a URL.
    static let js = """
    "use strict";
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[role=search]")) return;
      var input = form.querySelector("input[name=q]");
      if (!input) return;
      var v = input.value.replace(/[\\s\\-]/g, "").toUpperCase();
      var year = +v.slice(6, 10);
      if (/^\\d{15}$/.test(v) || (/^\\d{17}[\\dX]$/.test(v) && year >= 1850 && year <= 2100)) {
        event.preventDefault();
        var note = form.querySelector(".id-warning");
        if (!note) {
          note = document.createElement("p");
          note.className = "alert id-warning";
          note.setAttribute("role", "alert");
          form.appendChild(note);
        }
        note.textContent = "本站不公开自然人的信用信息，请勿输入身份证号码。查询企业、个体工商户等请输入名称或统一社会信用代码。";
      }
    });
    """


    static let robots = """
    User-agent: *
    Allow: /$
    Disallow: /search
    Disallow: /api/
    Disallow: /login
    Disallow: /account
    Disallow: /console

    """

    static let icon = """
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#b3261e"/><text x="16" y="23" font-size="19" text-anchor="middle" fill="#fff" font-family="sans-serif">信</text></svg>
    """

    static let css = """
    :root { --red: #b3261e; --red-dark: #8c1d17; --ink: #1f2328; --muted: #57606a; --line: #d8dee4; --bg: #f6f7f9; --ok: #116329; --warn: #9a6700; }
    * { box-sizing: border-box; }
    html { font-size: 16px; }
    body { margin: 0; color: var(--ink); background: var(--bg); line-height: 1.6;
      font-family: "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
    a { color: #0b57d0; }
    a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid #ffb000; outline-offset: 2px; }
    .wrap { max-width: 1080px; margin: 0 auto; padding: 0 16px; }
    .skip { position: absolute; left: -9999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 8px; z-index: 10; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .notice-synthetic { background: #fff8c5; color: #4d2d00; border-bottom: 1px solid #d4a72c; padding: 6px 16px; text-align: center; font-size: .9rem; }
    .site-header { background: var(--red); color: #fff; }
    .header-row { display: flex; align-items: center; justify-content: space-between; gap: 12px; min-height: 60px; flex-wrap: wrap; }
    .brand { color: #fff; text-decoration: none; font-size: 1.3rem; font-weight: 700; display: flex; align-items: center; gap: 8px; }
    .brand-mark { display: inline-grid; place-items: center; width: 34px; height: 34px; border: 2px solid #fff; border-radius: 6px; }
    .site-header nav a { color: #fff; text-decoration: none; margin-left: 16px; padding: 6px 0; display: inline-block; }
    .site-header nav a:hover { text-decoration: underline; }
    main { padding: 24px 16px 48px; }
    h1 { font-size: 1.6rem; margin: .2em 0 .6em; } h2 { font-size: 1.2rem; margin: 1.2em 0 .5em; }
    .hero { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 32px 24px; text-align: center; margin-top: 20px; }
    .hero h1 { font-size: 2rem; color: var(--red-dark); }
    .lead { color: var(--muted); margin-top: 0; }
    .search { display: flex; gap: 8px; max-width: 720px; margin: 16px auto; }
    .search input { flex: 1; min-width: 0; font-size: 1rem; padding: 12px 14px; border: 2px solid var(--red); border-radius: 6px; }
    button { font: inherit; background: var(--red); color: #fff; border: 0; border-radius: 6px; padding: 12px 22px; cursor: pointer; }
    button:hover { background: var(--red-dark); }
    .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 16px; margin: 20px 0; }
    .figure { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; }
    .figure-value { display: block; font-size: 1.8rem; font-weight: 700; color: var(--red-dark); font-variant-numeric: tabular-nums; }
    .figure-label { color: var(--muted); }
    .panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 20px 24px; margin: 16px 0; }
    .narrow { max-width: 460px; margin-left: auto; margin-right: auto; }
    .muted { color: var(--muted); }
    .alert { background: #ffebe9; border: 1px solid #ff8182; color: #82071e; padding: 10px 14px; border-radius: 6px; }
    .result-count { color: var(--muted); }
    .results { list-style: none; padding: 0; margin: 0; }
    .result { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; margin-bottom: 12px; }
    .result h2 { margin: 0 0 6px; font-size: 1.1rem; }
    .facts { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0; }
    .facts div { display: flex; gap: 6px; } .facts dt { color: var(--muted); } .facts dd { margin: 0; }
    .facts-wide { display: grid; grid-template-columns: 1fr; gap: 0; border-top: 1px solid var(--line); }
    .facts-wide div { display: grid; grid-template-columns: 10em 1fr; padding: 8px 0; border-bottom: 1px solid var(--line); }
    .code { font-family: "SFMono-Regular", Consolas, "Liberation Mono", monospace; letter-spacing: .02em; }
    .tag { display: inline-block; font-size: .8rem; padding: 1px 8px; border-radius: 10px; background: #eaeef2; color: var(--ink); }
    .tag-active { background: #dafbe1; color: var(--ok); } .tag-revoked, .tag-deregistered { background: #ffebe9; color: #82071e; }
    .tag-suspended, .tag-moved_out { background: #fff8c5; color: var(--warn); } .tag-synthetic { background: #fff8c5; color: #4d2d00; }
    .pager { display: flex; gap: 16px; justify-content: center; margin: 20px 0; }
    .pager a { background: #fff; border: 1px solid var(--line); padding: 8px 16px; border-radius: 6px; text-decoration: none; }
    .crumbs { color: var(--muted); font-size: .9rem; margin-top: 14px; }
    .form { display: grid; gap: 8px; } .form input { font: inherit; padding: 10px 12px; border: 1px solid #8c959f; border-radius: 6px; }
    .form button { margin-top: 8px; }
    ul.plain { margin: 0; padding-left: 1.2em; }
    .form select { font: inherit; padding: 10px 12px; border: 1px solid #8c959f; border-radius: 6px; background: #fff; }
    .form input[type=file] { background: #fff; }
    .form textarea { font: inherit; padding: 10px 12px; border: 1px solid #8c959f; border-radius: 6px; max-width: 100%; }
    .form button { justify-self: start; } .form .check { display: flex; gap: 8px; align-items: center; }
    .form input, .form select { max-width: 100%; min-width: 0; }
    .table-scroll { overflow-x: auto; position: relative; }   /* the containing block of visually hidden labels in its cells: else they widen the page */
    .table { border-collapse: collapse; width: 100%; font-size: .95rem; }
    .table th, .table td { border-bottom: 1px solid var(--line); padding: 8px 10px; text-align: left; vertical-align: top; }
    .table th { background: #f6f8fa; font-weight: 600; white-space: nowrap; }
    /* Chinese text breaks between any two characters: on a phone a squeezed column showed one per line.
       Text cells keep a readable width, and the table scrolls sideways in its .table-scroll instead. */
    .table td { min-width: 6em; } .table td.num { min-width: 0; }
    .num { text-align: right !important; font-variant-numeric: tabular-nums; }
    .bad { color: #82071e; } .tag-bad { background: #ffebe9; color: #82071e; }
    a.button { display: inline-block; background: var(--red); color: #fff; text-decoration: none; border-radius: 6px; padding: 10px 18px; }
    a.button:hover { background: var(--red-dark); }
    h1 small { font-size: .9rem; font-weight: 400; }
    .search-filtered { flex-wrap: wrap; margin-left: 0; } .search-options { flex-basis: 100%; display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; color: var(--muted); }
    .search-options select { font: inherit; padding: 6px 8px; border: 1px solid #8c959f; border-radius: 6px; background: #fff; }
    .marks { margin: 0 0 6px; }
    .prose { line-height: 1.9; } .prose h2, .prose h3, .prose h4 { margin-top: 1.4em; }
    .prose blockquote { margin: 1em 0; padding: 4px 16px; border-left: 4px solid var(--line); color: var(--muted); }
    .form textarea { font: inherit; padding: 10px 12px; border: 1px solid #8c959f; border-radius: 6px; max-width: 100%; min-width: 0; }
    .notice-ok { background: #dafbe1; border: 1px solid #4ac26b; color: #116329; padding: 10px 14px; border-radius: 6px; }
    .tag-article-published { background: #dafbe1; color: var(--ok); } .tag-article-withdrawn { background: #ffebe9; color: #82071e; }
    .section-nav span[aria-current] { color: #fff; background: var(--red); border-color: var(--red); }
    .actions form { display: inline; } button.small { padding: 4px 10px; font-size: .85rem; margin: 2px 4px 2px 0; }
    .secret { font-size: 1.1rem; background: #f6f8fa; border: 1px dashed #8c959f; padding: 10px 12px; border-radius: 6px; word-break: break-all; user-select: all; }
    .inline-form { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; }
    .inline-form input { font: inherit; padding: 4px 8px; border: 1px solid #8c959f; border-radius: 6px; min-width: 0; max-width: 14em; }
    .id-warning { flex-basis: 100%; margin: 4px 0 0; }
    .cards { list-style: none; padding: 0; margin: 0; } .cards .panel h2 { margin-top: 0; }
    .risk { display: inline-block; font-size: .8rem; padding: 1px 8px; border-radius: 10px; background: #82071e; color: #fff; margin-right: 4px; }
    .risk-jyyc { background: #9a6700; }
    .risk-disputed { background: #6639ba; } .tag-disputed { background: #fbefff; color: #6639ba; border: 1px solid #d8b9ff; }
    .repair-note { background: #f6f8fa; border-left: 4px solid #0969da; padding: 8px 12px; }
    .overdue { color: #82071e; font-weight: 600; }
    .section-nav { display: flex; flex-wrap: wrap; gap: 6px; margin: 16px 0 8px; padding: 0; list-style: none; }
    .section-nav a, .section-nav span { display: inline-block; padding: 4px 12px; border: 1px solid var(--line); border-radius: 16px; text-decoration: none; background: #fff; font-size: .95rem; }
    .section-nav span { color: var(--muted); background: #f6f8fa; }
    .section-nav a:hover { background: #eaeef2; }
    h2 .count, .section-nav .count, .record-section h2 .count { font-size: .85rem; font-weight: 400; background: #eaeef2; border-radius: 10px; padding: 0 8px; margin-left: 6px; }
    .record { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 10px 0; }
    .record h3 { margin: 0 0 8px; font-size: 1.05rem; }
    .tabs { display: flex; gap: 4px; border-bottom: 2px solid var(--line); margin: 0 0 16px; flex-wrap: wrap; }
    .tabs a { padding: 8px 14px; text-decoration: none; border-radius: 6px 6px 0 0; }
    .tabs a:hover { background: #eaeef2; }
    .filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
    .filters div { display: grid; gap: 4px; } .filters button { margin: 0; padding: 10px 18px; }
    .filters .grow { flex: 1 1 14em; }
    .filters input, .filters select { font: inherit; padding: 8px 10px; border: 1px solid #8c959f; border-radius: 6px; background: #fff; max-width: 100%; min-width: 0; }
    .result-kind { margin: 0 0 4px; font-size: .9rem; }
    .tag-xzxk { background: #ddf4ff; color: #0a3069; } .tag-xzcf { background: #ffebe9; color: #82071e; }
    .latest { list-style: none; padding: 0; margin: 0; } .latest li { padding: 8px 0; border-bottom: 1px solid var(--line); }
    .latest li:last-child { border-bottom: 0; }
    h2 .more { float: right; font-size: .9rem; font-weight: 400; }
    .figure a { text-decoration: none; }
    .chart-wrap { overflow-x: auto; } .chart { width: 100%; max-width: 760px; height: auto; font-family: inherit; }
    .chart .grid { stroke: #e5e8eb; } .chart .axis { font-size: 11px; fill: var(--muted); }
    .chart .bar-ok { fill: #4c8bf5; } .chart .bar-bad { fill: #d1453b; }
    .chart .line-compliance { fill: none; stroke: #116329; stroke-width: 2; } .chart .dot-compliance { fill: #116329; }
    .chart .line-ontime { fill: none; stroke: #9a6700; stroke-width: 2; stroke-dasharray: 5 3; } .chart .dot-ontime { fill: #9a6700; }
    .legend { color: var(--muted); font-size: .9rem; } .key { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: -1px; }
    .key-ok { background: #4c8bf5; } .key-bad { background: #d1453b; } .key-compliance { background: #116329; } .key-ontime { background: #9a6700; }
    .tag-incentive { background: #dafbe1; color: var(--ok); } .tag-punishment { background: #ffebe9; color: #82071e; }
    .conclusion { font-weight: 600; color: #82071e; } .conclusion-clear { font-weight: 600; color: var(--ok); }
    .feedback { border: 0; padding: 0; margin: 4px 0 0; display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: center; }
    .feedback input[type=text], .feedback input:not([type]) { font: inherit; padding: 4px 8px; border: 1px solid #8c959f; border-radius: 6px; min-width: 0; max-width: 16em; }
    fieldset { border: 1px solid var(--line); border-radius: 6px; } label.check { white-space: nowrap; }
    fieldset.options { display: grid; gap: 6px; min-width: 0; } label.choice { display: flex; gap: 8px; align-items: flex-start; }
    label.choice input { margin-top: 5px; } label.choice .muted { display: block; font-size: 13px; }
    .verdict { padding: 10px 14px; border-radius: 6px; border: 1px solid var(--line); margin-bottom: 12px; } .verdict h2 { margin: 0 0 4px; }
    .verdict.ok { background: #ecf8ef; border-color: #2f855a; } .verdict.warn { background: #fff8e6; border-color: #b7791f; }
    .verdict.bad { background: #fdecec; border-color: #c53030; } ul.checks { padding-left: 1.2em; } ul.checks li { word-break: break-all; }
    code.key { display: block; word-break: break-all; overflow-wrap: anywhere; margin: 4px 0; }
    .site-footer { border-top: 1px solid var(--line); color: var(--muted); font-size: .85rem; padding: 20px 0; background: #fff; }
    @media (max-width: 600px) {
      .search { flex-direction: column; } .hero { padding: 20px 14px; } .hero h1 { font-size: 1.5rem; }
      .facts-wide div { grid-template-columns: 1fr; } .site-header nav a { margin: 0 12px 0 0; }
    }
    @media print {
      .site-header nav, .site-footer, .search, .pager, .skip, form, .section-nav, .tabs, .no-print { display: none; }
      body { background: #fff; } .panel, .result, .record { border: 0; }
      .site-header { background: #fff; color: #000; border-bottom: 2px solid #000; } .brand { color: #000; } .brand-mark { border-color: #000; }
      a { color: #000; text-decoration: none; } main { padding-top: 8px; }
    }
    """
}
