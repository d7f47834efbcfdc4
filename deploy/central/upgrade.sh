#!/usr/bin/env bash
# Upgrade the central service: back up, install the new release, migrate, collectstatic,
# then restart the nodes one at a time (nginx sends requests to the others meanwhile).
#   upgrade.sh [--all-at-once] [SOURCE_DIR]      as root; SOURCE_DIR: the new release's
#                                                checkout (default: the installed one)
# Rolling restarts need migrations the old code can live with (new columns nullable or
# with defaults, nothing dropped in the same release). When a release says otherwise, use
# --all-at-once: every node stops before migrating and starts after.
set -euo pipefail
PREFIX=${LK_PREFIX:-/opt/legal-kiosk}
ETC=${LK_ETC:-/etc/legal-kiosk}
BACKUPS=${LK_BACKUPS:-/var/backups/legal-kiosk}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

all_at_once=0
if [ "${1:-}" = "--all-at-once" ]; then all_at_once=1; shift; fi
source_dir=${1:-$PREFIX}

log() { printf '[upgrade] %s\n' "$*" >&2; }
[ "$(id -u)" -eq 0 ] || { log "run as root"; exit 1; }

# Run a command as the service user with the nodes' environment.
as_service() {
    # shellcheck disable=SC2016  # expanded by the inner bash, on purpose
    runuser -u legalkiosk -- bash -c 'set -a; . "$0"; set +a; exec "$@"' "$ETC/central.env" "$@"
}

wait_healthy() {
    local port=$1 i
    for i in $(seq 60); do
        if curl --silent --fail --max-time 2 "http://127.0.0.1:$port/healthz" >/dev/null; then return 0; fi
        [ "$i" -eq 60 ] || sleep 1
    done
    return 1
}

mapfile -t nodes < <(systemctl list-units --all --plain --no-legend 'legal-kiosk-central@*.service' |
                     awk '{print $1}')
[ ${#nodes[@]} -gt 0 ] || log "no legal-kiosk-central@PORT units found; nothing to restart"

log "backing up first"
as_service "$HERE/backup.sh" "$BACKUPS" >/dev/null

if [ "$(cd "$source_dir" && pwd)" != "$(cd "$PREFIX" && pwd)" ]; then
    log "copying the release from $source_dir"
    rsync -a --delete --exclude=.venv --exclude=var --exclude=.git "$source_dir"/ "$PREFIX"/
fi
log "installing into $PREFIX/.venv"
"$PREFIX/.venv/bin/python" -m pip install --quiet --upgrade "${PREFIX}[central]"

if [ "$all_at_once" = 1 ] && [ ${#nodes[@]} -gt 0 ]; then
    log "stopping every node"
    systemctl stop "${nodes[@]}"
fi
log "migrating the database and collecting static files"
as_service "$PREFIX/.venv/bin/central" migrate --noinput
as_service "$PREFIX/.venv/bin/central" collectstatic --noinput --verbosity 0

for unit in "${nodes[@]}"; do
    port=${unit#legal-kiosk-central@}
    port=${port%.service}
    log "restarting $unit"
    systemctl restart "$unit"
    if ! wait_healthy "$port"; then
        log "$unit does not answer /healthz; stopping here (the nodes not yet restarted still serve)"
        journalctl -u "$unit" -n 30 --no-pager >&2 || true
        exit 1
    fi
done
nginx -t -q && systemctl reload nginx
log "done: ${#nodes[@]} node(s) on the new release"
