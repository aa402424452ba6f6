"""Every page a persona may open, at a phone's width (390 px) and a desktop's (1366 px): nothing
wider than the screen (a table scrolls inside its own frame, the page does not) and no text cut
by a box too small for it.

The pages are the permission matrix's GET entries answered 200 (``tests/matrix``), each opened
once per persona that may see it. The layout does not depend on the database: the check runs on
SQLite only (the suite's other tests run on both)."""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.journey import session_for
from tests.matrix import all_entries
from tests.world import PERSONAS, build_world

# Elements wider than the viewport, and boxes that clip their own text.
LAYOUT = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width + 1) {
    const wide = [...document.querySelectorAll("body *")].filter(e => {
      const box = e.getBoundingClientRect();
      return box.right > width + 1 && !e.parentElement.closest(".table-wrap, pre");
    }).slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""));
    problems.push(`page ${document.documentElement.scrollWidth}px wide: ${wide.join(", ")}`);
  }
  for (const e of document.querySelectorAll("body *")) {
    const style = getComputedStyle(e);
    if (!["hidden", "clip"].includes(style.overflowX)) continue;
    if (e.closest(".sr-only, .visually-hidden")) continue;
    if (e.scrollWidth > e.clientWidth + 1 && e.textContent.trim()) {
      problems.push(`text cut in ${e.tagName.toLowerCase()}.${e.className}`);
    }
  }
  return problems;
}"""


def pages_for(world) -> dict[str, list[str]]:
    pages: dict[str, list[str]] = {persona: [] for persona in PERSONAS}
    for entry in all_entries():
        if entry.method != "get" or entry.name.startswith(("admin:", "api:")):
            continue
        url = reverse(entry.name, kwargs=entry.kwargs(world)) + entry.query
        if url.endswith((".pdf", ".ics", ".xlsx", ".csv", ".json", ".svg", ".png")):
            continue
        for persona in PERSONAS:
            if entry.expect[persona] == 200:
                pages[persona].append(url)
    return pages


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the layout does not depend on it")
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_is_wider_than_the_screen_or_cuts_its_text(persona, chromium, live_server):
    # One test per persona, so the test processes share the pages out.
    world = build_world()
    found = []
    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN", base_url=live_server.url)
    user = world.users[persona]
    if user is not None:
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session_for(user),
                    "url": live_server.url,
                }
            ]
        )
    page = context.new_page()
    # Each page is checked first at the width the previous one ended at: one resize per page.
    widths = [PHONE, DESKTOP]
    for url in dict.fromkeys(pages_for(world)[persona]):
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a file, not a page
            raise
        if response is None or response.status != 200:
            continue  # a page that changed what it answers is the matrix's to report
        widths.reverse()
        for viewport in widths:
            if viewport != page.viewport_size:
                page.set_viewport_size(viewport)
            for problem in page.evaluate(LAYOUT):
                found.append(f"{url} at {viewport['width']} px: {problem}")
    context.close()
    assert not found, "\n".join(found)
