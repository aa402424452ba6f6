"""Reads on inspections, issues and visits, scoped through ``institutions_for(user)``."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth

from audit_portal.accounts.models import User
from audit_portal.rules import rules
from inspections import hooks
from inspections.models import (
    ChecklistTemplate,
    CustodyAgreement,
    DeadlineExtension,
    Inspection,
    Issue,
    ItemResult,
    Rectification,
)
from inspections.selectors.registry import agreements_for, institutions_for


def inspections_for(user: User) -> QuerySet[Inspection]:
    inspections = Inspection.objects.filter(institution__in=institutions_for(user))
    if user.is_authenticated and user.is_institution_user:
        # The institution sees a report once it is opened for its comments, not the draft.
        inspections = inspections.filter(status__in=Inspection.SHOWN_TO_INSTITUTION)
    return inspections.select_related("institution", "lead", "template", "agreement")


def issues_for(user: User) -> QuerySet[Issue]:
    issues = Issue.objects.filter(institution__in=institutions_for(user))
    if user.is_authenticated and user.is_institution_user:
        issues = issues.filter(
            Q(inspection__isnull=True) | Q(inspection__status__in=Inspection.SHOWN_TO_INSTITUTION)
        )
    return issues.select_related("institution", "institution__county", "inspection", "raised_by")


def results_for(user: User) -> QuerySet[ItemResult]:
    return ItemResult.objects.filter(inspection__in=inspections_for(user))


def rectifications_for(user: User) -> QuerySet[Rectification]:
    return Rectification.objects.filter(issue__in=issues_for(user))


def templates_in_use() -> QuerySet[ChecklistTemplate]:
    return ChecklistTemplate.objects.filter(status=ChecklistTemplate.Status.ACTIVE)


def is_in_team(user: User, inspection: Inspection) -> bool:
    return inspection.lead_id == user.pk or inspection.team.filter(pk=user.pk).exists()


def inspection_filter(
    inspections: QuerySet[Inspection],
    *,
    team_member: User | None = None,
    status: str = "",
    kind: str = "",
    institution=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[Inspection]:
    """The inspection list's filters: the inspections ``team_member`` is on the team of, by
    status, by kind, by institution, and by date: the day it was performed, or for one not yet
    performed the day it is planned for (both bounds included)."""
    if team_member is not None:
        # EXISTS, not a join: a join needs DISTINCT, which sorts every inspection in scope.
        on_team = Inspection.team.through.objects.filter(
            inspection=OuterRef("pk"), user=team_member
        )
        inspections = inspections.filter(Exists(on_team))
    if status:
        inspections = inspections.filter(status=status)
    if kind:
        inspections = inspections.filter(kind=kind)
    if institution is not None:
        inspections = inspections.filter(institution=institution)
    if date_from is not None:
        inspections = inspections.filter(
            Q(performed_on__gte=date_from) | Q(performed_on__isnull=True, planned_on__gte=date_from)
        )
    if date_to is not None:
        inspections = inspections.filter(
            Q(performed_on__lte=date_to) | Q(performed_on__isnull=True, planned_on__lte=date_to)
        )
    return inspections


def team_candidates(user: User, institution) -> QuerySet[User]:
    """Who may be put on an inspection team: active staff whose scope includes the institution
    and the supervisors assigned to it today."""
    staff = User.objects.filter(is_active=True, role=User.Role.STAFF).filter(
        Q(organisation_id=institution.county_id)
        | Q(organisation_id=institution.county.parent_id)
        | Q(
            Exists(
                CustodyAgreement.objects.filter(
                    institution=institution, station_id=OuterRef("organisation_id")
                )
            )
        )
    )
    supervisors = hooks.assigned_supervisor_users(institution)
    return (staff | supervisors).distinct().order_by("role", "full_name", "username")


def with_issue_flags(issues: QuerySet[Issue], on: datetime.date) -> QuerySet[Issue]:
    return issues.annotate(
        pending_rectifications=Count(
            "rectifications", filter=Q(rectifications__decision=Rectification.Decision.PENDING)
        ),
        pending_extensions=Count(
            "extensions", filter=Q(extensions__decision=DeadlineExtension.Decision.PENDING)
        ),
    )


def ledger_filter(
    issues: QuerySet[Issue],
    *,
    on: datetime.date,
    county=None,
    institution=None,
    area: str = "",
    severity: str = "",
    status: str = "",
    overdue: bool = False,
    due_within: int | None = None,
    raised_by: User | None = None,
) -> QuerySet[Issue]:
    """The issue ledger's filters; the page, the counts and the Excel export all use this."""
    if county is not None:
        issues = issues.filter(institution__county=county)
    if institution is not None:
        issues = issues.filter(institution=institution)
    if area:
        issues = issues.filter(area=area)
    if severity:
        issues = issues.filter(severity=severity)
    if status == "unclosed":
        issues = issues.exclude(status=Issue.Status.CLOSED)
    elif status:
        issues = issues.filter(status=status)
    if overdue:
        issues = issues.exclude(status=Issue.Status.CLOSED).filter(deadline__lt=on)
    if due_within is not None:
        issues = issues.exclude(status=Issue.Status.CLOSED).filter(
            deadline__gte=on, deadline__lte=on + datetime.timedelta(days=due_within)
        )
    if raised_by is not None:
        issues = issues.filter(raised_by=raised_by)
    return issues


