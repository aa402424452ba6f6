"""The inspection list's filters: by institution and by date, with "全部" as the empty choice."""

import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST = reverse("inspections:inspection_list")


def _listed(response) -> set[int]:
    assert response.status_code == 200
    return {inspection.pk for inspection in response.context["page"]}


def _day(inspection) -> datetime.date:
    return inspection.performed_on or inspection.planned_on


def test_it_filters_by_institution(world, client_for):
    client = client_for("city_staff")
    everything = _listed(client.get(LIST))
    only_b = _listed(client.get(LIST, {"institution": world.institution_b.pk}))
    assert world.issue_b.inspection_id in only_b
    assert world.inspection_a.pk in everything and world.inspection_a.pk not in only_b


def test_an_institution_outside_the_scope_is_not_a_choice(world, client_for):
    response = client_for("county_a_staff").get(LIST, {"institution": world.institution_b.pk})
    # An invalid choice is ignored: the list stays the user's own scope.
    assert world.issue_b.inspection_id not in _listed(response)
    assert world.inspection_a.pk in _listed(response)


def test_it_filters_by_date_both_bounds_included(world, client_for):
    client = client_for("county_a_staff")
    day = _day(world.inspection_a)
    same_day = {"date_from": day.isoformat(), "date_to": day.isoformat()}
    assert world.inspection_a.pk in _listed(client.get(LIST, same_day))
    before = {"date_to": (day - datetime.timedelta(days=1)).isoformat()}
    assert world.inspection_a.pk not in _listed(client.get(LIST, before))
    after = {"date_from": (day + datetime.timedelta(days=1)).isoformat()}
    assert world.inspection_a.pk not in _listed(client.get(LIST, after))


def test_the_empty_choice_reads_all_not_dashes(world, client_for):
    html = client_for("city_staff").get(LIST).content.decode()
    assert "---------" not in html
    assert '<option value="" selected>全部</option>' in html


def test_report_list_county_choice_reads_all(world, client_for):
    html = client_for("city_staff").get(reverse("inspections:report_list")).content.decode()
    assert "---------" not in html
