"""Reads scoped to the asking user, and the figures other apps ask for.

Who sees a resident (PIPL: the fewest who need to): the institution caring for them (its own
accounts), the station that placed them, the county bureau of the institution's county, the city
bureau and administrators. Supervisors see no record (counts only, in the monthly reports).
"""

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from audit_portal.accounts.models import Organisation, User
from audit_portal.rules import rules
from inspections.dates import add_months
from inspections.selectors import institutions_for
from residents.models import FollowUpVisit, IdentityStep, Resident, ReturnHome, Settlement


def residents_for(user: User) -> QuerySet[Resident]:
    residents = Resident.objects.select_related("institution", "station", "agreement")
    if not user.is_authenticated or not user.is_active:
        return residents.none()
    if user.is_admin:
        return residents
    if user.is_institution_user and user.institution_id:
        return residents.filter(
            institution__in=institutions_for(user), institution_id=user.institution_id
        )
    if user.is_civil_affairs_staff and user.organisation_id:
        org = user.organisation
        if org.kind == Organisation.Kind.CITY:
            return residents.filter(institution__county__parent_id=org.pk)
        if org.kind == Organisation.Kind.COUNTY:
            return residents.filter(institution__county_id=org.pk)
        return residents.filter(station_id=org.pk)
    return residents.none()


def readable_by_supervisor(user: User) -> QuerySet[Resident]:
    """The residents a supervisor may ask to read (one at a time, logged: the services), where
    the area allows it: those at the institutions the supervisor supervises today."""
    if not rules().supervisor_resident_read or not user.is_authenticated or not user.is_supervisor:
        return Resident.objects.none()
    return Resident.objects.filter(institution__in=institutions_for(user)).select_related(
        "institution"
    )


def names_on_record(candidates: set[str]) -> set[str]:
    """Which of ``candidates`` are residents' names (``audit_portal.core.disclosure``)."""
    return set(Resident.objects.filter(name__in=candidates).values_list("name", flat=True))


def in_care_count(agreement_id: int) -> int:
    """Residents in care now under an agreement: what its agreed places are counted against."""
    return Resident.objects.filter(agreement_id=agreement_id, discharged_at__isnull=True).count()


# The list --------------------------------------------------------------------------------------


def open_overdue_steps_q(now: datetime.datetime) -> Q:
    return Q(done_at__isnull=True, due_at__lt=now)


def with_flags(residents: QuerySet[Resident], now: datetime.datetime) -> QuerySet[Resident]:
    """Annotated with ``overdue_step`` (an identity step past its due moment) and
    ``settlement_filed`` (a settlement step is on record), for the list's badges and filters."""
    overdue = IdentityStep.objects.filter(open_overdue_steps_q(now), resident=OuterRef("pk"))
    filed = Settlement.objects.filter(resident=OuterRef("pk"))
    return residents.annotate(overdue_step=Exists(overdue), settlement_filed=Exists(filed))


def filtered(
    residents: QuerySet[Resident],
    *,
    on: datetime.date,
    institution=None,
    status: str = "",
    category: str = "",
    overdue: bool = False,
    long_stay: bool = False,
) -> QuerySet[Resident]:
    if institution is not None:
        residents = residents.filter(institution=institution)
    if status == "in_care":
        residents = residents.filter(discharged_at__isnull=True)
    elif status == "discharged":
        residents = residents.filter(discharged_at__isnull=False)
    if category:
        residents = residents.filter(category=category)
    if overdue:
        residents = residents.filter(overdue_step=True, discharged_at__isnull=True)
    if long_stay:
        residents = residents.filter(discharged_at__isnull=True, long_stay_on__lte=on)
    return residents


# What is due or overdue (for the inbox, reminders and panels) ---------------------------------


def overdue_identity_steps(user: User, now: datetime.datetime) -> QuerySet[IdentityStep]:
    """Identity steps of residents in care, in the user's scope, past their due moment."""
    return (
        IdentityStep.objects.filter(
            open_overdue_steps_q(now),
            resident__in=residents_for(user),
            resident__discharged_at__isnull=True,
        )
        .select_related("resident", "resident__institution")
        .order_by("due_at")
    )


