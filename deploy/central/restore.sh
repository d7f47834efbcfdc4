#!/usr/bin/env bash
# Restore a central database dump (from backup.sh) into an EMPTY PostgreSQL database.
#   restore.sh DUMP TARGET_DATABASE_URL
# Refuses a database that already has tables: restore into a fresh one (createdb), check
# it, then point DATABASE_URL at it and restart the nodes. The TUF repository comes back
# from tuf-STAMP.tar.gz of the same night: tar -xzf ... -C "$CENTRAL_TUF_DIR".
set -euo pipefail

dump=${1:?usage: restore.sh DUMP TARGET_DATABASE_URL}
target=${2:?usage: restore.sh DUMP TARGET_DATABASE_URL}
[ -r "$dump" ] || { echo "restore.sh: cannot read $dump" >&2; exit 2; }

tables=$(psql --no-psqlrc --tuples-only --no-align --dbname="$target" \
    --command="SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
    echo "restore.sh: the target database already has $tables table(s); restore into an empty one" >&2
    exit 1
fi
# One transaction: either everything is restored or nothing is.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$target" "$dump"
echo "restored $dump"
