"""Importing institutions and their qualification documents from an Excel workbook (the city's
ledgers), all or nothing.

- ``institutions_import_preview(file=, actor=)``: every row of the file with what is wrong with
  it (nothing is written);
- ``institutions_import(file=, actor=)``: imports the file only when no row has an error, in one
  transaction, through ``institution_create`` and the documents' model validation, with the
  file's name as the reason in every history row; returns what it created;
- ``import_upload_store`` / ``import_upload_confirm`` (``services/import_uploads.py``): the
  page's two steps, the file kept between them and imported once however often the
  confirmation is sent;
- ``import_template(actor=)``: the blank workbook to fill in (``inspections/import_book.py``).

A file the system cannot read as the workbook (not .xlsx, too large, too many rows, a missing
column) is refused with a ``ValidationError`` before any row is looked at. Imported documents
await verification, as any submitted document does: staff check them against the originals.
"""

import io
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from audit_portal.accounts.models import Organisation, User
from audit_portal.accounts.selectors import counties_in_scope
from audit_portal.core.history import save_audited
from audit_portal.rules import rules
from inspections import import_book as book
from inspections.models import DocumentKind, Institution, QualificationDocument
from inspections.policies.registry import institution_policy
from inspections.selectors.registry import institutions_for
from inspections.services.registry import institution_create

INSTITUTIONS, DOCUMENTS = "institutions", "documents"


@dataclass
class RowError:
    column: str  # the column's header as the user reads it ("" for the whole row)
    message: str

    def __str__(self) -> str:
        return f"{self.column}：{self.message}" if self.column else self.message


@dataclass
class PreviewRow:
    sheet: str  # INSTITUTIONS or DOCUMENTS
    number: int  # the row number Excel shows
    values: dict[str, str]  # each cell as text, for the page
    errors: list[RowError] = field(default_factory=list)
    cleaned: dict = field(default_factory=dict)  # the values to save, once the row is clean

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, column: book.Column | None, message: str) -> None:
        self.errors.append(RowError(str(column.label) if column else "", str(message)))


@dataclass
class ImportPreview:
    filename: str
    institutions: list[PreviewRow]
    documents: list[PreviewRow]
    examples_skipped: int = 0

    @property
    def rows(self) -> list[PreviewRow]:
        return self.institutions + self.documents

    @property
    def rows_with_errors(self) -> list[PreviewRow]:
        return [row for row in self.rows if not row.ok]

    @property
    def is_clean(self) -> bool:
        return bool(self.rows) and not self.rows_with_errors

    def summary(self, limit: int = 5) -> str:
        """The first rows with errors, each named by sheet and row number."""
        lines = [
            _("%(sheet)s row %(row)d: %(errors)s")
            % {
                "sheet": sheet_title(row.sheet),
                "row": row.number,
                "errors": "；".join(str(e) for e in row.errors),
            }
            for row in self.rows_with_errors[:limit]
        ]
        more = len(self.rows_with_errors) - limit
        if more > 0:
            lines.append(_("and %(n)d more rows with errors") % {"n": more})
        return "\n".join(lines)


class ImportNotClean(ValidationError):
    """The file has rows with errors: nothing was imported. ``preview`` lists them all."""

    def __init__(self, preview: ImportPreview):
        super().__init__(
            not_clean_message(len(preview.rows_with_errors)) + "\n" + preview.summary(),
            code="import_not_clean",
        )
        self.preview = preview


@dataclass
class ImportReport:
    filename: str
    institutions: list[Institution]
    documents: list[QualificationDocument]

    def as_json(self) -> dict:
        return {
            "filename": self.filename,
            "institutions": [[i.pk, i.name, i.credit_code] for i in self.institutions],
            "documents": [
                [d.pk, d.institution_id, d.institution.name, d.kind, d.number]
                for d in self.documents
            ],
        }


def not_clean_message(rows: int) -> str:
    return ngettext(
        "%(n)d row has errors; nothing was imported.",
        "%(n)d rows have errors; nothing was imported.",
        rows,
    ) % {"n": rows}


