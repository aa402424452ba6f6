"""The issue ledger as an Excel workbook (openpyxl): exactly the rows the ledger shows for the
same filters, one sheet of issues with a frozen header, and one sheet saying what was filtered,
when and by whom (痕迹化管理)."""

import datetime

from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.xlsx import ExportBook, exported
from inspections.selectors.ledger import LedgerRow


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
    columns = _columns()
    book = ExportBook()
    sheet = book.sheet(
        _("Issue ledger"),
        [header for header, _width, _value in columns],
        [width for _header, width, _value in columns],
    )
    overdue_column = next(i for i, c in enumerate(columns, 1) if c[0] == _("Days overdue"))
    for row in rows:
        sheet.append(
            [value(row) for _header, _width, value in columns],
            alert=[overdue_column] if row.is_overdue else [],
        )
    return book.save(
        _("Filters"),
        [
            *exported(exported_by),
            (_("Countdowns as of"), on),
            (_("Rows"), len(rows)),
            *(filters or [(_("Filters"), _("None"))]),
        ],
    )
