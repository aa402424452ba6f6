"""The monthly report ledger (月报台账) as an Excel workbook, built by the worker: one sheet with
a row per report and the month's totals, one with a row per report and resident category, and
one saying what was exported, when and by whom (痕迹化管理).

The report list asks for it (``report_ledger_request``) with its period resolved, so the worker
exports the months the user saw even if it runs after the month turns; the worker
(``build_report_ledger``) reads the reports in batches with the requester's scope as it is then."""

import datetime
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from audit_portal.accounts.models import User
from audit_portal.core.files.registry import BuildRefused, Output
from audit_portal.core.files.runner import Progress
from audit_portal.core.files.services import file_request
from audit_portal.core.models import GeneratedFile
from audit_portal.core.xlsx import ExportBook, exported
from inspections.dates import add_months
from inspections.filters import MonthlyReportFilter
from inspections.forms.reports import figure_label
from inspections.models import Institution, MonthlyReport, ResidentCategory
from inspections.models.reports import FIGURES, due_date, last_due_month
from inspections.selectors import institutions_for
from inspections.selectors.reports import (
    Check,
    expected_institutions,
    is_flagged,
    mismatches,
    report_checks,
    reports_for,
    totals,
)

KIND = "inspections.report_ledger"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Reports read and checked at a time, between two progress reports.
BATCH = 500


def _figure_headers() -> list[str]:
    return [figure_label(name) for name in FIGURES]


def reports_workbook(
    reports: Iterable[tuple[MonthlyReport, list[Check]]],
    *,
    first: datetime.date,
    last: datetime.date,
    county=None,
    exported_by: User,
    into,
    missing: Iterable[tuple[datetime.date, Institution]] = (),
) -> int:
    """Write the workbook of ``reports`` (each with its checks) into the open file ``into``,
    then a row "not reported" (未报) for each month and institution in ``missing``; returns the
    reports written."""
    book = ExportBook()
    figures = _figure_headers()
    head = [_("Month"), _("Institution"), _("County"), _("Status")]
    summary = book.sheet(
        _("Monthly reports"),
        [
            *head,
            _("Due on"),
            _("First submitted at"),
            _("Days late"),
            *figures,
            _("Staff on duty"),
            _("Amendments"),
            _("Discrepancies"),
            _("Explanation"),
            _("Notes"),
        ],
        [9, 26, 14, 14, 11, 16, 8] + [9] * len(figures) + [9, 9, 50, 30, 30],
    )
    flag_column = len(head) + 3 + len(figures) + 3
    order = list(ResidentCategory.values)
    details = book.sheet(
        _("By category"),
        [*head, _("Category"), *figures],
        [9, 26, 14, 14, 12] + [9] * len(figures),
    )
    for report, checks in reports:
        lines = sorted(report.lines.all(), key=lambda line: order.index(line.category))
        sums = totals(lines)
        found = mismatches(checks)
        start = [
            f"{report.month:%Y-%m}",
            report.institution.name,
            str(report.institution.county),
            report.get_status_display(),
        ]
        summary.append(
            [
                *start,
                report.due_on,
                report.first_submitted_at,
                report.days_late,
                *(sums[name] for name in FIGURES),
                report.staff_on_duty,
                report.amendment_count,
                "\n".join(check.message for check in found),
                report.explanation,
                report.notes,
            ],
            alert=[flag_column] if is_flagged(report, checks) else [],
        )
        for line in lines:
            details.append(
                [*start, line.get_category_display(), *(getattr(line, n) for n in FIGURES)]
            )
    written = summary.rows
    for month, institution in missing:
        summary.append(
            [
                f"{month:%Y-%m}",
                institution.name,
                str(institution.county),
                _("Missing"),
                due_date(month),
            ],
            alert=[3],
        )
    book.write(
        _("Filters"),
        [
            *exported(exported_by),
            (_("Period"), f"{first:%Y-%m} – {last:%Y-%m}"),
            (_("County"), str(county) if county else _("All in scope")),
            (_("Reports"), written),
            (_("Not reported"), summary.rows - written),
        ],
        into,
    )
    return written


def _as_request(user: User) -> HttpRequest:
    """The filters read the user from a request; the worker has none."""
    request = HttpRequest()
    request.user = user
    return request


