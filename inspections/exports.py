"""The issue ledger as an Excel workbook (openpyxl): exactly the rows the ledger shows for the
same filters, one sheet of issues with a frozen header, and one sheet saying what was filtered,
when and by whom (痕迹化管理)."""

import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from audit_portal.accounts.models import User
from inspections.selectors.ledger import LedgerRow

DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
OVERDUE_FONT = Font(color="B3261E", bold=True)


def _columns() -> list[tuple[str, int, object]]:
    """(header, width in characters, value of a row)."""

    def yes_no(value: bool) -> str:
        return _("Yes") if value else _("No")

    return [
        (_("Number"), 16, lambda r: r.issue.number),
        (_("Institution"), 26, lambda r: r.issue.institution.name),
        (_("County"), 14, lambda r: str(r.issue.institution.county)),
        (_("Area"), 16, lambda r: r.issue.get_area_display()),
        (_("Description"), 50, lambda r: r.issue.description),
        (_("Severity"), 10, lambda r: r.issue.get_severity_display()),
        (_("Responsible person"), 12, lambda r: r.issue.responsible_person),
        (_("Status"), 12, lambda r: r.issue.get_status_display()),
        (_("Raised on"), 12, lambda r: r.issue.raised_on),
        (_("Raised by"), 12, lambda r: r.issue.raised_by.get_full_name()),
        (_("Working days to rectify"), 10, lambda r: r.issue.rectification_days),
        (_("Original deadline"), 12, lambda r: r.issue.original_deadline),
        (_("Deadline"), 12, lambda r: r.issue.deadline),
        (_("Working days left"), 10, lambda r: r.working_days_left),
        (_("Days overdue"), 10, lambda r: r.days_overdue),
        (
            _("Counted with the official holiday arrangement"),
            12,
            lambda r: yes_no(not r.provisional),
        ),
        (_("Closed on"), 12, lambda r: r.issue.closed_on),
        (_("Closed on time"), 10, lambda r: _closed_on_time(r.issue)),
    ]


def _closed_on_time(issue) -> str:
    on_time = issue.closed_on_time()
    if on_time is None:
        return ""
    return _("Yes") if on_time else _("No")


def ledger_workbook(
    rows: list[LedgerRow],
    *,
    on: datetime.date,
    filters: list[tuple[str, str]],
    exported_by: User,
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Issue ledger")[:31]
    columns = _columns()
    sheet.append([header for header, _width, _value in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    overdue_column = next(i for i, c in enumerate(columns, 1) if c[0] == _("Days overdue"))
    for row in rows:
        sheet.append([value(row) for _header, _width, value in columns])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row.is_overdue:
            sheet.cell(sheet.max_row, overdue_column).font = OVERDUE_FONT
    for index, (_header, width, _value) in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 1)}"

    about = book.create_sheet(_("Filters")[:31])
    about.append([_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    about.append([_("Exported by"), exported_by.get_full_name()])
    about.append([_("Countdowns as of"), on])
    about.cell(3, 2).number_format = DATE_FORMAT
    about.append([_("Rows"), len(rows)])
    for label, value in filters or [(_("Filters"), _("None"))]:
        about.append([label, value])
    for cell in about["A"]:
        cell.font = Font(bold=True)
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 40

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
