"""Monthly status report pages.

Institution users fill in, submit, explain and amend their own reports; the placing station's
staff accept or return them; county and city staff read them, see the late and missing list and
export the ledger. Supervisors have no report pages. A report outside the user's scope (or a
draft, for staff) is a 404; who may act on a report in scope, and when, is the report policy's
(a 403 for who the user is; the service gives the reason for the report's state), and the page
offers the actions it allows.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit_portal.accounts.models import User
from audit_portal.core.history_view import trail
from audit_portal.core.web import apply_errors, errors_to_messages, list_page, require_perm
from audit_portal.rules import rules
from inspections.dates import add_months
from inspections.filters import MonthlyReportFilter
from inspections.forms.reports import (
    AmendForm,
    ExplainForm,
    ReportForm,
    ReviewForm,
    SubmitForm,
)
from inspections.models import MonthlyReport, MonthlyReportLine, ResidentCategory
from inspections.models.reports import due_date
from inspections.policies import report_policy
from inspections.selectors.reports import (
    filing_institution,
    institution_months,
    is_flagged,
    late_and_missing,
    mismatches,
    parse_month,
    previous_end_figures,
    recorded_figures,
    report_checks,
    reports_for,
    totals,
)
from inspections.services import reports as services


def _staff(user: User) -> None:
    if not (user.is_admin or user.is_civil_affairs_staff):
        raise PermissionDenied


def _report(user: User, pk: int) -> MonthlyReport:
    return get_object_or_404(reports_for(user), pk=pk)


def _report_for(user: User, pk: int, action: str) -> MonthlyReport:
    """The report for one of its actions: 404 outside scope, 403 when the user's part in it does
    not allow the action (its state is the service's to refuse, with the reason)."""
    report = _report(user, pk)
    report_policy.require_role(action, user, report)
    return report


# Lists -----------------------------------------------------------------------------------------


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_perm(user, "inspections.view_monthlyreport")
    today = timezone.localdate()
    institution = filing_institution(user)
    if user.is_institution_user:
        rows = institution_months(institution, today) if institution else []
        return render(
            request,
            "inspections/reports/mine.html",
            {"institution": institution, "rows": rows, "today": today},
        )
    context = list_page(request, reports_for(user), MonthlyReportFilter)
    page = context["page"]
    checks = report_checks(page.object_list)
    first, last = context["filter"].period
    context["filter"].show_period()
    return render(
        request,
        "inspections/reports/list.html",
        {
            **context,
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
        editable = report_policy.allows("edit", user, existing)
        target = "inspections:report_edit" if editable else "inspections:report_detail"
        return redirect(target, existing.pk)
    previous = previous_end_figures(institution, month)
    recorded = recorded_figures(institution, month)
    initial = ReportForm.initial_from(start=previous, figures=recorded)
    form = ReportForm(request.POST or None, initial=initial)
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
            apply_errors(form, error)
        else:
            messages.success(request, _("Draft saved. Check the figures, then submit."))
            return redirect("inspections:report_detail", report.pk)
    if request.method == "GET" and recorded is not None:
        messages.info(
            request,
            _(
                "The figures are filled in from the resident records: check them and add the "
                "hospital stays."
            ),
        )
    elif request.method == "GET" and previous is None:
        messages.info(request, _("No report for the month before: enter the start figures."))
    return _form_page(request, form, month=month, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request.user, pk, "edit")
    if not report_policy.allows("edit", request.user, report):
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
            apply_errors(form, error)
        else:
            messages.success(request, _("Draft saved. Check the figures, then submit."))
            return redirect("inspections:report_detail", report.pk)
    return _form_page(
        request, form, month=report.month, report=report, status=400 if form.is_bound else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_amend(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request.user, pk, "amend")
    if not report_policy.allows("amend", request.user, report):
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
            apply_errors(form, error)
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
    return {
        "report": report,
        "lines": lines,
        "totals": totals(lines),
        "headers": ReportForm.headers(),
        "checks": checks,
        "mismatches": mismatches(checks),
        "flagged": is_flagged(report, checks),
        "actions": report_policy.allowed(user, report),
        "submit_form": forms.get("submit_form")
        or SubmitForm(initial={"explanation": report.explanation}),
        "explain_form": forms.get("explain_form")
        or ExplainForm(initial={"explanation": report.explanation}),
        "review_form": forms.get("review_form") or ReviewForm(),
        "hospital_counts_as_out": rules().monthly_report_hospital_counts_as_out,
        "previous_month": add_months(report.month, -1),
        # The lines' changes are listed in the report's entries, not one row per category.
        "history": trail(
            [MonthlyReport.history.filter(id=report.pk)],
            parts=[
                (
                    MonthlyReportLine.history.filter(report_id=report.pk),
                    lambda line: line.get_category_display(),
                )
            ],
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
    report = _report_for(request.user, pk, "submit")
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _rerender(request, report, submit_form=form)
    try:
        report = services.report_submit(
            report=report, actor=request.user, explanation=form.cleaned_data["explanation"]
        )
    except ValidationError as error:
        errors_to_messages(request, error)
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
    report = _report_for(request.user, pk, "explain")
    form = ExplainForm(request.POST)
    if not form.is_valid():
        return _rerender(request, report, explain_form=form)
    try:
        services.report_explain(
            report=report, actor=request.user, explanation=form.cleaned_data["explanation"]
        )
    except ValidationError as error:
        # A reason about no field is the report's state: the page no longer offers the form.
        if hasattr(error, "error_dict"):
            apply_errors(form, error)
        else:
            errors_to_messages(request, error)
        return _rerender(request, report, explain_form=form)
    messages.success(request, _("Explanation recorded."))
    return redirect("inspections:report_detail", report.pk)


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request.user, pk, "review")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _rerender(request, report, review_form=form)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.report_review(
            report=report, actor=request.user, accept=accept, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(request, _("Report accepted.") if accept else _("Report returned."))
    return redirect("inspections:report_detail", report.pk)
