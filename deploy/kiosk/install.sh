#!/usr/bin/env bash
# legal-kiosk: install (or remove) the kiosk on Debian 12, Ubuntu 24.04 or Raspberry Pi OS (arm64).
#
#   sudo bash deploy/kiosk/install.sh [--model ARCHIVE --model-sha256 HEX] [--kiosk-id ID]
#        [--central-url https://... --token-file FILE --tuf-root 1.root.json]
#   sudo bash deploy/kiosk/install.sh --uninstall
#   bash deploy/kiosk/install.sh --root DIR ...     # into a throwaway root (tests): no apt, no
#                                                   # udev reload, no service start
#
# What it sets up: the Debian packages, a `kiosk` system user, the app in /opt/legal-kiosk
# (source + virtualenv), config in /etc/legal-kiosk/, state in /var/lib/legal-kiosk/, the vosk
# model from a local archive checked by SHA-256, udev rules naming the printer and the ID card
# reader /dev/kiosk-printer and /dev/kiosk-idcard, a full-screen X session with auto-login and
# no blanking, the app's systemd unit (watchdog, restart, reboot after repeated crashes), a
# nightly restart, journald and core dump settings. Running it again changes nothing; every
# step says what it changed.
set -euo pipefail

# --- what an officer sets (here, or in the environment) --------------------------------------
# USB vendor and product id of the thermal printer and of the ID card reader (4 hex digits
# each; `lsusb` shows them as VVVV:PPPP). Empty: no udev rule for that device. Two devices on
# the same USB-serial chip (e.g. both CH340, 1a86:7523) also need their serial number.
PRINTER_USB_VENDOR=${PRINTER_USB_VENDOR:-}
PRINTER_USB_PRODUCT=${PRINTER_USB_PRODUCT:-}
PRINTER_USB_SERIAL=${PRINTER_USB_SERIAL:-}
IDCARD_USB_VENDOR=${IDCARD_USB_VENDOR:-}
IDCARD_USB_PRODUCT=${IDCARD_USB_PRODUCT:-}
IDCARD_USB_SERIAL=${IDCARD_USB_SERIAL:-}
# Extra pip arguments, e.g. a mirror (-i https://mirrors.tuna.tsinghua.edu.cn/pypi/web/simple)
# or an offline wheelhouse (--no-index --find-links /media/usb/wheels).
PIP_INSTALL_ARGS=${PIP_INSTALL_ARGS:-}

# The system packages: Python, the screen (X server, no desktop), GL and input for Kivy's SDL2,
# fonts, speech, CUPS client for A4, unzip for the model archive.
APT_PACKAGES=(python3 python3-venv xserver-xorg-core xserver-xorg-input-libinput xinit
              x11-xserver-utils libgl1 libegl1 libgl1-mesa-dri libmtdev1 libx11-6 libxext6
              libxrender1 libxi6 libxrandr2 libxcursor1 libxxf86vm1 fonts-noto-cjk
              fonts-materialdesignicons-webfont espeak-ng alsa-utils libportaudio2
              libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 cups-client unzip)
USER_GROUPS=(audio video input render dialout tty)
UNITS=(legal-kiosk.service legal-kiosk-session.service legal-kiosk-nightly.service
       legal-kiosk-nightly.timer)
ENABLE=(legal-kiosk.service legal-kiosk-session.service legal-kiosk-nightly.timer)

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE=$(cd "$HERE/../.." && pwd)
ROOT=""
UNINSTALL=0
MODEL=""
MODEL_SHA256=""
CENTRAL_URL=""
TOKEN_FILE=""
TUF_ROOT=""
KIOSK_ID=${KIOSK_ID:-kiosk-$(hostname -s 2>/dev/null || echo 1)}
CHANGED=0
MADE_DIRS=()  # folders this run created (removed again by --uninstall when empty)

