"""The resident ledger and the returned-home ledger (返乡人员信息台账) as Excel workbooks, built by
the worker for the civil affairs staff (and administrators) who read them: the rows of their
scope as it is when the file is built, the resident ledger with the list's filters. ID numbers
are masked; the files carry personal data, so each download is written to the security log
(``register_builder(..., personal_data=True)`` in ``residents/wiring.py``)."""

import datetime
import tempfile
from collections.abc import Callable
from types import SimpleNamespace

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from audit_portal.accounts.models import User
from audit_portal.core.files.registry import BuildRefused, Output
from audit_portal.core.files.runner import Progress
from audit_portal.core.files.services import file_request
from audit_portal.core.models import GeneratedFile
from audit_portal.core.xlsx import ExportBook, exported
from inspections.models import ResidentCategory
from residents import selectors
from residents.filters import ResidentFilter
from residents.models import Resident, ReturnHome

RESIDENTS_KIND = "residents.resident_ledger"
RETURNS_KIND = "residents.return_ledger"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 1000


def may_export(user: User) -> bool:
    """Staff of the bodies that read resident records, and administrators (not institutions:
    their own records are on their pages)."""
    return (
        user.is_authenticated
        and (user.is_admin or user.is_civil_affairs_staff)
        and user.has_perm("residents.view_resident")
    )


def _resident_columns(on: datetime.date) -> list[tuple[str, int, Callable]]:
    yes, no = _("Yes"), _("No")
    categories = dict(ResidentCategory.choices)
    sexes = dict(Resident.Sex.choices)
    identities = dict(Resident.Identity.choices)
    discharges = dict(Resident.Discharge.choices)
    return [
        (pgettext("resident", "Name"), 14, lambda r: r.name),
        (_("Provisional name"), 8, lambda r: yes if r.name_is_provisional else no),
        (_("Sex"), 6, lambda r: str(sexes.get(r.sex, r.sex))),
        (_("Estimated year of birth"), 8, lambda r: r.birth_year),
        (_("Category"), 12, lambda r: str(categories.get(r.category, r.category))),
        (_("Identity"), 12, lambda r: str(identities.get(r.identity_status, ""))),
        (_("ID number (masked)"), 20, lambda r: r.masked_id_number),
        (_("Institution"), 24, lambda r: r.institution.name),
        (_("Placing station"), 20, lambda r: r.station.name),
        (_("Custody agreement"), 16, lambda r: r.agreement.number),
        (_("Admitted at"), 16, lambda r: r.admitted_at),
        (_("Long stay from"), 12, lambda r: r.long_stay_on),
        (_("Long stay"), 8, lambda r: yes if r.is_long_stay(on) else no),
        (_("Identity step overdue"), 8, lambda r: yes if r.overdue_step else no),
        (_("Discharged at"), 16, lambda r: r.discharged_at),
        (_("Discharge"), 12, lambda r: str(discharges.get(r.discharge_kind, ""))),
    ]


def _return_columns() -> list[tuple[str, int, Callable]]:
    yes, no = _("Yes"), _("No")
    return [
        (pgettext("resident", "Name"), 14, lambda e: e.resident.name),
        (_("ID number (masked)"), 20, lambda e: e.resident.masked_id_number),
        (_("Institution"), 24, lambda e: e.resident.institution.name),
        (_("Placing station"), 20, lambda e: e.resident.station.name),
        (_("Returned on"), 12, lambda e: e.returned_on),
        (_("Home area"), 20, lambda e: e.home_area),
        (_("Home-area rescue station"), 20, lambda e: e.home_station),
        (_("Received by"), 12, lambda e: e.received_by),
        (_("Written feedback sent on"), 12, lambda e: e.feedback_sent_on),
        (_("Feedback reference"), 16, lambda e: e.feedback_reference),
        (
            _("Follow-up visits required"),
            8,
            lambda e: yes if e.follow_up_required else no,
        ),
        (_("Follow-up visits open"), 8, lambda e: e.open_follow_ups),
        (_("Follow-up visits missed"), 8, lambda e: e.missed_follow_ups),
    ]


def _column(columns: list[tuple[str, int, Callable]], header: str) -> int:
    """The 1-based column of ``header``: what ``Sheet.append`` takes for its alert style."""
    return next(index for index, column in enumerate(columns, 1) if column[0] == header)


