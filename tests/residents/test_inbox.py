"""Overdue steps pushed to the placing station: the to-do inbox's sections, the home panel and
the daily reminders; each lists what is overdue in the station's scope, nothing for other roles,
and the item goes once the step is done through the service."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from residents import inbox, reminders, services
from residents.models import IdentityStep
from tests.residents.factories import admit

pytestmark = pytest.mark.django_db


def titles(source, user) -> list[str] | None:
    section = source(user, on=timezone.localdate(), limit=10)
    return None if section is None else [item.title for item in section.items]


@pytest.fixture
def late(world):
    """A resident admitted 30 hours ago: the 24-hour family-search notice is overdue."""
    return admit(
        world.agreement_a,
        name="无名氏逾期",
        admitted_at=timezone.now() - datetime.timedelta(hours=30),
    )


def test_an_overdue_notice_waits_in_the_stations_inbox_until_published(world, late):
    station = world.users["station_staff"]
    assert any("无名氏逾期" in title for title in titles(inbox.search_notices_overdue, station))
    services.identity_step_complete(
        step=late.identity_steps.get(kind=IdentityStep.Kind.NOTICE),
        done_at=timezone.now(),
        outcome=IdentityStep.Outcome.DONE,
        actor=station,
    )
    assert not any("无名氏逾期" in t for t in titles(inbox.search_notices_overdue, station))


@pytest.mark.parametrize("persona", ["institution_user", "county_a_staff", "supervisor", "admin"])
def test_the_sections_concern_only_the_placing_station(world, late, persona):
    for source in (
        inbox.search_notices_overdue,
        inbox.police_answers_overdue,
        inbox.long_stays_unsettled,
        inbox.follow_ups_missed,
    ):
        assert titles(source, world.users[persona]) is None
    assert inbox.station_panel(world.users[persona]) is None


def test_a_police_request_unanswered_after_a_month_is_listed(world, late):
    station = world.users["station_staff"]
    services.identity_step_record(
        resident=late,
        kind=IdentityStep.Kind.POLICE,
        started_at=timezone.now() - datetime.timedelta(days=40),
        actor=station,
    )
    assert any("无名氏逾期" in title for title in titles(inbox.police_answers_overdue, station))


def test_a_long_stay_without_settlement_is_listed_and_one_with_it_is_not(world):
    station = world.users["station_staff"]
    long = admit(
        world.agreement_a,
        name="无名氏久住",
        admitted_at=timezone.now() - datetime.timedelta(days=100),
    )
    listed = titles(inbox.long_stays_unsettled, station)
    assert any(long.name in title for title in listed)
    # 张阿福 stays long too, but the station has filed a settlement report.
    assert not any(world.resident_a.name in title for title in listed)


def test_a_missed_follow_up_is_listed(world):
    station = world.users["station_staff"]
    assert titles(inbox.follow_ups_missed, station) == []
    type(world.follow_up_a).objects.filter(pk=world.follow_up_a.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert any(world.returned_a.name in t for t in titles(inbox.follow_ups_missed, station))


def test_the_stations_home_shows_the_panel(world, late, client_for):
    page = client_for("station_staff").get(reverse("home")).content.decode()
    assert 'id="residents-overdue"' in page and "无名氏逾期" in page
    assert 'id="residents-overdue"' not in client_for("county_a_staff").get("/").content.decode()


def test_the_daily_reminder_goes_to_the_station_without_the_residents_name(world, late):
    sent = [r for r in reminders.overdue_reminders(timezone.localdate()) if "step" in r.key]
    ours = [r for r in sent if r.url == reverse("residents:resident_detail", args=[late.pk])]
    assert len(ours) == 1
    reminder = ours[0]
    assert world.users["station_staff"] in reminder.recipients
    assert "无名氏逾期" not in str(reminder.params) and reminder.key.endswith(":overdue")
    again = [r.key for r in reminders.overdue_reminders(timezone.localdate())]
    assert reminder.key in again  # the same key: the run records it and never sends it twice
