import pytest
from django.test import Client

from tests.world import World, build_world


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for(world):
    """``client_for("county_a_staff")`` — a test client logged in as that persona."""

    def make(persona: str) -> Client:
        client = Client()
        user = world.users[persona]
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _english_off(settings):
    # Pages render in the product's first language unless a test says otherwise.
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def assigned(world):
    """The supervisor persona's group assigned to institution A (access grants included)."""
    from supervisors import services

    services.group_assign(
        group=world.group, institution=world.institution_a, actor=world.users["city_staff"]
    )
    return world