def ledger_counts(issues: QuerySet[Issue], on: datetime.date) -> dict:
    """Counts by area and by severity, and the totals, in one pass over the issues: grouped by
    area and severity together (a few dozen groups), then summed both ways here."""
    open_q = ~Q(status=Issue.Status.CLOSED)
    groups = (
        issues.order_by()
        .values("area", "severity")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=open_q),
            overdue=Count("pk", filter=open_q & Q(deadline__lt=on)),
        )
    )
    return fold_counts(groups)


def fold_counts(groups) -> dict:
    """Rows of (area, severity, total, open, overdue) summed by area, by severity and in all."""
    numbers = ("total", "open", "overdue")
    totals = dict.fromkeys(numbers, 0)
    by_area: dict[str, dict] = {}
    by_severity: dict[str, dict] = {}
    for group in groups:
        for key, into in (("area", by_area), ("severity", by_severity)):
            row = into.setdefault(group[key], {key: group[key], **dict.fromkeys(numbers, 0)})
            for number in numbers:
                row[number] += group[number]
        for number in numbers:
            totals[number] += group[number]
    totals["closed"] = totals["total"] - totals["open"]
    return {"totals": totals, "by_area": by_area, "by_severity": by_severity}


def raised_and_closed_by_month(issues: QuerySet[Issue], months: int, on: datetime.date) -> list:
    """Issues raised and issues closed in each of the last ``months`` months, oldest first."""
    from inspections.dates import add_months

    first = add_months(on.replace(day=1), -(months - 1))
    raised = dict(
        issues.filter(raised_on__gte=first)
        .order_by()
        .annotate(month=TruncMonth("raised_on"))
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    closed = dict(
        issues.filter(closed_on__gte=first)
        .order_by()
        .annotate(month=TruncMonth("closed_on"))
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    rows = []
    for index in range(months):
        month = add_months(first, index)
        rows.append(
            {"month": month, "raised": raised.get(month, 0), "closed": closed.get(month, 0)}
        )
    return rows


def visit_gaps(user: User, month: datetime.date) -> QuerySet[CustodyAgreement]:
    """Active agreements in the user's scope without the expected monthly visit in ``month``
    (any day of it): the agreement was in force for some day of that month and was active."""
    return agreements_without_visits(agreements_for(user), month)


def agreements_without_visits(
    agreements: QuerySet[CustodyAgreement], month: datetime.date
) -> QuerySet[CustodyAgreement]:
    """The active agreements among ``agreements`` in force for some day of ``month`` with
    fewer monthly visits in it than the rule expects."""
    from inspections.dates import add_months

    first = month.replace(day=1)
    last = add_months(first, 1) - datetime.timedelta(days=1)
    visits = Inspection.objects.filter(
        agreement=OuterRef("pk"),
        kind=Inspection.Kind.MONTHLY_VISIT,
        performed_on__range=(first, last),
    )
    return (
        agreements.filter(
            status=CustodyAgreement.Status.ACTIVE, starts_on__lte=last, ends_on__gte=first
        )
        .annotate(visit_count=Count("visits", filter=Q(visits__performed_on__range=(first, last))))
        .filter(visit_count__lt=rules().monthly_visits_per_agreement)
        .annotate(any_visit=Exists(visits))
        .order_by("institution__name", "number")
    )
