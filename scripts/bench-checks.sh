#!/usr/bin/env bash
# Credit-check benchmark (run by hand): the release server on the page benchmark's database
# (1,000,000 subjects, 2 × 200,000 双公示 records, 20,000 of each list item; prepared on first use).
#  1. Batches: BATCHES calls of 1,000 subjects each (half of them with list or record hits),
#     one after another; prints the server-side time (Server-Timing) and the client's total.
#  2. Single-subject checks under concurrent load: wrk for DURATION seconds with CONNECTIONS
#     connections, each request one random subject; prints requests/s and latency percentiles,
#     after the same run against a static asset (the HTTP floor of those minutes) and /healthz (the
#     floor with one database round trip through SQLiteNIO), and a probe of the
#     disk's fsync latency (every check's log is flushed before its answer); with the server-side
#     percentiles of the same requests (Server-Timing).
#  3. Single-subject checks from many clients at a steady rate: CLIENTS connections (default 16),
#     each waiting a random pause (exponential, mean PAUSE_MS, default 30 ms) between its answer
#     and its next request: about CLIENTS × 1000 / (PAUSE_MS + latency) checks/s, half of what two
#     busy connections reach on two cores. Departments' systems ask this way; wrk times each
#     request from its sending, so a pause is never counted as latency.
# Every check is written to the check log before it is answered, as in production.
# BENCH_DB=postgres runs the same on a throwaway PostgreSQL server (fsync on, as in production),
# loaded first with 1,000,000 subjects and 2 × 200,000 records through intake (~5 minutes), then
# swept and logged as the server would do in the background (as the SQLite file is when prepared).
#   [BENCH_DB=postgres] [CLIENTS=16] [PAUSE_MS=30] scripts/bench-checks.sh [DURATION] [CONNECTIONS] [BATCHES]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-30}
CONNECTIONS=${2:-8}
BATCHES=${3:-30}
DB=data/bench-pages.sqlite
for tool in wrk sqlite3 curl; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool：apt-get install -y $tool" >&2; exit 2; }
done
BIN=${XINYONG_BENCH_BIN:-.build/release/xinyong}   # another build to compare side by side
source scripts/lib-bench.sh
if [ "${BENCH_DB:-sqlite}" = postgres ]; then
  source scripts/lib-pg.sh
  start_pg shared_buffers=512MB max_wal_size=4GB
  DB_URL=$PG_URL
  PG_PORT=$PORT
  echo "==> 载入 1,000,000 个主体与 2 × 200,000 条记录（经归集流程）"
  "$BIN" demo --database "$DB_URL" --subjects 1000000 --records 200000 >/dev/null
  # What a server does in the background after such a load (ending the publicity of records past
  # their window, logging every change in the transparency log), done before it is measured: the
  # SQLite file was swept and logged when it was prepared.
  echo "==> 结束已过公示期的记录的公示，并把变更记入透明日志"
  /usr/bin/time -f "  公示期清理：%e 秒" "$BIN" publicity sweep --database "$DB_URL" >/dev/null
  /usr/bin/time -f "  透明日志：%e 秒" "$BIN" ledger sequence --database "$DB_URL" >/dev/null
  sql() { "${AS_PG[@]}" "$PGBIN/psql" -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "$1"; }
  ANY_IDS="SELECT (random() * 999999)::int + 1 FROM generate_series(1, 10000)"
else
  prepare_bench_database
  DB_URL="sqlite://$PWD/$DB"
  sql() { sqlite3 "$DB" "$1"; }
  ANY_IDS="SELECT abs(random()) % 1000000 + 1 FROM subjects LIMIT 10000"
fi
KEY=$("$BIN" apikey create --database "$DB_URL" --role api_client --department SWJ --name "核查基准" | sed -n 's/^密钥（只显示这一次）：//p')
[ -n "$KEY" ] || { echo "创建 API 密钥失败" >&2; exit 1; }
start_server

# Subjects to check: organisations with list entries or penalties, and any organisations.
sql "SELECT code_display FROM subjects WHERE id IN (SELECT subject_id FROM credit_records WHERE item_code IN ('yzsx','sxbzxr','jyyc','xypj','ryxx','xzcf') AND subject_id IS NOT NULL ORDER BY random() LIMIT 5000) AND kind <> 'natural_person'" >"$WORK/hits"
sql "SELECT code_display FROM subjects WHERE kind <> 'natural_person' AND id IN ($ANY_IDS)" >"$WORK/any"
python3 - "$WORK" "$BATCHES" <<'PY'
import json, random, sys
work, batches = sys.argv[1], int(sys.argv[2])
random.seed(11)
hits = [l.strip() for l in open(f"{work}/hits") if l.strip()]
anyc = [l.strip() for l in open(f"{work}/any") if l.strip()]
for i in range(batches):
    codes = list(dict.fromkeys(random.sample(hits, 500) + random.sample(anyc, 520)))[:1000]
    with open(f"{work}/batch-{i}.json", "w") as f:
        json.dump({"matter": random.choice(["zfcg", "zbtb", "xzxk", "czzj"]), "purpose": "基准测试：招标资格审查", "subjects": codes}, f, ensure_ascii=False)
with open(f"{work}/single.codes", "w") as f:
    f.write("\n".join(hits + anyc) + "\n")
PY

echo "==> 批量核查：$BATCHES 次，每次 1000 个主体（约一半有名单或记录）"
: >"$WORK/batch.times"
steal_mark
for i in $(seq 0 $((BATCHES - 1))); do
  curl -s -o "$WORK/out.json" -D "$WORK/headers" -w '%{time_total}\n' -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    --data-binary "@$WORK/batch-$i.json" "http://127.0.0.1:$PORT/api/v1/checks" >"$WORK/total"
  grep -q '^HTTP/1.1 201' "$WORK/headers" || { echo "核查失败：" >&2; cat "$WORK/headers" "$WORK/out.json" >&2; exit 1; }
  server=$(sed -n 's/^[Ss]erver-[Tt]iming: check;dur=\([0-9.]*\).*/\1/p' "$WORK/headers")
  echo "$server $(cat "$WORK/total")" >>"$WORK/batch.times"
