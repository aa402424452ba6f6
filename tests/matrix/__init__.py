"""The permission matrix: for every named URL, the status each persona gets.

Each module in this package contributes ``ENTRIES`` for its capability. ``test_permission_matrix``
fails when a named URL has no entry, so a new page cannot ship without a decision about who may
see it. The rules: an outsider gets 404, a read-only user who tries to write gets 403, an
anonymous visitor of a private page is sent to the login page (302).
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.world import PERSONAS


@dataclass(frozen=True)
class Entry:
    name: str
    expect: dict[str, int]
    kwargs: Callable = field(default=lambda world: {})
    method: str = "get"
    data: Callable = field(default=lambda world: {})
    query: str = ""
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}[{self.method}]{self.label}"


def expect(default: int, **overrides: int) -> dict[str, int]:
    unknown = set(overrides) - set(PERSONAS)
    if unknown:
        raise ValueError(f"unknown personas: {unknown}")
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


def logged_in(status: int, **overrides: int) -> dict[str, int]:
    """A private page: anonymous visitors are redirected to log in."""
    return expect(status, anonymous=302, **overrides)


def all_entries() -> list[Entry]:
    entries: list[Entry] = []
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        entries.extend(getattr(module, "ENTRIES", []))
    return entries
