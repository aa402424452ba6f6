"""Two-step verification at sign-in: who must give it, enrolment, the code page, the lockout."""

import re
from base64 import b32decode
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit_portal.accounts.management.commands import seed_demo
from audit_portal.accounts.models import User
from audit_portal.security.models import SecurityEvent
from tests.accounts.two_factor import (
    RECOVERY_CODES,
    code_for,
    enrol,
    password_login,
    verify,
    wrong_code_for,
)
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:two_factor_verify")
ENROL = reverse("accounts:two_factor_enrol")


@pytest.fixture(autouse=True)
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def events(user, kind) -> int:
    return SecurityEvent.objects.filter(user=user, kind=kind).count()


def is_verified(client) -> bool:
    return client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("path", ["/", "/institutions/", "/admin/", "/accounts/password/"])
def test_staff_without_a_device_are_sent_to_enrolment_from_any_page(client, path):
    client.force_login(UserFactory())
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    assert client.get(response.url).url.startswith(ENROL)


def test_an_administrator_without_a_device_cannot_open_the_admin_site(client):
    admin = UserFactory(role=User.Role.ADMIN, organisation=None, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)


def test_the_requirement_can_be_switched_off(client, settings):
    settings.TWO_FACTOR_REQUIRED = False
    client.force_login(UserFactory())
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("role", [User.Role.SUPERVISOR, User.Role.INSTITUTION])
def test_supervisors_and_institution_users_are_not_forced(client, role):
    client.force_login(UserFactory(role=role, organisation=None))
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/open-day/", "/static/css/app.css"])
def test_public_pages_stay_open_to_a_session_halfway_through_signing_in(client, path):
    client.force_login(UserFactory())
    assert client.get(path).status_code == 200


def test_the_open_day_staff_pages_are_not_exempt(client):
    client.force_login(UserFactory())
    response = client.get("/open-day/staff/")
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)


def test_the_enrolment_page_shows_a_qr_code_and_the_key_to_type(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(ENROL).content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    svg = re.search(r"<svg[^>]*class=\"qr\".*?</svg>", page, re.S).group(0)
    assert 'class="qr"' in svg
    assert "style=" not in svg
    # The key to type is the device's, in base32 groups of four; reloading keeps it.
    secret = re.search(r'<code class="secret">([^<]+)</code>', page).group(1)
    assert b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8)) == (
        device.bin_key
    )
    client.get(ENROL)
    assert list(TOTPDevice.objects.filter(user=user)) == [device]


def test_enrolment_confirms_with_a_valid_code_and_shows_ten_recovery_codes(client):
    user = UserFactory()
    client.force_login(user)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(ENROL, {"otp_token": code_for(device), "next": "/institutions/"})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    assert "/institutions/" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert is_verified(client)
    assert events(user, SecurityEvent.Kind.OTP_ENROLLED) == 1


def test_enrolment_refuses_a_wrong_code(client):
    user = UserFactory()
    client.force_login(user)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(ENROL, {"otp_token": wrong_code_for(device)})
    assert response.status_code == 400
    assert response.context["form"].errors["otp_token"]
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert not is_verified(client)
    assert events(user, SecurityEvent.Kind.OTP_FAILED) == 1


def test_a_half_signed_in_user_with_a_device_cannot_enrol_another(client):
    user = UserFactory()
    enrol(user)
    client.force_login(user)
    response = client.get(ENROL)
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_login_with_a_device_asks_for_the_code_and_then_goes_on(client):
    user = UserFactory()
    device = enrol(user)
    response = password_login(client, user, next_url="/institutions/")
    assert response.status_code == 302
    assert client.get(response.url).url == f"{VERIFY}?next=%2Finstitutions%2F"
    page = client.get(VERIFY, {"next": "/institutions/"})
    assert page.status_code == 200
    assert 'name="otp_token"' in page.content.decode()
    response = verify(client, code_for(device), next_url="/institutions/")
    assert response.status_code == 302
    assert response.url == "/institutions/"
    assert is_verified(client)
    assert events(user, SecurityEvent.Kind.OTP_VERIFIED) == 1


def test_an_optional_user_who_enrolled_is_asked_for_the_code_too(client):
    user = UserFactory(role=User.Role.SUPERVISOR, organisation=None)
    device = enrol(user)
    password_login(client, user)
    response = client.get(reverse("home"))
    assert response.url.startswith(VERIFY)
    verify(client, code_for(device))
    assert is_verified(client)


def test_a_wrong_code_is_refused_and_counted_as_a_failed_login(client):
    user = UserFactory()
    device = enrol(user)
    password_login(client, user)
    wrong = wrong_code_for(device)
    response = verify(client, wrong)
    assert response.status_code == 400
    assert not is_verified(client)
    attempt = AccessAttempt.objects.get(username=user.username)
    assert attempt.failures_since_start == 1
    # The code typed is masked like a password in axes's record.
    assert wrong not in attempt.post_data
    assert events(user, SecurityEvent.Kind.OTP_FAILED) == 1


def test_five_wrong_codes_lock_the_username_and_the_right_code_is_then_refused(client):
    user = UserFactory()
    device = enrol(user)
    # A second browser that got past the password before the lock.
    other = client.__class__()
    password_login(other, user)
    password_login(client, user)
    for _attempt in range(5):
        response = verify(client, wrong_code_for(device))
    assert response.status_code == 429
    assert "15" in response.content.decode()
    # The half-finished sign-in ends with the lock.
    assert "_auth_user_id" not in client.session
    refused = verify(other, code_for(device))
    assert refused.status_code == 429
    assert "_auth_user_id" not in other.session
    # And the password is refused for 15 minutes too.
    again = client.post(
        reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD}
    )
    assert again.status_code == 429


def test_a_recovery_code_signs_in_once_only(client):
    user = UserFactory()
    enrol(user)
    password_login(client, user)
    response = verify(client, RECOVERY_CODES[0].upper())
    assert response.status_code == 302
    assert is_verified(client)
    assert StaticToken.objects.filter(device__user=user).count() == 9
    assert events(user, SecurityEvent.Kind.RECOVERY_CODE_USED) == 1
    client.post(reverse("accounts:logout"))
    password_login(client, user)
    assert verify(client, RECOVERY_CODES[0]).status_code == 400
    assert not is_verified(client)


def test_the_verify_page_needs_a_signed_in_user(client):
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_verify_page_refuses_other_methods(client):
    client.force_login(UserFactory())
    assert client.put(VERIFY).status_code == 405


def test_an_external_next_address_is_not_followed(client):
    user = UserFactory()
    device = enrol(user)
    password_login(client, user)
    response = verify(client, code_for(device), next_url="https://evil.example/")
    assert response.url == reverse("home")


def test_optional_enrolment_for_a_supervisor_works(client):
    user = UserFactory(role=User.Role.SUPERVISOR, organisation=None)
    client.force_login(user)
    assert client.get(reverse("accounts:two_factor")).status_code == 200
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(ENROL, {"otp_token": code_for(device)})
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed


def test_seed_demo_says_staff_set_up_two_step_verification(monkeypatch):
    # Only the printed lines matter here; the data set has tests of its own.
    monkeypatch.setattr(seed_demo, "demo_seeders", list)
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert "两步验证" in output.getvalue()
