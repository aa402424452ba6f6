import pytest

from audit_portal.accounts.selectors import organisations_in_scope

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        # County B's own rescue station (the residents' world) is under county B.
        ("admin", {"city", "county-a", "county-b", "station", "station-b"}),
        ("city_staff", {"city", "county-a", "county-b", "station", "station-b"}),
        ("county_a_staff", {"county-a"}),
        ("county_b_staff", {"county-b", "station-b"}),
        ("station_staff", {"station"}),
        ("supervisor", set()),
        ("institution_user", set()),
    ],
)
def test_each_persona_sees_its_part_of_the_organisation_tree(world, persona, expected):
    codes = set(organisations_in_scope(world.users[persona]).values_list("code", flat=True))
    assert codes == expected


def test_roles_grant_model_permissions(world):
    assert world.users["admin"].has_perm("accounts.change_organisation")
    assert world.users["city_staff"].has_perm("accounts.view_organisation")
    assert not world.users["city_staff"].has_perm("accounts.change_organisation")
    assert not world.users["supervisor"].has_perm("accounts.view_organisation")


def test_an_inactive_user_has_no_permissions(world):
    user = world.users["city_staff"]
    user.is_active = False
    assert not user.has_perm("accounts.view_organisation")
