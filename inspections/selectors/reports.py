"""Reads on monthly status reports, scoped through ``institutions_for(user)``: the reports a user
may see, the pre-filled start figures, the consistency checks, which reports are owed, late or
missing, and the residents figure the incident rates divide by."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from audit_portal.accounts.models import User
from audit_portal.rules import rules
from inspections import hooks
from inspections.dates import add_months
from inspections.models import CustodyAgreement, Institution, ResidentCategory
from inspections.models.reports import (
    FIGURES,
    MonthlyReport,
    MonthlyReportLine,
    due_date,
    last_due_month,
)
from inspections.selectors.registry import institutions_for

CATEGORIES = list(ResidentCategory)


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a calendar month in local time."""
    tz = timezone.get_current_timezone()
    first = month.replace(day=1)
    return (
        datetime.datetime.combine(first, datetime.time(), tz),
        datetime.datetime.combine(add_months(first, 1), datetime.time(), tz),
    )


def parse_month(value: str | None) -> datetime.date | None:
    """``2026-11`` → 1 November 2026; anything else → None."""
    try:
        year, number = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, number, 1)
    except ValueError:
        return None


# Scope ------------------------------------------------------------------------------------------


def reports_for(user: User) -> QuerySet[MonthlyReport]:
    """Reports a user may read: the institution its own (drafts included); staff in scope the
    reports once submitted, never a draft; supervisors none (no permission)."""
    reports = MonthlyReport.objects.select_related("institution", "institution__county")
    if not user.is_authenticated or not user.has_perm("inspections.view_monthlyreport"):
        return reports.none()
    reports = reports.filter(institution__in=institutions_for(user))
    if user.is_institution_user:
        return reports.filter(institution_id=user.institution_id)
    return reports.exclude(first_submitted_at__isnull=True)


def filing_institution(user: User) -> Institution | None:
    """The institution a user files reports for."""
    if not (user.is_authenticated and user.is_institution_user and user.institution_id):
        return None
    if not user.has_perm("inspections.add_monthlyreport"):
        return None
    return institutions_for(user).filter(pk=user.institution_id).first()


# Who owes a report ------------------------------------------------------------------------------


def active_agreement_in(month: datetime.date, institution: OuterRef | None = None) -> Exists:
    """An active agreement of the institution (``institution``, by default the outer row) in
    force for some day of ``month``."""
    institution = institution if institution is not None else OuterRef("pk")
    last = add_months(month, 1) - datetime.timedelta(days=1)
    return Exists(
        CustodyAgreement.objects.filter(
            institution=institution,
            status=CustodyAgreement.Status.ACTIVE,
            starts_on__lte=last,
            ends_on__gte=month,
        )
    )


def expected_institutions(
    institutions: QuerySet[Institution], month: datetime.date
) -> QuerySet[Institution]:
    """Institutions that owe a report for ``month``: an active custody agreement in force for
    some day of it (the same rule as the monthly visits)."""
    return institutions.filter(active_agreement_in(month.replace(day=1)))


@dataclass(frozen=True)
class Overdue:
    institution: Institution
    month: datetime.date
    due_on: datetime.date
    report: MonthlyReport | None  # None: missing; else received late (or a draft not sent)

    @property
    def is_missing(self) -> bool:
        return self.report is None or not self.report.is_received

    @property
    def days_late(self) -> int:
        if self.report is not None and self.report.is_received:
            return self.report.days_late
        return (timezone.localdate() - self.due_on).days


