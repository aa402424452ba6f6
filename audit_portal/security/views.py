"""The security log's search page (安全日志), for administrators and the city bureau."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from audit_portal.core.web import list_page
from audit_portal.security import selectors
from audit_portal.security.filters import SecurityEventFilter


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    # A signed-in user without the right gets a 403 (a role permission they lack), which the
    # log itself records: trying to read the security log is worth knowing about.
    if not selectors.may_read_log(request.user):
        raise PermissionDenied
    context = list_page(request, selectors.events_for(request.user), SecurityEventFilter)
    return render(request, "security/event_list.html", context)
