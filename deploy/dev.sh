#!/usr/bin/env bash
# legal-kiosk developer entry point, for a fresh Debian 12 machine (run as root, or with sudo).
#   bash deploy/dev.sh run    set up, then start the central service (SQLite, demo data) and the kiosk
#   bash deploy/dev.sh test   set up, then run lint, type checks and the whole test suite
# Setting up means: install missing Debian packages, create .venv in the repo root, and
# install the package there in editable mode. Each step is skipped when already done.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
VENV=$ROOT/.venv
# Debian packages for Python itself (only when no Python 3.11+ with venv is there).
APT_PACKAGES=(python3 python3-venv python3-dev gcc)
# Debian packages the kiosk always needs: a CJK font for slip previews and raster lines.
APT_RUNTIME=(fonts-wqy-microhei)
# Debian packages the central service's tests need: PostgreSQL server binaries (each test
# run makes its own throwaway cluster) and Chromium (admin and display board, headless).
APT_TEST=(postgresql chromium)
# A4 printing tests: a private CUPS scheduler with a cups-pdf queue; pdftotext/pdftoppm read the PDFs.
APT_TEST+=(cups printer-driver-cups-pdf poppler-utils)
# Deployment tests: shellcheck on every script; xinit, which the kiosk session unit names
# (systemd-analyze verify checks that every command a unit runs exists); nginx (nginx -t, and
# a real nginx in front of three central nodes on loopback).
APT_TEST+=(shellcheck xinit nginx)
# The touchscreen app (Kivy, SDL2 from the wheels): GL, input, the CJK and icon fonts, and
# Xvfb for the UI tests and screenshots.
APT_RUNTIME+=(fonts-noto-cjk fonts-materialdesignicons-webfont libgl1 libegl1 libgl1-mesa-dri libmtdev1
            libx11-6 libxext6 libxrender1 libxi6 libxrandr2 libxcursor1 libxxf86vm1 xvfb xauth)
# XTest, for the real taps of the UI tools' tests and bench/ui.py.
APT_RUNTIME+=(libxtst6)
# A4 forms: WeasyPrint's text layout (Pango) and the CUPS clients the A4 adapter calls.
APT_RUNTIME+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 cups-client)
# Speech: espeak-ng (pyttsx3's engine), alsa-utils (aplay), libportaudio2 (sounddevice).
APT_RUNTIME+=(espeak-ng alsa-utils libportaudio2)
# Handwritten names: the zinnia library (called through ctypes) and Tegaki's zh_CN model.
APT_RUNTIME+=(libzinnia0 tegaki-zinnia-simplified-chinese)
# The handwriting test and bench fetch stroke data with npm (hanzi-writer-data, into
# ~/.cache); Debian's npm only where no node/npm is installed (NodeSource's includes one).
APT_TEST_NPM=(npm)
# The central flow editor draws each flow's map with Graphviz's dot.
APT_RUNTIME+=(graphviz)

log() { printf '\033[1m[dev.sh]\033[0m %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else log "need root to run: $*"; exit 1; fi
}

ensure_apt() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

pick_python() {
    for py in python3.11 python3; do
        if command -v "$py" >/dev/null &&
           "$py" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$py"; return 0
        fi
    done
    return 1
}

