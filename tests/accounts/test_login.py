import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "accounts:login"


def post_login(client, username, password):
    return client.post(reverse(LOGIN), {"username": username, "password": password})


def test_the_login_page_speaks_chinese(client):
    response = client.get(reverse(LOGIN))
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in response.content.decode()
    assert "登录" in response.content.decode()


def test_it_logs_in_and_lands_on_the_home_page(client):
    UserFactory(username="alice")
    response = post_login(client, "alice", TEST_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_password_and_an_unknown_user_get_the_same_message(client):
    UserFactory(username="alice")
    wrong_password = post_login(client, "alice", "Wrong#Pass1")
    unknown_user = post_login(client, "nobody", "Wrong#Pass1")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert wrong_password.context["form"].non_field_errors() == (
        unknown_user.context["form"].non_field_errors()
    )


@pytest.mark.parametrize("username", ["alice", "nobody"])
def test_five_failures_lock_the_username_for_everyone(client, username):
    UserFactory(username="alice")
    for _attempt in range(5):
        post_login(client, username, "Wrong#Pass1")
    # Even the right password, from another address, is refused while locked.
    response = client.post(
        reverse(LOGIN),
        {"username": username, "password": TEST_PASSWORD},
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 429
    assert "15" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_looks_the_same_for_known_and_unknown_usernames(client):
    UserFactory(username="alice")
    pages = []
    for username in ("alice", "nobody"):
        for _attempt in range(6):
            response = post_login(client, username, "Wrong#Pass1")
        page = response.content.decode().replace(username, "X")
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
        pages.append(re.sub(r'name="once_token" value="[^"]+"', "", page))
    assert pages[0] == pages[1]


def test_four_failures_do_not_lock(client):
    UserFactory(username="alice")
    for _attempt in range(4):
        post_login(client, "alice", "Wrong#Pass1")
    response = post_login(client, "alice", TEST_PASSWORD)
    assert response.status_code == 302
    # A success resets the count.
    assert not AccessAttempt.objects.filter(username="alice").exists()


def test_the_lock_ends_after_15_minutes(client, time_machine):
    UserFactory(username="alice")
    time_machine.move_to("2026-11-23 09:00:00+08:00", tick=False)
    for _attempt in range(5):
        post_login(client, "alice", "Wrong#Pass1")
    time_machine.move_to("2026-11-23 09:14:00+08:00", tick=False)
    assert post_login(client, "alice", TEST_PASSWORD).status_code == 429
    time_machine.move_to("2026-11-23 09:15:01+08:00", tick=False)
    assert post_login(client, "alice", TEST_PASSWORD).status_code == 302


def test_logout_needs_a_post(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
