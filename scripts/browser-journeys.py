#!/usr/bin/env python3
"""Real-browser journeys through the site and the console.

Starts `xinyong serve` on a fresh SQLite database with synthetic demo data on a free loopback port,
drives headless Chromium (Debian's `chromium` package) over the DevTools protocol on a pipe (no
WebDriver, no Python packages), and walks the main journeys at phone and desktop widths:

  public:  home → search by name → subject page (信用档案) → record page; the 双公示 column
  admin:   sign in as the credit office → create the clerk's account (password shown once) → audit log
  console: sign in as that department clerk → upload a GB18030 CSV with one bad row → the submission
           with its rejected row → quality figures with their chart

Clicks and typing are real input events at the element's position, so a hidden or covered control
fails the journey. Every step checks the content it finds; screenshots go to
.build/browser-journeys/. Exits non-zero on the first failed check (with a screenshot of that page).

Usage: scripts/browser-journeys.py [--binary .build/debug/xinyong] [--out DIR]
"""

import argparse
import base64
import csv
import datetime
import io
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

PHONE = {"name": "phone", "width": 390, "height": 844, "scale": 2, "mobile": True}
DESKTOP = {"name": "desktop", "width": 1366, "height": 900, "scale": 1, "mobile": False}
ADMIN_PASSWORD = "journey-admin-password"


class JourneyFailure(Exception):
    pass


