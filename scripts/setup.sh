#!/usr/bin/env bash
# Install what the project needs, idempotently: a virtualenv with the pinned
# Python packages, the jubao modules linked into trytond, and the sao web
# client from npm.  Re-running it only redoes what changed.
set -euo pipefail
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
VENV="$ROOT/.venv"
SAO_VERSION="8.0.11"
SAO_DIR="$ROOT/.cache/sao/$SAO_VERSION"
log() { echo "[setup] $*" >&2; }

if [ ! -x "$VENV/bin/python" ]; then
  log "creating virtualenv"
  python3 -m venv "$VENV"
fi
stamp="$VENV/.requirements.sha"
want="$(cat "$ROOT/requirements.txt" "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "installing Python packages"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q -r "$ROOT/requirements.txt"
  "$VENV/bin/pip" install -q --no-build-isolation -e "$ROOT" 2>/dev/null \
    || "$VENV/bin/pip" install -q -e "$ROOT"
  echo "$want" > "$stamp"
fi

# Tryton finds modules in trytond/modules: link ours there.
MODDIR="$("$VENV/bin/python" -c 'import os, trytond.modules as m; print(os.path.dirname(m.__file__))')"
for mod in "$ROOT"/addons/jubao_*; do
  [ -f "$mod/tryton.cfg" ] || continue
  ln -sfn "$mod" "$MODDIR/$(basename "$mod")"
done

if [ ! -f "$SAO_DIR/package/index.html" ] || [ ! -d "$SAO_DIR/package/node_modules" ]; then
  log "installing the sao web client $SAO_VERSION from npm"
  rm -rf "$SAO_DIR"; mkdir -p "$SAO_DIR"
  (cd "$SAO_DIR" && npm pack --silent "tryton-sao@$SAO_VERSION" >/dev/null \
     && tar xzf tryton-sao-*.tgz \
     && cd package && npm install --omit=dev --legacy-peer-deps --no-audit --no-fund --silent >/dev/null)
fi

# SortableJS: the drag-and-drop library of the kanban boards
# (addons/jubao_intake/board.py serves it from here; keep the version in
# step with SORTABLEJS_VERSION there).
SORTABLEJS_VERSION="1.15.6"
SORTABLEJS_DIR="$ROOT/.cache/sortablejs/$SORTABLEJS_VERSION"
if [ ! -f "$SORTABLEJS_DIR/package/Sortable.min.js" ]; then
  log "installing SortableJS $SORTABLEJS_VERSION from npm"
  rm -rf "$SORTABLEJS_DIR"; mkdir -p "$SORTABLEJS_DIR"
  (cd "$SORTABLEJS_DIR" && npm pack --silent "sortablejs@$SORTABLEJS_VERSION" >/dev/null \
     && tar xzf sortablejs-*.tgz)
fi

# Complete the zh_CN of sao and trytond's core modules from i18n/ (upstream
# leaves English on screen); rewrites only what changed.
"$VENV/bin/python" "$ROOT/scripts/i18n_apply.py" "$SAO_DIR/package" >&2

# jubao's additions to sao (platform name, pre-filled login): sao's
# index.html loads custom.js and custom.css from its root.
for f in custom.js custom.css; do
  cmp -s "$ROOT/web/$f" "$SAO_DIR/package/$f" || cp "$ROOT/web/$f" "$SAO_DIR/package/$f"
done

# Debian packages: Chromium and its driver for the browser tests, a Chinese
# font for screenshots and printouts, LibreOffice to turn ODT into PDF.
debs=()
command -v chromedriver >/dev/null 2>&1 || debs+=(chromium chromium-driver)
[ -d /usr/share/fonts/truetype/wqy ] || debs+=(fonts-wqy-microhei)
command -v soffice >/dev/null 2>&1 || debs+=(libreoffice-writer-nogui)
if [ "${JUBAO_SKIP_DEBIAN:-0}" != 1 ] && [ ${#debs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing ${debs[*]}"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq "${debs[@]}" >/dev/null
  else
    log "missing ${debs[*]}: browser tests are skipped, printouts stay ODT"
  fi
fi
