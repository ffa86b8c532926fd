/// The page bodies written by templates (Mustache; `{{x}}` is HTML-escaped, `{{{x}}}` only carries
/// markup the platform wrote itself: sanitised articles, charts, codes). The site's layout and the
/// search page are written by `HTMLWriter`. Embedded so that the binary serves everything itself.
enum Templates {
    static let all: [String: String] = [
        "home": home, "subject": subject, "login": login, "account": account,
        "console_submissions": consoleSubmissions, "console_submission": consoleSubmission,
        "console_quality": consoleQuality, "quality_rules": qualityRules,
        "listing": listing, "lists": lists, "rights": rights,
        "articles": articles, "article": article, "console_articles": consoleArticles, "console_article_form": consoleArticleForm,
        "console_audit": consoleAudit, "console_admin": consoleAdmin, "console_links": consoleLinks,
        "console_catalog": consoleCatalog, "console_catalog_item": consoleCatalogItem, "console_catalog_new": consoleCatalogNew, "console_secret": consoleSecret, "public_record": publicRecord,
        "console_checks": consoleChecks, "console_check": consoleCheck, "console_check_statistics": consoleCheckStatistics,
        "console_measures": consoleMeasures, "measures_lists": measuresLists, "measures_public": measuresPublic, "console_list_cases": consoleListCases, "console_list_case": consoleListCase,
    ].merging(rightsPages) { a, _ in a }.merging(reportPages) { a, _ in a }

    static let searchForm = """
    <form class="search" action="/search" method="get" role="search">
      <label for="q" class="visually-hidden">主体名称或统一社会信用代码</label>
      <input id="q" name="q" type="search" value="{{query}}" placeholder="输入企业名称（至少 2 个字）或统一社会信用代码" required minlength="2" maxlength="100" autocomplete="off">
      <button type="submit">查询</button>
    </form>
    """

    /// Previous and next links of a paged list (`prevURL`, `nextURL` in the model).
    static let pager = """
    <nav class="pager" aria-label="分页">
      {{#prevURL}}<a href="{{prevURL}}" rel="prev">上一页</a>{{/prevURL}}
      {{#nextURL}}<a href="{{nextURL}}" rel="next">下一页</a>{{/nextURL}}
    </nav>
    """

    static let home = """
    <section class="hero">
      <h1>{{siteName}}</h1>
      <p class="lead">查询本地区企业、个体工商户、社会组织、事业单位和机关的登记信息与信用记录。</p>
      \(searchForm)
    </section>
    <section class="figures" aria-label="平台概况">
      <div class="figure"><span class="figure-value">{{subjectCount}}</span><span class="figure-label">登记在册的信用主体（不含自然人）</span></div>
      <div class="figure"><a href="/shuanggongshi?item=xzxk"><span class="figure-value">{{licenceCount}}</span></a><span class="figure-label">公示中的行政许可</span></div>
      <div class="figure"><a href="/shuanggongshi?item=xzcf"><span class="figure-value">{{penaltyCount}}</span></a><span class="figure-label">公示中的行政处罚</span></div>
    </section>
    <section class="panel">
      <h2>最新双公示 <a class="more" href="/shuanggongshi">更多</a></h2>
      {{#hasLatest}}
      <ul class="latest">
      {{#latest}}<li><span class="tag tag-{{itemCode}}">{{itemName}}</span> <a href="/records/{{id}}">{{subjectName}}{{^subjectName}}{{title}}{{/subjectName}}</a> <span class="muted">{{department}} · {{decisionDate}}</span></li>{{/latest}}
      </ul>
      {{/hasLatest}}
      {{^hasLatest}}<p class="muted">暂无公示中的行政许可和行政处罚信息。</p>{{/hasLatest}}
    </section>
    <section class="panel">
      <h2>政策与公告 <a class="more" href="/articles">更多</a></h2>
      {{#hasArticles}}<ul class="latest">{{#articles}}<li><span class="tag">{{column}}</span> <a href="/articles/{{id}}">{{title}}</a> <span class="muted">{{date}}</span></li>{{/articles}}</ul>{{/hasArticles}}
      {{^hasArticles}}<p class="muted">暂无政策和公告。</p>{{/hasArticles}}
    </section>
    <section class="panel">
      <h2>关于本平台</h2>
      <p>本平台归集各部门依法报送的公共信用信息，向社会公开法律允许公开的内容，且只在公示期内公开。自然人的信息不在网站公开。</p>
      <p><a href="/lists">信用名单</a>（红名单、黑名单、经营异常名录）只列出有效期内的名单信息。可以在线<a href="/objections">提出异议</a>、<a href="/repair">申请信用修复</a>，信用主体登录后可免费下载本主体的<a href="/reports">信用报告</a>；凭查询码可<a href="/track">查询办理进度</a>。</p>
    </section>
    """

    static let subject = """
    <nav class="crumbs" aria-label="位置"><a href="/">首页</a> › <a href="/search">信用查询</a> › 信用档案</nav>
    <article class="panel subject">
      <h1>{{name}}</h1>
      <p>{{#marks}}<a class="risk risk-{{item}}" href="#sec-{{section}}">{{label}}</a>{{/marks}}<span class="tag tag-{{status}}">{{statusLabel}}</span> <span class="tag">{{kindLabel}}</span>{{#synthetic}} <span class="tag tag-synthetic">合成数据</span>{{/synthetic}}</p>
      <h2>基本登记信息</h2>
      <dl class="facts facts-wide">
        <div><dt>统一社会信用代码</dt><dd class="code">{{code}}{{#codeCheckFailed}}（早期试点代码，校验位不符，经信用办确认）{{/codeCheckFailed}}</dd></div>
        <div><dt>法定代表人/负责人</dt><dd>{{legalRepresentative}}{{^legalRepresentative}}—{{/legalRepresentative}}</dd></div>
        <div><dt>注册资本</dt><dd>{{capital}}{{^capital}}—{{/capital}}</dd></div>
        <div><dt>成立日期</dt><dd>{{establishedOn}}{{^establishedOn}}—{{/establishedOn}}</dd></div>
        <div><dt>所属行业</dt><dd>{{industry}}{{^industry}}—{{/industry}}</dd></div>
        <div><dt>登记机关所在地</dt><dd>{{region}}{{^region}}—{{/region}}</dd></div>
        <div><dt>住所</dt><dd>{{address}}{{^address}}—{{/address}}</dd></div>
        {{#hasFormerNames}}<div><dt>曾用名</dt><dd><ul class="plain">{{#formerNames}}<li>{{name}}{{#until}}（至 {{until}}）{{/until}}</li>{{/formerNames}}</ul></dd></div>{{/hasFormerNames}}
      </dl>
      <nav aria-label="信用信息分类"><ul class="section-nav">
      {{#sections}}<li>{{^empty}}<a href="#sec-{{code}}">{{name}}<span class="count">{{count}}</span></a>{{/empty}}{{#empty}}<span>{{name}} 0</span>{{/empty}}</li>{{/sections}}
      </ul></nav>
      {{#shown}}
      <section class="record-section" aria-labelledby="sec-{{code}}">
        <h2 id="sec-{{code}}">{{name}} <span class="count">{{count}}</span></h2>
        {{#records}}
        <article class="record">
          <h3>{{#mixed}}<span class="tag tag-{{itemCode}}">{{itemName}}</span> {{/mixed}}<a href="/records/{{id}}">{{title}}</a>{{#disputed}} <span class="tag tag-disputed">异议处理中</span>{{/disputed}}</h3>
          <dl class="facts facts-wide">
            {{#facts}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/facts}}
            <div><dt>信息来源</dt><dd>{{department}}</dd></div>
            <div><dt>公示期限</dt><dd>{{#publicUntil}}公示至 {{publicUntil}}{{/publicUntil}}{{^publicUntil}}长期{{/publicUntil}}<span class="muted">（{{basis}}）</span></dd></div>
          </dl>
        </article>
        {{/records}}
      </section>
      {{/shown}}
      {{^shown}}<p class="muted">该主体暂无公示期内的信用信息。</p>{{/shown}}
      <p class="muted">本页只展示依法公开且在公示期内的信息；公示期满的信息自动停止公示，但仍保存在信用档案中。</p>
    </article>
    """

    static let listing = """
    <nav class="crumbs" aria-label="位置"><a href="/">首页</a> › {{^isShuanggongshi}}<a href="/lists">信用名单</a> › {{/isShuanggongshi}}{{name}}</nav>
    <h1>{{title}}</h1>
    <p class="muted">{{intro}}</p>
    <form class="filters" action="{{path}}" method="get" role="search" aria-label="筛选">
      <div><label for="item">类别</label>
        <select id="item" name="item">{{#kinds}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/kinds}}</select></div>
      <div><label for="department">部门</label>
        <select id="department" name="department">{{#departments}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/departments}}</select></div>
      <div><label for="from">决定日期自</label><input id="from" name="from" type="date" value="{{from}}"></div>
      <div><label for="to">至</label><input id="to" name="to" type="date" value="{{to}}"></div>
      <div class="grow"><label for="kw">关键词</label>
        <input id="kw" name="q" type="search" value="{{keyword}}" maxlength="50" placeholder="{{keywordHint}}"></div>
      <button type="submit">筛选</button>
    </form>
    {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
    {{#searched}}
    <p class="result-count" role="status">共 <strong>{{totalText}}</strong>{{#hasResults}}，第 {{page}} / {{pageCount}} 页{{/hasResults}}。</p>
    {{#hasResults}}
    <ol class="results plain-list">
    {{#rows}}
      <li class="result">
        <p class="result-kind"><span class="tag tag-{{itemCode}}">{{itemName}}</span>{{#disputed}} <span class="tag tag-disputed">异议处理中</span>{{/disputed}} <span class="muted">{{decisionDate}} · {{department}}</span></p>
        <h2><a href="/records/{{id}}">{{subjectName}}{{^subjectName}}{{title}}{{/subjectName}}</a></h2>
        <dl class="facts">
          <div><dt>{{titleLabel}}</dt><dd>{{title}}</dd></div>
          {{#summary}}<div><dd>{{summary}}</dd></div>{{/summary}}
          <div><dt>公示至</dt><dd>{{publicUntil}}{{^publicUntil}}长期{{/publicUntil}}</dd></div>
        </dl>
      </li>
    {{/rows}}
    </ol>
    \(pager)
    {{/hasResults}}
    {{^hasResults}}<p class="muted">没有符合条件的公示信息。可以放宽日期范围或换个关键词。</p>{{/hasResults}}
    {{#depthNote}}<p class="muted">为防止批量抓取，列表最多翻到第 50 页；请用部门、日期或关键词缩小范围查找其余信息。</p>{{/depthNote}}
    {{/searched}}
    """

    static let articles = """
    <nav class="crumbs" aria-label="位置"><a href="/">首页</a> › 政策与公告</nav>
    <h1>{{columnName}}</h1>
    <nav class="section-nav" aria-label="栏目">{{#tabs}}{{#selected}}<span aria-current="page">{{label}}</span>{{/selected}}{{^selected}}<a href="/articles{{#value}}?column={{value}}{{/value}}">{{label}}</a>{{/selected}}{{/tabs}}</nav>
    {{#hasLines}}
    <ul class="latest panel">
    {{#lines}}<li><span class="tag">{{column}}</span> <a href="/articles/{{id}}">{{title}}</a> <span class="muted">{{date}}</span></li>{{/lines}}
    </ul>
    \(pager)
    {{/hasLines}}
    {{^hasLines}}<p class="muted">本栏目暂无文章。</p>{{/hasLines}}
    """

