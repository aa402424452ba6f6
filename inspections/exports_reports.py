"""The monthly report ledger (月报台账) as an Excel workbook (openpyxl): one sheet with a row per
report and the month's totals, one with a row per report and resident category, and one saying
what was exported, when and by whom (痕迹化管理)."""

import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from audit_portal.accounts.models import User
from inspections.models import MonthlyReport, ResidentCategory
from inspections.models.reports import FIGURES
from inspections.selectors.reports import Check, is_flagged, mismatches, totals

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
FLAG_FONT = Font(color="B3261E", bold=True)


def _figure_headers() -> list[str]:
    from inspections.forms.reports import figure_label

    return [figure_label(name) for name in FIGURES]


def _sheet(book: Workbook, title: str, headers: list[str], widths: list[int], *, first=False):
    sheet = book.active if first else book.create_sheet()
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "A2"
    return sheet


def _finish(sheet) -> None:
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, datetime.date):
                cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    last = get_column_letter(sheet.max_column)
    sheet.auto_filter.ref = f"A1:{last}{max(sheet.max_row, 1)}"


def _local(value: datetime.datetime | None):
    # Excel has no time zones: write the local wall-clock time.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def reports_workbook(
    reports: list[MonthlyReport],
    checks: dict[int, list[Check]],
    *,
    first: datetime.date,
    last: datetime.date,
    county=None,
    exported_by: User,
) -> bytes:
    book = Workbook()
    figures = _figure_headers()
    head = [_("Month"), _("Institution"), _("County"), _("Status")]
    summary = _sheet(
        book,
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
        first=True,
    )
    flag_column = len(head) + 3 + len(figures) + 3
    order = list(ResidentCategory.values)
    details = _sheet(
        book,
        _("By category"),
        [*head, _("Category"), *figures],
        [9, 26, 14, 14, 12] + [9] * len(figures),
    )
    for report in reports:
        lines = sorted(report.lines.all(), key=lambda line: order.index(line.category))
        sums = totals(lines)
        found = mismatches(checks.get(report.pk, []))
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
                _local(report.first_submitted_at),
                report.days_late,
                *(sums[name] for name in FIGURES),
                report.staff_on_duty,
                report.amendment_count,
                "\n".join(check.message for check in found),
                report.explanation,
                report.notes,
            ]
        )
        if is_flagged(report, checks.get(report.pk, [])):
            summary.cell(summary.max_row, flag_column).font = FLAG_FONT
        for line in lines:
            details.append(
                [*start, line.get_category_display(), *(getattr(line, n) for n in FIGURES)]
            )
    _finish(summary)
    _finish(details)

    about = book.create_sheet(_("Filters")[:31])
    about.append([_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    about.append([_("Exported by"), exported_by.get_full_name()])
    about.append([_("Period"), f"{first:%Y-%m} – {last:%Y-%m}"])
    about.append([_("County"), str(county) if county else _("All in scope")])
    about.append([_("Reports"), len(reports)])
    for cell in about["A"]:
        cell.font = Font(bold=True)
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 40

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
