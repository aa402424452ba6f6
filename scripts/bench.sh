#!/usr/bin/env bash
# The city-scale benchmark, one command: PostgreSQL databases seeded with `manage.py seed_scale`
# at 50 and 500 institutions (kept for the next run; --reseed seeds them again), gunicorn on the
# bigger one, every listed page driven next to the floor pages, the export and PDF timings; prints
# a Markdown report for the README (also written to data/bench/last.md).
# Needs a PostgreSQL server the user `postgres` reaches without a password (--server to change).
# Arguments go to scripts/bench.py, e.g. scripts/bench.sh --institutions 20 200 --seconds 5
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/bootstrap.sh >&2  # its progress is not part of the report
exec .venv/bin/python scripts/bench.py "$@"
