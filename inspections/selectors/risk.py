"""How the risk dashboard's figures are counted from the records, and how they make a score.

``figures_queryset`` is the expensive count (a subquery per figure per institution); only
``inspections.services.risk`` runs it, for the institutions whose stored figures
(``InstitutionRisk``) are out of date. Pages read the stored rows.
"""

import datetime
from dataclasses import dataclass

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

from audit_portal.rules import rules
from inspections import hooks
from inspections.dates import add_months
from inspections.models import Inspection, Institution, Issue, MonthlyReport
from inspections.models.reports import last_due_month
from inspections.selectors.registry import with_eligibility
from inspections.selectors.reports import active_agreement_in


def _count(queryset: QuerySet) -> Coalesce:
    """The number of rows of ``queryset`` (filtered on ``institution=OuterRef("pk")``)."""
    counted = queryset.order_by().values("institution").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _latest(queryset: QuerySet, field_name: str) -> Subquery:
    latest = queryset.order_by().values("institution").annotate(m=Max(field_name)).values("m")
    return Subquery(latest, output_field=DateField())


def _flag(condition) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def figures_queryset(institutions: QuerySet[Institution], on: datetime.date):
    """``institutions`` with every figure of the dashboard as of ``on``."""
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
    window_start = now - datetime.timedelta(days=r.dashboard_incident_window_days)
    return hooks.with_incident_rates(
        with_eligibility(institutions, on), window_start, now
    ).annotate(
        open_issues=_count(unclosed),
        overdue_issues=_count(unclosed.filter(deadline__lt=on)),
        last_inspection=_latest(
            performed.exclude(kind=Inspection.Kind.MONTHLY_VISIT), "performed_on"
        ),
        last_visit=_latest(performed.filter(kind=Inspection.Kind.MONTHLY_VISIT), "performed_on"),
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


def latest_reports(institutions) -> dict[int, MonthlyReport]:
    """The latest received report of each institution (with ``last_report_month``), one query."""
    wanted = Q()
    for institution in institutions:
        if institution.last_report_month is not None:
            wanted |= Q(institution_id=institution.pk, month=institution.last_report_month)
    if not wanted:
        return {}
    return {report.institution_id: report for report in MonthlyReport.objects.filter(wanted)}


@dataclass(frozen=True)
class Part:
    label: str
    detail: str
    points: float


def score_parts(figures, on: datetime.date) -> list[Part]:
    """The parts of the risk score of one institution's figures (an annotated institution or an
    ``InstitutionRisk`` row: the same attribute names), each with its reason."""
    r = rules()
    parts: list[Part] = []

    def add(label: str, detail: str, points: float) -> None:
        if points:
            parts.append(Part(label, detail, round(points, 1)))

    if not figures.is_eligible:
        add(_("Not eligible"), "", r.risk_weight_ineligible)
    add(
        _("Overdue issues"),
        f"{figures.overdue_issues} × {r.risk_weight_overdue_issue}",
        figures.overdue_issues * r.risk_weight_overdue_issue,
    )
    add(
        _("Open issues"),
        f"{figures.open_issues} × {r.risk_weight_open_issue}",
        figures.open_issues * r.risk_weight_open_issue,
    )
    stale = on - datetime.timedelta(days=r.dashboard_inspection_stale_days)
    if figures.last_inspection is None or figures.last_inspection < stale:
        add(
            _("No inspection for %(days)d days") % {"days": r.dashboard_inspection_stale_days},
            "",
            r.risk_weight_no_recent_inspection,
        )
    if figures.owes_visit_last_month and not figures.visited_last_month:
        add(_("No monthly visit last month"), "", r.risk_weight_no_visit_last_month)
    add(
        _("Monthly reports missing"),
        f"{figures.missing_reports} × {r.risk_weight_missing_report}",
        figures.missing_reports * r.risk_weight_missing_report,
    )
    if figures.latest_report_flagged:
        add(_("Unexplained discrepancy in the last report"), "", r.risk_weight_unexplained_report)
    if figures.incident_rate:
        add(
            _("Incidents per 100 residents"),
            f"{figures.incident_rate:.1f} × {r.risk_weight_incident_rate:g}",
            figures.incident_rate * r.risk_weight_incident_rate,
        )
    add(
        _("Deaths"),
        f"{figures.death_count} × {r.risk_weight_death}",
        figures.death_count * r.risk_weight_death,
    )
    return parts


def score(parts: list[Part]) -> float:
    return round(sum(part.points for part in parts), 1)
