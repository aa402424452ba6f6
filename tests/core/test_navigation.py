import pytest
from django.test import RequestFactory

from audit_portal.core.context_processors import navigation

pytestmark = pytest.mark.django_db


def _current(user, path):
    request = RequestFactory().get(path)
    request.user = user
    return [item["url"] for item in navigation(request)["nav_items"] if item["active"]]


def test_only_the_most_specific_entry_is_current(world):
    staff = world.users["county_a_staff"]
    assert _current(staff, "/institutions/issues/") == ["/institutions/issues/"]
    assert _current(staff, "/institutions/12/") == ["/institutions/"]


def test_anonymous_visitors_get_no_navigation(world):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert navigation(request) == {"nav_items": []}


def test_an_entry_can_be_limited_to_one_kind_of_organisation(world):
    def labels(user):
        request = RequestFactory().get("/")
        request.user = user
        return [item["url"] for item in navigation(request)["nav_items"]]

    assert "/supervisors/" in labels(world.users["county_a_staff"])
    assert "/supervisors/" not in labels(world.users["station_staff"])
