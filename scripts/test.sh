#!/usr/bin/env bash
# Runs the whole test suite twice: against SQLite, then against a real PostgreSQL server that
# this script starts on a free loopback port in a temporary directory and stops afterwards.
# Installs Debian's postgresql package when it is missing. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

log "Building (debug, with tests)"
swift build --build-tests

log "Test run 1/2: SQLite"
swift test --skip-build

# --- PostgreSQL --------------------------------------------------------------------------
find_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
PGBIN=$(find_pg_bin || true)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  log "Installing PostgreSQL (Debian package)"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  PGBIN=$(find_pg_bin)
fi

PGTMP=$(mktemp -d /tmp/xinyong-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root: run it as its own system user.
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$PGTMP" --shell /usr/sbin/nologin postgres
  chown postgres "$PGTMP"
  AS_PG=(runuser -u postgres --)
else
  AS_PG=()
fi
stop_pg() {
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap stop_pg EXIT

log "Starting PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
"${AS_PG[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null 2>&1 \
  || "${AS_PG[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
"${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 \
  -o "-p $PORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null

log "Test run 2/2: PostgreSQL"
XINYONG_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PORT/postgres?sslmode=disable" swift test --skip-build
log "All tests passed on SQLite and PostgreSQL"
