"""The staff risk dashboard: one row per institution in the user's scope with the figures that
say where to go first, a risk score whose parts are shown, and three charts.

The figures are stored per institution (``InstitutionRisk``, kept by
``inspections.services.risk``), so a page reads one page of rows, sorted and paginated in SQL,
and the totals in one aggregate over the scope's rows, however many issues, inspections,
reports and incidents there are. The charts count the last months of records per scope and are
kept in the cache for a few minutes (their time is shown).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Min, OuterRef, Q, QuerySet, Sum, Window
from django.utils import timezone

from audit_portal.accounts.models import User
from audit_portal.core.facts import counted
from audit_portal.rules import rules
from inspections import hooks
from inspections.dates import add_months
from inspections.models import Institution, InstitutionRisk, MonthlyReport
from inspections.models.reports import last_due_month
from inspections.selectors.inspections import issues_for, raised_and_closed_by_month
from inspections.selectors.registry import institutions_for
from inspections.selectors.reports import active_agreement_in
from inspections.selectors.risk import Part, score_parts
from inspections.services.risk import risk_bring_up_to_date

PANEL_ROWS = 8
# Seconds the charts of a scope are kept before they are counted again.
CHARTS_SECONDS = 5 * 60

# ?sort= → ORDER BY; each ends with the institution for a stable page order. The score order is
# the index ``inspections_risk_by_score``; the others sort the scope's rows (one per institution).
SORTS = {
    "score": ("-score", "institution__name", "institution"),
    "name": ("institution__name", "institution"),
    "overdue": ("-overdue_issues", "-score", "institution"),
    "open": ("-open_issues", "-score", "institution"),
    "inspection": (F("last_inspection").asc(nulls_first=True), "-score", "institution"),
    "reports": ("-missing_reports", "-score", "institution"),
    "incidents": ("-incident_rate", "-incident_count", "-score", "institution"),
}


@dataclass
class Row:
    figures: InstitutionRisk
    parts: list[Part] = field(default_factory=list)

    @property
    def institution(self) -> Institution:
        return self.figures.institution

    @property
    def score(self) -> float:
        return self.figures.score

    @property
    def latest_report(self) -> MonthlyReport | None:
        return self.figures.latest_report

    @property
    def latest_report_flagged(self) -> bool:
        return self.figures.latest_report_flagged


def _scope(user: User) -> QuerySet[Institution]:
    return institutions_for(user).exclude(status=Institution.Status.TERMINATED)


def risk_figures(user: User, on: datetime.date, sort: str = "score") -> QuerySet[InstitutionRisk]:
    """The stored figures of the institutions in scope (recounting those out of date first),
    in the order ``sort`` names (riskiest first by default)."""
    scope = _scope(user)
    risk_bring_up_to_date(scope, on)
    order = SORTS.get(sort, SORTS["score"])
    return (
        InstitutionRisk.objects.filter(institution__in=scope)
        .select_related("institution__county", "latest_report")
        .order_by(*order)
    )


def rows_of(figures) -> list[Row]:
    """Rows with the parts of their score, for the figures of one page."""
    return [Row(f, score_parts(f, f.counted_on)) for f in figures]


def dashboard_rows(user: User, on: datetime.date) -> list[Row]:
    """Every institution in scope, riskiest first (ties by name)."""
    return rows_of(risk_figures(user, on))


# The totals across the scope's stored rows, and how fresh they are.
_TOTALS = {
    "institutions": Count("pk"),
    "ineligible": Count("pk", filter=Q(is_eligible=False)),
    "overdue_issues": Sum("overdue_issues"),
    "missing_reports": Sum("missing_reports"),
    "incidents": Sum("incident_count"),
    "deaths": Sum("death_count"),
    "oldest_day": Min("counted_on"),
    "oldest": Min("counted_at"),
    "newest": Max("counted_at"),
}
_SUMS = ("overdue_issues", "missing_reports", "incidents", "deaths")


def _totals(values: dict, on: datetime.date) -> dict:
    totals = {name: values.get(name) for name in _TOTALS}
    totals["institutions"] = totals["institutions"] or 0
    totals["ineligible"] = totals["ineligible"] or 0
    for name in _SUMS:
        totals[name] = totals[name] or 0
    totals["outdated"] = totals["oldest_day"] is not None and totals["oldest_day"] < on
    return totals


def summary(user: User, on: datetime.date) -> dict:
    """The totals across the scope, and how fresh the figures are: one aggregate over the
    scope's stored rows."""
    scope = InstitutionRisk.objects.filter(institution__in=_scope(user))
    return _totals(scope.aggregate(**_TOTALS), on)


