import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def login(client, time_machine, at):
    time_machine.move_to(at, tick=False)
    UserFactory(username="alice")
    response = client.post(
        reverse("accounts:login"), {"username": "alice", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302


def test_a_session_survives_29_minutes_idle(client, time_machine):
    login(client, time_machine, "2026-11-23 09:00:00+08:00")
    time_machine.move_to("2026-11-23 09:29:00+08:00", tick=False)
    assert client.get(reverse("home")).status_code == 200


def test_a_session_ends_after_30_minutes_idle(client, time_machine):
    login(client, time_machine, "2026-11-23 09:00:00+08:00")
    time_machine.move_to("2026-11-23 09:30:01+08:00", tick=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_an_active_session_ends_12_hours_after_login(client, time_machine):
    login(client, time_machine, "2026-11-23 08:00:00+08:00")
    # Active every 20 minutes all day long.
    moment = 8 * 60
    while moment < 20 * 60 - 20:
        moment += 20
        time_machine.move_to(f"2026-11-23 {moment // 60:02d}:{moment % 60:02d}:00+08:00")
        assert client.get(reverse("home")).status_code == 200, moment
    time_machine.move_to("2026-11-23 20:00:01+08:00", tick=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_cookies_are_secure_in_production_settings():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example"}
    env.pop("SECURE_COOKIES", None)
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='audit_portal.settings.base';"
        "django.setup(); from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY)"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "True", "True"]


def test_a_request_within_a_minute_of_the_last_save_does_not_write_the_session(
    client, time_machine
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, time_machine, "2026-11-23 09:00:00+08:00")
    client.get(reverse("home"))
    time_machine.move_to("2026-11-23 09:00:50+08:00", tick=False)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_activity_more_than_a_minute_apart_keeps_the_session_alive(client, time_machine):
    login(client, time_machine, "2026-11-23 09:00:00+08:00")
    time_machine.move_to("2026-11-23 09:25:00+08:00", tick=False)
    assert client.get(reverse("home")).status_code == 200
    # 30 minutes after login but only 25 after the last activity.
    time_machine.move_to("2026-11-23 09:50:00+08:00", tick=False)
    assert client.get(reverse("home")).status_code == 200
    time_machine.move_to("2026-11-23 10:20:01+08:00", tick=False)
    assert client.get(reverse("home")).status_code == 302