def sheet_title(sheet: str) -> str:
    return str(book.INSTITUTIONS_SHEET if sheet == INSTITUTIONS else book.DOCUMENTS_SHEET)


# ---------------------------------------------------------------------------------------------
# Who may import


def require_import(actor: User) -> None:
    """The bureaus that register institutions (the right the registration page asks for) and
    submit their documents."""
    if not (
        actor.is_authenticated
        and actor.has_perm("inspections.add_institution")
        and actor.has_perm("inspections.add_qualificationdocument")
    ):
        raise PermissionDenied


# ---------------------------------------------------------------------------------------------
# Reading the file


def file_bytes(file: IO[bytes]) -> tuple[bytes, str]:
    name = PurePath(str(getattr(file, "name", "") or "")).name
    not_xlsx = ValidationError(
        _("Upload an Excel workbook (.xlsx); download the template if in doubt."),
        code="import_not_xlsx",
    )
    if not name.lower().endswith(".xlsx"):
        raise not_xlsx
    limit = rules().import_max_bytes
    too_large = ValidationError(
        _("The file is larger than %(mb)s MB.") % {"mb": round(limit / 1024 / 1024, 1)},
        code="import_too_large",
    )
    if (getattr(file, "size", None) or 0) > limit:
        raise too_large
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if not data.startswith(b"PK\x03\x04"):
        raise not_xlsx
    return data, name


def _read_workbook(data: bytes) -> tuple[book.SheetRows, book.SheetRows]:
    unreadable = ValidationError(
        _("The file cannot be read as an Excel workbook (.xlsx)."), code="import_not_xlsx"
    )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged or crafted file: whatever openpyxl raises
        raise unreadable from error
    try:
        budget = [rules().import_max_rows]
        institutions = book.find_sheet(workbook, book.in_every_language(book.INSTITUTIONS_SHEET), 0)
        documents = book.find_sheet(workbook, book.in_every_language(book.DOCUMENTS_SHEET), 1)
        if institutions is None and documents is None:
            raise ValidationError(
                _("The workbook has neither a sheet “%(a)s” nor a sheet “%(b)s”.")
                % {"a": book.INSTITUTIONS_SHEET, "b": book.DOCUMENTS_SHEET},
                code="import_missing_sheets",
            )
        read = tuple(
            book.read_sheet(sheet, columns, budget=budget)
            if sheet is not None
            else book.SheetRows(rows=[])
            for sheet, columns in (
                (institutions, book.INSTITUTION_COLUMNS),
                (documents, book.DOCUMENT_COLUMNS),
            )
        )
    except ValidationError:
        raise
    except Exception as error:
        raise unreadable from error
    finally:
        workbook.close()
    if not read[0].rows and not read[1].rows:
        raise ValidationError(_("The file has no rows to import."), code="import_empty")
    return read


# ---------------------------------------------------------------------------------------------
# Checking the rows


def _parse(row: PreviewRow, columns, cells: dict, lookups: dict) -> dict:
    """Each cell as its column's kind; a cell that cannot be read gets its message."""
    values = {}
    for column in columns:
        raw = cells.get(column.key)
        row.values[column.key] = book.text(raw)
        if book.text(raw) == "":
            if column.required:
                row.error(column, _("Required: fill in this cell."))
            else:
                values[column.key] = None
            continue
        try:
            values[column.key] = _cell(column, raw, lookups)
        except book.CellError as error:
            row.error(column, str(error))
    return values


def _cell(column: book.Column, raw, lookups: dict):
    if column.kind == book.DATE:
        return book.date(raw)
    if column.kind == book.NUMBER:
        return book.positive_number(raw)
    if column.kind == book.CHOICE:
        value = lookups[column.key].get(book.normalise(raw))
        if value is None:
            raise book.CellError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": book.text(raw), "choices": "、".join(lookups[column.key + "_labels"])}
            )
        return value
    if column.kind == book.COUNTY:
        county = lookups["county"].get(book.normalise(raw))
        if county is None:
            raise book.CellError(
                _("“%(value)s” is not a county/district bureau you may register institutions in.")
                % {"value": book.text(raw)}
            )
        return county
    if column.key == "credit_code":
        return book.text(raw).replace(" ", "").upper()
    return book.text(raw)


