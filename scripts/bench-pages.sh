#!/usr/bin/env bash
# Page benchmark (run by hand): the release server on a 1,000,000-subject SQLite database with
# 2 × 200,000 双公示 records and 20,000 of each other demo item, loaded through the intake path;
# wrk on loopback against /healthz, subject pages (信用档案) and search pages, each for DURATION
# seconds with CONNECTIONS connections; prints requests/s and p50/p95/p99 latency per page.
#   scripts/bench-pages.sh [DURATION] [CONNECTIONS]
# Needs data/bench.sqlite (1M subjects: `xinyong demo --database sqlite://data/bench.sqlite
# --subjects 1000000`); the first run copies it to data/bench-pages.sqlite and loads the records
# there (a few minutes), later runs reuse that copy. Needs wrk and sqlite3 (Debian packages).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-30}
CONNECTIONS=${2:-16}
DB=data/bench-pages.sqlite
for tool in wrk sqlite3; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool：apt-get install -y $tool" >&2; exit 2; }
done
BIN=${XINYONG_BENCH_BIN:-.build/release/xinyong}   # another build to compare side by side
source scripts/lib-bench.sh
prepare_bench_database
start_server

# Pages to request: half the subjects with records, half any organisation; searches by a 2–4
# character part of a real name, and by full codes.
sqlite3 "$DB" "SELECT code_display FROM subjects WHERE id IN (SELECT subject_id FROM credit_records WHERE subject_id IS NOT NULL ORDER BY random() LIMIT 1000) AND kind <> 'natural_person'" >"$WORK/with-records"
sqlite3 "$DB" "SELECT code_display, name FROM subjects WHERE kind <> 'natural_person' AND id IN (SELECT abs(random()) % 1000000 + 1 FROM subjects LIMIT 2000)" >"$WORK/any"
python3 - "$WORK" <<'EOF'
import random, sys, urllib.parse
work = sys.argv[1]
random.seed(7)
codes = [l.strip() for l in open(f"{work}/with-records") if l.strip()]
rows = [l.rstrip("\n").split("|", 1) for l in open(f"{work}/any") if "|" in l]
codes += [c for c, _ in rows]
with open(f"{work}/subjects.paths", "w") as f:
    for c in codes:
        f.write(f"/subjects/{c}\n")
with open(f"{work}/search.paths", "w") as f:
    for c, name in rows:
        core = name.replace("厦门", "").replace("有限公司", "") or name
        n = random.choice([2, 3, 4])
        start = random.randrange(0, max(1, len(core) - n + 1))
        f.write("/search?q=" + urllib.parse.quote(core[start:start + n] if len(core) >= 2 else name) + "\n")
        if random.random() < 0.2:
            f.write(f"/search?q={c}\n")
EOF
echo "/healthz" >"$WORK/healthz.paths"
cat >"$WORK/rotate.lua" <<'EOF'
local paths = {}
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("%-10s %8.0f 次/秒  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  最大 %7.2f ms  请求 %d  非 2xx/错误 %d\n",
    os.getenv("LABEL"), summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000, summary.requests,
    e.status + e.connect + e.read + e.write + e.timeout))
end
EOF
echo "==> wrk：$(nproc) 核，$CONNECTIONS 个连接，每项 $DURATION 秒（服务器与 wrk 共用本机）"
for page in healthz subjects search; do
  # A short warm-up so that every run starts with the same page cache.
  PATHS="$WORK/$page.paths" LABEL=warmup wrk -t2 -c"$CONNECTIONS" -d5s -s "$WORK/rotate.lua" "http://127.0.0.1:$PORT" >/dev/null
  steal_mark
  PATHS="$WORK/$page.paths" LABEL=$page wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$WORK/rotate.lua" "http://127.0.0.1:$PORT" | grep -E "^$page "
  steal_report
done
