"""The API from the browser's session: a session that still owes its second factor reads
nothing; a token is not affected (it is the second factor's equivalent for programs)."""

import datetime

import pytest
from django.utils import timezone

from audit_portal.api.models import ApiToken
from audit_portal.api.services import token_create
from tests.accounts.two_factor import enrol, verified_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/institutions/"


@pytest.fixture(autouse=True)
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def test_an_unverified_staff_session_is_refused(client):
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


def test_a_verified_staff_session_reads(client):
    user = UserFactory()
    verified_login(client, user, enrol(user))
    assert client.get(URL).status_code == 200


def test_an_unverified_session_is_read_when_the_requirement_is_off(client, settings):
    settings.TWO_FACTOR_REQUIRED = False
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 200


def test_a_token_reads_without_a_browser_session(client):
    user = UserFactory()
    _token, raw = token_create(
        user=user,
        actor=user,
        name="报表系统",
        scope=ApiToken.Scope.READ,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
