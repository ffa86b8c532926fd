#!/usr/bin/env bash
# The intake benchmark on PostgreSQL: a throwaway server (fsync on, as in production), SUBJECTS
# synthetic subjects, then `xinyong bench-ingest` of ROWS 行政处罚 rows. Run by hand:
#   scripts/bench-postgres.sh [SUBJECTS] [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
SUBJECTS=${1:-1000000}
ROWS=${2:-1000000}
source scripts/lib-pg.sh
start_pg shared_buffers=512MB max_wal_size=4GB
swift build -c release
export XINYONG_DATA_KEY=$(head -c 32 /dev/urandom | base64)
/usr/bin/time -f "载入主体：%e 秒，内存峰值 %M KB" .build/release/xinyong demo --database "$PG_URL" --subjects "$SUBJECTS"
/usr/bin/time -f "导入进程：%e 秒，内存峰值 %M KB" .build/release/xinyong bench-ingest --database "$PG_URL" --rows "$ROWS"
