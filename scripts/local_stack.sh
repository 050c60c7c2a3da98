#!/usr/bin/env bash
# The deployed shape (docker-compose.yml) without Docker: gunicorn, one Celery
# worker and exactly one beat, against locally installed PostgreSQL and Redis.
# Like compose's `restart: unless-stopped`, a process that dies is started
# again (after 2 s) and the others keep running. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/factcheck}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export DEBUG="${DEBUG:-false}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
PORT="${PORT:-8000}"

dbname="${DATABASE_URL##*/}"
psql "${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$dbname'" | grep -q 1 \
  || psql "${DATABASE_URL%/*}/postgres" -c "CREATE DATABASE \"$dbname\"" >/dev/null
"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py collectstatic --noinput -v0
"$BIN/python" manage.py load_demo
"$BIN/python" manage.py create_demo_editor

run=$(mktemp -d "${TMPDIR:-/tmp}/factcheck-stack.XXXXXX")

# Run "$@" until the stack stops, starting it again whenever it exits.
supervise() {
  local name=$1 code child
  shift
  while [ ! -e "$run/stopping" ]; do
    "$@" &
    child=$!
    echo "$child" > "$run/$name.pid"
    code=0
    wait "$child" || code=$?
    [ -e "$run/stopping" ] && break
    echo "[local_stack] $name exited with status $code; starting it again in 2 s" >&2
    sleep 2
  done
}

stop() {
  touch "$run/stopping"
  for pidfile in "$run"/*.pid; do
    [ -e "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  wait
  rm -rf "$run"
}
trap stop INT TERM EXIT

supervise web "$BIN/gunicorn" factcheck.wsgi:application --bind "127.0.0.1:$PORT" \
  --workers "${WEB_WORKERS:-4}" \
  --limit-request-line 0 \
  --access-logfile - &
supervise worker "$BIN/celery" -A factcheck worker --loglevel INFO --concurrency 2 &
supervise beat "$BIN/celery" -A factcheck beat --loglevel INFO \
  --schedule "$run/celerybeat-schedule" &
echo "Serving on http://127.0.0.1:$PORT with a worker and one beat (Ctrl-C stops them)."
echo "Process ids: $run/{web,worker,beat}.pid"
wait