def _write(
    title: str,
    columns: list[tuple[str, int, Callable]],
    rows: QuerySet,
    *,
    alert: Callable,
    about: list[tuple[str, object]],
    progress: Progress,
    filename: str,
) -> Output:
    progress.start(rows.count())
    into = tempfile.TemporaryFile()  # noqa: SIM115 — handed to the runner, which closes it
    try:
        book = ExportBook()
        sheet = book.sheet(title, [c[0] for c in columns], [c[1] for c in columns])
        for index, row in enumerate(rows.iterator(chunk_size=CHUNK), 1):
            sheet.append([value(row) for _h, _w, value in columns], alert=alert(row))
            if index % CHUNK == 0:
                progress.advance(CHUNK)
        progress.advance(sheet.rows % CHUNK)
        book.write(_("Filters"), [*about, (_("Rows"), sheet.rows)], into)
    except BaseException:
        into.close()
        raise
    return Output(filename, XLSX, into)


def _refuse_unless_allowed(user: User) -> None:
    if not may_export(user):
        raise BuildRefused(_("You may no longer read the resident records."))


# The resident ledger --------------------------------------------------------------------------


def _filterset(user: User, data: dict | None) -> ResidentFilter:
    return ResidentFilter(
        data or None,
        queryset=selectors.residents_for(user),
        request=SimpleNamespace(user=user),
    )


def _criteria(filterset: ResidentFilter) -> list[tuple[str, object]]:
    if not filterset.is_bound or not filterset.form.is_valid():
        return []
    return [
        (str(filterset.form.fields[name].label), _("Yes") if value is True else str(value))
        for name, value in filterset.form.cleaned_data.items()
        if value not in (None, "", False)
    ]


def resident_ledger_request(*, user: User, data) -> GeneratedFile:
    """Ask the worker for the resident ledger of the list's filters (``data``: its query)."""
    filters = {name: data.get(name) for name in ResidentFilter.base_filters if data.get(name)}
    on = timezone.localdate()
    return file_request(
        owner=user,
        kind=RESIDENTS_KIND,
        title=_("Resident ledger as of %(day)s (Excel)") % {"day": f"{on:%Y-%m-%d}"},
        parameters={"filters": filters},
        criteria=_criteria(_filterset(user, filters)),
    )


def build_resident_ledger(job: GeneratedFile, progress: Progress) -> Output:
    user = job.owner
    _refuse_unless_allowed(user)
    now = timezone.now()
    on = timezone.localdate(now)
    filterset = _filterset(user, job.parameters.get("filters"))
    if filterset.is_bound and not filterset.form.is_valid():
        raise BuildRefused(_("The filters no longer match what you may see. Export again."))
    residents = selectors.with_flags(filterset.qs, now).order_by("-admitted_at", "pk")
    columns = _resident_columns(on)
    overdue = _column(columns, _("Identity step overdue"))
    return _write(
        pgettext("residents app", "Residents"),
        columns,
        residents,
        alert=lambda r: [overdue] if r.overdue_step and r.in_care else [],
        about=[*exported(user), *(_criteria(filterset) or [(_("Filters"), _("None"))])],
        progress=progress,
        filename=f"resident-ledger-{on:%Y%m%d}.xlsx",
    )


# The returned-home ledger ---------------------------------------------------------------------


def return_ledger_request(*, user: User) -> GeneratedFile:
    on = timezone.localdate()
    return file_request(
        owner=user,
        kind=RETURNS_KIND,
        title=_("Returned-home ledger as of %(day)s (Excel)") % {"day": f"{on:%Y-%m-%d}"},
        parameters={},
    )


def build_return_ledger(job: GeneratedFile, progress: Progress) -> Output:
    user = job.owner
    _refuse_unless_allowed(user)
    on = timezone.localdate()
    entries: QuerySet[ReturnHome] = selectors.returns_for(user)
    columns = _return_columns()
    missed = _column(columns, _("Follow-up visits missed"))
    return _write(
        _("Returned-home ledger"),
        columns,
        entries,
        alert=lambda e: [missed] if e.missed_follow_ups else [],
        about=exported(user),
        progress=progress,
        filename=f"returned-home-ledger-{on:%Y%m%d}.xlsx",
    )
