"""What waits for each person in the open day, for the to-do inbox (``inbox_sources``; see
``audit_portal/notices/registry.py``): the summaries waiting for this user's approval."""

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.notices.registry import InboxItem, InboxSection, inbox_section
from openday.models import Summary, SummaryEntry


def summaries_to_approve(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """Drafts the user may approve: none that the user wrote any part of (the rule of
    ``policies.contributors``, as a condition in the database)."""
    if user.is_institution_user or user.is_supervisor:
        return None
    if not user.has_perm("openday.approve_summary"):
        return None
    wrote = Summary.history.filter(id=OuterRef("pk"), history_user_id=user.pk)
    wrote_entry = SummaryEntry.history.filter(
        summary_id=OuterRef("pk"), history_user_id=user.pk
    ).exclude(history_type="+")
    waiting = (
        Summary.objects.filter(status=Summary.Status.DRAFT)
        .exclude(drafted_by_id=user.pk)
        .exclude(Exists(wrote))
        .exclude(Exists(wrote_entry))
        .order_by("year", "version")
    )
    return inbox_section(
        "summaries_to_approve",
        _("Open-day summaries to approve"),
        waiting,
        limit=limit,
        item=lambda summary: InboxItem(
            title=_("Open-day summary %(year)s, version %(version)s")
            % {"year": summary.year, "version": summary.version},
            url=reverse("openday:summary_detail", args=[summary.pk]),
        ),
    )