def _model_errors(row: PreviewRow, instance, columns, exclude: list[str]) -> None:
    """The model's own validation (the same as the pages'), on the fields read; uniqueness and
    existence are checked for the whole file at once."""
    by_key = {column.key: column for column in columns}
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        failed = {key for key, column in by_key.items() if _has_error(row, column)}
        for name, messages in error.message_dict.items():
            if name in failed:
                continue  # the cell's own message says it already
            column = by_key.get(name) if name != NON_FIELD_ERRORS else None
            for message in messages:
                row.error(column, message)


def _in_column_order(rows: list[PreviewRow], columns) -> list[PreviewRow]:
    order = {str(column.label): index for index, column in enumerate(columns)}
    for row in rows:
        row.errors.sort(key=lambda error: order.get(error.column, -1))
    return rows


def _has_error(row: PreviewRow, column: book.Column) -> bool:
    return any(error.column == str(column.label) for error in row.errors)


def _lookups(actor: User) -> dict:
    counties: dict[str, Organisation] = {}
    for county in counties_in_scope(actor):
        counties[book.normalise(county.name)] = county
        counties[book.normalise(county.code)] = county
    return {
        "county": counties,
        "institutions": {"kind": book.choice_lookup(Institution.Kind.choices)},
        "documents": {"kind": book.choice_lookup(DocumentKind.choices)},
    }


def _check_institutions(sheet: book.SheetRows, lookups: dict) -> list[PreviewRow]:
    choices = {
        **lookups["institutions"],
        "county": lookups["county"],
        "kind_labels": [str(label) for _v, label in Institution.Kind.choices],
    }
    rows, first_row_of = [], {}
    columns = book.INSTITUTION_COLUMNS
    for number, cells in sheet.rows:
        row = PreviewRow(INSTITUTIONS, number, {})
        values = _parse(row, columns, cells, choices)
        failed = [c.key for c in columns if c.key not in values]
        institution = Institution(**values)
        # The county comes from the user's own list (a foreign key check would query per row).
        _model_errors(row, institution, columns, exclude=[*failed, "county", "designated_contact"])
        code = values.get("credit_code")
        if code:
            if code in first_row_of:
                row.error(
                    columns[1],
                    _("The same credit code is on row %(row)d.") % {"row": first_row_of[code]},
                )
            else:
                first_row_of[code] = number
        row.cleaned = values
        rows.append(row)
    registered = set(
        Institution.objects.filter(credit_code__in=list(first_row_of)).values_list(
            "credit_code", flat=True
        )
    )
    for row in rows:
        if row.cleaned.get("credit_code") in registered:
            row.error(columns[1], _("An institution with this credit code is already registered."))
    return _in_column_order(rows, columns)


