"""The notification list (mine only, newest first, unread marked, unread or all), marking one
read (then following its link) or all, and the header's bell and to-do counts."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit_portal.notices.context_processors import header_counts
from audit_portal.notices.kinds import Kind
from audit_portal.notices.models import Notification
from audit_portal.notices.registry import InboxSection

pytestmark = pytest.mark.django_db

LIST = reverse("notices:list")


def note(user, number, *, url="/institutions/", read=False, **extra):
    return Notification.objects.create(
        recipient=user,
        kind=Kind.ISSUE_RAISED,
        message="Issue %(number)s raised",
        params={"number": str(number)},
        url=url,
        key=f"issue:{number}:raised",
        created_at=timezone.now() + datetime.timedelta(minutes=number),
        read_at=timezone.now() if read else None,
        **extra,
    )


@pytest.fixture(autouse=True)
def _no_sources(sources):
    return sources


def test_my_notifications_are_listed_newest_first(alice, bob, client):
    first, second = note(alice, 1), note(alice, 2, read=True)
    note(bob, 3)
    client.force_login(alice)
    response = client.get(LIST)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [second, first]
    page = response.content.decode()
    assert "Issue 2 raised" in page
    assert "Issue 3 raised" not in page
    # The unread one stands out and offers to be opened.
    assert page.count('class="notice--unread"') == 1
    assert reverse("notices:read", args=[first.pk]) in page
    assert reverse("notices:read", args=[second.pk]) not in page


def test_the_list_shows_the_unread_only_when_asked(alice, client):
    unread, _read = note(alice, 1), note(alice, 2, read=True)
    client.force_login(alice)
    response = client.get(LIST, {"show": "unread"})
    assert list(response.context["page"].object_list) == [unread]


def test_the_list_is_paginated(alice, client):
    for number in range(26):
        note(alice, number)
    client.force_login(alice)
    page = client.get(LIST).context["page"]
    assert (len(page.object_list), page.paginator.num_pages) == (25, 2)


def test_the_list_links_to_the_choices_and_the_calendar(alice, client):
    client.force_login(alice)
    page = client.get(LIST).content.decode()
    assert reverse("notices:preferences") in page
    assert reverse("notices:calendar") in page


def test_marking_one_read_follows_its_link(alice, client):
    unread = note(alice, 1, url="/institutions/")
    client.force_login(alice)
    response = client.post(reverse("notices:read", args=[unread.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/institutions/"
    unread.refresh_from_db()
    assert unread.read_at is not None


def test_a_link_to_another_site_is_not_followed(alice, client):
    unread = note(alice, 1, url="https://evil.example/")
    client.force_login(alice)
    response = client.post(reverse("notices:read", args=[unread.pk]))
    assert response["Location"] == LIST


def test_another_persons_notification_is_not_found(alice, bob, client):
    theirs = note(bob, 1)
    client.force_login(alice)
    assert client.post(reverse("notices:read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_a_post(alice, client):
    unread = note(alice, 1)
    client.force_login(alice)
    assert client.get(reverse("notices:read", args=[unread.pk])).status_code == 405
    assert client.get(reverse("notices:read_all")).status_code == 405
    unread.refresh_from_db()
    assert unread.read_at is None


def test_marking_all_read_reads_only_mine(alice, bob, client):
    note(alice, 1)
    note(alice, 2)
    theirs = note(bob, 3)
    client.force_login(alice)
    response = client.post(reverse("notices:read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_asks_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# The header ------------------------------------------------------------------------------------


def test_the_header_shows_the_unread_and_to_do_counts(alice, client, sources):
    note(alice, 1)
    note(alice, 2)
    note(alice, 3, read=True)
    sources.inbox.append(lambda user, *, on, limit: InboxSection("t", "Waiting", 4))
    client.force_login(alice)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert 'aria-label="Notifications: 2 unread"' in page
    assert 'aria-label="To do: 4 waiting"' in page
    assert f'href="{LIST}"' in page
    assert f'href="{reverse("notices:todo")}"' in page


def test_reading_a_notification_updates_the_header_at_once(alice, client):
    unread = note(alice, 1)
    client.force_login(alice)
    assert 'aria-label="Notifications: 1 unread"' in client.get(LIST).content.decode()
    client.post(reverse("notices:read", args=[unread.pk]))
    assert 'aria-label="Notifications: 0 unread"' in client.get(LIST).content.decode()


def test_the_header_costs_one_cache_read_and_no_query_when_warm(alice, client, monkeypatch):
    note(alice, 1)
    client.force_login(alice)
    path = reverse("accounts:password_change")
    client.get(path)
    reads = []
    original = cache.get
    monkeypatch.setattr(
        cache, "get", lambda key, *args, **kwargs: reads.append(key) or original(key, *args)
    )
    with CaptureQueriesContext(connection) as warm:
        client.get(path)
    assert [key for key in reads if key.startswith("notices:")] == [f"notices:header:{alice.pk}"]
    assert not [q for q in warm.captured_queries if "notices_notification" in q["sql"]]


def test_a_page_without_the_header_pays_nothing(alice, rf, monkeypatch):
    request = rf.get("/")
    request.user = alice
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: pytest.fail("counted"))
    assert "header_counts" in header_counts(request)


def test_an_anonymous_visitor_has_no_header_counts(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    assert header_counts(request) == {}
