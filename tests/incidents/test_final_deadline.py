"""The final report is due when the follow-up window ends (30 days, 7 for a fire): a late one is
flagged on its stage, in the list's late filter and, while it has not come, on the overdue list."""

import datetime

import pytest
from django.urls import reverse

from incidents import services
from incidents.models import Kind, Stage
from incidents.selectors import overdue_stages
from tests.incidents.factories import FINAL, figures, file_incident, final

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def filed(world, time_machine):
    """An injury and a fire at institution A, each discovered 30 minutes before START."""
    time_machine.move_to(START, tick=False)
    injury = file_incident(world.institution_a, kind=Kind.INJURY)
    fire = file_incident(world.institution_a, kind=Kind.FIRE)
    return injury, fire


def numbers(client, query) -> set[str]:
    page = client.get(reverse("incidents:incident_list"), query).context["page"]
    return {incident.number for incident in page}


def test_a_final_report_on_the_last_minute_of_the_window_is_on_time(
    world, filed, client_for, time_machine
):
    injury, _fire = filed
    time_machine.move_to(injury.occurred_at + datetime.timedelta(days=30), tick=False)
    report = final(injury)
    assert report.due_at == injury.followup_window_ends_at
    assert report.late_by is None
    client = client_for("county_a_staff")
    assert injury.number not in numbers(client, {"late": "yes"})
    assert injury.number in numbers(client, {"late": "no"})


def test_a_final_report_after_the_window_is_late_in_the_list_and_timeline(
    world, filed, client_for, time_machine
):
    injury, _fire = filed
    time_machine.move_to(injury.followup_window_ends_at + 2 * datetime.timedelta(hours=1))
    report = final(injury)
    assert report.stage == Stage.FINAL
    assert report.late_by >= 2 * datetime.timedelta(hours=1)
    client = client_for("county_a_staff")
    assert injury.number in numbers(client, {"late": "yes"})
    assert injury.number not in numbers(client, {"late": "no"})
    listing = client.get(reverse("incidents:incident_list"), {"late": "yes"}).content.decode()
    assert "终报迟报" in listing
    detail = client.get(reverse("incidents:incident_detail", args=[injury.pk])).content.decode()
    assert "终报时限（迟报 2" in detail


def test_a_fire_has_seven_days_and_other_kinds_thirty(world, filed, client_for, time_machine):
    injury, fire = filed
    time_machine.move_to(fire.occurred_at + datetime.timedelta(days=7) + MINUTE, tick=False)
    assert final(fire).late_by == MINUTE
    assert final(injury).late_by is None
    late = numbers(client_for("county_a_staff"), {"late": "yes"})
    assert fire.number in late
    assert injury.number not in late


def test_an_overdue_final_is_on_the_overdue_list_and_in_the_late_filter(
    world, filed, client_for, time_machine
):
    _injury, fire = filed
    time_machine.move_to(fire.followup_window_ends_at, tick=False)
    assert fire.pk not in {row.incident.pk for row in overdue_stages(world.users["county_a_staff"])}
    time_machine.move_to(fire.followup_window_ends_at + MINUTE, tick=False)
    rows = overdue_stages(world.users["county_a_staff"])
    assert [row.due_at for row in rows if row.incident.pk == fire.pk] == [
        fire.followup_window_ends_at
    ]
    client = client_for("county_a_staff")
    assert fire.number in numbers(client, {"late": "yes"})
    assert str(fire) in client.get(reverse("home")).content.decode()
    # Filed late, it leaves the overdue list and stays flagged as late.
    final(fire)
    rows = overdue_stages(world.users["county_a_staff"])
    assert fire.pk not in {row.incident.pk for row in rows}
    assert fire.number in numbers(client, {"late": "yes"})


def test_an_amendment_of_the_final_report_is_not_itself_late(world, filed, time_machine):
    injury, _fire = filed
    time_machine.move_to(injury.discovered_at + datetime.timedelta(days=1), tick=False)
    report = final(injury)
    time_machine.move_to(injury.discovered_at + datetime.timedelta(days=40), tick=False)
    amendment = services.report_amend(
        report=report,
        actor=report.submitted_by,
        reason="更正伤情",
        fields={**FINAL, "event_time": injury.occurred_at},
        figures=figures(),
    )
    assert amendment.due_at is None and amendment.late_by is None


def test_the_window_counts_from_when_the_incident_happened_not_its_discovery(world, time_machine):
    """Order 493 art. 10: within 30 days (fire: 7) of the day it happened."""
    time_machine.move_to(START, tick=False)
    incident = file_incident(world.institution_a, kind=Kind.INJURY)
    assert incident.followup_window_ends_at == incident.occurred_at + datetime.timedelta(days=30)
    assert incident.occurred_at < incident.discovered_at
    time_machine.move_to(incident.occurred_at + datetime.timedelta(days=30) + MINUTE, tick=False)
    assert final(incident).late_by == MINUTE


def test_the_home_panel_shows_the_most_overdue_stages_and_counts_the_rest(
    world, client_for, time_machine, monkeypatch
):
    from incidents import selectors

    monkeypatch.setattr(selectors, "PANEL_ROWS", 2)
    incidents = [file_incident(world.institution_a, minutes_ago=30 + i) for i in range(3)]
    time_machine.move_to(incidents[0].followup_window_ends_at + MINUTE, tick=False)
    staff = world.users["county_a_staff"]
    every = selectors.overdue_stages(staff)
    assert {incident.pk for incident in incidents} <= {row.incident.pk for row in every}
    panel = selectors.overdue_panel(staff)
    # The longest overdue first, the rest counted.
    assert panel["overdue"] == every[:2]
    assert panel["more"] == len(every) - 2 >= 1
    page = client_for("county_a_staff").get(reverse("home")).content.decode()
    assert f"另有 {len(every) - 2} 项逾期环节" in page