def top_with_summary(user: User, on: datetime.date, count: int) -> tuple[list[Row], dict]:
    """The first ``count`` rows (riskiest first) and the totals of ``summary``, in one query:
    the totals are window aggregates over every row of the scope, computed before the LIMIT."""
    figures = list(
        risk_figures(user, on).annotate(
            **{f"total_{name}": Window(aggregate) for name, aggregate in _TOTALS.items()}
        )[:count]
    )
    values = {name: getattr(figures[0], f"total_{name}") for name in _TOTALS} if figures else {}
    return rows_of(figures), _totals(values, on)


# Charts -----------------------------------------------------------------------------------------


def punctuality_by_month(user: User, months: int, on: datetime.date) -> list[dict]:
    """For each of the last ``months`` due months, oldest first: reports owed, received on
    time, received late and missing. Two queries: who owed (one conditional count per month)
    and what came in from them."""
    newest = last_due_month(on)
    window = [add_months(newest, -index) for index in reversed(range(months))]
    scope = institutions_for(user)
    owed = scope.aggregate(
        **{f"m{i}": Count("pk", filter=Q(active_agreement_in(m))) for i, m in enumerate(window)}
    )
    from_owing = Q()
    for month in window:
        from_owing |= Q(month=month) & Q(active_agreement_in(month, OuterRef("institution")))
    received = {
        row["month"]: row
        for row in MonthlyReport.objects.filter(
            from_owing, institution__in=scope, first_submitted_at__isnull=False
        )
        .order_by()
        .values("month")
        .annotate(
            on_time=Count("pk", filter=Q(days_late=0)), late=Count("pk", filter=Q(days_late__gt=0))
        )
    }
    rows = []
    for index, month in enumerate(window):
        got = received.get(month, {})
        row = {
            "month": month,
            "owed": owed[f"m{index}"],
            "on_time": got.get("on_time", 0),
            "late": got.get("late", 0),
        }
        row["missing"] = max(row["owed"] - row["on_time"] - row["late"], 0)
        total = max(row["owed"], row["on_time"] + row["late"]) or 1
        row["shares"] = {
            key: round(100 * row[key] / total, 2) for key in ("on_time", "late", "missing")
        }
        rows.append(row)
    return rows


def issues_per_month(user: User, months: int, on: datetime.date) -> list[dict]:
    return raised_and_closed_by_month(issues_for(user), months, on)


def charts(user: User, on: datetime.date) -> dict:
    """The three charts of the dashboard for the user's scope, counted at most once every
    CHARTS_SECONDS per scope (the same for every user of one organisation and role)."""
    key = f"inspections:dashboard-charts:{user.role}:{user.organisation_id}:{on:%Y%m%d}"
    months = rules().dashboard_chart_months
    return counted(
        key,
        CHARTS_SECONDS,
        lambda: {
            "issues": issues_per_month(user, months, on),
            "incidents": hooks.incidents_by_kind_per_month(user, months, on),
            "punctuality": punctuality_by_month(user, months, on),
        },
    )


def dashboard_panel(user: User) -> dict | None:
    """Staff home: the riskiest institutions first (the top of the index), with the totals
    across the scope."""
    today = timezone.localdate()
    rows, totals = top_with_summary(user, today, PANEL_ROWS)
    return {
        "rows": rows,
        "more": max(totals["institutions"] - len(rows), 0),
        "summary": totals,
        "today": today,
        **windows(today),
    }


def windows(on: datetime.date) -> dict:
    r = rules()
    return {
        "window": r.dashboard_incident_window_days,
        "stale_before": on - datetime.timedelta(days=r.dashboard_inspection_stale_days),
    }
