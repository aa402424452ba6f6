"""Reads of the open day. Staff pages filter by the asking user first; public reads return
only published (or replaced) versions, so a draft is never reachable without a login."""

from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from audit_portal.accounts.models import User
from inspections.models import Institution
from inspections.selectors import institutions_for
from openday.models import (
    PublicComplaint,
    Registration,
    Summary,
    SummaryEntry,
    VisitDay,
)

# Staff pages -------------------------------------------------------------------------------------

# Complaints listed on a home page.
PANEL_ROWS = 5


def summaries_for(user: User) -> QuerySet[Summary]:
    """Civil-affairs staff and administrators read every version (the summary is the area's);
    everyone else none (404)."""
    summaries = Summary.objects.select_related("drafted_by", "approved_by", "published_by")
    if user.is_authenticated and user.is_active and user.has_perm("openday.view_summary"):
        return summaries
    return summaries.none()


def with_booked(visit_days: QuerySet[VisitDay]) -> QuerySet[VisitDay]:
    booked = (
        Registration.objects.filter(visit_day=OuterRef("pk"), status=Registration.Status.ACTIVE)
        .order_by()
        .values("visit_day")
        .annotate(n=Sum("party_size"))
        .values("n")
    )
    return visit_days.annotate(
        booked=Coalesce(Subquery(booked, output_field=IntegerField()), Value(0))
    )


def visit_days_for(user: User) -> QuerySet[VisitDay]:
    visit_days = VisitDay.objects.select_related("institution", "institution__county")
    if not user.is_authenticated or not user.has_perm("openday.view_visitday"):
        return visit_days.none()
    return with_booked(visit_days.filter(institution__in=institutions_for(user)))


def registrations_for(user: User) -> QuerySet[Registration]:
    if not user.is_authenticated or not user.has_perm("openday.view_registration"):
        return Registration.objects.none()
    return Registration.objects.filter(visit_day__institution__in=institutions_for(user))


def complaints_for(user: User) -> QuerySet[PublicComplaint]:
    """Staff of the bureaus above the institution (its county, the city) and the supervisors
    of a group the complaint was routed to, while they work at the institution."""
    complaints = PublicComplaint.objects.select_related("institution", "county", "replied_by")
    if not user.is_authenticated or not user.has_perm("openday.view_publiccomplaint"):
        return complaints.none()
    if user.is_admin:
        return complaints
    in_scope = complaints.filter(institution__in=institutions_for(user))
    if user.is_civil_affairs_staff:
        return in_scope
    if user.is_supervisor:
        # EXISTS, not a join: a join needs DISTINCT, which sorts every complaint in scope.
        routed_to_me = PublicComplaint.groups.through.objects.filter(
            publiccomplaint=OuterRef("pk"),
            supervisiongroup__memberships__supervisor__user=user,
            supervisiongroup__memberships__left_on__isnull=True,
        )
        return in_scope.filter(Exists(routed_to_me))
    return complaints.none()


def complaints_panel(user: User) -> dict | None:
    complaints = complaints_for(user).exclude(status=PublicComplaint.Status.ANSWERED)
    if user.is_supervisor:
        complaints = complaints.filter(forwarded_as__isnull=True)
    waiting = list(complaints[:PANEL_ROWS])
    if not waiting:
        return None
    count = len(waiting) if len(waiting) < PANEL_ROWS else complaints.count()
    return {"complaints": waiting, "count": count}


# Public pages -------------------------------------------------------------------------------------


def published_years() -> QuerySet[Summary]:
    return Summary.objects.filter(status=Summary.Status.PUBLISHED).order_by("-year")


def public_summary(year: int, version: int | None = None) -> Summary | None:
    """The published version of a year, or a given version if the public may read it."""
    summaries = Summary.objects.filter(year=year, status__in=Summary.PUBLIC)
    if version is None:
        return summaries.filter(status=Summary.Status.PUBLISHED).first()
    return summaries.filter(version=version).first()


def public_versions(year: int) -> QuerySet[Summary]:
    return Summary.objects.filter(year=year, status__in=Summary.PUBLIC).order_by("-version")


def public_entry(summary: Summary, institution_id: int) -> SummaryEntry | None:
    return summary.entries.filter(institution_id=institution_id).first()


def public_institution(institution_id: int):
    """An institution the public may write about: one listed in a published summary."""
    listed = SummaryEntry.objects.filter(
        institution=OuterRef("pk"), summary__status=Summary.Status.PUBLISHED
    )
    return Institution.objects.filter(Exists(listed), pk=institution_id).first()


def public_visit_days(year: int) -> QuerySet[VisitDay]:
    return with_booked(
        VisitDay.objects.filter(year=year).select_related("institution", "institution__county")
    ).order_by("institution__county__name", "institution__name")


def public_visit_day(year: int, institution_id: int) -> VisitDay | None:
    return public_visit_days(year).filter(institution_id=institution_id).first()


def visit_years() -> list[int]:
    return list(VisitDay.objects.order_by("-year").values_list("year", flat=True).distinct())


def registration_by_code(code: str, phone: str) -> Registration | None:
    """A registration, given its code and the phone it was made with (both must match)."""
    code = code.strip().upper()
    phone = "".join(ch for ch in phone if ch.isdigit())[-11:]
    if not code or not phone:
        return None
    return (
        Registration.objects.select_related("visit_day", "visit_day__institution")
        .filter(Q(code=code) & Q(phone=phone))
        .first()
    )


def complaint_by_code(code: str) -> PublicComplaint | None:
    code = code.strip().upper()
    if not code:
        return None
    return PublicComplaint.objects.select_related("institution").filter(code=code).first()


def names_on_record(candidates: set[str]) -> set[str]:
    """Which of ``candidates`` are the names of visitors or complainants on record: people whose
    names must not be published (``audit_portal.core.disclosure``)."""
    found = set(Registration.objects.filter(name__in=candidates).values_list("name", flat=True))
    found.update(PublicComplaint.objects.filter(name__in=candidates).values_list("name", flat=True))
    return found