log() { printf '[legal-kiosk] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
changed() { CHANGED=$((CHANGED + 1)); log "$*"; }

usage() {
    sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --root) ROOT=${2:?--root needs a folder}; shift 2 ;;
        --uninstall) UNINSTALL=1; shift ;;
        --model) MODEL=${2:?--model needs an archive}; shift 2 ;;
        --model-sha256) MODEL_SHA256=${2:?--model-sha256 needs a hex digest}; shift 2 ;;
        --kiosk-id) KIOSK_ID=${2:?--kiosk-id needs an id}; shift 2 ;;
        --central-url) CENTRAL_URL=${2:?--central-url needs a URL}; shift 2 ;;
        --token-file) TOKEN_FILE=${2:?--token-file needs a file}; shift 2 ;;
        --tuf-root) TUF_ROOT=${2:?--tuf-root needs a root.json}; shift 2 ;;
        --source) SOURCE=$(cd "${2:?--source needs a folder}" && pwd); shift 2 ;;
        -h|--help) usage 0 ;;
        *) log "unknown option: $1"; usage 2 ;;
    esac
done

if [ -n "$ROOT" ]; then
    [ -d "$ROOT" ] || die "--root $ROOT is not a folder"
    ROOT=$(cd "$ROOT" && pwd)
    [ "$ROOT" != / ] || ROOT=""
fi
R=$ROOT  # prefix of every path below; empty on the real machine
LIVE=0   # the real machine with systemd running: reload and start things
if [ -z "$R" ]; then
    [ "$(id -u)" -eq 0 ] || die "run as root (sudo bash $0)"
    [ -d /run/systemd/system ] && LIVE=1
fi

OPT=/opt/legal-kiosk
ETC=/etc/legal-kiosk
STATE=/var/lib/legal-kiosk
UDEV_RULES=/etc/udev/rules.d/70-legal-kiosk.rules

# --- small idempotent helpers ------------------------------------------------------------------

kiosk_ids() {  # "uid gid" of the kiosk user in the target root, empty if none
    awk -F: '$1 == "kiosk" { print $3, $4 }' "$R/etc/passwd" 2>/dev/null || true
}

