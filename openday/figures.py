"""The figures of an open-day summary, computed from the records in a fixed number of queries
(one per kind of record, whatever the number of institutions).

Definitions (each figure over the period [start, end], both days included):

- institutions: approved or suspended now, or under a custody agreement (not a draft) during
  the period; places: their bed capacity, and the agreed places of the agreements in force
  (active or suspended) on the last day of the period;
- residents: people placed with them during the period (placements), in total and by category;
  from the monthly status reports submitted for months in the period, the people admitted and
  those in care at the end of the latest reported month;
- inspections held: performed in the period and no longer merely planned, by kind;
- issues found: raised in the period, by area and severity; rectified: closed by the end of the
  period; rectified on time: closed by then and on or before the deadline in force;
- incidents: those that happened at the institution in the period, by kind and by grade;
- supervisor activity: inspections held that were supervisor visits or had a supervisor in the
  team or as lead; issues raised by supervisors; complaints supervisors forwarded and
  suggestions they made about the institution.

Only counts leave this module: nothing that names a resident or a supervisor.
"""

import datetime

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from audit_portal.accounts.models import User
from incidents.models import Incident
from inspections.models import CustodyAgreement, Inspection, Institution, Issue, Placement
from inspections.models.reports import MonthlyReport, MonthlyReportLine
from supervisors.models import Complaint, Suggestion, Term

# Counts that could point at a person when small (residents, incidents): shown to the public
# as "fewer than N" below the threshold. Inspection and issue counts describe the institution.
SENSITIVE = (
    "residents_placed",
    "residents_in_care",
    "residents_admitted",
    "residents_by_category",
    "incidents",
    "incidents_by_kind",
    "incidents_by_grade",
    "deaths",
)

COUNTS = (
    "beds",
    "agreed_places",
    "residents_placed",
    "residents_in_care",
    "residents_admitted",
    "inspections",
    "issues",
    "rectified",
    "rectified_on_time",
    "incidents",
    "deaths",
    "supervisor_visits",
    "supervisor_issues",
    "complaints_forwarded",
    "suggestions",
)
BREAKDOWNS = (
    "residents_by_category",
    "inspections_by_kind",
    "issues_by_severity",
    "incidents_by_kind",
    "incidents_by_grade",
)


def _empty() -> dict:
    figures: dict = dict.fromkeys(COUNTS, 0)
    for name in BREAKDOWNS:
        figures[name] = {}
    figures["issues_by_area"] = {}
    return figures


def _add(target: dict, key: str, value: int) -> None:
    if value:
        target[key] = target.get(key, 0) + value


def _local_bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time(), tz),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tz),
    )


def covered_institutions(start: datetime.date, end: datetime.date) -> QuerySet[Institution]:
    under_agreement = CustodyAgreement.objects.filter(
        institution=OuterRef("pk"), starts_on__lte=end, ends_on__gte=start
    ).exclude(status=CustodyAgreement.Status.DRAFT)
    return Institution.objects.filter(
        Q(status__in=[Institution.Status.APPROVED, Institution.Status.SUSPENDED])
        | Exists(under_agreement)
    )


def held_inspections(start: datetime.date, end: datetime.date) -> QuerySet[Inspection]:
    return Inspection.objects.filter(performed_on__gte=start, performed_on__lte=end).exclude(
        status=Inspection.Status.PLANNED
    )


def compute(start: datetime.date, end: datetime.date) -> tuple[dict, list[dict]]:
    """The area's figures and one row per institution (``institution``: the model instance,
    ``figures``: its counts)."""
    places = (
        CustodyAgreement.objects.filter(
            institution=OuterRef("pk"),
            status__in=[CustodyAgreement.Status.ACTIVE, CustodyAgreement.Status.SUSPENDED],
            starts_on__lte=end,
            ends_on__gte=end,
        )
        .order_by()
        .values("institution")
        .annotate(total=Sum("agreed_places"))
        .values("total")
    )
    institutions = list(
        covered_institutions(start, end)
        .select_related("county")
        .annotate(
            agreed_places=Coalesce(Subquery(places, output_field=IntegerField()), 0),
        )
        .order_by("county__name", "name")
    )
    rows = {inst.pk: _empty() for inst in institutions}
    for inst in institutions:
        rows[inst.pk]["beds"] = inst.bed_capacity
        rows[inst.pk]["agreed_places"] = inst.agreed_places
    ids = list(rows)

    _placements(rows, ids, start, end)
    _monthly_reports(rows, ids, start, end)
    _inspections(rows, ids, start, end)
    _issues(rows, ids, start, end)
    _incidents(rows, ids, start, end)
    _supervisor_records(rows, ids, start, end)

    area = _empty()
    for figures in rows.values():
        _sum_into(area, figures)
    area["institutions"] = len(institutions)
    area["supervisors"] = (
        Term.objects.filter(starts_on__lte=end, last_day__gte=start)
        .exclude(terminated_on__lte=start)
        .values("supervisor")
        .distinct()
        .count()
    )
    return area, [{"institution": inst, "figures": rows[inst.pk]} for inst in institutions]


