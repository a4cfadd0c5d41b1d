#!/usr/bin/env bash
# The one definition of the production processes, used by scripts/serve.sh
# (one machine) and by docker-compose.yml (one container per role):
#   deploy/run.sh app|cron|worker
# Read from the environment: JUBAO_DB (database name), JUBAO_WORKERS
# (gunicorn workers, app), JUBAO_LISTEN (host:port, app), JUBAO_QUEUE_WORKERS
# (processes of trytond-worker) and trytond's own TRYTOND_CONFIG and
# TRYTOND_<SECTION>__<OPTION> variables.  The programs are found on PATH.
set -euo pipefail
# trytond's assert statements are developer checks, one of them quadratic
# in the records a search returns (browse re-checks every id against the
# whole list: most of a 1000-row list page); the tests run with them on.
export PYTHONOPTIMIZE="${PYTHONOPTIMIZE:-1}"
role="${1:?usage: deploy/run.sh app|cron|worker}"
: "${JUBAO_DB:?JUBAO_DB (database name) is not set}"
case "$role" in
  # trytond's WSGI application initialises the pools of TRYTOND_DATABASE_NAMES
  # before forking, so workers do not each load the modules on first call.
  app) export TRYTOND_DATABASE_NAMES="$JUBAO_DB"
       exec gunicorn --workers "${JUBAO_WORKERS:-4}" \
         --bind "${JUBAO_LISTEN:-0.0.0.0:8000}" --timeout 300 \
         --access-logfile - trytond.application:app ;;
  cron) exec trytond-cron -d "$JUBAO_DB" ;;
  worker) exec trytond-worker -d "$JUBAO_DB" -n "${JUBAO_QUEUE_WORKERS:-2}" ;;
  *) echo "unknown role $role (app, cron or worker)" >&2; exit 2 ;;
esac
