#!/usr/bin/env bash
# Print the nginx site for the central nodes (deploy/central/nginx-site.conf.in filled in).
#   render-nginx.sh --server-name central.example.gov.cn --cert /etc/ssl/c.pem --key /etc/ssl/c.key \
#       --ports "8701 8702" [--tuf-dir DIR] [--static-dir DIR] [--proxy-conf FILE] \
#       [--https-listen 443] [--http-listen 80] > /etc/nginx/sites-available/legal-kiosk-central.conf
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
server_name="" cert="" key="" ports="8701 8702"
tuf_dir=/var/lib/legal-kiosk/tuf static_dir=/var/lib/legal-kiosk/central/static
proxy_conf=/etc/nginx/legal-kiosk-proxy.conf https_listen=443 http_listen=80

die() { echo "render-nginx.sh: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || die "$1 needs a value"
    case "$1" in
        --server-name) server_name=$2 ;;
        --cert) cert=$2 ;;
        --key) key=$2 ;;
        --ports) ports=$2 ;;
        --tuf-dir) tuf_dir=$2 ;;
        --static-dir) static_dir=$2 ;;
        --proxy-conf) proxy_conf=$2 ;;
        --https-listen) https_listen=$2 ;;
        --http-listen) http_listen=$2 ;;
        *) die "unknown option $1" ;;
    esac
    shift 2
done
[ -n "$server_name" ] || die "--server-name is required"
{ [ -n "$cert" ] && [ -n "$key" ]; } || die "--cert and --key are required (TLS only)"

servers=""
for port in $ports; do
    case "$port" in *[!0-9]*|"") die "port '$port' is not a number" ;; esac
    # A node that refuses is left alone for 5 s, then tried again.
    servers+="    server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;"$'\n'
done
[ -n "$servers" ] || die "--ports lists no node"

conf=$(<"$HERE/nginx-site.conf.in")
conf=${conf//@UPSTREAM_SERVERS@/${servers%$'\n'}}
conf=${conf//@SERVER_NAME@/$server_name}
conf=${conf//@CERT@/$cert}
conf=${conf//@KEY@/$key}
conf=${conf//@TUF_DIR@/$tuf_dir}
conf=${conf//@STATIC_DIR@/$static_dir}
conf=${conf//@PROXY_CONF@/$proxy_conf}
conf=${conf//@HTTPS_LISTEN@/$https_listen}
conf=${conf//@HTTP_LISTEN@/$http_listen}
printf '%s\n' "$conf"