def _sum_into(area: dict, figures: dict) -> None:
    for name in COUNTS:
        area[name] += figures[name]
    for name in BREAKDOWNS:
        for key, value in figures[name].items():
            _add(area[name], key, value)
    for area_key, by_severity in figures["issues_by_area"].items():
        target = area["issues_by_area"].setdefault(area_key, {})
        for severity, value in by_severity.items():
            _add(target, severity, value)


def _placements(rows: dict, ids: list, start, end) -> None:
    placed = (
        Placement.objects.filter(
            agreement__institution__in=ids, starts_on__gte=start, starts_on__lte=end
        )
        .values("agreement__institution", "category")
        .annotate(n=Sum("people"))
        .order_by()
    )
    for row in placed:
        figures = rows[row["agreement__institution"]]
        figures["residents_placed"] += row["n"]
        _add(figures["residents_by_category"], row["category"], row["n"])


def _monthly_reports(rows: dict, ids: list, start, end) -> None:
    in_period = MonthlyReport.objects.filter(
        institution__in=ids,
        first_submitted_at__isnull=False,
        month__gte=start.replace(day=1),
        month__lte=end,
    )
    latest = (
        MonthlyReport.objects.filter(
            institution=OuterRef("report__institution"),
            first_submitted_at__isnull=False,
            month__gte=start.replace(day=1),
            month__lte=end,
        )
        .order_by("-month")
        .values("pk")[:1]
    )
    lines = (
        MonthlyReportLine.objects.filter(report__in=in_period)
        .values("report__institution")
        .annotate(
            admitted=Sum("admitted"),
            in_care=Sum("end", filter=Q(report=Subquery(latest))),
        )
        .order_by()
    )
    for row in lines:
        figures = rows[row["report__institution"]]
        figures["residents_admitted"] += row["admitted"] or 0
        figures["residents_in_care"] += row["in_care"] or 0


def _inspections(rows: dict, ids: list, start, end) -> None:
    supervisor_in_team = Inspection.team.through.objects.filter(
        inspection_id=OuterRef("pk"), user__role=User.Role.SUPERVISOR
    )
    by_supervisor = (
        Q(kind=Inspection.Kind.SUPERVISOR_VISIT)
        | Q(lead__role=User.Role.SUPERVISOR)
        | Q(Exists(supervisor_in_team))
    )
    held = (
        held_inspections(start, end)
        .filter(institution__in=ids)
        .values("institution", "kind")
        .annotate(n=Count("pk"), by_supervisor=Count("pk", filter=by_supervisor))
        .order_by()
    )
    for row in held:
        figures = rows[row["institution"]]
        figures["inspections"] += row["n"]
        figures["supervisor_visits"] += row["by_supervisor"]
        _add(figures["inspections_by_kind"], row["kind"], row["n"])


def _issues(rows: dict, ids: list, start, end) -> None:
    closed = Q(status=Issue.Status.CLOSED, closed_on__lte=end)
    found = (
        Issue.objects.filter(institution__in=ids, raised_on__gte=start, raised_on__lte=end)
        .values("institution", "area", "severity")
        .annotate(
            n=Count("pk"),
            rectified=Count("pk", filter=closed),
            on_time=Count("pk", filter=closed & Q(closed_on__lte=F("deadline"))),
            by_supervisor=Count("pk", filter=Q(raised_by__role=User.Role.SUPERVISOR)),
        )
        .order_by()
    )
    for row in found:
        figures = rows[row["institution"]]
        figures["issues"] += row["n"]
        figures["rectified"] += row["rectified"]
        figures["rectified_on_time"] += row["on_time"]
        figures["supervisor_issues"] += row["by_supervisor"]
        _add(figures["issues_by_severity"], row["severity"], row["n"])
        _add(figures["issues_by_area"].setdefault(row["area"], {}), row["severity"], row["n"])


def _incidents(rows: dict, ids: list, start, end) -> None:
    since, until = _local_bounds(start, end)
    happened = (
        Incident.objects.filter(institution__in=ids, occurred_at__gte=since, occurred_at__lt=until)
        .values("institution", "kind", "grade")
        .annotate(n=Count("pk"), deaths=Sum("deaths"))
        .order_by()
    )
    for row in happened:
        figures = rows[row["institution"]]
        figures["incidents"] += row["n"]
        figures["deaths"] += row["deaths"] or 0
        _add(figures["incidents_by_kind"], row["kind"], row["n"])
        _add(figures["incidents_by_grade"], str(row["grade"]), row["n"])


def _supervisor_records(rows: dict, ids: list, start, end) -> None:
    complaints = (
        Complaint.objects.filter(institution__in=ids, received_on__gte=start, received_on__lte=end)
        .values("institution")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in complaints:
        rows[row["institution"]]["complaints_forwarded"] += row["n"]
    suggestions = (
        Suggestion.objects.filter(institution__in=ids, made_on__gte=start, made_on__lte=end)
        .values("institution")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in suggestions:
        rows[row["institution"]]["suggestions"] += row["n"]


def share(part: int, whole: int) -> float | None:
    """A percentage with one decimal, or None when there is nothing to divide."""
    if not whole:
        return None
    return round(100 * part / whole, 1)
