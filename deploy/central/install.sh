#!/usr/bin/env bash
# Install the central service on one Debian 12 / Ubuntu 24.04 host: PostgreSQL, NODES
# central nodes (gunicorn, systemd template unit legal-kiosk-central@PORT), nginx in front
# with TLS, the nightly backup timer. Run as root from a checkout of the release:
#   bash deploy/central/install.sh --server-name central.county.gov.cn \
#        --cert /etc/ssl/certs/central.pem --key /etc/ssl/private/central.key [--nodes 3]
# Running it again changes nothing that is already in place (keys, env file, database).
# Nodes on more hosts: copy /etc/legal-kiosk/ (env and secret key), mount the TUF
# directory from shared storage, point DATABASE_URL at the one PostgreSQL, and list the
# nodes in nginx's upstream (render-nginx.sh --ports).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE=$(cd "$HERE/../.." && pwd)
PREFIX=/opt/legal-kiosk
ETC=/etc/legal-kiosk
STATE=/var/lib/legal-kiosk
BACKUPS=/var/backups/legal-kiosk
FIRST_PORT=8701

server_name="" cert="" key="" nodes=2
die() { echo "install.sh: $*" >&2; exit 2; }
log() { printf '\033[1m[install]\033[0m %s\n' "$*" >&2; }
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || die "$1 needs a value"
    case "$1" in
        --server-name) server_name=$2 ;;
        --cert) cert=$2 ;;
        --key) key=$2 ;;
        --nodes) nodes=$2 ;;
        *) die "unknown option $1" ;;
    esac
    shift 2
done
[ -n "$server_name" ] || die "--server-name is required (the name kiosks and phones use)"
{ [ -r "$cert" ] && [ -r "$key" ]; } || die "--cert and --key must be readable files (TLS certificate and key)"
case "$nodes" in ''|*[!0-9]*|0) die "--nodes must be a positive number" ;; esac
[ "$(id -u)" -eq 0 ] || die "run as root"

log "system packages"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    postgresql nginx python3 python3-venv rsync curl >/dev/null

id legalkiosk >/dev/null 2>&1 ||
    useradd --system --home-dir "$STATE" --shell /usr/sbin/nologin legalkiosk
install -d -m 0755 "$PREFIX"
install -d -m 0750 -o root -g legalkiosk "$ETC"
install -d -m 0750 -o legalkiosk -g legalkiosk "$STATE" "$STATE/central" "$STATE/tuf" "$STATE/keys" \
    "$BACKUPS"

log "the release into $PREFIX and its virtualenv"
rsync -a --delete --exclude=.venv --exclude=var --exclude=.git "$SOURCE"/ "$PREFIX"/
[ -x "$PREFIX/.venv/bin/python" ] || python3 -m venv "$PREFIX/.venv"
"$PREFIX/.venv/bin/python" -m pip install --quiet --upgrade pip
"$PREFIX/.venv/bin/python" -m pip install --quiet "${PREFIX}[central]"

if [ ! -s "$ETC/secret_key" ]; then
    log "a secret key shared by every node: $ETC/secret_key"
    (umask 027; python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > "$ETC/secret_key")
    chgrp legalkiosk "$ETC/secret_key"
fi
if [ ! -f "$ETC/central.env" ]; then
    log "environment: $ETC/central.env (edit it for more hosts)"
    sed -e "s/central\.example-county\.gov\.cn/$server_name/g" "$HERE/central.env.example" > "$ETC/central.env"
    chmod 0640 "$ETC/central.env"
    chgrp legalkiosk "$ETC/central.env"
fi

log "PostgreSQL: role and database legalkiosk (peer authentication over the local socket)"
systemctl enable --now postgresql >/dev/null
if [ "$(runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'legalkiosk'")" != 1 ]; then
    runuser -u postgres -- createuser legalkiosk
fi
if [ "$(runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'legalkiosk'")" != 1 ]; then
    runuser -u postgres -- createdb --owner=legalkiosk --encoding=UTF8 legalkiosk
fi

log "migrate and collect static files"
as_service() {
    # shellcheck disable=SC2016  # expanded by the inner bash, on purpose
    runuser -u legalkiosk -- bash -c 'set -a; . "$0"; set +a; exec "$@"' "$ETC/central.env" "$@"
}
as_service "$PREFIX/.venv/bin/central" migrate --noinput
as_service "$PREFIX/.venv/bin/central" collectstatic --noinput --verbosity 0

log "systemd units: $nodes node(s) from port $FIRST_PORT, nightly backup"
install -m 0644 "$HERE/legal-kiosk-central@.service" "$HERE/legal-kiosk-backup.service" \
    "$HERE/legal-kiosk-backup.timer" /etc/systemd/system/
systemctl daemon-reload
ports=""
for i in $(seq 0 $((nodes - 1))); do
    ports+="$((FIRST_PORT + i)) "
    systemctl enable --now "legal-kiosk-central@$((FIRST_PORT + i))" >/dev/null
done
systemctl enable --now legal-kiosk-backup.timer >/dev/null

log "nginx: TLS on 443 for $server_name, nodes ${ports% }"
install -m 0644 "$HERE/nginx-proxy.conf" /etc/nginx/legal-kiosk-proxy.conf
"$HERE/render-nginx.sh" --server-name "$server_name" --cert "$cert" --key "$key" --ports "${ports% }" \
    --tuf-dir "$STATE/tuf" --static-dir "$STATE/central/static" \
    --proxy-conf /etc/nginx/legal-kiosk-proxy.conf > /etc/nginx/sites-available/legal-kiosk-central.conf
ln -sf ../sites-available/legal-kiosk-central.conf /etc/nginx/sites-enabled/legal-kiosk-central.conf
rm -f /etc/nginx/sites-enabled/default
nginx -t -q
systemctl enable nginx >/dev/null
systemctl reload-or-restart nginx
log "done. Next: mount the offline keys at CENTRAL_OFFLINE_KEYS_DIR and publish content once:"
log "  runuser -u legalkiosk -- bash -c 'set -a; . $ETC/central.env; exec $PREFIX/.venv/bin/central publish'"
