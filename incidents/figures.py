"""Incident figures and rates: per institution and quarter (the rates page and the risk
dashboard), per month and kind (the dashboard, the monthly reports' checks)."""

import datetime
from collections.abc import Iterable

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf, TruncMonth
from django.utils import timezone

from audit_portal.accounts.models import User
from audit_portal.rules import rules
from incidents.models import (
    Incident,
    Kind,
)
from inspections.dates import add_months
from inspections.models import CustodyAgreement, Institution
from inspections.selectors import institutions_for
from inspections.selectors.reports import month_bounds, reported_residents


# Overdue stages listed on a staff home page.
def quarter_bounds(year: int, quarter: int) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a calendar quarter in local time."""
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time(), tz),
        datetime.datetime.combine(end, datetime.time(), tz),
    )


def residents() -> Coalesce:
    """Residents of an institution, as an expression on an institution queryset: those at the
    end of the latest month it reported (monthly status reports), or, until it has reported,
    the agreed places of its active custody agreements."""
    places = (
        CustodyAgreement.objects.filter(
            institution=OuterRef("pk"), status=CustodyAgreement.Status.ACTIVE
        )
        .order_by()
        .values("institution")
        .annotate(total=Sum("agreed_places"))
        .values("total")
    )
    return Coalesce(reported_residents(), Subquery(places, output_field=IntegerField()), Value(0))


def with_incident_rates(
    institutions: QuerySet[Institution], start: datetime.datetime, end: datetime.datetime
) -> QuerySet[Institution]:
    """Annotate residents, the incidents and deaths of [start, end) (by when they happened) and
    both rates per 100 residents (NULL without residents). Subqueries, not joins, so other
    annotations can sit beside them without multiplying rows."""
    window = Q(institution=OuterRef("pk"), occurred_at__gte=start, occurred_at__lt=end)
    counts = Incident.objects.filter(window).order_by().values("institution")
    # Float division: integer division would truncate on SQLite and PostgreSQL alike.
    hundred = Value(100.0, output_field=FloatField())
    return institutions.annotate(
        residents=residents(),
        incident_count=Coalesce(
            Subquery(counts.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            Value(0),
        ),
        death_count=Coalesce(
            Subquery(counts.annotate(n=Sum("deaths")).values("n"), output_field=IntegerField()),
            Value(0),
        ),
    ).annotate(
        incident_rate=ExpressionWrapper(
            Cast("incident_count", FloatField()) * hundred / NullIf(F("residents"), 0),
            output_field=FloatField(),
        ),
        death_rate=ExpressionWrapper(
            Cast("death_count", FloatField()) * hundred / NullIf(F("residents"), 0),
            output_field=FloatField(),
        ),
    )


def incident_rates(user: User, year: int, quarter: int) -> QuerySet[Institution]:
    """Per institution in scope: incidents and deaths in the quarter (by when they happened),
    residents, both rates per 100 residents and whether either reaches its threshold."""
    start, end = quarter_bounds(year, quarter)
    r = rules()
    return (
        with_incident_rates(institutions_for(user), start, end)
        .annotate(
            flagged=ExpressionWrapper(
                Q(incident_rate__gte=r.incident_rate_threshold_per_100)
                | Q(death_rate__gte=r.incident_death_rate_threshold_per_100),
                output_field=BooleanField(),
            )
        )
        .order_by(F("incident_rate").desc(nulls_last=True), "name")
    )


def incident_kinds() -> list[Kind]:
    return list(Kind)


def incident_figures(
    institution_ids: Iterable[int], months: Iterable[datetime.date]
) -> dict[tuple[int, datetime.date], dict[str, int]]:
    """Deaths and residents still missing at month end, by (institution, month), from the
    incident records (when each incident happened): deaths from every kind of incident, missing
    from missing-resident incidents whose resident was not found within the same month."""
    months = sorted(set(months))
    if not months:
        return {}
    start, _ignored = month_bounds(months[0])
    _ignored, end = month_bounds(months[-1])
    still_missing = Q(kind=Kind.MISSING) & (
        Q(resident_found_at__isnull=True) | Q(found_month__gt=F("month"))
    )
    rows = (
        Incident.objects.filter(
            institution_id__in=list(institution_ids), occurred_at__gte=start, occurred_at__lt=end
        )
        .order_by()
        .annotate(month=TruncMonth("occurred_at"), found_month=TruncMonth("resident_found_at"))
        .values("institution_id", "month")
        .annotate(deaths=Sum("deaths"), missing=Sum("missing_count", filter=still_missing))
    )
    figures = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date()
        figures[(row["institution_id"], month)] = {
            "deaths": row["deaths"] or 0,
            "missing": row["missing"] or 0,
        }
    return figures


def incidents_by_kind_per_month(user: User, months: int, on: datetime.date) -> list[dict]:
    """Incidents in scope per month (by when they happened) and kind, oldest month first; each
    month with its segments as shares of the busiest month, for plain CSS bars."""
    from incidents.selectors import incidents_for  # it imports this module

    first = add_months(on.replace(day=1), -(months - 1))
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time(), tz)
    counts: dict[tuple[datetime.date, str], int] = {}
    for row in (
        incidents_for(user)
        .filter(occurred_at__gte=start, institution__isnull=False)
        .order_by()
        .annotate(month=TruncMonth("occurred_at"))
        .values("month", "kind")
        .annotate(n=Count("pk"))
    ):
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date()
        counts[(month, row["kind"])] = row["n"]
    rows = []
    for index in range(months):
        month = add_months(first, index)
        kinds = [(kind, counts.get((month, kind.value), 0)) for kind in Kind]
        rows.append({"month": month, "total": sum(n for _kind, n in kinds), "kinds": kinds})
    busiest = max((row["total"] for row in rows), default=0) or 1
    for row in rows:
        row["segments"] = [
            {"kind": kind, "count": n, "share": round(100 * n / busiest, 2)}
            for kind, n in row["kinds"]
            if n
        ]
    return rows
