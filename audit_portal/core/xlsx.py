"""Excel workbooks for every export, written once: openpyxl in write-only mode, so each row costs
the same however many came before (looking up the last row of a normal sheet for each appended
row made the ledger export quadratic), with the house look: a bold shaded header that stays in
view, an auto-filter, column widths, dates as dates in local time, and a last sheet saying what
was exported, when and by whom (痕迹化管理)."""

import datetime
import io
from collections.abc import Iterable
from copy import copy
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
HEADER_FONT = Font(bold=True)
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
CELL_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
# A value that needs the reader's attention (overdue, an unexplained discrepancy).
ALERT_FONT = Font(color="B3261E", bold=True)


def local(value: datetime.datetime | None) -> datetime.datetime | None:
    """Excel has no time zones: the local wall-clock time."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None


class Sheet:
    """One sheet of a write-only workbook: the header first, then rows."""

    def __init__(self, book: Workbook, title: str, headers: list[str], widths: list[int]):
        self._sheet = book.create_sheet(title[:31])
        for index, width in enumerate(widths, 1):
            self._sheet.column_dimensions[get_column_letter(index)].width = width
        self._sheet.freeze_panes = "A2"
        self._columns = len(headers)
        self._styles: dict[tuple[str | None, bool], StyleArray] = {}
        self.rows = 0
        header = []
        for text in headers:
            cell = WriteOnlyCell(self._sheet, value=text)
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
            header.append(cell)
        self._sheet.append(header)

    def _style(self, number_format: str | None, alert: bool) -> StyleArray:
        """The style of a data cell, worked out once per sheet: setting a cell's alignment or
        font looks the style up in the workbook's lists (hashing it), which on every cell of a
        large export costs more than writing the cell."""
        key = (number_format, alert)
        style = self._styles.get(key)
        if style is None:
            cell = WriteOnlyCell(self._sheet)
            if number_format:
                cell.number_format = number_format
            cell.alignment = CELL_ALIGNMENT
            if alert:
                cell.font = ALERT_FONT
            style = self._styles[key] = cell._style
        return style

    def append(self, values: Iterable, *, alert: Iterable[int] = ()) -> None:
        """A row; ``alert``: the 1-based columns to show in the alert style."""
        alert = set(alert)
        row = []
        for column, value in enumerate(values, 1):
            number_format = None
            if isinstance(value, datetime.datetime):
                value = local(value) if timezone.is_aware(value) else value
                number_format = DATETIME_FORMAT
            elif isinstance(value, datetime.date):
                number_format = DATE_FORMAT
            cell = WriteOnlyCell(self._sheet, value=value)
            cell._style = copy(self._style(number_format, column in alert))
            row.append(cell)
        self._sheet.append(row)
        self.rows += 1

    def finish(self) -> None:
        last = get_column_letter(max(self._columns, 1))
        self._sheet.auto_filter.ref = f"A1:{last}{self.rows + 1}"


class ExportBook:
    """A write-only workbook: ``sheet(...)`` for each data sheet, then ``save(about)``, where
    ``about`` lists (label, value) pairs for the closing sheet (filters, period, rows...)."""

    def __init__(self):
        self._book = Workbook(write_only=True)
        self._sheets: list[Sheet] = []

    def sheet(self, title: str, headers: list[str], widths: list[int]) -> Sheet:
        sheet = Sheet(self._book, title, headers, widths)
        self._sheets.append(sheet)
        return sheet

    def save(self, about_title: str, about: list[tuple[str, object]]) -> bytes:
        buffer = io.BytesIO()
        self.write(about_title, about, buffer)
        return buffer.getvalue()

    def write(self, about_title: str, about: list[tuple[str, object]], into: IO[bytes]) -> None:
        """``save`` into an open file (a temporary file in the worker: the workbook is never
        held in memory whole)."""
        for sheet in self._sheets:
            sheet.finish()
        info = self._book.create_sheet(about_title[:31])
        info.column_dimensions["A"].width = 24
        info.column_dimensions["B"].width = 40
        for label, value in about:
            name = WriteOnlyCell(info, value=label)
            name.font = HEADER_FONT
            cell = WriteOnlyCell(info, value=value)
            if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                cell.number_format = DATE_FORMAT
            info.append([name, cell])
        self._book.save(into)


def exported(by) -> list[tuple[str, object]]:
    """The first lines of every closing sheet: when and by whom."""
    return [
        (_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        (_("Exported by"), by.get_full_name()),
    ]
