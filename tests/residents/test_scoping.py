"""PIPL: a resident is seen by the caring institution, the placing station, the county bureau
of the institution's county, the city bureau and administrators; supervisors see none, and
nothing about a resident reaches a public page."""

import pytest
from django.test import Client
from django.urls import reverse

from residents import selectors
from residents.policies import resident_policy

pytestmark = pytest.mark.django_db

SEES = {
    "admin": {"resident_a", "returned_a", "resident_b"},
    "city_staff": {"resident_a", "returned_a", "resident_b"},
    "county_a_staff": {"resident_a", "returned_a"},
    "county_b_staff": {"resident_b"},
    "station_staff": {"resident_a", "returned_a"},
    "institution_user": {"resident_a", "returned_a"},
    "supervisor": set(),
}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_each_persona_sees_exactly_the_residents_in_its_scope(world, persona):
    seen = set(selectors.residents_for(world.users[persona]).values_list("pk", flat=True))
    expected = {getattr(world, name).pk for name in SEES[persona]}
    world_ids = {getattr(world, name).pk for name in ("resident_a", "returned_a", "resident_b")}
    assert seen & world_ids == expected


def test_an_anonymous_user_sees_none(world):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.residents_for(AnonymousUser()).exists()


def test_a_station_sees_only_the_residents_it_placed_not_its_institutions_others(world):
    station = world.users["station_staff"]
    assert not selectors.residents_for(station).filter(station=world.agreement_b.station).exists()


@pytest.mark.parametrize(
    ("persona", "actions"),
    [
        ("station_staff", {"identify", "search", "settle", "return_home", "reveal_id_number"}),
        ("institution_user", {"care", "discharge", "reveal_id_number"}),
        ("county_a_staff", {"reveal_id_number"}),
        ("city_staff", {"reveal_id_number"}),
        ("admin", {"reveal_id_number"}),
    ],
)
def test_who_writes_what_on_a_resident_in_care(world, persona, actions):
    assert resident_policy.allowed(world.users[persona], world.resident_a) == actions


def test_after_the_return_home_the_station_records_follow_ups(world):
    allowed = resident_policy.allowed(world.users["station_staff"], world.returned_a)
    assert "follow_up" in allowed and "return_home" not in allowed and "search" not in allowed


def test_the_institution_may_not_discharge_a_resident_discharged_already(world, client_for):
    response = client_for("institution_user").post(
        reverse("residents:resident_discharge", args=[world.returned_a.pk]),
        {"kind": "died", "discharged_at": "2026-01-01T10:00", "reason": "误操作"},
    )
    assert response.status_code == 200
    world.returned_a.refresh_from_db()
    assert world.returned_a.discharge_kind == "returned_home"


def test_supervisors_get_no_resident_page(world, client_for):
    client = client_for("supervisor")
    assert client.get(reverse("residents:resident_list")).status_code == 404
    detail = reverse("residents:resident_detail", args=[world.resident_a.pk])
    assert client.get(detail).status_code == 404


def test_the_public_open_day_page_names_no_resident(world):
    body = Client().get(reverse("openday:index")).content.decode()
    assert world.resident_a.name not in body and world.resident_b.name not in body
