"""Sign-in, its failures, the lockout, sign-out and password changes in the security log: who,
from where, with what outcome; kept after axes has forgotten its own attempt rows."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from audit_portal.security.models import SecurityEvent
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

Kind, Outcome = SecurityEvent.Kind, SecurityEvent.Outcome
ADDRESS = "198.51.100.23"


def post_login(client, username, password):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ADDRESS,
        HTTP_USER_AGENT="Mozilla/5.0 测试浏览器",
    )


def test_a_sign_in_is_recorded_with_the_user_address_and_browser(client):
    alice = UserFactory(username="alice")
    assert post_login(client, "alice", TEST_PASSWORD).status_code == 302
    event = SecurityEvent.objects.get(kind=Kind.LOGIN)
    assert (event.user, event.username, event.address, event.outcome) == (
        alice,
        "alice",
        ADDRESS,
        Outcome.SUCCESS,
    )
    assert event.user_agent == "Mozilla/5.0 测试浏览器"


def test_a_wrong_password_is_recorded_as_a_failure_without_the_password(client):
    alice = UserFactory(username="alice")
    post_login(client, "alice", "Wrong#Pass1")
    event = SecurityEvent.objects.get(kind=Kind.LOGIN_FAILED)
    assert (event.user, event.username, event.address, event.outcome) == (
        alice,
        "alice",
        ADDRESS,
        Outcome.FAILURE,
    )
    assert not SecurityEvent.objects.filter(kind=Kind.LOGIN).exists()
    stored = " ".join(str(value) for value in SecurityEvent.objects.values_list())
    assert "Wrong#Pass1" not in stored


def test_an_unknown_username_is_kept_as_typed(client):
    post_login(client, "nobody", "Wrong#Pass1")
    event = SecurityEvent.objects.get(kind=Kind.LOGIN_FAILED)
    assert (event.user, event.username) == (None, "nobody")


def test_five_failures_lock_the_account_and_the_lockout_is_recorded(client):
    alice = UserFactory(username="alice")
    for _attempt in range(5):
        post_login(client, "alice", "Wrong#Pass1")
    assert SecurityEvent.objects.filter(kind=Kind.LOGIN_FAILED).count() == 5
    lockout = SecurityEvent.objects.get(kind=Kind.LOCKOUT)
    assert (lockout.user, lockout.address, lockout.outcome) == (alice, ADDRESS, Outcome.DENIED)
    # A try during the lock, even with the right password, is refused and recorded as such.
    assert post_login(client, "alice", TEST_PASSWORD).status_code == 429
    refused = SecurityEvent.objects.filter(kind=Kind.LOGIN_FAILED).first()
    assert (refused.outcome, refused.detail) == (Outcome.DENIED, "account locked")
    assert not SecurityEvent.objects.filter(kind=Kind.LOGIN).exists()


def test_failures_stay_in_the_log_after_axes_forgets_them(client):
    UserFactory(username="alice")
    for _attempt in range(3):
        post_login(client, "alice", "Wrong#Pass1")
    # A success resets axes's count (AXES_RESET_ON_SUCCESS), deleting its attempt row.
    post_login(client, "alice", TEST_PASSWORD)
    assert not AccessAttempt.objects.exists()
    assert SecurityEvent.objects.filter(kind=Kind.LOGIN_FAILED).count() == 3


def test_a_sign_out_is_recorded(client):
    alice = UserFactory()
    client.force_login(alice)
    client.post(reverse("accounts:logout"), REMOTE_ADDR=ADDRESS)
    event = SecurityEvent.objects.get(kind=Kind.LOGOUT)
    assert (event.user, event.address) == (alice, ADDRESS)


def test_changing_ones_own_password_is_recorded_without_the_password(client):
    alice = UserFactory()
    client.force_login(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Neues#Kennwort2026",
            "new_password2": "Neues#Kennwort2026",
        },
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind=Kind.PASSWORD_CHANGED)
    assert (event.user, event.address, event.target) == (alice, ADDRESS, f"user {alice.pk}")
    assert "Kennwort" not in f"{event.detail} {event.target}"


def test_a_refused_password_change_is_not_recorded_as_a_change(client):
    client.force_login(UserFactory())
    client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "x", "new_password2": "x"},
    )
    assert not SecurityEvent.objects.filter(kind=Kind.PASSWORD_CHANGED).exists()
