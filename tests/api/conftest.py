import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api(world):
    """``api("institution_user")`` — an API client with that persona's session;
    ``api(token=raw)`` — one sending the token."""

    def make(persona: str | None = None, *, token: str | None = None, **headers) -> APIClient:
        client = APIClient(**headers)
        if token is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        elif persona is not None and world.users[persona] is not None:
            client.force_login(world.users[persona])
        return client

    return make


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A live-server test runs outside a transaction, and pytest-django empties every table
    after it, the rows every new database holds (permissions, the default checklist) included:
    they are put back for the tests that follow."""
    yield
    if "live_server" not in item.fixturenames:
        return
    from pytest_django.plugin import blocking_manager_key

    from tests.conftest import restore_first_state

    with item.config.stash[blocking_manager_key].unblock():
        restore_first_state()
