"""Supervisor terms ending: reminded 90 and 30 days before their last day to the supervisor and
the city bureau's staff, and nobody else; caught up when a run is missed; shown on the calendars
of those who see the supervisor."""

import datetime

import pytest

from audit_portal.accounts.models import User
from audit_portal.notices.kinds import Kind
from supervisors import reminders as supervisor_reminders
from tests.factories import UserFactory
from tests.notices.reminder_helpers import (
    BUILT,
    build_world_on_the_first_of_september,
    people,
    run,
)
from tests.shared_state import shared
from tests.supervisors.factories import SupervisorFactory, TermFactory

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)
LAST_DAY = D(2026, 12, 31)


@pytest.fixture
@shared(build_world_on_the_first_of_september)
def world(_shared_states, db, time_machine):
    time_machine.move_to(BUILT, tick=False)
    return _shared_states.copy(build_world_on_the_first_of_september)


@pytest.fixture
def term(world):
    """A supervisor with an account whose term reaches its end on 31 December 2026."""
    account = UserFactory(username="zhou", role=User.Role.SUPERVISOR, organisation=None)
    supervisor = SupervisorFactory(full_name="周建华", user=account)
    return TermFactory(supervisor=supervisor, starts_on=D(2021, 12, 31), last_day=LAST_DAY)


def test_a_term_is_reminded_of_90_and_30_days_before_its_end(world, time_machine, term):
    mine = f"term:{term.pk}:"
    account = term.supervisor.user
    expected = {account} | people(organisations=[world.city])
    assert run(time_machine, LAST_DAY - 91 * DAY).about(mine) == set()
    for step in (90, 30):
        sent = run(time_machine, LAST_DAY - step * DAY)
        key = f"{mine}ending:{step}"
        assert sent.about(mine) == {key}
        assert sent.to(key) == expected
        assert sent[key][0].kind == Kind.TERM_ENDING
        assert sent.url(key, account) == "/supervisors/me/"
        assert sent.url(key, world.users["city_staff"]) == f"/supervisors/{term.supervisor_id}/"
        assert run(time_machine, LAST_DAY - (step - 1) * DAY).about(mine) == set()
    assert run(time_machine, LAST_DAY).about(mine) == set()


def test_nobody_outside_the_scheme_hears_of_it(world, time_machine, term):
    sent = run(time_machine, LAST_DAY - 90 * DAY)
    heard = sent.to(f"term:{term.pk}:ending:90")
    for persona in ("county_a_staff", "county_b_staff", "station_staff", "supervisor"):
        assert world.users[persona] not in heard
    assert all(
        user == term.supervisor.user or user.organisation_id == world.city.pk for user in heard
    )


def test_a_missed_step_is_caught_up_for_a_week(world, time_machine, term):
    mine = f"term:{term.pk}:"
    assert run(time_machine, LAST_DAY - 25 * DAY).about(mine) == {f"{mine}ending:30"}
    assert run(time_machine, LAST_DAY - 24 * DAY) == {}


def test_a_step_older_than_a_week_is_not_sent(world, time_machine, term):
    assert run(time_machine, LAST_DAY - 20 * DAY).about(f"term:{term.pk}:") == set()


def test_a_term_ended_early_is_not_reminded_of(world, time_machine, term):
    type(term).objects.filter(pk=term.pk).update(
        terminated_on=D(2026, 9, 15), end_kind="resignation", end_reason="本人申请"
    )
    assert run(time_machine, LAST_DAY - 30 * DAY).about(f"term:{term.pk}:") == set()


def uids(user) -> set[str]:
    return {
        event.uid
        for event in supervisor_reminders.calendar_events(
            user, start=D(2026, 9, 1), end=D(2027, 8, 31)
        )
    }


def test_the_calendar_shows_the_term_end_to_the_supervisor_and_the_city_bureau(world, term):
    event = f"term-{term.pk}-end"
    assert event in uids(term.supervisor.user)
    assert event in uids(world.users["city_staff"])
    assert event in uids(world.users["admin"])
    # County staff see only the supervisors working in their county; stations none.
    for persona in ("county_a_staff", "station_staff", "supervisor", "institution_user"):
        assert event not in uids(world.users[persona])
    [mine] = supervisor_reminders.calendar_events(
        term.supervisor.user, start=D(2026, 9, 1), end=D(2027, 8, 31)
    )
    assert mine.day == LAST_DAY
