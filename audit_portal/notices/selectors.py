"""Reads of notifications and of the to-do inbox for the person asking."""

import datetime

from django.core.cache import cache
from django.utils import timezone

from audit_portal.accounts.models import User
from audit_portal.notices.models import Notification
from audit_portal.notices.registry import InboxSection, sources
from audit_portal.notices.services import _header_key

# The header's counts are kept this many seconds per person (and forgotten at once when a
# notification reaches them or they read one), so a page does not count the inbox every time.
HEADER_SECONDS = 60
# Items shown per inbox section on the inbox page and on the home page.
INBOX_ITEMS = 10
HOME_INBOX_ITEMS = 3


def notifications_for(user: User):
    return Notification.objects.filter(recipient=user)


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(
    user: User, *, on: datetime.date | None = None, limit: int = INBOX_ITEMS
) -> list[InboxSection]:
    """The sections with something waiting for ``user``, each with its first ``limit`` items."""
    on = on or timezone.localdate()
    found = []
    for source in sources("inbox_sources"):
        section = source(user, on=on, limit=limit)
        if section is not None and section.count:
            found.append(section)
    return found


def header_counts(user: User) -> dict[str, int]:
    """Unread notifications and waiting to-dos, for the header; kept ``HEADER_SECONDS``."""
    key = _header_key(user.pk)
    counts = cache.get(key)
    if counts is None:
        counts = {
            "unread": unread_count(user),
            "todo": sum(section.count for section in inbox(user, limit=0)),
        }
        cache.set(key, counts, HEADER_SECONDS)
    return counts


def header_refresh(user: User, sections: list[InboxSection]) -> None:
    """A page that has just counted the inbox puts its count in the header's."""
    cache.set(
        _header_key(user.pk),
        {"unread": unread_count(user), "todo": sum(section.count for section in sections)},
        HEADER_SECONDS,
    )