class Browser:
    """Chromium over --remote-debugging-pipe: JSON messages separated by NUL bytes on fds 3 and 4."""

    def __init__(self, chromium, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def child_fds():
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.proc = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking", "--lang=zh-CN", "--hide-scrollbars",
             "about:blank"],
            pass_fds=(3, 4), preexec_fn=child_fds, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def close(self):
        try:
            self.send("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise JourneyFailure("浏览器无响应（超时）")
            ready, _, _ = select.select([self.from_chrome], [], [], left)
            if ready:
                chunk = os.read(self.from_chrome, 1 << 20)
                if not chunk:
                    raise JourneyFailure("浏览器已退出")
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=True, timeout=30):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise JourneyFailure(f"{method} 失败：{m['error'].get('message')}")
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e["method"] == method:
                    del self.events[: i + 1]
                    return e
            self.events.append(self._read_message(deadline))

    def open_tab(self):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")

    def viewport(self, device):
        self.send("Emulation.setDeviceMetricsOverride", {
            "width": device["width"], "height": device["height"], "deviceScaleFactor": device["scale"],
            "mobile": device["mobile"]})
        self.send("Emulation.setTouchEmulationEnabled", {"enabled": device["mobile"]})

    # --- pages -------------------------------------------------------------------------------

    def _navigation(self, action):
        self.events = [e for e in self.events if e["method"] != "Page.loadEventFired"]
        action()
        self.wait_event("Page.loadEventFired")

    def goto(self, url):
        self._navigation(lambda: self.send("Page.navigate", {"url": url}))

    def js(self, expression):
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise JourneyFailure(f"页面脚本出错：{r['exceptionDetails'].get('text')} — {expression[:80]}")
        return r["result"].get("value")

    def url(self):
        return self.js("location.pathname + location.search")

    def text(self, selector="body"):
        value = self.js(f"(document.querySelector({json.dumps(selector)}) || {{}}).innerText || null")
        if value is None:
            raise JourneyFailure(f"页面 {self.url()} 上找不到 {selector}")
        return value

    def center(self, selector):
        rect = self.js(f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
            if (!e) return null; e.scrollIntoView({{block: 'center'}});
            // The first line box: a link that wraps has a gap in the middle of its bounding box.
            const r = e.getClientRects()[0] || e.getBoundingClientRect();
            const x = r.left + Math.min(r.width / 2, 8), y = r.top + r.height / 2;
            const top = document.elementFromPoint(x, y);
            return {{x, y, visible: r.width > 0 && r.height > 0, reachable: !!top && (top === e || e.contains(top))}}; }})()""")
        if not rect:
            raise JourneyFailure(f"页面 {self.url()} 上找不到 {selector}")
        if not rect["visible"] or not rect["reachable"]:
            raise JourneyFailure(f"页面 {self.url()} 上的 {selector} 不可见或被遮挡，无法点击")
        return rect["x"], rect["y"]

    def click(self, selector, navigates=True):
        x, y = self.center(selector)

        def press():
            for kind in ("mousePressed", "mouseReleased"):
                self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})
        self._navigation(press) if navigates else press()

    def type_into(self, selector, text):
        self.click(selector, navigates=False)
        self.js(f"document.querySelector({json.dumps(selector)}).select && document.querySelector({json.dumps(selector)}).select()")
        self.send("Input.insertText", {"text": text})

    def press_enter(self, navigates=True):
        def enter():
            for kind in ("keyDown", "keyUp"):
                self.send("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                     "windowsVirtualKeyCode": 13, "text": "\r" if kind == "keyDown" else ""})
        self._navigation(enter) if navigates else enter()

    def press_tab(self):
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {"type": kind, "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9})

    def choose(self, selector, value):
        ok = self.js(f"""(() => {{ const s = document.querySelector({json.dumps(selector)});
            if (!s || ![...s.options].some(o => o.value === {json.dumps(value)})) return false;
            s.value = {json.dumps(value)}; s.dispatchEvent(new Event('change', {{bubbles: true}})); return true; }})()""")
        if not ok:
            raise JourneyFailure(f"{selector} 中没有选项 {value}")

    def attach_file(self, selector, path):
        handle = self.send("Runtime.evaluate", {"expression": f"document.querySelector({json.dumps(selector)})"})["result"]
        if "objectId" not in handle:
            raise JourneyFailure(f"找不到文件输入框 {selector}")
        self.send("DOM.setFileInputFiles", {"files": [path], "objectId": handle["objectId"]})

    def screenshot(self, path):
        size = self.send("Page.getLayoutMetrics")["cssContentSize"]
        shot = self.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 6000), "scale": 1}})
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))


class Journeys:
    def __init__(self, browser, base, out, clerk):
        self.b, self.base, self.out, self.clerk = browser, base, out, clerk
        self.checks = 0
        self.shots = []

    def expect(self, condition, what):
        self.checks += 1
        if not condition:
            raise JourneyFailure(f"检查未通过：{what}（页面 {self.b.url()}）")

    def shot(self, name, device):
        path = os.path.join(self.out, f"{name}-{device['name']}.png")
        self.b.screenshot(path)
        self.shots.append(path)

    def sign_in(self, username, password):
        b = self.b
        b.goto(self.base + "/login")
        b.type_into("#username", username)
        b.type_into("#password", password)
        b.click("form[action='/login'] button[type=submit]")

    def sign_out(self):
        self.b.goto(self.base + "/account")
        self.b.click("form[action='/logout'] button")

    def common_page_checks(self):
        self.expect(self.b.js("document.documentElement.lang") == "zh-CN", "页面语言为 zh-CN")
        foreign = self.b.js("performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin))")
        self.expect(foreign == [], f"所有资源都由本站提供（外部：{foreign}）")
        overflow = self.b.js("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        # What sticks out: elements past the right edge that no scroll container clips (an absolutely
        # positioned one escapes the container unless that is its containing block).
        wide = "" if overflow <= 1 else self.b.js("""[...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                         && (!e.parentElement.closest('.table-scroll') || getComputedStyle(e).position === 'absolute'))
            .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')).join(', ')""")
        self.expect(overflow <= 1, f"页面没有横向溢出（溢出 {overflow}px{'：' + wide if wide else ''}）")
        unlabelled = self.b.js("""[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
            .filter(e => !(e.id && document.querySelector(`label[for="${e.id}"]`)) && !e.getAttribute('aria-label') && !e.closest('label'))
            .map(e => e.name || e.outerHTML.slice(0, 60))""")
        self.expect(unlabelled == [], f"每个输入控件都有标签（缺少：{unlabelled}）")
        images = self.b.js("[...document.querySelectorAll('img:not([alt]), svg:not([aria-hidden]):not([role])')].length")
        self.expect(images == 0, f"图片和图表都有替代文字或角色（{images} 个没有）")

    def public(self, device):
        b = self.b
        b.viewport(device)
        b.goto(self.base + "/")
        self.common_page_checks()
        self.expect("信用旅程" in b.js("document.title"), "首页标题含站点名称")
        figures = b.text(".figures")
        self.expect("登记在册的信用主体" in figures and "公示中的行政处罚" in figures, "首页有平台概况数字")
        latest = b.js("[...document.querySelectorAll('.latest li a')].map(a => a.innerText)")
        self.expect(len(latest) > 0, "首页列出最新双公示")
        b.press_tab()
        self.expect(b.js("document.activeElement.innerText") == "跳到正文", "第一次按 Tab 聚焦“跳到正文”")
        self.shot("01-home", device)

        # An identity number is stopped in the browser: it never becomes part of an address.
        b.type_into("#q", "110105194912310021")
        b.press_enter(navigates=False)
        time.sleep(0.3)
        self.expect(b.url() == "/" and "请勿输入身份证号码" in b.text("form[role=search]"), "身份证号码不会被提交到地址中")

        # search → subject page → record
        name = latest[0]
        b.type_into("#q", name)
        b.press_enter()
        self.expect(b.url().startswith("/search?q="), "回车提交查询")
        self.expect("共找到" in b.text(".result-count"), "查询结果页显示结果数")
        self.expect(name in b.text(".results"), f"查询结果包含“{name}”")
        self.common_page_checks()
        self.shot("02-search", device)
        b.click(".results .result h2 a")
        self.expect(b.url().startswith("/subjects/"), "点击结果进入信用档案")
        self.expect(b.text("h1") == name, "信用档案标题为主体名称")
        page = b.text("main")
        self.expect("基本登记信息" in page and "统一社会信用代码" in page, "信用档案有基本登记信息")
        self.expect(b.js("document.querySelectorAll('.record-section .record').length") > 0, "信用档案列出公示中的记录")
        self.common_page_checks()
        self.shot("03-subject", device)
        b.click(".record-section .record h3 a")
        self.expect(b.url().startswith("/records/"), "点击记录进入记录页")
        record = b.text("main")
        self.expect(name in record and "公示期限" in record and "信息来源" in record, "记录页有主体、公示期限和来源")
        self.common_page_checks()
        self.shot("04-record", device)
        if device is DESKTOP:
            # Printable: the print stylesheet drops navigation and forms; the PDF keeps the record.
            hidden = b.js("(() => { const s = [...document.styleSheets].flatMap(x => [...x.cssRules]).filter(r => r.media && r.media.mediaText === 'print'); return s.length })()")
            self.expect(hidden > 0, "记录页有打印样式")
            pdf = self.b.send("Page.printToPDF", {"printBackground": False, "preferCSSPageSize": True})["data"]
            path = os.path.join(self.out, "04-record.pdf")
            with open(path, "wb") as f:
                f.write(base64.b64decode(pdf))
            self.expect(os.path.getsize(path) > 5_000, f"记录页可打印为 PDF（{os.path.getsize(path)} 字节）")
            b.send("Emulation.setEmulatedMedia", {"media": "print"})
            self.expect(not b.js("!!document.querySelector('.site-header nav').offsetParent"), "打印时不显示导航")
            self.shot("04-record-print", device)
            b.send("Emulation.setEmulatedMedia", {"media": ""})

        # the 双公示 column, filtered by kind
        b.goto(self.base + "/shuanggongshi?item=xzcf")
        kinds = b.js("[...document.querySelectorAll('.results .result .result-kind .tag')].map(t => t.innerText)")
        self.expect(len(kinds) > 0 and set(kinds) == {"行政处罚"}, f"双公示栏目按类别筛选出行政处罚（{set(kinds)}）")
        self.common_page_checks()
        self.shot("05-shuanggongshi", device)

        # the lists: index → black list → an entry's page
        b.click("header nav a[href='/lists']")
        self.expect(b.url() == "/lists" and "经营异常名录" in b.text("main"), "导航进入信用名单")
        b.click("main a[href='/lists/black']")
        entries = b.js("document.querySelectorAll('.results .result').length")
        self.expect(entries > 0 and "国办发〔2020〕49号" in b.text("main"), f"黑名单列出名单信息和依据（{entries} 条）")
        self.common_page_checks()
        self.shot("06-blacklist", device)
        b.click(".results .result h2 a")
        self.expect(b.url().startswith("/records/") and "黑名单" in b.text(".crumbs"), "名单记录页的位置导航回到黑名单")

    def administration(self, device):
        """The credit office signs in, creates the department clerk's account and reads its password once."""
        b = self.b
        b.viewport(device)
        self.sign_in("admin", ADMIN_PASSWORD)
        self.expect(b.url() == "/account", "管理员登录")
        b.goto(self.base + "/console/admin")
        page = b.text("main")
        self.expect("部门与账号" in page and "市场监督管理局" in page and "平台管理员" in page, "部门与账号页列出部门和账号")
        b.type_into("#username", self.clerk)
        b.type_into("#display_name", "市场监管报送员")
        b.choose("#role", "department_submitter")
        b.choose("#department", "SCJGJ")
        self.shot("20-admin", device)
        b.click("form[action='/console/admin/accounts'] button[type=submit]")
        secret = b.text(".secret").strip()
        self.expect(len(secret) >= 10 and "只显示这一次" in b.text("main"), "新账号的初始密码只显示一次")
        self.shot("21-account-created", device)
        b.goto(self.base + "/console/catalog/xzcf")
        self.expect("CF_WSH" in b.text("main") and "添加本地字段" in b.text("main"), "信息目录页列出字段和本地字段表单")
        self.common_page_checks()
        self.shot("23-catalog", device)
        b.goto(self.base + "/console/audit")
        self.expect("新建账号" in b.text("main") and "登录" in b.text("main"), "操作日志记录登录和新建账号")
        self.common_page_checks()
        self.shot("22-audit", device)
        self.sign_out()
        return secret

    def console(self, device, csv_path):
        b = self.b
        b.viewport(device)
        b.goto(self.base + "/login")
        self.common_page_checks()
        b.type_into("#username", self.clerk)
        b.type_into("#password", self.clerk_password)
        self.shot("10-login", device)
        b.click("form[action='/login'] button[type=submit]")
        self.expect(b.url() == "/account", "登录后进入我的账号")
        self.expect("市场监督管理局（SCJGJ）" in b.text("main"), "账号页显示所属部门")

        b.click("nav a[href='/console']")
        self.expect(b.url() == "/console/submissions", "工作台进入信息报送")
        self.expect("上传" in b.text("main"), "报送页有上传表单")
        b.choose("#item", "xzcf")
        b.attach_file("#file", csv_path)
        self.shot("11-upload", device)
        b.click("form[action='/console/submissions'] button[type=submit]")
        self.expect(b.url().startswith("/console/submissions/"), "上传后进入本次报送结果")
        result = b.text("main")
        self.expect("处罚决定日期" in result, "结果页列出被拒绝的行和字段")
        self.expect("2026-02-30" in result or "日期" in result, "结果页说明被拒绝的原因")
        created = b.js("""(() => { const f = [...document.querySelectorAll('.figure')].find(f => f.querySelector('.figure-label').innerText === '新增');
            return f ? +f.querySelector('.figure-value').innerText : -1 })()""")
        self.expect(created > 0, f"结果页显示新增记录数（{created}）")
        self.shot("12-submission", device)

        b.goto(self.base + "/console/quality")
        quality = b.text("main")
        self.expect("合规率" in quality and "及时率" in quality, "质量页显示合规率和及时率")
        self.expect(b.js("document.querySelectorAll('main svg').length") > 0, "质量页有图表")
        self.expect("市场监督管理局" in quality and "生态环境局" not in quality and "税务局" not in quality, "质量页限于本部门")
        self.common_page_checks()
        self.shot("13-quality", device)

        self.sign_out()
        self.expect(b.url() == "/" and "登录" in b.text("header nav"), "退出登录后回到首页")


    def credit_checks(self, device):
        """A procurement check in the console: the clerk pastes the bidders (two on the black list,
        one clean, one unknown), reads the measures with their basis, records what was done and
        downloads the report; the credit office reads the figures and the four lists."""
        b = self.b
        b.viewport(device)
        listed = json.loads(urllib.request.urlopen(self.base + "/api/v1/public-records?item=yzsx&per_page=5").read())
        codes = [r["subject_code"] for r in listed["items"] if r.get("subject_code")][:2]
        self.expect(len(codes) == 2, "演示数据中有严重失信主体名单")
        b.goto(self.base + "/lists")
        b.click("a[href='/lists/measures']")
        self.expect("四、失信惩戒措施" in b.text("main") and "依据" in b.text("main"), "网站公开奖惩措施清单")
        self.common_page_checks()
        self.shot("29-measures-public", device)
        self.sign_in(self.clerk, self.clerk_password)
        b.goto(self.base + "/console/checks")
        self.expect("发起核查" in b.text("main"), "信用核查页有核查表单")
        b.choose("#matter", "zfcg")
        b.type_into("#purpose", "市第一中学食堂设备采购项目投标人资格审查")
        b.type_into("#subjects", "\n".join(codes + ["91350200776049653A", "厦门不存在的某某公司"]))
        self.common_page_checks()
        self.shot("30-check-form", device)
        b.click("form[action='/console/checks'] button[type=submit]")
        self.expect(b.url().startswith("/console/checks/"), "核查后进入核查报告")
        report = b.text("main")
        self.expect("依法限制参加政府采购活动" in report and "《中华人民共和国政府采购法》第二十二条" in report, "报告列出措施和法律依据")
        self.expect("严重失信主体名单" in report, "报告列出所在名单")
        self.expect("未找到该主体" in report, "报告说明未找到的主体")
        self.common_page_checks()
        self.shot("31-check-report", device)
        b.click("input[name='a_1_CJ01'][value='applied']", navigates=False)
        b.type_into("#n_1_CJ01", "资格审查不予通过")
        b.click("#feedback button[type=submit]")
        self.expect("已记录反馈" in b.text("main") and "已实施：资格审查不予通过" in b.text("main"), "反馈已记录并显示")
        b.send("Emulation.setEmulatedMedia", {"media": "print"})
        self.expect(b.js("getComputedStyle(document.querySelector('.feedback')).display") == "none", "打印时不显示反馈表单")
        self.shot("32-check-print", device)
        b.send("Emulation.setEmulatedMedia", {"media": ""})
        csv = b.js("""(async () => { const r = await fetch(document.querySelector("a[href$='report.csv']").href); return await r.text() })()""")
        self.expect("CJ01" in csv and "已实施：资格审查不予通过" in csv, "核查报告可下载为 CSV")
        self.sign_out()

        self.sign_in("admin", ADMIN_PASSWORD)
        b.goto(self.base + "/console/checks/statistics")
        stats = b.text("main")
        self.expect("市场监督管理局" in stats and "限制参加政府采购活动" in stats, "统计页按部门和措施列出核查和反馈")
        self.common_page_checks()
        self.shot("33-check-statistics", device)
        b.goto(self.base + "/console/measures")
        measures = b.text("main")
        self.expect("四、失信惩戒措施" in measures and "依据" in measures, "奖惩清单页列出四张清单")
        self.common_page_checks()
        self.shot("34-measures", device)
        self.sign_out()


    def determination(self, device):
        """The credit office determines a serious-dishonesty entry step by step, and a procurement
        check then finds the subject on the list with the measure and its basis."""
        b = self.b
        b.viewport(device)
        any_orgs = json.loads(urllib.request.urlopen(self.base + "/api/v1/public-records?item=xzxk&per_page=20").read())
        code = next(r["subject_code"] for r in any_orgs["items"] if r.get("subject_code"))
        self.sign_in("admin", ADMIN_PASSWORD)
        b.goto(self.base + "/console/lists")
        self.expect("立案" in b.text("main") and "预警" in b.text("main"), "名单认定页有预警和立案表单")
        b.choose("#department", "SCJGJ")
        b.type_into("#subject", code)
        b.type_into("#authority", "厦门市市场监督管理局")
        b.type_into("#authority_code", "9135021359498494XQ")
        b.type_into("#reasons", "生产销售不合格产品，受到较重行政处罚且拒不履行")
        b.type_into("#basis", "《市场监督管理严重违法失信名单管理办法》第二条")
        self.common_page_checks()
        self.shot("40-list-cases", device)
        b.click("form[action='/console/lists'] button[type=submit]")
        self.expect(b.url().startswith("/console/lists/"), "立案后进入案件页")
        b.type_into("#notice", "拟将你单位列入严重失信主体名单，你单位可在 5 个工作日内陈述申辩。")
        b.click("form[action$='/notify'] button[type=submit]")
        b.type_into("#statement", "企业书面陈述已整改；经核查，拒不履行的事实成立。")
        b.click("form[action$='/hear'] button[type=submit]")
        b.type_into("#number", "厦严失认〔2026〕" + str(abs(hash(device["name"])) % 1000) + "号")
        b.type_into("#document", "理由……依据：《市场监督管理严重违法失信名单管理办法》第二条。移出条件：期满自动移出。不服的可申请行政复议或提起行政诉讼。")
        b.click("form[action$='/decide'] button[type=submit]")
        self.expect("已作出认定决定" in b.text("main"), "决定已记录")
        b.click("form[action$='/publish'] button[type=submit]")
        page = b.text("main")
        self.expect("已列入名单并公示" in page and "已陈述申辩" in page, "案件页列出每一步")
        self.common_page_checks()
        self.shot("41-list-case", device)
        result = b.js("""(async () => { const f = new FormData(); f.append('_csrf', document.querySelector("input[name=_csrf]").value);
            f.append('matter', 'zfcg'); f.append('purpose', '认定后核查'); f.append('subjects', %s);
            const r = await fetch('/console/checks', {method: 'POST', body: f}); return await r.text() })()""" % json.dumps(code))
        self.expect("严重失信主体名单" in result and "限制参加政府采购活动" in result, "公示后的名单在核查中触发惩戒措施")
        self.sign_out()

    def rights(self, device):
        """Someone disputes a public penalty, the credit office accepts (the record is marked on the
        site) and upholds it with a reply; the penalised enterprise signs in, sees its whole archive
        with the repair date, has a signed special report issued (document, QR code, PDF, JSON) which
        anyone verifies by its code and which fails when its file is altered, applies for repair with
        its proof and the signed commitment, and the department approves: the record leaves the
        website and the report's verification says the record was repaired."""
        b = self.b
        b.viewport(device)
        penalties = json.loads(urllib.request.urlopen(self.base + "/api/v1/public-records?item=xzcf&per_page=50").read())
        record = None
        # Plain fines decided over three months ago are the likely candidates; the eligibility API
        # (which shares the anonymous reading budget) confirms one.
        cutoff = (datetime.date.today() - datetime.timedelta(days=100)).isoformat()
        candidates = [r for r in penalties["items"] if r.get("subject_code") and (r.get("decision_date") or "9") <= cutoff
                      and r["fields"].get("CF_CFLB") == "罚款"]
        for r in candidates[:8]:
            e = json.loads(urllib.request.urlopen(self.base + f"/api/v1/records/{r['id']}/repair-eligibility").read())
            if e["eligible"]:
                record = r
                break
        self.expect(record is not None, "演示数据中有可以申请修复的行政处罚")
        rid, code = record["id"], record["subject_code"]
        b.goto(self.base + f"/records/{rid}")
        self.expect("可申请信用修复" in b.text("main") and "对该记录提出异议" in b.text("main"), "记录页说明修复日期并可提出异议")
        b.click("a[href$='/objection']")
        b.choose("#field", "CF_NR_FK")
        b.type_into("#proposed", "0.2")
        b.type_into("#reason", "罚款金额与处罚决定书不一致，决定书写明罚款贰仟元。")
        b.type_into("#name", "王五")
        b.type_into("#contact", "13800138000")
        self.common_page_checks()
        self.shot("50-objection-form", device)
        b.click("form[action$='/objection'] button[type=submit]")
        page = b.text("main")
        self.expect("查询码" in page and "已提交异议申诉" in page, "提交后得到编号和查询码")
        query = b.text("#query-code").strip()
        self.shot("51-objection-filed", device)
        b.click("a.button")
        track = b.url()
        self.expect("已提交，待受理" in b.text("main") and "受理并标注" in b.text("main"), "凭查询码查看进度和期限")
        self.sign_in("admin", ADMIN_PASSWORD)
        b.goto(self.base + "/console/rights")
        self.expect("王五" not in b.text("main") and "异议申诉" in b.text("main"), "工作台列出待办异议（不显示申请人联系方式）")
        self.common_page_checks()
        self.shot("52-console-rights", device)
        b.click("table a[href^='/console/rights/']")
        b.click("form[action$='/accept'] button[type=submit]")
        self.expect("异议处理中" in b.text("main"), "受理后标注异议处理中")
        self.shot("53-objection-accepted", device)
        b.goto(self.base + f"/records/{rid}")
        self.expect("异议处理中" in b.text("main"), "网站记录页显示异议处理中")
        self.shot("54-record-disputed", device)
        b.goto(self.base + f"/subjects/{code}")
        self.expect("异议处理中" in b.text("main"), "信用档案页显示异议处理中")
        b.goto(self.base + "/console/rights")
        b.click("table a[href^='/console/rights/']")
        b.type_into("#ur", "经核查，罚款金额与处罚决定书一致（贰万元），维持原记录。")
        b.click("form[action$='/uphold'] button[type=submit]")
        self.expect("维持原记录" in b.text("main"), "异议不成立并书面答复")
        # The enterprise's account, bound by the credit office.
        b.goto(self.base + "/console/admin")
        b.type_into("#username", "firm-" + device["name"].lower())
        b.type_into("#display_name", "企业经办人")
        b.choose("#role", "subject_user")
        b.type_into("#subject", code)
        b.click("form[action='/console/admin/accounts'] button[type=submit]")
        password = b.text(".secret").strip()
        self.sign_out()
        self.expect(query in track, "进度页地址带查询码")
        b.goto(self.base + track)
        self.expect("异议不成立" in b.text("main"), "申请人凭查询码看到答复")
        self.sign_in("firm-" + device["name"].lower(), password)
        b.goto(self.base + "/me")
        page = b.text("main")
        self.expect("全部信用记录" in page and "申请信用修复" in page, "主体看到完整档案和可申请修复的记录")
        self.common_page_checks()
        self.shot("55-me", device)
        b.goto(self.base + f"/me/records/{rid}/repair")
        self.expect("信用修复承诺书" in b.text("main"), "修复申请页有承诺书")
        self.shot("56-repair-form", device)
        result = b.js("""(async () => { const f = new FormData(); f.append('_csrf', document.querySelector("input[name=_csrf]").value);
            f.append('reason', '已于决定后十日内缴纳罚款并删除违法宣传用语'); f.append('name', '企业经办人'); f.append('contact', 'firm@example.com');
            f.append('commitment', 'signed'); f.append('proof', new Blob(['%PDF-1.4 receipt'], {type: 'application/pdf'}), '缴款凭证.pdf');
            const r = await fetch(location.pathname, {method: 'POST', body: f}); return r.status + ' ' + await r.text() })()""")
        self.expect(result.startswith("201") and "已提交信用修复" in result, "提交修复申请（附履行证明、签署承诺书）")
        b.goto(self.base + "/me")
        self.expect("已提交，待受理" in b.text("main"), "档案页列出修复申请")
        # A signed special report: asked for on the form, shown as an A4 document with its QR code.
        b.goto(self.base + "/me/reports")
        self.expect("专项信用报告" in b.text("main"), "主体选择报告种类、期间和内容")
        self.common_page_checks()
        self.shot("57-report-request", device)
        b.click("form[action='/me/reports'] button[type=submit]")
        page = b.text("main")
        self.expect("专项信用报告" in page and code in page and "行政处罚" in page and "未发现该主体的行政强制记录" in page,
                    "专项信用报告列出处罚并对无记录的事项明确说明")
        self.expect(b.js("!!document.querySelector('.qr svg')"), "报告带二维码")
        verification = b.js("document.querySelector('.meta tr:nth-child(4) td').innerText").strip()
        self.shot("57b-report", device)
        pdf = b.js("""fetch(document.querySelector('a[href$="report.pdf"]').href).then(async r =>
            r.status + ' ' + r.headers.get('content-type') + ' ' + (await r.arrayBuffer()).byteLength)""")
        status, kind, size = pdf.split(" ")
        self.expect(status == "200" and kind == "application/pdf" and int(size) > 10000, f"报告可下载为 PDF（{size} 字节）")
        report_json = b.js("fetch(document.querySelector('a[href$=\"report.json\"]').href).then(r => r.text())")
        number = b.js("document.querySelector('.meta tr:nth-child(1) td').innerText").strip()
        b.goto(self.base + "/me/reports")
        self.expect(number in b.text("main"), "已出具的报告列在报告页")
        self.sign_out()
        # Anyone checks it on /verify with the code, or by uploading the file.
        b.goto(self.base + "/verify")
        b.type_into("#code", verification.lower())
        b.click("form[action='/verify'][method=get] button[type=submit]")
        self.expect("报告真实有效" in b.text("main"), "收件单位凭验证码核验报告真伪")
        self.common_page_checks()
        self.shot("57c-verify", device)
        with open(os.path.join(self.out, "report.json"), "w", encoding="utf-8") as f:
            forged = json.loads(report_json)
            forged["subject"]["status"] = "存续（在营、开业、在册）" if forged["subject"]["status"] != "存续（在营、开业、在册）" else "在业"
            f.write(json.dumps(forged, ensure_ascii=False, indent=2))
        b.goto(self.base + "/verify")
        b.attach_file("#report", os.path.abspath(os.path.join(self.out, "report.json")))
        b.click("form[action='/verify'][enctype] button[type=submit]")
        self.expect("报告无效" in b.text("main"), "被改动的报告文件验证不通过")
        self.shot("57d-verify-tampered", device)
        self.sign_in("admin", ADMIN_PASSWORD)
        b.goto(self.base + "/console/rights")
        b.click("table a[href^='/console/rights/']")
        self.expect("信用修复" in b.text("main") and "缴款凭证.pdf" in b.text("main"), "工作台显示修复申请和材料")
        b.click("form[action$='/accept'] button[type=submit]")
        b.type_into("#ar", "义务已履行，准予信用修复。")
        b.click("form[action$='/approve'] button[type=submit]")
        self.expect("准予信用修复" in b.text("main"), "部门准予修复")
        self.shot("58-repair-approved", device)
        status = b.js(f"fetch('/records/{rid}').then(r => r.status)")
        self.expect(status == 404, "修复后记录不再在网站公示")
        # At the credit office's counter, a special report for the enterprise: the repaired penalty is gone.
        b.goto(self.base + "/console/reports")
        b.type_into("#subject", code)
        b.click("form[action='/console/reports'] button[type=submit]")
        page = b.text("main")
        self.expect("专项信用报告" in page and code in page and f"（记录 {rid}，" not in page,
                    "信用办窗口代为出具专项信用报告，已修复的处罚不再列入")
        self.shot("58b-counter-report", device)
        self.sign_out()
        b.goto(self.base + "/verify?code=" + verification)
        self.expect("内容已有变化" in b.text("main") and "已信用修复" in b.text("main"), "修复后，验证页说明报告中的记录已修复")
        self.shot("59-verify-changed", device)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_healthy(base, server, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise JourneyFailure(f"服务器已退出（状态 {server.returncode}）")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.5)
    raise JourneyFailure("服务器未在规定时间内就绪")


