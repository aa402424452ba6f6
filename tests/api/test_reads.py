"""Reads: lists hold only the rows in the user's scope, at a constant number of queries; an
object outside the scope is a 404; eligibility on a date; ID numbers masked; filters and
ordering as the pages'."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.inspections.factories import InstitutionFactory, make_eligible


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_lists_hold_only_the_rows_in_scope(world, api):
    a, b = world.institution_a.pk, world.institution_b.pk
    url = reverse("api:institution-list")
    assert {a, b} <= ids(api("city_staff").get(url))
    assert ids(api("county_b_staff").get(url)) == {b}
    assert ids(api("station_staff").get(url)) == {a}
    issues = reverse("api:issue-list")
    assert world.issue_b.pk not in ids(api("county_a_staff").get(issues))
    assert ids(api("county_b_staff").get(issues)) == {world.issue_b.pk}
    # The institution sees its own issues, not those of an inspection still in progress.
    assert world.issue_a.pk in ids(api("institution_user").get(issues))


def test_an_object_outside_the_scope_is_not_found(world, api):
    response = api("county_b_staff").get(
        reverse("api:institution-detail", args=[world.institution_a.pk])
    )
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": response.json()["message"]}


@pytest.mark.parametrize(
    "name",
    [
        "api:institution-list",
        "api:issue-list",
        "api:inspection-list",
        "api:incident-list",
        "api:monthly-report-list",
        "api:agreement-list",
    ],
)
def test_a_list_costs_the_same_queries_for_more_rows(world, api, name):
    client = api("city_staff")
    url = reverse(name)
    client.get(url)  # sessions, caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for index in range(3):
        make_eligible(InstitutionFactory(name=f"新增机构{index}", county=world.county_a))
    assert count() == before


def test_eligibility_is_judged_on_the_day_asked(world, api):
    url = reverse("api:institution-detail", args=[world.institution_a.pk])
    today = api("city_staff").get(url).json()["eligibility"]
    assert today["eligible"] is True and today["on"] == timezone.localdate().isoformat()
    # Before it began operating, no institution is eligible.
    started = world.institution_a.operation_started_on
    earlier = (started - datetime.timedelta(days=1)).isoformat()
    then = api("city_staff").get(url, {"on": earlier}).json()["eligibility"]
    assert then["eligible"] is False
    assert "operation" in {check["key"] for check in then["checks"] if not check["ok"]}
    listed = api("city_staff").get(
        reverse("api:institution-list"), {"on": earlier, "eligible": "yes"}
    )
    assert world.institution_a.pk not in ids(listed)


def test_a_malformed_date_is_a_field_error(world, api):
    response = api("city_staff").get(reverse("api:institution-list"), {"on": "2026-13-01"})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["on"]


def test_supervisor_id_numbers_are_masked(world, api):
    record = world.supervisor_record
    response = api("city_staff").get(reverse("api:supervisor-detail", args=[record.pk]))
    assert response.json()["id_number"] == record.masked_id_number
    assert record.id_number not in response.content.decode()


def test_filters_and_ordering(world, api):
    url = reverse("api:issue-list")
    client = api("city_staff")
    closed = ids(client.get(url, {"status": "closed"}))
    assert world.issue_a.pk not in closed
    by_number = client.get(url, {"ordering": "-number"}).json()["results"]
    numbers = [row["number"] for row in by_number]
    assert numbers == sorted(numbers, reverse=True)
    response = client.get(url, {"institution": 2**70})
    assert response.status_code == 400 and "institution" in response.json()["fields"]


def test_an_id_no_row_can_have_is_not_found(world, api):
    response = api("city_staff").get(f"{reverse('api:institution-list')}{2**70}/")
    assert response.status_code == 404


def test_open_day_summaries_are_public_and_only_the_published(world, api):
    response = api().get(reverse("api:open-day-summary-list"))
    assert ids(response) == {world.summary.pk}
    assert "phone" not in response.content.decode()
