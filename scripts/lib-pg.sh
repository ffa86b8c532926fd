#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on a free loopback port in a temporary directory (installing
# Debian's postgresql package when it is missing) and stops it when the calling script exits.
# Source it, then call `start_pg [extra postgres -c options…]`; it sets PG_URL.

find_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

start_pg() {
  PGBIN=$(find_pg_bin || true)
  if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    printf '\n==> %s\n' "Installing PostgreSQL (Debian package)"
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
  trap stop_pg EXIT
  printf '\n==> %s\n' "Starting PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
  "${AS_PG[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null 2>&1 \
    || "${AS_PG[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
  local opts="-p $PORT -k $PGTMP -c listen_addresses=127.0.0.1 -c max_connections=300"
  for o in "$@"; do opts="$opts -c $o"; done
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 -o "$opts" start >/dev/null
  PG_URL="postgres://postgres@127.0.0.1:$PORT/postgres?sslmode=disable"
}

stop_pg() {
  [ -n "${PGTMP:-}" ] || return 0
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
  PGTMP=
}
