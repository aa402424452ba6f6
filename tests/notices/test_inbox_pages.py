"""The to-do inbox: its own page (every section the sources give, with due and overdue badges
and a link to the rest), the header's count refreshed by it, and the panel on every role's home
page (the first items of each section and the latest unread notifications)."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from audit_portal.notices.kinds import Kind
from audit_portal.notices.models import Notification
from audit_portal.notices.registry import InboxItem, InboxSection
from audit_portal.notices.selectors import HOME_INBOX_ITEMS, HOME_NOTIFICATIONS

pytestmark = pytest.mark.django_db

TODO = reverse("notices:todo")
TODAY = datetime.date(2026, 9, 28)


class Waiting:
    """A source of to-dos for every user: ``titles`` are the records waiting for action."""

    def __init__(self, key="verify", label="Rectifications to verify", titles=()):
        self.key, self.label, self.titles = key, label, list(titles)
        self.asked = []

    def __call__(self, user, *, on, limit):
        self.asked.append((user, on, limit))
        if not self.titles:
            return None
        items = tuple(
            InboxItem(
                title=title,
                url=f"/institutions/issues/{n}/",
                due=TODAY + datetime.timedelta(days=n - 1),
                overdue=n == 0,
            )
            for n, title in enumerate(self.titles[:limit])
        )
        return InboxSection(
            self.key, self.label, len(self.titles), items, more_url="/institutions/issues/?mine=1"
        )


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(datetime.datetime(2026, 9, 28, 2, 0, tzinfo=datetime.UTC), tick=False)


def test_the_inbox_lists_each_section_with_its_items(alice, client, sources):
    sources.inbox += [
        Waiting(titles=["东湖区福利院 · 灭火器过期", "西山县养老院 · 台账缺失"]),
        Waiting(key="empty", label="Summaries to approve"),
    ]
    client.force_login(alice)
    response = client.get(TODO)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rectifications to verify" in page
    assert "Summaries to approve" not in page  # nothing waiting: no section
    assert '<a href="/institutions/issues/0/">东湖区福利院 · 灭火器过期</a>' in page
    assert "Overdue · 2026-09-27" in page
    assert "Due 2026-09-28" in page


def test_the_inbox_links_to_the_rest_of_a_long_section(alice, client, sources):
    sources.inbox.append(Waiting(titles=[f"整改 {n}" for n in range(12)]))
    client.force_login(alice)
    page = client.get(TODO).content.decode()
    assert len(re.findall(r'href="/institutions/issues/\d+/"', page)) == 10
    assert '<a href="/institutions/issues/?mine=1">All 12 →</a>' in page


def test_an_item_leaves_the_inbox_once_done(alice, client, sources):
    waiting = Waiting(titles=["东湖区福利院 · 灭火器过期", "西山县养老院 · 台账缺失"])
    sources.inbox.append(waiting)
    client.force_login(alice)
    assert "台账缺失" in client.get(TODO).content.decode()
    waiting.titles.remove("西山县养老院 · 台账缺失")
    page = client.get(TODO).content.decode()
    assert "台账缺失" not in page
    assert 'aria-label="To do: 1 waiting"' in page


def test_an_empty_inbox_says_so(alice, client, sources):
    client.force_login(alice)
    assert "Nothing is waiting for you." in client.get(TODO).content.decode()


def test_the_inbox_page_refreshes_the_headers_count(alice, client, sources):
    waiting = Waiting(titles=["a", "b"])
    sources.inbox.append(waiting)
    client.force_login(alice)
    client.get(reverse("accounts:password_change"))  # the header counted: 2
    waiting.titles.append("c")
    page = client.get(TODO).content.decode()
    assert 'aria-label="To do: 3 waiting"' in page
    assert cache.get(f"notices:header:{alice.pk}") == {"unread": 0, "todo": 3}
    # The header counted the inbox once (limit 0), the page once (its items).
    assert [limit for _user, _on, limit in waiting.asked] == [0, 10]


def test_the_inbox_needs_a_login_and_a_get(alice, client):
    assert client.get(TODO).status_code == 302
    client.force_login(alice)
    assert client.post(TODO).status_code == 405


@pytest.mark.parametrize("persona", ["admin", "city_staff", "supervisor", "institution_user"])
def test_every_roles_home_page_shows_the_inbox_and_the_latest_unread(
    world, english_client_for, sources, persona
):
    sources.inbox.append(Waiting(titles=[f"整改事项{n}" for n in range(5)]))
    user = world.users[persona]
    Notification.objects.filter(recipient=user).delete()
    for number in range(HOME_NOTIFICATIONS + 1):
        Notification.objects.create(
            recipient=user,
            kind=Kind.ISSUE_RAISED,
            message="Issue %(number)s raised",
            params={"number": str(number)},
            key=f"home:{number}",
            created_at=timezone.now() + datetime.timedelta(minutes=number),
        )
    response = english_client_for(persona).get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    shown = [n for n in range(5) if f"整改事项{n}" in page]
    assert shown == list(range(HOME_INBOX_ITEMS))
    assert "All 5 →" in page
    # The newest five of six unread.
    assert "Issue 0 raised" not in page
    assert all(f"Issue {n} raised" in page for n in range(1, HOME_NOTIFICATIONS + 1))
    assert f'aria-label="Notifications: {HOME_NOTIFICATIONS + 1} unread"' in page
    assert 'aria-label="To do: 5 waiting"' in page


def test_the_home_panel_costs_one_query_beside_the_sources(
    alice, sources, django_assert_num_queries
):
    from audit_portal.notices.selectors import home_panel

    for number in range(HOME_NOTIFICATIONS + 2):
        Notification.objects.create(
            recipient=alice, kind=Kind.ISSUE_RAISED, message="Issue raised", key=f"k:{number}"
        )
    with django_assert_num_queries(1):
        panel = home_panel(alice)
    assert (len(panel["latest"]), panel["unread"]) == (HOME_NOTIFICATIONS, HOME_NOTIFICATIONS + 2)
    # The header reads what the panel counted.
    assert cache.get(f"notices:header:{alice.pk}") == {"unread": HOME_NOTIFICATIONS + 2, "todo": 0}
