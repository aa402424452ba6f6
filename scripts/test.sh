#!/usr/bin/env bash
# Runs the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL), in parallel
# (pytest-xdist, one process and one test database per core) and in a random order
# (pytest-randomly; the seed is printed in the header, rerun with -p randomly --randomly-seed=N).
# Extra arguments go to pytest, e.g. scripts/test.sh tests/accounts -k login, or -n 0 to run
# in one process.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/bootstrap.sh

# Each test process (and each command a test starts) compiles the project's modules and pytest
# rewrites the test modules: kept in __pycache__ (ignored by git) when the environment says not
# to write bytecode, so the next process reads them instead of compiling ~700 files again.
unset PYTHONDONTWRITEBYTECODE

parallel=(-n auto)
for arg in "$@"; do
  case "$arg" in
    -n | -n* | --numprocesses* | no:xdist) parallel=() ;;
  esac
done
exec .venv/bin/python -m pytest "${parallel[@]}" "$@"