def _check_documents(
    sheet: book.SheetRows, lookups: dict, actor: User, in_file: set[str]
) -> tuple[list[PreviewRow], dict[str, Institution]]:
    choices = {
        **lookups["documents"],
        "kind_labels": [str(label) for _v, label in DocumentKind.choices],
    }
    columns = book.DOCUMENT_COLUMNS
    codes = {
        book.text(cells.get("credit_code")).replace(" ", "").upper() for _n, cells in sheet.rows
    }
    # Documents of institutions already registered: only those the user may see and document.
    existing = {
        institution.credit_code: institution
        for institution in institutions_for(actor).filter(credit_code__in=list(codes - in_file))
        if institution_policy.allows("upload_document", actor, institution)
    }
    registered = set(
        QualificationDocument.objects.filter(institution__in=list(existing.values())).values_list(
            "institution__credit_code", "kind", "number"
        )
    )
    rows, first_row_of = [], {}
    for number, cells in sheet.rows:
        row = PreviewRow(DOCUMENTS, number, {})
        values = _parse(row, columns, cells, choices)
        code = values.pop("credit_code", None)
        failed = [c.key for c in columns if c.key not in values and c.key != "credit_code"]
        document = QualificationDocument(**values)
        _model_errors(
            row, document, columns, exclude=[*failed, "institution", "submitted_by", "replaces"]
        )
        if code and code not in in_file and code not in existing:
            row.error(
                columns[0],
                _(
                    "No institution with this credit code, neither in the institutions sheet "
                    "nor registered in your area."
                ),
            )
        key = (code, values.get("kind"), values.get("number"))
        if code and all(key):
            if key in first_row_of:
                row.error(
                    columns[2],
                    _("The same document is on row %(row)d.") % {"row": first_row_of[key]},
                )
            else:
                first_row_of[key] = number
            if key in registered:
                row.error(columns[2], _("This document is already registered."))
        row.cleaned = {**values, "credit_code": code}
        rows.append(row)
    return _in_column_order(rows, columns), existing


def _preview(data: bytes, filename: str, actor: User) -> tuple[ImportPreview, dict]:
    institutions_sheet, documents_sheet = _read_workbook(data)
    lookups = _lookups(actor)
    institutions = _check_institutions(institutions_sheet, lookups)
    in_file = {row.cleaned["credit_code"] for row in institutions if row.cleaned.get("credit_code")}
    documents, existing = _check_documents(documents_sheet, lookups, actor, in_file)
    preview = ImportPreview(
        filename=filename,
        institutions=institutions,
        documents=documents,
        examples_skipped=institutions_sheet.examples + documents_sheet.examples,
    )
    return preview, existing


def institutions_import_preview(*, file: IO[bytes], actor: User) -> ImportPreview:
    """Every row of the workbook with its errors; nothing is saved. Raises ``ValidationError``
    for a file that is not the workbook (type, size, rows, columns) and ``PermissionDenied``
    for a user who may not register institutions."""
    require_import(actor)
    data, filename = file_bytes(file)
    return _preview(data, filename, actor)[0]


# ---------------------------------------------------------------------------------------------
# Importing


@transaction.atomic
def institutions_import(*, file: IO[bytes], actor: User) -> ImportReport:
    """Import every row of a clean file, or nothing: ``ImportNotClean`` (a ``ValidationError``
    carrying the whole ``preview``) when any row has an error. Each record is saved with its
    history row: the actor, and the file's name as the reason."""
    require_import(actor)
    data, filename = file_bytes(file)
    preview, existing = _preview(data, filename, actor)
    if not preview.is_clean:
        raise ImportNotClean(preview)
    institutions: dict[str, Institution] = {}
    documents: list[QualificationDocument] = []
    row = None
    try:
        for row in preview.institutions:
            institution = institution_create(actor=actor, reason=filename, **row.cleaned)
            institutions[institution.credit_code] = institution
        for row in preview.documents:
            values = dict(row.cleaned)
            code = values.pop("credit_code")
            document = QualificationDocument(
                institution=institutions.get(code) or existing[code], submitted_by=actor, **values
            )
            documents.append(save_audited(document, actor=actor, reason=filename))
    except (ValidationError, IntegrityError) as error:
        # Written by someone else since the file was checked: the whole file is undone.
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        raise ValidationError(
            _("%(sheet)s row %(row)d: %(errors)s; nothing was imported.")
            % {
                "sheet": sheet_title(row.sheet),
                "row": row.number,
                "errors": "；".join(messages),
            },
            code="import_conflict",
        ) from error
    return ImportReport(
        filename=filename, institutions=list(institutions.values()), documents=documents
    )


def import_template(*, actor: User) -> bytes:
    """The blank workbook, its county list the counties the user may register in."""
    require_import(actor)
    return book.template_workbook([county.name for county in counties_in_scope(actor)])
