"""A final report that leaves residents missing is never filed in passing: the form warns and
asks for an explicit confirmation, and the service refuses without it."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from incidents.models import Kind, Stage
from tests.incidents.factories import FINAL, figures, file_incident, final

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def missing(world, time_machine):
    time_machine.move_to(START, tick=False)
    return file_incident(
        world.institution_a,
        actor=world.users["institution_user"],
        kind=Kind.MISSING,
        figures=figures(missing_count=1),
    )


def test_the_service_refuses_a_final_report_with_residents_missing_unconfirmed(missing):
    with pytest.raises(ValidationError) as refused:
        final(missing, figures=figures(missing_count=1))
    assert "missing_confirmed" in refused.value.message_dict
    missing.refresh_from_db()
    assert missing.over_at is None  # nothing of it kept
    report = final(missing, figures=figures(missing_count=1), missing_confirmed=True)
    assert report.stage == Stage.FINAL and report.missing_count == 1


def test_the_form_warns_and_asks_for_the_confirmation(world, missing, client_for):
    client = client_for("institution_user")
    url = reverse("incidents:incident_final", args=[missing.pk])
    page = client.get(url)
    assert page.context["still_missing"]
    assert page.context["form"]["missing_count"].value() == 1
    data = {
        **FINAL,
        "event_time": "2026-06-01T09:20",
        "deaths": 0,
        "serious_injuries": 0,
        "direct_loss": "0",
        "missing_count": 1,
        "over_reason": "搜寻工作已转交公安",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "missing_confirmed" in response.context["form"].errors
    assert not missing.reports.filter(stage=Stage.FINAL).exists()
    assert client.post(url, {**data, "missing_confirmed": "on"}).status_code == 302
    assert missing.reports.get(stage=Stage.FINAL).missing_count == 1
