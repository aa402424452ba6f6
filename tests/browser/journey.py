"""One person's browser in a journey: pages, a screenshot per step, accessibility checks and the
browser console watched throughout."""

import re
from pathlib import Path

from django.conf import settings

from tests.sign_in import session_for

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# What axe-core checks: WCAG 2.1 A and AA (contrast included).
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag",
    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


class Journey:
    def __init__(self, context, folder: Path, label: str, *, base_url: str, counter: list):
        self.context = context
        self.folder = folder
        self.label = label
        self.base_url = base_url
        # Steps numbered across the test's browsers, in the order they happen.
        self._counter = counter
        self.page = context.new_page()
        self.console: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console.append(f"page error: {error}"))
        self.page.on("response", self._response)

    def _console(self, message) -> None:
        # A page answered with an error status (a refusal, a lockout) is the journey's to
        # check; a file the page needs and does not get is caught by ``_response``.
        if message.type in ("error", "warning") and "Failed to load resource" not in message.text:
            self.console.append(f"{message.type}: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.console.append(f"{response.status} for {response.url}")

    # Signing in -----------------------------------------------------------------------------

    def sign_in(self, user) -> "Journey":
        """Signed in as ``user`` without the login page (the login journey uses the page)."""
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session_for(user)}
        self.context.add_cookies([{**cookie, "url": self.base_url}])
        return self

    # Pages and steps ------------------------------------------------------------------------

    def go(self, path: str) -> "Journey":
        self.page.goto(path)
        return self

    def step(self, name: str, *, check: bool = True) -> None:
        """A screenshot of the page as it is now, then (``check``) the page's accessibility and
        the console so far."""
        self._counter.append(name)
        number = len(self._counter)
        self.folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", f"{self.label}-{name}".lower()).strip("-")
        self.page.screenshot(path=self.folder / f"{number:02d}-{slug}.png", full_page=True)
        if check:
            self.check_accessibility(name)
            self.check_console(name)

    def check_accessibility(self, name: str) -> None:
        # Evaluated through the DevTools protocol: the page's Content-Security-Policy (no
        # inline scripts) does not apply to it.
        self.page.evaluate(AXE.read_text())
        violations = self.page.evaluate(AXE_RUN)
        assert not violations, f"{self.label} · {name} ({self.page.url}): {violations}"

    def check_console(self, name: str) -> None:
        messages, self.console[:] = list(self.console), []
        assert not messages, f"{self.label} · {name} ({self.page.url}): {messages}"

    def close(self) -> None:
        self.context.close()


def zh(text: str, context: str | None = None) -> str:
    """The Chinese the pages show for ``text``: journeys find labels and buttons by the words a
    user reads, which follow the translations."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return translation.pgettext(context, text) if context else translation.gettext(text)
