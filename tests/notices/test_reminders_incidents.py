"""Incident stages overdue: the police record and the final report (once the incident is declared
over), reminded once they are past their time to the reporting body and the bodies alerted,
nobody else; caught up when a run is missed; the final report's day on the calendars of those
who see the incident."""

import datetime

import pytest

from audit_portal.notices.kinds import Kind
from incidents import reminders as incident_reminders
from incidents import services as incident_services
from incidents.models import Kind as IncidentKind
from tests.incidents.factories import figures, file_incident, reporter_for
from tests.notices.reminder_helpers import (
    BUILT,
    at,
    build_world_on_the_first_of_september,
    institution_account,
    people,
    run,
)
from tests.shared_state import shared

pytestmark = pytest.mark.django_db
D = datetime.date
MONDAY = D(2026, 10, 12)


@pytest.fixture
@shared(build_world_on_the_first_of_september)
def world(_shared_states, db, time_machine):
    time_machine.move_to(BUILT, tick=False)
    return _shared_states.copy(build_world_on_the_first_of_september)


@pytest.fixture
def missing(world, time_machine):
    """A resident of institution A missing since 8:30 on Monday 12 October, no police record:
    it is owed at 9:30. County A, the station and the city bureau were alerted."""
    time_machine.move_to(at(MONDAY, 9), tick=False)
    return file_incident(
        world.institution_a,
        actor=world.users["institution_user"],
        kind=IncidentKind.MISSING,
        figures=figures(missing_count=1),
        police=None,
    )


def test_a_police_record_owed_is_reminded_once_past_its_time(world, time_machine, missing):
    key = f"incident:{missing.pk}:police:overdue"
    # At 9:00 the hour is not over; the evening's run finds it overdue.
    assert key not in run(time_machine, MONDAY, hour=9)
    sent = run(time_machine, MONDAY, hour=18)
    reporters = people(institution=world.institution_a)
    receivers = people(organisations=[world.county_a, world.station, world.city])
    assert sent.to(key) == reporters | receivers
    assert sent[key][0].kind == Kind.INCIDENT_STAGE_OVERDUE
    account = world.users["institution_user"]
    assert sent.url(key, account) == f"/incidents/{missing.pk}/police/"
    assert sent.url(key, world.users["county_a_staff"]) == f"/incidents/{missing.pk}/"
    assert missing.number in sent[key][0].text
    # Nobody outside: another county, another institution, a supervisor.
    outsiders = {
        world.users["county_b_staff"],
        world.users["supervisor"],
        institution_account(world.institution_b),
    }
    assert not sent.to(key) & outsiders
    assert key not in run(time_machine, MONDAY + datetime.timedelta(days=1))


def declare_over(incident):
    return incident_services.incident_declare_over(
        incident=incident, actor=reporter_for(incident.institution), reason="事态已平息"
    )


@pytest.fixture
def injury(world, time_machine):
    """An injury at institution B (county B), on Monday 12 October at 8:20, declared over at
    9:00: its final report is due within five working days, by the end of Monday 19 October."""
    time_machine.move_to(at(MONDAY, 9), tick=False)
    incident = file_incident(world.institution_b, minutes_ago=30)
    return declare_over(incident)


def test_a_final_report_is_reminded_once_its_day_is_over(world, time_machine, injury):
    key = f"incident:{injury.pk}:final:overdue"
    due = D(2026, 10, 19)
    assert key not in run(time_machine, due, hour=18)
    sent = run(time_machine, due + datetime.timedelta(days=1), hour=8)
    assert sent.to(key) == people(institution=world.institution_b, organisations=[world.county_b])
    assert world.users["county_a_staff"] not in sent.to(key)
    assert world.users["institution_user"] not in sent.to(key)
    reporter = next(user for user in sent.to(key) if user.institution_id)
    assert sent.url(key, reporter) == f"/incidents/{injury.pk}/final/"


def test_a_missed_day_is_caught_up_for_a_week(world, time_machine, injury):
    key = f"incident:{injury.pk}:final:overdue"
    assert key in run(time_machine, D(2026, 10, 27))


def test_a_stage_overdue_for_over_a_week_is_no_longer_news(world, time_machine, injury):
    assert run(time_machine, D(2026, 10, 28)).about(f"incident:{injury.pk}:") == set()


def test_an_incident_at_the_station_is_reminded_to_its_staff(world, time_machine):
    time_machine.move_to(at(MONDAY, 9), tick=False)
    gone = file_incident(
        station=world.station,
        actor=world.users["station_staff"],
        kind=IncidentKind.MISSING,
        figures=figures(missing_count=1),
        police=None,
    )
    key = f"incident:{gone.pk}:police:overdue"
    sent = run(time_machine, MONDAY, hour=10)
    assert sent.to(key) == people(organisations=[world.station, world.city])
    assert sent.url(key, world.users["station_staff"]) == f"/incidents/{gone.pk}/police/"
    assert sent.url(key, world.users["city_staff"]) == f"/incidents/{gone.pk}/"
    assert world.users["county_a_staff"] not in sent.to(key)


def uids(user) -> set[str]:
    return {
        event.uid
        for event in incident_reminders.calendar_events(
            user, start=D(2026, 10, 1), end=D(2026, 12, 31)
        )
    }


def test_the_calendar_shows_the_final_report_day_to_those_who_see_the_incident(
    world, time_machine, missing, injury
):
    declare_over(missing)
    a, b = f"incident-{missing.pk}-final", f"incident-{injury.pk}-final"
    assert {a, b} <= uids(world.users["city_staff"])
    assert a in uids(world.users["county_a_staff"]) and b not in uids(world.users["county_a_staff"])
    assert b in uids(world.users["county_b_staff"]) and a not in uids(world.users["county_b_staff"])
    assert uids(world.users["institution_user"]) & {a, b} == {a}
    assert not uids(world.users["supervisor"])
    [event] = [
        event
        for event in incident_reminders.calendar_events(
            world.users["county_b_staff"], start=D(2026, 10, 1), end=D(2026, 12, 31)
        )
        if event.uid == b
    ]
    assert event.day == D(2026, 10, 19)
    assert injury.number in event.summary
