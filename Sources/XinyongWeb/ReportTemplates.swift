extension Templates {
    static let reportPages: [String: String] = [
        "report_document": reportDocument, "report_request": reportRequest, "verify": verify,
    ]

    /// The report itself: a standalone A4 document. On the site its styles are `/assets/report.css`
    /// (the content security policy allows no inline styles); printed to PDF they are inlined, so
    /// headless Chromium fetches nothing.
    static let reportDocument = """
    <!doctype html>
    <html lang="zh-CN"><head><meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex">
    <title>{{title}} {{number}}</title>
    {{{styles}}}
    </head>
    <body>
    <nav class="toolbar" aria-label="报告操作">
      <a href="{{pdfLink}}">下载 PDF</a>
      <a href="{{jsonLink}}" download="{{number}}.json">下载 JSON（含证明，可离线验证）</a>
      <a href="/verify?code={{verificationCode}}">在线验证</a>
      <a href="{{back}}">返回</a>
    </nav>
    <main class="sheet">
      <header class="head">
        <div>
          <h1>{{title}}</h1>
          <table class="meta">
            <tr><th>报告编号</th><td class="code">{{number}}</td></tr>
            <tr><th>出具时间</th><td>{{issued}}</td></tr>
            <tr><th>有效期至</th><td>{{validUntil}}</td></tr>
            <tr><th>验证码</th><td class="code">{{verificationCode}}</td></tr>
            <tr><th>出具单位</th><td>{{issuer}}</td></tr>
          </table>
        </div>
        <div class="qr">{{{qr}}}扫码验证真伪</div>
      </header>

      <h2>一、信用主体基本信息</h2>
      <table>
        <tr><th>主体名称</th><td>{{subject.name}}</td></tr>
        <tr><th>统一社会信用代码</th><td class="code">{{subject.code}}</td></tr>
        <tr><th>主体类型</th><td>{{subject.kind}}</td></tr>
        <tr><th>登记状态</th><td>{{subject.status}}</td></tr>
        {{#subject.legalRepresentative}}<tr><th>法定代表人</th><td>{{subject.legalRepresentative}}</td></tr>{{/subject.legalRepresentative}}
        {{#spanText}}<tr><th>报告期间</th><td>{{spanText}}</td></tr>{{/spanText}}
      </table>
      <p class="small">{{scope}}</p>

      {{#sections}}
      <h2>{{ordinal}}、{{name}}</h2>
      {{#statement}}<p class="none">{{statement}}</p>{{/statement}}
      {{#records}}
      <table class="rec">
        <caption>{{title}}{{#disputed}}<span class="tag">异议处理中</span>{{/disputed}}</caption>
        <tr><th>信息类别</th><td>{{itemName}}</td></tr>
        <tr><th>信息来源</th><td>{{department}}</td></tr>
        {{#decisionDate}}<tr><th>决定日期</th><td>{{decisionDate}}</td></tr>{{/decisionDate}}
        {{#publicUntil}}<tr><th>公示截止</th><td>{{publicUntil}}</td></tr>{{/publicUntil}}
        <tr><th>状态</th><td>{{state}}</td></tr>
        {{#facts}}<tr><th>{{label}}</th><td>{{value}}</td></tr>{{/facts}}
        <tr><th>日志凭证</th><td class="proof">透明日志第 {{leafIndex}} 条（记录 {{record}}，第 {{version}} 版）</td></tr>
      </table>
      {{/records}}
      {{/sections}}

      {{#absence}}
      <h2>{{ordinal}}、无记录声明</h2>
      <p>截至透明日志树大小 {{size}}，本主体在上述事项中没有本报告未列出的有效记录{{#othersCount}}（另有 {{othersCount}} 条有效记录不在本报告所选的期间或范围内，报告中以日志序号列明，不显示内容）{{/othersCount}}。此声明可由任何持有本报告的人对照公开的透明日志逐条核对（xinyong report verify --scan）。</p>
      {{/absence}}

      <footer>
        <h2>报告说明</h2>
        <ol class="small">
          <li>本报告依据本平台归集的公共信用信息出具，信息由各部门按“谁产生、谁负责”提供；对报告内容有异议的，可以在本平台提出异议申诉。</li>
          <li>本报告免费出具。在有效期内，可以访问 {{verifyUrl}} 或扫描二维码，输入验证码核验报告真伪以及记录是否已发生变化（如已修复、撤销）。</li>
          <li>本报告的每条记录都记入了可公开审计的透明日志（RFC 9162 默克尔树），报告附带签名检查点和包含证明：下载 JSON 后，任何人可以用平台公钥离线验证（xinyong report verify 报告.json --key 公钥）。</li>
        </ol>
        <p class="proof">检查点：{{checkpointOrigin}} · 树大小 {{checkpointSize}} · 根哈希 {{rootHash}}<br>平台公钥：{{verifierKey}}</p>
      </footer>
    </main>
    </body></html>
    """

    static let reportRequest = """
    <nav class="crumbs" aria-label="位置"><a href="/">首页</a> › {{{crumbs}}} › 信用报告</nav>
    <section class="panel narrow">
      <h1>{{#office}}窗口出具信用报告{{/office}}{{^office}}获取信用报告{{/office}}</h1>
      {{#subjectName}}<p>信用主体：<strong>{{subjectName}}</strong>。</p>{{/subjectName}}
      <p>报告免费出具，带平台签名、二维码和验证码，有效期 {{validDays}} 天；收件单位可以在本站“报告验证”页核验真伪。</p>
      {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
      <form class="form" method="post" action="{{action}}">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        {{#office}}<label for="subject">信用主体的统一社会信用代码（代申请人出具，请先核验其身份和授权）</label>
        <input id="subject" name="subject" required maxlength="18" autocomplete="off" value="{{subjectCode}}">{{/office}}
        <fieldset class="options"><legend>报告种类</legend>
          {{#kinds}}<label class="choice"><input type="radio" name="kind" value="{{value}}"{{#checked}} checked{{/checked}}><span>{{label}}<span class="muted">{{hint}}</span></span></label>{{/kinds}}
        </fieldset>
        <fieldset class="options"><legend>专项信用报告的期间和内容（其他报告不需要填写）</legend>
          <label for="from">起始日期</label><input id="from" name="from" type="date" value="{{from}}">
          <label for="to">截止日期</label><input id="to" name="to" type="date" value="{{to}}">
          {{#sections}}<label class="choice"><input type="checkbox" name="sections" value="{{code}}" checked><span>{{name}}</span></label>{{/sections}}
        </fieldset>
        <button type="submit">出具报告</button>
      </form>
      {{#issued}}
      <h2>已出具的报告</h2>
      <table><thead><tr><th>报告编号</th><th>种类</th><th>出具时间</th><th>有效期至</th></tr></thead><tbody>
      {{#items}}<tr><td><a href="/reports/{{number}}">{{number}}</a></td><td>{{kind}}</td><td>{{issued}}</td><td>{{validUntil}}{{#expired}}（已过期）{{/expired}}</td></tr>{{/items}}
      </tbody></table>
      {{/issued}}
    </section>
    """

    static let verify = """
    <nav class="crumbs" aria-label="位置"><a href="/">首页</a> › <a href="/reports">信用报告</a> › 报告验证</nav>
    <section class="panel narrow">
      <h1>信用报告验证</h1>
      {{#result}}
      <div class="verdict {{verdictClass}}" role="status">
        <h2>{{verdict}}</h2>
        <p>{{summary}}</p>
      </div>
      {{#number}}<dl class="facts">
        <div><dt>报告编号</dt><dd class="code">{{number}}</dd></div>
        <div><dt>报告种类</dt><dd>{{title}}</dd></div>
        <div><dt>信用主体</dt><dd>{{subjectName}}</dd></div>
        <div><dt>出具时间</dt><dd>{{issued}}</dd></div>
        <div><dt>有效期至</dt><dd>{{validUntil}}</dd></div>
      </dl>{{/number}}
      {{/result}}
      {{#changeList}}<h2>报告出具后的变化</h2><ul>{{#items}}<li>{{.}}</li>{{/items}}</ul>{{/changeList}}
      {{#checkList}}<h2>逐项检查</h2><ul class="checks">{{#items}}<li>{{#ok}}✔{{/ok}}{{^ok}}✘{{/ok}} {{name}}：{{detail}}</li>{{/items}}</ul>{{/checkList}}
      <h2>输入验证码</h2>
      <form class="form" method="get" action="/verify">
        <label for="code">报告验证码（报告首页右上方，如 7K3M-Q9XD）</label>
        <input id="code" name="code" required maxlength="20" autocomplete="off" value="{{code}}">
        <button type="submit">验证</button>
      </form>
      <h2>或上传报告文件</h2>
      <form class="form" method="post" action="/verify" enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="report">报告 JSON 文件（报告页面“下载 JSON”得到的文件）</label>
        <input id="report" name="report" type="file" required accept=".json,application/json">
        <button type="submit">验证文件</button>
      </form>
      <p class="muted">验证文件时，本站检查报告的签名、每条记录在透明日志中的包含证明和有效期，并对照本平台当前的数据说明记录是否已修复、撤销或更正。不联网也可以用 <code>xinyong report verify 报告.json --key 平台公钥</code> 离线验证；平台公钥：<code class="key">{{verifierKey}}</code></p>
    </section>
    """
}

