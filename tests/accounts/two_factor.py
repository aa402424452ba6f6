"""Helpers for the two-step verification tests: an enrolled user, the current code, a
signed-in session halfway (password only) or all the way."""

from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TEST_PASSWORD

RECOVERY_CODES = [f"code{index:04d}" for index in range(10)]


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


def enrol(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=t) for t in RECOVERY_CODES)
    return device


def password_login(client, user, next_url: str = ""):
    data = {"username": user.username, "password": TEST_PASSWORD}
    url = reverse("accounts:login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, data)


def verify(client, token: str, next_url: str = "/"):
    return client.post(
        reverse("accounts:two_factor_verify"), {"otp_token": token, "next": next_url}
    )


def verified_login(client, user, device: TOTPDevice) -> None:
    """A session that gave its second factor, without spending a code."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
