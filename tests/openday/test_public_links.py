"""The open day's links lead somewhere: the "register to visit" button and the staff's link to
the public visit page point at a year that has visit days."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from openday.models import VisitDay, coming_open_day_year

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _visit_links(html: str) -> list[str]:
    """The links to a year's visit list."""
    return re.findall(r'href="([^"]*/\d{4}/visits/)"', html)


def test_the_register_button_leads_to_the_coming_open_day_when_its_own_has_no_visits(world, client):
    response = client.get(reverse("openday:area", kwargs={"year": 2026}))
    assert response.status_code == 200
    links = _visit_links(response.content.decode())
    assert links == [reverse("openday:visit_list", kwargs={"year": 2027})]
    assert client.get(links[0]).status_code == 200


def test_no_register_button_when_only_past_open_days_had_visits(world, client):
    VisitDay.objects.update(year=2025)
    response = client.get(reverse("openday:area", kwargs={"year": 2026}))
    assert response.status_code == 200
    assert _visit_links(response.content.decode()) == []


def test_the_coming_open_day_is_next_year_s_after_19_june():
    assert coming_open_day_year(datetime.date(2026, 6, 19)) == 2026
    assert coming_open_day_year(datetime.date(2026, 6, 20)) == 2027


def test_the_staff_visit_page_defaults_to_the_coming_open_day(world, client_for, time_machine):
    time_machine.move_to("2026-12-03 10:00 +0800")
    response = client_for("city_staff").get(reverse("openday:visitday_list"))
    assert response.status_code == 200
    assert response.context["year"] == 2027
    public = reverse("openday:visit_list", kwargs={"year": 2027})
    assert public in response.content.decode()
