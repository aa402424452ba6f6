import pytest

from inspections.selectors import agreements_for, documents_for, institutions_for
from tests.inspections.factories import AgreementFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"a", "b"}),
        ("city_staff", {"a", "b"}),
        ("county_a_staff", {"a"}),
        ("county_b_staff", {"b"}),
        ("station_staff", {"a"}),  # places with A only
        ("institution_user", {"a"}),  # its own
        ("supervisor", set()),  # nothing assigned
        ("anonymous", set()),
    ],
)
def test_each_persona_sees_exactly_its_institutions(world, persona, expected):
    from django.contrib.auth.models import AnonymousUser

    user = world.users[persona] or AnonymousUser()
    names = {"a" if i == world.institution_a else "b" for i in institutions_for(user)}
    assert names == expected
    assert {d.institution_id for d in documents_for(user)} <= {i.pk for i in institutions_for(user)}


def test_a_new_agreement_gives_the_station_scope_at_once(world):
    station = world.users["station_staff"]
    assert world.institution_b not in institutions_for(station)
    AgreementFactory(station=world.station, institution=world.institution_b)
    assert world.institution_b in institutions_for(station)


def test_a_station_sees_only_its_own_agreements(world):
    other_station = AgreementFactory(institution=world.institution_a).station
    assert other_station != world.station
    station = world.users["station_staff"]
    assert set(agreements_for(station)) == {world.agreement_a}
    assert len(agreements_for(world.users["county_a_staff"])) == 2


def test_an_institution_user_without_a_grant_sees_nothing(world):
    user = world.users["institution_user"]
    other = InstitutionFactory(county=world.county_a)
    user.institution = other  # bound but never granted
    assert list(institutions_for(user)) == []


def test_an_inactive_user_sees_nothing(world):
    user = world.users["city_staff"]
    user.is_active = False
    assert not institutions_for(user).exists()