extension Assets {
    static let reportStylesheet = Asset(path: "/assets/report.css", type: "text/css; charset=utf-8", body: reportCSS)

    static let reportCSS = """
    @page { size: A4; margin: 14mm 14mm 16mm; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #e9ecef; color: #111; font: 14px/1.6 "Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; }
    .toolbar { max-width: 210mm; margin: 0 auto; padding: 10px 4px; display: flex; flex-wrap: wrap; gap: 8px; }
    .toolbar a, .toolbar button { font: inherit; padding: 6px 12px; border: 1px solid #1d4e89; border-radius: 4px; color: #1d4e89; background: #fff; text-decoration: none; cursor: pointer; }
    .sheet { max-width: 210mm; margin: 0 auto 24px; padding: 14mm; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.2); }
    header.head { display: flex; justify-content: space-between; gap: 16px; border-bottom: 3px double #8b0000; padding-bottom: 8px; }
    h1 { font-size: 24px; margin: 0 0 6px; letter-spacing: 2px; color: #8b0000; }
    h2 { font-size: 16px; margin: 18px 0 6px; padding-left: 8px; border-left: 4px solid #8b0000; break-after: avoid; }
    table { width: 100%; border-collapse: collapse; margin: 4px 0 8px; break-inside: avoid; }
    th, td { border: 1px solid #999; padding: 4px 6px; text-align: left; vertical-align: top; word-break: break-all; }
    th { background: #f3f3f3; width: 9em; font-weight: normal; color: #333; }
    .meta th { width: 6em; }
    .qr { text-align: center; font-size: 12px; flex: none; }
    .qr svg { width: 30mm; height: 30mm; display: block; margin: 0 auto; }
    .code { font-family: "Noto Sans Mono CJK SC", monospace; letter-spacing: 1px; }
    .none { padding: 6px 8px; background: #f6f8f6; border: 1px dashed #7a9a7a; }
    .rec caption { text-align: left; font-weight: bold; padding: 4px 0; }
    .tag { display: inline-block; font-size: 12px; padding: 0 6px; border: 1px solid #b45309; color: #b45309; border-radius: 3px; margin-left: 4px; }
    .small { font-size: 12px; color: #444; }
    .proof { font-size: 11px; color: #444; word-break: break-all; }
    footer { margin-top: 16px; border-top: 1px solid #999; padding-top: 8px; }
    @media print { body { background: #fff; } .toolbar { display: none; } .sheet { box-shadow: none; margin: 0; padding: 0; max-width: none; } }
    @media (max-width: 600px) { .sheet { padding: 12px; } header.head { flex-direction: column; } th { width: 6em; } }
    """
}
