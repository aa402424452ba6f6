"""Reads of the security log: who may read it, and the log filtered for the search page."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from audit_portal.accounts.models import User
from audit_portal.security.models import SecurityEvent

# Administrators and the city bureau's staff (role_permissions in apps.py): the log covers
# every account of every county, so no county or station reads it.
VIEW_PERMISSION = "security.view_securityevent"


def may_read_log(user: User) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_PERMISSION)


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), timezone.get_current_timezone())


def events_filtered(
    queryset: QuerySet[SecurityEvent],
    *,
    username: str = "",
    kind: str = "",
    outcome: str = "",
    address: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[SecurityEvent]:
    """Each filter given narrows the log; the days are whole local (Asia/Shanghai) days, both
    ends included. Every filter is served by an index (``SecurityEvent.Meta.indexes``)."""
    if username:
        queryset = queryset.filter(username=username)
    if kind:
        queryset = queryset.filter(kind=kind)
    if outcome:
        queryset = queryset.filter(outcome=outcome)
    if address:
        queryset = queryset.filter(address=address)
    if date_from:
        queryset = queryset.filter(at__gte=_start_of(date_from))
    if date_to:
        queryset = queryset.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return queryset


def events_for(user: User) -> QuerySet[SecurityEvent]:
    """The whole log for a reader, newest first; nothing for anyone else."""
    if not may_read_log(user):
        return SecurityEvent.objects.none()
    return SecurityEvent.objects.select_related("user").order_by("-at", "-id")
