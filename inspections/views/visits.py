"""Monthly visits by the placing station (每月探视): the month's gap list and recording a visit."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit_portal.core.web import apply_errors
from inspections.dates import add_months
from inspections.forms.inspections import VisitForm
from inspections.models import CustodyAgreement, Inspection
from inspections.selectors import agreements_for
from inspections.selectors.inspections import inspections_for, visit_gaps
from inspections.services.inspections import visit_record


def _month(value: str | None) -> datetime.date:
    today = timezone.localdate()
    try:
        year, month_number = (int(part) for part in (value or "").split("-"))
        month = datetime.date(year, month_number, 1)
    except ValueError:
        return today.replace(day=1)
    return min(month, today.replace(day=1))


@login_required
@require_GET
def visit_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_admin or user.is_civil_affairs_staff):
        raise PermissionDenied
    month = _month(request.GET.get("month"))
    last = add_months(month, 1) - datetime.timedelta(days=1)
    visits = (
        inspections_for(user)
        .filter(kind=Inspection.Kind.MONTHLY_VISIT, performed_on__range=(month, last))
        .order_by("-performed_on")
    )
    return render(
        request,
        "inspections/visits/list.html",
        {
            "month": month,
            "previous": add_months(month, -1),
            "next": add_months(month, 1) if month < timezone.localdate().replace(day=1) else None,
            "gaps": visit_gaps(user, month),
            "visits": visits,
            "may_record": user.organisation_kind == "station" or user.is_admin,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_admin or user.organisation_kind == "station"):
        raise PermissionDenied
    agreements = agreements_for(user).filter(status=CustodyAgreement.Status.ACTIVE)
    if not user.is_admin:
        agreements = agreements.filter(station_id=user.organisation_id)
    form = VisitForm(
        request.POST or None,
        agreements=agreements,
        initial={"agreement": request.GET.get("agreement")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit = visit_record(actor=user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("inspections:inspection_detail", visit.pk)
    return render(request, "inspections/visits/form.html", {"form": form})
