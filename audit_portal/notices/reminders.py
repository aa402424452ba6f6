"""The daily reminder run: every app's reminders for the day, then the unfinished deliveries
and the digests. Safe to run twice (each reminder's key reaches a person once) and safe to miss
a day (sources yield the step reached, not only the step due today)."""

import datetime
import logging
from collections.abc import Sequence

from django.utils import timezone

from audit_portal.notices import services
from audit_portal.notices.registry import sources
from audit_portal.rules import rules

logger = logging.getLogger(__name__)


def step_reached(days_left: int, steps: Sequence[int]) -> int | None:
    """The most urgent reminder step reached with ``days_left`` days to go: with steps
    (60, 30, 7, 0), 45 days left → 60, 29 → 30 (the 30-day reminder, a day late if a run was
    missed), 0 or less → 0; more than the longest → None. Only the latest step is sent, so a
    long outage does not send every step passed at once."""
    reached = [step for step in steps if step >= days_left]
    return min(reached) if reached else None


def catching_up(days_past: int) -> bool:
    """Whether a step passed ``days_past`` days ago is still sent (a missed run caught up) or
    too old to be news (``reminder_catch_up_days``)."""
    return 0 <= days_past <= rules().reminder_catch_up_days


def reminders_send(
    *, on: datetime.date | None = None, now: datetime.datetime | None = None
) -> dict:
    """Send the reminders of day ``on`` (today by default); returns counts for the log."""
    now = now or timezone.now()
    on = on or timezone.localdate(now)
    made = reminders = 0
    for source in sources("reminder_sources"):
        for reminder in source(on):
            reminders += 1
            made += len(
                services.notify(
                    kind=reminder.kind,
                    recipients=reminder.recipients,
                    key=reminder.key,
                    message=reminder.message,
                    params=reminder.params,
                    url=reminder.url,
                    now=now,
                )
            )
    resumed = services.deliveries_resume(now=now)
    digests = services.digests_send(now=now)
    return {"reminders": reminders, "notifications": made, "resumed": resumed, "digests": digests}
