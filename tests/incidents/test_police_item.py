"""An initial report is never refused for a missing police record (refusing it would make it
late): the record owed becomes an item of its own, shown owed and overdue on the incident page,
in the list, in the reporting body's inbox and on the overdue list."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from incidents import inbox, selectors, services
from incidents.models import Kind
from tests.incidents.factories import figures, file_incident

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def missing(world, time_machine):
    """A resident missing for 90 minutes, reported without the police call."""
    time_machine.move_to(START, tick=False)
    return file_incident(
        world.institution_a,
        actor=world.users["institution_user"],
        kind=Kind.MISSING,
        minutes_ago=90,
        figures=figures(missing_count=1),
        police=None,
    )


def test_the_initial_report_is_accepted_without_the_police_details(world, missing):
    assert missing.reports.get().stage == "initial"
    assert not missing.police_records.exists()
    assert missing.police_outstanding(START)


def test_the_police_item_is_overdue_on_the_page_the_list_and_the_inbox(world, missing, client_for):
    client = client_for("institution_user")
    page = client.get(reverse("incidents:incident_detail", args=[missing.pk])).content.decode()
    assert 'id="police-owed"' in page
    assert reverse("incidents:police_record_add", args=[missing.pk]) in page
    listing = client.get(reverse("incidents:incident_list"))
    [row] = [i for i in listing.context["page"] if i.pk == missing.pk]
    assert row.police_owed
    section = inbox.incidents_owing_police(
        world.users["institution_user"], on=START.date(), limit=5
    )
    [item] = [item for item in section.items if missing.number in item.title]
    assert item.overdue and item.due == missing.police_report_due_at
    staff = world.users["county_a_staff"]
    assert missing.pk in {row.incident.pk for row in selectors.overdue_stages(staff)}


def test_recording_the_police_call_clears_the_item(world, missing, client_for):
    services.police_record_add(
        incident=missing,
        actor=world.users["institution_user"],
        reported_at=START - datetime.timedelta(minutes=20),
        police_station="东湖派出所",
        case_number="JJ-1",
    )
    page = client_for("institution_user").get(
        reverse("incidents:incident_detail", args=[missing.pk])
    )
    assert 'id="police-owed"' not in page.content.decode()
    section = inbox.incidents_owing_police(
        world.users["institution_user"], on=START.date(), limit=5
    )
    assert not any(missing.number in item.title for item in section.items)
