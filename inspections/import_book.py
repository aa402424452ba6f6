"""The workbook that imports institutions and their qualification documents: its columns, how
its cells are read, and the blank template users download and fill in.

One format: a sheet of institutions and a sheet of qualification documents, a header row each
(matched by its text in any language of the site, in any order), then one record per row. Row 2
of each template sheet is an example, recognised by its credit code and skipped on import.
What the rows mean (scope, duplicates, the models' rules) is ``services/imports.py``'s to check;
this module only turns cells into values or a message per cell.
"""

import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import xlsxwriter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit_portal.core.validators import credit_code_check_character
from audit_portal.rules import rules
from inspections.models import DocumentKind, Institution

TEXT, CHOICE, COUNTY, NUMBER, DATE = "text", "choice", "county", "number", "date"


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    kind: str = TEXT
    required: bool = True
    width: int = 18


INSTITUTION_COLUMNS = (
    Column("name", gettext_lazy("Institution name"), width=28),
    Column("credit_code", gettext_lazy("Unified social credit code"), width=24),
    Column("kind", gettext_lazy("Institution kind"), CHOICE, width=26),
    Column("legal_representative", gettext_lazy("Legal representative")),
    Column("address", gettext_lazy("Address"), width=32),
    Column("county", gettext_lazy("County/district bureau"), COUNTY, width=22),
    Column("bed_capacity", gettext_lazy("Bed capacity"), NUMBER, width=10),
    Column("operation_started_on", gettext_lazy("Operation start date"), DATE, width=14),
    Column("contact_person", gettext_lazy("Contact person")),
    Column("contact_phone", gettext_lazy("Contact phone")),
)
DOCUMENT_COLUMNS = (
    Column("credit_code", gettext_lazy("Institution's credit code"), width=24),
    Column("kind", gettext_lazy("Document kind"), CHOICE, width=30),
    Column("number", gettext_lazy("Document number"), width=22),
    Column("issuer", gettext_lazy("Issued by"), width=24),
    Column("valid_from", gettext_lazy("Valid from"), DATE, width=14),
    Column(
        "valid_until",
        gettext_lazy("Valid until (empty if it does not expire)"),
        DATE,
        required=False,
        width=16,
    ),
)
INSTITUTIONS_SHEET = gettext_lazy("Institutions")
DOCUMENTS_SHEET = gettext_lazy("Qualification documents")

# The example rows' credit code: valid (the example teaches the format) but nobody's.
EXAMPLE_CREDIT_CODE = "52320500MJ0000000" + credit_code_check_character("52320500MJ0000000")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


class CellError(Exception):
    """A cell that cannot be read as its column's kind; the message says what to write."""


def normalise(text: object) -> str:
    return re.sub(r"[\s*＊:：]", "", str(text or "")).casefold()


def in_every_language(text: Promise) -> set[str]:
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(normalise(text))
    return names


def choice_lookup(choices) -> dict[str, str]:
    """Each choice by its value or its label in any language of the site."""
    lookup = {}
    for value, label in choices:
        lookup[normalise(value)] = value
        for name in in_every_language(label):
            lookup[name] = value
    return lookup


# ---------------------------------------------------------------------------------------------
# Cells


def text(value: object) -> str:
    """A cell as text: numbers typed into a text column (a phone, a licence number) lose the
    ``.0`` Excel gives them."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def date(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        for layout in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(value.strip(), layout).date()  # noqa: DTZ007
            except ValueError:
                continue
    raise CellError(
        _("“%(value)s” is not a date: write it as 2024-03-01.") % {"value": text(value)}
    )


def positive_number(value: object) -> int:
    if isinstance(value, bool):
        raise CellError(_("Write a whole number greater than zero."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value <= 0:
        raise CellError(
            _("“%(value)s” is not a whole number greater than zero.") % {"value": text(value)}
        )
    return value


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass
class SheetRows:
    """A sheet's data rows: (Excel row number, {column key: cell value}), blank rows left out."""

    rows: list[tuple[int, dict[str, object]]]
    examples: int = 0


def find_sheet(book, names: set[str], position: int):
    for sheet in book.worksheets:
        if normalise(sheet.title) in names:
            return sheet
    # A workbook made by hand may keep Excel's own sheet names: take the sheets in order.
    known = in_every_language(INSTITUTIONS_SHEET) | in_every_language(DOCUMENTS_SHEET)
    named = any(normalise(sheet.title) in known for sheet in book.worksheets)
    if not named and position < len(book.worksheets):
        return book.worksheets[position]
    return None


def read_sheet(sheet, columns: tuple[Column, ...], *, budget: list[int]) -> SheetRows:
    """The sheet's rows by column key. ``budget`` holds the data rows the file may still have
    (shared by both sheets); past it the whole file is refused."""
    rows = iter(sheet.iter_rows(values_only=True))
    header = next(rows, None) or ()
    positions = _header_positions(sheet.title, header, columns)
    result = SheetRows(rows=[])
    for number, values in enumerate(rows, start=2):
        cells = {key: values[index] if index < len(values) else None for key, index in positions}
        if all(text(value) == "" for value in cells.values()):
            continue
        if text(cells.get("credit_code")).upper() == EXAMPLE_CREDIT_CODE:
            result.examples += 1
            continue
        budget[0] -= 1
        if budget[0] < 0:
            raise ValidationError(
                _("The file has more than %(n)d rows: split it into smaller files.")
                % {"n": rules().import_max_rows},
                code="import_too_many_rows",
            )
        result.rows.append((number, cells))
    return result


