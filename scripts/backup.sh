#!/usr/bin/env bash
# Back up or restore one jubao database together with its filestore (the
# attachments trytond keeps under [database] path/<database name>):
#   backup.sh backup  [--database URI] [--data DIR] --name DB --to FILE
#   backup.sh restore [--database URI] [--data DIR] --from FILE --name NEWDB
# The archive is a tar holding database.dump (pg_dump custom format) and
# filestore/ (the files of that database).  DIR is serve.sh's --data.
set -euo pipefail
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
action="${1:?usage: backup.sh backup|restore ...}"; shift
DB_URI="${TRYTOND_DATABASE__URI:-postgresql://root@127.0.0.1:5432/}"
DATA="$ROOT/.data/production"; DB=""; FILE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --database) DB_URI="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --name) DB="$2"; shift 2 ;;
    --to|--from) FILE="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -z "$DB" ] || [ -z "$FILE" ]; then
  echo "缺少参数：需要 --name 与 --to/--from。" >&2; exit 2
fi
STORE="${TRYTOND_DATABASE__PATH:-$DATA/filestore}"
URI="${DB_URI%/}/$DB"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/filestore"
case "$action" in
  backup)
    pg_dump --format=custom --no-owner --file "$work/database.dump" "$URI"
    if [ -d "$STORE/$DB" ]; then cp -a "$STORE/$DB/." "$work/filestore/"; fi
    tar -C "$work" -cf "$FILE" database.dump filestore ;;
  restore)
    if [ -e "$STORE/$DB" ] || psql -Atq "${DB_URI%/}/postgres" -c \
        "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
      echo "数据库 $DB 已存在，恢复不会覆盖它：请换一个名称。" >&2; exit 2
    fi
    tar -C "$work" -xf "$FILE"
    createdb --encoding=UTF8 --template=template0 "$DB" \
      --maintenance-db="${DB_URI%/}/postgres"
    # A failed restore leaves nothing behind.
    if ! pg_restore --no-owner --exit-on-error --dbname "$URI" \
        "$work/database.dump"; then
      dropdb --maintenance-db="${DB_URI%/}/postgres" "$DB"
      echo "恢复失败：数据库 $DB 已删除。" >&2; exit 1
    fi
    mkdir -p "$STORE/$DB"
    cp -a "$work/filestore/." "$STORE/$DB/" ;;
  *) echo "unknown action $action (backup or restore)" >&2; exit 2 ;;
esac
