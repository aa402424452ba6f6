"""What the domain apps contribute, declared on their AppConfig as dotted paths:

- ``inbox_sources``: ``fn(user, *, on, limit) -> InboxSection | None``: the records waiting for
  this user's action (``None`` when the source does not concern the user's role). ``count`` is
  counted in SQL; ``items`` holds at most ``limit`` of them, the most urgent first (``limit=0``:
  only the count, for the header).
- ``reminder_sources``: ``fn(on) -> Iterable[Reminder]``: what the daily run sends on day ``on``.
  A source names each reminder with a ``key`` that includes its step (``issue:12:before:3``), so
  a second run on one day sends nothing again, and it yields the step reached by ``on`` (not only
  the step due exactly on ``on``), so a missed day is caught up by the next run.
- ``calendar_sources``: ``fn(user, *, start, end) -> Iterable[CalendarEvent]``: the dated
  duties in the user's scope between two days, for the calendar feed. Never a resident's name.
"""

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Window
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class InboxItem:
    title: str
    url: str
    # The day or time the action is due, when there is one; ``overdue`` when it has passed.
    due: datetime.date | datetime.datetime | None = None
    overdue: bool = False
    detail: str = ""


@dataclass(frozen=True)
class InboxSection:
    key: str
    label: str
    count: int
    items: tuple[InboxItem, ...] = ()
    # The page listing all of them, when the inbox shows only the first few.
    more_url: str = ""


@dataclass(frozen=True)
class Reminder:
    kind: str
    key: str
    recipients: Iterable = ()
    # An English message marked with ``gettext_noop`` and its parameters: translated when shown.
    message: str = ""
    params: dict = field(default_factory=dict)
    url: str = ""


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    day: datetime.date
    summary: str
    url: str = ""
    description: str = ""


@functools.cache
def sources(attribute: str) -> tuple[Callable, ...]:
    """The functions every installed app declares under ``attribute``, in app order."""
    found = []
    for config in apps.get_app_configs():
        for path in getattr(config, attribute, ()):
            found.append(import_string(path))
    return tuple(found)


def inbox_section(
    key: str,
    label: str,
    waiting,
    *,
    limit: int,
    item: Callable[[object], InboxItem],
    more_url: str = "",
) -> InboxSection:
    """A section from a queryset of the records waiting (sorted most urgent first): its first
    ``limit`` rows made into items by ``item``, and the count of them all. One query whatever
    the number waiting: the rows carry the count (``COUNT(*) OVER ()``); ``limit=0`` counts."""
    if not limit:
        return InboxSection(key=key, label=str(label), count=waiting.count(), more_url=more_url)
    rows = list(waiting.annotate(inbox_total=Window(Count("pk")))[:limit])
    return InboxSection(
        key=key,
        label=str(label),
        count=rows[0].inbox_total if rows else 0,
        items=tuple(item(row) for row in rows),
        more_url=more_url,
    )
