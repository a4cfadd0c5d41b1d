#!/usr/bin/env bash
# Create (or update) a demo database with every jubao module and demo data,
# then serve the sao web client.  Safe to re-run: activation is an update and
# each module's demo loader skips what is already there.
set -euo pipefail
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
VENV="$ROOT/.venv"
DB_URI="sqlite://"; DB="jubao"; PORT="${JUBAO_PORT:-8000}"; SERVE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --database) DB_URI="$2"; shift 2 ;;
    --database=*) DB_URI="${1#*=}"; shift ;;
    --name) DB="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --no-serve) SERVE=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
# The demo's shared weak passwords (README.md) exist only here: the demo
# runs on a copy of trytond.conf without its production [password] policy
# and relaxes Tryton's own password rules by environment.
mkdir -p "$ROOT/.data"
"$VENV/bin/python" "$ROOT/scripts/demo_config.py" "$ROOT/.data/trytond-demo.conf"
export TRYTOND_CONFIG="$ROOT/.data/trytond-demo.conf"
export TRYTOND_PASSWORD__LENGTH=0 TRYTOND_PASSWORD__ENTROPY=0 \
  TRYTOND_PASSWORD__COMMON=False
export TRYTOND_DATABASE__URI="$DB_URI"
export TRYTOND_DATABASE__PATH="$ROOT/.data"
export TRYTOND_ATTACHMENT__PATH="$ROOT/.data/attachments"
export TRYTOND_WEB__ROOT="$ROOT/.cache/sao/8.0.11/package"
export TRYTOND_WEB__LISTEN="127.0.0.1:$PORT"
mkdir -p "$ROOT/.data/attachments"

case "$DB_URI" in
  sqlite*) touch "$ROOT/.data/$DB.sqlite" ;;
  postgresql*)
    "$VENV/bin/python" - "$DB_URI" "$DB" <<'PY'
import sys, psycopg
uri, name = sys.argv[1], sys.argv[2]
with psycopg.connect(uri.rstrip('/') + '/postgres', autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", (name,)).fetchone():
        conn.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\'')
PY
    ;;
esac

# Every jubao module; JUBAO_MODULES="…" activates a chosen set instead.
MODULES="${JUBAO_MODULES:-$(cd "$ROOT/addons" && ls -d jubao_*/ | tr -d / | tr '\n' ' ')}"
PASSFILE="$(mktemp)"; echo "admin" > "$PASSFILE"
echo "[demo] activating: $MODULES" >&2
TRYTONPASSFILE="$PASSFILE" "$VENV/bin/trytond-admin" -d "$DB" --email admin@jwjw.example.gov.cn \
  -u $MODULES --activate-dependencies -l zh_CN -vv 2>&1 | grep -E "ERROR|CRITICAL|Traceback" >&2 || true
rm -f "$PASSFILE"
echo "[demo] loading demo data" >&2
"$VENV/bin/python" "$ROOT/scripts/load_demo.py" "$DB"

if [ "$SERVE" = 1 ]; then
  echo "[demo] serving http://127.0.0.1:$PORT/ (database $DB) — logins in README.md" >&2
  case "$DB_URI" in
    postgresql*) "$VENV/bin/trytond-cron" -d "$DB" >/dev/null 2>&1 & ;;
  esac
  exec "$VENV/bin/trytond" -d "$DB"
fi
