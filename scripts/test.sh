#!/usr/bin/env bash
# Runs the whole suite against real PostgreSQL and Redis.
# Uses DATABASE_URL / REDIS_URL when set, else the local servers on their default
# ports, else throwaway instances started from the installed binaries; otherwise
# it stops and says what is missing. It never falls back to SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
tmp=$(mktemp -d /tmp/factcheck-test.XXXXXX)
PG_BIN=""
# initdb refuses to run as root: as root, the throwaway cluster belongs to postgres.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  if [ -n "$PG_BIN" ] && [ -f "$tmp/pg/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$tmp/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  [ -f "$tmp/redis.pid" ] && kill "$(cat "$tmp/redis.pid")" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { "$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# TEST_SERVICES=throwaway skips the shared servers (to check that path, or to
# keep a run away from them).
shared() { [ "${TEST_SERVICES:-}" != throwaway ] && port_open "$1"; }

if [ -z "${DATABASE_URL:-}" ]; then
  if shared 5432; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/factcheck"
  else
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [ -z "$PG_BIN" ]; then
      echo "make test needs PostgreSQL: set DATABASE_URL, run a server on 127.0.0.1:5432," >&2
      echo "or install PostgreSQL (apt-get install postgresql) so a throwaway one can start." >&2
      exit 2
    fi
    port=$(free_port); mkdir -p "$tmp/pg"
    [ "$(id -u)" = 0 ] && chown -R postgres "$tmp"
    as_pg "$PG_BIN/initdb" -A trust -U postgres -D "$tmp/pg" >/dev/null
    as_pg "$PG_BIN/pg_ctl" -D "$tmp/pg" -l "$tmp/pg/server.log" -w start \
      -o "-p $port -k $tmp/pg -c listen_addresses=127.0.0.1" >/dev/null
    export DATABASE_URL="postgres://postgres@127.0.0.1:$port/factcheck"
    echo "Started a throwaway PostgreSQL on port $port"
  fi
fi
if [ -z "${REDIS_URL:-}" ]; then
  if shared 6379; then
    export REDIS_URL="redis://127.0.0.1:6379/9"
  elif command -v redis-server >/dev/null; then
    port=$(free_port)
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --pidfile "$tmp/redis.pid" --dir "$tmp" >/dev/null
    export REDIS_URL="redis://127.0.0.1:$port/0"
    echo "Started a throwaway Redis on port $port"
  else
    echo "make test needs Redis: set REDIS_URL, run a server on 127.0.0.1:6379," >&2
    echo "or install it (apt-get install redis-server) so a throwaway one can start." >&2
    exit 2
  fi
fi

# Browser tests drive Debian's chromium; install it when missing (CI runs as root),
# with a CJK font so Korean text in screenshots is text, not empty boxes.
need=()
command -v chromium >/dev/null || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
# The worker fault tests start (and kill) Redis servers of their own.
command -v redis-server >/dev/null || need+=(redis-server)
if [ ${#need[@]} -gt 0 ] && [ -z "${FACTCHECK_SKIP_BROWSER:-}" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing ${need[*]} for the browser tests..."
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  elif [[ " ${need[*]} " == *" chromium "* ]]; then
    echo "chromium is missing; install it (apt-get install chromium) or set FACTCHECK_SKIP_BROWSER=1." >&2
    exit 2
  fi
fi

# The accessibility test injects axe-core into each page: the version pinned in
# tests/browser/package-lock.json, from the npm registry, installed once.
if [ -z "${FACTCHECK_SKIP_BROWSER:-}" ] && [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
  if ! command -v npm >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
      echo "Installing npm for the accessibility test..."
      apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
    else
      echo "npm is missing (the accessibility test needs axe-core): install Node.js and npm." >&2
      exit 2
    fi
  fi
  echo "Installing axe-core for the accessibility test (npm ci in tests/browser)..."
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "DATABASE_URL=${DATABASE_URL}  REDIS_URL=${REDIS_URL}"
"$BIN/ruff" check .
"$BIN/python" -m pytest "$@"
