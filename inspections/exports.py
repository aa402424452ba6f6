"""The issue ledger as an Excel workbook, built by the worker: exactly the rows the ledger shows
for the same filters, one sheet of issues with a frozen header, and one sheet saying what was
filtered, when and by whom (痕迹化管理).

The ledger page asks for it (``issue_ledger_request``); the worker builds it
(``build_issue_ledger``) with the requester's scope as it is then, reading the issues in chunks
and writing a write-only workbook to a temporary file, so memory stays flat however many rows."""

import datetime
import tempfile
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.files.registry import BuildRefused, Output
from audit_portal.core.files.runner import Progress
from audit_portal.core.files.services import file_request
from audit_portal.core.models import GeneratedFile
from audit_portal.core.xlsx import ExportBook, exported
from inspections.forms.ledger import IssueLedgerFilter
from inspections.models import Area, Issue
from inspections.selectors.inspections import issues_for
from inspections.selectors.ledger import LedgerRow, ledger_rows

KIND = "inspections.issue_ledger"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Issues read from the database at a time, and written between two progress reports.
CHUNK = 2000
BATCH = 500


def _columns() -> list[tuple[str, int, object]]:
    """(header, width in characters, value of a row). The labels of choices are translated once
    here, not once per cell (100,000 rows × 3 lookups)."""
    yes, no = _("Yes"), _("No")
    areas = {value: str(label) for value, label in Area.choices}
    severities = {value: str(label) for value, label in Issue.Severity.choices}
    statuses = {value: str(label) for value, label in Issue.Status.choices}
    return [
        (_("Number"), 16, lambda r: r.issue.number),
        (_("Institution"), 26, lambda r: r.issue.institution.name),
        (_("County"), 14, lambda r: r.issue.institution.county.name),
        (_("Area"), 16, lambda r: areas.get(r.issue.area, r.issue.area)),
        (_("Description"), 50, lambda r: r.issue.description),
        (_("Severity"), 10, lambda r: severities.get(r.issue.severity, r.issue.severity)),
        (_("Responsible person"), 12, lambda r: r.issue.responsible_person),
        (_("Status"), 12, lambda r: statuses.get(r.issue.status, r.issue.status)),
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
            lambda r: no if r.provisional else yes,
        ),
        (_("Closed on"), 12, lambda r: r.issue.closed_on),
        (_("Closed on time"), 10, lambda r: _closed_on_time(r.issue, yes, no)),
    ]


def _closed_on_time(issue, yes: str, no: str) -> str:
    on_time = issue.closed_on_time()
    if on_time is None:
        return ""
    return yes if on_time else no


def ledger_workbook(
    rows: Iterable[LedgerRow],
    *,
    on: datetime.date,
    filters: list[tuple[str, str]],
    exported_by: User,
    into,
) -> int:
    """Write the workbook of ``rows`` into the open file ``into``; returns the rows written."""
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
    book.write(
        _("Filters"),
        [
            *exported(exported_by),
            (_("Countdowns as of"), on),
            (_("Rows"), sheet.rows),
            *(filters or [(_("Filters"), _("None"))]),
        ],
        into,
    )
    return sheet.rows


# The fields the columns and the countdown read: an export of 100,000 rows builds 400,000 model
# instances, and the institution's and the user's other fields (their own dozens each) would
# be read and set on every one for nothing. ``tests/inspections/test_exports.py`` proves no
# column reads a field left out (a query per row).
EXPORT_FIELDS = (
    "number",
    "area",
    "description",
    "severity",
    "responsible_person",
    "status",
    "raised_on",
    "rectification_days",
    "original_deadline",
    "deadline",
    "deadline_official",
    "closed_on",
    "institution__name",
    "institution__county__name",
    "raised_by__username",
    "raised_by__full_name",
)


def for_export(issues: QuerySet[Issue]) -> QuerySet[Issue]:
    """Only what the columns read (not the inspection each issue came from)."""
    return (
        issues.select_related(None)
        .select_related("institution__county", "raised_by")
        .only(*EXPORT_FIELDS)
    )


def _rows(issues: QuerySet[Issue], on: datetime.date, progress: Progress) -> Iterator[LedgerRow]:
    """The ledger rows of ``issues``, counted down a batch at a time (the work calendar is read
    once per batch), reporting progress after each batch."""
    batch: list[Issue] = []
    for issue in issues.iterator(chunk_size=CHUNK):
        batch.append(issue)
        if len(batch) == BATCH:
            yield from ledger_rows(batch, on)
            progress.advance(len(batch))
            batch = []
    if batch:
        yield from ledger_rows(batch, on)
        progress.advance(len(batch))


def _filters(data: QueryDict | dict) -> dict[str, str]:
    return {name: data.get(name) for name in IssueLedgerFilter.base_filters if name in data}


def issue_ledger_request(*, user: User, data: QueryDict, on: datetime.date) -> GeneratedFile:
    """Ask the worker for the ledger of ``data`` (the page's query string) as of ``on``. The
    caller checked the filters: an export with a filter dropped would hold more than asked."""
    ledger = IssueLedgerFilter(data or None, user=user, on=on)
    return file_request(
        owner=user,
        kind=KIND,
        title=_("Issue ledger as of %(day)s (Excel)") % {"day": f"{on:%Y-%m-%d}"},
        parameters={"filters": _filters(data), "on": on.isoformat()},
        criteria=ledger.description(),
    )


def build_issue_ledger(job: GeneratedFile, progress: Progress) -> Output:
    user = job.owner
    if not user.has_perm("inspections.view_issue"):
        raise BuildRefused(_("You may no longer read the issue ledger."))
    on = datetime.date.fromisoformat(job.parameters["on"])
    ledger = IssueLedgerFilter(job.parameters.get("filters") or None, user=user, on=on)
    if ledger.is_bound and not ledger.form.is_valid():
        raise BuildRefused(
            _(
                "The filters no longer match what you may see (an institution or a county has "
                "left your scope). Export again from the ledger."
            )
        )
    issues = for_export(ledger.apply(issues_for(user)))
    progress.start(issues.count())
    into = tempfile.TemporaryFile()  # noqa: SIM115 — handed to the runner, which closes it
    try:
        ledger_workbook(
            _rows(issues, on, progress),
            on=on,
            filters=ledger.description(),
            exported_by=user,
            into=into,
        )
    except BaseException:
        into.close()
        raise
    return Output(f"issue-ledger-{on:%Y%m%d}.xlsx", XLSX, into)
