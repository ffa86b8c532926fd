#!/usr/bin/env bash
# Runs the whole test suite twice: against SQLite, then against a real PostgreSQL server that
# this script starts on a free loopback port in a temporary directory and stops afterwards.
# Then drives headless Chromium through the main journeys of the site and console
# (scripts/browser-journeys.py; screenshots in .build/browser-journeys/).
# Installs Debian's postgresql and chromium packages when they are missing. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

# A run takes a few minutes; one that hangs (a statement waiting forever) fails instead of
# holding the machine until CI's own limit. The signal reaches the test process too.
TEST_TIME_LIMIT=${TEST_TIME_LIMIT:-25m}
limited() {
  local rc=0
  timeout --kill-after=30s "$TEST_TIME_LIMIT" "$@" || rc=$?
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then echo "Tests did not finish within $TEST_TIME_LIMIT" >&2; fi
  return "$rc"
}

log "Building (debug, with tests)"
swift build --build-tests

log "Test run 1/2: SQLite"
limited swift test --skip-build

# --- PostgreSQL (fsync off: the tests check behaviour, not durability on power loss) ------
source scripts/lib-pg.sh
start_pg fsync=off

log "Test run 2/2: PostgreSQL"
XINYONG_TEST_POSTGRES_URL="$PG_URL" XINYONG_TEST_POSTGRES_SOCKET_DIR="$PGTMP" limited swift test --skip-build
stop_pg

# --- Real browser ----------------------------------------------------------------------------
if ! command -v chromium >/dev/null 2>&1; then
  log "Installing Chromium (Debian package)"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
log "Browser journeys: headless Chromium, phone and desktop widths"
python3 scripts/browser-journeys.py --binary .build/debug/xinyong --out .build/browser-journeys
log "All tests passed on SQLite and PostgreSQL, and in the browser"
