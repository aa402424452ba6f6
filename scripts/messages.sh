#!/usr/bin/env bash
# Refreshes the translation catalogues after UI text changed: one for the shared base
# (locale/: audit_portal/ and templates/) and one per app (<app>/locale/). Fill in the new
# entries of each django.po, then run the tests (tests/core/test_translations.py).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DEBUG=1 DJANGO_SETTINGS_MODULE=audit_portal.settings.base PYTHONPATH="$ROOT"
APPS=(inspections residents supervisors incidents openday)
ignores=(--ignore=.venv --ignore=tests --ignore=data --ignore=staticfiles --ignore=scripts)
for app in "${APPS[@]}"; do ignores+=(--ignore="$app"); done
.venv/bin/python manage.py makemessages -l zh_Hans --no-obsolete "${ignores[@]}"
for app in "${APPS[@]}"; do
  mkdir -p "$app/locale"
  (cd "$app" && ../.venv/bin/django-admin makemessages -l zh_Hans --no-obsolete --ignore=migrations)
done
