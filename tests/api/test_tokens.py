"""API tokens: created on the account pages, shown once, stored as a hash; they expire, are
revoked, read-only tokens cannot write, each use is recorded, and each token is rate-limited."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from audit_portal.api.models import ApiToken, ApiTokenUse
from audit_portal.api.services import token_create

INSTITUTIONS = reverse("api:institution-list")


def test_the_page_shows_the_token_once_and_stores_only_its_hash(world, client_for, api):
    response = client_for("county_a_staff").post(
        reverse("api_tokens:create"),
        {
            "name": "台账同步",
            "scope": "read",
            "expires_on": timezone.localdate() + datetime.timedelta(days=10),
        },
    )
    assert response.status_code == 200
    raw = response.context["raw"]
    assert raw in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    token = ApiToken.objects.get(name="台账同步")
    assert token.user == world.users["county_a_staff"]
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert raw not in stored
    assert api(token=raw).get(INSTITUTIONS).status_code == 200
    # The list shows its beginning, never the token.
    listing = client_for("county_a_staff").get(reverse("api_tokens:list")).content.decode()
    assert token.prefix in listing and raw not in listing


def test_staff_create_tokens_only_for_themselves(world, client_for):
    county_b = world.users["county_b_staff"]
    expires_on = timezone.localdate() + datetime.timedelta(days=5)
    response = client_for("county_a_staff").post(
        reverse("api_tokens:create"),
        {"name": "x", "scope": "write", "expires_on": expires_on, "user": county_b.pk},
    )
    # Staff have no account to choose: the posted one is ignored.
    assert response.status_code == 200
    assert ApiToken.objects.get(name="x").user == world.users["county_a_staff"]
    assert not ApiToken.objects.filter(user=county_b).exists()


def test_a_token_lives_at_most_the_rules_days(world, client_for, settings):
    settings.AUDIT_RULES_OVERRIDES = {"api_token_max_days": 30}
    too_far = timezone.localdate() + datetime.timedelta(days=31)
    response = client_for("county_a_staff").post(
        reverse("api_tokens:create"), {"name": "x", "scope": "read", "expires_on": too_far}
    )
    assert response.status_code == 400
    assert "expires_on" in response.context["form"].errors
    assert not ApiToken.objects.filter(name="x").exists()


def test_an_administrator_creates_a_token_for_anyone(world, client_for):
    institution_user = world.users["institution_user"]
    expires_on = timezone.localdate() + datetime.timedelta(days=5)
    response = client_for("admin").post(
        reverse("api_tokens:create"),
        {"name": "对接", "scope": "write", "expires_on": expires_on, "user": institution_user.pk},
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="对接")
    assert token.user == institution_user and token.created_by == world.users["admin"]


def test_an_expired_token_is_refused(world, api, time_machine):
    raw = world.api_token_city_raw
    time_machine.move_to(world.api_token_city.expires_at + datetime.timedelta(seconds=1))
    response = api(token=raw).get(INSTITUTIONS)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_token_works_through_its_last_day(world, api, time_machine):
    time_machine.move_to(world.api_token_city.expires_at - datetime.timedelta(seconds=1))
    assert api(token=world.api_token_city_raw).get(INSTITUTIONS).status_code == 200


def test_a_revoked_token_is_refused(world, client_for, api):
    token = world.api_token_city
    response = client_for("city_staff").post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == world.users["city_staff"]
    assert api(token=world.api_token_city_raw).get(INSTITUTIONS).status_code == 401


def test_nobody_revokes_another_users_token_but_an_administrator(world, client_for):
    token = world.api_token_city
    assert (
        client_for("county_a_staff").post(reverse("api_tokens:revoke", args=[token.pk])).status_code
        == 404
    )
    token.refresh_from_db()
    assert token.revoked_at is None
    assert (
        client_for("admin").post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 302
    )
    token.refresh_from_db()
    assert token.revoked_by == world.users["admin"]


def test_an_unknown_token_is_refused(world, api):
    response = api(token="ap_not-a-token").get(INSTITUTIONS)
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message"}


def test_a_read_only_token_cannot_write(world, api):
    response = api(token=world.api_token_city_read_raw).post(
        reverse("api:monthly-report-list"), {"month": "2026-01"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "read_only_token"


def test_a_read_only_token_of_an_institution_files_nothing(world, api):
    _, raw = token_create(
        user=world.users["institution_user"],
        actor=world.users["admin"],
        name="只读",
        scope="read",
        expires_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    issue = world.issue_a
    response = api(token=raw).post(
        reverse("api:issue-rectify", args=[issue.pk]), {"plan": "已整改"}, format="multipart"
    )
    assert response.status_code == 403
    assert not issue.rectifications.exists()


def test_each_use_is_recorded(world, api):
    token = world.api_token_city
    client = api(token=world.api_token_city_raw, REMOTE_ADDR="10.1.2.3")
    client.get(INSTITUTIONS + "?page=1")
    client.get(reverse("api:issue-list"))
    uses = list(ApiTokenUse.objects.filter(token=token).order_by("at", "pk"))
    assert [(u.method, u.path) for u in uses] == [
        ("GET", INSTITUTIONS + "?page=1"),
        ("GET", reverse("api:issue-list")),
    ]
    assert {(u.user_id, u.token_name, u.ip) for u in uses} == {
        (world.users["city_staff"].pk, "统计脚本", "10.1.2.3")
    }
    token.refresh_from_db()
    assert token.last_used_at == uses[-1].at


@pytest.mark.parametrize("persona", ["token", "session"])
def test_requests_are_limited_per_token_or_session(world, api, settings, persona):
    settings.AUDIT_RULES_OVERRIDES = {"api_requests_per_minute": 2}
    client = api(token=world.api_token_city_raw) if persona == "token" else api("city_staff")
    assert [client.get(INSTITUTIONS).status_code for _ in range(2)] == [200, 200]
    response = client.get(INSTITUTIONS)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    # Another token of the same user has its own allowance.
    assert api(token=world.api_token_city_read_raw).get(INSTITUTIONS).status_code == 200


def test_the_public_endpoint_is_limited_per_address(world, api, settings):
    settings.AUDIT_RULES_OVERRIDES = {"api_anonymous_requests_per_minute": 1}
    url = reverse("api:open-day-summary-list")
    assert api(REMOTE_ADDR="10.0.0.1").get(url).status_code == 200
    assert api(REMOTE_ADDR="10.0.0.1").get(url).status_code == 429
    assert api(REMOTE_ADDR="10.0.0.2").get(url).status_code == 200


def test_the_admin_lists_tokens_and_uses_without_the_hash(world, client_for, api):
    api(token=world.api_token_city_raw).get(INSTITUTIONS)
    client = client_for("admin")
    token = world.api_token_city
    for url in (
        reverse("admin:api_apitoken_changelist"),
        reverse("admin:api_apitoken_change", args=[token.pk]),
        reverse("admin:api_apitokenuse_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert token.key_hash not in response.content.decode()
