"""The account page's two-step verification section: status, new recovery codes, turning it off,
and an administrator's reset for a lost phone."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit_portal.accounts.models import User
from audit_portal.security.models import SecurityEvent
from tests.accounts.two_factor import (
    RECOVERY_CODES,
    code_for,
    enrol,
    verified_login,
    wrong_code_for,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:two_factor")
REGENERATE = reverse("accounts:two_factor_recovery_codes")
TURN_OFF = reverse("accounts:two_factor_turn_off")
RESET = reverse("accounts:two_factor_reset")


@pytest.fixture(autouse=True)
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def tokens(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def make_admin():
    return UserFactory(role=User.Role.ADMIN, organisation=None, is_staff=True, is_superuser=True)


def test_the_page_shows_the_status_and_the_recovery_codes_left(client):
    user = UserFactory()
    verified_login(client, user, enrol(user))
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.context["enabled"]
    assert response.context["codes_left"] == 10
    assert response.context["reset_form"] is None


def test_the_page_refuses_a_post(client):
    user = UserFactory()
    verified_login(client, user, enrol(user))
    assert client.post(PAGE).status_code == 405


def test_new_recovery_codes_replace_the_old_ones_on_a_current_code(client):
    user = UserFactory()
    device = enrol(user)
    verified_login(client, user, device)
    response = client.post(REGENERATE, {"otp_token": code_for(device)})
    assert response.status_code == 200
    new = set(response.context["codes"])
    assert len(new) == 10
    assert tokens(user) == new
    assert not new & set(RECOVERY_CODES)


@pytest.mark.parametrize("wrong", ["wrong code", "recovery code"])
def test_new_recovery_codes_are_refused_without_a_current_authenticator_code(client, wrong):
    user = UserFactory()
    device = enrol(user)
    verified_login(client, user, device)
    token = wrong_code_for(device) if wrong == "wrong code" else RECOVERY_CODES[0]
    response = client.post(REGENERATE, {"otp_token": token})
    assert response.status_code == 400
    assert response.context["regenerate_form"].errors
    assert tokens(user) == set(RECOVERY_CODES)


def test_a_supervisor_may_turn_it_off_with_a_code(client):
    user = UserFactory(role=User.Role.SUPERVISOR, organisation=None)
    device = enrol(user)
    verified_login(client, user, device)
    response = client.post(TURN_OFF, {"otp_token": code_for(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.OTP_RESET).exists()


def test_turning_it_off_needs_the_right_code(client):
    user = UserFactory(role=User.Role.SUPERVISOR, organisation=None)
    device = enrol(user)
    verified_login(client, user, device)
    response = client.post(TURN_OFF, {"otp_token": wrong_code_for(device)})
    assert response.status_code == 400
    assert TOTPDevice.objects.filter(user=user).exists()


def test_staff_may_not_turn_it_off(client):
    user = UserFactory()
    device = enrol(user)
    verified_login(client, user, device)
    response = client.post(TURN_OFF, {"otp_token": code_for(device)})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=user).exists()


def test_an_administrator_resets_a_lost_phone_with_a_reason(client):
    admin = make_admin()
    verified_login(client, admin, enrol(admin))
    user = UserFactory()
    user_device = enrol(user)
    response = client.post(RESET, {"username": user.username, "reason": "手机丢失，本人电话确认"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    latest = user.history.latest()
    assert "手机丢失，本人电话确认" in latest.history_change_reason
    assert latest.history_user == admin
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.OTP_RESET)
    assert (event.user, event.target) == (admin, user.username)
    assert "手机丢失" in event.detail
    # The user's session verified with the removed device is sent to set up a new one.
    other = client.__class__()
    verified_login(other, user, user_device)
    assert other.get(reverse("home")).url.startswith(reverse("accounts:two_factor_verify"))
    assert other.get(reverse("accounts:two_factor_verify")).url.startswith(
        reverse("accounts:two_factor_enrol")
    )


def test_the_reset_needs_a_reason(client):
    admin = make_admin()
    verified_login(client, admin, enrol(admin))
    user = UserFactory()
    enrol(user)
    response = client.post(RESET, {"username": user.username, "reason": "  "})
    assert response.status_code == 400
    assert TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.parametrize("who", ["self", "unknown", "not enrolled"])
def test_the_reset_refuses_a_wrong_username(client, who):
    admin = make_admin()
    verified_login(client, admin, enrol(admin))
    username = {"self": admin.username, "unknown": "nobody", "not enrolled": UserFactory().username}
    response = client.post(RESET, {"username": username[who], "reason": "手机丢失"})
    assert response.status_code == 400
    assert response.context["reset_form"].errors["username"]
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_only_administrators_reset(client):
    staff = UserFactory()
    verified_login(client, staff, enrol(staff))
    user = UserFactory()
    enrol(user)
    response = client.post(RESET, {"username": user.username, "reason": "手机丢失"})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=user).exists()
    assert client.get(PAGE).context["reset_form"] is None


def test_the_reset_needs_a_post(client):
    admin = make_admin()
    verified_login(client, admin, enrol(admin))
    assert client.get(RESET).status_code == 405
