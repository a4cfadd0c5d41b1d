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
CACHE_KEY="$(cd "$ROOT" && find addons jubao i18n requirements.txt -type f \
    ! -path '*/tests/*' ! -name '*.pyc' ! -path '*/__pycache__/*' -print0 \
  | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
# The cached databases are PostgreSQL template databases named
# jubao-<key>-<modules>; keep those of the eight most recent keys (other
# checkouts or branches may use them).
KEYS_FILE="$ROOT/.cache/dbcache-keys"
mkdir -p "$ROOT/.cache"
{ echo "$CACHE_KEY"; grep -vx "$CACHE_KEY" "$KEYS_FILE" 2>/dev/null || true; } \
  | head -8 > "$KEYS_FILE.new" && mv "$KEYS_FILE.new" "$KEYS_FILE"
export JUBAO_CACHE_KEY="$CACHE_KEY"
export TRYTOND_DATABASE_URI="$PGURI" TRYTOND_DATABASE__URI="$PGURI"
export DB_NAME="$RUN_ID" DB_CACHE="postgresql://" DB_CACHE_JOBS=2
export TRYTOND_WEB__ROOT="$ROOT/.cache/sao/8.0.11/package"
export JUBAO_TEST_ARTIFACTS="$ROOT/tests/artifacts"
export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"
mkdir -p "$JUBAO_TEST_ARTIFACTS"

# Drop this run's databases and the cached ones of keys no longer kept.
cleanup() {
  "$VENV/bin/python" - "$PGURI" "$RUN_ID" "$KEYS_FILE" <<'PY' || true
import sys, psycopg
uri, prefix, keys_file = sys.argv[1:4]
keep = {line.strip() for line in open(keys_file) if line.strip()}
with psycopg.connect(uri.rstrip('/') + '/postgres', autocommit=True) as conn:
    for (name,) in conn.execute("SELECT datname FROM pg_database").fetchall():
        stale = (name.startswith('jubao-')
            and name.split('-')[1] not in keep)
        if name.startswith(prefix) or stale:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
PY
  rm -rf "$ROOT/.cache/dbcache"  # the former file cache
}
trap cleanup EXIT
cd "$ROOT"
"$VENV/bin/python" "$ROOT/tests/run_all.py" "$@"
