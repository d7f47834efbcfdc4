#!/usr/bin/env bash
# Back up the central service: the database (pg_dump, custom format) and the TUF repository.
#   backup.sh DEST_DIR      (DATABASE_URL and CENTRAL_TUF_DIR from the environment,
#                            e.g. /etc/legal-kiosk/central.env; KEEP_DAYS, default 14)
# Writes DEST_DIR/central-STAMP.dump and DEST_DIR/tuf-STAMP.tar.gz, checks the dump can be
# read back (pg_restore --list), removes backups older than KEEP_DAYS, and prints the dump's
# path. The offline signing keys are not here: they live on their own removable media.
set -euo pipefail
umask 077

dest=${1:?usage: backup.sh DEST_DIR}
: "${DATABASE_URL:?DATABASE_URL is not set (source /etc/legal-kiosk/central.env)}"
keep_days=${KEEP_DAYS:-14}
case "$DATABASE_URL" in
    postgres://*|postgresql://*) ;;
    *) echo "backup.sh: DATABASE_URL is not PostgreSQL; copy the SQLite file instead" >&2; exit 2 ;;
esac

mkdir -p "$dest"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dump="$dest/central-$stamp.dump"

# A consistent snapshot without stopping the nodes (pg_dump runs in one transaction).
pg_dump --format=custom --no-owner --no-privileges --file="$dump.part" --dbname="$DATABASE_URL"
pg_restore --list "$dump.part" >/dev/null
mv "$dump.part" "$dump"

if [ -n "${CENTRAL_TUF_DIR:-}" ] && [ -d "$CENTRAL_TUF_DIR" ]; then
    tar --create --gzip --file="$dest/tuf-$stamp.tar.gz.part" --exclude=.lock --exclude='*.tmp' \
        --directory="$CENTRAL_TUF_DIR" .
    mv "$dest/tuf-$stamp.tar.gz.part" "$dest/tuf-$stamp.tar.gz"
fi

find "$dest" -maxdepth 1 -type f \( -name 'central-*.dump' -o -name 'tuf-*.tar.gz' \) \
    -mtime +"$keep_days" -delete
echo "$dump"
