"""What waits for the placing station in the resident records: the to-do inbox's sections
(``inbox_sources``, see ``audit_portal/notices/registry.py``) and the station's home panel
(``home_panels``). The station owns the search and the return (谁送托、谁负责): family-search
notices past their 24 hours, police answers past their month, long stays with no settlement
filed, and follow-up visits after a return home not made by their day.

Each reads the user's own scope (``residents_for``), so the counts are the station's.
"""

import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.notices.registry import InboxItem, InboxSection, inbox_section
from residents import selectors
from residents.models import FollowUpVisit, IdentityStep, Resident

# Rows a home panel lists per kind.
PANEL_ROWS = 5


def _station(user: User) -> bool:
    """The inbox and the panel are for the staff who do the search: the placing station's."""
    return (
        user.is_authenticated
        and user.is_civil_affairs_staff
        and user.organisation_kind == "station"
        and user.has_perm("residents.place_resident")
    )


def _resident_url(resident_id: int) -> str:
    return reverse("residents:resident_detail", args=[resident_id])


def _overdue_steps(user: User, kind: str) -> QuerySet[IdentityStep]:
    return selectors.overdue_identity_steps(user, timezone.now()).filter(kind=kind)


def _step_item(step: IdentityStep) -> InboxItem:
    return InboxItem(
        title=f"{step.resident.name} · {step.resident.institution}",
        url=_resident_url(step.resident_id),
        due=step.due_at,
        overdue=True,
        detail=str(step.get_kind_display()),
    )


def _overdue_list_url() -> str:
    return reverse("residents:resident_list") + "?status=in_care&overdue=on"


def search_notices_overdue(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """Family-search notices (寻亲公告) not published within their hours of the admission."""
    if not _station(user):
        return None
    return inbox_section(
        "resident_notices_overdue",
        _("Family-search notices overdue"),
        _overdue_steps(user, IdentityStep.Kind.NOTICE),
        limit=limit,
        item=_step_item,
        more_url=_overdue_list_url(),
    )


def police_answers_overdue(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """Identity verification requests the police have not answered within their month."""
    if not _station(user):
        return None
    return inbox_section(
        "resident_police_overdue",
        _("Police identity answers overdue"),
        _overdue_steps(user, IdentityStep.Kind.POLICE),
        limit=limit,
        item=_step_item,
        more_url=_overdue_list_url(),
    )


def long_stays_unsettled(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """Residents in care whose stay has become long with no settlement report or application."""
    if not _station(user):
        return None

    def item(resident: Resident) -> InboxItem:
        return InboxItem(
            title=f"{resident.name} · {resident.institution}",
            url=_resident_url(resident.pk),
            due=resident.long_stay_on,
            overdue=True,
            detail=_("Long stay: settlement to file"),
        )

    return inbox_section(
        "resident_long_stays",
        _("Long stays without a settlement step"),
        selectors.long_stays_unsettled(user, on),
        limit=limit,
        item=item,
        more_url=reverse("residents:resident_list") + "?status=in_care&long_stay=on",
    )


def follow_ups_missed(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """Follow-up visits after a return home not made by their day."""
    if not _station(user):
        return None

    def item(visit: FollowUpVisit) -> InboxItem:
        resident = visit.return_home.resident
        return InboxItem(
            title=f"{resident.name} · {visit.return_home.home_area}",
            url=_resident_url(resident.pk),
            due=visit.due_on,
            overdue=True,
            detail=_("Follow-up visit missed"),
        )

    return inbox_section(
        "resident_follow_ups_missed",
        _("Follow-up visits missed"),
        selectors.follow_ups_missed(user, on),
        limit=limit,
        item=item,
        more_url=reverse("residents:return_ledger"),
    )


def station_panel(user: User) -> dict | None:
    """The placing station's home: the four overdue kinds, a few of each, with their counts."""
    if not _station(user):
        return None
    today = timezone.localdate()
    sections = [
        source(user, on=today, limit=PANEL_ROWS)
        for source in (
            search_notices_overdue,
            police_answers_overdue,
            long_stays_unsettled,
            follow_ups_missed,
        )
    ]
    return {"sections": sections, "total": sum(section.count for section in sections)}
