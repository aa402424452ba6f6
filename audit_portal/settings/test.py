"""Settings for the test suite: the same application, fast hashing, tasks run inline."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("DEBUG", "false")
# Fixed test keys (not secrets): a Fernet key and the blind indexes' key.
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "dGVzdC1vbmx5LWZpZWxkLWVuY3J5cHRpb24ta2V5ISE=")
os.environ.setdefault("FIELD_BLIND_INDEX_KEY", "test-only-blind-index-key")

from audit_portal.settings.base import *  # noqa: F403
from audit_portal.settings.base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One folder per test process (each pytest-xdist worker has its own), removed when it exits.
MEDIA_ROOT = tempfile.mkdtemp(prefix="audit-portal-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
LANGUAGE_CODE = "zh-hans"
# Most tests log staff in with force_login; the two-step verification tests switch it back on.
TWO_FACTOR_REQUIRED = False

if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # Keep one connection per test process; the test database is created fresh anyway.
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    # A test's commits (live-server and transaction tests, the states they build row by row)
    # need not wait for the disk: the test database is thrown away after the run.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
    # Several developers (or CI jobs) sharing one server each get their own test database.
    if os.environ.get("TEST_DB_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DB_NAME"]}

# No collectstatic in tests: WhiteNoise serves from the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The browser tests' Chromium keeps the style sheets and icons it fetched for ten minutes instead
# of asking the live server for them again on every page (autorefresh alone sends max-age=0).
WHITENOISE_MAX_AGE = 600
