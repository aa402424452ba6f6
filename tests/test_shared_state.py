"""The shared test states (``tests/shared_state.py``): built once, rolled back when left, never
seen by a test that did not ask for them, and handed to each test as its own copy."""

import pytest
from django.db import connection

from audit_portal.accounts.models import Organisation, User
from inspections.models import ChecklistTemplate
from tests.factories import OrganisationFactory
from tests.shared_state import SharedStates
from tests.world import build_world


def test_a_test_that_asks_for_no_state_gets_an_empty_database(db):
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


def test_each_test_gets_its_own_copy_of_the_world(world, _shared_states):
    other = _shared_states.copy(build_world)
    assert other is not world and other.institution_a is not world.institution_a
    assert other.institution_a.pk == world.institution_a.pk
    world.institution_a.name = "改名"
    assert other.institution_a.name != "改名"


def test_the_world_is_in_the_database(world):
    assert Organisation.objects.filter(pk=world.county_a.pk).exists()


def organisation_x():
    return OrganisationFactory(code="x")


def organisation_y():
    return OrganisationFactory(code="y")


# These two use the test database outside any per-test transaction, as the hooks of
# ``tests/conftest.py`` do: each state lives in its own outer transaction, rolled back when left.


def test_leaving_a_state_rolls_it_back(django_db_setup, django_db_blocker):
    states = SharedStates(blocker=django_db_blocker)
    try:
        states.switch(organisation_x)
        with django_db_blocker.unblock():
            assert list(Organisation.objects.values_list("code", flat=True)) == ["x"]
            assert ChecklistTemplate.objects.exists()  # what the migrations wrote is there too
        states.switch(organisation_x)  # the same state again: not rebuilt
        with django_db_blocker.unblock():
            assert Organisation.objects.count() == 1
        states.switch(organisation_y)
        with django_db_blocker.unblock():
            assert list(Organisation.objects.values_list("code", flat=True)) == ["y"]
        with pytest.raises(RuntimeError):
            states.copy(organisation_x)
        states.switch(None)
        with django_db_blocker.unblock():
            assert not Organisation.objects.exists()
            assert ChecklistTemplate.objects.exists()
    finally:
        states.discard()


def test_a_state_that_fails_to_build_leaves_nothing(django_db_setup, django_db_blocker):
    def broken():
        OrganisationFactory(code="half")
        raise ValueError("broken")

    states = SharedStates(blocker=django_db_blocker)
    try:
        with pytest.raises(ValueError):
            states.switch(broken)
        assert states.build is None
        with django_db_blocker.unblock():
            assert not Organisation.objects.exists()
            assert not connection.in_atomic_block
    finally:
        states.discard()


def test_a_state_is_never_built_inside_a_test_transaction(db, django_db_blocker):
    with pytest.raises(RuntimeError):
        SharedStates(blocker=django_db_blocker).switch(organisation_x)
