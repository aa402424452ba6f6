"""Journey 5: five wrong passwords lock a username; a known and an unknown username see the same
page; once the lock has expired the right password gets in."""

import datetime

import time_machine
from django.utils import timezone

from tests.factories import TEST_PASSWORD, UserFactory


def attempt(browser, username: str, password: str) -> None:
    page = browser.page
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_a_locked_account_looks_like_an_unknown_one_and_opens_again_after_the_lock(journey):
    UserFactory(username="alice", full_name="王丽")
    known = journey("known")
    unknown = journey("unknown")
    with time_machine.travel(timezone.now(), tick=True) as clock:
        known.go("/accounts/login/")
        known.step("login page")
        attempt(known, "alice", "Wrong#Pass1")
        known.step("wrong password")
        wrong_password = known.page.locator(".errorlist").inner_text()
        attempt(unknown, "nobody", "Wrong#Pass1")
        assert unknown.page.locator(".errorlist").inner_text() == wrong_password
        for _ in range(5):
            attempt(known, "alice", "Wrong#Pass1")
            attempt(unknown, "nobody", "Wrong#Pass1")
        known.step("locked")
        unknown.step("unknown name locked too")
        assert known.page.locator("main").inner_text() == unknown.page.locator("main").inner_text()
        assert "15" in known.page.locator(".errorlist").inner_text()
        # Even the right password is refused while the lock lasts.
        attempt(known, "alice", TEST_PASSWORD)
        assert known.page.url.endswith("/accounts/login/")
        known.step("right password refused while locked")

        clock.shift(datetime.timedelta(minutes=16))
        attempt(known, "alice", TEST_PASSWORD)
        known.page.wait_for_url("**/")
        assert "王丽" in known.page.locator("header").inner_text()
        known.step("signed in after the lock")