def long_stays_unsettled(user: User, on: datetime.date) -> QuerySet[Resident]:
    """Residents in care whose stay is long on ``on``, with no settlement step filed."""
    return (
        residents_for(user)
        .filter(discharged_at__isnull=True, long_stay_on__lte=on)
        .exclude(Exists(Settlement.objects.filter(resident=OuterRef("pk"))))
        .order_by("long_stay_on")
    )


def follow_ups_for(user: User) -> QuerySet[FollowUpVisit]:
    return FollowUpVisit.objects.filter(
        return_home__resident__in=residents_for(user)
    ).select_related("return_home__resident")


def follow_ups_missed(user: User, on: datetime.date) -> QuerySet[FollowUpVisit]:
    """Follow-up visits not done by their day."""
    return follow_ups_for(user).filter(done_on__isnull=True, due_on__lt=on).order_by("due_on")


def follow_ups_due(user: User, on: datetime.date, within_days: int) -> QuerySet[FollowUpVisit]:
    """Follow-up visits not done and due from ``on`` to ``within_days`` later."""
    last = on + datetime.timedelta(days=within_days)
    return (
        follow_ups_for(user)
        .filter(done_on__isnull=True, due_on__gte=on, due_on__lte=last)
        .order_by("due_on")
    )


def returns_for(user: User) -> QuerySet[ReturnHome]:
    """The returned-home ledger in the user's scope, annotated with ``missed_follow_ups``."""
    today = timezone.localdate()
    return (
        ReturnHome.objects.filter(resident__in=residents_for(user))
        .select_related("resident", "resident__institution", "resident__station")
        .annotate(
            missed_follow_ups=Count(
                "follow_ups",
                filter=Q(follow_ups__done_on__isnull=True, follow_ups__due_on__lt=today),
            ),
            open_follow_ups=Count("follow_ups", filter=Q(follow_ups__done_on__isnull=True)),
        )
        .order_by("-returned_on", "-pk")
    )


# Monthly figures (for the monthly reports, R2) ------------------------------------------------

FIGURE_KEYS = (
    "start",
    "admitted",
    "discharged",
    "end",
    "long_stay",
    *(f"discharged_{kind}" for kind in Resident.Discharge.values),
)


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The month of ``month`` as local-time moments [start, end)."""
    first = month.replace(day=1)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(add_months(first, 1), datetime.time.min, tzinfo=zone)
    return start, end


def in_care_at_q(moment: datetime.datetime) -> Q:
    """Residents in care at ``moment`` (admitted before it, not yet discharged by it)."""
    return Q(admitted_at__lt=moment) & (
        Q(discharged_at__isnull=True) | Q(discharged_at__gte=moment)
    )


def monthly_figures(institution_ids, month: datetime.date) -> dict[tuple[int, str], dict]:
    """``{(institution_id, category): {figure: n}}`` for the month of ``month``, counted from
    the records (one query): in care at the start, admitted, discharged (in all and by kind),
    in care at the end, and long stays among those in care at the end (on the month's last day).
    Combinations with no resident are left out."""
    start, end = month_bounds(month)
    last_day = add_months(month.replace(day=1), 1) - datetime.timedelta(days=1)
    discharged = Q(discharged_at__gte=start, discharged_at__lt=end)
    counts = {
        "start": Count("pk", filter=in_care_at_q(start)),
        "admitted": Count("pk", filter=Q(admitted_at__gte=start, admitted_at__lt=end)),
        "discharged": Count("pk", filter=discharged),
        "end": Count("pk", filter=in_care_at_q(end)),
        "long_stay": Count("pk", filter=in_care_at_q(end) & Q(long_stay_on__lte=last_day)),
    }
    for kind in Resident.Discharge.values:
        counts[f"discharged_{kind}"] = Count("pk", filter=discharged & Q(discharge_kind=kind))
    rows = (
        Resident.objects.filter(institution_id__in=list(institution_ids), admitted_at__lt=end)
        .filter(Q(discharged_at__isnull=True) | Q(discharged_at__gte=start))
        .values("institution_id", "category")
        .annotate(**counts)
        .order_by()
    )
    figures: dict[tuple[int, str], dict] = defaultdict(dict)
    for row in rows:
        key = (row.pop("institution_id"), row.pop("category"))
        figures[key] = row
    return dict(figures)
