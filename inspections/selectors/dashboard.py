"""The staff risk dashboard: one row per institution in the user's scope with the figures that
say where to go first, a risk score whose parts are shown, and three charts.

Every figure is aggregated in the database, and the number of queries is fixed however many
institutions there are: the rows are one query (each figure a subquery), the latest reports'
consistency checks a handful, and each chart one or two.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.rules import rules
from inspections import hooks
from inspections.dates import add_months
from inspections.models import Inspection, Institution, Issue, MonthlyReport
from inspections.models.reports import last_due_month
from inspections.selectors.inspections import issues_for, raised_and_closed_by_month
from inspections.selectors.registry import institutions_for, with_eligibility
from inspections.selectors.reports import active_agreement_in, is_flagged, report_checks

PANEL_ROWS = 8


def _count(queryset: QuerySet) -> Coalesce:
    """The number of rows of ``queryset`` (filtered on ``institution=OuterRef("pk")``)."""
    counted = queryset.order_by().values("institution").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _latest(queryset: QuerySet, field_name: str) -> Subquery:
    latest = queryset.order_by().values("institution").annotate(m=Max(field_name)).values("m")
    return Subquery(latest, output_field=DateField())


def dashboard_queryset(user: User, on: datetime.date) -> QuerySet[Institution]:
    """The institutions in scope (not terminated) with every figure of the dashboard."""
    r = rules()
    now = timezone.now()
    mine = {"institution": OuterRef("pk")}
    unclosed = Issue.objects.filter(**mine).exclude(status=Issue.Status.CLOSED)
    performed = Inspection.objects.filter(**mine, performed_on__isnull=False)
    received = MonthlyReport.objects.filter(**mine, first_submitted_at__isnull=False)
    due = last_due_month(on)
    last_month = add_months(on.replace(day=1), -1)
    last_month_end = on.replace(day=1) - datetime.timedelta(days=1)
    missing = Value(0)
    for index in range(r.monthly_report_late_list_months):
        month = add_months(due, -index)
        owed = active_agreement_in(month) & ~Exists(received.filter(month=month))
        missing = missing + _flag(owed)
    institutions = institutions_for(user).exclude(status=Institution.Status.TERMINATED)
    window_start = now - datetime.timedelta(days=r.dashboard_incident_window_days)
    return (
        hooks.with_incident_rates(with_eligibility(institutions, on), window_start, now)
        .select_related("county")
        .annotate(
            open_issues=_count(unclosed),
            overdue_issues=_count(unclosed.filter(deadline__lt=on)),
            last_inspection=_latest(
                performed.exclude(kind=Inspection.Kind.MONTHLY_VISIT), "performed_on"
            ),
            last_visit=_latest(
                performed.filter(kind=Inspection.Kind.MONTHLY_VISIT), "performed_on"
            ),
            last_report_month=_latest(received, "month"),
            missing_reports=missing,
            owes_visit_last_month=active_agreement_in(last_month),
            visited_last_month=Exists(
                performed.filter(
                    kind=Inspection.Kind.MONTHLY_VISIT,
                    performed_on__range=(last_month, last_month_end),
                )
            ),
            has_active_agreement=active_agreement_in(on.replace(day=1)),
        )
    )


def _flag(condition) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


@dataclass(frozen=True)
class Part:
    label: str
    detail: str
    points: float


@dataclass
class Row:
    institution: Institution
    parts: list[Part] = field(default_factory=list)
    latest_report: MonthlyReport | None = None
    latest_report_flagged: bool = False

    @property
    def score(self) -> float:
        return round(sum(part.points for part in self.parts), 1)


def _parts(institution: Institution, on: datetime.date, flagged: bool) -> list[Part]:
    r = rules()
    parts: list[Part] = []

    def add(label: str, detail: str, points: float) -> None:
        if points:
            parts.append(Part(label, detail, round(points, 1)))

    if not institution.is_eligible:
        add(_("Not eligible"), "", r.risk_weight_ineligible)
    add(
        _("Overdue issues"),
        f"{institution.overdue_issues} × {r.risk_weight_overdue_issue}",
        institution.overdue_issues * r.risk_weight_overdue_issue,
    )
    add(
        _("Open issues"),
        f"{institution.open_issues} × {r.risk_weight_open_issue}",
        institution.open_issues * r.risk_weight_open_issue,
    )
    stale = on - datetime.timedelta(days=r.dashboard_inspection_stale_days)
    if institution.last_inspection is None or institution.last_inspection < stale:
        add(
            _("No inspection for %(days)d days") % {"days": r.dashboard_inspection_stale_days},
            "",
            r.risk_weight_no_recent_inspection,
        )
    if institution.owes_visit_last_month and not institution.visited_last_month:
        add(_("No monthly visit last month"), "", r.risk_weight_no_visit_last_month)
    add(
        _("Monthly reports missing"),
        f"{institution.missing_reports} × {r.risk_weight_missing_report}",
        institution.missing_reports * r.risk_weight_missing_report,
    )
    if flagged:
        add(_("Unexplained discrepancy in the last report"), "", r.risk_weight_unexplained_report)
    if institution.incident_rate:
        add(
            _("Incidents per 100 residents"),
            f"{institution.incident_rate:.1f} × {r.risk_weight_incident_rate:g}",
            institution.incident_rate * r.risk_weight_incident_rate,
        )
    add(
        _("Deaths"),
        f"{institution.death_count} × {r.risk_weight_death}",
        institution.death_count * r.risk_weight_death,
    )
    return parts


def dashboard_rows(user: User, on: datetime.date) -> list[Row]:
    """Every institution in scope, riskiest first (ties by name)."""
    institutions = list(dashboard_queryset(user, on))
    latest = _latest_reports(institutions)
    checks = report_checks(latest.values())
    rows = []
    for institution in institutions:
        report = latest.get(institution.pk)
        flagged = report is not None and is_flagged(report, checks[report.pk])
        row = Row(institution, latest_report=report, latest_report_flagged=flagged)
        row.parts = _parts(institution, on, flagged)
        rows.append(row)
    return sorted(rows, key=lambda row: (-row.score, row.institution.name))


def _latest_reports(institutions: list[Institution]) -> dict[int, MonthlyReport]:
    """The latest received report of each institution, in one query."""
    wanted = Q()
    for institution in institutions:
        if institution.last_report_month is not None:
            wanted |= Q(institution_id=institution.pk, month=institution.last_report_month)
    if not wanted:
        return {}
    return {report.institution_id: report for report in MonthlyReport.objects.filter(wanted)}


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


def dashboard_panel(user: User) -> dict | None:
    """Staff home: the riskiest institutions first, with the totals across the scope."""
    today = timezone.localdate()
    rows = dashboard_rows(user, today)
    return {
        "rows": rows[:PANEL_ROWS],
        "more": max(len(rows) - PANEL_ROWS, 0),
        "summary": summary(rows),
        "today": today,
        **windows(today),
    }


def windows(on: datetime.date) -> dict:
    r = rules()
    return {
        "window": r.dashboard_incident_window_days,
        "stale_before": on - datetime.timedelta(days=r.dashboard_inspection_stale_days),
    }


def summary(rows: list[Row]) -> dict:
    institutions = [row.institution for row in rows]
    return {
        "institutions": len(rows),
        "ineligible": sum(1 for i in institutions if not i.is_eligible),
        "overdue_issues": sum(i.overdue_issues for i in institutions),
        "missing_reports": sum(i.missing_reports for i in institutions),
        "incidents": sum(i.incident_count for i in institutions),
        "deaths": sum(i.death_count for i in institutions),
    }
