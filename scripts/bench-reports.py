#!/usr/bin/env python3
"""Credit report benchmark (issue 7), run by hand against a running `xinyong serve`.

Issues signed reports (JSON with the inclusion proofs of every record) for organisations that have
public penalties, one request at a time or from several clients at once, and prints p50/p95/p99
server round trips on loopback; then prints a few of them as PDF (headless Chromium on the server)
and, for comparison, the server's own /healthz.

Usage: scripts/bench-reports.py --base http://127.0.0.1:8080 --key ADMIN_API_KEY [--reports 300] [--clients 4] [--pdfs 10]
(an admin key: `xinyong apikey create --role admin`). Needs nothing beyond Python's standard library.
"""

import argparse
import json
import statistics
import threading
import time
import urllib.request


def call(url, key=None, body=None):
    req = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    if key:
        req.add_header("Authorization", f"Bearer {key}")
    if body is not None:
        req.add_header("Content-Type", "application/json")
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=60) as r:
        data = r.read()
        status = r.status
    return (time.perf_counter() - start) * 1000, status, data


def percentiles(ms):
    ms = sorted(ms)
    pick = lambda p: ms[min(len(ms) - 1, int(round(p / 100 * (len(ms) - 1))))]
    return f"n={len(ms)} p50 {pick(50):.2f} ms · p95 {pick(95):.2f} ms · p99 {pick(99):.2f} ms · mean {statistics.mean(ms):.2f} ms"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8080")
    ap.add_argument("--key", required=True)
    ap.add_argument("--reports", type=int, default=300)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--pdfs", type=int, default=10)
    ap.add_argument("--kind", default="public", choices=["public", "special"])
    a = ap.parse_args()

    codes = []
    page = 1
    while len(codes) < 200 and page < 20:
        _, _, data = call(f"{a.base}/api/v1/public-records?item=xzcf&per_page=100&page={page}", a.key)
        items = json.loads(data).get("items", [])
        if not items:
            break
        codes += [r["subject_code"] for r in items if r.get("subject_code") and len(r["subject_code"]) == 18 and r["subject_code"][0] == "9"]
        page += 1
    codes = sorted(set(codes))
    if not codes:
        raise SystemExit("没有找到有公开行政处罚的组织")
    print(f"subjects with public penalties: {len(codes)}")

    def issue(code):
        ms, status, data = call(f"{a.base}/api/v1/reports", a.key, json.dumps({"subject": code, "kind": a.kind}).encode())
        if status != 201:
            raise SystemExit(f"report for {code}: HTTP {status}")
        return ms, json.loads(data)

    # Warm up, then one client.
    for c in codes[:5]:
        issue(c)
    single, reports = [], []
    for i in range(a.reports):
        ms, r = issue(codes[i % len(codes)])
        single.append(ms)
        reports.append(r)
    records = sum(len(s["records"]) for r in reports for s in r["sections"])
    print(f"{a.kind} report, 1 client:   {percentiles(single)}  ({records / len(reports):.1f} records with proofs per report)")

    lock = threading.Lock()
    concurrent = []

    def worker(n):
        for i in range(a.reports // a.clients):
            ms, _ = issue(codes[(n * 7919 + i) % len(codes)])
            with lock:
                concurrent.append(ms)
    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(a.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    print(f"{a.kind} report, {a.clients} clients: {percentiles(concurrent)}  ({len(concurrent) / elapsed:.0f} reports/s)")

    health = [call(f"{a.base}/healthz")[0] for _ in range(300)]
    print(f"/healthz, 1 client:          {percentiles(health)}")

    pdf = []
    for r in reports[: a.pdfs]:
        ms, status, data = call(f"{a.base}/reports/{r['number']}/report.pdf?code={r['verification_code']}")
        if status != 200 or not data.startswith(b"%PDF"):
            raise SystemExit(f"PDF of {r['number']}: HTTP {status}")
        pdf.append(ms)
    print(f"PDF, 1 client:               {percentiles(pdf)}")


if __name__ == "__main__":
    main()
