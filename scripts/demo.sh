#!/usr/bin/env bash
# Runs the application on SQLite with demo data at http://127.0.0.1:8000 (Ctrl-C stops it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/bootstrap.sh

export DEBUG="${DEBUG:-1}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-audit_portal.settings.base}"
PORT="${PORT:-8000}"

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo

# Background work (notification mail and group-robot messages) runs in a worker beside the web
# server.
.venv/bin/python manage.py db_worker >data/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT

echo "==> Open http://127.0.0.1:${PORT}/ and log in with an account above."
.venv/bin/python manage.py runserver "127.0.0.1:${PORT}"
