"""Closing an incident is a staff decision with its reason, once nothing is missing: the final
report, the police record it owes and the reports to the safety regulators its kind requires.
A refusal lists everything still missing; the incident page says the same before anyone tries."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from incidents import services
from incidents.models import Incident, Kind, PoliceRecord, Regulator
from tests.incidents.factories import figures, file_incident, final, police, tell_regulators

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def close(incident, world, text="处置完毕，同意结案"):
    return services.incident_close(
        incident=incident, actor=world.users["county_a_staff"], text=text
    )


def refusal(incident, world, **kwargs) -> str:
    with pytest.raises(ValidationError) as refused:
        close(incident, world, **kwargs)
    [message] = refused.value.messages
    return message


@pytest.fixture
def fire(world, time_machine):
    """A fire in which a resident died, reported without the police call or the regulators."""
    time_machine.move_to(START, tick=False)
    return file_incident(
        world.institution_a, kind=Kind.FIRE, figures=figures(deaths=1), police=None
    )


def test_every_missing_item_is_listed_until_the_incident_may_be_closed(world, fire, client_for):
    message = refusal(fire, world, text="")
    for item in (
        _("the final report"),
        str(PoliceRecord.Kind.DEATH.label),
        str(Regulator.FIRE_RESCUE.label),
        str(Regulator.EMERGENCY_MANAGEMENT.label),
        _("the reason for closing it"),
    ):
        assert item in message
    page = client_for("county_a_staff").get(reverse("incidents:incident_detail", args=[fire.pk]))
    assert page.context["close_missing"]
    assert str(Regulator.FIRE_RESCUE.label) in page.content.decode()
    assert reverse("incidents:incident_close", args=[fire.pk]) not in page.content.decode()

    services.police_record_add(incident=fire, actor=world.users["institution_user"], **police())
    final(fire)
    fire.refresh_from_db()
    message = refusal(fire, world)
    assert str(Regulator.FIRE_RESCUE.label) in message
    assert _("the final report") not in message
    assert str(PoliceRecord.Kind.DEATH.label) not in message

    tell_regulators(fire)
    assert _("the reason for closing it") in refusal(fire, world, text="  ")
    close(fire, world)
    fire.refresh_from_db()
    assert fire.status == Incident.Status.CLOSED
    closure = fire.notes.get(kind="closure")
    assert closure.text == "处置完毕，同意结案"


def test_the_page_closes_with_a_reason_and_a_second_submit_gets_a_message(world, fire, client_for):
    services.police_record_add(incident=fire, actor=world.users["institution_user"], **police())
    final(fire)
    tell_regulators(fire)
    client = client_for("county_a_staff")
    url = reverse("incidents:incident_close", args=[fire.pk])
    response = client.post(url, {"text": ""}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    fire.refresh_from_db()
    assert fire.status == Incident.Status.FINAL
    assert client.post(url, {"text": "同意结案"}).status_code == 302
    fire.refresh_from_db()
    assert fire.status == Incident.Status.CLOSED
    response = client.post(url, {"text": "同意结案"}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
