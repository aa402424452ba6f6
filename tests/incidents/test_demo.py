import pytest
from django.core.management import call_command

from incidents.models import Incident, Kind

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


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
    seed()
    assert (
        Incident.objects.count(),
        sum(i.reports.count() for i in Incident.objects.all()),
    ) == counts
