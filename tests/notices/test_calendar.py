"""The personal calendar: the secret address made (and reset) on its page and shown once, and
the feed it serves without a login, read back by the ``icalendar`` parser."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from audit_portal.notices.models import CalendarFeed
from audit_portal.notices.registry import CalendarEvent

pytestmark = pytest.mark.django_db

PAGE = reverse("notices:calendar")
NOW = datetime.datetime(2026, 9, 28, 2, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 9, 28)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


class Duties:
    """A calendar source: the deadlines of the user's scope."""

    def __init__(self):
        self.asked = []

    def __call__(self, user, *, start, end):
        self.asked.append((user, start, end))
        return [
            CalendarEvent(
                uid="issue-12-deadline",
                day=datetime.date(2026, 10, 10),
                summary="整改期限：东湖区福利院 · 灭火器过期",
                url="/institutions/issues/12/",
                description="第12号问题",
            ),
            CalendarEvent(
                uid="inspection-3", day=datetime.date(2026, 9, 29), summary="检查：西山县养老院"
            ),
        ]


@pytest.fixture
def duties(sources):
    source = Duties()
    sources.calendar.append(source)
    return source


def address_of(response) -> str:
    return response.context["address"]


def feed_path(address: str) -> str:
    return address.removeprefix("http://127.0.0.1:8000")


def test_the_address_is_made_and_shown_once(alice, client):
    client.force_login(alice)
    assert client.get(PAGE).context["address"] == ""
    response = client.post(PAGE)
    assert response.status_code == 200
    address = address_of(response)
    assert address.startswith("http://127.0.0.1:8000/calendar/")
    assert address.endswith(".ics")
    assert address in response.content.decode()
    assert CalendarFeed.objects.filter(user=alice).exists()
    # Only its hash is kept: the page cannot show it again.
    token = feed_path(address).removeprefix("/calendar/").removesuffix(".ics")
    assert token not in client.get(PAGE).content.decode()
    assert token not in CalendarFeed.objects.get(user=alice).token_hash


def test_the_feed_is_an_icalendar_of_the_users_duties(alice, client, duties):
    client.force_login(alice)
    address = address_of(client.post(PAGE))
    client.logout()
    response = client.get(feed_path(address))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert duties.asked == [
        (alice, TODAY - datetime.timedelta(days=30), TODAY + datetime.timedelta(days=365))
    ]
    calendar = Calendar.from_ical(response.content)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"issue-12-deadline@127.0.0.1", "inspection-3@127.0.0.1"}
    deadline = events["issue-12-deadline@127.0.0.1"]
    assert str(deadline["SUMMARY"]) == "整改期限：东湖区福利院 · 灭火器过期"
    # An all-day event on the deadline.
    assert deadline.decoded("DTSTART") == datetime.date(2026, 10, 10)
    assert deadline.decoded("DTEND") == datetime.date(2026, 10, 11)
    assert deadline.decoded("DTSTAMP") == NOW
    assert str(deadline["URL"]) == "http://127.0.0.1:8000/institutions/issues/12/"
    assert str(deadline["DESCRIPTION"]).startswith("第12号问题")
    assert "URL" not in events["inspection-3@127.0.0.1"]


def test_resetting_the_address_stops_the_old_one(alice, client, duties):
    client.force_login(alice)
    old = feed_path(address_of(client.post(PAGE)))
    new = feed_path(address_of(client.post(PAGE)))
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_an_unknown_address_is_not_found(client, duties):
    assert client.get(reverse("calendar_feed", args=["not-a-token"])).status_code == 404


def test_a_switched_off_account_has_no_feed(alice, client, duties):
    client.force_login(alice)
    address = feed_path(address_of(client.post(PAGE)))
    alice.is_active = False
    alice.save()
    assert client.get(address).status_code == 404


def test_the_last_use_is_recorded_at_most_hourly(alice, client, duties, time_machine):
    client.force_login(alice)
    address = feed_path(address_of(client.post(PAGE)))
    client.get(address)
    assert CalendarFeed.objects.get(user=alice).last_used_at == NOW
    time_machine.move_to(NOW + datetime.timedelta(minutes=59), tick=False)
    client.get(address)
    assert CalendarFeed.objects.get(user=alice).last_used_at == NOW
    later = NOW + datetime.timedelta(hours=1)
    time_machine.move_to(later, tick=False)
    client.get(address)
    assert CalendarFeed.objects.get(user=alice).last_used_at == later


def test_the_page_needs_a_login_and_the_feed_a_get(alice, client, duties):
    assert client.get(PAGE).status_code == 302
    client.force_login(alice)
    address = feed_path(address_of(client.post(PAGE)))
    assert client.post(address).status_code == 405
    assert client.put(PAGE).status_code == 405