def late_and_missing(user: User, on: datetime.date, months: int | None = None) -> list[Overdue]:
    """For each of the last ``months`` due months: institutions in scope that owe a report and
    have sent none (missing), and reports received after their due day (late). One query for the
    reports and one per month for who owes; newest month first, missing before late."""
    months = months or rules().monthly_report_late_list_months
    newest = last_due_month(on)
    window = [add_months(newest, -index) for index in range(months)]
    received = {
        (report.institution_id, report.month): report
        for report in MonthlyReport.objects.filter(
            institution__in=institutions_for(user), month__in=window
        ).select_related("institution", "institution__county")
    }
    rows: list[Overdue] = []
    scope = institutions_for(user).select_related("county")
    for month in window:
        owing = expected_institutions(scope, month).order_by("name")
        for institution in owing:
            report = received.get((institution.pk, month))
            if report is None or not report.is_received:
                rows.append(Overdue(institution, month, due_date(month), report))
        for (_institution, report_month), report in received.items():
            if report_month == month and report.is_received and report.is_late:
                rows.append(Overdue(report.institution, month, report.due_on, report))
    return sorted(rows, key=lambda r: (-r.month.toordinal(), not r.is_missing, r.institution.name))


def institution_months(institution: Institution, on: datetime.date, count: int = 12) -> list[dict]:
    """The institution's own list: the current month and the ``count`` before it, each with
    its report (or none), its due day and whether it is owed and overdue."""
    current = on.replace(day=1)
    months = [add_months(current, -index) for index in range(count + 1)]
    reports = {r.month: r for r in institution.monthly_reports.filter(month__in=months)}
    owed = {
        month
        for month in months
        if expected_institutions(Institution.objects.filter(pk=institution.pk), month).exists()
    }
    rows = []
    for month in months:
        report = reports.get(month)
        due = report.due_on if report else due_date(month)
        rows.append(
            {
                "month": month,
                "report": report,
                "due_on": due,
                "owed": month in owed,
                "overdue": (report is None or not report.is_received) and on > due,
            }
        )
    return [row for row in rows if row["owed"] or row["report"] is not None]


# Pre-fill ---------------------------------------------------------------------------------------


def previous_end_figures(institution: Institution, month: datetime.date) -> dict[str, int] | None:
    """Last month's end figures by category, for this month's start; None without a report."""
    previous = (
        MonthlyReport.objects.filter(institution=institution, month=add_months(month, -1))
        .prefetch_related("lines")
        .first()
    )
    if previous is None:
        return None
    return {line.category: line.end for line in previous.lines.all()}


# Consistency checks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    code: str
    message: str
    # "mismatch" is flagged until explained; "info" only informs.
    level: str = "mismatch"


def _agreed_places(
    institution_ids: Iterable[int], months: Iterable[datetime.date]
) -> dict[tuple[int, datetime.date], int]:
    """Agreed places of the active agreements in force in each month (one query)."""
    months = sorted(set(months))
    if not months:
        return {}
    agreements = CustodyAgreement.objects.filter(
        institution_id__in=list(institution_ids),
        status=CustodyAgreement.Status.ACTIVE,
        starts_on__lte=add_months(months[-1], 1),
        ends_on__gte=months[0],
    ).values_list("institution_id", "starts_on", "ends_on", "agreed_places")
    places: dict[tuple[int, datetime.date], int] = defaultdict(int)
    for institution_id, starts_on, ends_on, agreed in agreements:
        for month in months:
            last = add_months(month, 1) - datetime.timedelta(days=1)
            if starts_on <= last and ends_on >= month:
                places[(institution_id, month)] += agreed
    return places


def _previous_ends(reports: list[MonthlyReport]) -> dict[tuple[int, datetime.date], dict]:
    keys = {(r.institution_id, add_months(r.month, -1)) for r in reports}
    if not keys:
        return {}
    lines = MonthlyReportLine.objects.filter(
        report__institution_id__in={k[0] for k in keys},
        report__month__in={k[1] for k in keys},
    ).values_list("report__institution_id", "report__month", "category", "end")
    ends: dict[tuple[int, datetime.date], dict] = defaultdict(dict)
    for institution_id, month, category, end in lines:
        ends[(institution_id, month)][category] = end
    return ends