def _header_positions(title: str, header, columns) -> list[tuple[str, int]]:
    found = {normalise(cell): index for index, cell in enumerate(header) if text(cell)}
    positions, missing = [], []
    for column in columns:
        index = next((found[n] for n in in_every_language(column.label) if n in found), None)
        if index is None:
            missing.append(str(column.label))
        else:
            positions.append((column.key, index))
    if missing:
        raise ValidationError(
            _("The sheet “%(sheet)s” lacks the columns: %(columns)s. Use the template.")
            % {"sheet": title, "columns": "、".join(missing)},
            code="import_missing_columns",
        )
    return positions


# ---------------------------------------------------------------------------------------------
# The template


def _example_institution(county: str) -> list[object]:
    return [
        _("Example: Donghu District Sunshine Care Home"),
        EXAMPLE_CREDIT_CODE,
        str(Institution.Kind.ELDERLY_CARE.label),
        _("Zhang San"),
        _("No. 8 Sunshine Road, Donghu District"),
        county,
        80,
        datetime.date(2023, 4, 1),
        _("Li Si"),
        "0512-66668888",
    ]


def _example_documents() -> Iterator[list[object]]:
    yield [
        EXAMPLE_CREDIT_CODE,
        str(DocumentKind.LEGAL_PERSON.label),
        "民证字第320500001号",
        _("Civil-affairs bureau"),
        datetime.date(2023, 1, 10),
        None,
    ]
    yield [
        EXAMPLE_CREDIT_CODE,
        str(DocumentKind.FOOD_LICENCE.label),
        "JY13205000000001",
        _("Market supervision bureau"),
        datetime.date(2023, 3, 1),
        datetime.date(2028, 2, 28),
    ]


def template_workbook(county_names: list[str]) -> bytes:
    """The blank workbook to fill in, in the active language: headers, an example row per sheet,
    drop-down lists for the kinds and the counties the user may register in."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    header = book.add_format({"bold": True, "bg_color": "#DDE6F0", "text_wrap": True})
    example = book.add_format({"italic": True, "font_color": "#666666"})
    example_date = book.add_format(
        {"italic": True, "font_color": "#666666", "num_format": "yyyy-mm-dd"}
    )
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    # The drop-down lists live on a hidden last sheet: Excel limits a list written inline to
    # 255 characters, which a city's counties pass.
    lists = {
        "institution_kind": [str(label) for _value, label in Institution.Kind.choices],
        "county": list(county_names) or [""],
        "document_kind": [str(label) for _value, label in DocumentKind.choices],
    }
    sources = {
        key: f"=lists!${letter}$1:${letter}${len(values)}"
        for (key, values), letter in zip(lists.items(), "ABC", strict=True)
    }
    sheets = [
        (
            INSTITUTIONS_SHEET,
            INSTITUTION_COLUMNS,
            [_example_institution(_first(county_names))],
            {CHOICE: sources["institution_kind"], COUNTY: sources["county"]},
        ),
        (
            DOCUMENTS_SHEET,
            DOCUMENT_COLUMNS,
            list(_example_documents()),
            {CHOICE: sources["document_kind"]},
        ),
    ]
    for title, columns, examples, list_sources in sheets:
        sheet = book.add_worksheet(str(title)[:31])
        sheet.freeze_panes(1, 0)
        for index, column in enumerate(columns):
            sheet.set_column(index, index, column.width, day if column.kind == DATE else None)
            sheet.write_string(0, index, str(column.label), header)
            _validate(sheet, index, column, list_sources.get(column.kind))
        for row, values in enumerate(examples, start=1):
            for index, value in enumerate(values):
                if isinstance(value, datetime.date):
                    sheet.write_datetime(row, index, value, example_date)
                elif value is not None:
                    sheet.write(row, index, value, example)
        sheet.write_comment(
            0,
            0,
            _(
                "Row 2 is an example: it is skipped on import while it keeps its credit code. "
                "Write one record per row below it."
            ),
        )
    hidden = book.add_worksheet("lists")
    for column, values in enumerate(lists.values()):
        for row, value in enumerate(values):
            hidden.write_string(row, column, value)
    hidden.hide()
    book.close()
    return out.getvalue()


def _first(values: list[str]) -> str:
    return values[0] if values else ""


def _validate(sheet, index: int, column: Column, source: str | None) -> None:
    last = 100_000
    if column.kind in (CHOICE, COUNTY) and source:
        sheet.data_validation(1, index, last, index, {"validate": "list", "source": source})
    elif column.kind == NUMBER:
        sheet.data_validation(
            1, index, last, index, {"validate": "integer", "criteria": ">", "value": 0}
        )
    elif column.kind == DATE:
        sheet.data_validation(
            1,
            index,
            last,
            index,
            {
                "validate": "date",
                "criteria": ">",
                "value": datetime.date(1949, 10, 1),
                "input_message": _("A date, e.g. 2024-03-01"),
            },
        )
