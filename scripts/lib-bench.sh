# Shared by the hand-run benchmarks: sourced after BIN and DB are set. Builds the release binary
# unless SKIP_BUILD is set, prepares data/bench-pages.sqlite (1M subjects from data/bench.sqlite,
# 2 × 200,000 双公示 records and 20,000 of each other demo item, loaded through intake) or
# migrates it, and provides start_server, which runs the release server on it (reading budget
# off) on a free loopback port: PORT, WORK (a scratch folder) and SERVER are set, and both are
# cleaned up when the script exits. steal_mark / steal_report: the share of CPU time the
# hypervisor gave to other guests meanwhile (on a shared virtual machine runs vary with it: a
# figure measured at 30% steal is not comparable with one at 2%), and how much of the database file
# the kernel's page cache held at the end (a virtual machine under its host's memory pressure drops
# it: seen going from 5.0 to 3.3 GB in 90 s with 19 GB free, and then reads wait for the disk).
# start_server reads the file once first, so that every run starts from a warm cache.
[ -n "${SKIP_BUILD:-}" ] || swift build -c release
export XINYONG_DATA_KEY_FILE=data/xinyong.key

prepare_bench_database() {
  if [ ! -f "$DB" ]; then
    [ -f data/bench.sqlite ] || { echo "缺少 data/bench.sqlite：先运行 xinyong demo --database sqlite://data/bench.sqlite --subjects 1000000" >&2; exit 2; }
    echo "==> 复制 data/bench.sqlite 并经归集流程载入记录"
    sqlite3 data/bench.sqlite ".backup $DB.part"
    "$BIN" migrate --database "sqlite://$PWD/$DB.part"
    "$BIN" demo --database "sqlite://$PWD/$DB.part" --subjects 0 --records 200000
    # What a server does in the background after such a load (ending the publicity of records past
    # their window, logging every change in the transparency log), done before anything is measured.
    "$BIN" publicity sweep --database "sqlite://$PWD/$DB.part" >/dev/null
    "$BIN" ledger sequence --database "sqlite://$PWD/$DB.part" >/dev/null
    mv "$DB.part" "$DB"
  else
    "$BIN" migrate --database "sqlite://$PWD/$DB"
  fi
}

# The server's database: DB_URL when set (a PostgreSQL server of the caller's, stopped by its own
# stop_pg at exit), else the SQLite file DB.
on_sqlite_file() { [ -z "${DB_URL:-}" ] || [[ "$DB_URL" == sqlite://* ]]; }

start_server() {
  if on_sqlite_file; then cat "$DB" >/dev/null; fi
  WORK=$(mktemp -d /tmp/xinyong-bench.XXXXXX)
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  XINYONG_PUBLIC_RATE_PER_MINUTE=0 XINYONG_DEMO_SUBJECTS=0 XINYONG_LOG_LEVEL=warning \
    "$BIN" serve --port "$PORT" --database "${DB_URL:-sqlite://$PWD/$DB}" >"$WORK/server.log" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"; if declare -F stop_pg >/dev/null; then stop_pg; fi' EXIT
  # The first start after a rule change recomputes publicity windows before it listens.
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return 0; sleep 0.5; done
  echo "服务器未能启动：" >&2; tail -20 "$WORK/server.log" >&2; exit 1
}

# Total and stolen CPU ticks from /proc/stat (fields: user nice system idle iowait irq softirq steal).
steal_ticks() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $9}' /proc/stat; }
steal_mark() { STEAL_MARK=$(steal_ticks); }
steal_report() {
  local cached=""
  if command -v fincore >/dev/null && on_sqlite_file; then
    cached=$(fincore --bytes --noheadings --output RES,SIZE "$DB" | awk '{if ($2 > 0) printf "；数据库文件在页缓存中 %.0f%%", 100 * $1 / $2}')
  fi
  echo "$STEAL_MARK $(steal_ticks)" | awk -v cached="$cached" '{t = $3 - $1; v = (t > 0) ? 100 * ($4 - $2) / t : 0; printf "  （期间宿主机占用 CPU（steal）%.0f%%%s）\n", v, cached}'
}
