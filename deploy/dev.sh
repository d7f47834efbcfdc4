#!/usr/bin/env bash
# legal-kiosk developer entry point, for a fresh Debian 12 machine (run as root, or with sudo).
#   bash deploy/dev.sh run    set up, then start the kiosk on the embedded defaults
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
# The touchscreen app (Kivy, SDL2 from the wheels): GL, input, the CJK and icon fonts, and
# Xvfb for the UI tests and screenshots.
APT_RUNTIME+=(fonts-noto-cjk fonts-materialdesignicons-webfont libgl1 libegl1 libgl1-mesa-dri libmtdev1
            libx11-6 libxext6 libxrender1 libxi6 libxrandr2 libxcursor1 libxxf86vm1 xvfb xauth)
# XTest, for the real taps of the UI tools' tests and bench/ui.py.
APT_RUNTIME+=(libxtst6)
# Speech: espeak-ng (pyttsx3's engine), alsa-utils (aplay), libportaudio2 (sounddevice).
APT_RUNTIME+=(espeak-ng alsa-utils libportaudio2)

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
    want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        log "installing legal-kiosk (editable) and its dependencies into .venv"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        # compat mode: a plain .pth path instead of an import hook (halves interpreter start).
        "$VENV/bin/python" -m pip install --quiet -e ".[dev,central]" --config-settings editable_mode=compat
        echo "$want" > "$stamp"
    fi
}

cmd=${1:-run}
shift || true
case "$cmd" in
    run)
        ensure_venv
        exec "$VENV/bin/kiosk" run "$@"
        ;;
    test)
        ensure_venv
        ensure_apt "${APT_TEST[@]}"
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
