"""Monthly status report pages.

Institution users fill in, submit, explain and amend their own reports; the placing station's
staff accept or return them; county and city staff read them, see the late and missing list and
export the ledger. Supervisors have no report pages. A report outside the user's scope (or a
draft, for staff) is a 404; a write the user may not make on a report in scope is a 403.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit_portal.accounts.models import Organisation, User
from audit_portal.accounts.selectors import organisations_in_scope
from audit_portal.core.history_view import trail
from audit_portal.rules import rules
from inspections.dates import add_months
from inspections.exports_reports import reports_workbook
from inspections.forms.reports import (
    AmendForm,
    ExplainForm,
    ReportFilter,
    ReportForm,
    ReviewForm,
    SubmitForm,
)
from inspections.models import MonthlyReport, MonthlyReportLine, ResidentCategory
from inspections.models.reports import due_date, last_due_month
from inspections.selectors.reports import (
    filing_institution,
    institution_months,
    is_flagged,
    late_and_missing,
    may_review,
    mismatches,
    parse_month,
    previous_end_figures,
    report_checks,
    reports_for,
    totals,
)
from inspections.services import reports as services
from inspections.views.registry import _apply_errors

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _staff(user: User) -> None:
    if not (user.is_admin or user.is_civil_affairs_staff):
        raise PermissionDenied


def _report(user: User, pk: int) -> MonthlyReport:
    return get_object_or_404(reports_for(user), pk=pk)


def _is_owner(user: User, report: MonthlyReport) -> bool:
    return (
        user.is_institution_user
        and user.institution_id == report.institution_id
        and user.has_perm("inspections.change_monthlyreport")
    )


def _own_report(user: User, pk: int) -> MonthlyReport:
    """A report the institution writes: 404 outside scope, 403 for everyone else."""
    report = _report(user, pk)
    if not _is_owner(user, report):
        raise PermissionDenied
    return report


def _fail(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# Lists -----------------------------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[ReportFilter, object, datetime.date, datetime.date]:
    user = request.user
    counties = None
    if user.is_admin or user.organisation_kind == Organisation.Kind.CITY:
        counties = organisations_in_scope(user).filter(kind=Organisation.Kind.COUNTY)
    form = ReportFilter(request.GET or None, counties=counties)
    newest = last_due_month(timezone.localdate())
    first = last = newest
    reports = reports_for(user)
    if form.is_valid():
        data = form.cleaned_data
        last = data["last"] or max(newest, data["first"] or newest)
        first = data["first"] or last
        if data.get("county"):
            reports = reports.filter(institution__county=data["county"])
        if data["status"]:
            reports = reports.filter(status=data["status"])
    reports = reports.filter(month__range=(first, last)).order_by("-month", "institution__name")
    return form, reports, first, last


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("inspections.view_monthlyreport"):
        raise PermissionDenied
    today = timezone.localdate()
    institution = filing_institution(user)
    if user.is_institution_user:
        rows = institution_months(institution, today) if institution else []
        return render(
            request,
            "inspections/reports/mine.html",
            {"institution": institution, "rows": rows, "today": today},
        )
    form, reports, first, last = _filtered(request)
    flagged_only = form.is_valid() and form.cleaned_data["flagged"]
    if flagged_only:
        # Flags need the incident records; the period is months, so the list is small.
        checks = report_checks(reports)
        reports = [r for r in reports if is_flagged(r, checks[r.pk])]
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    checks = report_checks(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "inspections/reports/list.html",
        {
            "form": form,
            "page": page,
            "rows": [
                {
                    "report": report,
                    "mismatches": mismatches(checks[report.pk]),
                    "flagged": is_flagged(report, checks[report.pk]),
                }
                for report in page.object_list
            ],
            "first": first,
            "last": last,
            "query": query.urlencode(),
        },
    )


@login_required
@require_GET
def report_late(request: HttpRequest) -> HttpResponse:
    user = request.user
    _staff(user)
    today = timezone.localdate()
    return render(
        request,
        "inspections/reports/late.html",
        {
            "rows": late_and_missing(user, today),
            "months": rules().monthly_report_late_list_months,
            "today": today,
        },
    )


@login_required
@require_GET
def report_export(request: HttpRequest) -> HttpResponse:
    """The monthly report ledger (台账) for a period and scope, as an Excel workbook."""
    user = request.user
    _staff(user)
    form, reports, first, last = _filtered(request)
    reports = list(reports.prefetch_related("lines"))
    checks = report_checks(reports)
    if form.is_valid() and form.cleaned_data["flagged"]:
        reports = [r for r in reports if is_flagged(r, checks[r.pk])]
    county = form.cleaned_data.get("county") if form.is_valid() else None
    content = reports_workbook(
        reports, checks, first=first, last=last, county=county, exported_by=user
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"monthly-reports-{first:%Y%m}-{last:%Y%m}.xlsx"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Filling in ------------------------------------------------------------------------------------


def _form_page(request, form, *, month, report=None, status=200, amend=False) -> HttpResponse:
    return render(
        request,
        "inspections/reports/form.html",
        {
            "form": form,
            "table": form.table(),
            "headers": form.headers(),
            "month": month,
            "report": report,
            "due_on": report.due_on if report else due_date(month),
            "amend": amend,
            "hospital_counts_as_out": rules().monthly_report_hospital_counts_as_out,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    """This month's (or a chosen past month's) report, its start figures taken from last
    month's end figures."""
    user = request.user
    institution = filing_institution(user)
    if institution is None:
        raise PermissionDenied
    today = timezone.localdate()
    month = parse_month(request.GET.get("month")) or today.replace(day=1)
    month = min(month, today.replace(day=1))
    existing = institution.monthly_reports.filter(month=month).first()
    if existing is not None:
        target = "inspections:report_edit" if existing.is_editable else "inspections:report_detail"
        return redirect(target, existing.pk)
    previous = previous_end_figures(institution, month)
    form = ReportForm(request.POST or None, initial=ReportForm.initial_from(start=previous))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_save_draft(
                institution=institution,
                month=month,
                actor=user,
                lines=form.lines(),
                **form.details(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Draft saved. Check the figures, then submit."))
            return redirect("inspections:report_detail", report.pk)
    if request.method == "GET" and previous is None:
        messages.info(request, _("No report for the month before: enter the start figures."))
    return _form_page(request, form, month=month, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _own_report(request.user, pk)
    if not report.is_editable:
        messages.error(request, _("This report has been submitted and can no longer be edited."))
        return redirect("inspections:report_detail", report.pk)
    form = ReportForm(request.POST or None, initial=ReportForm.initial_from(report))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_save_draft(
                institution=report.institution,
                month=report.month,
                actor=request.user,
                lines=form.lines(),
                **form.details(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Draft saved. Check the figures, then submit."))
            return redirect("inspections:report_detail", report.pk)
    return _form_page(
        request, form, month=report.month, report=report, status=400 if form.is_bound else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_amend(request: HttpRequest, pk: int) -> HttpResponse:
    report = _own_report(request.user, pk)
    if report.status != MonthlyReport.Status.ACCEPTED:
        messages.error(request, _("Only an accepted report is amended."))
        return redirect("inspections:report_detail", report.pk)
    initial = ReportForm.initial_from(report) | {"explanation": report.explanation}
    form = AmendForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_amend(
                report=report,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
                lines=form.lines(),
                **form.details(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Amendment sent to the placing station for review."))
            return redirect("inspections:report_detail", report.pk)
    return _form_page(
        request,
        form,
        month=report.month,
        report=report,
        amend=True,
        status=400 if form.is_bound else 200,
    )


# One report ------------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, report: MonthlyReport, **forms) -> dict:
    user = request.user
    order = list(ResidentCategory.values)
    lines = sorted(report.lines.all(), key=lambda line: order.index(line.category))
    checks = report_checks([report])[report.pk]
    owner = _is_owner(user, report)
    return {
        "report": report,
        "lines": lines,
        "totals": totals(lines),
        "headers": ReportForm.headers(),
        "checks": checks,
        "mismatches": mismatches(checks),
        "flagged": is_flagged(report, checks),
        "owner": owner,
        "may_submit": owner and report.is_editable,
        "may_amend": owner and report.status == MonthlyReport.Status.ACCEPTED,
        "may_explain": owner and report.is_received and bool(mismatches(checks)),
        "may_review": report.status == MonthlyReport.Status.SUBMITTED and may_review(user, report),
        "submit_form": forms.get("submit_form")
        or SubmitForm(initial={"explanation": report.explanation}),
        "explain_form": forms.get("explain_form")
        or ExplainForm(initial={"explanation": report.explanation}),
        "review_form": forms.get("review_form") or ReviewForm(),
        "hospital_counts_as_out": rules().monthly_report_hospital_counts_as_out,
        "previous_month": add_months(report.month, -1),
        "history": trail(
            [
                MonthlyReport.history.filter(id=report.pk),
                MonthlyReportLine.history.filter(report_id=report.pk),
            ]
        ),
    }


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request.user, pk)
    return render(request, "inspections/reports/detail.html", _detail_context(request, report))


def _rerender(request: HttpRequest, report: MonthlyReport, **forms) -> HttpResponse:
    return render(
        request,
        "inspections/reports/detail.html",
        _detail_context(request, report, **forms),
        status=400,
    )


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _own_report(request.user, pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _rerender(request, report, submit_form=form)
    try:
        report = services.report_submit(
            report=report, actor=request.user, explanation=form.cleaned_data["explanation"]
        )
    except ValidationError as error:
        _fail(request, error)
    else:
        if report.is_late:
            messages.warning(
                request,
                _("Report submitted, %(days)d days after it was due.") % {"days": report.days_late},
            )
        else:
            messages.success(request, _("Report submitted to the placing station."))
    return redirect("inspections:report_detail", report.pk)


@login_required
@require_POST
def report_explain(request: HttpRequest, pk: int) -> HttpResponse:
    report = _own_report(request.user, pk)
    form = ExplainForm(request.POST)
    if not form.is_valid():
        return _rerender(request, report, explain_form=form)
    try:
        services.report_explain(
            report=report, actor=request.user, explanation=form.cleaned_data["explanation"]
        )
    except ValidationError as error:
        _apply_errors(form, error)
        return _rerender(request, report, explain_form=form)
    messages.success(request, _("Explanation recorded."))
    return redirect("inspections:report_detail", report.pk)


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request.user, pk)
    if not may_review(request.user, report):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _rerender(request, report, review_form=form)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.report_review(
            report=report, actor=request.user, accept=accept, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("Report accepted.") if accept else _("Report returned."))
    return redirect("inspections:report_detail", report.pk)
