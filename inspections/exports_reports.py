"""The monthly report ledger (月报台账) as an Excel workbook (openpyxl): one sheet with a row per
report and the month's totals, one with a row per report and resident category, and one saying
what was exported, when and by whom (痕迹化管理)."""

import datetime

from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.xlsx import ExportBook, exported
from inspections.forms.reports import figure_label
from inspections.models import MonthlyReport, ResidentCategory
from inspections.models.reports import FIGURES
from inspections.selectors.reports import Check, is_flagged, mismatches, totals


def _figure_headers() -> list[str]:
    return [figure_label(name) for name in FIGURES]


def reports_workbook(
    reports: list[MonthlyReport],
    checks: dict[int, list[Check]],
    *,
    first: datetime.date,
    last: datetime.date,
    county=None,
    exported_by: User,
) -> bytes:
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
                report.first_submitted_at,
                report.days_late,
                *(sums[name] for name in FIGURES),
                report.staff_on_duty,
                report.amendment_count,
                "\n".join(check.message for check in found),
                report.explanation,
                report.notes,
            ],
            alert=[flag_column] if is_flagged(report, checks.get(report.pk, [])) else [],
        )
        for line in lines:
            details.append(
                [*start, line.get_category_display(), *(getattr(line, n) for n in FIGURES)]
            )
    return book.save(
        _("Filters"),
        [
            *exported(exported_by),
            (_("Period"), f"{first:%Y-%m} – {last:%Y-%m}"),
            (_("County"), str(county) if county else _("All in scope")),
            (_("Reports"), len(reports)),
        ],
    )
