"""``manage.py purge_security_events``: deletes what is older than the retention period, never
keeps less than 180 days (网络安全法 art. 21)."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError

from audit_portal.security.models import SecurityEvent

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 3, 0, tzinfo=datetime.UTC)


def event_aged(days: float) -> SecurityEvent:
    return SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.LOGIN, username=f"aged-{days}", at=NOW - datetime.timedelta(days)
    )


def purge() -> str:
    out = StringIO()
    call_command("purge_security_events", stdout=out)
    return out.getvalue()


def test_it_deletes_only_events_older_than_180_days_by_default(time_machine):
    time_machine.move_to(NOW, tick=False)
    kept = [event_aged(0), event_aged(179), event_aged(179.99)]
    event_aged(180.01)
    event_aged(400)
    assert "purged 2 security event(s) older than 180 days" in purge()
    assert set(SecurityEvent.objects.all()) == set(kept)


def test_an_area_may_keep_the_log_longer(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"security_event_retention_days": 365})
    kept = event_aged(300)
    event_aged(366)
    purge()
    assert list(SecurityEvent.objects.all()) == [kept]


def test_a_retention_under_180_days_is_refused_and_nothing_is_deleted(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"security_event_retention_days": 90})
    event_aged(100)
    with pytest.raises(CommandError, match="at least 180 days"):
        purge()
    assert SecurityEvent.objects.count() == 1


def test_the_system_check_refuses_a_retention_under_180_days(settings):
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"security_event_retention_days": 179})
    with pytest.raises(SystemCheckError, match=r"security\.E001"):
        call_command("check", stdout=StringIO())
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"security_event_retention_days": 180})
    call_command("check", stdout=StringIO())
