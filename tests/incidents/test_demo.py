import pytest

from incidents.models import Incident, Kind
from tests.unrendered import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_open_incident_with_a_follow_up_and_a_closed_one(demo):
    open_ = Incident.objects.get(kind=Kind.MISSING)
    assert open_.status == Incident.Status.OPEN
    assert open_.reports.filter(stage="followup").exists()
    closed = Incident.objects.get(kind=Kind.INJURY)
    assert closed.status == Incident.Status.CLOSED
    assert closed.is_late
    assert closed.alerts.exists()


def test_the_demo_is_idempotent(demo):
    counts = (Incident.objects.count(), sum(i.reports.count() for i in Incident.objects.all()))
    seed_demo()
    assert (
        Incident.objects.count(),
        sum(i.reports.count() for i in Incident.objects.all()),
    ) == counts


def test_the_demo_alerts_reach_the_staff_of_the_alerted_bodies(demo):
    from audit_portal.accounts.models import User
    from audit_portal.notices.models import Notification

    missing = Incident.objects.get(kind=Kind.MISSING)
    for username in ("donghu", "station", "city"):
        user = User.objects.get(username=username)
        told = Notification.objects.filter(recipient=user, kind="incident_alert")
        assert told.filter(key__startswith=f"incident:{missing.pk}:").exists(), username
    assert not Notification.objects.filter(
        recipient__username="xishan", kind="incident_alert"
    ).exists()
