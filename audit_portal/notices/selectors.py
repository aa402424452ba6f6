"""Reads of notifications and of the to-do inbox for the person asking."""

import datetime

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, Window
from django.utils import timezone

from audit_portal.accounts.models import User
from audit_portal.accounts.selectors import organisations_in_scope
from audit_portal.notices import registry
from audit_portal.notices.models import Delivery, Notification
from audit_portal.notices.registry import InboxSection
from audit_portal.notices.services import _header_key, _home_key

# The header's counts are kept this many seconds per person (and forgotten at once when a
# notification reaches them or they read one), so a page does not count the inbox every time.
HEADER_SECONDS = 60
# Items shown per inbox section on the inbox page and on the home page.
INBOX_ITEMS = 10
HOME_INBOX_ITEMS = 3
# The latest unread notifications on the home page.
HOME_NOTIFICATIONS = 5


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
    for source in registry.sources("inbox_sources"):
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


def header_refresh(user: User, sections: list[InboxSection], *, unread: int | None = None) -> None:
    """A page that has just counted the inbox puts its count in the header's (and the unread
    count, when it has counted that too)."""
    cache.set(
        _header_key(user.pk),
        {
            "unread": unread_count(user) if unread is None else unread,
            "todo": sum(section.count for section in sections),
        },
        HEADER_SECONDS,
    )


def home_panel(user: User) -> dict:
    """The home page's inbox: the first few items of each section and the latest unread
    notifications (the header's counts are refreshed with them). Kept ``HEADER_SECONDS`` like
    the header's counts, and forgotten with them: when a notification reaches the user, when
    they read one, and after each change they make (``ForgetAfterWrites``), so what they have
    just done leaves their inbox at once; the inbox page itself always counts afresh."""
    key = _home_key(user.pk)
    panel = cache.get(key)
    if panel is None:
        panel = _home_panel(user)
        cache.set(key, panel, HEADER_SECONDS)
    return panel


def _home_panel(user: User) -> dict:
    sections = inbox(user, limit=HOME_INBOX_ITEMS)
    # The latest few and, on each row, how many are unread in all: one query.
    latest = list(
        notifications_for(user)
        .filter(read_at__isnull=True)
        .annotate(unread=Window(Count("pk")))[:HOME_NOTIFICATIONS]
    )
    unread = latest[0].unread if latest else 0
    header_refresh(user, sections, unread=unread)
    return {"sections": sections, "unread": unread, "latest": latest}


def deliveries_for(user: User):
    """The delivery log a user may read: everything for administrators; for civil-affairs
    staff, what went to the organisations in their scope, to their members and to the accounts
    of the institutions they oversee (in their counties, or placed by their station, as
    ``inspections.selectors.institutions_for`` counts them; named here by field, since the
    inspections app is a higher layer). Nobody else reads the log."""
    deliveries = Delivery.objects.select_related("user", "organisation")
    if user.is_admin:
        return deliveries
    if not user.is_civil_affairs_staff:
        return deliveries.none()
    scope = organisations_in_scope(user)
    overseen = User.objects.filter(pk=OuterRef("user_id")).filter(
        Q(institution__county__in=scope) | Q(institution__agreements__station__in=scope)
    )
    return deliveries.filter(
        Q(organisation__in=scope) | Q(user__organisation__in=scope) | Exists(overseen)
    )