ensure_venv() {
    ensure_apt "${APT_RUNTIME[@]}"
    local py
    if ! py=$(pick_python); then
        ensure_apt "${APT_PACKAGES[@]}"
        py=$(pick_python) || { log "no Python 3.11+ with venv found"; exit 1; }
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        log "creating $VENV with $py"
        "$py" -m venv "$VENV"
    fi
    local stamp="$VENV/.installed" want
    want=$(sha256sum < pyproject.toml | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        log "installing legal-kiosk (editable) and its dependencies into .venv"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        # compat mode: a plain .pth path instead of an import hook (halves interpreter start).
        "$VENV/bin/python" -m pip install --quiet -e ".[dev,central]" --config-settings editable_mode=compat
        echo "$want" > "$stamp"
    fi
}

# `run` brings the central service up on SQLite beside the kiosk (var/central), with the demo
# county, and points the kiosk at it; the central service stops when the kiosk exits.
CENTRAL_PID=""
stop_central() {
    [ -n "$CENTRAL_PID" ] || return 0
    if kill -0 "$CENTRAL_PID" 2>/dev/null; then
        log "stopping the central service"
        kill -TERM "$CENTRAL_PID" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$CENTRAL_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$CENTRAL_PID" 2>/dev/null || true
    fi
    wait "$CENTRAL_PID" 2>/dev/null || true
    CENTRAL_PID=""
}

json_field() { "$VENV/bin/python" -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

start_central() {
    local port=${CENTRAL_PORT:-8700} data=$ROOT/var/central fresh=0 demo published
    if ! "$VENV/bin/python" -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))' "$port" 2>/dev/null; then
        log "port $port on 127.0.0.1 is busy: another program (or another central service) listens there."
        log "Stop it, or choose another port: CENTRAL_PORT=8701 bash deploy/dev.sh run"
        exit 1
    fi
    export CENTRAL_DATA_DIR=$data DATABASE_URL="sqlite:///$data/central.sqlite3"
    [ -f "$data/central.sqlite3" ] || fresh=1
    mkdir -p "$data"
    log "central service: database $DATABASE_URL"
    "$VENV/bin/central" migrate --verbosity 0
    demo=$("$VENV/bin/central" demo --json | tail -n 1)
    published=$("$VENV/bin/central" publish --json | tail -n 1)
    if [ "$fresh" = 1 ]; then  # a new repository has new keys: forget trust in the old one
        rm -rf "$ROOT/var/tuf" "$ROOT/var/bundles"
    fi
    "$VENV/bin/central" serve --port "$port" >"$data/serve.log" 2>&1 &
    CENTRAL_PID=$!
    trap stop_central EXIT
    trap 'exit 130' INT TERM
    local url="http://127.0.0.1:$port"
    if ! "$VENV/bin/python" - "$url/healthz" "$CENTRAL_PID" <<'PY'
import os, sys, time, urllib.request
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=2) as answer:
            if answer.status == 200:
                sys.exit(0)
    except OSError:
        pass
    try:
        os.kill(int(sys.argv[2]), 0)
    except ProcessLookupError:
        sys.exit(1)
    time.sleep(0.2)
sys.exit(1)
PY
    then
        log "the central service did not come up; its log ($data/serve.log) ends with:"
        tail -n 20 "$data/serve.log" >&2
        exit 1
    fi
    export KIOSK_CENTRAL_URL=$url
    # One machine, one kiosk: look for published content every 30 s (a fleet keeps 15 min).
    export KIOSK_CENTRAL_SYNC_INTERVAL_S=${KIOSK_CENTRAL_SYNC_INTERVAL_S:-30}
    export KIOSK_CENTRAL_HEARTBEAT_INTERVAL_S=${KIOSK_CENTRAL_HEARTBEAT_INTERVAL_S:-60}
    KIOSK_TOKEN=$(json_field "$demo" kiosk_token); export KIOSK_TOKEN
    KIOSK_TUF_ROOT=$(json_field "$published" root_path); export KIOSK_TUF_ROOT
    log "central service up at $url (content v$(json_field "$published" version), log: $data/serve.log)"
    log "  admin:   $url/admin/   user: $(json_field "$demo" admin_user)   password: $(json_field "$demo" admin_password)"
    log "  content editor: $url/admin/flows/   user: $(json_field "$demo" editor_user)   password: $(json_field "$demo" editor_password)"
    log "  legal reviewer: $url/staff/review/   user: $(json_field "$demo" reviewer_user)   password: $(json_field "$demo" reviewer_password)"
    log "  staff counter: $url/staff/   display board: $url/board/<office id>/"
    log "  statistics and monthly report: $url/staff/insight/ (admin)"
    log "opening the kiosk (kiosk $(json_field "$demo" kiosk_id)); the central service stops when it exits"
}

cmd=${1:-run}
shift || true
case "$cmd" in
    run)
        ensure_venv
        start_central
        "$VENV/bin/kiosk" run "$@"
        ;;
    test)
        ensure_venv
        ensure_apt "${APT_TEST[@]}"
        command -v npm >/dev/null || ensure_apt "${APT_TEST_NPM[@]}"
        log "ruff"; "$VENV/bin/ruff" check kiosk central tests bench
        log "mypy"; "$VENV/bin/mypy" kiosk
        "$VENV/bin/mypy" --config-file central/mypy.ini central
        log "content"; "$VENV/bin/kiosk" validate content
        log "pytest"; exec "$VENV/bin/pytest" "$@"
        ;;
    *)
        echo "usage: bash deploy/dev.sh {run|test} [args...]" >&2; exit 2
        ;;
esac
