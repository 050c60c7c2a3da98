#!/usr/bin/env bash
# The deployed shape (docker-compose.yml) without Docker: gunicorn, one Celery
# worker and exactly one beat, against locally installed PostgreSQL and Redis.
# Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/factcheck}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export DEBUG="${DEBUG:-false}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"

dbname="${DATABASE_URL##*/}"
psql "${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$dbname'" | grep -q 1 \
  || psql "${DATABASE_URL%/*}/postgres" -c "CREATE DATABASE \"$dbname\"" >/dev/null
"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py collectstatic --noinput -v0
"$BIN/python" manage.py load_demo
"$BIN/python" manage.py create_demo_editor

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' INT TERM EXIT
"$BIN/gunicorn" factcheck.wsgi:application --bind 127.0.0.1:8000 --workers 3 --access-logfile - & pids+=($!)
"$BIN/celery" -A factcheck worker --loglevel INFO --concurrency 2 & pids+=($!)
"$BIN/celery" -A factcheck beat --loglevel INFO --schedule "${TMPDIR:-/tmp}/factcheck-celerybeat" & pids+=($!)
echo "Serving on http://127.0.0.1:8000 with a worker and one beat (Ctrl-C stops them)."
wait -n