def report_checks(reports: Iterable[MonthlyReport]) -> dict[int, list[Check]]:
    """The consistency checks of each report, in a fixed number of queries however many
    reports: the arithmetic per category, residents over the agreed places, start figures that
    differ from last month's end, and deaths and missing residents that do not match the
    incident records of the month (either way)."""
    reports = list(reports)
    if not reports:
        return {}
    lines: dict[int, list[MonthlyReportLine]] = defaultdict(list)
    for line in MonthlyReportLine.objects.filter(report__in=[r.pk for r in reports]):
        lines[line.report_id].append(line)
    ids = {r.institution_id for r in reports}
    months = {r.month for r in reports}
    incidents = hooks.incident_figures(ids, months)
    recorded = hooks.resident_figures(ids, months)
    places = _agreed_places(ids, months)
    previous = _previous_ends(reports)
    out = rules().monthly_report_hospital_counts_as_out
    return {
        report.pk: _checks(
            lines[report.pk],
            incidents=incidents.get((report.institution_id, report.month), {}),
            places=places.get((report.institution_id, report.month), 0),
            previous=previous.get((report.institution_id, add_months(report.month, -1))),
            hospital_counts_as_out=out,
            records=recorded.get((report.institution_id, report.month)),
        )
        for report in reports
    }


def _checks(
    lines: list[MonthlyReportLine],
    *,
    incidents: dict,
    places: int,
    previous: dict | None,
    hospital_counts_as_out: bool,
    records: dict | None = None,
) -> list[Check]:
    checks = []
    for line in sorted(lines, key=lambda line: CATEGORIES.index(line.category)):
        expected = line.expected_end(hospital_counts_as_out=hospital_counts_as_out)
        if expected != line.end:
            if hospital_counts_as_out:
                formula = _("start + admitted − discharged − hospital − died − missing")
            else:
                formula = _("start + admitted − discharged − died − missing")
            checks.append(
                Check(
                    "arithmetic",
                    _("%(category)s: %(formula)s = %(expected)d, but the end figure is %(end)d.")
                    % {
                        "category": line.get_category_display(),
                        "formula": formula,
                        "expected": expected,
                        "end": line.end,
                    },
                )
            )
        if previous is not None and previous.get(line.category, 0) != line.start:
            checks.append(
                Check(
                    "continuity",
                    _(
                        "%(category)s: the start figure %(start)d differs from last month's end "
                        "figure %(previous)d."
                    )
                    % {
                        "category": line.get_category_display(),
                        "start": line.start,
                        "previous": previous.get(line.category, 0),
                    },
                )
            )
    if records is not None:
        checks += _record_checks(lines, records, hospital_counts_as_out=hospital_counts_as_out)
    end_total = sum(line.end for line in lines)
    if places and end_total > places:
        checks.append(
            Check(
                "over_places",
                _("%(end)d residents at the end of the month, over the %(places)d agreed places.")
                % {"end": end_total, "places": places},
            )
        )
    for figure, field, label in (
        ("deaths", "died", _("Deaths")),
        ("missing", "missing", _("Missing residents")),
    ):
        reported = sum(getattr(line, field) for line in lines)
        recorded = incidents.get(figure, 0)
        if reported != recorded:
            checks.append(
                Check(
                    f"incident_{figure}",
                    _(
                        "%(what)s: %(reported)d in this report, %(recorded)d in the incident "
                        "reports of the month."
                    )
                    % {"what": label, "reported": reported, "recorded": recorded},
                )
            )
    long_stay = sum(line.long_stay for line in lines)
    if long_stay:
        checks.append(
            Check(
                "long_stay",
                _(
                    "%(count)d residents have stayed over %(months)d months: each needs an "
                    "identity search and a settlement application."
                )
                % {"count": long_stay, "months": rules().long_stay_months},
                level="info",
            )
        )
    return checks


def _record_checks(
    lines: list[MonthlyReportLine], recorded: dict, *, hospital_counts_as_out: bool
) -> list[Check]:
    """Figures that differ from the resident records, one check per category. A resident in
    hospital is in care on record: where hospital stays count as out, the reported end figure is
    compared with the records' less the hospital stays reported."""
    checks = []
    reported = {line.category: line for line in lines}
    for category in CATEGORIES:
        counts = recorded.get(category, {})
        line = reported.get(category)
        differences = []
        for name, expected in counts.items():
            value = getattr(line, name, 0) if line is not None else 0
            if name == "end" and hospital_counts_as_out and line is not None:
                expected -= line.hospital
            if value != expected:
                differences.append(
                    _("%(figure)s %(reported)d (records: %(recorded)d)")
                    % {
                        "figure": MonthlyReportLine._meta.get_field(name).verbose_name,
                        "reported": value,
                        "recorded": expected,
                    }
                )
        if differences:
            checks.append(
                Check(
                    "resident_records",
                    _("%(category)s: differs from the resident records: %(figures)s.")
                    % {
                        "category": category.label,
                        "figures": pgettext("list separator", ", ").join(differences),
                    },
                )
            )
    return checks