def upload_file(binary, work, population, start):
    """A department's file as it arrives: GB18030, template headers, one row with an impossible date."""
    path = os.path.join(work, f"scjgj-xzcf-{start}.csv")
    subprocess.run([binary, "demo-file", "--item", "xzcf", "--department", "SCJGJ", "--from", str(start), "--rows", "40",
                    "--population", str(population), "--gb18030", path], check=True, stdout=subprocess.DEVNULL)
    with open(path, encoding="gb18030", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    date_col = next(i for i, h in enumerate(header) if h.startswith("处罚决定日期"))
    doc_col = next(i for i, h in enumerate(header) if h.startswith("行政处罚决定书文号"))
    bad = list(rows[-1])
    bad[date_col] = "2026-02-30"
    bad[doc_col] = bad[doc_col] + "-错"
    rows.append(bad)
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    with open(path, "w", encoding="gb18030", newline="") as f:
        f.write(text.getvalue())
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=".build/debug/xinyong")
    parser.add_argument("--out", default=".build/browser-journeys")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("找不到 chromium：请安装 Debian 的 chromium 软件包", file=sys.stderr)
        return 2
    binary = os.path.abspath(args.binary)
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="xinyong-journeys.")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    population = 300
    env = dict(os.environ, XINYONG_DEMO_SUBJECTS=str(population), XINYONG_DEMO_RECORDS="300",
               XINYONG_ADMIN_PASSWORD=ADMIN_PASSWORD, XINYONG_SITE_NAME="信用旅程", XINYONG_BCRYPT_COST="4",
               XINYONG_LOG_LEVEL="warning")
    database = f"sqlite://{work}/journeys.sqlite"
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([binary, "serve", "--port", str(port), "--database", database],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    browser = None
    journeys = None
    try:
        wait_healthy(base, server)
        clerk = "scjgj-clerk"
        browser = Browser(chromium, os.path.join(work, "profile"))
        browser.open_tab()
        journeys = Journeys(browser, base, out, clerk)
        for device in (PHONE, DESKTOP):
            journeys.public(device)
        journeys.clerk_password = journeys.administration(DESKTOP)
        journeys.console(DESKTOP, upload_file(binary, work, population, 5_000_000))
        journeys.console(PHONE, upload_file(binary, work, population, 6_000_000))
        journeys.credit_checks(DESKTOP)
        journeys.credit_checks(PHONE)
        journeys.determination(DESKTOP)
        journeys.rights(DESKTOP)
        journeys.rights(PHONE)
        print(f"浏览器旅程通过：{journeys.checks} 项检查，截图 {len(journeys.shots)} 张，在 {out}")
        return 0
    except (JourneyFailure, subprocess.CalledProcessError) as e:
        print(f"浏览器旅程失败：{e}", file=sys.stderr)
        if browser and journeys:
            try:
                journeys.shot("failure", {"name": "last"})
                print(f"失败时的页面截图：{os.path.join(out, 'failure-last.png')}", file=sys.stderr)
            except Exception:
                pass
        log.flush()
        with open(os.path.join(work, "server.log")) as f:
            tail = f.read()[-3000:]
        if tail:
            print("服务器日志（末尾）：\n" + tail, file=sys.stderr)
        return 1
    finally:
        if browser:
            browser.close()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
