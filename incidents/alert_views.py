"""The incident alerts addressed to the user's organisation and the quarterly incident rates
(the same access rules as the incident pages: ``incidents/views.py``)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from audit_portal.accounts.models import User
from audit_portal.core.web import list_page
from audit_portal.rules import rules
from incidents import forms, selectors, services
from incidents.models import Alert
from incidents.policies import alert_policy
from incidents.views import _area


def _alert(user: User, pk: int, action: str) -> Alert:
    """An alert to the user's organisation, for one of its actions (as ``_incident``)."""
    _area(user)
    alert = get_object_or_404(selectors.alerts_for(user), pk=pk)
    alert_policy.require_role(action, user, alert)
    return alert


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    _area(request.user)
    if not request.user.has_perm("incidents.view_alert"):
        raise PermissionDenied
    alerts = selectors.alerts_for(request.user)
    if request.GET.get("unread"):
        alerts = alerts.filter(read_at__isnull=True)
    context = list_page(request, alerts)
    for alert in context["page"]:
        alert.actions = alert_policy.allowed(request.user, alert)
    return render(request, "incidents/alert_list.html", context)


@login_required
@require_POST
def alert_read(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _alert(request.user, pk, "read")
    services.alert_mark_read(alert=alert, actor=request.user)
    return redirect("incidents:incident_detail", pk=alert.incident_id)


@login_required
@require_GET
def rates(request: HttpRequest) -> HttpResponse:
    _area(request.user)
    if not request.user.has_perm("incidents.view_alert"):
        raise PermissionDenied
    today = timezone.localdate()
    default = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    form = forms.RatesForm(request.GET or default)
    year, quarter = default["year"], default["quarter"]
    if form.is_valid():
        year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
    return render(
        request,
        "incidents/rates.html",
        {
            "form": form,
            "rows": selectors.incident_rates(request.user, year, quarter),
            "year": year,
            "quarter": quarter,
            "rules": rules(),
        },
    )