    static let article = """
    <nav class="crumbs" aria-label="位置"><a href="/">首页</a> › <a href="/articles?column={{columnCode}}">{{column}}</a> › 正文</nav>
    <article class="panel prose">
      <h1>{{title}}</h1>
      <p class="muted">{{column}} · 发布日期 {{date}}</p>
      {{{html}}}
    </article>
    """

    static let consoleArticles = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › 文章管理</nav>
    <h1>文章管理</h1>
    \(consoleTabs)
    <p><a class="button" href="/console/articles/new">新建文章</a></p>
    {{#hasLines}}
    <div class="table-scroll"><table class="table">
      <thead><tr><th scope="col">标题</th><th scope="col">栏目</th><th scope="col">发布日期</th><th scope="col">状态</th></tr></thead>
      <tbody>{{#lines}}<tr><td><a href="/console/articles/{{id}}">{{title}}</a></td><td>{{column}}</td><td>{{date}}</td><td><span class="tag tag-article-{{statusCode}}">{{status}}</span></td></tr>{{/lines}}</tbody>
    </table></div>
    {{/hasLines}}
    {{^hasLines}}<p class="muted">还没有文章。</p>{{/hasLines}}
    """

    static let consoleArticleForm = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › <a href="/console/articles">文章管理</a> › {{#id}}编辑{{/id}}{{^id}}新建{{/id}}</nav>
    <h1>{{#id}}编辑文章{{/id}}{{^id}}新建文章{{/id}}</h1>
    {{#saved}}<p class="notice-ok" role="status">已保存。{{#isPublic}}<a href="/articles/{{id}}">查看网站上的文章</a>{{/isPublic}}</p>{{/saved}}
    {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
    <form method="post" action="/console/articles{{#id}}/{{id}}{{/id}}" class="form panel">
      <input type="hidden" name="_csrf" value="{{csrf}}">
      {{#version}}<input type="hidden" name="version" value="{{version}}">{{/version}}
      <label for="title">标题</label><input id="title" name="title" value="{{title}}" required maxlength="100">
      <label for="column">栏目</label><select id="column" name="column">{{#columns}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/columns}}</select>
      <label for="body">正文</label>
      <textarea id="body" name="body" rows="16" required>{{body}}</textarea>
      <p class="muted">格式：空一行分段；“# ”“## ”开头为小标题；“- ”或“1. ”开头为列表；“&gt; ”开头为引文；**加粗**；[链接文字](/本站路径 或 https://地址)。不支持其他 HTML。</p>
      <label for="published_on">发布日期（不填则为首次发布当天）</label><input id="published_on" name="published_on" type="date" value="{{date}}">
      <label for="status">状态</label><select id="status" name="status">{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statuses}}</select>
      <button type="submit">保存</button>
    </form>
    {{#preview}}<section class="panel prose" aria-label="预览"><h2>预览</h2>{{{preview}}}</section>{{/preview}}
    """

    static let consoleAudit = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › 操作日志</nav>
    <h1>操作日志 <small class="muted">{{scope}}</small></h1>
    \(consoleTabs)
    <p class="muted">记录登录和每一次改变数据的操作：谁、何时、从哪个地址、做了什么、结果如何。查阅非公开信息的记录另见访问日志。</p>
    {{#hasLines}}
    <div class="table-scroll"><table class="table">
      <thead><tr><th scope="col">时间</th><th scope="col">操作人</th><th scope="col">操作</th><th scope="col">对象</th><th scope="col" class="num">结果</th><th scope="col">来源地址</th></tr></thead>
      <tbody>{{#lines}}<tr><td>{{at}}</td><td>{{who}}<br><span class="muted">{{role}}</span></td><td>{{action}}</td><td class="code">{{target}}</td><td class="num{{#failed}} bad{{/failed}}">{{status}}</td><td class="code">{{address}}</td></tr>{{/lines}}</tbody>
    </table></div>
    {{#olderURL}}<nav class="pager"><a href="{{olderURL}}">更早的记录</a></nav>{{/olderURL}}
    {{/hasLines}}
    {{^hasLines}}<p class="muted">暂无记录。</p>{{/hasLines}}
    """

    static let consoleAdmin = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › 部门与账号</nav>
    <h1>部门与账号</h1>
    \(consoleTabs)
    {{#notice}}<p class="notice-ok" role="status">{{notice}}</p>{{/notice}}
    {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
    <section class="panel">
      <h2>部门</h2>
      <div class="table-scroll"><table class="table">
        <thead><tr><th scope="col">代码</th><th scope="col">名称</th><th scope="col" class="num">在用账号</th><th scope="col" class="num">有效密钥</th></tr></thead>
        <tbody>{{#departments}}<tr><td class="code">{{code}}</td><td>{{name}}</td><td class="num">{{people}}</td><td class="num">{{keys}}</td></tr>{{/departments}}</tbody>
      </table></div>
      <form method="post" action="/console/admin/departments" class="filters">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <div><label for="code">部门代码</label><input id="code" name="code" value="{{form.code}}" required maxlength="20" placeholder="如 SCJGJ"></div>
        <div class="grow"><label for="dept_name">部门名称</label><input id="dept_name" name="dept_name" value="{{form.dept_name}}" required maxlength="50"></div>
        <button type="submit">新增或改名</button>
      </form>
    </section>
    <section class="panel">
      <h2>账号</h2>
      <div class="table-scroll"><table class="table">
        <thead><tr><th scope="col">用户名</th><th scope="col">姓名</th><th scope="col">角色</th><th scope="col">部门</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead>
        <tbody>{{#accounts}}<tr><td class="code">{{username}}</td><td>{{name}}</td><td>{{role}}</td><td>{{department}}</td>
          <td>{{#disabled}}<span class="tag tag-bad">已停用</span>{{/disabled}}{{^disabled}}<span class="tag tag-active">在用</span>{{/disabled}}</td>
          <td class="actions">{{^isSelf}}
            <form method="post" action="/console/admin/accounts/{{id}}/{{#disabled}}enable{{/disabled}}{{^disabled}}disable{{/disabled}}"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="small">{{#disabled}}启用{{/disabled}}{{^disabled}}停用{{/disabled}}</button></form>
            {{/isSelf}}<form method="post" action="/console/admin/accounts/{{id}}/reset"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="small">重置密码</button></form></td></tr>{{/accounts}}</tbody>
      </table></div>
      <h3>新建账号</h3>
      <form method="post" action="/console/admin/accounts" class="filters">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <div><label for="username">用户名</label><input id="username" name="username" value="{{form.username}}" required maxlength="64" autocomplete="off"></div>
        <div><label for="display_name">姓名</label><input id="display_name" name="display_name" value="{{form.display_name}}" required maxlength="40"></div>
        <div><label for="role">角色</label><select id="role" name="role">{{#roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/roles}}</select></div>
        <div><label for="department">部门（部门角色必填）</label><select id="department" name="department">{{#departmentOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/departmentOptions}}</select></div>
        <div><label for="subject">主体代码（信用主体用户必填）</label><input id="subject" name="subject" value="{{form.subject}}" maxlength="20"></div>
        <button type="submit">创建（生成初始密码）</button>
      </form>
    </section>
    <section class="panel">
      <h2>API 密钥（其他系统）</h2>
      <div class="table-scroll"><table class="table">
        <thead><tr><th scope="col">编号</th><th scope="col">名称</th><th scope="col">角色</th><th scope="col">部门</th><th scope="col">创建时间</th><th scope="col">状态</th></tr></thead>
        <tbody>{{#keys}}<tr><td class="code">{{prefix}}</td><td>{{name}}</td><td>{{role}}</td><td>{{department}}</td><td>{{created}}</td>
          <td>{{#revoked}}<span class="tag tag-bad">已撤销 {{revoked}}</span>{{/revoked}}{{^revoked}}<form method="post" action="/console/admin/keys/{{prefix}}/revoke"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="small">撤销</button></form>{{/revoked}}</td></tr>{{/keys}}</tbody>
      </table></div>
      <h3>新建密钥</h3>
      <form method="post" action="/console/admin/keys" class="filters">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <div class="grow"><label for="key_name">名称（调用方系统）</label><input id="key_name" name="key_name" value="{{form.key_name}}" required maxlength="40" placeholder="如 政务服务网"></div>
        <div><label for="key_role">角色</label><select id="key_role" name="key_role">{{#keyRoles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/keyRoles}}</select></div>
        <div><label for="key_department">部门（报送用密钥必填）</label><select id="key_department" name="department">{{#departmentOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/departmentOptions}}</select></div>
        <button type="submit">创建（显示一次）</button>
      </form>
    </section>
    """

    static let consoleLinks = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › 关联队列与重错码</nav>
    <h1>关联队列与重错码</h1>
    \(consoleTabs)
    {{#notice}}<p class="notice-ok" role="status">{{notice}}</p>{{/notice}}
    {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
    <section class="panel">
      <h2>待关联的记录和待确认的行</h2>
      <p class="muted">代码无效、又不能按名称唯一关联的记录，在此人工关联到主体；统一社会信用代码只有校验位不符（早期试点代码）的行暂存在此，确认后入库，或退回部门。</p>
      {{#hasEntries}}
      <div class="table-scroll"><table class="table">
        <thead><tr><th scope="col">名称 / 代码</th><th scope="col">信息类别 · 部门</th><th scope="col">说明</th><th scope="col">处理</th></tr></thead>
        <tbody>{{#entries}}<tr>
          <td>{{name}}<br><span class="code muted">{{code}}</span></td>
          <td>{{item}}<br><span class="muted">{{department}} · 提交 {{submission}} 第 {{row}} 行 · {{received}}</span></td>
          <td>{{note}}</td>
          <td>{{#held}}<form method="post" action="/console/links/held/{{submission}}/{{row}}" class="inline-form">
              <input type="hidden" name="_csrf" value="{{csrf}}">
              <label class="visually-hidden" for="reason-{{submission}}-{{row}}">理由</label>
              <input id="reason-{{submission}}-{{row}}" name="reason" placeholder="理由" required maxlength="200">
              <button type="submit" name="action" value="confirm" class="small">确认代码并入库</button>
              <button type="submit" name="action" value="reject" class="small">退回</button></form>{{/held}}
            {{^held}}<form method="post" action="/console/links/records/{{recordID}}" class="inline-form">
              <input type="hidden" name="_csrf" value="{{csrf}}">
              <label class="visually-hidden" for="code-{{recordID}}">主体代码</label>
              <input id="code-{{recordID}}" name="subject_code" placeholder="主体的统一社会信用代码" required maxlength="20">
              <button type="submit" class="small">关联</button></form>{{/held}}</td>
        </tr>{{/entries}}</tbody>
      </table></div>
      {{/hasEntries}}
      {{^hasEntries}}<p>队列为空：所有记录都已关联到主体。</p>{{/hasEntries}}
    </section>
    <section class="panel">
      <h2>疑似重错码</h2>
      {{#hasSuspects}}
      {{^codes.empty}}<h3>同一代码下出现其他名称</h3><div class="table-scroll"><table class="table">
        <thead><tr><th scope="col">代码</th><th scope="col">登记名称</th><th scope="col">记录中的其他名称</th><th scope="col" class="num">记录数</th></tr></thead>
        <tbody>{{#codes}}<tr><td class="code">{{code}}</td><td>{{registeredName}}</td><td>{{otherNames}}</td><td class="num">{{records}}</td></tr>{{/codes}}</tbody>
      </table></div>{{/codes.empty}}
      {{^names.empty}}<h3>同一名称对应多个代码</h3><div class="table-scroll"><table class="table">
        <thead><tr><th scope="col">名称</th><th scope="col">代码</th><th scope="col" class="num">记录数</th></tr></thead>
        <tbody>{{#names}}<tr><td>{{name}}</td><td class="code">{{codes}}</td><td class="num">{{records}}</td></tr>{{/names}}</tbody>
      </table></div>{{/names.empty}}
      {{/hasSuspects}}
      {{^hasSuspects}}<p>未发现疑似重错码。</p>{{/hasSuspects}}
    </section>
    """

    static let consoleCatalog = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › 信息目录</nav>
    <h1>公共信用信息目录 <small class="muted">版本 {{version}}</small></h1>
    \(consoleTabs)
    <p class="muted">全国基础目录随平台发布；信用办可以新增本地目录项（市级补充目录）、为任何目录项添加选填的本地字段、设置本地代码表。修改立即生效，不需重启，旧定义作为历史版本保留。</p>
    {{#chooseDepartment}}<p><a class="button" href="/console/catalog/new">新增本地目录项</a></p>{{/chooseDepartment}}
    <div class="table-scroll"><table class="table">
      <thead><tr><th scope="col">代码</th><th scope="col">名称</th><th scope="col">类别</th><th scope="col">公开属性</th><th scope="col">公示规则</th><th scope="col" class="num">字段</th></tr></thead>
      <tbody>{{#items}}<tr><td class="code">{{code}}</td><td><a href="/console/catalog/{{code}}">{{name}}</a>{{#local}} <span class="tag">本地目录项</span>{{/local}}{{^local}}{{#localFields}} <span class="tag">含 {{localFields}} 个本地字段</span>{{/localFields}}{{/local}}</td>
        <td>{{category}}</td><td>{{openness}}</td><td>{{publicity}}</td><td class="num">{{fields}}</td></tr>{{/items}}</tbody>
    </table></div>
    """

    static let consoleCatalogItem = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › <a href="/console/catalog">信息目录</a> › {{name}}</nav>
    <h1>{{name}} <small class="muted code">{{code}}</small></h1>
    {{#notice}}<p class="notice-ok" role="status">{{notice}}</p>{{/notice}}
    {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
    <dl class="facts facts-wide panel">
      <div><dt>类别</dt><dd>{{category}}</dd></div>
      <div><dt>公开属性</dt><dd>{{openness}}</dd></div>
      <div><dt>公示规则</dt><dd>{{publicity}}</dd></div>
      <div><dt>唯一标识</dt><dd>{{naturalKey}}</dd></div>
      {{#note}}<div><dt>说明</dt><dd>{{note}}</dd></div>{{/note}}
      <div><dt>报送模板</dt><dd><a href="/api/v1/catalog/items/{{code}}/template.xlsx">Excel 模板</a> · <a href="/api/v1/catalog/items/{{code}}/template.csv">CSV 表头</a></dd></div>
    </dl>
    <section class="panel">
      <h2>字段</h2>
      <div class="table-scroll"><table class="table">
        <thead><tr><th scope="col">字段名</th><th scope="col">中文名</th><th scope="col">类型</th><th scope="col">必填</th><th scope="col" class="num">最大长度</th><th scope="col">代码表</th></tr></thead>
        <tbody>{{#fields}}<tr><td class="code">{{name}}</td><td>{{label}}{{#local}} <span class="tag">本地</span>{{/local}}</td><td>{{kind}}</td><td>{{#required}}必填{{/required}}{{^required}}选填{{/required}}</td>
          <td class="num">{{maxLength}}</td><td class="code">{{codeList}}</td></tr>{{/fields}}</tbody>
      </table></div>
      {{#chooseDepartment}}
      <h3>添加本地字段（选填）</h3>
      <form method="post" action="/console/catalog/{{code}}/fields" class="filters">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <div><label for="name">字段名（字母、数字、下划线）</label><input id="name" name="name" value="{{form.name}}" required maxlength="40" placeholder="如 LOCAL_HYLB"></div>
        <div><label for="label">中文名（模板表头）</label><input id="label" name="label" value="{{form.label}}" required maxlength="40"></div>
        <div><label for="kind">类型</label><select id="kind" name="kind">{{#kinds}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/kinds}}</select></div>
        <div><label for="max_length">最大长度</label><input id="max_length" name="max_length" value="{{form.max_length}}" inputmode="numeric" maxlength="4"></div>
        <div><label for="code_list">代码表</label><select id="code_list" name="code_list">{{#codeListOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/codeListOptions}}</select></div>
        <button type="submit">添加</button>
      </form>
      <p class="muted">本地字段只能是选填项：不能让国家标准的报送要求更严格。</p>
      {{/chooseDepartment}}
    </section>
    {{^lists.empty}}
    <section class="panel">
      <h2>代码表</h2>
      {{#lists}}
      <h3 class="code">{{name}}{{#extensible}} <span class="tag">可补充本地取值</span>{{/extensible}}</h3>
      <p>{{values}}</p>
      {{#editable}}<form method="post" action="/console/catalog/code-lists/{{name}}" class="form">
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="item" value="{{code}}">
        <label for="values-{{name}}">{{#extensible}}本地补充的取值{{/extensible}}{{^extensible}}全部取值{{/extensible}}（每行一个）</label>
        <textarea id="values-{{name}}" name="values" rows="4">{{lines}}</textarea>
        <button type="submit">保存取值</button>
      </form>{{/editable}}
      {{/lists}}
    </section>
    {{/lists.empty}}
    """

    static let consoleCatalogNew = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › <a href="/console/catalog">信息目录</a> › 新增本地目录项</nav>
    <h1>新增本地目录项</h1>
    {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
    <form method="post" action="/console/catalog" class="form panel">
      <input type="hidden" name="_csrf" value="{{csrf}}">
      <label for="code">目录项代码（小写字母、数字、下划线）</label><input id="code" name="code" value="{{form.code}}" required maxlength="32" placeholder="如 hbxy">
      <label for="name">名称</label><input id="name" name="name" value="{{form.name}}" required maxlength="40" placeholder="如 环保信用评价">
      <label for="category">信息类别</label><input id="category" name="category" value="{{form.category}}" required maxlength="40" placeholder="如 信用评价结果信息">
      <label for="openness">公开属性</label><select id="openness" name="openness">{{#opennessOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/opennessOptions}}</select>
      <label for="publicity">公示规则</label><select id="publicity" name="publicity">{{#publicityOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/publicityOptions}}</select>
      <label for="fields">字段（每行一个：字段名，中文名，类型，必填或选填，可再加代码表名称和最大长度）</label>
      <textarea id="fields" name="fields" rows="8" required placeholder="HB_MC，主体名称，文本，必填，200&#10;HB_DM，统一社会信用代码，统一社会信用代码，必填&#10;HB_DJ，评价等级，代码，必填，hb_dj&#10;HB_RQ，评价日期，日期，必填">{{form.fields}}</textarea>
      <p class="muted">类型：文本、日期、金额（万元）、代码（须写代码表名称；新代码表请先在目录项页面设置取值，或通过接口添加）、统一社会信用代码、组织机构代码。</p>
      <label for="natural_key">唯一标识字段（字段名，用“+”连接，须为必填字段）</label><input id="natural_key" name="natural_key" value="{{form.naturalKey}}" required placeholder="如 HB_DM + HB_RQ">
      <label for="subject_name">主体名称字段</label><input id="subject_name" name="subject_name" value="{{form.subjectName}}" placeholder="如 HB_MC（用于关联主体）">
      <label for="subject_code">主体代码字段</label><input id="subject_code" name="subject_code" value="{{form.subjectCode}}" placeholder="如 HB_DM">
      <label for="decision_date">决定日期字段（公示期起算）</label><input id="decision_date" name="decision_date" value="{{form.decisionDate}}" placeholder="如 HB_RQ">
      <label for="valid_until">有效期至字段</label><input id="valid_until" name="valid_until" value="{{form.validUntil}}" placeholder="如 HB_YXQ">
      <button type="submit">保存目录项</button>
    </form>
    """

    static let consoleSecret = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › <a href="/console/admin">部门与账号</a> › {{title}}</nav>
    <section class="panel narrow">
      <h1>{{title}}</h1>
      <ul class="plain">{{#lines}}<li>{{.}}</li>{{/lines}}</ul>
      <p><strong>只显示这一次，请立即通过安全渠道交给使用者：</strong></p>
      <p class="secret code">{{secret}}</p>
      <p class="muted">平台只保存它的哈希值，无法再次查看；遗失后请重置或重新创建。</p>
      <p><a class="button" href="/console/admin">返回部门与账号</a></p>
    </section>
    """

    static let rights = """
    <nav class="crumbs" aria-label="位置"><a href="/">首页</a> › {{title}}</nav>
    <article class="panel">
      <h1>{{title}}</h1>
      <p>{{intro}}</p>
      <h2>如何办理</h2>
      <ol>{{#steps}}<li>{{.}}</li>{{/steps}}</ol>
      <p>{{#actions}}<a class="button" href="{{path}}">{{label}}</a> {{/actions}}</p>
      <h2>依据</h2>
      <ul>{{#basis}}<li>{{.}}</li>{{/basis}}</ul>
    </article>
    """

    static let lists = """
    <nav class="crumbs" aria-label="位置"><a href="/">首页</a> › 信用名单</nav>
    <h1>信用名单</h1>
    <p class="muted">以下名单只列出依法公开、且在有效期（公示期）内的名单信息；移出名单或有效期届满的主体不再公示。</p>
    <ul class="cards">
    {{#lists}}
      <li class="panel"><h2><a href="{{path}}">{{title}}</a> <span class="count">{{count}}</span></h2><p>{{intro}}</p></li>
    {{/lists}}
      <li class="panel"><h2><a href="/lists/measures">守信激励和失信惩戒措施清单</a></h2><p>名单的范围，以及各部门在办理事项中依法可以采取的激励和惩戒措施、依据和触发条件。</p></li>
    </ul>
    """

    static let publicRecord = """
    <nav class="crumbs" aria-label="位置"><a href="/">首页</a> › <a href="{{listURL}}">{{listName}}</a> › {{itemName}}</nav>
    <article class="panel">
      <p><span class="tag tag-{{itemCode}}">{{itemName}}</span>{{#disputed}} <span class="tag tag-disputed">异议处理中</span>{{/disputed}}</p>
      <h1>{{title}}</h1>
      {{#disputed}}<p class="alert" role="note">该记录已被提出异议，正在核查处理中。处理结果出来前，请谨慎使用该信息。</p>{{/disputed}}
      {{#subjectName}}<p>行政相对人：{{#subjectCode}}<a href="/subjects/{{subjectCode}}">{{/subjectCode}}{{subjectName}}{{#subjectCode}}</a>{{/subjectCode}}</p>{{/subjectName}}
      <dl class="facts facts-wide">
        {{#facts}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/facts}}
        <div><dt>信息来源</dt><dd>{{department}}</dd></div>
        <div><dt>公示期限</dt><dd>{{publicFrom}} 起，{{#publicUntil}}至 {{publicUntil}}{{/publicUntil}}{{^publicUntil}}长期{{/publicUntil}}<span class="muted">（{{basis}}）</span></dd></div>
      </dl>
      {{#repair}}<p class="repair-note">信用修复：{{repair}}（<a href="/repair">了解信用修复</a>）</p>{{/repair}}
      <p class="muted">本页信息由报送部门负责其真实性和准确性。公示期满后本页自动停止公开。</p>
      <p><a class="button" href="/records/{{id}}/objection">对该记录提出异议</a></p>
    </article>
    """

    static let login = """
    <section class="panel narrow">
      <h1>登录</h1>
      <p class="muted">供信用办、各部门工作人员和已绑定的信用主体用户使用。</p>
      {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
      <form method="post" action="/login" class="form">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="username">用户名</label>
        <input id="username" name="username" autocomplete="username" required value="{{username}}">
        <label for="password">密码</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <button type="submit">登录</button>
      </form>
    </section>
    """

    static let account = """
    <section class="panel narrow">
      <h1>我的账号</h1>
      <dl class="facts facts-wide">
        <div><dt>姓名</dt><dd>{{name}}</dd></div>
        <div><dt>角色</dt><dd>{{roleLabel}}</dd></div>
        {{#department}}<div><dt>所属部门</dt><dd>{{department}}</dd></div>{{/department}}
      </dl>
      {{#staff}}<p><a class="button" href="/console">进入工作台</a></p>{{/staff}}
      <form method="post" action="/logout" class="form">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <button type="submit">退出登录</button>
      </form>
    </section>
    """

    static let consoleSubmissions = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › 信息报送</nav>
    <h1>信息报送 <small class="muted">{{departmentName}}</small></h1>
    \(consoleTabs)
    {{#listWarnings}}<p class="alert" role="status"><a href="/console/lists">名单认定有 {{listWarnings}} 项期限需要处理</a>（陈述申辩期届满、名单即将期满或经营异常名录将满三年）。</p>{{/listWarnings}}
    {{#canUpload}}
    <section class="panel">
      <h2>上传文件</h2>
      {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
      <form method="post" action="/console/submissions" enctype="multipart/form-data" class="form">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="item">信息类别</label>
        <select id="item" name="item" required>
          <option value="">请选择</option>
          {{#items}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}（{{code}}）</option>{{/items}}
        </select>
        {{#chooseDepartment}}
        <label for="department">报送部门（信用办代部门上传）</label>
        <select id="department" name="department" required>
          <option value="">请选择</option>
          {{#departments}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/departments}}
        </select>
        {{/chooseDepartment}}
        <label for="file">文件（Excel .xlsx 或 CSV，UTF-8 或 GBK 编码，最大 64 MB、10 万行）</label>
        <input id="file" name="file" type="file" required accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv">
        <button type="submit">上传并校验</button>
      </form>
      <p class="muted">表头使用模板中的中文列名，列的顺序可以调整。同一条记录（如同一处罚决定书文号）再次上传不会重复入库；内容有变化的会生成新版本并保留历史。</p>
    </section>
    {{/canUpload}}
    <section class="panel">
      <h2>填报模板</h2>
      <table class="table">
        <thead><tr><th scope="col">信息类别</th><th scope="col">所属目录</th><th scope="col">下载</th></tr></thead>
        <tbody>
        {{#items}}<tr><td>{{name}}</td><td>{{category}}</td><td><a href="/api/v1/catalog/items/{{code}}/template.xlsx">Excel 模板</a> · <a href="/api/v1/catalog/items/{{code}}/template.csv">CSV 表头</a></td></tr>{{/items}}
        </tbody>
      </table>
    </section>
    <section class="panel">
      <h2>最近的提交 <small class="muted">{{departmentName}}</small></h2>
      {{#chooseDepartment}}<form method="get" action="/console/submissions" class="filters" aria-label="按部门筛选">
        <div><label for="from_department">报送部门</label><select id="from_department" name="from_department">{{#filters}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/filters}}</select></div>
        <button type="submit">筛选</button></form>{{/chooseDepartment}}
      {{^submissions}}<p class="muted">还没有提交。</p>{{/submissions}}
      <div class="table-scroll">
      <table class="table">
        <thead><tr><th scope="col">编号</th><th scope="col">时间</th><th scope="col">类别</th><th scope="col">部门</th><th scope="col">方式</th>
        <th scope="col" class="num">总行数</th><th scope="col" class="num">新增</th><th scope="col" class="num">更新</th><th scope="col" class="num">未变</th><th scope="col" class="num">未通过</th><th scope="col" class="num">待确认</th></tr></thead>
        <tbody>
        {{#submissions}}
        <tr><td><a href="/console/submissions/{{id}}">{{id}}</a></td><td>{{received}}</td><td>{{item}}</td><td>{{department}}</td><td>{{channel}}</td>
        <td class="num">{{total}}</td><td class="num">{{created}}</td><td class="num">{{updated}}</td><td class="num">{{unchanged}}</td>
        <td class="num">{{#hasProblems}}<strong class="bad">{{rejected}}</strong>{{/hasProblems}}{{^hasProblems}}{{rejected}}{{/hasProblems}}</td><td class="num">{{held}}</td></tr>
        {{/submissions}}
        </tbody>
      </table>
      </div>
    </section>
    """

    static let consoleSubmission = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › <a href="/console/submissions">信息报送</a> › 提交 {{id}}</nav>
    <h1>提交 {{id}}：{{item}}</h1>
    <p class="muted">{{department}} · {{channel}} · {{received}}</p>
    <section class="figures" aria-label="处理结果">
      <div class="figure"><span class="figure-value">{{total}}</span><span class="figure-label">总行数</span></div>
      <div class="figure"><span class="figure-value">{{created}}</span><span class="figure-label">新增</span></div>
      <div class="figure"><span class="figure-value">{{updated}}</span><span class="figure-label">更新（保留历史版本）</span></div>
      <div class="figure"><span class="figure-value">{{unchanged}}</span><span class="figure-label">内容未变</span></div>
      <div class="figure"><span class="figure-value{{#hasRejected}} bad{{/hasRejected}}">{{rejected}}</span><span class="figure-label">未通过</span></div>
      <div class="figure"><span class="figure-value">{{held}}</span><span class="figure-label">暂存待信用办确认</span></div>
    </section>
    {{#hasRejected}}
    <section class="panel">
      <h2>修改未通过的行</h2>
      <p>下载未通过的行（与模板格式相同，前两列是原行号和错误原因），按原因修改后直接上传该文件即可；前两列上传时会被忽略。</p>
      <p><a class="button" href="/api/v1/submissions/{{id}}/rejected.xlsx">下载未通过的行（Excel）</a> <a href="/api/v1/submissions/{{id}}/rejected.csv">CSV 格式</a> · <a href="/console/submissions">上传修改后的文件</a></p>
    </section>
    {{/hasRejected}}
    {{#hasRows}}
    <section class="panel">
      <h2>问题行</h2>
      <div class="table-scroll">
      <table class="table">
        <thead><tr><th scope="col" class="num">行号</th><th scope="col">结果</th><th scope="col">主体</th><th scope="col">原因</th></tr></thead>
        <tbody>
        {{#rows}}<tr><td class="num">{{row}}</td><td>{{#held}}<span class="tag">{{outcome}}</span>{{/held}}{{^held}}<span class="tag tag-bad">{{outcome}}</span>{{/held}}</td><td>{{summary}}</td>
        <td><ul class="plain">{{#reasons}}<li>{{.}}</li>{{/reasons}}</ul></td></tr>{{/rows}}
        </tbody>
      </table>
      </div>
      {{#truncated}}<p class="muted">只列出前 500 行；全部问题行见下载文件。</p>{{/truncated}}
    </section>
    {{/hasRows}}
    {{^hasRows}}<p class="panel">全部行均已接收。</p>{{/hasRows}}
    """

    static let consoleTabs = """
    <nav class="tabs" aria-label="工作台"><a href="/console/submissions">信息报送</a><a href="/console/quality">数据质量</a><a href="/console/checks">信用核查</a><a href="/console/measures">奖惩清单</a><a href="/console/lists">名单认定</a><a href="/console/rights">异议与修复</a>{{#chooseDepartment}}<a href="/console/articles">文章管理</a><a href="/console/links">关联队列</a><a href="/console/admin">部门与账号</a><a href="/console/reports">信用报告</a>{{/chooseDepartment}}<a href="/console/catalog">信息目录</a><a href="/console/audit">操作日志</a><a href="/quality-rules">质量规则</a></nav>
    """

    static let consoleQuality = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › 数据质量</nav>
    <h1>数据质量 <small class="muted">{{departmentName}} · {{from}} 至 {{to}}</small></h1>
    \(consoleTabs)
    <form class="form filters" method="get" action="/console/quality">
      <div><label for="from">起始</label><input id="from" name="from" type="date" value="{{from}}" required></div>
      <div><label for="to">截止</label><input id="to" name="to" type="date" value="{{to}}" required></div>
      {{#chooseDepartment}}<div><label for="department">部门</label><select id="department" name="department"><option value="">全部部门</option>{{#departments}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/departments}}</select></div>{{/chooseDepartment}}
      <div><label for="qitem">信息类别</label><select id="qitem" name="item"><option value="">全部类别</option>{{#items}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/items}}</select></div>
      <div><button type="submit">统计</button></div>
    </form>
    {{#total}}
    <section class="figures" aria-label="总体指标">
      <div class="figure"><span class="figure-value">{{compliance}}</span><span class="figure-label">合规率（{{accepted}} / {{rows}} 行）</span></div>
      <div class="figure"><span class="figure-value">{{onTimeRate}}</span><span class="figure-label">及时率（{{onTime}} / {{delivered}} 条）</span></div>
      <div class="figure"><span class="figure-value">{{completeness}}</span><span class="figure-label">选填项完整率</span></div>
      <div class="figure"><span class="figure-value">{{rejected}}</span><span class="figure-label">未通过行数</span></div>
    </section>
    {{/total}}
    <p><a href="/api/v1/quality.xlsx?{{query}}">导出 Excel</a> · <a href="/api/v1/quality.csv?{{query}}">导出 CSV</a> · <a href="/api/v1/quality?{{query}}">JSON</a></p>
    <section class="panel">
      <h2>趋势</h2>
      <div class="chart-wrap">{{{monthlyChart}}}</div>
      <p class="legend"><span class="key key-ok"></span>通过行数 <span class="key key-bad"></span>未通过行数 <span class="key key-compliance"></span>合规率 <span class="key key-ontime"></span>及时率</p>
      <div class="table-scroll"><table class="table">
        <thead><tr><th scope="col">月份</th><th scope="col" class="num">报送行数</th><th scope="col" class="num">通过</th><th scope="col" class="num">未通过</th><th scope="col" class="num">合规率</th><th scope="col" class="num">首次报送</th><th scope="col" class="num">及时率</th><th scope="col" class="num">完整率</th></tr></thead>
        <tbody>{{#months}}<tr><td>{{department}}</td><td class="num">{{rows}}</td><td class="num">{{accepted}}</td><td class="num">{{rejected}}</td><td class="num">{{compliance}}</td><td class="num">{{delivered}}</td><td class="num">{{onTimeRate}}</td><td class="num">{{completeness}}</td></tr>{{/months}}</tbody>
      </table></div>
    </section>
    <section class="panel">
      <h2>按部门和信息类别</h2>
      {{^hasLines}}<p class="muted">统计期内没有报送。</p>{{/hasLines}}
      {{#hasLines}}
      <div class="table-scroll"><table class="table">
        <thead><tr><th scope="col">部门</th><th scope="col">信息类别</th><th scope="col" class="num">报送行数</th><th scope="col" class="num">未通过</th><th scope="col" class="num">待确认</th><th scope="col" class="num">合规率</th><th scope="col" class="num">首次报送</th><th scope="col" class="num">按时</th><th scope="col" class="num">及时率</th><th scope="col" class="num">完整率</th></tr></thead>
        <tbody>{{#lines}}<tr><td>{{department}}</td><td>{{item}}</td><td class="num">{{rows}}</td><td class="num">{{rejected}}</td><td class="num">{{held}}</td><td class="num">{{compliance}}</td><td class="num">{{delivered}}</td><td class="num">{{onTime}}</td><td class="num">{{onTimeRate}}</td><td class="num">{{completeness}}</td></tr>{{/lines}}</tbody>
      </table></div>
      {{/hasLines}}
    </section>
    {{#hasReasons}}
    <section class="panel">
      <h2>未通过原因</h2>
      <div class="chart-wrap">{{{reasonsChart}}}</div>
      <table class="table"><thead><tr><th scope="col">问题类型</th><th scope="col">字段</th><th scope="col" class="num">行数</th></tr></thead>
      <tbody>{{#reasons}}<tr><td>{{kind}}</td><td>{{field}}</td><td class="num">{{rows}}</td></tr>{{/reasons}}</tbody></table>
    </section>
    {{/hasReasons}}
    <p class="muted">合规率 = 通过校验的行数 ÷ 报送行数（修改后重报的行另计为新的报送行）；及时率 = 在决定日期后 {{onTimeWorkdays}} 个工作日内（按法定节假日与调休计算）首次报送的记录数 ÷ 可判断的记录数；完整率 = 已填写的选填项 ÷ 全部选填项。详见<a href="/quality-rules">数据质量规则</a>。</p>
    """

    static let qualityRules = """
    <h1>数据质量规则</h1>
    <section class="panel">
      <p>各部门报送的每一行信用信息都按下列规则逐项校验。未通过的行不会入库，提交结果会逐行说明原因，可下载后修改并重新上传；全部规则与平台程序中使用的规则是同一份数据。</p>
      <h2>质量指标</h2>
      <dl class="facts facts-wide">
        <div><dt>合规率</dt><dd>通过校验的行数 ÷ 报送行数（修改后重报的行另计为新的报送行）。</dd></div>
        <div><dt>及时率</dt><dd>决定日期后 {{onTimeWorkdays}} 个工作日内首次报送的记录数 ÷ 可判断的记录数。决定当天不计入；周末、法定节假日不计，调休上班日计入（发改办财金〔2018〕424号）。</dd></div>
        <div><dt>完整率</dt><dd>已填写的选填项 ÷ 全部选填项。</dd></div>
        <div><dt>问题类型</dt><dd>{{#kinds}}<span class="tag">{{.}}</span> {{/kinds}}</dd></div>
      </dl>
    </section>
    {{#items}}
    <section class="panel" id="item-{{code}}">
      <h2>{{name}}（{{code}}）</h2>
      <p>同一条记录以“{{key}}”识别：再次报送内容相同的不重复入库，内容变化的生成新版本并保留历史。</p>
      <div class="table-scroll"><table class="table">
        <thead><tr><th scope="col">列名</th><th scope="col">字段名</th><th scope="col">填写要求</th></tr></thead>
        <tbody>{{#fields}}<tr><td>{{label}}</td><td class="code">{{name}}</td><td>{{hint}}</td></tr>{{/fields}}</tbody>
      </table></div>
      <h3>跨字段规则</h3>
      <ul>{{#rules}}<li>{{.}}</li>{{/rules}}</ul>
      <p><a href="/api/v1/catalog/items/{{code}}/template.xlsx">下载 Excel 模板</a> · <a href="/api/v1/catalog/items/{{code}}/template.csv">CSV 表头</a></p>
    </section>
    {{/items}}
    """

    static let consoleChecks = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › 信用核查</nav>
    <h1>信用核查</h1>
    \(consoleTabs)
    <section class="panel">
      <h2>发起核查</h2>
      {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
      <form method="post" action="/console/checks" enctype="multipart/form-data" class="form">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="matter">办理事项</label>
        <select id="matter" name="matter" required><option value="">请选择</option>{{#matters}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/matters}}</select>
        <label for="purpose">核查用途（如：某项目招标资格审查）</label>
        <input id="purpose" name="purpose" value="{{purpose}}" required maxlength="200">
        <label for="subjects">核查对象：每行一个统一社会信用代码或名称（最多 {{max}} 个）</label>
        <textarea id="subjects" name="subjects" rows="8" placeholder="91350200776049653A&#10;厦门某某建设工程有限公司">{{subjects}}</textarea>
        <label for="file">或上传名单文件（Excel .xlsx 或 CSV，读取第一列，可带表头）</label>
        <input id="file" name="file" type="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet">
        <button type="submit">核查</button>
      </form>
      <p class="muted">核查结果列出每个主体当前所在的名单、相关信用记录，以及本事项依法应当采取的奖惩措施和依据。每次核查都会记录核查人、部门、事项、用途和返回内容。</p>
    </section>
    <section class="panel">
      <h2>核查记录{{#chooseDepartment}} <a class="more" href="/console/checks/statistics">核查与奖惩统计</a>{{/chooseDepartment}}</h2>
      {{#hasChecks}}
      <div class="table-scroll"><table class="table">
        <thead><tr><th scope="col">编号</th><th scope="col">时间</th><th scope="col">事项</th><th scope="col">用途</th><th scope="col">部门</th><th scope="col">核查人</th><th scope="col" class="num">主体</th><th scope="col" class="num">找到</th><th scope="col" class="num">有奖惩</th></tr></thead>
        <tbody>{{#checks}}<tr><td><a href="/console/checks/{{id}}">{{id}}</a></td><td>{{at}}</td><td>{{matter}}</td><td>{{purpose}}</td><td>{{department}}</td><td>{{actor}}</td>
          <td class="num">{{subjects}}</td><td class="num">{{found}}</td><td class="num">{{withHits}}</td></tr>{{/checks}}</tbody>
      </table></div>
      {{/hasChecks}}
      {{^hasChecks}}<p class="muted">还没有核查记录。</p>{{/hasChecks}}
    </section>
    """

    static let consoleCheck = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › <a href="/console/checks">信用核查</a> › 核查结果 {{id}}</nav>
    <h1>信用核查报告 <small class="muted">编号 {{id}}</small></h1>
    {{#notice}}<p class="notice-ok" role="status">{{notice}}</p>{{/notice}}
    {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
    <dl class="facts facts-wide panel">
      <div><dt>办理事项</dt><dd>{{matter}}</dd></div>
      <div><dt>核查用途</dt><dd>{{purpose}}</dd></div>
      <div><dt>核查部门</dt><dd>{{department}}（{{actor}}）</dd></div>
      <div><dt>核查时间</dt><dd>{{asOf}}</dd></div>
      <div><dt>结果</dt><dd>共 {{subjects}} 个主体，找到 {{found}} 个，其中 {{withHits}} 个在名单中或适用奖惩措施</dd></div>
    </dl>
    <p class="no-print"><a class="button" href="/console/checks/{{id}}/report.csv">下载核查报告（CSV）</a> <span class="muted">打印本页即为书面核查报告。</span></p>
    <ol class="cards">
    {{#results}}
      <li class="panel check-result" id="r{{position}}">
        <h2>{{position}}. {{#found}}{{#link}}<a href="{{link}}">{{name}}</a>{{/link}}{{^link}}{{name}}{{/link}}{{/found}}{{^found}}{{query}}{{/found}}</h2>
        {{#found}}<p class="muted">{{code}} · {{kind}} · {{status}}{{#query}} · 核查时填写：{{query}}{{/query}}</p>{{/found}}
        <p class="{{#clear}}conclusion-clear{{/clear}}{{#missing}}muted{{/missing}}{{^clear}}{{^missing}}conclusion{{/missing}}{{/clear}}">{{conclusion}}</p>
        {{#hasLists}}<h3>所在名单</h3>{{/hasLists}}
        <ul class="plain">{{#lists}}<li><strong>{{name}}</strong>（{{kind}}）{{#since}}，{{since}} 起{{/since}}{{#until}}，至 {{until}}{{/until}}<br><span class="muted">依据：{{basis}}；移出：{{removal}}</span></li>{{/lists}}</ul>
        {{#hasRecords}}<h3>相关信用记录</h3>{{/hasRecords}}
        <ul class="plain">{{#records}}<li>{{itemName}}{{#severity}}（{{severity}}）{{/severity}}{{#disputed}} <span class="tag tag-disputed">异议处理中</span>{{/disputed}} {{#document}}<span class="code">{{document}}</span>{{/document}} {{decidedOn}}{{#until}} 至 {{until}}{{/until}} · {{department}}{{#summary}}<br><span class="muted">{{summary}}</span>{{/summary}}</li>{{/records}}</ul>
        {{#hasMeasures}}
        <h3>本事项适用的措施</h3>
        <div class="table-scroll"><table class="table">
          <thead><tr><th scope="col">措施</th><th scope="col">应采取的措施</th><th scope="col">依据</th><th scope="col">触发</th><th scope="col">实施情况</th></tr></thead>
          <tbody>{{#measures}}<tr><td><span class="tag {{#incentive}}tag-incentive{{/incentive}}{{^incentive}}tag-punishment{{/incentive}}">{{direction}}</span> {{name}} <span class="muted code">{{code}}</span></td>
            <td>{{action}}</td><td>{{basis}}</td><td>{{triggeredBy}}</td>
            <td>{{#answered}}<span>{{answered}}</span>{{/answered}}
              {{#canFeedback}}<fieldset class="feedback no-print"><legend class="visually-hidden">{{name}} 的实施情况</legend>
                <label><input type="radio" form="feedback" name="a_{{key}}" value="applied"{{#applied}} checked{{/applied}}> 已实施</label>
                <label><input type="radio" form="feedback" name="a_{{key}}" value="not_applied"{{#notApplied}} checked{{/notApplied}}> 未实施</label>
                <label for="n_{{key}}" class="visually-hidden">{{name}} 的说明</label><input id="n_{{key}}" form="feedback" name="n_{{key}}" value="{{note}}" maxlength="500" placeholder="采取的措施或未实施的原因">
              </fieldset>{{/canFeedback}}</td></tr>{{/measures}}</tbody>
        </table></div>
        {{/hasMeasures}}
        {{#canDraftCase}}<form method="post" action="/console/checks/{{id}}/case" class="no-print"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="position" value="{{position}}"><button type="submit" class="small">起草联合奖惩案例</button></form>{{/canDraftCase}}
      </li>
    {{/results}}
    </ol>
    {{#canFeedback}}{{#hasMeasures}}
    <form id="feedback" method="post" action="/console/checks/{{id}}/feedback" class="panel no-print">
      <input type="hidden" name="_csrf" value="{{csrf}}">
      <p>在上面各项措施中选择“已实施”或“未实施”并说明情况，然后提交反馈。反馈可以修改，历次反馈都会保留。</p>
      <button type="submit">提交反馈</button>
    </form>
    {{/hasMeasures}}{{/canFeedback}}
    """

    static let consoleCheckStatistics = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › <a href="/console/checks">信用核查</a> › 核查与奖惩统计</nav>
    <h1>核查与奖惩统计 <small class="muted">{{from}} 至 {{to}}</small></h1>
    \(consoleTabs)
    <form class="form filters" method="get" action="/console/checks/statistics">
      <div><label for="from">起始</label><input id="from" name="from" type="date" value="{{from}}" required></div>
      <div><label for="to">截止</label><input id="to" name="to" type="date" value="{{to}}" required></div>
      <div><button type="submit">统计</button></div>
    </form>
    {{^hasRows}}<p class="muted">这段时间没有核查。</p>{{/hasRows}}
    {{#hasRows}}
    <section class="panel">
      <h2>各部门核查情况</h2>
      <div class="table-scroll"><table class="table">
        <thead><tr><th scope="col">部门</th><th scope="col" class="num">核查次数</th><th scope="col" class="num">核查主体</th><th scope="col" class="num">有奖惩的主体</th></tr></thead>
        <tbody>{{#departments}}<tr><td>{{name}}</td><td class="num">{{checks}}</td><td class="num">{{subjects}}</td><td class="num">{{hits}}</td></tr>{{/departments}}</tbody>
      </table></div>
    </section>
    <section class="panel">
      <h2>各部门各措施的适用和反馈</h2>
      <div class="table-scroll"><table class="table">
        <thead><tr><th scope="col">部门</th><th scope="col">措施</th><th scope="col" class="num">命中</th><th scope="col" class="num">已实施</th><th scope="col" class="num">未实施</th><th scope="col" class="num">未反馈</th></tr></thead>
        <tbody>{{#measures}}<tr><td>{{department}}</td><td>{{name}} <span class="muted code">{{code}}</span></td><td class="num">{{hits}}</td><td class="num">{{applied}}</td><td class="num">{{notApplied}}</td><td class="num">{{unanswered}}</td></tr>{{/measures}}</tbody>
      </table></div>
      <p class="muted">在核查结果页可以把有奖惩的核查对象起草为“诚信典型案例”文章，核实后在文章管理中发布到网站。</p>
    </section>
    {{/hasRows}}
    """

    static let consoleMeasures = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › 奖惩清单</nav>
    <h1>奖惩清单 <small class="muted">版本 {{version}}</small></h1>
    \(consoleTabs)
    {{#notice}}<p class="notice-ok" role="status">{{notice}}</p>{{/notice}}
    {{#note}}<p class="muted">{{note}}</p>{{/note}}
    {{> measures_lists}}
    {{#chooseDepartment}}
    <section class="panel">
      <h2>新增或修改本地措施</h2>
      {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
      <p class="muted">每项措施必须写明法律、法规或党中央、国务院政策文件依据；没有依据的措施不能保存。填写已有编码即修改该措施（旧版本保留）；要停用一项措施，填写失效日期。</p>
      <form method="post" action="/console/measures" class="form">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="code">编码（字母开头，如 L01；填写已有编码即修改）</label><input id="code" name="code" value="{{form.code}}" required maxlength="32">
        <label for="name">措施名称</label><input id="name" name="name" value="{{form.name}}" required maxlength="100">
        <label for="direction">方向</label><select id="direction" name="direction">{{#directionOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/directionOptions}}</select>
        <label for="kind">类别</label><select id="kind" name="kind">{{#kindOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/kindOptions}}</select>
        <label for="document">依据文件（法律、法规或政策文件名称）</label><input id="document" name="document" value="{{form.document}}" required maxlength="200">
        <label for="article">条款（如：第十二条）</label><input id="article" name="article" value="{{form.article}}" maxlength="100">
        <label for="action">部门应采取的措施</label><input id="action" name="action" value="{{form.action}}" required maxlength="200">
        <label for="departments">实施部门（用顿号分隔）</label><input id="departments" name="departments" value="{{form.departments}}" maxlength="200">
        <fieldset><legend>适用事项</legend>{{#matterOptions}}<label class="check"><input type="checkbox" name="matters" value="{{value}}"{{#selected}} checked{{/selected}}> {{label}}</label> {{/matterOptions}}</fieldset>
        <fieldset><legend>触发名单</legend>{{#listOptions}}<label class="check"><input type="checkbox" name="lists" value="{{value}}"{{#selected}} checked{{/selected}}> {{label}}</label> {{/listOptions}}</fieldset>
        <fieldset><legend>或触发的信息类别（行政处罚按失信程度）</legend>{{#recordOptions}}<label class="check"><input type="checkbox" name="records" value="{{value}}"{{#selected}} checked{{/selected}}> {{label}}</label> {{/recordOptions}}</fieldset>
        <label for="valid_from">生效日期</label><input id="valid_from" name="valid_from" type="date" value="{{form.valid_from}}" required>
        <label for="valid_until">失效日期（可不填）</label><input id="valid_until" name="valid_until" type="date" value="{{form.valid_until}}">
        <button type="submit">保存措施</button>
      </form>
    </section>
    {{/chooseDepartment}}
    """

    static let consoleListCases = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › 名单认定</nav>
    <h1>严重失信主体名单认定</h1>
    \(consoleTabs)
    <section class="panel">
      <h2>预警</h2>
      {{#hasWarnings}}<ul class="plain">{{#warnings}}<li><strong>{{due}}</strong> {{subject}} <span class="muted code">{{code}}</span>：{{text}}{{#caseID}} · <a href="/console/lists/{{caseID}}">案件 {{caseID}}</a>{{/caseID}}</li>{{/warnings}}</ul>{{/hasWarnings}}
      {{^hasWarnings}}<p class="muted">近 30 日没有需要处理的期限。</p>{{/hasWarnings}}
    </section>
    <section class="panel">
      <h2>认定案件</h2>
      {{#hasCases}}
      <div class="table-scroll"><table class="table">
        <thead><tr><th scope="col">编号</th><th scope="col">主体</th><th scope="col">部门</th><th scope="col">立案日期</th><th scope="col">状态</th></tr></thead>
        <tbody>{{#cases}}<tr><td><a href="/console/lists/{{id}}">{{id}}</a></td><td>{{subject}} <span class="muted code">{{code}}</span></td><td>{{department}}</td><td>{{opened}}</td>
          <td>{{status}}{{#deadline}}（至 {{deadline}}）{{/deadline}}</td></tr>{{/cases}}</tbody>
      </table></div>
      {{/hasCases}}
      {{^hasCases}}<p class="muted">还没有认定案件。</p>{{/hasCases}}
    </section>
    <section class="panel">
      <h2>立案</h2>
      {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
      <p class="muted">认定须依据法律、法规或党中央、国务院政策文件，并依次经过告知、陈述申辩、决定和公示；每一步都记录日期和经办人。列入名单的信息在期满后自动移出，不再触发惩戒措施。</p>
      <form method="post" action="/console/lists" class="form">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        {{#chooseDepartment}}<label for="department">认定部门</label><select id="department" name="department" required><option value="">请选择</option>{{#departments}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/departments}}</select>{{/chooseDepartment}}
        <label for="subject">认定对象的统一社会信用代码</label><input id="subject" name="subject" value="{{form.subject}}" required maxlength="30" autocomplete="off">
        <label for="authority">作出认定的机关</label><input id="authority" name="authority" value="{{form.authority}}" required maxlength="200">
        <label for="authority_code">认定机关统一社会信用代码</label><input id="authority_code" name="authority_code" value="{{form.authority_code}}" required maxlength="30">
        <label for="reasons">拟列入的事实和理由</label><textarea id="reasons" name="reasons" rows="3" required maxlength="2000">{{form.reasons}}</textarea>
        <label for="basis">认定依据（文件和条款）</label><input id="basis" name="basis" value="{{form.basis}}" required maxlength="500">
        <button type="submit">立案</button>
      </form>
    </section>
    """

    static let consoleListCase = """
    <nav class="crumbs" aria-label="位置"><a href="/console">工作台</a> › <a href="/console/lists">名单认定</a> › 案件 {{c.id}}</nav>
    <h1>{{c.subjectName}} <small class="muted">认定案件 {{c.id}} · {{statusLabel}}</small></h1>
    {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
    <dl class="facts facts-wide panel">
      <div><dt>统一社会信用代码</dt><dd class="code">{{c.subjectCode}}</dd></div>
      <div><dt>认定机关</dt><dd>{{c.authority}}（{{c.authorityCode}}）</dd></div>
      <div><dt>事实和理由</dt><dd>{{c.reasons}}</dd></div>
      <div><dt>认定依据</dt><dd>{{c.basis}}</dd></div>
      {{#c.statementDeadline}}<div><dt>陈述申辩期限</dt><dd>{{c.statementDeadline}}</dd></div>{{/c.statementDeadline}}
      {{#c.decisionNumber}}<div><dt>认定决定书</dt><dd>{{c.decisionNumber}}（{{c.decidedOn}}），列入至 {{c.validUntil}}</dd></div>{{/c.decisionNumber}}
    </dl>
    <section class="panel">
      <h2>程序记录</h2>
      <ol class="plain">{{#steps}}<li><strong>{{on}}</strong> {{status}} · {{actor}}<br><span class="muted">{{text}}</span></li>{{/steps}}</ol>
    </section>
    {{#canNotify}}<section class="panel"><h2>告知</h2>
      <form method="post" action="/console/lists/{{c.id}}/notify" class="form"><input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="notice">告知书内容（拟列入的事实、理由、依据，陈述申辩的权利和期限：告知之日起 {{statementDays}} 个工作日）</label>
        <textarea id="notice" name="notice" rows="4" required maxlength="5000"></textarea><button type="submit">记录已告知</button></form></section>{{/canNotify}}
    {{#canHear}}<section class="panel"><h2>陈述申辩</h2>
      <form method="post" action="/console/lists/{{c.id}}/hear" class="form"><input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="statement">主体的陈述申辩及核查处理意见</label>
        <textarea id="statement" name="statement" rows="4" required maxlength="5000"></textarea><button type="submit">记录陈述申辩</button></form></section>{{/canHear}}
    {{#canDecide}}<section class="panel"><h2>作出认定决定</h2>
      <form method="post" action="/console/lists/{{c.id}}/decide" class="form"><input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="number">认定决定书文号</label><input id="number" name="number" required maxlength="100">
        <label for="document">决定书内容（须写明理由、依据、惩戒措施提示、移出条件和程序、行政复议或诉讼等救济途径）</label>
        <textarea id="document" name="document" rows="6" required maxlength="5000"></textarea>
        <label for="valid_until">列入至（最长至 {{maxUntil}}）</label><input id="valid_until" name="valid_until" type="date" value="{{defaultUntil}}" max="{{maxUntil}}" required>
        <button type="submit">作出决定</button></form></section>{{/canDecide}}
    {{#canPublish}}<section class="panel"><h2>公示</h2><p>公示后，名单记录进入信用档案、网站名单栏目和信用核查，按奖惩清单触发相应措施。</p>
      <form method="post" action="/console/lists/{{c.id}}/publish"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">列入名单并公示</button></form></section>{{/canPublish}}
    {{#canRemove}}<section class="panel"><h2>提前移出</h2>
      <form method="post" action="/console/lists/{{c.id}}/remove" class="form"><input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="reason">移出原因（信用修复、认定依据被撤销等）</label><input id="reason" name="reason" required maxlength="500"><button type="submit">移出名单</button></form></section>{{/canRemove}}
    {{#canClose}}<section class="panel"><h2>终止（不予认定）</h2>
      <form method="post" action="/console/lists/{{c.id}}/close" class="form"><input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="close_reason">终止原因</label><input id="close_reason" name="reason" required maxlength="500"><button type="submit">终止案件</button></form></section>{{/canClose}}
    """

    /// The four lists, for the console and the public page alike.
    static let measuresLists = """
    <section class="panel">
      <h2>一、诚信典型（守信激励对象）范围</h2>
      <ul class="plain">{{#red}}<li><strong>{{name}}</strong>（{{items}}；认定：{{determinedBy}}）<br><span class="muted">依据：{{basis}}；{{removal}}</span></li>{{/red}}</ul>
    </section>
    <section class="panel">
      <h2>二、严重失信主体及重点关注对象范围</h2>
      <ul class="plain">{{#black}}<li><strong>{{name}}</strong>（{{kind}}：{{items}}；认定：{{determinedBy}}）<br><span class="muted">依据：{{basis}}；{{removal}}</span></li>{{/black}}</ul>
    </section>
    {{#groups}}
    <section class="panel">
      <h2>{{title}}</h2>
      <div class="table-scroll"><table class="table">
        <thead><tr><th scope="col">编码</th><th scope="col">措施</th><th scope="col">适用事项</th><th scope="col">触发条件</th><th scope="col">依据</th><th scope="col">有效期</th></tr></thead>
        <tbody>{{#lines}}<tr><td class="code">{{code}}</td><td>{{name}}{{#local}} <span class="tag">本地</span>{{/local}}{{^inForce}} <span class="tag tag-bad">未生效或已失效</span>{{/inForce}}<br><span class="muted">{{action}}；{{kind}}；{{departments}}</span></td><td>{{matters}}</td><td>{{triggers}}</td><td>{{basis}}</td><td>{{validity}}</td></tr>{{/lines}}</tbody>
      </table></div>
    </section>
    {{/groups}}
    """

    static let measuresPublic = """
    <nav class="crumbs" aria-label="位置"><a href="/">首页</a> › <a href="/lists">信用名单</a> › 奖惩措施清单</nav>
    <h1>守信激励和失信惩戒措施清单 <small class="muted">版本 {{version}}</small></h1>
    <p>各部门在行政许可、政府采购、招标投标、财政资金等事项中核查主体信用，只能依照本清单、按各项措施的依据和触发条件采取激励或惩戒措施，不得超出清单。</p>
    {{#note}}<p class="muted">{{note}}</p>{{/note}}
    {{> measures_lists}}
    """
}

/// The rights workflows' pages (objections, repair, the subject's own archive, the console queue).
extension Templates {
    static let rightsPages: [String: String] = [
        "objection_form": objectionForm, "case_filed": caseFiled, "case": rightsCase, "track": track, "me": me,
        "repair_form": repairForm, "inbox": inbox, "console_rights": consoleRights, "console_right": consoleRight,
    ]

    static let objectionForm = """
    <nav class="crumbs" aria-label="位置"><a href="/">首页</a> › <a href="/objections">异议申诉</a> › 提出异议</nav>
    <section class="panel narrow">
      <h1>对该记录提出异议</h1>
      <p><span class="tag">{{itemName}}</span> <a href="/records/{{id}}">{{title}}</a>{{#subjectName}} · {{subjectName}}{{/subjectName}}</p>
      <p class="muted">认为该记录有错误、遗漏，或已超过公示期限仍在公示的，请说明理由并附上证据。受理后（最迟 {{markDays}} 个工作日内）该记录在本站和信用核查结果中标注“异议处理中”，并转交提供信息的部门核查，处理结果书面答复。</p>
      {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
      <form class="form" method="post" action="/records/{{id}}/objection" enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="field">异议针对</label>
        <select id="field" name="field">{{#fields}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/fields}}</select>
        <label for="proposed">应当是（可选）</label><input id="proposed" name="proposed" maxlength="500" value="{{form.proposed}}">
        <label for="reason">异议理由（哪里有误、事实和依据）</label><textarea id="reason" name="reason" rows="5" required maxlength="5000">{{form.reason}}</textarea>
        <label for="name">申请人（姓名或单位名称）</label><input id="name" name="name" required maxlength="50" value="{{form.name}}" autocomplete="name">
        <label for="contact">联系方式（手机号码或电子邮箱，用于通知处理结果，不公开）</label><input id="contact" name="contact" required maxlength="100" value="{{form.contact}}" autocomplete="tel">
        <label for="evidence1">证据材料（PDF、OFD、JPG 或 PNG，可选{{^signedInSubject}}；未登录时合计不超过 1 MB{{/signedInSubject}}）</label>
        <input id="evidence1" name="evidence1" type="file" accept=".pdf,.ofd,.jpg,.jpeg,.png"><input name="evidence2" type="file" accept=".pdf,.ofd,.jpg,.jpeg,.png" aria-label="证据材料 2"><input name="evidence3" type="file" accept=".pdf,.ofd,.jpg,.jpeg,.png" aria-label="证据材料 3">
        <button type="submit">提交异议</button>
      </form>
    </section>
    """

    static let caseFiled = """
    <section class="panel narrow">
      <h1>已提交{{kind}}（第 {{id}} 号）</h1>
      <p class="notice-ok" role="status">请保存查询码：<strong class="code" id="query-code">{{code}}</strong>。凭编号和查询码可以随时查看办理进度，无需登录。查询码只显示这一次。</p>
      <p>当前状态：{{status}}</p>
      <ul>{{#deadlines}}<li>{{label}}：{{due}} 前</li>{{/deadlines}}</ul>
      <p><a class="button" href="/track?id={{id}}&amp;code={{code}}">查看办理进度</a></p>
    </section>
    """

    static let rightsCase = """
    <nav class="crumbs" aria-label="位置"><a href="/">首页</a> › <a href="/track">办理进度查询</a> › {{kindLabel}}第 {{c.id}} 号</nav>
    <article class="panel">
      <h1>{{kindLabel}}第 {{c.id}} 号 <span class="tag">{{c.statusLabel}}</span>{{#c.marked}} <span class="tag tag-disputed">异议处理中</span>{{/c.marked}}</h1>
      {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
      <dl class="facts facts-wide">
        <div><dt>主体</dt><dd>{{c.subjectName}}</dd></div>
        <div><dt>记录</dt><dd><a href="/records/{{c.recordId}}">第 {{c.recordId}} 号记录</a>{{#fieldLabel}}（字段：{{fieldLabel}}）{{/fieldLabel}}</dd></div>
        <div><dt>提交日期</dt><dd>{{c.filedOn}}</dd></div>
        <div><dt>申请人</dt><dd>{{c.applicant.name}}（{{c.applicant.contact}}）</dd></div>
        <div><dt>理由</dt><dd>{{c.reason}}</dd></div>
        {{#c.proposed}}<div><dt>应当是</dt><dd>{{c.proposed}}</dd></div>{{/c.proposed}}
        {{#c.reply}}<div><dt>书面答复</dt><dd>{{c.reply}}</dd></div>{{/c.reply}}
        {{#c.appealUntil}}<div><dt>申诉期限</dt><dd>{{c.appealUntil}} 前可向信用办申诉</dd></div>{{/c.appealUntil}}
        <div><dt>适用规则</dt><dd>{{c.rules}}</dd></div>
      </dl>
      <h2>办理期限（按工作日计算）</h2>
      <ul>{{#c.deadlines}}<li>{{label}}：{{due}} 前{{#met}}（{{met}} 已办结）{{/met}}{{#overdue}} <span class="overdue">已逾期</span>{{/overdue}}</li>{{/c.deadlines}}</ul>
      <h2>办理记录</h2>
      <ol class="plain">{{#c.history}}<li>{{on}} · {{actor}} · {{statusLabel}}<br><span class="muted">{{text}}</span></li>{{/c.history}}</ol>
      {{#hasFiles}}<h2>材料</h2>{{/hasFiles}}
      <ul>{{#c.attachments}}<li><a href="/rights/{{c.id}}/files/{{id}}{{#code}}?code={{code}}{{/code}}">{{name}}</a>（{{purpose}}）</li>{{/c.attachments}}</ul>
      {{#canAppeal}}<form class="form panel" method="post" action="/track/{{c.id}}/appeal"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="code" value="{{code}}">
        <label for="appeal">对不予修复决定提出申诉（理由）</label><textarea id="appeal" name="reason" rows="3" required maxlength="5000"></textarea><button type="submit">提出申诉</button></form>{{/canAppeal}}
      {{#canWithdraw}}<form class="form panel" method="post" action="/track/{{c.id}}/withdraw"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="code" value="{{code}}">
        <label for="withdraw">撤回申请（可说明原因）</label><input id="withdraw" name="reason" maxlength="500"><button type="submit" class="secondary">撤回</button></form>{{/canWithdraw}}
      {{#staffLink}}<p><a href="/console/rights/{{c.id}}">在工作台办理</a></p>{{/staffLink}}
    </article>
    """

    static let track = """
    <nav class="crumbs" aria-label="位置"><a href="/">首页</a> › 办理进度查询</nav>
    <section class="panel narrow">
      <h1>异议申诉、信用修复办理进度</h1>
      {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
      <form class="form" method="get" action="/track">
        <label for="id">申请编号</label><input id="id" name="id" inputmode="numeric" required value="{{id}}">
        <label for="code">查询码</label><input id="code" name="code" required value="{{code}}" placeholder="ABCD-EFGH-JKLM" autocomplete="off">
        <button type="submit">查询</button>
      </form>
      <p class="muted">信用主体登录后也可以在“<a href="/me">我的信用档案</a>”中查看本主体的全部申请。</p>
    </section>
    """

    static let me = """
    <nav class="crumbs" aria-label="位置"><a href="/">首页</a> › 我的信用档案</nav>
    <article class="panel">
      <h1>{{name}}</h1>
      <p class="code">{{code}}</p>
      <p><a class="button" href="/me/reports">获取本主体信用报告（公共信用信息报告、专项信用报告、完整报告）</a> <span class="muted">免费，带签名和验证码</span></p>
      {{#hasInbox}}<h2>消息</h2><ul>{{#inbox}}<li>{{#unread}}<strong>{{/unread}}{{title}}{{#unread}}</strong>{{/unread}} <span class="muted">{{at}}</span><br><span class="muted">{{body}}</span></li>{{/inbox}}</ul>{{/hasInbox}}
      <h2>我的申请</h2>
      {{#hasCases}}<div class="table-scroll"><table class="table"><thead><tr><th scope="col">编号</th><th scope="col">类别</th><th scope="col">状态</th><th scope="col">提交</th><th scope="col">期限</th></tr></thead><tbody>
      {{#cases}}<tr><td><a href="/track?id={{id}}">{{id}}</a></td><td>{{kind}}</td><td>{{status}}{{#reply}}<br><span class="muted">{{reply}}</span>{{/reply}}</td><td>{{filedOn}}</td><td>{{due}}</td></tr>{{/cases}}</tbody></table></div>{{/hasCases}}
      {{^hasCases}}<p class="muted">暂无异议申诉或信用修复申请。</p>{{/hasCases}}
      <h2>全部信用记录（含不公开的记录）</h2>
      {{^hasRecords}}<p class="muted">本平台暂无本主体的信用记录。</p>{{/hasRecords}}
      {{#records}}
      <article class="record">
        <h3><span class="tag">{{itemName}}</span> {{title}}{{#disputed}} <span class="tag tag-disputed">异议处理中</span>{{/disputed}}</h3>
        <dl class="facts facts-wide">
          <div><dt>状态</dt><dd>{{state}}</dd></div>
          <div><dt>信息来源</dt><dd>{{department}}</dd></div>
          <div><dt>决定日期</dt><dd>{{decisionDate}}</dd></div>
          <div><dt>公示期限</dt><dd>{{#publicUntil}}至 {{publicUntil}}{{/publicUntil}}{{^publicUntil}}长期{{/publicUntil}}<span class="muted">（{{basis}}）</span></dd></div>
          {{#repair}}<div><dt>信用修复</dt><dd>{{repair}}{{#canRepair}} <a class="button" href="/me/records/{{id}}/repair">申请信用修复</a>{{/canRepair}}</dd></div>{{/repair}}
        </dl>
        <p><a href="/records/{{id}}/objection">对该记录提出异议</a></p>
      </article>
      {{/records}}
    </article>
    """

    static let repairForm = """
    <nav class="crumbs" aria-label="位置"><a href="/">首页</a> › <a href="/me">我的信用档案</a> › 申请信用修复</nav>
    <section class="panel narrow">
      <h1>申请信用修复</h1>
      <p><span class="tag">{{itemName}}</span> {{title}}</p>
      <p class="repair-note">{{summary}}<br><span class="muted">适用规则：{{ruleSet}}</span></p>
      <ul>{{#reasons}}<li>{{.}}</li>{{/reasons}}</ul>
      {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
      {{#eligible}}
      <h2>申请条件</h2><ul>{{#conditions}}<li>{{.}}</li>{{/conditions}}</ul>
      <form class="form" method="post" action="/me/records/{{id}}/repair" enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="reason">义务履行和失信行为纠正情况</label><textarea id="reason" name="reason" rows="4" required maxlength="5000">{{form.reason}}</textarea>
        <label for="proof">已履行法定义务的证明（如罚款缴纳凭证；PDF、OFD、JPG 或 PNG）</label><input id="proof" name="proof" type="file" required accept=".pdf,.ofd,.jpg,.jpeg,.png">
        <input name="proof2" type="file" accept=".pdf,.ofd,.jpg,.jpeg,.png" aria-label="其他履行证明">
        <label for="rectification">整改材料（可选）</label><input id="rectification" name="rectification" type="file" accept=".pdf,.ofd,.jpg,.jpeg,.png">
        <label for="name">经办人</label><input id="name" name="name" required maxlength="50" value="{{form.name}}">
        <label for="contact">联系方式（手机号码或电子邮箱）</label><input id="contact" name="contact" required maxlength="100" value="{{form.contact}}">
        <h2>信用修复承诺书</h2>
        <p class="commitment">{{commitment}}</p>
        <label class="check"><input type="checkbox" name="commitment" value="signed" required> 本单位已阅读并签署上述信用修复承诺书</label>
        <button type="submit">提交申请</button>
      </form>
      <p class="muted">信用修复不收取任何费用。按照“谁认定、谁修复”，申请将转交作出决定的部门审核。</p>
      {{/eligible}}
    </section>
    """

    static let inbox = """
    <section class="panel">
      <h1>消息</h1>
      {{^hasEntries}}<p class="muted">暂无消息。</p>{{/hasEntries}}
      <ul>{{#entries}}<li>{{#unread}}<strong>{{/unread}}{{#link}}<a href="{{link}}">{{/link}}{{title}}{{#link}}</a>{{/link}}{{#unread}}</strong>{{/unread}} <span class="muted">{{at}}</span><br><span class="muted">{{body}}</span></li>{{/entries}}</ul>
    </section>
    """

    static let consoleRights = """
    \(consoleTabs)
    <h1>异议与修复</h1>
    <p class="muted">按“谁提供、谁核查”“谁认定、谁修复”转交本部门的异议申诉和信用修复申请；期限按工作日计算，逾期的排在最前并提请信用办督办。{{#unread}}<a href="/inbox">{{unread}} 条未读消息</a>{{/unread}}</p>
    {{#overdueCount}}<p class="alert" role="alert">{{overdueCount}} 件已逾期，请尽快办理。</p>{{/overdueCount}}
    <h2>办理中</h2>
    {{^hasOpen}}<p class="muted">没有待办理的申请。</p>{{/hasOpen}}
    {{#hasOpen}}<div class="table-scroll"><table class="table"><thead><tr><th scope="col">编号</th><th scope="col">类别</th><th scope="col">主体</th><th scope="col">记录</th>{{#chooseDepartment}}<th scope="col">部门</th>{{/chooseDepartment}}<th scope="col">状态</th><th scope="col">当前期限</th></tr></thead><tbody>
    {{#open}}<tr><td><a href="/console/rights/{{id}}">{{id}}</a></td><td>{{kind}}</td><td>{{subject}}</td><td>{{item}}</td>{{#chooseDepartment}}<td>{{department}}</td>{{/chooseDepartment}}<td>{{status}}{{#marked}} <span class="tag tag-disputed">异议处理中</span>{{/marked}}</td><td>{{dueLabel}} {{due}}{{#overdue}} <span class="overdue">已逾期</span>{{/overdue}}</td></tr>{{/open}}
    </tbody></table></div>{{/hasOpen}}
    {{#hasClosed}}<h2>已办结</h2><div class="table-scroll"><table class="table"><thead><tr><th scope="col">编号</th><th scope="col">类别</th><th scope="col">主体</th><th scope="col">记录</th><th scope="col">结果</th><th scope="col">提交</th></tr></thead><tbody>
    {{#closed}}<tr><td><a href="/console/rights/{{id}}">{{id}}</a></td><td>{{kind}}</td><td>{{subject}}</td><td>{{item}}</td><td>{{status}}</td><td>{{filedOn}}</td></tr>{{/closed}}</tbody></table></div>{{/hasClosed}}
    """

    static let consoleRight = """
    \(consoleTabs)
    <p><a href="/console/rights">← 异议与修复</a></p>
    <h1>{{kindLabel}}第 {{c.id}} 号 <span class="tag">{{c.statusLabel}}</span>{{#c.marked}} <span class="tag tag-disputed">异议处理中</span>{{/c.marked}}</h1>
    {{#error}}<p class="alert" role="alert">{{error}}</p>{{/error}}
    {{#c.pendingDeadline}}<p{{#overdue}} class="alert"{{/overdue}}>当前期限：{{label}} {{due}} 前{{#overdue}}（已逾期）{{/overdue}}</p>{{/c.pendingDeadline}}
    <dl class="facts facts-wide">
      <div><dt>主体</dt><dd>{{c.subjectName}}</dd></div>
      <div><dt>申请人</dt><dd>{{c.applicant.name}}（{{c.applicant.contact}}）{{#c.applicant.isSubject}} · 信用主体本身{{/c.applicant.isSubject}}</dd></div>
      {{#fieldLabel}}<div><dt>异议字段</dt><dd>{{fieldLabel}}{{#c.proposed}}：应当是“{{c.proposed}}”{{/c.proposed}}</dd></div>{{/fieldLabel}}
      <div><dt>理由</dt><dd>{{c.reason}}</dd></div>
      {{#c.commitment}}<div><dt>信用修复承诺书</dt><dd>{{c.commitment}}（已在线签署）</dd></div>{{/c.commitment}}
      {{#c.extensionRequested}}<div><dt>延期申请</dt><dd>{{c.extensionRequested}}</dd></div>{{/c.extensionRequested}}
      {{#c.reply}}<div><dt>答复/决定</dt><dd>{{c.reply}}</dd></div>{{/c.reply}}
      <div><dt>适用规则</dt><dd>{{c.rules}}</dd></div>
    </dl>
    {{#record}}<h2>记录 <a href="/records/{{id}}">{{title}}</a></h2>
    <dl class="facts facts-wide">{{#facts}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/facts}}<div><dt>信息来源</dt><dd>{{department}}</dd></div></dl>
    <p><a href="/console/records/{{id}}/repair-notice">信用修复告知书（两书同达）</a></p>{{/record}}
    {{#hasFiles}}<h2>材料</h2>{{/hasFiles}}
    <ul>{{#c.attachments}}<li><a href="/rights/{{c.id}}/files/{{id}}">{{name}}</a>（{{purpose}}，{{size}} 字节）</li>{{/c.attachments}}</ul>
    <h2>办理</h2>
    {{#can.accept}}<form class="form panel" method="post" action="/console/rights/{{c.id}}/accept"><input type="hidden" name="_csrf" value="{{csrf}}"><label for="note">受理意见（可选）</label><input id="note" name="note" maxlength="500"><button type="submit">受理{{#isObjection}}并标注“异议处理中”{{/isObjection}}</button></form>{{/can.accept}}
    {{#can.reject}}<form class="form panel" method="post" action="/console/rights/{{c.id}}/reject"><input type="hidden" name="_csrf" value="{{csrf}}"><label for="rj">不予受理的理由</label><input id="rj" name="reason" required maxlength="2000"><button type="submit" class="secondary">不予受理</button></form>{{/can.reject}}
    {{#can.correct}}<form class="form panel" method="post" action="/console/rights/{{c.id}}/correct"><input type="hidden" name="_csrf" value="{{csrf}}"><label for="cf">更正字段</label><select id="cf" name="field">{{#fields}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/fields}}</select><label for="cv">更正为</label><input id="cv" name="value" required maxlength="2000" value="{{c.proposed}}"><label for="cr">书面答复</label><textarea id="cr" name="reply" rows="2" required maxlength="5000"></textarea><button type="submit">异议成立，更正记录</button></form>{{/can.correct}}
    {{#can.stop}}<form class="form panel" method="post" action="/console/rights/{{c.id}}/stop"><input type="hidden" name="_csrf" value="{{csrf}}"><label for="sr">书面答复</label><textarea id="sr" name="reply" rows="2" required maxlength="5000"></textarea><button type="submit">异议成立，停止公示</button></form>{{/can.stop}}
    {{#can.uphold}}<form class="form panel" method="post" action="/console/rights/{{c.id}}/uphold"><input type="hidden" name="_csrf" value="{{csrf}}"><label for="ur">书面答复（维持的理由）</label><textarea id="ur" name="reply" rows="2" required maxlength="5000"></textarea><button type="submit" class="secondary">异议不成立，维持原记录</button></form>{{/can.uphold}}
    {{#can.approve}}<form class="form panel" method="post" action="/console/rights/{{c.id}}/approve"><input type="hidden" name="_csrf" value="{{csrf}}"><label for="ar">修复决定</label><textarea id="ar" name="reply" rows="2" required maxlength="5000"></textarea><button type="submit">准予信用修复</button></form>{{/can.approve}}
    {{#can.refuse}}<form class="form panel" method="post" action="/console/rights/{{c.id}}/refuse"><input type="hidden" name="_csrf" value="{{csrf}}"><label for="fr">不予修复的理由</label><textarea id="fr" name="reply" rows="2" required maxlength="5000"></textarea><button type="submit" class="secondary">不予修复</button></form>{{/can.refuse}}
    {{#can.request_extension}}<form class="form panel" method="post" action="/console/rights/{{c.id}}/request_extension"><input type="hidden" name="_csrf" value="{{csrf}}"><label for="er">申请延期 {{extensionDays}} 个工作日的理由</label><input id="er" name="reason" required maxlength="2000"><button type="submit" class="secondary">申请延期</button></form>{{/can.request_extension}}
    {{#can.decide_extension}}<form class="form panel" method="post" action="/console/rights/{{c.id}}/decide_extension"><input type="hidden" name="_csrf" value="{{csrf}}"><label for="en">审批意见</label><input id="en" name="note" maxlength="500"><button type="submit" name="approve" value="yes">批准延期</button> <button type="submit" name="approve" value="no" class="secondary">不批准</button></form>{{/can.decide_extension}}
    {{#can.revoke}}<form class="form panel" method="post" action="/console/rights/{{c.id}}/revoke"><input type="hidden" name="_csrf" value="{{csrf}}"><label for="rv">撤销理由（查实的虚假材料）</label><textarea id="rv" name="reason" rows="2" required maxlength="5000"></textarea><button type="submit" class="secondary">撤销修复（虚假材料）</button></form>{{/can.revoke}}
    <h2>办理记录</h2>
    <ol class="plain">{{#c.history}}<li>{{on}} · {{actor}} · {{statusLabel}}<br><span class="muted">{{text}}</span></li>{{/c.history}}</ol>
    """
}