set_owner_mode() {  # PATH OWNER(root|kiosk) MODE: only when different
    local path=$1 owner=$2 mode=$3 uid gid ids
    if [ "$owner" = kiosk ]; then
        ids=$(kiosk_ids); uid=${ids% *}; gid=${ids#* }
    else
        uid=0; gid=0
    fi
    if [ "$owner" = rootkiosk ]; then
        ids=$(kiosk_ids); uid=0; gid=${ids#* }
    fi
    if [ "$(stat -c %a "$path")" != "$mode" ]; then chmod "$mode" "$path"; changed "mode $mode: ${path#"$R"}"; fi
    if [ "$(id -u)" -eq 0 ] && [ -n "$uid" ] && [ "$(stat -c %u:%g "$path")" != "$uid:$gid" ]; then
        chown "$uid:$gid" "$path"; changed "owner $owner: ${path#"$R"}"
    fi
}

put() {  # DEST MODE OWNER < content: write only when the bytes differ
    local dest=$R$1 mode=$2 owner=$3 tmp
    tmp=$(mktemp)
    cat >"$tmp"
    mkdirs "$(dirname "$1")"
    if [ -f "$dest" ] && cmp -s "$tmp" "$dest"; then
        rm -f "$tmp"
    else
        chmod "$mode" "$tmp"; mv "$tmp" "$dest"; changed "wrote $1"
    fi
    set_owner_mode "$dest" "$owner" "$mode"
}

put_once() {  # like put, but never replaces a file that exists (the officer's own settings)
    if [ -e "$R$1" ]; then cat >/dev/null; set_owner_mode "$R$1" "$3" "$2"; else put "$@"; fi
}

mkdirs() {  # PATH: mkdir -p, remembering each folder it made
    local path=$1 missing=()
    while [ ! -d "$R$path" ]; do missing=("$path" "${missing[@]}"); path=$(dirname "$path"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    mkdir -p "$R$1"
    MADE_DIRS+=("${missing[@]}")
}

dir() {  # PATH MODE OWNER
    if [ ! -d "$R$1" ]; then mkdirs "$1"; changed "made $1"; fi
    set_owner_mode "$R$1" "$3" "$2"
}

check_inputs() {  # everything that can be wrong, before anything is changed
    local name vendor product
    for name in PRINTER IDCARD; do
        vendor=${name}_USB_VENDOR; product=${name}_USB_PRODUCT
        vendor=${!vendor,,}; product=${!product,,}
        if [ -n "$vendor$product" ] && ! [[ "$vendor" =~ ^[0-9a-f]{4}$ && "$product" =~ ^[0-9a-f]{4}$ ]]; then
            die "${name}_USB_VENDOR and ${name}_USB_PRODUCT must be 4 hex digits each (lsusb shows VVVV:PPPP), not '$vendor:$product'"
        fi
    done
    [[ "$KIOSK_ID" =~ ^[A-Za-z0-9._-]{1,64}$ ]] || die "--kiosk-id: letters, digits, . _ - only, not '$KIOSK_ID'"
    if [ -n "$CENTRAL_URL" ] && ! [[ "$CENTRAL_URL" =~ ^https?://[A-Za-z0-9.:/_~%+-]+$ ]]; then
        die "--central-url must start with https:// (or http:// on a test bench), not '$CENTRAL_URL'"
    fi
    if [ -n "$TOKEN_FILE" ] && ! [ -s "$TOKEN_FILE" ]; then die "--token-file $TOKEN_FILE: missing or empty"; fi
    if [ -n "$TUF_ROOT" ] && ! grep -q '"_type": *"root"' "$TUF_ROOT" 2>/dev/null; then
        die "--tuf-root $TUF_ROOT is not a TUF root.json (the root_path that \`central publish --json\` prints)"
    fi
    [ -n "$MODEL" ] || return 0
    [ -f "$MODEL" ] || die "--model $MODEL: no such file"
    [[ "$MODEL_SHA256" =~ ^[0-9a-fA-F]{64}$ ]] || die "--model needs --model-sha256 with the archive's SHA-256 (64 hex digits)"
    local got
    got=$(sha256sum "$MODEL" | cut -d' ' -f1)
    [ "$got" = "${MODEL_SHA256,,}" ] ||
        die "$MODEL: SHA-256 is $got, not $MODEL_SHA256: the archive is damaged or not the one expected. Nothing was changed."
}

# --- the steps ---------------------------------------------------------------------------------

system_packages() {
    if [ -n "$R" ]; then log "packages: skipped in --root mode (${#APT_PACKAGES[@]} would be checked)"; return; fi
    local missing=() pkg
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    changed "installed packages: ${missing[*]}"
}

kiosk_user() {
    local rootopt=() group want=()
    [ -n "$R" ] && rootopt=(--root "$R")
    if [ -z "$(kiosk_ids)" ]; then
        useradd "${rootopt[@]}" --system --user-group --home-dir "$STATE" --no-create-home \
            --shell /usr/sbin/nologin --comment "legal-kiosk" kiosk 2>/dev/null
        changed "made the user kiosk"
    fi
    for group in "${USER_GROUPS[@]}"; do  # only the groups this system has
        if grep -q "^$group:" "$R/etc/group" && ! grep -Eq "^$group:[^:]*:[^:]*:(.*,)?kiosk(,|$)" "$R/etc/group"; then
            want+=("$group")
        fi
    done
    if [ ${#want[@]} -gt 0 ]; then
        usermod "${rootopt[@]}" -a -G "$(IFS=,; echo "${want[*]}")" kiosk
        changed "kiosk joins: ${want[*]}"
    fi
}

source_digest() {  # the app's files as one digest (names and bytes, not times)
    (cd "$SOURCE" && find kiosk content config pyproject.toml README.md -type f \
        ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1
}

app_and_venv() {
    local want have
    want=$(source_digest)
    have=$(cat "$R$OPT/.installed" 2>/dev/null || true)
    dir "$OPT" 755 root
    if [ "$want" != "$have" ]; then
        rm -rf "$R$OPT/app.new"
        mkdir -p "$R$OPT/app.new"
        (cd "$SOURCE" && tar -cf - --exclude=__pycache__ --exclude='*.pyc' kiosk content config pyproject.toml README.md) |
            tar -C "$R$OPT/app.new" -xf -
        rm -rf "$R$OPT/app"
        mv "$R$OPT/app.new" "$R$OPT/app"
        [ -x "$R$OPT/venv/bin/python" ] || python3 -m venv "$R$OPT/venv"
        # shellcheck disable=SC2086  # PIP_INSTALL_ARGS is a list of words on purpose
        PIP_DISABLE_PIP_VERSION_CHECK=1 "$R$OPT/venv/bin/python" -m pip install --quiet $PIP_INSTALL_ARGS "$R$OPT/app"
        echo "$want" >"$R$OPT/.installed"
        changed "installed the app ${want:0:12} into $OPT/venv"
    fi
    put /usr/local/bin/kiosk 755 root <<EOF
#!/bin/sh
# The kiosk command with the installed config and environment (kiosk doctor, kiosk pin-hash).
# KEY=VALUE lines, as systemd's EnvironmentFile reads them: exported, never run as shell.
if [ -r $ETC/kiosk.env ]; then
    while IFS= read -r line; do
        case "\$line" in KIOSK_*=*) export "\${line%%=*}=\${line#*=}" ;; esac
    done < $ETC/kiosk.env
fi
exec $OPT/venv/bin/kiosk --config $ETC/kiosk.toml "\$@"
EOF
}

speech_model() {  # unpacks the archive into $STATE/models/<name>; prints the folder
    [ -n "$MODEL" ] || return 0
    local got=${MODEL_SHA256,,} name target tmp
    name=$(basename "$MODEL"); name=${name%.zip}; name=${name%.tar.gz}; name=${name%.tgz}
    name=${name//[^A-Za-z0-9._-]/_}  # a folder name the env file can carry as it is
    target=$STATE/models/$name
    if [ "$(cat "$R$target/.sha256" 2>/dev/null || true)" != "$got" ]; then
        tmp=$(mktemp -d)
        case "$MODEL" in
            *.zip) unzip -q "$MODEL" -d "$tmp" ;;
            *) tar -C "$tmp" -xzf "$MODEL" ;;
        esac
        # An archive holds the model folder itself, or the model's files directly.
        if [ "$(find "$tmp" -mindepth 1 -maxdepth 1 | wc -l)" = 1 ] && [ -d "$tmp/$(ls "$tmp")" ]; then
            tmp=$tmp/$(ls "$tmp")
        fi
        # The same checks as the kiosk's (kiosk/devices/vosk_model.py), before anything changes.
        local f
        for f in am/final.mdl conf/model.conf; do
            [ -f "$tmp/$f" ] || die "$MODEL does not look like a vosk model (no $f in it). Nothing was changed."
        done
        if ! [ -f "$tmp/graph/HCLr.fst" ] || ! [ -f "$tmp/graph/Gr.fst" ]; then
            die "$MODEL does not take the screen's phrase list (no graph/HCLr.fst and graph/Gr.fst: a large server model?); use a small model such as vosk-model-small-cn-0.22. Nothing was changed."
        fi
        dir "$STATE/models" 750 kiosk
        rm -rf "$R$target"
        mv "$tmp" "$R$target"
        echo "$got" >"$R$target/.sha256"
        if [ "$(id -u)" -eq 0 ] && [ -n "$(kiosk_ids)" ]; then chown -R "$(kiosk_ids | tr ' ' ':')" "$R$target"; fi
        chmod -R go-w,o-rwx "$R$target"
        changed "speech model $name installed"
    fi
    MODEL_DIR=$target
}

config_and_state() {
    dir "$ETC" 750 rootkiosk
    dir "$STATE" 750 kiosk
    local idcard_port=""
    [ -n "$IDCARD_USB_VENDOR" ] && idcard_port=/dev/kiosk-idcard
    # (Redirections, not pipes: put must run in this shell to count its changes.)
    put_once "$ETC/kiosk.toml" 640 rootkiosk < <(
        sed -e "s|@KIOSK_ID@|$KIOSK_ID|" -e "s|@IDCARD_PORT@|$idcard_port|" "$HERE/kiosk.toml.in")
    put "$ETC/kiosk.env" 640 rootkiosk < <(
        echo "# Written by deploy/kiosk/install.sh on every run: edit kiosk.toml instead."
        if [ -n "${MODEL_DIR:-}" ]; then echo "KIOSK_SPEECH_MODEL=$MODEL_DIR"; fi
        if [ -n "$CENTRAL_URL" ]; then echo "KIOSK_CENTRAL_URL=$CENTRAL_URL"; fi)
    # The token: readable by the kiosk user only (the app refuses it otherwise). The TUF root
    # is public; the kiosk trusts the content signed under it.
    if [ -n "$TOKEN_FILE" ]; then put "$ETC/kiosk.token" 600 kiosk < <(tr -d '[:space:]' <"$TOKEN_FILE"); fi
    if [ -n "$TUF_ROOT" ]; then put "$ETC/root.json" 644 root <"$TUF_ROOT"; fi
}

usb_rule() {  # NAME VENDOR PRODUCT SERIAL
    local name=$1 vendor=${2,,} product=${3,,} serial=$4
    [ -n "$vendor" ] || { echo "# $name: no USB id set (${name^^}_USB_VENDOR / _PRODUCT)"; return; }
    local match="SUBSYSTEM==\"tty\", ATTRS{idVendor}==\"$vendor\", ATTRS{idProduct}==\"$product\""
    [ -n "$serial" ] && match="$match, ATTRS{serial}==\"$serial\""
    echo "$match, SYMLINK+=\"kiosk-$name\", GROUP=\"dialout\", MODE=\"0660\""
}

udev_rules() {
    local before=$CHANGED
    put "$UDEV_RULES" 644 root < <(
        echo "# legal-kiosk devices by USB id (deploy/kiosk/install.sh): stable names whatever the port."
        usb_rule printer "$PRINTER_USB_VENDOR" "$PRINTER_USB_PRODUCT" "$PRINTER_USB_SERIAL"
        usb_rule idcard "$IDCARD_USB_VENDOR" "$IDCARD_USB_PRODUCT" "$IDCARD_USB_SERIAL")
    if [ "$LIVE" = 1 ] && [ "$CHANGED" -gt "$before" ] && command -v udevadm >/dev/null; then
        udevadm control --reload && udevadm trigger --subsystem-match=tty
    fi
}

session_and_units() {
    put /usr/lib/legal-kiosk/xsession 755 root <"$HERE/xsession"
    put /usr/lib/legal-kiosk/wait-display 755 root <"$HERE/wait-display"
    put /etc/X11/xorg.conf.d/10-legal-kiosk.conf 644 root <"$HERE/xorg.conf"
    put /etc/systemd/journald.conf.d/legal-kiosk.conf 644 root <"$HERE/journald.conf"
    put /etc/systemd/coredump.conf.d/legal-kiosk.conf 644 root <"$HERE/coredump.conf"
    local unit
    for unit in "${UNITS[@]}"; do
        put "/etc/systemd/system/$unit" 644 root <"$HERE/$unit"
    done
    [ "$LIVE" = 1 ] && systemctl daemon-reload
    mkdirs /etc/systemd/system/multi-user.target.wants  # systemctl enable puts its links there
    mkdirs /etc/systemd/system/timers.target.wants
    for unit in "${ENABLE[@]}"; do
        if ! systemctl --root="${R:-/}" is-enabled --quiet "$unit" 2>/dev/null; then
            systemctl --root="${R:-/}" enable --quiet "$unit"
            changed "enabled $unit"
        fi
    done
    # tty1 belongs to the kiosk session: no login prompt there.
    if systemctl --root="${R:-/}" is-enabled --quiet getty@tty1.service 2>/dev/null; then
        systemctl --root="${R:-/}" mask --quiet getty@tty1.service; changed "masked getty@tty1"
    fi
}

earlier() {  # KEY: its value in the kiosk.env an earlier run wrote (a rerun keeps what it set)
    [ -f "$R$ETC/kiosk.env" ] || return 0
    sed -n "s/^$1=//p" "$R$ETC/kiosk.env" | tail -n 1
}

install_all() {
    check_inputs
    system_packages
    kiosk_user
    app_and_venv
    MODEL_DIR=$(earlier KIOSK_SPEECH_MODEL)
    [ -d "$R$MODEL_DIR" ] || MODEL_DIR=""
    [ -n "$CENTRAL_URL" ] || CENTRAL_URL=$(earlier KIOSK_CENTRAL_URL)
    speech_model
    config_and_state
    udev_rules
    session_and_units
    if [ ${#MADE_DIRS[@]} -gt 0 ]; then  # merged with earlier runs', sorted: a rerun writes the same
        put "$OPT/.created-dirs" 644 root < <(
            { cat "$R$OPT/.created-dirs" 2>/dev/null || true; printf '%s\n' "${MADE_DIRS[@]}"; } | LC_ALL=C sort -u)
    fi
    if [ "$LIVE" = 1 ] && [ "$CHANGED" -gt 0 ]; then
        systemctl restart systemd-journald legal-kiosk-session.service
    fi
    if [ "$CHANGED" = 0 ]; then log "already installed: nothing changed"; else log "$CHANGED change(s); check with: kiosk doctor"; fi
}

remove() {  # PATH...: remove what exists, saying so
    local path
    for path in "$@"; do
        if [ -e "$R$path" ] || [ -L "$R$path" ]; then rm -rf -- "$R$path"; changed "removed $path"; fi
    done
}

uninstall_all() {
    local unit made=() path
    [ -f "$R$OPT/.created-dirs" ] && mapfile -t made <"$R$OPT/.created-dirs"
    for unit in "${UNITS[@]}"; do
        if [ "$LIVE" = 1 ]; then systemctl stop "$unit" 2>/dev/null || true; fi
        if [ -e "$R/etc/systemd/system/$unit" ]; then
            systemctl --root="${R:-/}" disable --quiet "$unit" 2>/dev/null || true
        fi
    done
    if [ -L "$R/etc/systemd/system/getty@tty1.service" ]; then
        systemctl --root="${R:-/}" unmask --quiet getty@tty1.service; changed "unmasked getty@tty1"
    fi
    remove "${UNITS[@]/#//etc/systemd/system/}"
    remove /usr/lib/legal-kiosk /usr/local/bin/kiosk /etc/X11/xorg.conf.d/10-legal-kiosk.conf \
        /etc/systemd/journald.conf.d/legal-kiosk.conf /etc/systemd/coredump.conf.d/legal-kiosk.conf \
        "$UDEV_RULES" "$OPT" "$ETC" "$STATE"
    # The folders the installer made, deepest first, when nothing else is in them now.
    for path in $(printf '%s\n' "${made[@]}" | LC_ALL=C sort -r); do
        if rmdir "$R$path" 2>/dev/null; then changed "removed $path/"; fi
    done
    if [ -n "$(kiosk_ids)" ]; then
        if [ -n "$R" ]; then userdel --root "$R" kiosk; else userdel kiosk; fi
        changed "removed the user kiosk"
    fi
    [ "$LIVE" = 1 ] && systemctl daemon-reload
    log "removed ($CHANGED change(s)); the Debian packages stay (other software may use them)"
}

if [ "$UNINSTALL" = 1 ]; then uninstall_all; else install_all; fi
