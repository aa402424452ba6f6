"""The security log's search page: administrators and the city bureau read it, filtered by
name, kind, outcome, address and days, newest first, a page at a time; everyone else is
refused, and the refusal is itself logged."""

import datetime

import pytest
from django.urls import reverse

from audit_portal.security.models import SecurityEvent

URL = reverse("security:event_list")
Kind, Outcome = SecurityEvent.Kind, SecurityEvent.Outcome
TZ = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture
def readers(client_for):
    """Signed in before the log is written (a sign-in is an event too)."""
    return {persona: client_for(persona) for persona in ("admin", "city_staff")}


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def log(world, readers):
    """Four events of the test's own (the world's are removed so the lists are exact)."""
    SecurityEvent.objects.all().delete()

    def add(kind, username, address, outcome, when):
        return SecurityEvent.objects.create(
            kind=kind, username=username, address=address, outcome=outcome, at=when
        )

    return {
        "ok": add(Kind.LOGIN, "alice", "10.0.0.1", Outcome.SUCCESS, at(1, 9)),
        "bad": add(Kind.LOGIN_FAILED, "alice", "10.0.0.2", Outcome.FAILURE, at(2, 23, 59)),
        "lock": add(Kind.LOCKOUT, "bob", "10.0.0.2", Outcome.DENIED, at(3, 0)),
        "id": add(Kind.FULL_ID_VIEW, "city", "10.0.0.3", Outcome.SUCCESS, at(4, 10)),
    }


def shown(client, query: str = "") -> list[SecurityEvent]:
    response = client.get(URL + query)
    assert response.status_code == 200
    return list(response.context["page"])


@pytest.mark.parametrize("persona", ["admin", "city_staff"])
def test_administrators_and_the_city_bureau_read_it_newest_first(persona, log, readers):
    assert shown(readers[persona]) == [log["id"], log["lock"], log["bad"], log["ok"]]


def test_it_filters_by_username(log, readers):
    assert shown(readers["admin"], "?username=alice") == [log["bad"], log["ok"]]


def test_it_filters_by_kind_and_outcome(log, readers):
    client = readers["admin"]
    assert shown(client, "?kind=lockout") == [log["lock"]]
    assert shown(client, "?outcome=success") == [log["id"], log["ok"]]


def test_it_filters_by_address(log, readers):
    assert shown(readers["admin"], "?address=10.0.0.2") == [log["lock"], log["bad"]]


def test_the_days_are_whole_local_days_both_ends_included(log, readers):
    client = readers["admin"]
    assert shown(client, "?date_from=2026-03-02&date_to=2026-03-02") == [log["bad"]]
    assert shown(client, "?date_from=2026-03-03") == [log["id"], log["lock"]]
    assert shown(client, "?date_to=2026-03-01") == [log["ok"]]


def test_a_malformed_filter_shows_its_error_and_no_rows(log, readers):
    response = readers["admin"].get(URL + "?address=not-an-address")
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert response.context["form"].errors["address"]


def test_it_is_paginated_in_sql(log, readers, django_assert_max_num_queries):
    SecurityEvent.objects.bulk_create(
        SecurityEvent(kind=Kind.LOGIN_FAILED, username=f"user{n}", at=at(5, 8)) for n in range(60)
    )
    client = readers["admin"]
    # The page's own queries (session, user, header counts, one COUNT, one LIMIT query for
    # its rows), however long the log.
    with django_assert_max_num_queries(12):
        response = client.get(URL + "?kind=login_failed&page=3")
    page = response.context["page"]
    assert (page.number, page.paginator.count, len(page)) == (3, 61, 11)


@pytest.mark.parametrize(
    "persona", ["county_a_staff", "station_staff", "supervisor", "institution_user"]
)
def test_everyone_else_is_refused_and_the_refusal_is_logged(persona, world, client_for):
    response = client_for(persona).get(URL)
    assert response.status_code == 403
    refusal = SecurityEvent.objects.filter(kind=Kind.PERMISSION_DENIED).get()
    assert (refusal.user, refusal.target) == (world.users[persona], f"GET {URL}")


def test_an_anonymous_visitor_is_sent_to_log_in(world, client_for):
    response = client_for("anonymous").get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_post_is_refused(world, readers):
    assert readers["admin"].post(URL).status_code == 405


def test_the_navigation_offers_it_only_to_those_who_may_read_it(world, client_for):
    assert URL in client_for("city_staff").get(reverse("home")).content.decode()
    assert URL not in client_for("county_a_staff").get(reverse("home")).content.decode()
