import pytest
from rest_framework.test import APIClient

from tests.sign_in import sign_in


@pytest.fixture
def api(world):
    """``api("institution_user")`` — an API client with that persona's session;
    ``api(token=raw)`` — one sending the token."""

    def make(persona: str | None = None, *, token: str | None = None, **headers) -> APIClient:
        client = APIClient(**headers)
        if token is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        elif persona is not None and world.users[persona] is not None:
            sign_in(client, world.users[persona])
        return client

    return make
