"""Journeys in a real browser: Debian's Chromium driven by Playwright against the live server.

Each journey saves a screenshot per step under ``test-artefacts/journeys/<journey>/`` and fails
on a page with a serious or critical accessibility violation (axe-core, vendored from npm in
``vendor/``, run in the page) or on a message in the browser's console (a script error, a
refused Content-Security-Policy, a missing file).
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.journey import Journey

# Playwright's synchronous API runs an event loop in the test's thread, where Django would
# otherwise refuse database access as if it were async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTEFACTS = Path(settings.BASE_DIR) / "test-artefacts" / "journeys"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser journeys need Debian's chromium "
            "(scripts/bootstrap.sh installs it; apt-get install chromium)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def journey(chromium, live_server, request) -> Iterator:
    """``journey("supervisor", phone=True)``: a browser context of its own (cookies, viewport),
    screenshots under the test's name."""
    name = re.sub(r"[^a-z0-9_]+", "-", request.node.name.lower()).strip("-")
    folder = ARTEFACTS / name
    if folder.exists():
        for old in folder.glob("*.png"):
            old.unlink()
    opened: list[Journey] = []
    counter: list[str] = []

    def open_journey(label: str, *, phone: bool = False) -> Journey:
        context = chromium.new_context(
            viewport=PHONE if phone else DESKTOP,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            base_url=live_server.url,
        )
        context.set_default_timeout(10_000)
        journey = Journey(context, folder, label, base_url=live_server.url, counter=counter)
        opened.append(journey)
        return journey

    yield open_journey
    for journey in opened:
        journey.close()