done
python3 - "$WORK/batch.times" <<'PY'
import statistics, sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
server = sorted(r[0] for r in rows); total = sorted(r[1] * 1000 for r in rows)
def p(xs, q): return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]
print(f"服务器端（ms）：中位数 {statistics.median(server):.1f}，p95 {p(server, .95):.1f}，最大 {server[-1]:.1f}；"
      f"约 {1000 / (statistics.median(server) / 1000):,.0f} 主体/秒")
print(f"客户端总耗时（含传输，ms）：中位数 {statistics.median(total):.1f}，p95 {p(total, .95):.1f}")
PY
steal_report

cat >"$WORK/single.lua" <<LUA
local codes = {}
for line in io.lines("$WORK/single.codes") do codes[#codes + 1] = line end
local matters = {"zfcg", "zbtb", "xzxk", "czzj", "jdjc"}
math.randomseed(os.time())
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
request = function()
  local body = '{"matter":"' .. matters[math.random(#matters)] .. '","purpose":"基准测试","subjects":["' .. codes[math.random(#codes)] .. '"]}'
  return wrk.format(nil, "/api/v1/checks", nil, body)
end
-- Each answer's Server-Timing (the handler's own time, and of it the wait for the reads and for the
-- log), collected per wrk thread: how much of the latency wrk measures is the check itself, and how
-- much HTTP, scheduling and the client.
local threads = {}
local metrics = {"check", "read", "log"}
function setup(thread) table.insert(threads, thread) end
function init(args) check, read, log = {}, {}, {} end
response = function(status, headers, body)
  if status ~= 201 then io.stderr:write("status " .. status .. "\n") end
  local st = headers["Server-Timing"] or headers["server-timing"]
  if st then
    check[#check + 1] = tonumber(st:match("check;dur=([%d.]+)"))
    read[#read + 1] = tonumber(st:match("read;dur=([%d.]+)"))
    log[#log + 1] = tonumber(st:match("log;dur=([%d.]+)"))
  end
end
function done(summary, latency, requests)
  local labels = {check = "服务器端（Server-Timing，ms）", read = "  其中读取", log = "  其中写核查日志"}
  for _, m in ipairs(metrics) do
    local all = {}
    for _, t in ipairs(threads) do for _, v in ipairs(t:get(m)) do all[#all + 1] = v end end
    table.sort(all)
    if #all > 0 then
      local function p(q) return all[math.max(1, math.floor(q * #all + 0.5))] end
      io.write(string.format("  %s：%d 次，p50 %.1f，p90 %.1f，p99 %.1f，最大 %.1f\n", labels[m], #all, p(0.5), p(0.9), p(0.99), all[#all]))
    end
  end
end
LUA
# The server's own floor in the same minutes: figures from different days compare through it (on a
# shared machine the same binary's throughput moved by half between two days).
for floor in "/robots.txt|静态文件，HTTP 下限" "/healthz|健康检查，含一次数据库往返"; do
  echo "==> ${floor%%|*}（同一时段的${floor#*|}）：$CONNECTIONS 个连接，$DURATION 秒"
  steal_mark
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT${floor%%|*}" | sed -n '/Latency Distribution/,/Requests\/sec/p'
  steal_report
done
# Every check's log is flushed to disk before its answer: the disk's own flush time in the same
# minutes is a floor under each check's latency (a 4 KiB append and fsync, as a WAL commit does).
echo "==> 磁盘刷写（fsync）延迟：300 次，数据库所在的文件系统"
python3 - "${PGTMP:-$(dirname "$DB")}" <<'PY'
import os, sys, time
path = os.path.join(sys.argv[1], ".fsync-probe")
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
ts = []
try:
    for _ in range(300):
        os.write(fd, b"x" * 4096)
        t = time.perf_counter(); os.fsync(fd); ts.append((time.perf_counter() - t) * 1000)
finally:
    os.close(fd); os.unlink(path)
ts.sort()
def p(q): return ts[min(len(ts) - 1, int(round(q * (len(ts) - 1))))]
print(f"  p50 {p(.5):.2f} ms，p90 {p(.9):.2f} ms，p99 {p(.99):.2f} ms，最大 {ts[-1]:.2f} ms")
PY
echo "==> 单主体核查：$CONNECTIONS 个连接，$DURATION 秒"
steal_mark
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/single.lua" "http://127.0.0.1:$PORT" | sed -n '/Latency Distribution/,/Requests\/sec/p; /服务器端/p; /其中/p'
steal_report
CLIENTS=${CLIENTS:-16}
PAUSE_MS=${PAUSE_MS:-30}
cp "$WORK/single.lua" "$WORK/paced.lua"
cat >>"$WORK/paced.lua" <<LUA
-- Each connection waits an exponentially distributed pause before its next request.
delay = function() return math.floor(-math.log(1 - math.random()) * $PAUSE_MS) end
LUA
echo "==> 单主体核查，稳定速率：$CLIENTS 个客户端，各自平均间隔 $PAUSE_MS ms，$DURATION 秒"
steal_mark
wrk -t2 -c"$CLIENTS" -d"${DURATION}s" --latency -s "$WORK/paced.lua" "http://127.0.0.1:$PORT" | sed -n '/Latency Distribution/,/Requests\/sec/p; /服务器端/p; /其中/p'
steal_report