def recorded_figures(institution: Institution, month: datetime.date) -> dict | None:
    """The month's figures by category from the resident records, to pre-fill the report;
    None when the institution has no residents on record."""
    month = month.replace(day=1)
    return hooks.resident_figures([institution.pk], [month]).get((institution.pk, month))


def report_filter(
    reports: QuerySet[MonthlyReport],
    *,
    first: datetime.date,
    last: datetime.date,
    county=None,
    status: str = "",
    flagged: bool = False,
) -> QuerySet[MonthlyReport]:
    """The staff list's and the Excel export's filters: the months ``first`` to ``last``, a
    county, a status, and the reports with a discrepancy not yet explained (the checks need
    the incident records, so these are worked out for the whole period: months, a short list)."""
    reports = reports.filter(month__range=(first, last))
    if county is not None:
        reports = reports.filter(institution__county=county)
    if status:
        reports = reports.filter(status=status)
    if flagged:
        checks = report_checks(reports)
        reports = reports.filter(pk__in=[r.pk for r in reports if is_flagged(r, checks[r.pk])])
    return reports.order_by("-month", "institution__name")


def mismatches(checks: list[Check]) -> list[Check]:
    return [check for check in checks if check.level == "mismatch"]


def is_flagged(report: MonthlyReport, checks: list[Check]) -> bool:
    """A discrepancy stays flagged until the institution explains it."""
    return bool(mismatches(checks)) and not report.explanation.strip()


# Figures for other pages ------------------------------------------------------------------------


def totals(lines: Iterable[MonthlyReportLine]) -> dict[str, int]:
    lines = list(lines)
    return {name: sum(getattr(line, name) for line in lines) for name in FIGURES}


def reported_residents() -> Subquery:
    """Residents at the end of the latest month an institution reported (submitted at least
    once), as a subquery expression on an institution queryset; NULL when it never reported."""
    latest = (
        MonthlyReport.objects.filter(
            institution=OuterRef(OuterRef("pk")), first_submitted_at__isnull=False
        )
        .order_by("-month")
        .values("pk")[:1]
    )
    total = (
        MonthlyReportLine.objects.filter(report=Subquery(latest))
        .order_by()
        .values("report")
        .annotate(total=Sum("end"))
        .values("total")
    )
    return Subquery(total, output_field=IntegerField())


def received_in(user: User, first: datetime.date, last: datetime.date) -> QuerySet[MonthlyReport]:
    return reports_for(user).filter(month__range=(first, last), first_submitted_at__isnull=False)


def filing_panel(user: User) -> dict | None:
    """Institution home: the months owed lately, what is overdue, and the month to fill in."""
    institution = filing_institution(user)
    if institution is None:
        return None
    today = timezone.localdate()
    rows = institution_months(institution, today, count=3)
    return {
        "rows": rows,
        "overdue": [row for row in rows if row["overdue"]],
        "current": today.replace(day=1),
    }


def review_panel(user: User, shown: int = 5) -> dict | None:
    """Reviewer's home (the placing station): the reports waiting for review, oldest first."""
    if user.is_institution_user or not user.has_perm("inspections.review_monthlyreport"):
        return None
    waiting = reports_for(user).filter(status=MonthlyReport.Status.SUBMITTED)
    reports = list(waiting.order_by("month", "submitted_at", "pk")[:shown])
    return {
        "count": waiting.count() if len(reports) == shown else len(reports),
        "reports": reports,
        # The list shows one month unless told where to start.
        "since": reports[0].month if reports else None,
    }
