#!/usr/bin/env bash
# Run the whole test suite against PostgreSQL: plain-function unit tests,
# every module's Tryton tests and scenarios, cross-module and browser tests.
# Uses throwaway databases that it creates and drops itself.
set -euo pipefail
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
VENV="$ROOT/.venv"
PGURI="${JUBAO_TEST_PG:-postgresql://root@127.0.0.1:5432/}"

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "[test] starting PostgreSQL" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

RUN_ID="jubao_test_$(date +%s)_$$"
# Activated databases are cached between runs, keyed by the content of what
# activation reads (module code and data, not their tests), so a re-run
# activates only when a module changed.
CACHE_KEY="$(cd "$ROOT" && find addons jubao requirements.txt -type f \
    ! -path '*/tests/*' ! -name '*.pyc' ! -path '*/__pycache__/*' -print0 \
  | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
CACHE_ROOT="$ROOT/.cache/dbcache"
CACHE_DIR="$CACHE_ROOT/$CACHE_KEY"
mkdir -p "$CACHE_DIR"; touch "$CACHE_DIR"
# Keep the three most recent caches (other checkouts or branches may use them).
ls -1dt "$CACHE_ROOT"/*/ 2>/dev/null | tail -n +4 | xargs -r rm -rf
export TRYTOND_DATABASE_URI="$PGURI" TRYTOND_DATABASE__URI="$PGURI"
export DB_NAME="$RUN_ID" DB_CACHE="$CACHE_DIR" DB_CACHE_JOBS=2
export TRYTOND_WEB__ROOT="$ROOT/.cache/sao/8.0.11/package"
export JUBAO_TEST_ARTIFACTS="$ROOT/tests/artifacts"
export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"
mkdir -p "$JUBAO_TEST_ARTIFACTS"

cleanup() {
  "$VENV/bin/python" - "$PGURI" "$RUN_ID" <<'PY' || true
import sys, psycopg
uri, prefix = sys.argv[1], sys.argv[2]
with psycopg.connect(uri.rstrip('/') + '/postgres', autocommit=True) as conn:
    for (name,) in conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (prefix + '%',)).fetchall():
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
PY
}
trap cleanup EXIT
cd "$ROOT"
"$VENV/bin/python" "$ROOT/tests/run_all.py" "$@"
