"""The resident records in the API: read-only, the user's scope, the ID number masked, no
health notes; supervisors find no such resource."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.residents.factories import ID_NUMBER
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world):
    """``api("station_staff")``: an API client with that persona's session (none: anonymous)."""

    def make(persona: str | None = None) -> APIClient:
        client = APIClient()
        return sign_in(client, world.users[persona]) if persona else client

    return make


LIST = reverse("api:resident-list")


def detail(resident) -> str:
    return reverse("api:resident-detail", args=[resident.pk])


def names(response) -> set[str]:
    assert response.status_code == 200
    return {row["name"] for row in response.json()["results"]}


def test_the_list_holds_the_users_scope(world, api):
    station = names(api("station_staff").get(LIST))
    assert {world.resident_a.name, world.returned_a.name} <= station
    assert world.resident_b.name not in station
    assert names(api("county_b_staff").get(LIST)) == {world.resident_b.name}


def test_the_id_number_is_masked_and_the_health_notes_absent(world, api):
    body = api("institution_user").get(detail(world.resident_a)).json()
    assert body["id_number_masked"] == world.resident_a.masked_id_number
    assert ID_NUMBER not in str(body)
    assert "health_notes" not in body and "id_number" not in body
    assert [step["kind"] for step in body["identity_steps"]] == ["notice"]


def test_the_filters_select_residents_in_care(world, api):
    in_care = names(api("city_staff").get(LIST, {"in_care": "true"}))
    assert world.resident_a.name in in_care and world.returned_a.name not in in_care


def test_outsiders_and_supervisors_find_nothing(world, api):
    assert api("county_b_staff").get(detail(world.resident_a)).status_code == 404
    assert api("supervisor").get(LIST).status_code == 404
    assert api().get(LIST).status_code == 401


def test_the_resource_is_read_only(world, api):
    client = api("station_staff")
    assert client.post(LIST, {"name": "新人"}, format="json").status_code == 405
    assert client.delete(detail(world.resident_a)).status_code == 405
