import pytest
from django.test import Client, RequestFactory
from django.urls import resolve, reverse

from audit_portal.core.context_processors import navigation

pytestmark = pytest.mark.django_db


def _request(user, path):
    request = RequestFactory().get(path)
    request.user = user
    request.resolver_match = resolve(path)
    return request


def _current(user, path):
    return [item["url"] for item in navigation(_request(user, path))["nav_items"] if item["active"]]


def test_only_the_most_specific_entry_is_current(world):
    staff = world.users["county_a_staff"]
    assert _current(staff, "/institutions/issues/") == ["/institutions/issues/"]
    assert _current(staff, "/institutions/12/") == ["/institutions/"]


def test_anonymous_visitors_get_no_navigation(world):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert navigation(request) == {"nav_items": [], "nav_groups": []}


def test_an_entry_can_be_limited_to_one_kind_of_organisation(world):
    def labels(user):
        request = RequestFactory().get("/")
        request.user = user
        return [item["url"] for item in navigation(request)["nav_items"]]

    assert "/supervisors/" in labels(world.users["county_a_staff"])
    assert "/supervisors/" not in labels(world.users["station_staff"])


def test_a_page_named_by_an_entry_is_current_whatever_its_path(world):
    # /institutions/rectifications/<pk>/decide/ starts with the institution list's path, but
    # deciding a rectification is work on the issue ledger.
    staff = world.users["county_a_staff"]
    path = reverse("inspections:rectification_decide", args=[1])
    assert _current(staff, path) == [reverse("inspections:issue_ledger")]


def test_the_staff_menu_is_grouped_into_sections(world):
    groups = navigation(_request(world.users["city_staff"], "/institutions/issues/"))["nav_groups"]
    keys = [group["key"] for group in groups]
    assert keys[:4] == ["home", "registry", "inspections", "reports"]
    assert {"supervisors", "incidents", "openday"} <= set(keys)
    # Fewer top-level entries than the 16 links of the flat menu.
    assert len(groups) <= 9
    inspections = next(group for group in groups if group["key"] == "inspections")
    assert inspections["active"]
    assert reverse("inspections:issue_ledger") in [item["url"] for item in inspections["items"]]
    assert [group["key"] for group in groups if group["active"]] == ["inspections"]


def test_an_app_can_add_a_section_of_its_own(world, monkeypatch):
    from django.apps import apps

    from audit_portal.core import context_processors

    config = apps.get_app_config("openday")
    monkeypatch.setattr(config, "navigation_groups", [("residents2", "Residents 2")], raising=False)
    monkeypatch.setattr(
        config,
        "navigation",
        [*config.navigation, (("staff",), "Ledger", "openday:complaint_list", "residents2")],
    )
    context_processors._entries.cache_clear()
    context_processors._group_labels.cache_clear()
    try:
        groups = navigation(_request(world.users["city_staff"], "/"))["nav_groups"]
        labels = {group["key"]: str(group["label"]) for group in groups}
        assert labels["residents2"] == "Residents 2"
    finally:
        context_processors._entries.cache_clear()
        context_processors._group_labels.cache_clear()


def _menu_html(client, path, language=None):
    from django.conf import settings

    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(path).content.decode()
    return html[html.index('<ul class="mainnav__groups">') : html.index('<div class="usermenu">')]


def test_the_menu_markup_kept_per_process_follows_the_page_the_role_and_the_language(world):
    from audit_portal.core import fragments
    from tests.sign_in import sign_in

    fragments.kept.clear()
    city = sign_in(Client(), world.users["city_staff"])
    ledger = _menu_html(city, reverse("inspections:issue_ledger"))
    assert f'href="{reverse("inspections:issue_ledger")}" aria-current="page"' in ledger
    # The same role on another page: the kept ledger menu is not shown again.
    home = _menu_html(city, reverse("home"))
    assert f'href="{reverse("inspections:issue_ledger")}" aria-current="page"' not in home
    assert f'href="{reverse("home")}" aria-current="page"' in home
    # Asked again, the ledger's menu is the one kept, identical to the first.
    assert _menu_html(city, reverse("inspections:issue_ledger")) == ledger
    # Another role sees its own entries.
    station = _menu_html(sign_in(Client(), world.users["station_staff"]), reverse("home"))
    assert 'href="/supervisors/"' in ledger
    assert 'href="/supervisors/"' not in station
    # Another language: the same menu in English.
    english = _menu_html(city, reverse("inspections:issue_ledger"), language="en")
    assert english != ledger
    assert "Issue ledger" in english or "Inspections" in english
