"""The buttons that ask the worker for the resident ledger and the returned-home ledger in
Excel (``residents/exports.py``): a POST from the list with its query string; the user is taken
to the file's progress page. Staff and administrators who read resident records export them;
institution accounts get 403; supervisors, who have no resident pages, 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit_portal.core.files.views import started
from residents import exports, selectors
from residents.filters import ResidentFilter


def _allowed(request: HttpRequest) -> None:
    if not request.user.has_perm("residents.view_resident"):
        raise Http404
    if not exports.may_export(request.user):
        raise PermissionDenied


@login_required
@require_POST
def resident_ledger_export(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    filterset = ResidentFilter(
        request.GET or None, queryset=selectors.residents_for(request.user), request=request
    )
    if filterset.is_bound and not filterset.form.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(reverse("residents:resident_list") + f"?{request.GET.urlencode()}")
    return started(request, exports.resident_ledger_request(user=request.user, data=request.GET))


@login_required
@require_POST
def return_ledger_export(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    return started(request, exports.return_ledger_request(user=request.user))
