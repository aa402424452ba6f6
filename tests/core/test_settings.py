"""Settings come from the environment, with safe defaults (issue 2): each case starts a fresh
interpreter because the settings module reads the environment once, at import."""

import json
import os
import subprocess
import sys
from pathlib import Path

READ = (
    "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE']='audit_portal.settings.base';"
    "from django.conf import settings as s; db = s.DATABASES['default'];"
    "print(json.dumps({'debug': s.DEBUG, 'engine': db['ENGINE'], 'name': str(db['NAME']),"
    " 'conn_max_age': db['CONN_MAX_AGE'], 'time_zone': s.TIME_ZONE,"
    " 'language': s.LANGUAGE_CODE, 'languages': [c for c, _ in s.LANGUAGES],"
    " 'tasks': s.TASKS['default']['BACKEND'], 'mail': s.EMAIL_BACKEND,"
    " 'mail_port': getattr(s, 'EMAIL_PORT', None), 'mail_ssl': getattr(s, 'EMAIL_USE_SSL', None),"
    " 'cache': s.CACHES['default']['BACKEND'], 'cache_at': s.CACHES['default'].get('LOCATION'),"
    " 'sessions': s.SESSION_ENGINE}))"
)


def run_settings(**env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CONN_MAX_AGE", "DATA_DIR"}
        and not key.startswith("EMAIL_")
        and key != "REDIS_URL"
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", READ], env=environment, capture_output=True, text=True, check=False
    )


def settings_with(**env: str) -> dict:
    result = run_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_secret_key_is_required_when_not_in_debug():
    result = run_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_asked(tmp_path):
    assert settings_with(SECRET_KEY="x" * 50, DATA_DIR=str(tmp_path))["debug"] is False
    assert settings_with(DEBUG="1", DATA_DIR=str(tmp_path))["debug"] is True


def test_the_default_database_is_a_sqlite_file_in_the_data_folder(tmp_path):
    values = settings_with(SECRET_KEY="x" * 50, DATA_DIR=str(tmp_path))
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].startswith(str(tmp_path))


def test_postgresql_connections_are_kept(tmp_path):
    values = settings_with(
        SECRET_KEY="x" * 50,
        DATA_DIR=str(tmp_path),
        DATABASE_URL="postgres://audit@db.example:5432/audit",
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["conn_max_age"] == 600


def test_china_time_and_chinese_first(tmp_path):
    values = settings_with(SECRET_KEY="x" * 50, DATA_DIR=str(tmp_path))
    assert values["time_zone"] == "Asia/Shanghai"
    assert values["language"] == "zh-hans"
    assert values["languages"] == ["zh-hans", "en"]


def test_background_work_goes_to_the_database_queue(tmp_path):
    values = settings_with(SECRET_KEY="x" * 50, DATA_DIR=str(tmp_path))
    assert values["tasks"] == "django_tasks_db.DatabaseBackend"


def test_mail_goes_to_the_console_until_an_smtp_server_is_named(tmp_path):
    values = settings_with(SECRET_KEY="x" * 50, DATA_DIR=str(tmp_path))
    assert values["mail"] == "django.core.mail.backends.console.EmailBackend"
    values = settings_with(SECRET_KEY="x" * 50, DATA_DIR=str(tmp_path), EMAIL_HOST="smtp.example")
    assert values["mail"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["mail_port"], values["mail_ssl"]) == (465, True)


def test_the_cache_is_shared_through_redis_when_one_is_named(tmp_path):
    values = settings_with(SECRET_KEY="x" * 50, DATA_DIR=str(tmp_path))
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    values = settings_with(
        SECRET_KEY="x" * 50, DATA_DIR=str(tmp_path), REDIS_URL="redis://127.0.0.1:6379/1"
    )
    assert (values["cache"], values["cache_at"]) == (
        "audit_portal.core.cache.RedisCache",
        "redis://127.0.0.1:6379/1",
    )


def test_the_redis_cache_keeps_one_client_per_server():
    # Django's own client builds a redis.Redis for every operation (~0.3 ms each, several per
    # page); nothing connects until a command is sent, so no server is needed here.
    from audit_portal.core.cache import RedisCache

    cache = RedisCache("redis://127.0.0.1:6379/1;redis://127.0.0.1:6379/2", {})
    writer = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is writer
    assert cache._cache.get_client(write=False) is cache._cache.get_client(write=False)
    assert cache._cache.get_client(write=False) is not writer
    assert writer.connection_pool.connection_kwargs["db"] == 1


def test_sessions_are_read_from_the_cache_only_when_it_is_shared(tmp_path):
    values = settings_with(SECRET_KEY="x" * 50, DATA_DIR=str(tmp_path))
    assert values["sessions"] == "django.contrib.sessions.backends.db"
    values = settings_with(
        SECRET_KEY="x" * 50, DATA_DIR=str(tmp_path), REDIS_URL="redis://127.0.0.1:6379/1"
    )
    assert values["sessions"] == "django.contrib.sessions.backends.cached_db"


def test_the_worker_command_exists():
    from django.core.management import get_commands

    assert get_commands()["db_worker"] == "django_tasks_db"


def _manage(*args: str, data_dir) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="audit_portal.settings.base", DATA_DIR=str(data_dir))
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_migration_checks_run_without_a_key_but_the_site_does_not(tmp_path):
    assert _manage("makemigrations", "--check", "--dry-run", data_dir=tmp_path).returncode == 0
    refused = _manage("check", data_dir=tmp_path)
    assert refused.returncode != 0
    assert "SECRET_KEY must be set" in refused.stderr
