"""The residents seen on a monthly visit: who may record them, whom the visit lists to tick, the
write, and the link from the visit's page (``inspections.hooks.inspection_links``).

The visit is the placing station's: its staff tick the residents they saw, among those in care
under the visit's agreement on the visit's day. Readers are those who may read both the visit
(``inspections_for``) and the residents (``residents_for``); supervisors see neither list.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.history import save_audited, stamp
from inspections.models import Inspection
from residents.models import Resident, ResidentSeen
from residents.selectors import residents_for


def may_record(user: User, visit: Inspection) -> bool:
    """The visiting station's staff with the right to place residents."""
    return (
        user.is_authenticated
        and user.is_civil_affairs_staff
        and user.has_perm("residents.place_resident")
        and visit.agreement_id is not None
        and user.organisation_id == visit.agreement.station_id
    )


def _visit_day_bounds(visit: Inspection) -> tuple[datetime.datetime, datetime.datetime]:
    day = visit.performed_on or visit.planned_on
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    return start, start + datetime.timedelta(days=1)


def residents_to_tick(user: User, visit: Inspection) -> QuerySet[Resident]:
    """Residents in care under the visit's agreement at some time of the visit's day, and any
    already ticked, in the user's scope."""
    start, end = _visit_day_bounds(visit)
    in_care = Q(agreement_id=visit.agreement_id, admitted_at__lt=end) & (
        Q(discharged_at__isnull=True) | Q(discharged_at__gte=start)
    )
    ticked = Q(seen_on_visits__visit=visit)
    return residents_for(user).filter(in_care | ticked).distinct().order_by("name", "pk")


def seen_on(visit: Inspection) -> QuerySet[ResidentSeen]:
    return visit.residents_seen_on_record.select_related("resident").order_by("resident__name")


@transaction.atomic
def visit_residents_record(
    *, visit: Inspection, residents: list[Resident], notes: dict[int, str], actor: User
) -> list[ResidentSeen]:
    """Set the residents seen on the visit: the ticked ones are added (with their notes), the
    others removed; the history keeps who changed the list and when."""
    if visit.kind != Inspection.Kind.MONTHLY_VISIT:
        raise ValidationError(_("Residents are ticked on a monthly visit only."))
    if not may_record(actor, visit):
        raise PermissionDenied(_("Only the visiting station records the residents it saw."))
    allowed = set(residents_to_tick(actor, visit).values_list("pk", flat=True))
    if any(resident.pk not in allowed for resident in residents):
        raise ValidationError(_("Only residents in care under the visit's agreement are ticked."))
    reason = _("Residents seen on the monthly visit")
    wanted = {resident.pk: resident for resident in residents}
    existing = {row.resident_id: row for row in visit.residents_seen_on_record.all()}
    for resident_id, row in existing.items():
        if resident_id not in wanted:
            stamp(row, actor=actor, reason=reason)
            row.delete()
    rows = []
    for resident_id, resident in wanted.items():
        note = (notes.get(resident_id) or "").strip()
        row = existing.get(resident_id) or ResidentSeen(
            visit=visit, resident=resident, recorded_by=actor
        )
        if row.pk is None or row.note != note:
            row.note = note
            save_audited(row, actor=actor, reason=reason)
        rows.append(row)
    return rows


def inspection_links(user: User, inspection: Inspection) -> list[tuple[str, str]]:
    """The visit's page links to its residents seen, for readers of resident records."""
    if inspection.kind != Inspection.Kind.MONTHLY_VISIT:
        return []
    if not user.has_perm("residents.view_resident"):
        return []
    url = reverse("residents:visit_residents", args=[inspection.pk])
    return [(_("Residents seen on this visit"), url)]