def _with_checks(reports, progress: Progress) -> Iterator[tuple[MonthlyReport, list[Check]]]:
    """Each report with its checks, worked out a batch at a time (a fixed number of queries per
    batch), reporting progress after each batch."""
    rows = reports.prefetch_related("lines").iterator(chunk_size=BATCH)
    while batch := list(islice(rows, BATCH)):
        checks = report_checks(batch)
        for report in batch:
            yield report, checks.get(report.pk, [])
        progress.advance(len(batch))


def may_export(user: User) -> bool:
    """Staff and administrators export the ledger of the reports in their scope."""
    return user.is_admin or user.is_civil_affairs_staff


def report_ledger_request(*, user: User, filterset: MonthlyReportFilter) -> GeneratedFile:
    """Ask the worker for the ledger of a valid ``filterset`` (the list's), its period fixed."""
    first, last = filterset.period
    data = {name: filterset.data.get(name) for name in filterset.filters if name in filterset.data}
    data.update(first=f"{first:%Y-%m}", last=f"{last:%Y-%m}")
    county = filterset.values.get("county")
    criteria = [(_("Period"), f"{first:%Y-%m} – {last:%Y-%m}")]
    if county:
        criteria.append((_("County"), str(county)))
    for name in ("status", "flagged"):
        value = filterset.values.get(name)
        if value:
            field = filterset.form.fields[name]
            shown = _("Yes") if value is True else dict(field.choices).get(value, value)
            criteria.append((str(field.label), str(shown)))
    return file_request(
        owner=user,
        kind=KIND,
        title=_("Monthly report ledger %(first)s – %(last)s (Excel)")
        % {"first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}"},
        parameters={"filters": data},
        criteria=criteria,
    )


def build_report_ledger(job: GeneratedFile, progress: Progress) -> Output:
    user = job.owner
    if not may_export(user):
        raise BuildRefused(_("You may no longer export the monthly reports."))
    filterset = MonthlyReportFilter(
        job.parameters["filters"],
        queryset=reports_for(user),
        request=_as_request(user),
    )
    if not filterset.form.is_valid():
        raise BuildRefused(
            _(
                "The filters no longer match what you may see (a county has left your scope). "
                "Export again from the list."
            )
        )
    first, last = filterset.period
    reports = filterset.qs
    missing = [] if _narrowed(filterset) else not_reported(user, first, last, filterset)
    progress.start(reports.count())
    into = tempfile.TemporaryFile()  # noqa: SIM115 — handed to the runner, which closes it
    try:
        reports_workbook(
            _with_checks(reports, progress),
            first=first,
            last=last,
            county=filterset.values.get("county"),
            exported_by=user,
            into=into,
            missing=missing,
        )
    except BaseException:
        into.close()
        raise
    return Output(ledger_filename(first, last), XLSX, into)


def ledger_filename(first: datetime.date, last: datetime.date) -> str:
    """The workbook's name, in Chinese like the documents it lists (the download sends it
    RFC 5987-encoded, ``filename*=utf-8''…``)."""
    with translation.override(settings.OFFICIAL_LANGUAGE):
        return pgettext("file name", "monthly-report-ledger-%(first)s-%(last)s.xlsx") % {
            "first": f"{first:%Y%m}",
            "last": f"{last:%Y%m}",
        }


def _narrowed(filterset: MonthlyReportFilter) -> bool:
    """A status or the discrepancies asked for: the ledger lists those reports only."""
    return bool(filterset.values.get("status") or filterset.values.get("flagged"))


def not_reported(
    user: User, first: datetime.date, last: datetime.date, filterset: MonthlyReportFilter
) -> list[tuple[datetime.date, Institution]]:
    """(month, institution) for each month of the period already due in which an institution
    in scope (and in the county asked for) owed a report and none was received. One query for
    the reports and one per month for who owes."""
    newest = last_due_month(timezone.localdate())
    months = []
    month = first
    while month <= min(last, newest):
        months.append(month)
        month = add_months(month, 1)
    scope = institutions_for(user).select_related("county")
    if county := filterset.values.get("county"):
        scope = scope.filter(county=county)
    received = {
        (report.institution_id, report.month)
        for report in MonthlyReport.objects.filter(
            institution__in=scope.values("pk"), month__in=months
        )
        if report.is_received
    }
    return [
        (month, institution)
        for month in months
        for institution in expected_institutions(scope, month).order_by("name")
        if (institution.pk, month) not in received
    ]
