#!/usr/bin/env bash
# The backup and restore drill on PostgreSQL: a scratch database is migrated (or copied from the
# already migrated database DRILL_TEMPLATE), given the demo data (with its evidence files: the
# institutions' scanned documents), backed up (manage.py backup), and the backup restored into
# another empty database and verified (manage.py restore_check: rows per table, evidence hashes,
# encrypted data readable, audit chain). Exits non-zero on any failure. Every scratch database
# and folder is removed afterwards.
#
#   DRILL_SERVER   the server, as a URL without a database (postgres://postgres@127.0.0.1:5432)
#   DRILL_TEMPLATE a migrated database to start from instead of migrating (CI: ci_migrate)
set -euo pipefail
cd "$(dirname "$0")/.."

SERVER="${DRILL_SERVER:-postgres://postgres@127.0.0.1:5432}"
SOURCE="restore_drill_$$"
WORK="$(mktemp -d)"

export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-audit_portal.settings.base}"
export DEBUG=1 DATABASE_URL="$SERVER/$SOURCE" MEDIA_ROOT="$WORK/media"
# Keys of this drill only, as production sets them (not derived from SECRET_KEY).
export SECRET_KEY="drill-$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
export FIELD_ENCRYPTION_KEYS="$(head -c 32 /dev/urandom | base64 | tr '+/' '-_')"
export FIELD_BLIND_INDEX_KEY="drill-$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"

database() {
  .venv/bin/python - "$SERVER" "$@" <<'PY'
import sys

import psycopg

server, action, name, *template = sys.argv[1:]
with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
    if action == "create":
        clause = f' TEMPLATE "{template[0]}"' if template and template[0] else ""
        admin.execute(f'CREATE DATABASE "{name}"{clause}')
    else:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
PY
}

cleanup() {
  database drop "$SOURCE" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

database create "$SOURCE" "${DRILL_TEMPLATE:-}"
if [ -z "${DRILL_TEMPLATE:-}" ]; then
  .venv/bin/python manage.py migrate --noinput -v0
fi
.venv/bin/python manage.py seed_demo >/dev/null
folder="$(.venv/bin/python manage.py backup --to "$WORK/backups")"
echo "backup written: $folder ($(du -sh "$folder" | cut -f1))"
.venv/bin/python - "$folder/manifest.json" <<'PY'
import json
import sys

manifest = json.load(open(sys.argv[1]))
rows = sum(manifest["row_counts"].values())
print(f"manifest: {len(manifest['row_counts'])} tables, {rows} rows, "
      f"{len(manifest['evidence']['sample'])} evidence files sampled")
assert manifest["evidence"]["sample"], "seed_demo uploaded no evidence file to back up"
PY
# An empty media folder for the restore: the check extracts the backup's own copy.
rm -rf "$MEDIA_ROOT"
.venv/bin/python manage.py restore_check --from "$folder"
