"""The Excel exports of the issue ledger and of the monthly report ledger.

A button on the list posts its current filters (the list's query string); the export is built
by the worker (``inspections/exports*.py``) and the user is taken to its progress page. The same
permission checks as the lists: whoever reads issues exports their ledger; staff (and
administrators) export the monthly reports in their scope, others get 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit_portal.core.files.views import started
from audit_portal.core.web import require_perm
from inspections.exports import issue_ledger_request
from inspections.exports_reports import may_export, report_ledger_request
from inspections.filters import MonthlyReportFilter
from inspections.forms.ledger import IssueLedgerFilter
from inspections.selectors.reports import reports_for


def _back(request: HttpRequest, url_name: str) -> HttpResponse:
    """Back to the list with its filters, which did not validate: nothing is exported."""
    messages.error(request, _("Correct the filters before exporting."))
    query = request.GET.urlencode()
    return redirect(reverse(url_name) + (f"?{query}" if query else ""))


@login_required
@require_POST
def issue_ledger_export(request: HttpRequest) -> HttpResponse:
    """The ledger of exactly what the page shows for the same query string, all pages."""
    user = request.user
    require_perm(user, "inspections.view_issue")
    on = timezone.localdate()
    ledger = IssueLedgerFilter(request.GET or None, user=user, on=on, request=request)
    if ledger.is_bound and not ledger.form.is_valid():
        return _back(request, "inspections:issue_ledger")
    return started(request, issue_ledger_request(user=user, data=request.GET, on=on))


@login_required
@require_POST
def report_export(request: HttpRequest) -> HttpResponse:
    """The monthly report ledger (台账) of the list's period and filters."""
    user = request.user
    if not may_export(user):
        raise PermissionDenied
    filterset = MonthlyReportFilter(request.GET, queryset=reports_for(user), request=request)
    if not filterset.form.is_valid():
        return _back(request, "inspections:report_list")
    return started(request, report_ledger_request(user=user, filterset=filterset))
