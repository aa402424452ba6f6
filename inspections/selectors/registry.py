"""Reads scoped to the asking user. Every list of institution-owned records starts here."""

import datetime

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from guardian.shortcuts import get_objects_for_user

from audit_portal.accounts.models import Organisation, User
from audit_portal.core.middleware import per_request
from audit_portal.rules import rules
from inspections import hooks
from inspections.dates import latest_start_for_anniversary
from inspections.models import (
    CustodyAgreement,
    DocumentKind,
    Institution,
    QualificationDocument,
)


def institutions_for(user: User) -> QuerySet[Institution]:
    """The institutions a user may see (README: "Which records — scope")."""
    institutions = Institution.objects.all()
    if not user.is_authenticated or not user.is_active:
        return institutions.none()
    if user.is_admin:
        return institutions
    if user.is_civil_affairs_staff and user.organisation_id:
        org = user.organisation
        if org.kind == Organisation.Kind.CITY:
            return institutions.filter(county__parent_id=org.pk)
        if org.kind == Organisation.Kind.COUNTY:
            return institutions.filter(county_id=org.pk)
        # "Whoever places, is responsible": a station supervises where it places.
        return institutions.filter(
            Exists(CustodyAgreement.objects.filter(institution=OuterRef("pk"), station_id=org.pk))
        )
    if user.is_institution_user:
        return get_objects_for_user(
            user,
            "inspections.view_institution",
            klass=institutions,
            accept_global_perms=False,
            with_superuser=False,
        ).filter(pk=user.institution_id)
    if user.is_supervisor:
        return institutions.filter(pk__in=_supervised_ids(user))
    return institutions.none()


def _supervised_ids(user: User) -> list[int]:
    """The few institutions a supervisor works at today, read once per request: every list of
    the page then filters on a handful of ids, where a subquery over the grants left the planner
    joining every inspection before filtering (100 ms at city scale)."""
    from django.utils import timezone

    def read() -> list[int]:
        supervised = hooks.supervised_institutions(user, Institution.objects.all())
        return list(supervised.values_list("pk", flat=True))

    return per_request(("supervised_institutions", user.pk, timezone.localdate()), read)


def with_eligibility(
    institutions: QuerySet[Institution], on: datetime.date
) -> QuerySet[Institution]:
    """Annotate ``is_eligible`` in the database: the same rule as ``Institution.eligibility``
    (tests check the two agree), usable to filter and count lists."""
    valid = Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    conditions = Q(
        operation_started_on__lte=latest_start_for_anniversary(on, rules().min_operation_years)
    )
    for kind in DocumentKind:
        conditions &= Exists(
            QualificationDocument.objects.filter(
                valid,
                institution=OuterRef("pk"),
                kind=kind,
                status=QualificationDocument.Status.VERIFIED,
                valid_from__lte=on,
            )
        )
    return institutions.annotate(
        is_eligible=Case(
            When(conditions, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def documents_for(user: User) -> QuerySet[QualificationDocument]:
    return QualificationDocument.objects.filter(institution__in=institutions_for(user))


def documents_lapsing(
    documents: QuerySet[QualificationDocument], first: datetime.date, last: datetime.date
) -> QuerySet[QualificationDocument]:
    """Verified documents among ``documents`` whose last valid day falls between ``first`` and
    ``last`` (both included) with no verified renewal that covers the day after."""
    renewed = QualificationDocument.objects.filter(
        institution=OuterRef("institution"),
        kind=OuterRef("kind"),
        status=QualificationDocument.Status.VERIFIED,
        valid_from__lte=OuterRef("valid_until"),
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=OuterRef("valid_until")))
    return documents.filter(
        status=QualificationDocument.Status.VERIFIED,
        valid_until__gte=first,
        valid_until__lte=last,
    ).exclude(Exists(renewed))


def documents_expiring(
    user: User, on: datetime.date, within_days: int
) -> QuerySet[QualificationDocument]:
    """Verified documents in the user's scope that lapse within ``within_days`` of ``on``
    (today included) and have no verified renewal that covers the day after."""
    horizon = on + datetime.timedelta(days=within_days)
    return (
        documents_lapsing(documents_for(user), on, horizon)
        .select_related("institution", "institution__county")
        .order_by("valid_until", "institution__name")
    )


def agreements_for(user: User) -> QuerySet[CustodyAgreement]:
    agreements = CustodyAgreement.objects.filter(institution__in=institutions_for(user))
    if (
        user.is_authenticated
        and user.is_civil_affairs_staff
        and user.organisation_kind == "station"
    ):
        agreements = agreements.filter(station_id=user.organisation_id)
    return agreements.select_related("station", "institution")


def institution_history(institution: Institution) -> list:
    """Every change to the institution and its documents, agreements and placements."""
    from audit_portal.core.history_view import trail
    from inspections.models import Placement

    return trail(
        [
            Institution.history.filter(id=institution.pk),
            QualificationDocument.history.filter(institution_id=institution.pk),
            CustodyAgreement.history.filter(institution_id=institution.pk),
            Placement.history.filter(agreement__institution_id=institution.pk),
        ]
    )


def expiring_panel(user: User) -> dict | None:
    """Staff home: documents lapsing within each warning period (the institutions not eligible
    today are counted on the risk panel)."""
    from django.utils import timezone

    today = timezone.localdate()
    days = sorted(rules().expiry_warning_days)
    expiring = documents_expiring(user, today, days[-1])
    # Every warning period in one pass over the documents lapsing within the longest.
    counts = expiring.aggregate(
        **{
            f"d{d}": Count("pk", filter=Q(valid_until__lte=today + datetime.timedelta(days=d)))
            for d in days
        }
    )
    return {
        "buckets": [{"days": d, "count": counts[f"d{d}"]} for d in days],
        "soonest": list(expiring[:5]),
    }


def my_institution_panel(user: User) -> dict | None:
    from django.utils import timezone

    institution = institutions_for(user).filter(pk=user.institution_id).first()
    if institution is None:
        return None
    today = timezone.localdate()
    return {
        "institution": institution,
        "eligibility": institution.eligibility(today),
        "expiring": documents_expiring(user, today, max(rules().expiry_warning_days)),
    }
