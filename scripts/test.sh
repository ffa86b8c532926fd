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

# --- PostgreSQL (fsync off: the tests check behaviour, not durability on power loss) ------
source scripts/lib-pg.sh
start_pg fsync=off

log "Test run 2/2: PostgreSQL"
XINYONG_TEST_POSTGRES_URL="$PG_URL" swift test --skip-build
log "All tests passed on SQLite and PostgreSQL"
