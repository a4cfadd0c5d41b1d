#!/usr/bin/env bash
# Serve jubao in production on one machine, against PostgreSQL: gunicorn
# (N workers) with trytond's WSGI application and sao's static files,
# trytond-cron (one process) and trytond-worker (ir.queue tasks).  Logs go
# to one file per process in --logs.  SIGINT/SIGTERM stops them all.
# The database must exist and have the jubao modules activated
# (bin/jubao demo --database postgresql://... --no-serve, or --init here).
set -euo pipefail
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
VENV="$ROOT/.venv"
DB_URI="${TRYTOND_DATABASE__URI:-postgresql://root@127.0.0.1:5432/}"
DB="jubao"; WORKERS=4; PORT="${JUBAO_PORT:-8000}"; INIT=0
DATA="$ROOT/.data/production"; LOGS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --database) DB_URI="$2"; shift 2 ;;
    --database=*) DB_URI="${1#*=}"; shift ;;
    --name) DB="$2"; shift 2 ;;
    --workers) WORKERS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --logs) LOGS="$2"; shift 2 ;;
    --init) INIT=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$DB_URI" in
  postgresql*) ;;
  *) echo "bin/jubao serve 只支持 PostgreSQL 数据库（--database postgresql://…）；" \
       "SQLite 仅用于演示（bin/jubao demo）。" >&2; exit 2 ;;
esac
LOGS="${LOGS:-$DATA/logs}"
mkdir -p "$DATA/filestore" "$LOGS"

# Production configuration: trytond.conf as it is, plus the machine values.
export TRYTOND_CONFIG="$ROOT/trytond.conf"
export TRYTOND_DATABASE__URI="$DB_URI"
export TRYTOND_DATABASE__PATH="$DATA/filestore"
export TRYTOND_WEB__ROOT="${TRYTOND_WEB__ROOT:-$ROOT/.cache/sao/8.0.11/package}"
export TRYTOND_WEB__LISTEN="127.0.0.1:$PORT"
# ir.queue tasks are run by trytond-worker, not at the end of the request.
export TRYTOND_QUEUE__WORKER=True
export JUBAO_DB="$DB" JUBAO_WORKERS="$WORKERS" JUBAO_LISTEN="127.0.0.1:$PORT"
export PATH="$VENV/bin:$PATH"

if [ "$INIT" = 1 ]; then
  "$ROOT/scripts/demo.sh" --database "$DB_URI" --name "$DB" --no-serve
fi
if ! "$VENV/bin/python" - "$DB_URI" "$DB" <<'PY'
import sys, psycopg
uri, name = sys.argv[1], sys.argv[2]
try:
    with psycopg.connect(uri.rstrip('/') + '/' + name) as conn:
        conn.execute("SELECT 1 FROM ir_module WHERE name = 'jubao_intake' "
            "AND state = 'activated'").fetchone()[0]
except Exception:
    sys.exit(1)
PY
then
  echo "数据库 $DB 不存在或未启用 jubao 模块：请先运行 bin/jubao serve --init" \
    "或 bin/jubao demo --database $DB_URI --name $DB --no-serve。" >&2
  exit 2
fi

# Each process in its own process group, so that stopping kills the
# children (gunicorn and trytond-worker fork) too.
pids=()
for role in app cron worker; do
  setsid "$ROOT/deploy/run.sh" "$role" >>"$LOGS/$role.log" 2>&1 &
  pids+=("$!")
done
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "[serve] stopped" >&2
}
trap 'stop; exit 0' INT TERM
trap stop EXIT
echo "[serve] http://127.0.0.1:$PORT/ (database $DB, $WORKERS workers, logs in $LOGS)" >&2
# Stop everything when one of the processes ends.
wait -n "${pids[@]}" || true
echo "[serve] a process ended; stopping" >&2
