"""Trimming the security log by age: the only way a row leaves it."""

import datetime

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from audit_portal.rules import rules
from audit_portal.security.models import SecurityEvent

# 网络安全法 art. 21: network logs are kept for no less than six months. An area may keep them
# longer (``security_event_retention_days``), never shorter.
RETENTION_FLOOR_DAYS = 180


def retention_days() -> int:
    days = rules().security_event_retention_days
    if days < RETENTION_FLOOR_DAYS:
        raise ImproperlyConfigured(
            f"security_event_retention_days is {days}: the security log is kept at least "
            f"{RETENTION_FLOOR_DAYS} days (网络安全法 art. 21)."
        )
    return days


def security_events_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the events older than the retention period; returns how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    deleted, _by_model = SecurityEvent.objects.filter(at__lt=cutoff).delete()
    return deleted
